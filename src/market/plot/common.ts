/**
 * Shared pieces of the chart helpers: options every chart takes, the base layout, a line trace
 * decimated for storage (with its full data kept for the kernel), number text.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import type { DecimationNote } from '../../shared/schemas';
import { type LiveSeries } from '../output';
import { decimateSeries, type DecimatedXY } from './decimate';
import { compact, xOut, type Column } from './inputs';

/** Points kept per line trace in a stored chart. */
export const DEFAULT_MAX_POINTS = 3000;

export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;

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

export function baseLayout(o: CommonOptions, time: boolean): Layout {
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

export function hline(y: number, yref = 'y'): Record<string, unknown> {
  return {
    type: 'line',
    xref: 'paper',
    x0: 0,
    x1: 1,
    yref,
    y0: y,
    y1: y,
    line: { width: 1, dash: 'dot' },
    layer: 'below',
  };
}

/** Traces whose full data the kernel keeps for zooming (see Chart's `live`). */
export type LiveList = Array<{ trace: number; source: LiveSeries }>;

/**
 * A line trace from a column, decimated; pushes a DecimationNote when points were dropped, and
 * the full column to `live` (the kernel keeps it, so a zoom can show every point).
 */
export function lineTrace(
  c: Column,
  traceIndex: number,
  maxPoints: number,
  notes: DecimationNote[],
  extra: Trace = {},
  live?: LiveList,
): Trace {
  const d: DecimatedXY = decimateSeries(c.x, c.y, maxPoints);
  if (d.decimated) {
    notes.push({ trace: traceIndex, originalPoints: c.y.length, storedPoints: d.x.length, method: 'lttb' });
    live?.push({ trace: traceIndex, source: { kind: 'series', x: c.x, y: c.y, time: c.time } });
  }
  return {
    type: 'scatter',
    mode: 'lines',
    name: c.name,
    x: d.x.map((v) => xOut(v, c.time)),
    y: d.y.map((v) => compact(v)),
    ...extra,
  };
}

export function fmtNum(v: number, digits: number): string {
  if (!Number.isFinite(v)) return 'NaN';
  const a = Math.abs(v);
  const s = a !== 0 && (a < 10 ** -digits || a >= 1e6) ? v.toExponential(digits - 1) : v.toFixed(digits);
  return s.replace('-', '−');
}
