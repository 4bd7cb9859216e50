/**
 * The chart helpers behind `plot.*`. Each returns a Chart (src/market/output.ts) wrapping a
 * plain Plotly figure. Conventions:
 *  - dates go to Plotly as ISO strings (formatTime), numbers are rounded to 8 significant digits;
 *  - long lines are reduced with LTTB to `maxPoints` per trace (DecimationNote records the
 *    original size), so a saved notebook stays small;
 *  - no colors, fonts or backgrounds: the renderer applies the VS Code theme.
 * No DOM, no Node, no vscode.
 */
import type { DecimationNote, PlotlyFigure } from '../../shared/schemas';
import { Chart, type LiveSeries } from '../output';
import { Series, formatTime } from '../series';
import { drawdown as drawdownOf } from '../drawdown';
import { olsFit } from '../inference/ols';
import { decimateSeries, type DecimatedXY } from './decimate';
import { compact, describe, findSeries, innerJoin, positions, toColumns, xOut, type Column, type PlotInput, type SeriesLike } from './inputs';

/** Points kept per line trace in a stored chart. */
export const DEFAULT_MAX_POINTS = 3000;

type Trace = Record<string, unknown>;
type Layout = Record<string, unknown>;

export interface CommonOptions {
  title?: string;
  /** x axis title */
  xTitle?: string;
  /** y axis title */
  yTitle?: string;
  /** Points kept per trace when storing (default 3000). Infinity keeps all. */
  maxPoints?: number;
  /** Chart height in pixels (default: the renderer's, 420). */
  height?: number;
}

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

function baseLayout(o: CommonOptions, time: boolean): Layout {
  const l: Layout = {
    margin: { t: o.title ? 48 : 24, r: 24, b: 40, l: 56 },
    hovermode: 'x unified',
    legend: { orientation: 'h', y: o.xTitle ? -0.25 : -0.15 },
    xaxis: { ...(time ? { type: 'date' } : {}), ...(o.xTitle ? { title: { text: o.xTitle } } : {}), automargin: true },
    yaxis: { ...(o.yTitle ? { title: { text: o.yTitle } } : {}), automargin: true },
  };
  if (o.title) l.title = { text: o.title, x: 0.01, xanchor: 'left' };
  if (o.height) l.height = o.height;
  return l;
}

function hline(y: number, yref = 'y'): Record<string, unknown> {
  return { type: 'line', xref: 'paper', x0: 0, x1: 1, yref, y0: y, y1: y, line: { width: 1, dash: 'dot' }, layer: 'below' };
}

/** Traces whose full data the kernel keeps for zooming (see Chart's `live`). */
type LiveList = Array<{ trace: number; source: LiveSeries }>;

/**
 * A line trace from a column, decimated; pushes a DecimationNote when points were dropped, and
 * the full column to `live` (the kernel keeps it, so a zoom can show every point).
 */
