/**
 * `<frame-row>`: one frame, the student's answer beside the teacher's.
 * The host carries `data-frame-id` and each cell `data-col`, for tests and
 * for anyone styling the page.
 */
import { LitElement, css, html, nothing } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { reasonsOf, type FrameRow } from './frame-store.ts'
import { formatConfidence, formatMs, formatTime } from './format.ts'

@customElement('frame-row')
export class FrameRowElement extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: var(--frame-columns);
      gap: 14px;
      align-items: start;
      padding: 10px 16px;
      border-bottom: 1px solid var(--border);
      font-size: 13px;
      line-height: 1.4;
    }
    :host(:last-child) { border-bottom: 0; }
    :host(:hover) { background: var(--hover); }
    img, .no-thumb {
      display: block;
      width: 88px;
      height: 66px;
      border-radius: 6px;
      object-fit: cover;
      background: var(--chip);
    }
    .no-thumb {
      display: grid;
      place-items: center;
      color: var(--muted);
      font-size: 11px;
    }
    .device { font-weight: 600; }
    .sub, .pending, .none { color: var(--muted); font-size: 12px; }
    .answer {
      display: -webkit-box;
      overflow: hidden;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 3;
    }
    .num { font-variant-numeric: tabular-nums; }
    .hazard, .reason, .verdict {
      display: inline-block;
      padding: 1px 7px;
      border-radius: 999px;
      font-size: 11px;
      font-weight: 600;
    }
    .hazard {
      margin: 4px 4px 0 0;
      background: var(--bad-bg);
      color: var(--bad);
    }
    .reasons { display: grid; gap: 6px; }
    .reason { background: var(--warn-bg); color: var(--warn); }
    .detail { margin-top: 2px; color: var(--muted); font-size: 12px; }
    .sub { margin-top: 2px; }
    .mark {
      display: inline-block;
      margin-top: 4px;
      padding: 1px 7px;
      border-radius: 999px;
      background: var(--chip);
      color: var(--muted);
      font-size: 11px;
      font-weight: 600;
    }
    .mark[data-escalation='dropped'] {
      background: var(--bad-bg);
      color: var(--bad);
    }
    [data-verdict='agree'] { background: var(--good-bg); color: var(--good); }
    [data-verdict='partial'] { background: var(--warn-bg); color: var(--warn); }
    [data-verdict='disagree'] { background: var(--bad-bg); color: var(--bad); }
  `

  @property({ attribute: false }) row!: FrameRow

  override willUpdate (): void {
    this.dataset.frameId = this.row.frameId
    this.setAttribute('role', 'row')
  }

  override render () {
    const { edge, review } = this.row
    const answer = edge ?? review?.edge
    return html`
      <div role="cell" data-col="thumbnail">${this.renderThumbnail()}</div>
      <div role="cell" data-col="device">
        <div class="device">${this.row.device}</div>
        <div class="sub">
          ${formatTime(edge?.capturedAt ?? review?.capturedAt)}
        </div>
      </div>
      <div role="cell" data-col="edge-answer">
        <div class="answer" title=${answer?.answer ?? ''}>
          ${answer?.answer}
        </div>
        ${answer?.safety === true
          ? answer.hazards.map((h) => html`<span class="hazard">${h}</span>`)
          : nothing}
        <div class="sub">${answer?.model}${answer?.skillVersion
          ? ` · skill ${answer.skillVersion}` : ''}</div>
        ${edge?.reused === true ? html`<span class="mark" data-mark="reused"
          title=${edge.reusedFrom === undefined ? 'scene unchanged'
            : `answer of frame ${edge.reusedFrom}`}>
          same scene, answer reused</span>` : nothing}
      </div>
      <div role="cell" data-col="edge-confidence" class="num">
        ${formatConfidence(answer?.confidence)}
      </div>
      <div role="cell" data-col="reasons">${this.renderReasons()}</div>
      ${this.renderTeacher()}
      <div role="cell" data-col="latency" class="num">
        <div title="edge model latency">${formatMs(answer?.latencyMs)}</div>
        ${review === undefined ? nothing : html`
          <div class="sub" title="capture to review">
            review ${formatMs(review.totalLatencyMs)}
          </div>`}
      </div>
    `
  }

  private renderThumbnail () {
    const thumbnail = this.row.edge?.thumbnail
    if (thumbnail === undefined) {
      return html`<div class="no-thumb">no image</div>`
    }
    return html`<img alt=${`frame ${this.row.frameId}`}
      src=${`data:image/jpeg;base64,${thumbnail}`}>`
  }

  private renderReasons () {
    const reasons = reasonsOf(this.row)
    if (reasons.length === 0) return html`<span class="none">—</span>`
    return html`<div class="reasons">${reasons.map((r) => html`
      <div>
        <span class="reason" data-kind=${r.kind}>${r.kind}</span>
        <div class="detail">${r.detail}</div>
      </div>`)}${this.renderOutcome()}</div>`
  }

  /** What the budget did with the escalation, when it did not send it. */
  private renderOutcome () {
    const outcome = this.row.edge?.escalation
    if (outcome !== 'queued' && outcome !== 'dropped') return nothing
    const title = outcome === 'queued'
      ? 'over the escalation budget; waiting for a free slot'
      : 'over the escalation budget and its queue; not sent for review'
    return html`<div><span class="mark" data-escalation=${outcome}
      title=${title}>${outcome} by budget</span></div>`
  }

  private renderTeacher () {
    const review = this.row.review
    if (review === undefined) {
      const escalated = this.row.edge?.escalated === true
      return html`
        <div role="cell" data-col="teacher-answer"
          class=${escalated ? 'pending' : 'none'}>
          ${awaiting(this.row)}
        </div>
        <div role="cell" data-col="teacher-confidence" class="none">—</div>
        <div role="cell" data-col="verdict" class="none">—</div>
      `
    }
    return html`
      <div role="cell" data-col="teacher-answer">
        <div class="answer" title=${review.teacher.answer}>
          ${review.teacher.answer}
        </div>
        <div class="sub">${review.teacher.model}</div>
      </div>
      <div role="cell" data-col="teacher-confidence" class="num">
        ${formatConfidence(review.teacher.confidence)}
      </div>
      <div role="cell" data-col="verdict">
        <span class="verdict" data-verdict=${review.verdict}
          title=${review.verdictDetail ?? ''}>${review.verdict}</span>
      </div>
    `
  }
}

/** The teacher cell before a review: why there is none yet. */
function awaiting (row: FrameRow): string {
  const edge = row.edge
  if (edge?.escalation === 'dropped') return 'not reviewed'
  if (edge?.escalated !== true) return '—'
  return edge.escalation === 'queued' ? 'queued for review…' : 'awaiting review…'
}

declare global {
  interface HTMLElementTagNameMap {
    'frame-row': FrameRowElement
  }
}
