/**
 * The least-squares core shared by regress, beta (robust errors), granger, adf, coint and
 * eventStudy: Householder QR of the design (columns as Float64Arrays), the inverse of X'X from
 * R, residuals, and the log-likelihood. The classic / HC1 / HAC (Newey-West) covariance of the
 * coefficients and the Wald F on it are olsCov.ts.
 *
 * QR rather than the normal equations: it keeps the digits of an ill-conditioned design (a
 * level next to a constant in adf) and shows collinearity as a vanishing diagonal of R, which
 * lets the error name the columns involved.
 */

export type SeKind = 'classic' | 'hc1' | 'hac';

export interface OlsFit {
  /** coefficients, in the order of the columns */
  params: Float64Array;
  /** (X'X)^-1, k×k row-major */
  xtxInv: Float64Array;
  resid: Float64Array;
  ssr: number;
  n: number;
  k: number;
}

/** Thrown when the design is (nearly) singular; `columns` names the columns involved. */
export class CollinearityError extends RangeError {
  constructor(
    message: string,
    public columns: string[],
  ) {
    super(message);
    this.name = 'CollinearityError';
  }
}

/**
 * OLS of y on the columns X (each of length n, all finite). A column whose part orthogonal to
 * the columns before it is below 1e-8 of its norm (R² of it on the others above 1 - 1e-16)
 * makes the design singular for practical purposes: a CollinearityError names it and the
 * columns it is (nearly) a combination of.
 */
export function olsFit(X: Float64Array[], y: Float64Array, names: string[], fn = 'regress'): OlsFit {
  const k = X.length,
    n = y.length;
  if (n <= k)
    throw new RangeError(
      `${fn}: ${n} complete observation${n === 1 ? '' : 's'} for ${k} coefficients; need more rows than coefficients`,
    );
  const Q = X.map((c) => c.slice()); // overwritten by the Householder vectors
  const qy = y.slice();
  const R = new Float64Array(k * k);
  const norms = X.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i] * c[i];
    return Math.sqrt(s);
  });
  for (let j = 0; j < k; j++) {
    const v = Q[j];
    let s = 0;
    for (let i = j; i < n; i++) s += v[i] * v[i];
    const alpha = Math.sqrt(s);
    if (!(alpha > 1e-8 * norms[j])) {
      // column j lies (nearly) in the span of columns 0..j-1: solve R[:j,:j] c = R[:j, j]
      const c = new Float64Array(j);
      for (let a = j - 1; a >= 0; a--) {
        let t = R[a * k + j];
        for (let b = a + 1; b < j; b++) t -= R[a * k + b] * c[b];
        c[a] = t / R[a * k + a];
      }
      const parts: string[] = [];
      for (let a = 0; a < j; a++)
        if (Math.abs(c[a]) * norms[a] > 1e-6 * norms[j]) parts.push(`${fmtC(c[a])}·${names[a]}`);
      const which = parts.length ? ` ≈ ${parts.join(' + ').replace(/\+ -/g, '- ')}` : ' is all zero';
      const involved = [names[j], ...names.filter((_, a) => a < j && Math.abs(c[a]) * norms[a] > 1e-6 * norms[j])];
      throw new CollinearityError(
        `${fn}: the regressors are collinear: ${names[j]}${which} on the ${n} rows used; ` +
          `drop one of ${involved.map((s2) => `"${s2}"`).join(', ')} (a constant column is already included as "const")`,
        involved,
      );
    }
    const diag = v[j] > 0 ? -alpha : alpha;
    v[j] -= diag; // v = x - diag·e_j, so H x = diag·e_j
    const vtv = s - (v[j] + diag) * (v[j] + diag) + v[j] * v[j];
    R[j * k + j] = diag;
    // reflect the remaining columns and y: H c = c - (2 v'c / v'v) v
    for (let m = j + 1; m <= k; m++) {
      const c = m < k ? Q[m] : qy;
      let d = 0;
      for (let i = j; i < n; i++) d += v[i] * c[i];
      const f = (2 * d) / vtv;
      for (let i = j; i < n; i++) c[i] -= f * v[i];
      if (m < k) R[j * k + m] = c[j];
    }
  }
  // back-substitution R b = (Q'y)[:k]
  const params = new Float64Array(k);
  for (let a = k - 1; a >= 0; a--) {
    let t = qy[a];
    for (let b = a + 1; b < k; b++) t -= R[a * k + b] * params[b];
    params[a] = t / R[a * k + a];
  }
  // R^-1 (upper triangular), then (X'X)^-1 = R^-1 R^-T
  const Ri = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    Ri[j * k + j] = 1 / R[j * k + j];
    for (let a = j - 1; a >= 0; a--) {
      let t = 0;
      for (let b = a + 1; b <= j; b++) t += R[a * k + b] * Ri[b * k + j];
      Ri[a * k + j] = -t / R[a * k + a];
    }
  }
  const xtxInv = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      let t = 0;
      for (let m = Math.max(a, b); m < k; m++) t += Ri[a * k + m] * Ri[b * k + m];
      xtxInv[a * k + b] = xtxInv[b * k + a] = t;
    }
  // fitted values column by column (same sums, in the same order, as row by row), then y - fit
  const resid = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const c = X[j],
      p = params[j];
    for (let i = 0; i < n; i++) resid[i] += c[i] * p;
  }
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i] - resid[i];
    resid[i] = e;
    ssr += e * e;
  }
  return { params, xtxInv, resid, ssr, n, k };
}

function fmtC(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/** Gaussian log-likelihood of an OLS fit (statsmodels llf): -n/2 (ln 2π + ln(SSR/n) + 1). */
export function olsLlf(ssr: number, n: number): number {
  return -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
}
