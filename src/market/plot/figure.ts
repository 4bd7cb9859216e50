/**
 * plot.figure: any Plotly figure (the escape hatch), long lines decimated for storage.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import type { DecimationNote, PlotlyFigure } from '../../shared/schemas';
import { Chart } from '../output';
import { formatTime } from '../series';
import { decimateSeries } from './decimate';
import { describe } from './inputs';
import { DEFAULT_MAX_POINTS, type LiveList } from './common';

export interface FigureOptions {
  title?: string;
  /** Decimate line traces longer than this (default 3000); false keeps every point. */
  maxPoints?: number | false;
}

/**
 * Any Plotly figure (the escape hatch). Typed arrays become arrays, Dates ISO strings, NaN null,
 * and long line traces (numeric y, increasing numeric or date x) are reduced with LTTB.
 * Attributes the output sanitizer does not allow are dropped when it is displayed.
 * @param fig a Plotly figure {data, layout?, config?, frames?}
 * @param o title, maxPoints (default 3000 per line trace; false keeps every point)
 * @returns a Chart of the figure, made JSON-safe
 * @example
 * plot.figure({ data: [{ type: 'bar', y: Float64Array.of(1, NaN, 3) }] }).figure.data[0].y // => [1, null, 3]
 */
export function figure(
  fig: PlotlyFigure | { data: unknown[]; layout?: unknown; config?: unknown; frames?: unknown[] },
  o: FigureOptions = {},
): Chart {
  if (typeof fig !== 'object' || fig === null || !Array.isArray((fig as { data?: unknown }).data))
    throw new TypeError(`plot.figure: expected a Plotly figure {data: [...], layout?}, got ${describe(fig)}`);
  const plain = toPlain(fig) as PlotlyFigure;
  const notes: DecimationNote[] = [];
  const live: LiveList = [];
  const maxPoints = o.maxPoints === false ? Infinity : (o.maxPoints ?? DEFAULT_MAX_POINTS);
  plain.data = plain.data.map((t, i) => decimateTrace(t, i, maxPoints, notes, live));
  const t = o.title ?? undefined;
  if (t && !plain.layout?.title) plain.layout = { ...(plain.layout ?? {}), title: { text: t } };
  return new Chart(plain, { title: t, decimation: notes, live });
}

function toPlain(v: unknown): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'object') return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.toISOString() : null;
  if (ArrayBuffer.isView(v))
    return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
  if (Array.isArray(v)) return v.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = toPlain(x);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

function decimateTrace(
  t: Record<string, unknown>,
  i: number,
  maxPoints: number,
  notes: DecimationNote[],
  live: LiveList,
): Record<string, unknown> {
  const type = (t.type as string | undefined) ?? 'scatter';
  const mode = (t.mode as string | undefined) ?? 'lines';
  if (!(type === 'scatter' || type === 'scattergl') || !mode.includes('lines') || !Array.isArray(t.y)) return t;
  const ys = t.y as unknown[];
  if (ys.length <= maxPoints) return t;
  if (!ys.every((v) => v === null || typeof v === 'number')) return t;
  let xs: number[];
  let kind: 'none' | 'num' | 'date' = 'none';
  if (t.x === undefined) xs = Array.from({ length: ys.length }, (_, k) => k);
  else if (Array.isArray(t.x) && t.x.length === ys.length && t.x.every((v) => typeof v === 'number')) {
    xs = t.x as number[];
    kind = 'num';
  } else if (Array.isArray(t.x) && t.x.length === ys.length && t.x.every((v) => typeof v === 'string')) {
    xs = (t.x as string[]).map((s) => Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) || s.length === 10 ? s : s + 'Z'));
    if (xs.some((v) => !Number.isFinite(v))) return t;
    kind = 'date';
  } else return t;
  for (let k = 1; k < xs.length; k++) if (!(xs[k] >= xs[k - 1])) return t; // not increasing: leave as is
  const y = Float64Array.from(ys, (v) => (v === null ? NaN : (v as number)));
  const d = decimateSeries(xs, y, maxPoints);
  if (!d.decimated) return t;
  notes.push({ trace: i, originalPoints: ys.length, storedPoints: d.x.length, method: 'lttb' });
  live.push({ trace: i, source: { kind: 'series', x: Float64Array.from(xs), y, time: kind === 'date' } });
  const keepX = kind === 'date' ? d.x.map((v) => formatTime(v)) : d.x;
  const out: Record<string, unknown> = { ...t, y: d.y };
  if (kind !== 'none') out.x = keepX;
  else out.x = d.x;
  // per-point arrays (text, customdata, marker colors) no longer line up: drop them
  for (const k of ['text', 'hovertext', 'customdata', 'ids']) if (Array.isArray(out[k])) delete out[k];
  return out;
}
