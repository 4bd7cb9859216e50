/**
 * The least-squares core shared by regress, beta (robust errors), granger, adf, coint and
 * eventStudy: Householder QR of the design (columns as Float64Arrays), the inverse of X'X from
 * R, residuals, and the classic / HC1 / HAC (Newey-West) covariance of the coefficients as
 * statsmodels computes them (OLS(...).fit(cov_type=...)).
 *
 * QR rather than the normal equations: it keeps the digits of an ill-conditioned design (a
 * level next to a constant in adf) and shows collinearity as a vanishing diagonal of R, which
 * lets the error name the columns involved.
 * (Over 300 lines on purpose, barely: one least-squares kernel (the QR fit, the covariances of
 * its coefficients and the Wald F and log-likelihood on them), read best in one place.)
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

/** Newey-West lag count statsmodels uses when none is given (S_hac_simple): floor(4 (n/100)^(2/9)). */
export function defaultHacLags(n: number): number {
  return Math.floor(4 * Math.pow(n / 100, 2 / 9));
}

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
  const L = se === 'hac' ? lags : 0;
  const S = hacMeat(X, resid, k, n, L);
  // (X'X)^-1 S (X'X)^-1 · n/(n-k)
  const T = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += xtxInv[a * k + m] * S[m * k + b];
      T[a * k + b] = s;
    }
  const corr = correction ? n / (n - k) : 1;
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += T[a * k + m] * xtxInv[m * k + b];
      cov[a * k + b] = s * corr;
    }
  return cov;
}

/**
 * The "meat" S = Γ0 + Σ_(l=1..L) w_l (Γl + Γl'), w_l = 1 - l/(L+1), Γl = Σ_t s_t s_(t-l)' with the
 * scores s_t = x_t u_t (statsmodels S_hac_simple; L = 0 gives White's Σ u² x x').
 *
 * Σ_l w_l Γl = Σ_t s_t m_t' where m_t = Σ_(l=1..L) w_l s_(t-l) is a Bartlett-weighted moving sum
 * of the past scores. With U_t = Σ_l s_(t-l) and V_t = Σ_l l·s_(t-l), m_t = U_t - V_t/(L+1), and
 * both slide in O(k): U_(t+1) = U_t + s_t - s_(t-L), V_(t+1) = V_t + U_t + s_t - (L+1)·s_(t-L).
 * So the cost is k² per row whatever L, instead of L·k² for the lagged products one by one
 * (statsmodels does those as L BLAS products; the loop version was 1.6x slower than it at
 * 1,000,000 rows and 10 lags, this one is faster: bench/analytics.mjs). U and V restart from
 * the scores every 512 rows, so rounding in the sliding sums never accumulates further.
 */
function hacMeat(X: Float64Array[], resid: Float64Array, k: number, n: number, L: number): Float64Array {
  // rows in chunks of B: the chunk's scores s_a and weighted sums m_a as columns, then Γ0 and M
  // by dot products with local accumulators (the loop over t innermost, as in the QR)
  const B = 4096,
    inv = 1 / (L + 1);
  const sc = Array.from({ length: k }, () => new Float64Array(B)),
    mc = Array.from({ length: k }, () => new Float64Array(B));
  const U = new Float64Array(k),
    V = new Float64Array(k);
  const G0 = new Float64Array(k * k),
    M = new Float64Array(k * k);
  for (let t0 = 0; t0 < n; t0 += B) {
    const len = Math.min(B, n - t0);
    for (let a = 0; a < k; a++) {
      const c = X[a],
        s = sc[a],
        m = mc[a];
      for (let i = 0; i < len; i++) s[i] = c[t0 + i] * resid[t0 + i];
      if (L === 0) continue;
      let u = U[a],
        v = V[a];
      for (let i = 0; i < len; i++) {
        const t = t0 + i;
        if ((t & 511) === 0) {
          // restart the sliding sums from the scores themselves
          u = 0;
          v = 0;
          for (let l = 1; l <= L && l <= t; l++) {
            const q = c[t - l] * resid[t - l];
            u += q;
            v += l * q;
          }
        }
        m[i] = u - v * inv;
        const so = t >= L ? c[t - L] * resid[t - L] : 0,
          sa = s[i];
        v += u + sa - (L + 1) * so;
        u += sa - so;
      }
      U[a] = u;
      V[a] = v;
    }
    for (let a = 0; a < k; a++) {
      const sa = sc[a];
      for (let b = a; b < k; b++) {
        const sb = sc[b];
        let d = 0;
        for (let i = 0; i < len; i++) d += sa[i] * sb[i];
        G0[a * k + b] += d;
      }
      if (L === 0) continue;
      for (let b = 0; b < k; b++) {
        const mb = mc[b];
        let d = 0;
        for (let i = 0; i < len; i++) d += sa[i] * mb[i];
        M[a * k + b] += d;
      }
    }
  }
  const S = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      const g = G0[a * k + b];
      S[a * k + b] = g + M[a * k + b] + M[b * k + a];
      S[b * k + a] = g + M[b * k + a] + M[a * k + b];
    }
  return S;
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
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= L[i * k + m] * z[m];
    z[i] = s / L[i * k + i];
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let m = i + 1; m < k; m++) s -= L[m * k + i] * x[m];
    x[i] = s / L[i * k + i];
  }
  return x;
}

/** Wald F statistic of H0: the coefficients `idx` are all zero, with covariance cov: (Rb)'(RVR')^-1(Rb)/q. */
export function waldF(params: Float64Array, cov: Float64Array, k: number, idx: number[]): number {
  const q = idx.length;
  const V = new Float64Array(q * q),
    b = new Float64Array(q);
  idx.forEach((a, i) => {
    b[i] = params[a];
    idx.forEach((c, j) => {
      V[i * q + j] = cov[a * k + c];
    });
  });
  const x = solveSpd(V, b, q);
  if (!x) return NaN;
  let s = 0;
  for (let i = 0; i < q; i++) s += b[i] * x[i];
  return s / q;
}

/** Gaussian log-likelihood of an OLS fit (statsmodels llf): -n/2 (ln 2π + ln(SSR/n) + 1). */
export function olsLlf(ssr: number, n: number): number {
  return -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
}
