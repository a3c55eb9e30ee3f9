/**
 * `<upskill-panel>`: the "Upskill now" button and how the run goes, from
 * `upskill/progress`. The panel sends nothing itself: it fires an
 * `upskill-request` event and the page asks the bus controller.
 */
import { LitElement, css, html, nothing } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import type { UpskillProgress } from '@gemmaedge/shared'
import { isEnding, type UpskillView } from './upskill-tracker.ts'
import { formatScore } from './format.ts'
import { panelStyles } from './panel-styles.ts'
import './score-table.ts'

/** What `upskill-request` carries: candidates, or the upskiller's default. */
export interface UpskillRequestDetail {
  candidates?: number
}

const IDLE_TEXT = 'The teacher writes candidate skills; the best is ' +
  'published only if it beats the skill in use on held-out cases.'

@customElement('upskill-panel')
export class UpskillPanel extends LitElement {
  static override styles = [panelStyles, css`
    .actions {
      display: flex;
      align-items: center;
      gap: 10px;
      margin-left: auto;
    }
    label { color: var(--muted); font-size: 12px; }
    input {
      width: 64px;
      margin-left: 4px;
      padding: 4px 6px;
      border: 1px solid var(--border);
      border-radius: 6px;
      background: var(--surface);
      color: var(--text);
      font: inherit;
    }
    button {
      padding: 6px 14px;
      border: 0;
      border-radius: 6px;
      background: var(--accent);
      color: #fff;
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }
    button:disabled { opacity: 0.5; cursor: default; }
    .chip[data-phase='done'] { background: var(--good-bg); color: var(--good); }
    .chip[data-phase='failed'], .chip[data-phase='refused'] {
      background: var(--bad-bg);
      color: var(--bad);
    }
    .bar {
      display: flex;
      align-items: center;
      gap: 12px;
      margin-top: 10px;
    }
    progress {
      flex: 1;
      height: 8px;
      border: 0;
      border-radius: 999px;
      overflow: hidden;
      background: var(--chip);
      appearance: none;
    }
    progress::-webkit-progress-bar { background: var(--chip); }
    progress::-webkit-progress-value { background: var(--accent); }
    progress::-moz-progress-bar { background: var(--accent); }
    .line { margin: 8px 0 0; }
    .published { color: var(--good); font-weight: 600; }
    score-table { margin-top: 10px; }
  `]

  @property({ attribute: false }) view: UpskillView | null = null
  /** The bus is connected, so a request can go. */
  @property({ type: Boolean }) connected = false

  @state() private candidates = ''

  override render () {
    const view = this.view
    const busy = view?.pending != null
    return html`
      <div class="top">
        <h2>Upskilling</h2>
        ${view?.progress == null ? nothing : html`<span class="chip"
          data-testid="upskill-phase" data-phase=${view.progress.phase}>
          ${view.progress.phase}</span>`}
        <div class="actions">
          <label>candidates <input type="number" min="1" max="20"
            placeholder="auto" .value=${this.candidates}
            @input=${this.onCandidates}></label>
          <button data-testid="upskill-now" ?disabled=${busy || !this.connected}
            @click=${this.onClick}>${busy ? 'Upskilling…' : 'Upskill now'}
          </button>
        </div>
      </div>
      ${this.renderBody(view)}
    `
  }

  private renderBody (view: UpskillView | null) {
    if (view?.problem != null) {
      return html`<p class="alert" role="alert">${view.problem}</p>`
    }
    const progress = view?.progress ?? null
    if (progress === null) {
      return html`<p class="line muted" data-testid="upskill-status">
        ${view?.pending != null
        ? 'Request sent; waiting for the upskiller…' : IDLE_TEXT}</p>`
    }
    return html`
      ${this.renderBar(progress)}
      ${this.renderDetail(progress)}
      ${view?.ours === true ? nothing : html`<p class="line muted">
        Run asked for by another client${progress.requestId === undefined
          ? '' : ` (${progress.requestId})`}.</p>`}
      ${isEnding(progress.phase) && (progress.scores?.length ?? 0) > 0
        ? html`<score-table .scores=${progress.scores}></score-table>`
        : nothing}
    `
  }

  private renderBar (p: UpskillProgress) {
    if (p.total === 0 && isEnding(p.phase)) return nothing
    return html`
      <div class="bar">
        ${p.total === 0
          ? html`<progress data-testid="upskill-bar"></progress>`
          : html`<progress data-testid="upskill-bar" max=${p.total}
            .value=${p.done}></progress>`}
        <span class="num" data-testid="upskill-count">
          ${p.done} / ${p.total}</span>
        <span data-testid="upskill-best">${p.best === null
          ? html`<span class="muted">no best yet</span>`
          : html`best <code>${p.best.version}</code>
            <span class="num">${formatScore(p.best.score)}</span>`}</span>
      </div>
    `
  }

  private renderDetail (p: UpskillProgress) {
    if (p.phase === 'failed' || p.phase === 'refused') {
      const what = p.phase === 'failed' ? 'Run failed' : 'Request refused'
      return html`<p class="alert" role="alert" data-testid="upskill-detail">
        <strong>${what}:</strong> ${p.detail ?? 'no reason given'}</p>`
    }
    const published = p.phase === 'done' && p.published !== undefined
    return html`
      ${p.detail === undefined ? nothing : html`<p class="line"
        data-testid="upskill-detail">${p.detail}</p>`}
      ${!published ? nothing : html`<p class="line"
        data-testid="upskill-published">${p.published === null
          ? html`<span class="muted">Nothing published; the skill in use
              stays.</span>`
          : html`<span class="published">Published
              <code>${p.published}</code> on skills/updated.</span>`}</p>`}
    `
  }

  private onCandidates (event: Event): void {
    this.candidates = (event.target as HTMLInputElement).value
  }

  private onClick (): void {
    const text = this.candidates.trim()
    const detail: UpskillRequestDetail = text === ''
      ? {}
      : { candidates: Number(text) }
    this.dispatchEvent(new CustomEvent('upskill-request',
      { detail, bubbles: true, composed: true }))
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'upskill-panel': UpskillPanel
  }
  interface HTMLElementEventMap {
    'upskill-request': CustomEvent<UpskillRequestDetail>
  }
}
