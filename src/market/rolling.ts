/**
 * Rolling windows: the O(n) sliding-window moment kernel behind rollingCorr, rollingBeta,
 * rolling covariance and volatility (one stable shifted-sums algorithm; its branch-free path for
 * complete data is in rollingComplete.ts), and the argument checks every rolling function shares.
 */
import { RESTART, RollKind, allFinite, rollingComplete } from './rollingComplete';

/**
 * Rolling statistics over the last `w` points in O(n) whatever w, numerically stable.
 *
 * The window sums (n, Σdx, Σdy, Σdx², Σdy², Σdxdy) are of deviations from a shift (kx, ky)
 * and slide by adding the new point and removing the old one. Periodically the sums are
 * recomputed from scratch over the current window with the shift moved into the window, so
 * rounding error never accumulates for long and the sums never carry the level of the series
 * (a price near 100,000 with returns of 1e-7 keeps its digits). Recomputing costs w operations
 * every w (general path) or 4w (complete-data path) steps, so the total stays O(n).
 * Complete data with minPeriods = w (after any leading NaNs, e.g. the first return) takes the
 * branch-free rollingComplete; anything else the general loop below (restart every w points at
 * the window mean). A pair counts when both values are finite; a window with fewer than
 * minPeriods counted pairs gives NaN. A window where a variance is zero (all values equal)
 * gives NaN (Std: 0).
 */
export function rollingKernel(
  x: Float64Array,
  y: Float64Array,
  w: number,
  minPeriods: number,
  kind: RollKind,
): Float64Array {
  return rollingStats(x, y, w, minPeriods, kind).out;
}

/** rollingKernel, also saying how many outputs are finite (for the result's alignment record). */
export function rollingStats(
  x: Float64Array,
  y: Float64Array,
  w: number,
  minPeriods: number,
  kind: RollKind,
): { out: Float64Array; finite: number } {
  if (minPeriods === w && kind !== RollKind.Std) {
    // the fast path also serves the usual returns series, whose first value is NaN
    const p = leadingGap(x, y);
    const fast = p === 0 ? rollingComplete(x, y, w, kind) : rollingComplete(x.subarray(p), y.subarray(p), w, kind);
    if (fast && p === 0) return fast;
    if (fast) {
      const out = new Float64Array(x.length);
      out.fill(NaN, 0, p);
      out.set(fast.out, p);
      return { out, finite: fast.finite };
    }
  }
  const out = rollingGeneral(x, y, w, minPeriods, kind);
  let finite = 0;
  for (let i = 0; i < out.length; i++) if (out[i] - out[i] === 0) finite++;
  return { out, finite };
}

function rollingGeneral(x: Float64Array, y: Float64Array, w: number, minPeriods: number, kind: RollKind): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  let kx = 0,
    ky = 0;
  let cnt = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0,
    sxy = 0;
  let runX = 0,
    runY = 0; // consecutive equal finite values ending at i
  for (let i = 0; i < n; i++) {
    const xi = x[i],
      yi = y[i];
    const okI = xi - xi === 0 && yi - yi === 0; // both finite
    if (i > 0 && x[i - 1] === xi) runX++;
    else runX = 0;
    if (i > 0 && y[i - 1] === yi) runY++;
    else runY = 0;
    if (i >= w && i % w === 0) {
      // recompute the window [i-w+1, i] with the shift at its mean
      let c = 0,
        mx = 0,
        my = 0;
      for (let j = i - w + 1; j <= i; j++) {
        const a = x[j],
          b = y[j];
        if (a - a === 0 && b - b === 0) {
          c++;
          mx += a;
          my += b;
        }
      }
      cnt = c;
      sx = sy = sxx = syy = sxy = 0;
      if (c > 0) {
        kx = mx / c;
        ky = my / c;
        for (let j = i - w + 1; j <= i; j++) {
          const a = x[j],
            b = y[j];
          if (a - a === 0 && b - b === 0) {
            const dx = a - kx,
              dy = b - ky;
            sx += dx;
            sy += dy;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
          }
        }
      }
    } else {
      if (okI) {
        if (cnt === 0) {
          kx = xi;
          ky = yi;
          sx = sy = sxx = syy = sxy = 0;
        }
        const dx = xi - kx,
          dy = yi - ky;
        cnt++;
        sx += dx;
        sy += dy;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
      }
      if (i >= w) {
        const a = x[i - w],
          b = y[i - w];
        if (a - a === 0 && b - b === 0) {
          const dx = a - kx,
            dy = b - ky;
          cnt--;
          sx -= dx;
          sy -= dy;
          sxx -= dx * dx;
          syy -= dy * dy;
          sxy -= dx * dy;
        }
      }
    }
    if (cnt < minPeriods || cnt < 2) {
      out[i] = NaN;
      continue;
    }
    const cxx = sxx - (sx * sx) / cnt;
    const constX = (runX >= w - 1 && cnt === w) || !(cxx > sxx * 1e-13);
    if (kind === RollKind.Std) {
      out[i] = runX >= w - 1 && cnt === w ? 0 : Math.sqrt(Math.max(cxx, 0) / (cnt - 1));
      continue;
    }
    const cxy = sxy - (sx * sy) / cnt;
    if (kind === RollKind.Cov) {
      out[i] = cxy / (cnt - 1);
      continue;
    }
    if (constX) {
      out[i] = NaN;
      continue;
    }
    if (kind === RollKind.Beta) {
      out[i] = cxy / cxx;
      continue;
    }
    const cyy = syy - (sy * sy) / cnt;
    const constY = (runY >= w - 1 && cnt === w) || !(cyy > syy * 1e-13);
    if (constY) {
      out[i] = NaN;
      continue;
    }
    const r = cxy / Math.sqrt(cxx * cyy);
    out[i] = r > 1 ? 1 : r < -1 ? -1 : r;
  }
  return out;
}

