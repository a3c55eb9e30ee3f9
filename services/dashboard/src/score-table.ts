/**
 * `<score-table>`: every skill an upskilling run scored, the one in use
 * first, with its mean score on the training and held-out cases.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import type { SkillScore } from '@gemmaedge/shared'
import { formatScore } from './format.ts'

@customElement('score-table')
export class ScoreTable extends LitElement {
  static override styles = css`
    :host { display: block; }
    table {
      width: 100%;
      border-collapse: collapse;
      font-size: 12px;
    }
    th {
      padding: 4px 8px;
      color: var(--muted);
      font-size: 11px;
      font-weight: 600;
      letter-spacing: 0.06em;
      text-align: left;
      text-transform: uppercase;
    }
    td {
      padding: 5px 8px;
      border-top: 1px solid var(--border);
    }
    th:not(:first-child), td:not(:first-child) {
      width: 90px;
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    tr[data-best] td:first-child::after {
      content: 'best';
      margin-left: 8px;
      padding: 0 6px;
      border-radius: 999px;
      background: var(--good-bg);
      color: var(--good);
      font-size: 10px;
      font-weight: 600;
    }
  `

  @property({ attribute: false }) scores: SkillScore[] = []

  override render () {
    const best = bestLabel(this.scores)
    return html`
      <table>
        <thead>
          <tr><th>Skill</th><th>Train</th><th>Held-out</th></tr>
        </thead>
        <tbody>${this.scores.map((s) => html`
          <tr data-label=${s.label} ?data-best=${s.label === best}>
            <td>${s.label === 'current' ? 'current skill' : s.label}</td>
            <td>${formatScore(s.train)}</td>
            <td>${formatScore(s.heldOut)}</td>
          </tr>`)}
        </tbody>
      </table>
    `
  }
}

/** The candidate with the best training score, if one beat the rest. */
function bestLabel (scores: SkillScore[]): string | null {
  let best: SkillScore | null = null
  for (const s of scores) {
    if (s.label === 'current' || s.train === null) continue
    if (best === null || s.train > (best.train ?? 0)) best = s
  }
  return best?.label ?? null
}

declare global {
  interface HTMLElementTagNameMap {
    'score-table': ScoreTable
  }
}
