import { formatNumber } from '../i18n.ts';

export interface BarRow {
  label: string;
  value: number;
  /** How the value reads (e.g. "1 234 голоси" or a sum of money); the number otherwise. */
  display?: string;
  /** A winner, the person's own choice: drawn in the accent colour and named in `highlightLabel`. */
  highlight?: boolean;
}

/**
 * A bar chart that is also the accessible table of its numbers: one table, a row per bar, the bar
 * drawn beside the figure (hidden from screen readers, who read the figure). Widths are set through
 * the CSSOM (Preact's style object), which the CSP allows, never a style attribute.
 */
export function BarChart({ caption, rows, valueHeader, labelHeader, highlightLabel }: {
  caption: string;
  rows: BarRow[];
  labelHeader: string;
  valueHeader: string;
  /** Read after a highlighted row's label, e.g. "переможець". */
  highlightLabel?: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <table class="bar-chart">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{labelHeader}</th>
          <th scope="col">{valueHeader}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i} class={row.highlight ? 'highlight' : undefined}>
            <th scope="row">
              {row.label}
              {row.highlight && highlightLabel ? <span class="tag"> {highlightLabel}</span> : null}
            </th>
            <td>
              <span class="bar-value">{row.display ?? formatNumber(row.value)}</span>
              <span class="bar" aria-hidden="true"><span style={{ width: `${(100 * Math.max(0, row.value)) / max}%` }} /></span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
