/**
 * The series answer of the output cache (outputData.ts): a registered series with its block
 * index (min and max per 256 points, built once), and the points of an x range for a chart's
 * width: every point when few enough, else min and max per pixel column.
 */
import type { LiveSeries } from '../market/output';
import type { SeriesRangeTrace } from '../shared/output-requests';

/** Points per block of the min/max index. */
const BLOCK = 256;
/** Series shorter than this are scanned directly (no index). */
const INDEX_FROM = 16 * BLOCK;
/** A range holding at most max(2 × columns, this) points is answered with every point. */
export const RAW_POINTS = 2000;

export interface SeriesEntry {
  kind: 'series';
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  time: boolean;
  /** per block: index of its min and max finite y (-1: none), and whether it holds a missing value */
  bMin?: Int32Array;
  bMax?: Int32Array;
  bGap?: Uint8Array;
}

function bytesOf(a: ArrayLike<number>): number {
  return ArrayBuffer.isView(a) ? (a as unknown as ArrayBufferView).byteLength : a.length * 8;
}

export function seriesEntry(s: LiveSeries): (SeriesEntry & { bytes: number }) | undefined {
  const { x, y } = s;
  const n = y.length;
  if (x.length !== n) return undefined;
  for (let i = 1; i < n; i++) if (!(x[i] >= x[i - 1])) return undefined;
  const e: SeriesEntry & { bytes: number } = { kind: 'series', x, y, time: s.time, bytes: bytesOf(x) + bytesOf(y) };
  if (n >= INDEX_FROM) {
    const nb = Math.ceil(n / BLOCK);
    const bMin = new Int32Array(nb),
      bMax = new Int32Array(nb),
      bGap = new Uint8Array(nb);
    for (let b = 0; b < nb; b++) {
      let iMin = -1,
        iMax = -1,
        gap = 0;
      let lo = Infinity,
        hi = -Infinity;
      const end = Math.min(n, (b + 1) * BLOCK);
      for (let k = b * BLOCK; k < end; k++) {
        const v = y[k];
        if (v !== v) {
          gap = 1;
          continue;
        }
        if (v < lo) {
          lo = v;
          iMin = k;
        }
        if (v > hi) {
          hi = v;
          iMax = k;
        }
      }
      bMin[b] = iMin;
      bMax[b] = iMax;
      bGap[b] = gap;
    }
    e.bMin = bMin;
    e.bMax = bMax;
    e.bGap = bGap;
    e.bytes += nb * 9;
  }
  return e;
}

/** First k with a[k] >= v. */
function lowerBound(a: ArrayLike<number>, v: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < v) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** First k with a[k] > v. */
function upperBound(a: ArrayLike<number>, v: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] <= v) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * Points of x ∈ [x0, x1] (plus one on each side, so the line reaches the frame): all of them when
 * few enough, else the min and max of each of `columns` equal x-width columns, in x order, with a
 * null after a column that held missing values. As renderers/decimate.ts does in the webview.
 */
export function seriesRange(e: SeriesEntry, x0: number, x1: number, columns: number): SeriesRangeTrace {
  const { x, y } = e;
  const n = y.length;
  const from = lowerBound(x, x0),
    end = upperBound(x, x1, from);
  const lo = Math.max(0, from - 1),
    hi = Math.min(n, end + 1);
  const visible = end - from;
  const outX: number[] = [],
    outY: (number | null)[] = [];
  const push = (k: number) => {
    const v = y[k];
    outX.push(x[k]);
    outY.push(v === v ? v : null);
  };
  if (hi - lo <= Math.max(2 * columns, RAW_POINTS)) {
    for (let k = lo; k < hi; k++) push(k);
    return { x: outX, y: outY, raw: true, visible, total: n, time: e.time };
  }
  const xa = x[lo],
    xb = x[hi - 1],
    span = xb - xa || 1;
  let s = lo;
  for (let c = 0; c < columns && s < hi; c++) {
    const edge = c === columns - 1 ? Infinity : xa + (span * (c + 1)) / columns;
    const t = edge === Infinity ? hi : lowerBound(x, edge, s, hi);
    if (t <= s) continue;
    let iMin = -1,
      iMax = -1,
      gap = false;
    const scan = (a: number, b: number) => {
      for (let k = a; k < b; k++) {
        const v = y[k];
        if (v !== v) {
          gap = true;
          continue;
        }
        if (iMin < 0 || v < y[iMin]) iMin = k;
        if (iMax < 0 || v > y[iMax]) iMax = k;
      }
    };
    if (e.bMin && t - s > 2 * BLOCK) {
      const b0 = Math.ceil(s / BLOCK),
        b1 = Math.floor(t / BLOCK);
      scan(s, b0 * BLOCK);
      for (let b = b0; b < b1; b++) {
        if (e.bGap![b]) gap = true;
        const p = e.bMin[b],
          q = e.bMax![b];
        if (p >= 0 && (iMin < 0 || y[p] < y[iMin])) iMin = p;
        if (q >= 0 && (iMax < 0 || y[q] > y[iMax])) iMax = q;
      }
      scan(b1 * BLOCK, t);
    } else scan(s, t);
    if (iMin >= 0) {
      const a = Math.min(iMin, iMax),
        b = Math.max(iMin, iMax);
      push(a);
      if (b !== a) push(b);
    }
    if (gap) {
      outX.push(x[t - 1]);
      outY.push(null);
    }
    s = t;
  }
  return { x: outX, y: outY, raw: false, visible, total: n, time: e.time };
}
