/**
 * The least-squares core shared by regress, beta (robust errors), granger, adf, coint and
 * eventStudy: Householder QR of the design (columns as Float64Arrays), the inverse of X'X from
 * R, residuals, and the classic / HC1 / HAC (Newey-West) covariance of the coefficients as
 * statsmodels computes them (OLS(...).fit(cov_type=...)).
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
  constructor(message: string, public columns: string[]) { super(message); this.name = 'CollinearityError'; }
}

/**
 * OLS of y on the columns X (each of length n, all finite). A column whose part orthogonal to
 * the columns before it is below 1e-8 of its norm (R² of it on the others above 1 - 1e-16)
 * makes the design singular for practical purposes: a CollinearityError names it and the
 * columns it is (nearly) a combination of.
 */
export function olsFit(X: Float64Array[], y: Float64Array, names: string[], fn = 'regress'): OlsFit {
  const k = X.length, n = y.length;
  if (n <= k) throw new RangeError(`${fn}: ${n} complete observation${n === 1 ? '' : 's'} for ${k} coefficients; need more rows than coefficients`);
  const Q = X.map((c) => Float64Array.from(c)); // overwritten by the Householder vectors
  const qy = Float64Array.from(y);
  const R = new Float64Array(k * k);
  const norms = X.map((c) => { let s = 0; for (let i = 0; i < n; i++) s += c[i] * c[i]; return Math.sqrt(s); });
  for (let j = 0; j < k; j++) {
    const v = Q[j];
    let s = 0;
    for (let i = j; i < n; i++) s += v[i] * v[i];
    const alpha = Math.sqrt(s);
    if (!(alpha > 1e-8 * norms[j])) {
      // column j lies (nearly) in the span of columns 0..j-1: solve R[:j,:j] c = R[:j, j]
      const c = new Float64Array(j);
      for (let a = j - 1; a >= 0; a--) { let t = R[a * k + j]; for (let b = a + 1; b < j; b++) t -= R[a * k + b] * c[b]; c[a] = t / R[a * k + a]; }
      const parts: string[] = [];
      for (let a = 0; a < j; a++) if (Math.abs(c[a]) * norms[a] > 1e-6 * norms[j]) parts.push(`${fmtC(c[a])}·${names[a]}`);
      const which = parts.length ? ` ≈ ${parts.join(' + ').replace(/\+ -/g, '- ')}` : ' is all zero';
      const involved = [names[j], ...names.filter((_, a) => a < j && Math.abs(c[a]) * norms[a] > 1e-6 * norms[j])];
      throw new CollinearityError(`${fn}: the regressors are collinear: ${names[j]}${which} on the ${n} rows used; `
        + `drop one of ${involved.map((s2) => `"${s2}"`).join(', ')} (a constant column is already included as "const")`, involved);
    }
    const diag = v[j] > 0 ? -alpha : alpha;
    v[j] -= diag; // v = x - diag·e_j, so H x = diag·e_j
    const vtv = s - (v[j] + diag) * (v[j] + diag) + v[j] * v[j];
    R[j * k + j] = diag;
    for (let m = j + 1; m < k; m++) {
      const c = Q[m];
      let d = 0;
      for (let i = j; i < n; i++) d += v[i] * c[i];
      const f = (2 * d) / vtv;
      for (let i = j; i < n; i++) c[i] -= f * v[i];
      R[j * k + m] = c[j];
    }
    let d = 0;
    for (let i = j; i < n; i++) d += v[i] * qy[i];
    const f = (2 * d) / vtv;
    for (let i = j; i < n; i++) qy[i] -= f * v[i];
  }
  // back-substitution R b = (Q'y)[:k]
  const params = new Float64Array(k);
  for (let a = k - 1; a >= 0; a--) { let t = qy[a]; for (let b = a + 1; b < k; b++) t -= R[a * k + b] * params[b]; params[a] = t / R[a * k + a]; }
  // R^-1 (upper triangular), then (X'X)^-1 = R^-1 R^-T
  const Ri = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    Ri[j * k + j] = 1 / R[j * k + j];
    for (let a = j - 1; a >= 0; a--) { let t = 0; for (let b = a + 1; b <= j; b++) t += R[a * k + b] * Ri[b * k + j]; Ri[a * k + j] = -t / R[a * k + a]; }
  }
  const xtxInv = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) {
    let t = 0;
    for (let m = Math.max(a, b); m < k; m++) t += Ri[a * k + m] * Ri[b * k + m];
    xtxInv[a * k + b] = xtxInv[b * k + a] = t;
  }
  const resid = new Float64Array(n);
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < k; j++) f += X[j][i] * params[j];
    const e = y[i] - f;
    resid[i] = e; ssr += e * e;
  }
  return { params, xtxInv, resid, ssr, n, k };
}

function fmtC(v: number): string { return String(Number(v.toPrecision(4))); }