/** Number of leading positions where x or y is not finite. */
function leadingGap(x: Float64Array, y: Float64Array): number {
  let p = 0;
  while (p < x.length && (x[p] - x[p] !== 0 || y[p] - y[p] !== 0)) p++;
  return p;
}

/**
 * Rolling standard deviation (ddof 1) of one series, O(n): the single-series form of
 * rollingKernel. A window whose values are all equal gives exactly 0 (as pandas).
 */
export function rollingStd(x: Float64Array, w: number): Float64Array {
  const p = leadingGap(x, x);
  if (p > 0 && p < x.length) {
    const out = new Float64Array(x.length);
    out.fill(NaN, 0, p);
    out.set(rollingStd(x.subarray(p), w), p);
    return out;
  }
  if (!allFinite(x)) return rollingKernel(x, x, w, w, RollKind.Std);
  const n = x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < Math.min(w - 1, n); i++) out[i] = NaN;
  let run = 0; // consecutive equal values ending at i
  for (let i = 1; i < Math.min(w - 1, n); i++) run = x[i] === x[i - 1] ? run + 1 : 0;
  for (let e0 = w - 1; e0 < n; e0 += RESTART * w) {
    const k = x[e0];
    let sx = 0,
      sxx = 0;
    for (let j = e0 - w + 1; j <= e0; j++) {
      const d = x[j] - k;
      sx += d;
      sxx += d * d;
    }
    const end = Math.min(e0 + RESTART * w, n);
    for (let i = e0; i < end; i++) {
      if (i > e0) {
        const d = x[i] - k,
          o = x[i - w] - k;
        sx += d - o;
        sxx += d * d - o * o;
      }
      run = i > 0 && x[i] === x[i - 1] ? run + 1 : 0;
      const c = sxx - (sx * sx) / w;
      out[i] = run >= w - 1 ? 0 : Math.sqrt(c > 0 ? c / (w - 1) : 0);
    }
  }
  return out;
}

/** Throws a RangeError naming `fn` unless the window is an integer >= 2. */
export function checkWindow(fn: string, window: number): void {
  if (!Number.isInteger(window) || window < 2)
    throw new RangeError(`${fn}: window must be an integer >= 2, got ${window}`);
}

/** minPeriods of a rolling window: an integer from 1 to the window (pandas refuses more than the window too). Returns it, defaulting to the window. */
export function checkMinPeriods(fn: string, minPeriods: number | undefined, window: number): number {
  if (minPeriods === undefined) return window;
  if (!Number.isInteger(minPeriods) || minPeriods < 1)
    throw new RangeError(`${fn}: minPeriods must be an integer >= 1, got ${minPeriods}`);
  if (minPeriods > window)
    throw new RangeError(
      `${fn}: minPeriods ${minPeriods} must be <= window ${window} (a window of ${window} points never holds ${minPeriods})`,
    );
  return minPeriods;
}
