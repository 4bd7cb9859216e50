/**
 * The complete-data path of the rolling kernel (rolling.ts): no NaN and minPeriods = w, so the
 * shifted window sums slide in lean, branch-free loops, one per statistic, restarted every
 * RESTART windows. The general kernel in rolling.ts runs whenever this path returns null.
 */
import {
  BLOCK_CONSTANT,
  BLOCK_NONFINITE,
  WASM_MAX_VALUES,
  rollPairsWasm,
  rollWasmAvailable,
} from './rollingCompleteWasm';

/** The statistic a rolling kernel computes. */
export const RollKind = { Corr: 0, Beta: 1, Cov: 2, Std: 3 } as const;
export type RollKind = (typeof RollKind)[keyof typeof RollKind];

export function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] - x[i] !== 0) return false;
  return true;
}

/**
 * Outputs between two restarts of the sums, in windows (rollingComplete, rollingStd): the shift
 * stays within ~√(4w) steps of the data, so the sums keep ~13 digits (checked against exact
 * two-pass windows in the tests and in bench/analytics.mjs), and the restarts cost 1/4 pass.
 */
export const RESTART = 4;

/** Which implementation runs the blocks (Pearson, beta, covariance): WebAssembly SIMD where it can (default), or plain JS; the outputs are identical. */
export type RollEngine = 'auto' | 'wasm' | 'js';

/**
 * rollingKernel for complete data (no NaN, minPeriods = w): the same shifted sums in a lean
 * loop; returns null as soon as a block meets a non-finite value (the general kernel then runs).
 * Blocks of RESTART·w outputs: the first output of a block sums its window from scratch with
 * the shift at the window's last value (a price drifts by ~√(4w) steps within a block, so the sums never
 * carry the price level); the next outputs slide, using x_new - x_old once for the sum and
 * (x_new - x_old)(x_new + x_old) for the sum of squares. A window whose variance is below 1e-13
 * of its shifted sum of squares is taken as constant (NaN): the fast loop (Pearson) only flags
 * a block where some window is at or below that margin (Beta: tracks the smallest margin), and
 * such a block is redone with the check on every window (keeps the hot loop free of NaN writes).
 * The whole blocks of Pearson, beta and covariance run two at a time in WebAssembly SIMD
 * (rollingCompleteWasm.ts) unless engine is 'js'; 'wasm' throws where that pass cannot run.
 * Every engine gives the same bits.
 */
export function rollingComplete(
  x: Float64Array,
  y: Float64Array,
  w: number,
  kind: RollKind,
  engine: RollEngine = 'auto',
): { out: Float64Array; finite: number } | null {
  const n = x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < Math.min(w - 1, n); i++) out[i] = NaN;
  let finite = Math.max(0, n - (w - 1));
  const L = RESTART * w;
  // the redo of a block with a (near-)constant window: the check on every window, NaN counted
  const redo = (e0: number, end: number): void => {
    completeBlock(x, y, w, e0, end, kind, out, true);
    for (let i = e0; i < end; i++) if (out[i] !== out[i]) finite--;
  };
  let first = w - 1;
  if ((kind === RollKind.Corr || kind === RollKind.Beta || kind === RollKind.Cov) && engine !== 'js') {
    // whole blocks two at a time in WebAssembly SIMD (rollingCompleteWasm.ts), the rest below
    const pairs = Math.floor(Math.max(0, n - (w - 1)) / L / 2);
    if (rollWasmAvailable(w, L)) {
      const status = pairs > 0 ? rollPairsWasm(x, y, w, L, pairs, out, kind) : new Int32Array(0);
      for (let b = 0; b < status.length; b++) {
        if (status[b] === BLOCK_NONFINITE) return null;
        if (status[b] === BLOCK_CONSTANT) redo(w - 1 + b * L, w - 1 + (b + 1) * L);
      }
      first += 2 * pairs * L;
    } else if (engine === 'wasm') {
      throw new RangeError(
        `rolling statistics: the WebAssembly pass cannot run here (no WebAssembly SIMD, or a window of ${w} needs more than ${WASM_MAX_VALUES} values per pair of blocks); use engine 'auto' or 'js'`,
      );
    }
  }
  for (let e0 = first; e0 < n; e0 += L) {
    const end = Math.min(e0 + L, n);
    const margin = completeBlock(x, y, w, e0, end, kind, out, false);
    if (margin !== margin) return null; // NaN: a non-finite value in the data
    if (margin <= 0) redo(e0, end);
  }
  if (n < w && (!allFinite(x) || !allFinite(y))) return null;
  return { out, finite };
}