function lineTrace(c: Column, traceIndex: number, maxPoints: number, notes: DecimationNote[], extra: Trace = {}, live?: LiveList): Trace {
  const d: DecimatedXY = decimateSeries(c.x, c.y, maxPoints);
  if (d.decimated) {
    notes.push({ trace: traceIndex, originalPoints: c.y.length, storedPoints: d.x.length, method: 'lttb' });
    live?.push({ trace: traceIndex, source: { kind: 'series', x: c.x, y: c.y, time: c.time } });
  }
  return {
    type: 'scatter', mode: 'lines', name: c.name,
    x: d.x.map((v) => xOut(v, c.time)),
    y: d.y.map((v) => compact(v)),
    ...extra,
  };
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

export interface ScatterOptions extends CommonOptions {
  /** Fit y = a + b·x by ordinary least squares and draw the line with its equation. */
  fit?: boolean;
  /** Digits in the equation (default 4). */
  digits?: number;
}

export interface LinearFit {
  /** intercept a */
  intercept: number;
  /** slope b */
  slope: number;
  /** coefficient of determination */
  r2: number;
  /** points used (pairs where both are finite) */
  n: number;
  /** 'y = 1.2345·x + 0.0012' */
  equation: string;
}

/**
 * Ordinary least squares y = a + b·x: b = Σ(x-x̄)(y-ȳ) / Σ(x-x̄)², a = ȳ - b·x̄,
 * R² = 1 - Σ(y - a - b·x)² / Σ(y-ȳ)². Pairs with a non-finite member are skipped. Fitted by the
 * library's least-squares core (src/market/inference/ols.ts, as `regress`; two pairs: the line
 * through them); fewer pairs or a constant x give NaN coefficients. statsmodels: `sm.OLS(y, sm.add_constant(x)).fit()`.
 * @param x regressor values
 * @param y values explained, paired with x by position
 * @param digits digits of the coefficients in `equation` (default 4)
 * @returns {slope, intercept, r2, n, equation}
 * @example
 * plot.linearFit([1, 2, 3, 4], [3, 5, 7, 9]).slope // => 2
 */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>, digits = 4): LinearFit {
  const px: number[] = [], py: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) { px.push(x[i]); py.push(y[i]); }
  const n = px.length;
  let slope = NaN, intercept = NaN, r2 = NaN;
  if (n === 2 && px[0] !== px[1]) {
    // exactly determined (the least-squares core wants more rows than coefficients): the line through both
    slope = (py[1] - py[0]) / (px[1] - px[0]);
    intercept = py[0] - slope * px[0];
    r2 = py[0] !== py[1] ? 1 : NaN;
  } else if (n >= 3) {
    const yv = Float64Array.from(py);
    try {
      const fit = olsFit([new Float64Array(n).fill(1), Float64Array.from(px)], yv, ['const', 'x'], 'plot.linearFit');
      intercept = fit.params[0];
      slope = fit.params[1];
      const my = py.reduce((a, b) => a + b, 0) / n;
      let syy = 0;
      for (const v of py) syy += (v - my) * (v - my);
      r2 = syy > 0 ? 1 - fit.ssr / syy : NaN;
    } catch { /* a constant x: no line */ }
  }
  const f = (v: number) => fmtNum(v, digits);
  const equation = `y = ${f(slope)}·x ${intercept < 0 ? '−' : '+'} ${f(Math.abs(intercept))}`;
  return { intercept, slope, r2, n, equation };
}

function fmtNum(v: number, digits: number): string {
  if (!Number.isFinite(v)) return 'NaN';
  const a = Math.abs(v);
  const s = a !== 0 && (a < 10 ** -digits || a >= 1e6) ? v.toExponential(digits - 1) : v.toFixed(digits);
  return s.replace('-', '−');
}

/** y against x as points (aligned on dates when both are Series), optionally with the OLS line. */
export function scatter(y: SeriesLike, x: SeriesLike, o: ScatterOptions = {}): Chart {
  const [cy] = toColumns(y as PlotInput, 'y');
  const [cx] = toColumns(x as PlotInput, 'x');
  const j = innerJoin(cy, cx);
  const px: number[] = [], py: number[] = [], when: (string | number)[] = [];
  for (let i = 0; i < j.x.length; i++) {
    if (Number.isFinite(j.ya[i]) && Number.isFinite(j.yb[i])) { px.push(j.yb[i]); py.push(j.ya[i]); when.push(xOut(j.x[i], cy.time && cx.time)); }
  }
  const big = px.length > 10_000;
  const data: Trace[] = [{
    type: big ? 'scattergl' : 'scatter', mode: 'markers', name: `${cy.name} vs ${cx.name}`,
    x: px.map(compact), y: py.map(compact), text: when, marker: { size: 5, opacity: 0.6 },
    hovertemplate: `${cx.name} %{x}<br>${cy.name} %{y}<br>%{text}<extra></extra>`,
  }];
  const layout = baseLayout({ ...o, title: o.title ?? `${cy.name} vs ${cx.name}`, xTitle: o.xTitle ?? cx.name, yTitle: o.yTitle ?? cy.name }, false);
  layout.hovermode = 'closest';
  layout.showlegend = false; // the equation is written on the chart
  let fit: LinearFit | undefined;
  if (o.fit) {
    fit = linearFit(px, py, o.digits ?? 4);
    let lo = Infinity, hi = -Infinity;
    for (const v of px) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const label = `${fit.equation}   R² = ${fit.r2.toFixed(3)}, n = ${fit.n}`;
    data.push({ type: 'scatter', mode: 'lines', name: `fit: ${fit.equation}`, x: [compact(lo), compact(hi)], y: [compact(fit.intercept + fit.slope * lo), compact(fit.intercept + fit.slope * hi)], hoverinfo: 'skip' });
    layout.annotations = [{ xref: 'paper', yref: 'paper', x: 0.01, y: 0.99, xanchor: 'left', yanchor: 'top', showarrow: false, text: label, font: { size: 13 } }];
  }
  const chart = new Chart({ data, layout }, { title: (layout.title as any)?.text });
  if (fit) (chart as Chart & { fit?: LinearFit }).fit = fit;
  return chart as Chart & { fit?: LinearFit };
}

