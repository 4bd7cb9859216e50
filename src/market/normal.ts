/**
 * The standard normal distribution the correlation intervals need (erfc, its tail, the 97.5%
 * quantile) and the Fisher z interval of a correlation. src/market/inference/distributions.ts
 * builds the t, F, chi² and incomplete beta/gamma families on this erfc.
 */

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * Complementary error function, relative accuracy ~1e-15: for x < 2 the everywhere-positive
 * series erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)); for x ≥ 2 the continued fraction
 * erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (modified Lentz).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    let term = x,
      sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x * x) * sum;
  }
  if (x > 27.3) return 0; // e^(-x²) underflows
  const tiny = 1e-300;
  let f = x,
    C = x,
    Dn = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    Dn = x + a * Dn;
    if (Math.abs(Dn) < tiny) Dn = tiny;
    Dn = 1 / Dn;
    C = x + a / C;
    if (Math.abs(C) < tiny) C = tiny;
    const delta = C * Dn;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** 97.5% quantile of the standard normal (scipy.stats.norm.ppf(0.975)). */
export const Z_975 = 1.959963984540054;

/**
 * Fisher z interval of a correlation: z = atanh(r), se = 1/√(n − 3); the 95% interval is
 * tanh(z ± 1.959963984540054·se) and the two-sided p-value 2·P(Z > |z|/se) (normal
 * approximation; corr() shows the exact p beside it). NaNs when r is not finite or n < 4;
 * |r| = 1 gives the interval [r, r] and p = 0.
 * numpy/scipy: `np.tanh(np.arctanh(r) + np.array([-1, 1]) * st.norm.ppf(0.975) / np.sqrt(n - 3))`,
 * p `2 * st.norm.sf(abs(np.arctanh(r)) * np.sqrt(n - 3))`.
 * @param r a correlation coefficient in [-1, 1]
 * @param n the number of pairs it was computed from
 * @returns `{ ci: [low, high], p }`
 * @example
 * fisher(0.5, 28) // => {"ci":[0.15602836252908595,0.7358184794439376],"p":0.006022924485883152}
 */
export function fisher(r: number, n: number): { ci: [number, number]; p: number } {
  if (!Number.isFinite(r) || n < 4) return { ci: [NaN, NaN], p: NaN };
  if (Math.abs(r) >= 1) return { ci: [r, r], p: 0 };
  const z = Math.atanh(r),
    se = 1 / Math.sqrt(n - 3);
  return { ci: [Math.tanh(z - Z_975 * se), Math.tanh(z + Z_975 * se)], p: 2 * normalSf(Math.abs(z) / se) };
}
