/**
 * `<hub-app>`: the page. Loads `/config.json`, opens the bus connection and
 * lays out the header, the service status, the skill and upskilling panels
 * and the frame table.
 */
import { LitElement, css, html, nothing } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { MqttController } from './mqtt-controller.ts'
import { loadConfig } from './load-config.ts'
import { formatStudentError } from './format.ts'
import type { UpskillRequestDetail } from './upskill-panel.ts'
import './status-bar.ts'
import './skill-panel.ts'
import './upskill-panel.ts'
import './frame-table.ts'

@customElement('hub-app')
export class HubApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px 20px;
      padding: 14px 24px;
      background: var(--surface);
      border-bottom: 1px solid var(--border);
    }
    h1 {
      margin: 0;
      font-size: 18px;
      font-weight: 650;
      letter-spacing: -0.01em;
    }
    h1 span { color: var(--accent); }
    .meta {
      display: flex;
      align-items: center;
      gap: 16px;
      margin-left: auto;
      color: var(--muted);
      font-size: 13px;
    }
    .connection {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 3px 10px;
      border-radius: 999px;
      background: var(--chip);
      color: var(--text);
    }
    .connection::before {
      content: '';
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: var(--warn);
    }
    .connection[data-state='connected']::before { background: var(--good); }
    .connection[data-state='offline']::before { background: var(--bad); }
    .dropped[data-count='0'] { opacity: 0.6; }
    .dropped strong { color: var(--text); }
    .dropped:not([data-count='0']) strong { color: var(--bad); }
    main { padding: 16px 24px 32px; }
    .panels {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr));
      gap: 16px;
      margin-bottom: 16px;
    }
    .error {
      padding: 16px;
      border-radius: 8px;
      background: var(--bad-bg);
      color: var(--bad);
    }
  `

  @state() private error: string | null = null
  private bus: MqttController | null = null

  override connectedCallback (): void {
    super.connectedCallback()
    if (this.bus !== null) return

    loadConfig().then((config) => {
      this.bus = new MqttController(this, {
        url: config.mqttUrl,
        topicPrefix: config.topicPrefix
      })
      this.requestUpdate()
    }, (err: Error) => {
      this.error = `Could not load the dashboard config: ${err.message}`
    })
  }

  override render () {
    const bus = this.bus
    return html`
      <header>
        <h1>GemmaEdge <span>Hub</span></h1>
        <status-bar .statuses=${bus?.statuses ?? []}></status-bar>
        <div class="meta">
          ${this.renderStudentError()}
          <span class="frames" data-testid="frame-count">
            ${bus?.rows.length ?? 0} frames
          </span>
          <span class="dropped" data-testid="dropped"
            data-count=${bus?.dropped ?? 0}
            title=${dropTitle(bus)}>
            bad payloads <strong>${bus?.dropped ?? 0}</strong>
          </span>
          <span class="connection" data-testid="connection"
            data-state=${bus?.state ?? 'connecting'}
            title=${bus?.url ?? ''}>
            ${bus?.state ?? 'loading'}
          </span>
        </div>
      </header>
      <main>
        ${this.error === null
          ? html`
            <div class="panels">
              <skill-panel .skill=${bus?.skill ?? null}></skill-panel>
              <upskill-panel .view=${bus?.upskilling ?? null}
                ?connected=${bus?.state === 'connected'}
                @upskill-request=${this.onUpskillRequest}></upskill-panel>
            </div>
            <frame-table .rows=${bus?.rows ?? []}></frame-table>`
          : html`<p class="error" role="alert">${this.error}</p>`}
      </main>
    `
  }

  private renderStudentError () {
    const error = this.bus?.studentError ?? null
    if (error === null) return nothing
    const at = new Date(error.capturedAt).toLocaleTimeString([],
      { hour12: false })
    return html`<span class="student-error" data-testid="student-error"
      title=${`estimated by ${error.device} from audited frames, ${at}`}>
      ${formatStudentError(error.audited, error.rate)}</span>`
  }

  private onUpskillRequest (event: CustomEvent<UpskillRequestDetail>): void {
    void this.bus?.requestUpskill(event.detail.candidates)
  }
}

function dropTitle (bus: MqttController | null): string {
  const last = bus?.lastDrop ?? null
  if (last === null) return 'no payload dropped'
  return `last dropped on ${last.topic}: ${last.reason}`
}

declare global {
  interface HTMLElementTagNameMap {
    'hub-app': HubApp
  }
}
