/**
 * Drawing-time decimation in the renderer: min and max of every pixel column (so every spike
 * is drawn), recomputed for the visible x range when the user zooms, so detail comes back.
 * Works on what the output holds; a stored chart that the cell API already reduced with LTTB
 * cannot show more than it stored (see docs/charts.md).
 */

/** A big line trace prepared for fast re-decimation. */
export interface BigTrace {
  trace: number;
  /** x as numbers (epoch ms for dates), increasing */
  xs: Float64Array;
  ys: Float64Array;
  /** original x values (strings for dates) to hand back to Plotly, or null for implicit 0..n-1 */
  xRaw: ArrayLike<unknown> | null;
  /** x was given as date strings */
  isDate: boolean;
}

/**
 * UTC parse of Plotly date strings: 'YYYY-MM-DD', ISO with 'Z' or an offset (V8's Date.parse is
 * fast and UTC for these), and 'YYYY-MM-DD[T ]HH:MM[:SS[.fff]]' without a zone, which Plotly
 * treats as UTC-like wall time (so do we, instead of the browser's local time). NaN if not a date.
 */
export function parseDate(s: string): number {
  const n = s.length;
  let t: number;
  if (n === 10 || s.charCodeAt(n - 1) === 90 /* Z */) t = Date.parse(s);
  else if (n > 10 && (s.charCodeAt(10) === 84 || s.charCodeAt(10) === 32) && !/[+-]\d\d:?\d\d$/.test(s))
    t = Date.parse(`${s.slice(0, 10)}T${s.slice(11)}Z`);
  else t = Date.parse(s);
  return Number.isFinite(t) ? t : NaN;
}

/** Prepares a trace for decimation, or returns null when it is not a long, increasing line. */
export function prepareBigTrace(t: Record<string, unknown>, i: number, minPoints: number): BigTrace | null {
  const type = t.type ?? 'scatter';
  if (type !== 'scatter' && type !== 'scattergl') return null;
  if (typeof t.mode === 'string' && !t.mode.includes('lines')) return null;
  if (t.fill && t.fill !== 'none' && t.fill !== 'tozeroy' && t.fill !== 'tozerox') return null;
  const y = t.y as ArrayLike<unknown> | null | undefined;
  if (!y || typeof y.length !== 'number' || y.length < minPoints) return null;
  const n = y.length;
  const ys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = y[k];
    ys[k] = typeof v === 'number' ? v : v === null || v === undefined ? NaN : Number.NaN;
  }
  let xs: Float64Array,
    isDate = false,
    xRaw: ArrayLike<unknown> | null = null;
  if (t.x === undefined || t.x === null) {
    xs = new Float64Array(n);
    for (let k = 0; k < n; k++) xs[k] = k;
  } else {
    const x = t.x as ArrayLike<unknown>;
    if (x.length !== n) return null;
    xRaw = x;
    xs = new Float64Array(n);
    if (typeof x[0] === 'string') {
      isDate = true;
      for (let k = 0; k < n; k++) {
        const v = x[k];
        xs[k] = typeof v === 'string' ? parseDate(v) : NaN;
      }
    } else {
      for (let k = 0; k < n; k++) {
        const v = x[k];
        xs[k] = typeof v === 'number' ? v : NaN;
      }
    }
    for (let k = 0; k < n; k++) if (!(xs[k] >= (k ? xs[k - 1] : -Infinity))) return null; // NaN or decreasing
  }
  return { trace: i, xs, ys, xRaw, isDate };
}

/** First k with a[k] >= v. */
function lowerBound(a: Float64Array, v: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < v) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** First k with a[k] > v. */
function upperBound(a: Float64Array, v: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] <= v) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * Indices to draw for x in [x0, x1] at `columns` pixel columns: first and last point, and the
 * min and max of each column (one point outside each edge so the line reaches the frame).
 * A column holding missing values yields -1 (a gap) after its points.
 */
export function minMaxColumns(b: BigTrace, columns: number, x0 = -Infinity, x1 = Infinity): number[] {
  const { xs, ys } = b;
  const n = xs.length;
  let lo = Math.max(0, lowerBound(xs, x0) - 1);
  let hi = Math.min(n, upperBound(xs, x1) + 1);
  if (hi <= lo) {
    lo = 0;
    hi = n;
  }
  const out: number[] = [];
  if (hi - lo <= 2 * columns) {
    for (let k = lo; k < hi; k++) out.push(Number.isNaN(ys[k]) ? -1 : k);
    return out;
  }
  const xa = xs[lo],
    xb = xs[hi - 1],
    span = xb - xa || 1;
  let col = -1,
    iMin = -1,
    iMax = -1,
    gap = false;
  const flush = () => {
    if (iMin >= 0) {
      if (iMin <= iMax) {
        out.push(iMin);
        if (iMax !== iMin) out.push(iMax);
      } else {
        out.push(iMax);
        out.push(iMin);
      }
    }
    if (gap) out.push(-1);
    iMin = iMax = -1;
    gap = false;
  };
  for (let k = lo; k < hi; k++) {
    const c = Math.min(columns - 1, Math.floor(((xs[k] - xa) / span) * columns));
    if (c !== col) {
      flush();
      col = c;
    }
    const v = ys[k];
    if (v !== v) {
      gap = true;
      continue;
    }
    if (iMin < 0 || v < ys[iMin]) iMin = k;
    if (iMax < 0 || v > ys[iMax]) iMax = k;
  }
  flush();
  return out;
}

/** x and y arrays for Plotly from chosen indices (-1 = gap). */
export function pointsFor(b: BigTrace, idx: number[]): { x: unknown[]; y: (number | null)[] } {
  const x: unknown[] = new Array(idx.length),
    y: (number | null)[] = new Array(idx.length);
  for (let j = 0; j < idx.length; j++) {
    const k = idx[j];
    if (k < 0) {
      const prev = j > 0 ? idx[j - 1] : 0;
      x[j] = b.xRaw ? b.xRaw[Math.max(0, prev)] : Math.max(0, prev);
      y[j] = null;
    } else {
      x[j] = b.xRaw ? b.xRaw[k] : k;
      y[j] = b.ys[k];
    }
  }
  return { x, y };
}
