/**
 * plot.line and plot.rolling: lines of one or several series.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import type { DecimationNote } from '../../shared/schemas';
import { Chart } from '../output';
import { findSeries, toColumns, type Column, type PlotInput } from './inputs';
import { DEFAULT_MAX_POINTS, baseLayout, hline, lineTrace, type CommonOptions, type Layout, type LiveList } from './common';

export interface LineOptions extends CommonOptions {
  /** Names (or positions) of the series drawn against a second y axis on the right. */
  secondary?: Array<string | number>;
  /** Title of the second y axis. */
  y2Title?: string;
  /** Rebase every series to this value (true = 100) at its first finite point, to compare growth. */
  rebase?: boolean | number;
  /** Logarithmic y axis. */
  log?: boolean;
  /** Show y values as percentages (0.05 → 5%). */
  percent?: boolean;
  /** Fill under the line(s) to zero. */
  area?: boolean;
  /** Horizontal reference lines (e.g. [0]). */
  hlines?: number[];
}

function rebased(c: Column, base: number): Column {
  let first = NaN;
  for (let i = 0; i < c.y.length; i++) if (Number.isFinite(c.y[i]) && c.y[i] !== 0) { first = c.y[i]; break; }
  const y = new Float64Array(c.y.length);
  for (let i = 0; i < y.length; i++) y[i] = (c.y[i] / first) * base;
  return { ...c, y };
}

/** Several series as lines; `secondary` puts some on a right-hand axis. */
export function line(input: PlotInput, o: LineOptions = {}): Chart {
  let cols = toColumns(input);
  if (o.rebase) cols = cols.map((c) => rebased(c, o.rebase === true ? 100 : Number(o.rebase)));
  const maxPoints = o.maxPoints ?? DEFAULT_MAX_POINTS;
  const time = cols.some((c) => c.time);
  const sec = new Set(o.secondary ?? []);
  for (const s of sec) {
    if (typeof s === 'string' && !cols.some((c) => c.name === s)) throw new RangeError(`plot.line: secondary "${s}" is not one of the series: ${cols.map((c) => c.name).join(', ')}`);
  }
  const notes: DecimationNote[] = [];
  const live: LiveList = [];
  const data = cols.map((c, i) => lineTrace(c, i, maxPoints, notes, {
    ...(sec.has(c.name) || sec.has(i) ? { yaxis: 'y2' } : {}),
    ...(o.area ? { fill: 'tozeroy' } : {}),
  }, live));
  const layout = baseLayout({ ...o, yTitle: o.yTitle ?? (o.rebase ? `rebased to ${o.rebase === true ? 100 : o.rebase}` : cols.length === 1 ? undefined : undefined) }, time);
  const yaxis = layout.yaxis as Layout;
  if (o.log) yaxis.type = 'log';
  if (o.percent) { yaxis.tickformat = '.1~%'; yaxis.hoverformat = '.2%'; }
  if (data.some((t) => t.yaxis === 'y2')) {
    // tickmode 'auto': round ticks of its own (Plotly's default for an overlaying axis syncs them
    // to the left axis's grid, which gives ticks like 1492, 2280, 3068)
    layout.yaxis2 = { overlaying: 'y', side: 'right', showgrid: false, automargin: true, tickmode: 'auto', ...(o.y2Title ? { title: { text: o.y2Title } } : {}), ...(o.percent ? { tickformat: '.1~%', hoverformat: '.2%' } : {}) };
    (layout.margin as Layout).r = 56;
  }
  if (cols.length === 1 && !o.yTitle && !o.rebase) yaxis.title = { text: cols[0].name };
  if (o.hlines?.length) layout.shapes = o.hlines.map((y) => hline(y));
  return new Chart({ data, layout }, { title: o.title, decimation: notes, live });
}

export interface RollingOptions extends LineOptions {
  /** Draw a zero line (default true). */
  zero?: boolean;
}

/**
 * A rolling statistic (rolling correlation, beta, volatility …) as a line with a zero line.
 * Accepts a Series, several, or a result object holding its series in a `series`/`values` field.
 * The warm-up NaNs (first window-1 points) are not drawn.
 */
export function rolling(input: PlotInput | Record<string, unknown>, o: RollingOptions = {}): Chart {
  const s = Array.isArray(input) || isPlainRecordOfSeries(input) ? input : (findSeries(input) ?? input);
  const window = typeof (input as any)?.window === 'number' ? (input as any).window : undefined;
  const cols = toColumns(s as PlotInput);
  const name = cols.length === 1 ? cols[0].name : 'statistic';
  const t = o.title ?? `Rolling ${name}${window ? ` (${window} points)` : ''}`;
  // volatility(...) series (they carry their annualisation) read as percentages, without a zero line
  const vol = seriesOf(s).length > 0 && seriesOf(s).every((x) => x.meta?.annualize !== undefined);
  const percent = o.percent ?? vol;
  const zero = o.zero ?? !vol;
  return line(s as PlotInput, { ...o, percent, title: t, hlines: [...(zero ? [0] : []), ...(o.hlines ?? [])] });
}

/** The Series objects among a plot input (one, an array, or a record of them). */
function seriesOf(v: unknown): Array<{ meta?: Record<string, unknown> }> {
  const list = Array.isArray(v) ? v : typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype ? Object.values(v) : [v];
  return list.filter((x) => typeof x === 'object' && x !== null && typeof (x as any).meta === 'object' && (x as any).index !== undefined) as Array<{ meta?: Record<string, unknown> }>;
}

function isPlainRecordOfSeries(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype && findSeries(v) === undefined
    && Object.values(v).some((x) => findSeries(x) !== undefined);
}
