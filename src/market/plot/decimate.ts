/**
 * Point reduction for stored charts (no DOM, no Node).
 *
 * LTTB — Largest-Triangle-Three-Buckets (Steinarsson, "Downsampling Time Series for Visual
 * Representation", 2013): the first and last points are kept; the rest is cut into
 * (threshold - 2) equal buckets and from each the point forming the largest triangle with the
 * previously kept point and the mean of the next bucket is kept. It keeps the shape, but not
 * every extreme, so after LTTB we put the global minimum and maximum back in place of the
 * point their bucket chose ("decimation preserves extremes" is a tested promise).
 *
 * Missing values (NaN) split a series into finite runs; each run is decimated on its own with a
 * share of the budget and a null point is inserted between runs so the drawn line keeps its gap.
 */

/**
 * Indices (increasing) kept by LTTB over x/y: threshold points, first and last included, and the
 * global minimum and maximum always among them (each replaces the kept point nearest to it; with
 * threshold 3 there may be no point left to replace, and the result has 4).
 * x must be increasing; y must be finite (see decimateSeries for NaN handling).
 * @param x increasing positions (epoch ms or numbers)
 * @param y finite values
 * @param threshold points to keep (at least 3)
 * @param lo first index of the range (default 0), @param hi end of the range, exclusive (default y.length)
 * @returns kept indices, increasing
 * @example
 * plot.decimate.lttbIndices([0, 1, 2, 3, 4], [0, 5, 0, -5, 0], 3) // => [0, 1, 3, 4]
 */
export function lttbIndices(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  threshold: number,
  lo = 0,
  hi = y.length,
): number[] {
  const n = hi - lo;
  if (threshold >= n || n <= 2) return Array.from({ length: n }, (_, i) => lo + i);
  if (threshold < 3) threshold = 3;
  const out: number[] = [lo];
  const every = (n - 2) / (threshold - 2);
  let a = lo;
  for (let b = 0; b < threshold - 2; b++) {
    // next bucket average
    let avgStart = lo + Math.floor((b + 1) * every) + 1;
    let avgEnd = lo + Math.floor((b + 2) * every) + 1;
    if (avgEnd > hi) avgEnd = hi;
    if (avgStart >= avgEnd) avgStart = avgEnd - 1;
    let ax = 0,
      ay = 0;
    for (let j = avgStart; j < avgEnd; j++) {
      ax += x[j];
      ay += y[j];
    }
    const len = avgEnd - avgStart;
    ax /= len;
    ay /= len;
    // this bucket
    const start = lo + Math.floor(b * every) + 1;
    const end = Math.min(lo + Math.floor((b + 1) * every) + 1, hi - 1);
    const px = x[a],
      py = y[a];
    let best = start,
      bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((px - ax) * (y[j] - py) - (px - x[j]) * (ay - py));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(best);
    a = best;
  }
  out.push(hi - 1);
  // Put the global extremes back: each replaces the kept interior point nearest to it.
  let iMin = lo,
    iMax = lo;
  for (let j = lo; j < hi; j++) {
    if (y[j] < y[iMin]) iMin = j;
    if (y[j] > y[iMax]) iMax = j;
  }
  const fixed = new Set<number>([lo, hi - 1]);
  for (const e of [iMin, iMax]) {
    if (out.includes(e)) {
      fixed.add(e);
      continue;
    }
    let pick = -1;
    for (let k = 1; k < out.length - 1; k++) {
      if (fixed.has(out[k])) continue;
      if (pick < 0 || Math.abs(out[k] - e) < Math.abs(out[pick] - e)) pick = k;
    }
    if (pick < 0) out.push(e);
    else out[pick] = e;
    fixed.add(e);
    out.sort((p, q) => p - q);
  }
  return out;
}

/**
 * Indices keeping the min and max of each of `buckets` equal-count buckets (in x order), so
 * every spike survives. At most 2*buckets + 2 indices, increasing. y must be finite.
 * @param y finite values
 * @param buckets number of equal-count buckets
 * @param lo first index of the range (default 0), @param hi end of the range, exclusive (default y.length)
 * @returns kept indices, increasing: the first, each bucket's min and max, the last
 * @example
 * plot.decimate.minMaxIndices([1, 9, 2, 8, 3, 7, 4, 6], 2) // => [0, 1, 4, 5, 7]
 */