/** Newey-West lag count statsmodels uses when none is given (S_hac_simple): floor(4 (n/100)^(2/9)). */
export function defaultHacLags(n: number): number { return Math.floor(4 * Math.pow(n / 100, 2 / 9)); }

/**
 * Covariance of the coefficients (k×k row-major):
 *  - classic: s²(X'X)^-1, s² = SSR/(n-k)                          (cov_type='nonrobust')
 *  - hc1:     n/(n-k) · (X'X)^-1 X' diag(u²) X (X'X)^-1              (cov_type='HC1')
 *  - hac:     (X'X)^-1 S (X'X)^-1, S = Γ0 + Σ_l (1 - l/(L+1)) (Γl + Γl'),
 *             Γl = Σ_t u_t u_(t-l) x_t x_(t-l)'  (cov_type='HAC', maxlags=L, Bartlett kernel;
 *             statsmodels' OLS default use_correction=False: no n/(n-k) factor unless `correction`)
 */
export function olsCov(X: Float64Array[], fit: OlsFit, se: SeKind, lags = 0, correction = se === 'hc1'): Float64Array {
  const { k, n, xtxInv, resid } = fit;
  const cov = new Float64Array(k * k);
  if (se === 'classic') {
    const s2 = fit.ssr / (n - k);
    for (let i = 0; i < k * k; i++) cov[i] = s2 * xtxInv[i];
    return cov;
  }
  const S = new Float64Array(k * k);
  const L = se === 'hac' ? lags : 0;
  // scores x_t·u_t once, then Γ_l[a][b] = Σ_t s_a[t] s_b[t-l] (statsmodels S_hac_simple: xu[l:]'xu[:-l])
  const sc = X.map((c) => { const o = new Float64Array(n); for (let t = 0; t < n; t++) o[t] = c[t] * resid[t]; return o; });
  for (let l = 0; l <= L; l++) {
    const w = l === 0 ? 1 : 1 - l / (L + 1);
    for (let a = 0; a < k; a++) {
      const sa = sc[a];
      for (let b = l === 0 ? a : 0; b < k; b++) {
        const sb = sc[b];
        let s0 = 0, s1 = 0, t = l;
        for (; t + 1 < n; t += 2) { s0 += sa[t] * sb[t - l]; s1 += sa[t + 1] * sb[t + 1 - l]; }
        if (t < n) s0 += sa[t] * sb[t - l];
        const v = s0 + s1;
        if (l === 0) { S[a * k + b] += v; if (b !== a) S[b * k + a] += v; }
        else { S[a * k + b] += w * v; S[b * k + a] += w * v; }
      }
    }
  }
  // (X'X)^-1 S (X'X)^-1 · n/(n-k)
  const T = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) { let s = 0; for (let m = 0; m < k; m++) s += xtxInv[a * k + m] * S[m * k + b]; T[a * k + b] = s; }
  const corr = correction ? n / (n - k) : 1;
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) { let s = 0; for (let m = 0; m < k; m++) s += T[a * k + m] * xtxInv[m * k + b]; cov[a * k + b] = s * corr; }
  return cov;
}

/** Solves the symmetric positive-definite system A x = b (k×k row-major) by Cholesky; null when A is not positive definite. */
export function solveSpd(A: Float64Array, b: Float64Array, k: number): Float64Array | null {
  const L = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j];
    for (let m = 0; m < j; m++) d -= L[j * k + m] * L[j * k + m];
    if (!(d > 0)) return null;
    L[j * k + j] = Math.sqrt(d);
    for (let i = j + 1; i < k; i++) {
      let s = A[i * k + j];
      for (let m = 0; m < j; m++) s -= L[i * k + m] * L[j * k + m];
      L[i * k + j] = s / L[j * k + j];
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) { let s = b[i]; for (let m = 0; m < i; m++) s -= L[i * k + m] * z[m]; z[i] = s / L[i * k + i]; }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) { let s = z[i]; for (let m = i + 1; m < k; m++) s -= L[m * k + i] * x[m]; x[i] = s / L[i * k + i]; }
  return x;
}

/** Wald F statistic of H0: the coefficients `idx` are all zero, with covariance cov: (Rb)'(RVR')^-1(Rb)/q. */
export function waldF(params: Float64Array, cov: Float64Array, k: number, idx: number[]): number {
  const q = idx.length;
  const V = new Float64Array(q * q), b = new Float64Array(q);
  idx.forEach((a, i) => { b[i] = params[a]; idx.forEach((c, j) => { V[i * q + j] = cov[a * k + c]; }); });
  const x = solveSpd(V, b, q);
  if (!x) return NaN;
  let s = 0;
  for (let i = 0; i < q; i++) s += b[i] * x[i];
  return s / q;
}

/** Gaussian log-likelihood of an OLS fit (statsmodels llf): -n/2 (ln 2π + ln(SSR/n) + 1). */
export function olsLlf(ssr: number, n: number): number { return -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1); }