export interface HeatmapOptions extends CommonOptions {
  /** Digits written in each cell (default 2). */
  digits?: number;
  /** Color range; default [-1, 1] when every value is within it (correlations), else the data range. */
  zmin?: number;
  zmax?: number;
}

/** A matrix: {names, values} (a correlation matrix result, or any square/rect matrix with labels). */
export type MatrixInput =
  | { names?: string[]; labels?: string[]; columns?: string[]; rows?: string[]; values?: unknown; matrix?: unknown; data?: unknown; /** CorrMatrix */ r?: unknown; method?: string };

function matrixOf(m: MatrixInput): { cols: string[]; rows: string[]; z: (number | null)[][] } {
  const raw = (m.values ?? m.matrix ?? m.data ?? m.r) as unknown;
  const colNames = m.names ?? m.labels ?? m.columns;
  let z: (number | null)[][];
  if (Array.isArray(raw) && raw.every((r) => Array.isArray(r) || ArrayBuffer.isView(r))) {
    z = (raw as ArrayLike<number>[]).map((r) => Array.from(r, (v) => compact(v)));
  } else if (ArrayBuffer.isView(raw) && colNames) {
    const flat = raw as unknown as ArrayLike<number>;
    const k = colNames.length, rowsN = flat.length / k;
    z = Array.from({ length: rowsN }, (_, i) => Array.from({ length: k }, (_, c) => compact(flat[i * k + c])));
  } else {
    throw new TypeError(`plot.heatmap: expected {names, values: number[][]} (e.g. a correlation matrix), got ${describe(m)}`);
  }
  const cols = colNames ?? z[0]?.map((_, i) => String(i + 1)) ?? [];
  const rows = m.rows ?? (z.length === cols.length ? cols : z.map((_, i) => String(i + 1)));
  if (z.some((r) => r.length !== cols.length)) throw new RangeError(`plot.heatmap: every row must have ${cols.length} values (one per name)`);
  return { cols, rows, z };
}

/** A labelled matrix with the values written in the cells (correlations: fixed −1..1 diverging scale). */
export function heatmap(m: MatrixInput, o: HeatmapOptions = {}): Chart {
  const { cols, rows, z } = matrixOf(m);
  const digits = o.digits ?? 2;
  let lo = Infinity, hi = -Infinity;
  for (const r of z) for (const v of r) if (v !== null) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const corrLike = lo >= -1 && hi <= 1;
  const text = z.map((r) => r.map((v) => (v === null ? '' : fmtNum(v, digits))));
  const data: Trace[] = [{
    type: 'heatmap', x: cols, y: rows, z, text, texttemplate: '%{text}', hovertemplate: '%{y} / %{x}: %{text}<extra></extra>',
    colorscale: 'RdBu', reversescale: true, zmin: o.zmin ?? (corrLike ? -1 : lo), zmax: o.zmax ?? (corrLike ? 1 : hi),
    ...(corrLike ? { zmid: 0 } : {}), xgap: 1, ygap: 1,
  }];
  const method = typeof m.method === 'string' ? m.method[0].toUpperCase() + m.method.slice(1) + ' correlation' : 'Correlation';
  const layout = baseLayout({ ...o, title: o.title ?? (corrLike ? method : undefined) }, false);
  layout.hovermode = 'closest';
  (layout.yaxis as Layout).autorange = 'reversed';
  (layout.xaxis as Layout).type = 'category';
  (layout.yaxis as Layout).type = 'category';
  if (!o.height) layout.height = Math.max(280, Math.min(720, 80 + 36 * rows.length));
  return new Chart({ data, layout }, { title: (layout.title as any)?.text });
}

