/**
 * Pearson correlation of plain arrays (the kernels under corr(), corrMatrix and granger):
 * complete pairs, the two-pass centred formula, and the fused check-and-sum for data already
 * known to be complete.
 */

/** Pairs where both values are finite. */
export function completePairs(
  x: Float64Array,
  y: Float64Array,
): { x: Float64Array; y: Float64Array; mask: Uint8Array | null } {
  const n = x.length;
  let k = 0;
  for (let i = 0; i < n; i++)
    if (x[i] === x[i] && y[i] === y[i] && Math.abs(x[i]) !== Infinity && Math.abs(y[i]) !== Infinity) k++;
  if (k === n) return { x, y, mask: null };
  const ox = new Float64Array(k),
    oy = new Float64Array(k),
    mask = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++)
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      ox[j] = x[i];
      oy[j++] = y[i];
      mask[i] = 1;
    }
  return { x: ox, y: oy, mask };
}

/** The centred pass of Pearson's r around known means; NaN when a variance is zero. */
function centredPearson(x: Float64Array, y: Float64Array, mx: number, my: number): number {
  let sxx = 0,
    syy = 0,
    sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx,
      dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** Pearson correlation of two complete arrays (two-pass, centred); NaN when a variance is zero. */
export function pearsonArrays(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  return centredPearson(x, y, mx / n, my / n);
}

/** Pearson correlation when every pair is finite (one fused check-and-sum pass, then the centred pass); undefined otherwise. */
export function pearsonIfComplete(x: Float64Array, y: Float64Array): number | undefined {
  const n = x.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i],
      b = y[i];
    if (a - a !== 0 || b - b !== 0) return undefined;
    mx += a;
    my += b;
  }
  if (n < 2) return NaN;
  return centredPearson(x, y, mx / n, my / n);
}
