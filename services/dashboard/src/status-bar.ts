/**
 * `<status-bar>`: which services are on the bus, from their retained
 * `status/{service}/{instance}` messages and wills.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import type { Status } from '@gemmaedge/shared'

@customElement('status-bar')
export class StatusBar extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      font-size: 12px;
    }
    .service {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 3px 9px;
      border: 1px solid var(--border);
      border-radius: 999px;
      background: var(--surface);
    }
    .service::before {
      content: '';
      width: 7px;
      height: 7px;
      border-radius: 50%;
      background: var(--good);
    }
    .service[data-state='offline'] { color: var(--muted); }
    .service[data-state='offline']::before { background: var(--bad); }
    .instance { color: var(--muted); }
    .none { color: var(--muted); }
  `

  @property({ attribute: false }) statuses: Status[] = []

  override render () {
    if (this.statuses.length === 0) {
      return html`<span class="none">no services seen yet</span>`
    }
    return this.statuses.map((s) => html`
      <span class="service" data-service=${`${s.service}/${s.instance}`}
        data-state=${s.state}
        title=${`${s.state} since ${new Date(s.at).toLocaleString()}, ` +
          `version ${s.version}`}>
        ${s.service} <span class="instance">${s.instance}</span>
      </span>
    `)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'status-bar': StatusBar
  }
}
