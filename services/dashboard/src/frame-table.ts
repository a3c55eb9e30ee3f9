/**
 * `<frame-table>`: the live table, one `<frame-row>` per frame, newest
 * first. Rows are keyed by frameId so a row's element survives updates.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import type { FrameRow } from './frame-store.ts'
import './frame-row.ts'

const HEADINGS = [
  ['thumbnail', ''],
  ['device', 'Device'],
  ['edge-answer', 'Edge answer'],
  ['edge-confidence', 'Conf.'],
  ['reasons', 'Escalation'],
  ['teacher-answer', 'Teacher answer'],
  ['teacher-confidence', 'Conf.'],
  ['verdict', 'Verdict'],
  ['latency', 'Latency']
] as const

@customElement('frame-table')
export class FrameTable extends LitElement {
  static override styles = css`
    :host {
      /* Inherited by every <frame-row>, so header and rows line up. */
      --frame-columns: 88px minmax(90px, 0.7fr) minmax(180px, 2fr) 56px
        minmax(150px, 1.3fr) minmax(180px, 2fr) 56px 92px 96px;
      display: block;
      overflow-x: auto;
      border: 1px solid var(--border);
      border-radius: 10px;
      background: var(--surface);
    }
    .head {
      display: grid;
      grid-template-columns: var(--frame-columns);
      gap: 14px;
      min-width: 1100px;
      padding: 10px 16px;
      border-bottom: 1px solid var(--border);
      color: var(--muted);
      font-size: 11px;
      font-weight: 600;
      letter-spacing: 0.06em;
      text-transform: uppercase;
    }
    .rows { min-width: 1132px; }
    .empty {
      padding: 48px 16px;
      color: var(--muted);
      text-align: center;
    }
  `

  @property({ attribute: false }) rows: FrameRow[] = []

  override render () {
    return html`
      <div role="table" aria-label="Frames">
        <div class="head" role="row">
          ${HEADINGS.map(([col, text]) =>
            html`<span role="columnheader" data-col=${col}>${text}</span>`)}
        </div>
        <div class="rows" role="rowgroup">
          ${this.rows.length === 0
            ? html`<p class="empty">Waiting for frames…</p>`
            : repeat(this.rows, (row) => row.frameId,
              (row) => html`<frame-row .row=${row}></frame-row>`)}
        </div>
      </div>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'frame-table': FrameTable
  }
}
