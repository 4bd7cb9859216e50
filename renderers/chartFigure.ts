/**
 * What the chart renderer hands Plotly, built from a view's state without touching it: the
 * traces (big ones decimated for the x range shown, decimate.ts), the layout (the figure's own
 * settings over the theme template, dates-only zoom on time-series panes, hover formats, the
 * narrow layout), the config (modebar, the box-zoom toggle), the note on points reduced for
 * storage, and the y ranges that fit what a zoom of the dates shows.
 */
import type { ChartOutput } from '../src/shared/schemas';
import { plotlyTemplate, type Theme } from './theme';
import { axisRef, fitTitle, mergeDeep, toNumber } from './chartLayout';
import { minMaxColumns, pointsFor, type BigTrace } from './decimate';

export const DEFAULT_HEIGHT = 420;

/**
 * A cartesian axis as Plotly resolved it on a drawn plot (`gd._fullLayout.xaxis2` …), with its
 * converters of range and data values to linear numbers (epoch ms for dates). Plotly's d.ts keeps
 * the resolved layout internal and does not type the converters, so this names what is read.
 */
export interface ResolvedAxis {
  autorange?: unknown;
  range?: unknown[];
  type?: unknown;
  r2l(v: unknown): number;
  d2l(v: unknown): number;
}

/** A trace as Plotly resolved it (`gd._fullData[i]`): the fields fittedY reads. */
interface ResolvedTrace {
  visible?: unknown;
  type?: unknown;
  fill?: unknown;
  xaxis?: string;
  yaxis?: string;
  x?: ArrayLike<unknown>;
  y?: ArrayLike<unknown>;
}

/** Plotly's resolved state on the element of a drawn plot (`_fullLayout`: axis id -> axis). */
export interface DrawnPlot {
  _fullLayout?: Record<string, ResolvedAxis | undefined>;
  _fullData?: ResolvedTrace[];
}

/** The resolved state Plotly keeps on a plot element it drew into (nothing before it drew). */
export function drawnPlot(plotEl: HTMLElement): DrawnPlot {
  return plotEl as DrawnPlot;
}

/** The traces to draw: each big trace as min and max per pixel column over its whole x range. */
export function decimatedData(
  data: Record<string, unknown>[],
  big: BigTrace[],
  columns: number,
): Record<string, unknown>[] {
  const out = data.slice();
  for (const b of big) {
    const pts = pointsFor(b, minMaxColumns(b, columns));
    // a few thousand points draw fast in SVG; keeping WebGL would only use up contexts
    const type = out[b.trace].type === 'scattergl' ? 'scatter' : out[b.trace].type;
    out[b.trace] = { ...out[b.trace], type, x: pts.x, y: pts.y };
  }
  return out;
}

/**
 * The x range the plot shows, low to high, read from Plotly's resolved axis (so events arriving
 * in any order end with the right range); the whole axis (-Infinity, Infinity) when autoranged.
 */
export function xRangeShown(plotEl: HTMLElement, isDate: boolean): [number, number] {
  const ax = drawnPlot(plotEl)._fullLayout?.xaxis;
  let a = -Infinity,
    z = Infinity;
  if (ax && ax.autorange !== true && Array.isArray(ax.range)) {
    const conv = typeof ax.r2l === 'function' ? (v: unknown) => ax.r2l(v) : (v: unknown) => toNumber(v, isDate);
    a = Number(conv(ax.range[0]));
    z = Number(conv(ax.range[1]));
    if (!Number.isFinite(a) || !Number.isFinite(z)) {
      a = -Infinity;
      z = Infinity;
    }
  }
  return [Math.min(a, z), Math.max(a, z)];
}

/** The big traces' points for x in [lo, hi] (min and max per column), as Plotly.restyle takes them. */
export function decimatedXY(
  big: BigTrace[],
  columns: number,
  lo: number,
  hi: number,
): { xs: unknown[][]; ys: (number | null)[][]; traces: number[] } {
  const xs: unknown[][] = [],
    ys: (number | null)[][] = [],
    traces: number[] = [];
  for (const b of big) {
    const pts = pointsFor(b, minMaxColumns(b, columns, lo, hi));
    xs.push(pts.x);
    ys.push(pts.y);
    traces.push(b.trace);
  }
  return { xs, ys, traces };
}

/** The view state a layout depends on. */
export interface LayoutInput {
  /** the figure's own layout (sanitized) */
  layout: Record<string, unknown>;
  theme: Theme;
  narrow: boolean;
  width: number;
  /** time-series panes: y axis id -> its x axis id */
  timeY: Map<string, string>;
  /** y axis id -> d3 hover format, for axes that set none */
  hover: Record<string, string>;
  boxZoom: boolean;
}

/** Layout = figure layout + theme template (the figure's own settings win). */
export function fullLayout(s: LayoutInput): Record<string, unknown> {
  const tpl = plotlyTemplate(s.theme, s.narrow);
  const userTpl = s.layout.template;
  const template =
    typeof userTpl === 'object' && userTpl !== null ? mergeDeep(tpl, userTpl as Record<string, unknown>) : tpl;
  const l: Record<string, unknown> = { ...s.layout, template, autosize: true };
  delete l.width;
  l.height = Number(s.layout.height) || DEFAULT_HEIGHT;
  // time series: a drag zooms the dates only and the y axis follows what is visible
  for (const y of s.timeY.keys()) l[y] = { ...((l[y] as object) ?? {}), fixedrange: !s.boxZoom };
  for (const [y, f] of Object.entries(s.hover)) l[y] = { ...((l[y] as object) ?? {}), hoverformat: f };
  if (s.timeY.size && l.dragmode === undefined) l.dragmode = 'zoom';
  fitTitle(l, s.width);
  if (s.narrow) {
    const m = (s.layout.margin ?? {}) as Record<string, unknown>;
    l.margin = { ...m, l: Math.min(Number(m.l ?? 48), 44), r: Math.min(Number(m.r ?? 16), 16) };
    if (s.layout.showlegend !== false)
      l.legend = { ...((s.layout.legend as object) ?? {}), orientation: 'h', y: -0.25, x: 0 };
  }
  return l;
}