export interface DrawdownOptions extends CommonOptions {
  /** The input already is a drawdown series (values ≤ 0), not prices. Detected for results with a `drawdown` field. */
  isDrawdown?: boolean;
}

/**
 * Underwater chart: drawdown = price / running maximum − 1, filled down from zero, with the
 * deepest point marked. Accepts prices (or an equity curve) or a drawdown result
 * (an object with a `drawdown`/`underwater` series).
 */
export function drawdown(input: SeriesLike | Record<string, unknown>, o: DrawdownOptions = {}): Chart {
  let fromResult = findSeries(input, ['drawdown', 'underwater']);
  // a Drawdown result ({series, max}) holds the drawdown itself in `series`: values in [-1, 0]
  if (!fromResult || fromResult === input) {
    const inner = findSeries(input, ['series']);
    fromResult = inner && inner !== input && isUnderwater(inner.values) ? inner : undefined;
  }
  const src = fromResult ?? findSeries(input);
  let col: Column;
  if (src) col = toColumns(src as PlotInput)[0];
  else if (Array.isArray(input) || ArrayBuffer.isView(input)) col = toColumns(input as PlotInput)[0];
  else throw new TypeError(`plot.drawdown: expected prices (a Series) or a drawdown result, got ${describe(input)}`);
  const already = o.isDrawdown ?? (fromResult !== undefined && fromResult !== input);
  const resultName = typeof (input as any)?.name === 'string' && !findSeries(input as any, []) ? (input as any).name as string : undefined;
  if (resultName && fromResult) col = { ...col, name: resultName };
  // prices: the library's drawdown (x / running max − 1), not a second implementation of it
  const dd: Float64Array = already ? Float64Array.from(col.y) : drawdownOf(new Series(Float64Array.from(col.x), Float64Array.from(col.y), col.name)).series.values;
  let iMin = -1;
  for (let i = 0; i < dd.length; i++) if (Number.isFinite(dd[i]) && (iMin < 0 || dd[i] < dd[iMin])) iMin = i;
  const notes: DecimationNote[] = [];
  const live: LiveList = [];
  const name = col.name;
  const trace = lineTrace({ ...col, y: dd, name: `${name} drawdown` }, 0, o.maxPoints ?? DEFAULT_MAX_POINTS, notes, { fill: 'tozeroy', hovertemplate: '%{x}: %{y:.2%}<extra></extra>' }, live);
  const layout = baseLayout({ ...o, title: o.title ?? `Drawdown of ${name}`, yTitle: o.yTitle ?? 'drawdown' }, col.time);
  (layout.yaxis as Layout).tickformat = '.0%';
  (layout.yaxis as Layout).rangemode = 'nonpositive';
  layout.showlegend = false;
  if (iMin >= 0 && dd[iMin] < 0) {
    const when = col.time ? formatTime(col.x[iMin]) : col.x[iMin];
    // label on the side with more room, so it does not widen the x range
    const right = iMin < dd.length * 0.6;
    layout.annotations = [{ x: xOut(col.x[iMin], col.time), y: compact(dd[iMin]), text: `max drawdown ${(dd[iMin] * 100).toFixed(1)}% (${when})`, showarrow: true, arrowhead: 2, ax: right ? 50 : -50, ay: -24, xanchor: right ? 'left' : 'right' }];
  }
  return new Chart({ data: [trace], layout }, { title: (layout.title as any)?.text, decimation: notes, live });
}

function isUnderwater(v: ArrayLike<number>): boolean {
  let finite = 0;
  for (let i = 0; i < v.length; i++) { const x = v[i]; if (Number.isFinite(x)) { if (x > 1e-12 || x < -1 - 1e-12) return false; finite++; } }
  return finite > 0;
}

