/**
 * `<skill-panel>`: the skill in use, from the retained `skills/updated`
 * message. A plain-text skill is a manual one; the edge gives it its
 * version, so none shows here.
 */
import { LitElement, css, html, nothing } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { utf8Bytes, type Skill } from '@gemmaedge/shared'
import type { PublishedSkill } from '@gemmaedge/shared'
import { formatScore } from './format.ts'
import { panelStyles } from './panel-styles.ts'

@customElement('skill-panel')
export class SkillPanel extends LitElement {
  static override styles = [panelStyles, css`
    .version { font-weight: 600; }
    .chip[data-source='upskiller'] {
      background: var(--good-bg);
      color: var(--good);
    }
    dl {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 18px;
      margin: 10px 0 0;
    }
    dl div { display: flex; gap: 6px; }
    dt { color: var(--muted); }
    dd { margin: 0; }
    details { margin-top: 10px; }
    summary {
      color: var(--accent);
      cursor: pointer;
      user-select: none;
    }
    pre {
      max-height: 240px;
      margin: 8px 0 0;
      padding: 10px 12px;
      overflow: auto;
      border-radius: 8px;
      background: var(--hover);
      border: 1px solid var(--border);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .empty { margin: 10px 0 0; }
  `]

  /** The skill published on the bus, null before one arrives. */
  @property({ attribute: false }) skill: PublishedSkill | null = null

  override render () {
    const skill = this.skill
    return html`
      <div class="top">
        <h2>Skill in use</h2>
        ${skill === null ? nothing : this.renderHead(skill)}
      </div>
      ${skill === null
        ? html`<p class="empty muted">No skill on skills/updated yet; the
            edge uses the one it has stored.</p>`
        : html`${this.renderFacts(skill)}${this.renderText(skill)}`}
    `
  }

  private renderHead (skill: PublishedSkill) {
    const source = skill.kind === 'skill' ? skill.skill.source : 'manual'
    return html`
      ${skill.kind === 'skill'
        ? html`<code class="version" data-testid="skill-version">
            ${skill.skill.version}</code>`
        : html`<span class="muted" data-testid="skill-version">
            version assigned by the edge</span>`}
      <span class="chip" data-testid="skill-source"
        data-source=${source}>${source}</span>
    `
  }

  private renderFacts (skill: PublishedSkill) {
    if (skill.kind === 'text') {
      return html`<dl><div><dt>sent as</dt><dd>plain text</dd></div></dl>`
    }
    return html`<dl data-testid="skill-facts">${facts(skill.skill).map(
      ([name, value]) => html`<div data-fact=${name}>
        <dt>${name}</dt><dd class="num">${value}</dd></div>`)}</dl>`
  }

  private renderText (skill: PublishedSkill) {
    const text = skill.kind === 'skill' ? skill.skill.text : skill.text
    const lines = text.split('\n').length
    const bytes = utf8Bytes(text)
    const size = `${lines} ${lines === 1 ? 'line' : 'lines'}, ` +
      (bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} kB`)
    return html`
      <details data-testid="skill-text">
        <summary>Prompt text <span class="muted">(${size})</span></summary>
        <pre>${text}</pre>
      </details>
    `
  }
}

/** The facts of a Skill worth a glance, name and text. */
function facts (skill: Skill): Array<[string, string]> {
  const list: Array<[string, string]> = []
  if (skill.score !== undefined) list.push(['score', formatScore(skill.score)])
  if (skill.parent != null) list.push(['parent', skill.parent])
  list.push(['created', new Date(skill.createdAt).toLocaleString([],
    { hour12: false })])
  return list
}

declare global {
  interface HTMLElementTagNameMap {
    'skill-panel': SkillPanel
  }
}
