/** The card look shared by the panels above the frame table. */
import { css } from 'lit'

export const panelStyles = css`
  :host {
    display: block;
    padding: 14px 16px;
    border: 1px solid var(--border);
    border-radius: 10px;
    background: var(--surface);
    font-size: 13px;
    line-height: 1.4;
  }
  .top {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 10px;
    min-height: 28px;
  }
  h2 {
    margin: 0;
    color: var(--muted);
    font-size: 11px;
    font-weight: 600;
    letter-spacing: 0.06em;
    text-transform: uppercase;
  }
  .chip {
    display: inline-block;
    padding: 1px 7px;
    border-radius: 999px;
    background: var(--chip);
    font-size: 11px;
    font-weight: 600;
  }
  .muted { color: var(--muted); }
  .num { font-variant-numeric: tabular-nums; }
  code {
    font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  }
  .alert {
    margin: 10px 0 0;
    padding: 8px 10px;
    border-radius: 8px;
    background: var(--bad-bg);
    color: var(--bad);
  }
`