export interface EventOptions extends CommonOptions {
  /** Draw each event's own path thinly behind the mean (default true up to 50 events). */
  paths?: boolean;
  /** Unit label of the offsets (default 'days'). */
  unit?: string;
}

const pick = (o: any, names: string[]) => { for (const n of names) if (o?.[n] !== undefined) return o[n]; return undefined; };
const arr = (v: unknown): ArrayLike<number> | undefined => (Array.isArray(v) || ArrayBuffer.isView(v) ? (v as ArrayLike<number>) : (v as any)?.values && isNumArr((v as any).values) ? (v as any).values : undefined);
const isNumArr = (v: unknown) => Array.isArray(v) || ArrayBuffer.isView(v);

/** One event's path: offsets and values (an eventWindow result, or {offsets, values|cumulative}). */
interface EventPath { label: string; offsets?: ArrayLike<number>; values: ArrayLike<number>; dates?: string[] }

function eventPath(p: any, i: number): EventPath | undefined {
  const values = arr(Array.isArray(p) || ArrayBuffer.isView(p) ? p : pick(p, ['cumulative', 'values', 'path', 'returns', 'series']));
  if (!values) return undefined;
  const lab = pick(p, ['label', 'eventDate', 'date', 'name', 'time', 'at']);
  return {
    label: typeof lab === 'number' ? formatTime(lab) : lab !== undefined ? String(lab) : `event ${i + 1}`,
    offsets: arr(pick(p, ['offsets', 'days'])), values,
    dates: Array.isArray(p?.dates) ? p.dates.map(String) : undefined,
  };
}

/**
 * An event study around offset 0 (the event). Accepts:
 *  - an eventWindow result (offsets, dates, cumulative = value / value at day −1 − 1): its path;
 *  - several of them (an array): each path thinly, and their mean aligned on offsets;
 *  - an aggregate {offsets, mean, median?, lower/upper or std?, events|paths: [...]}.
 * Values are drawn as percentages when they are cumulative returns.
 */