/** One block of rollingComplete: outputs e0..end-1; returns a variance margin, <= 0 when some window was (near-)constant (NaN if the data had a NaN). */
function completeBlock(
  x: Float64Array,
  y: Float64Array,
  w: number,
  e0: number,
  end: number,
  kind: RollKind,
  out: Float64Array,
  checked: boolean,
): number {
  const iw = 1 / w;
  const kx = x[e0],
    ky = y[e0];
  let sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0,
    sxy = 0;
  for (let j = e0 - w + 1; j <= e0; j++) {
    const dx = x[j] - kx,
      dy = y[j] - ky;
    sx += dx;
    sy += dy;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  let margin = Infinity;
  if (kind === RollKind.Corr && !checked) {
    // the hot loop: no branch but the clamp and the constant-window flag; the block's first window (already summed) is peeled off
    {
      const my = sy * iw;
      const cxx = sxx - sx * sx * iw,
        cyy = syy - sy * my,
        cxy = sxy - sx * my;
      if (!(cxx > sxx * 1e-13) || !(cyy > syy * 1e-13)) margin = -1;
      const r = cxy / Math.sqrt(cxx * cyy);
      out[e0] = r > 1 ? 1 : r < -1 ? -1 : r;
    }
    for (let i = e0 + 1; i < end; i++) {
      const xi = x[i] - kx,
        yi = y[i] - ky,
        xo = x[i - w] - kx,
        yo = y[i - w] - ky;
      const ddx = xi - xo,
        ddy = yi - yo;
      sx += ddx;
      sy += ddy;
      sxx += ddx * (xi + xo);
      syy += ddy * (yi + yo);
      sxy += xi * yi - xo * yo;
      const my = sy * iw;
      const cxx = sxx - sx * sx * iw,
        cyy = syy - sy * my,
        cxy = sxy - sx * my;
      // a (near-)constant window: flagged, and the block is redone checked (a never-taken branch costs less than a running minimum)
      if (!(cxx > sxx * 1e-13) || !(cyy > syy * 1e-13)) margin = -1;
      const r = cxy / Math.sqrt(cxx * cyy);
      out[i] = r > 1 ? 1 : r < -1 ? -1 : r;
    }
    // jscpd:ignore-start -- one loop per statistic, each sliding only the sums it needs (the hot loops of bench/analytics.mjs rolling corr/beta rows)
  } else if (kind === RollKind.Corr) {
    for (let i = e0; i < end; i++) {
      if (i > e0) {
        const xi = x[i] - kx,
          yi = y[i] - ky,
          xo = x[i - w] - kx,
          yo = y[i - w] - ky;
        const ddx = xi - xo,
          ddy = yi - yo;
        sx += ddx;
        sy += ddy;
        sxx += ddx * (xi + xo);
        syy += ddy * (yi + yo);
        sxy += xi * yi - xo * yo;
      }
      const my = sy * iw;
      const cxx = sxx - sx * sx * iw,
        cyy = syy - sy * my,
        cxy = sxy - sx * my;
      if (!(cxx > sxx * 1e-13) || !(cyy > syy * 1e-13)) {
        out[i] = NaN;
        continue;
      }
      const r = cxy / Math.sqrt(cxx * cyy);
      out[i] = r > 1 ? 1 : r < -1 ? -1 : r;
    }
  } else if (kind === RollKind.Beta) {
    for (let i = e0; i < end; i++) {
      if (i > e0) {
        const xi = x[i] - kx,
          yi = y[i] - ky,
          xo = x[i - w] - kx,
          yo = y[i - w] - ky;
        const ddx = xi - xo;
        sx += ddx;
        sy += yi - yo;
        sxx += ddx * (xi + xo);
        sxy += xi * yi - xo * yo;
      }
      const cxx = sxx - sx * sx * iw;
      if (checked) {
        if (!(cxx > sxx * 1e-13)) {
          out[i] = NaN;
          continue;
        }
      } else margin = Math.min(margin, cxx - sxx * 1e-13);
      out[i] = (sxy - sx * sy * iw) / cxx;
    }
  } else {
    const iw1 = 1 / (w - 1);
    for (let i = e0; i < end; i++) {
      if (i > e0) {
        const xi = x[i] - kx,
          yi = y[i] - ky,
          xo = x[i - w] - kx,
          yo = y[i - w] - ky;
        sx += xi - xo;
        sy += yi - yo;
        sxy += xi * yi - xo * yo;
      }
      out[i] = (sxy - sx * sy * iw) * iw1;
    }
  }
  // jscpd:ignore-end
  return sx - sx + (sy - sy) + margin; // NaN when a NaN or ±Infinity reached the sums
}
