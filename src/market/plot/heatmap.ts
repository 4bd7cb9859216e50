/**
 * plot.heatmap: a labelled matrix with the values written in the cells.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import { CorrMatrix } from '../corrMatrix';
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

/** A matrix with labels: `values` row by row (or flat, row-major, with one name per column). */
export interface LabelledMatrix {
  /** column names (and row names, when `rows` is not given and the matrix is square) */
  names: string[];
  values: ArrayLike<number>[] | ArrayLike<number>;
  rows?: string[];
}

/** What plot.heatmap draws: a correlation matrix (corrMatrix) or a LabelledMatrix. */
export type MatrixInput = CorrMatrix | LabelledMatrix;

function matrixOf(m: MatrixInput): { cols: string[]; rows: string[]; z: (number | null)[][]; method?: string } {
  if (m instanceof CorrMatrix)
    return { cols: m.names, rows: m.names, z: m.r.map((r) => r.map((v) => compact(v))), method: m.method };
  if (typeof m !== 'object' || m === null || !Array.isArray(m.names)) {
    throw new TypeError(
      `plot.heatmap: expected a corrMatrix result or {names, values: number[][]}, got ${describe(m)}`,
    );
  }
  const raw: unknown = m.values;
  const cols = m.names;
  let z: (number | null)[][];
  if (Array.isArray(raw) && raw.every((r) => Array.isArray(r) || ArrayBuffer.isView(r))) {
    z = (raw as ArrayLike<number>[]).map((r) => Array.from(r, (v) => compact(v)));
  } else if (ArrayBuffer.isView(raw) && !(raw instanceof DataView)) {
    const flat = raw as unknown as ArrayLike<number>;
    const k = cols.length,
      rowsN = flat.length / k;
    z = Array.from({ length: rowsN }, (_, i) => Array.from({ length: k }, (_, c) => compact(flat[i * k + c])));
  } else {
    throw new TypeError(
      `plot.heatmap: expected {names, values: number[][]} (e.g. a correlation matrix), got ${describe(m)}`,
    );
  }
  const rows = m.rows ?? (z.length === cols.length ? cols : z.map((_, i) => String(i + 1)));
  if (z.some((r) => r.length !== cols.length))
    throw new RangeError(`plot.heatmap: every row must have ${cols.length} values (one per name)`);
  return { cols, rows, z };
}

/**
 * A labelled matrix with the values written in the cells; values within [−1, 1] (correlations)
 * get a fixed −1..1 diverging scale centred on 0, others the data's range.
 * @param m a corrMatrix result, or {names, values, rows?}
 * @param o digits written in the cells (default 2), zmin/zmax, title, height
 * @returns a Chart with one heatmap trace (rows top to bottom)
 * @example
 * const h = plot.heatmap({ names: ['BTC', 'ETH'], values: [[1, 0.8123], [0.8123, 1]] })
 * h.figure.data[0].text // => [["1.00", "0.81"], ["0.81", "1.00"]]
 * h.figure.layout.title.text // => "Correlation"
 */
export function heatmap(m: MatrixInput, o: HeatmapOptions = {}): Chart {
  const { cols, rows, z, method: corrMethod } = matrixOf(m);
  const digits = o.digits ?? 2;
  let lo = Infinity,
    hi = -Infinity;
  for (const r of z)
    for (const v of r)
      if (v !== null) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
  const corrLike = lo >= -1 && hi <= 1;
  const text = z.map((r) => r.map((v) => (v === null ? '' : fmtNum(v, digits))));
  const data: Trace[] = [
    {
      type: 'heatmap',
      x: cols,
      y: rows,
      z,
      text,
      texttemplate: '%{text}',
      hovertemplate: '%{y} / %{x}: %{text}<extra></extra>',
      colorscale: 'RdBu',
      reversescale: true,
      zmin: o.zmin ?? (corrLike ? -1 : lo),
      zmax: o.zmax ?? (corrLike ? 1 : hi),
      ...(corrLike ? { zmid: 0 } : {}),
      xgap: 1,
      ygap: 1,
    },
  ];
  const method = corrMethod ? corrMethod[0].toUpperCase() + corrMethod.slice(1) + ' correlation' : 'Correlation';
  const layout = baseLayout({ ...o, title: o.title ?? (corrLike ? method : undefined) }, false);
  layout.hovermode = 'closest';
  (layout.yaxis as Layout).autorange = 'reversed';
  (layout.xaxis as Layout).type = 'category';
  (layout.yaxis as Layout).type = 'category';
  if (!o.height) layout.height = Math.max(280, Math.min(720, 80 + 36 * rows.length));
  return new Chart({ data, layout }, { title: (layout.title as { text?: string } | undefined)?.text });
}
