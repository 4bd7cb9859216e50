/**
 * The covariance of OLS coefficients as statsmodels computes it (OLS(...).fit(cov_type=...)):
 * classic, HC1 and HAC (Newey-West, Bartlett kernel), and the Wald F test on that covariance.
 * The fit itself (QR, (X'X)^-1, residuals) is ols.ts.
 */
import type { OlsFit, SeKind } from './ols';

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