export function event(result: Record<string, unknown> | Array<Record<string, unknown>>, o: EventOptions = {}): Chart {
  const many = Array.isArray(result);
  const agg: any = many ? {} : result;
  const paths: EventPath[] = [];
  const rawPaths = many ? result : (pick(agg, ['events', 'paths', 'windows']) as unknown[] | undefined);
  if (Array.isArray(rawPaths)) rawPaths.forEach((p, i) => { const e = eventPath(p, i); if (e) paths.push(e); });
  let offsets = arr(pick(agg, ['offsets', 'days', 'x', 'offset', 'relative']));
  let mean = arr(pick(agg, ['mean', 'average', 'avg', 'car']));
  let single: EventPath | undefined;
  if (!many && !mean && paths.length === 0 && arr(pick(agg, ['cumulative', 'values']))) {
    single = eventPath(agg, 0);  // one eventWindow result: its own path is the line
  }
  if (!offsets && paths.length && paths.every((p) => p.offsets)) {
    const all = new Set<number>();
    for (const p of paths) for (let k = 0; k < p.offsets!.length; k++) all.add(p.offsets![k]);
    offsets = Array.from(all).sort((a, b) => a - b);
  }
  const len = offsets?.length ?? mean?.length ?? single?.values.length ?? paths[0]?.values.length;
  if (!len) throw new TypeError(`plot.event: expected an eventWindow result, several, or {offsets, mean, events}, got ${describe(result)}`);
  const xs = Array.from(offsets ?? single?.offsets ?? positions(len));
  /** a path's value at each offset of xs */
  const onXs = (p: EventPath): number[] => {
    if (!p.offsets) return xs.map((_, k) => p.values[k] ?? NaN);
    const at = new Map<number, number>();
    for (let k = 0; k < p.offsets.length; k++) at.set(p.offsets[k], p.values[k]);
    return xs.map((x) => at.get(x) ?? NaN);
  };
  const data: Trace[] = [];
  const showPaths = o.paths ?? paths.length <= 50;
  if (showPaths) for (const p of paths) {
    data.push({ type: 'scatter', mode: 'lines', name: p.label, x: xs, y: onXs(p).map(compact), line: { width: 1 }, opacity: 0.45, showlegend: paths.length <= 8, hovertemplate: `${p.label}, day %{x}: %{y}<extra></extra>` });
  }
  if (!mean && paths.length > 1) {
    const rows = paths.map(onXs);
    mean = xs.map((_, k) => { let sum = 0, n = 0; for (const r of rows) if (Number.isFinite(r[k])) { sum += r[k]; n++; } return n ? sum / n : NaN; });
  }
  const lower = arr(pick(agg, ['lower', 'lo', 'p5', 'q05']));
  const upper = arr(pick(agg, ['upper', 'hi', 'p95', 'q95']));
  const std = arr(pick(agg, ['std', 'stdev', 'sd']));
  const lo = lower ?? (std && mean ? xs.map((_, k) => mean![k] - std[k]) : undefined);
  const hi = upper ?? (std && mean ? xs.map((_, k) => mean![k] + std[k]) : undefined);
  if (lo && hi) {
    data.push({ type: 'scatter', mode: 'lines', name: lower ? 'lower' : 'mean − 1 sd', x: xs, y: Array.from(lo, compact), line: { width: 0 }, showlegend: false, hoverinfo: 'skip' });
    data.push({ type: 'scatter', mode: 'lines', name: lower ? 'band' : 'mean ± 1 sd', x: xs, y: Array.from(hi, compact), line: { width: 0 }, fill: 'tonexty', opacity: 0.3, hoverinfo: 'skip' });
  }
  const count = paths.length || Number(pick(agg, ['count', 'n'])) || 0;
  if (mean) data.push({ type: 'scatter', mode: 'lines+markers', name: count ? `mean of ${count} events` : 'mean', x: xs, y: Array.from(mean, compact), line: { width: 3 } });
  if (single) data.push({ type: 'scatter', mode: 'lines+markers', name: single.label, x: xs, y: onXs(single).map(compact), line: { width: 2.5 }, ...(single.dates ? { text: single.dates, hovertemplate: 'day %{x} (%{text}): %{y:.2%}<extra></extra>' } : {}) });
  const unit = o.unit ?? 'days';
  const name = typeof agg.name === 'string' ? agg.name : undefined;
  const defaultTitle = single ? `${name ?? 'Event'} around ${single.label}` : name ? `${name}: event window` : 'Event window';
  const layout = baseLayout({ ...o, title: o.title ?? defaultTitle, xTitle: o.xTitle ?? `${unit} from event`, yTitle: o.yTitle ?? (single || many || pick(agg, ['cumulative']) ? 'since day −1' : undefined) }, false);
  if (single || many) (layout.yaxis as Layout).tickformat = '.1%';
  layout.shapes = [{ type: 'line', xref: 'x', yref: 'paper', x0: 0, x1: 0, y0: 0, y1: 1, line: { width: 1, dash: 'dot' } }, hline(0)];
  layout.hovermode = 'closest';
  return new Chart({ data, layout }, { title: (layout.title as any)?.text });
}

export interface BarOptions extends CommonOptions {
  horizontal?: boolean;
  percent?: boolean;
  /** Sort bars by value, descending. */
  sort?: boolean;
}

