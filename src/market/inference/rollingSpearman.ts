/**
 * Rolling Spearman correlation with ranks updated per step instead of re-ranked per window.
 *
 * When the window slides, the point leaving and the point entering shift the rank of every
 * other point by at most one in each variable, so the (doubled, integer) average ranks are
 * kept in a ring and adjusted in one pass that also sums R·S, R² and S² exactly: O(w) per step
 * with ~10 integer operations per point, O(n·w) in all, and no sort (the old path sorted each
 * window: O(n·w·log w)). Integer sums are exact, so the result equals scipy's per-window
 * spearmanr to the last bits of the final division.
 *
 * Why not O(n log w): an order-statistic tree gives the rank of the entering point in O(log w),
 * but Σ R_i S_i also changes through the ranks of all the points it shifts, and that change
 * (Σ over points above x_new of their y-ranks) is a two-dimensional dominance sum that no
 * one-dimensional structure maintains; see docs/analysis.md.
 */
import { rankAverage } from '../stats';

/**
 * Spearman correlation of x and y over each window of w points ending at i (NaN where the
 * window holds a non-finite value, for the first w-1 points, or where ranks are constant).
 */
export function rollingSpearmanComplete(x: Float64Array, y: Float64Array, w: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  const rx = new Float64Array(w), ry = new Float64Array(w); // doubled ranks 2·less + equal + 1 (integers)
  const bx = new Float64Array(w), by = new Float64Array(w); // window values in ring order
  let head = 0; // ring slot of the oldest point
  let valid = false; // ring holds the complete window ending at i-1
  const w2 = w * (w + 1); // Σ doubled ranks
  for (let i = w - 1; i < n; i++) {
    if (!valid) {
      // (re)start: the window ending at i must be complete
      let ok = true;
      for (let j = i - w + 1; j <= i; j++) if (x[j] - x[j] !== 0 || y[j] - y[j] !== 0) { ok = false; break; }
      if (!ok) continue;
      const wx = x.slice(i - w + 1, i + 1), wy = y.slice(i - w + 1, i + 1);
      const ax = rankAverage(wx), ay = rankAverage(wy);
      for (let j = 0; j < w; j++) { bx[j] = wx[j]; by[j] = wy[j]; rx[j] = 2 * ax[j]; ry[j] = 2 * ay[j]; }
      head = 0; valid = true;
      out[i] = fromSums(rx, ry, w, w2);
      continue;
    }
    const xn = x[i], yn = y[i];
    if (xn - xn !== 0 || yn - yn !== 0) { valid = false; continue; }
    const xo = bx[head], yo = by[head];
    // one pass: shift the others' ranks, count the newcomer's, sum the products
    let lx = 0, ex = 1, ly = 0, ey = 1, srs = 0, srr = 0, sss = 0;
    for (let s = 0; s < w; s++) {
      if (s === head) continue;
      const a = bx[s], b = by[s];
      const r = rx[s] + (a > xn ? 2 : a === xn ? 1 : 0) - (a > xo ? 2 : a === xo ? 1 : 0);
      const q = ry[s] + (b > yn ? 2 : b === yn ? 1 : 0) - (b > yo ? 2 : b === yo ? 1 : 0);
      rx[s] = r; ry[s] = q;
      srs += r * q; srr += r * r; sss += q * q;
      if (a < xn) lx++; else if (a === xn) ex++;
      if (b < yn) ly++; else if (b === yn) ey++;
    }
    const r = 2 * lx + ex + 1, q = 2 * ly + ey + 1; // 2·less + (equal, itself included: ex, ey start at 1) + 1
    bx[head] = xn; by[head] = yn; rx[head] = r; ry[head] = q;
    srs += r * q; srr += r * r; sss += q * q;
    head = head + 1 === w ? 0 : head + 1;
    const m = w2 / w; // mean doubled rank w+1
    const cxy = srs - w * m * m, cxx = srr - w * m * m, cyy = sss - w * m * m;
    out[i] = cxx > 0 && cyy > 0 ? clamp(cxy / Math.sqrt(cxx * cyy)) : NaN;
  }
  return out;
}

function fromSums(rx: Float64Array, ry: Float64Array, w: number, w2: number): number {
  let srs = 0, srr = 0, sss = 0;
  for (let j = 0; j < w; j++) { srs += rx[j] * ry[j]; srr += rx[j] * rx[j]; sss += ry[j] * ry[j]; }
  const m = w2 / w, cxy = srs - w * m * m, cxx = srr - w * m * m, cyy = sss - w * m * m;
  return cxx > 0 && cyy > 0 ? clamp(cxy / Math.sqrt(cxx * cyy)) : NaN;
}

function clamp(r: number): number { return r > 1 ? 1 : r < -1 ? -1 : r; }
