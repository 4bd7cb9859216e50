/**
 * How result objects show themselves: the table plus a text rendering led by a one-line
 * summary, and the number formats of those summaries. (Beside output.ts, which owns Table and
 * Chart; the result classes in src/market and src/market/inference use these.)
 */
import { DISPLAY, TEXT_MIME, type OutputItem, type TableColumn, type TableValue } from '../shared/schemas';
import { Table } from './output';
import { numOrNull, type AlignmentInfo } from './series';
import { describeAlignment } from './alignment';

/** Outputs of a result object: its table (rich) and a text rendering led by a one-line summary. */
export function resultOutputs(
  summary: string,
  columns: TableColumn[],
  rows: TableValue[][],
  title: string,
  alignment?: AlignmentInfo,
  notes: string[] = [],
): OutputItem[] {
  const footer = [alignment ? describeAlignment(alignment) : '', ...notes].filter(Boolean).join('\n');
  const table = new Table(columns, rows, { title, footer: footer || undefined });
  const items = table[DISPLAY]();
  return [items[0], { mime: TEXT_MIME, data: `${summary}\n\n${table.toText()}` }];
}

export { numOrNull };

/** Formats a number for summaries: 4 significant digits, NaN spelled out. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** Formats a fraction as a signed percentage for summaries (0.0123 → "+1.23%"), NaN spelled out. */
export function pct(v: number, digits = 2): string {
  return Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${(v * 100).toFixed(digits)}%` : String(v);
}