/**
 * Plotly's config: the figure's own (sanitized) over the renderer's defaults, never a link out;
 * time-series charts get the modebar button that toggles box zoom.
 */
export function fullConfig(
  config: Record<string, unknown>,
  timeSeries: boolean,
  boxZoom: boolean,
  icons: Record<string, unknown> | undefined,
  toggle: () => void,
): Record<string, unknown> {
  const add = timeSeries
    ? [
        {
          name: boxZoom ? 'Zoom dates only (y follows the data)' : 'Box zoom (dates and values)',
          title: boxZoom ? 'Zoom dates only (y follows the data)' : 'Box zoom (dates and values)',
          icon: boxZoom ? (icons?.zoom_plus ?? icons?.zoombox) : icons?.zoombox,
          click: toggle,
        },
      ]
    : [];
  return {
    displaylogo: false,
    displayModeBar: 'hover',
    responsive: false,
    typesetMath: false,
    modeBarButtonsToRemove: ['toImage', 'sendDataToCloud', 'editInChartStudio'],
    ...(add.length ? { modeBarButtonsToAdd: add } : {}),
    ...config,
    showLink: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
  };
}

/** One line per trace reduced for storage: "name: 5,000 of 1,000,000 points stored (METHOD)". */
export function storedPointsNotes(output: ChartOutput, data: Record<string, unknown>[]): string[] {
  const notes: string[] = [];
  for (const d of output.decimation ?? []) {
    const name = data[d.trace]?.name;
    notes.push(
      `${typeof name === 'string' ? name.replace(/<[^>]*>/g, '') : `trace ${d.trace + 1}`}: ${d.storedPoints.toLocaleString('en-US')} of ${d.originalPoints.toLocaleString('en-US')} points stored (${d.method.toUpperCase()})`,
    );
  }
  return notes;
}

/** Copies into `l` the ranges the user zoomed to (axes of `plotLayout` whose id matches `axes`, not autoranged). */
export function keepZoom(
  l: Record<string, unknown>,
  plotLayout: object | undefined,
  axes: RegExp,
): Record<string, unknown> {
  // the drawn plot's layout: axis ids to the axes' settings
  const gdLayout = plotLayout as Record<string, { range?: unknown; autorange?: unknown } | undefined> | undefined;
  for (const k of Object.keys(gdLayout ?? {}))
    if (axes.test(k) && gdLayout![k]?.range && gdLayout![k]?.autorange === false)
      l[k] = { ...((l[k] as object) ?? {}), range: gdLayout![k].range, autorange: false };
  return l;
}

/**
 * After a zoom or pan of the dates: each time-series y axis gets the range of the points now
 * visible (bars and filled areas include zero), so the line stays in view and fills the plot; an
 * autorange of x (double-click, "reset axes") gives y its autorange back. Returns the relayout
 * update (empty when nothing is to change). `gd` is the drawn plot (Plotly's resolved axes).
 */
export function fittedY(plotEl: HTMLElement, timeY: Map<string, string>): Record<string, unknown> {
  const gd = drawnPlot(plotEl);
  const fl = gd._fullLayout;
  const update: Record<string, unknown> = {};
  if (!fl) return update;
  for (const [yId, xId] of timeY) {
    const xa = fl[xId],
      ya = fl[yId];
    if (!xa || !ya) continue;
    if (xa.autorange === true || !Array.isArray(xa.range)) {
      update[`${yId}.autorange`] = true;
      continue;
    }
    const lo = Math.min(xa.r2l(xa.range[0]), xa.r2l(xa.range[1])),
      hi = Math.max(xa.r2l(xa.range[0]), xa.r2l(xa.range[1]));
    const log = ya.type === 'log';
    let min = Infinity,
      max = -Infinity;
    for (const t of gd._fullData ?? []) {
      if (t.visible !== true || (t.yaxis ?? 'y') !== axisRef(yId) || (t.xaxis ?? 'x') !== axisRef(xId)) continue;
      const x = t.x,
        y = t.y;
      if (!x || !y) continue;
      const zero = t.type === 'bar' || t.fill === 'tozeroy';
      let any = false;
      for (let i = 0; i < y.length; i++) {
        const xv = xa.d2l(x[i]);
        if (!(xv >= lo && xv <= hi)) continue;
        const v = Number(y[i]);
        if (!Number.isFinite(v) || (log && v <= 0)) continue;
        const u = log ? Math.log10(v) : v;
        if (u < min) min = u;
        if (u > max) max = u;
        any = true;
      }
      if (any && zero && !log) {
        min = Math.min(min, 0);
        max = Math.max(max, 0);
      }
    }
    if (!(max >= min)) continue;
    const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 1;
    update[`${yId}.range`] = [min - (min === 0 && !log ? 0 : pad), max + pad];
  }
  return update;
}