export function minMaxIndices(y: ArrayLike<number>, buckets: number, lo = 0, hi = y.length): number[] {
  const n = hi - lo;
  if (2 * buckets >= n) return Array.from({ length: n }, (_, i) => lo + i);
  const out: number[] = [lo];
  const every = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const s = lo + Math.floor(b * every),
      e = Math.min(hi, lo + Math.floor((b + 1) * every));
    let iMin = s,
      iMax = s;
    for (let j = s + 1; j < e; j++) {
      if (y[j] < y[iMin]) iMin = j;
      if (y[j] > y[iMax]) iMax = j;
    }
    const p = Math.min(iMin, iMax),
      q = Math.max(iMin, iMax);
    if (p > out[out.length - 1]) out.push(p);
    if (q > out[out.length - 1]) out.push(q);
  }
  if (out[out.length - 1] !== hi - 1) out.push(hi - 1);
  return out;
}

export interface DecimatedXY {
  /** x values kept (same unit as input: epoch ms for time series) */
  x: number[];
  /** y values kept; null marks a gap (a run of missing values in the original) */
  y: (number | null)[];
  /** true when points were dropped */
  decimated: boolean;
}

/**
 * Reduces a series to about maxPoints points with LTTB, keeping gaps where values are NaN.
 * Points with non-finite y are gaps; leading and trailing gaps are dropped. Each finite run gets
 * a share of the budget; a gap is one point with y null (so Plotly breaks the line there).
 * @param x increasing positions (epoch ms or numbers)
 * @param y values, NaN where missing
 * @param maxPoints points to keep (gaps included)
 * @returns {x, y, decimated}: kept points, null y at gaps, whether points were dropped
 * @example
 * plot.decimate.series([0, 1, 2, 3], [1, NaN, 3, 4], 10) // => {"x": [0, 1, 2, 3], "y": [1, null, 3, 4], "decimated": false}
 * plot.decimate.series(Array.from({ length: 1000 }, (_, i) => i), Array.from({ length: 1000 }, (_, i) => (i === 500 ? 99 : Math.sin(i / 50))), 100).y.includes(99) // => true
 */
export function decimateSeries(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): DecimatedXY {
  const n = y.length;
  // finite runs
  const runs: Array<[number, number]> = [];
  let i = 0;
  while (i < n) {
    while (i < n && !Number.isFinite(y[i])) i++;
    const s = i;
    while (i < n && Number.isFinite(y[i])) i++;
    if (i > s) runs.push([s, i]);
  }
  const finite = runs.reduce((k, [s, e]) => k + e - s, 0);
  const total = finite + Math.max(0, runs.length - 1);
  const outX: number[] = [],
    outY: (number | null)[] = [];
  if (total <= maxPoints) {
    runs.forEach(([s, e], r) => {
      if (r > 0) {
        outX.push(x[s - 1]);
        outY.push(null);
      }
      for (let j = s; j < e; j++) {
        outX.push(x[j]);
        outY.push(y[j]);
      }
    });
    return { x: outX, y: outY, decimated: false };
  }
  // Too many gaps to keep each of them within budget: draw the finite points as one line.
  const keepGaps = runs.length - 1 <= maxPoints / 4;
  if (!keepGaps) {
    const fx = new Float64Array(finite),
      fy = new Float64Array(finite);
    let k = 0;
    for (const [s, e] of runs)
      for (let j = s; j < e; j++) {
        fx[k] = x[j];
        fy[k++] = y[j];
      }
    for (const j of lttbIndices(fx, fy, maxPoints)) {
      outX.push(fx[j]);
      outY.push(fy[j]);
    }
    return { x: outX, y: outY, decimated: true };
  }
  const budget = maxPoints - (runs.length - 1);
  runs.forEach(([s, e], r) => {
    if (r > 0) {
      outX.push(x[s - 1]);
      outY.push(null);
    }
    const share = Math.max(Math.min(e - s, 3), Math.floor((budget * (e - s)) / finite));
    for (const j of lttbIndices(x, y, share, s, e)) {
      outX.push(x[j]);
      outY.push(y[j]);
    }
  });
  return { x: outX, y: outY, decimated: true };
}
