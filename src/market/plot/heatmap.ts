/**
 * plot.heatmap: a labelled matrix with the values written in the cells.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import { Chart } from '../output';
import { compact, describe } from './inputs';
import { baseLayout, fmtNum, type CommonOptions, type Layout, type Trace } from './common';

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