/** Bars from {name: value}, {names, values}, [{name, value}] or a Series (dates on x). */
export function bar(input: Record<string, number> | { names: string[]; values: ArrayLike<number> } | Array<{ name: string; value: number }> | SeriesLike, o: BarOptions = {}): Chart {
  let labels: (string | number)[], values: number[];
  const s = findSeries(input);
  let time = false;
  if (s) {
    const [c] = toColumns(s as PlotInput);
    time = c.time;
    labels = Array.from(c.x, (v) => xOut(v, c.time)); values = Array.from(c.y);
  } else if (Array.isArray(input) && input.every((r) => typeof r === 'object' && r !== null && 'value' in r)) {
    labels = (input as any[]).map((r) => String(r.name ?? r.label)); values = (input as any[]).map((r) => Number(r.value));
  } else if (Array.isArray(input) || ArrayBuffer.isView(input)) {
    values = Array.from(input as ArrayLike<number>); labels = values.map((_, i) => i);
  } else if (typeof input === 'object' && input !== null && Array.isArray((input as any).names)) {
    labels = (input as any).names; values = Array.from((input as any).values as ArrayLike<number>);
  } else if (typeof input === 'object' && input !== null && Object.values(input).every((v) => typeof v === 'number')) {
    labels = Object.keys(input); values = Object.values(input as Record<string, number>);
  } else throw new TypeError(`plot.bar: expected {name: value}, {names, values} or a Series, got ${describe(input)}`);
  if (o.sort) {
    const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
    labels = order.map((i) => labels[i]); values = order.map((i) => values[i]);
  }
  const v = values.map(compact);
  const tr: Trace = o.horizontal ? { type: 'bar', orientation: 'h', y: labels, x: v } : { type: 'bar', x: labels, y: v };
  if (labels.length <= 40) { tr.text = values.map((x) => (Number.isFinite(x) ? (o.percent ? `${(x * 100).toFixed(1)}%` : fmtNum(x, Math.abs(x) >= 100 ? 0 : 3)) : '')); tr.textposition = 'auto'; }
  const layout = baseLayout(o, time);
  layout.hovermode = 'closest';
  layout.showlegend = false;
  const valueAxis = (o.horizontal ? layout.xaxis : layout.yaxis) as Layout;
  if (o.percent) valueAxis.tickformat = '.0%';
  if (o.horizontal) (layout.yaxis as Layout).autorange = 'reversed';
  return new Chart({ data: [tr], layout }, { title: o.title });
}

export interface FigureOptions {
  title?: string;
  /** Decimate line traces longer than this (default 3000); false keeps every point. */
  maxPoints?: number | false;
}

/**
 * Any Plotly figure (the escape hatch). Typed arrays become arrays, Dates ISO strings, NaN null,
 * and long line traces (numeric y, increasing numeric or date x) are reduced with LTTB.
 */
export function figure(fig: PlotlyFigure | { data: unknown[]; layout?: unknown; config?: unknown; frames?: unknown[] }, o: FigureOptions = {}): Chart {
  if (typeof fig !== 'object' || fig === null || !Array.isArray((fig as any).data)) throw new TypeError(`plot.figure: expected a Plotly figure {data: [...], layout?}, got ${describe(fig)}`);
  const plain = toPlain(fig) as PlotlyFigure;
  const notes: DecimationNote[] = [];
  const live: LiveList = [];
  const maxPoints = o.maxPoints === false ? Infinity : o.maxPoints ?? DEFAULT_MAX_POINTS;
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
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
  if (Array.isArray(v)) return v.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) { const p = toPlain(x); if (p !== undefined) out[k] = p; }
  return out;
}

function decimateTrace(t: Record<string, unknown>, i: number, maxPoints: number, notes: DecimationNote[], live: LiveList): Record<string, unknown> {
  const type = (t.type as string | undefined) ?? 'scatter';
  const mode = (t.mode as string | undefined) ?? 'lines';
  if (!(type === 'scatter' || type === 'scattergl') || !mode.includes('lines') || !Array.isArray(t.y)) return t;
  const ys = t.y as unknown[];
  if (ys.length <= maxPoints) return t;
  if (!ys.every((v) => v === null || typeof v === 'number')) return t;
  let xs: number[]; let kind: 'none' | 'num' | 'date' = 'none';
  if (t.x === undefined) xs = Array.from({ length: ys.length }, (_, k) => k);
  else if (Array.isArray(t.x) && t.x.length === ys.length && t.x.every((v) => typeof v === 'number')) { xs = t.x as number[]; kind = 'num'; }
  else if (Array.isArray(t.x) && t.x.length === ys.length && t.x.every((v) => typeof v === 'string')) {
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
  if (kind !== 'none') out.x = keepX; else out.x = d.x;
  // per-point arrays (text, customdata, marker colors) no longer line up: drop them
  for (const k of ['text', 'hovertext', 'customdata', 'ids']) if (Array.isArray(out[k])) delete out[k];
  return out;
}
