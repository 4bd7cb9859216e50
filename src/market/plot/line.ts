/**
 * plot.line and plot.rolling: lines of one or several series.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import type { DecimationNote } from '../../shared/schemas';
import { Chart } from '../output';
import { Series } from '../series';
import { isIndexed, toColumns, type Column, type PlotInput, type SeriesLike } from './inputs';
import {
  DEFAULT_MAX_POINTS,
  baseLayout,
  hline,
  lineTrace,
  type CommonOptions,
  type Layout,
  type LiveList,
} from './common';

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
  for (let i = 0; i < c.y.length; i++)
    if (Number.isFinite(c.y[i]) && c.y[i] !== 0) {
      first = c.y[i];
      break;
    }
  const y = new Float64Array(c.y.length);
  for (let i = 0; i < y.length; i++) y[i] = (c.y[i] / first) * base;
  return { ...c, y };
}

/**
 * One line per series: a Series, a Frame (each column), numbers (against positions), an array
 * of those, or a {name: series} record. Long lines are decimated for storage (LTTB, extremes
 * kept; the kernel keeps every point for zooming).
 * @param input what to draw (PlotInput)
 * @param o secondary (names on a right-hand axis), rebase (to 100 or a value at the first finite
 *   point), log, percent, area, hlines, title, axis titles, maxPoints, height
 * @returns a Chart with one line trace per series
 * @example
 * const s = new Series(['2024-01-01', '2024-01-02', '2024-01-03'].map(toTime), [50, 55, 49.5], 'X')
 * plot.line(s, { rebase: true }).figure.data[0].y // => [100, 110, 99]
 * plot.line({ a: s, b: [1, 2, 3] }, { secondary: ['b'] }).figure.data.map((t) => t.yaxis ?? 'y') // => ["y", "y2"]
 */
export function line(input: PlotInput, o: LineOptions = {}): Chart {
  let cols = toColumns(input);
  if (o.rebase) cols = cols.map((c) => rebased(c, o.rebase === true ? 100 : Number(o.rebase)));
  const maxPoints = o.maxPoints ?? DEFAULT_MAX_POINTS;
  const time = cols.some((c) => c.time);
  const sec = new Set(o.secondary ?? []);
  for (const s of sec) {
    if (typeof s === 'string' && !cols.some((c) => c.name === s))
      throw new RangeError(
        `plot.line: secondary "${s}" is not one of the series: ${cols.map((c) => c.name).join(', ')}`,
      );
  }
  const notes: DecimationNote[] = [];
  const live: LiveList = [];
  const data = cols.map((c, i) =>
    lineTrace(
      c,
      i,
      maxPoints,
      notes,
      {
        ...(sec.has(c.name) || sec.has(i) ? { yaxis: 'y2' } : {}),
        ...(o.area ? { fill: 'tozeroy' } : {}),
      },
      live,
    ),
  );
  const layout = baseLayout(
    {
      ...o,
      yTitle:
        o.yTitle ??
        (o.rebase ? `rebased to ${o.rebase === true ? 100 : o.rebase}` : cols.length === 1 ? undefined : undefined),
    },
    time,
  );
  const yaxis = layout.yaxis as Layout;
  if (o.log) yaxis.type = 'log';
  if (o.percent) {
    yaxis.tickformat = '.1~%';
    yaxis.hoverformat = '.2%';
  }
  if (data.some((t) => t.yaxis === 'y2')) {
    // tickmode 'auto': round ticks of its own (Plotly's default for an overlaying axis syncs them
    // to the left axis's grid, which gives ticks like 1492, 2280, 3068)
    layout.yaxis2 = {
      overlaying: 'y',
      side: 'right',
      showgrid: false,
      automargin: true,
      tickmode: 'auto',
      ...(o.y2Title ? { title: { text: o.y2Title } } : {}),
      ...(o.percent ? { tickformat: '.1~%', hoverformat: '.2%' } : {}),
    };
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

/** A rolling statistic kept with its window: `series` is drawn, `window` goes into the title. */
export interface RollingResult {
  series: SeriesLike;
  window?: number;
}

/**
 * A rolling statistic (rolling correlation, beta, volatility …) as a line with a zero line.
 * Accepts a Series (what rollingCorr, rollingBeta and volatility return), several (an array or
 * a {name: Series} record), or a RollingResult {series, window}.
 * The warm-up NaNs (first window-1 points) are not drawn. Volatility series (they carry their
 * annualisation) are drawn as percentages, without the zero line.
 * @param input the statistic: a Series, several, or {series, window}
 * @param o as plot.line, and `zero` (default true, false for volatility)
 * @returns a Chart titled "Rolling <name>" unless `title` is given
 * @example
 * const r = returns(load('data/GLD.csv').close)
 * plot.rolling(rollingCorr(r, returns(load('data/GDX.csv').close), 30)).figure.layout.shapes[0].y0 // => 0
 * plot.rolling(volatility(r, 20, { annualize: 252 })).figure.layout.yaxis.tickformat // => ".1~%"
 */
export function rolling(input: PlotInput | RollingResult, o: RollingOptions = {}): Chart {
  const result = isRollingResult(input) ? input : undefined;
  const s: PlotInput = result ? result.series : (input as PlotInput);
  const window = result?.window;
  const cols = toColumns(s);
  const name = cols.length === 1 ? cols[0].name : 'statistic';
  const t = o.title ?? `Rolling ${name}${window ? ` (${window} points)` : ''}`;
  // volatility(...) series (they carry their annualisation) read as percentages, without a zero line
  const vol = seriesOf(s).length > 0 && seriesOf(s).every((x) => x.meta?.annualize !== undefined);
  const percent = o.percent ?? vol;
  const zero = o.zero ?? !vol;
  return line(s, { ...o, percent, title: t, hlines: [...(zero ? [0] : []), ...(o.hlines ?? [])] });
}

/** {series, window?}: a series in `series` and no other (a {name: Series} record with a key "series" among others is not one). */
function isRollingResult(v: unknown): v is RollingResult {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isIndexed(v)) return false;
  return isIndexed((v as RollingResult).series) && Object.entries(v).every(([k, x]) => k === 'series' || !isIndexed(x));
}

/** The Series among a plot input (one, an array, or a record of them). */
function seriesOf(v: PlotInput): Series[] {
  const list: unknown[] = Array.isArray(v)
    ? v
    : typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype
      ? Object.values(v)
      : [v];
  return list.filter((x): x is Series => x instanceof Series);
}
