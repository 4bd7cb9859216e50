/**
 * Probability distributions for the tests and intervals of the analysis library: normal,
 * Student-t, F and chi-square, built on the regularized incomplete beta and gamma functions
 * (special.ts).
 * Tail functions (sf) are computed directly (never 1 - cdf), so a p-value of 1e-30 keeps its
 * digits. Checked against scipy.stats at extreme arguments in test/unit/inference/distributions.test.ts.
 *
 * Hand-written because no maintained npm package gives these tails to ~1e-14 relative with
 * types and no dependencies (jstat's ibeta stops at ~1e-10 and its tails lose digits).
 * (Over 300 lines on purpose: the four families a p-value needs (normal, t, F, chi-square), each
 * a few short functions with their JSDoc and examples, read best side by side in one place.)
 */
import { erfc } from '../stats';
import { betaincXY, gammainc, lgamma, LN_SQRT_2PI } from './special';

// ---------------------------------------------------------------------------------------
// normal

/**
 * Standard normal density φ(z) = exp(-z²/2)/√(2π). scipy: `scipy.stats.norm.pdf(z)`.
 * @param z point
 * @returns φ(z)
 * @example
 * normPdf(0) // => 0.398942280401
 */
export function normPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LN_SQRT_2PI);
}
/**
 * P(Z <= z) = ½·erfc(-z/√2) for a standard normal Z. scipy: `scipy.stats.norm.cdf(z)`.
 * @param z point
 * @returns Φ(z)
 * @example
 * normCdf(-1.96) // => 0.0249978951482
 */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}
/**
 * P(Z > z) = ½·erfc(z/√2), computed directly (no 1 - Φ cancellation). scipy: `scipy.stats.norm.sf(z)`.
 * @param z point
 * @returns 1 - Φ(z)
 * @example
 * normSf(1.96) // => 0.0249978951482
 */
export function normSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Standard normal quantile Φ⁻¹(p): Wichura's AS 241 (PPND16), ~1e-16 relative.
 * scipy: `scipy.stats.norm.ppf(p)`.
 * @param p probability in [0, 1]
 * @returns z with Φ(z) = p (±Infinity at 0 and 1, NaN outside)
 * @example
 * normPpf(0.975) // => 1.95996398454
 */
export function normPpf(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    v =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -v : v;
}

// ---------------------------------------------------------------------------------------
// Student-t, F, chi-square

/**
 * P(T > t) for Student-t with df degrees of freedom: ½·I_(df/(df+t²))(df/2, ½) for t > 0.
 * scipy: `scipy.stats.t.sf(t, df)`.
 * @param t point
 * @param df degrees of freedom, > 0
 * @returns P(T > t)
 * @example
 * tSf(2, 10) // => 0.0366940173854
 */
export function tSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df === Infinity) return normSf(t);
  const tail = 0.5 * tTwoSided(t, df); // P(|T| > |t|) / 2
  return t > 0 ? tail : 1 - tail;
}
/**
 * P(T <= t) for Student-t with df degrees of freedom (= tSf(-t, df)). scipy: `scipy.stats.t.cdf(t, df)`.
 * @param t point
 * @param df degrees of freedom, > 0 (need not be an integer)
 * @returns P(T <= t)
 * @example
 * tCdf(-2, 10) // => 0.0366940173854
 */
export function tCdf(t: number, df: number): number {
  return tSf(-t, df);
}
/**
 * Two-sided p-value P(|T| > |t|) = I_(df/(df+t²))(df/2, ½), without the 1 - cdf cancellation.
 * scipy: `2 * scipy.stats.t.sf(abs(t), df)`.
 * @param t statistic
 * @param df degrees of freedom, > 0
 * @returns P(|T| > |t|)
 * @example
 * tTwoSided(2, 10) // => 0.0733880347707
 */
export function tTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df === Infinity) return 2 * normSf(Math.abs(t));
  const t2 = t * t;
  return betaincXY(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}
/**
 * Student-t density Γ((df+1)/2)/(√(df·π)·Γ(df/2))·(1 + t²/df)^(-(df+1)/2). scipy: `scipy.stats.t.pdf(t, df)`.
 * @param t point
 * @param df degrees of freedom, > 0
 * @returns the density at t
 * @example
 * tPdf(0, 10) // => 0.389108383966
 */
export function tPdf(t: number, df: number): number {
  return Math.exp(
    lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}
/**
 * Student-t quantile: Newton steps on the exact tail from a normal start, bisection-guarded
 * (the tail at the result equals 1 - p to ~1e-15). scipy: `scipy.stats.t.ppf(p, df)`.
 * @param p probability in [0, 1]
 * @param df degrees of freedom, > 0
 * @returns t with P(T <= t) = p
 * @example
 * tPpf(0.975, 10) // => 2.22813885199
 */
export function tPpf(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === Infinity) return normPpf(p);
  if (p < 0.5) return -tPpf(1 - p, df);
  const q = 1 - p; // upper tail wanted
  // bracket [lo, hi] with tSf(lo) >= q >= tSf(hi)
  let lo = 0,
    hi = Math.max(1, normPpf(p));
  while (tSf(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let x = hi;
  for (let it = 0; it < 200; it++) {
    const f = tSf(x, df) - q; // decreasing in x
    if (f === 0) return x;
    if (f > 0) lo = x;
    else hi = x;
    let nx = x + f / tPdf(x, df);
    if (!(nx > lo && nx < hi)) nx = 0.5 * (lo + hi);
    if (Math.abs(nx - x) <= 1e-15 * Math.abs(x)) return nx;
    x = nx;
  }
  return x;
}

/**
 * P(F > f) for the F distribution with (d1, d2) degrees of freedom: I_(d2/(d2+d1·f))(d2/2, d1/2).
 * scipy: `scipy.stats.f.sf(f, d1, d2)`.
 * @param f point, >= 0
 * @param d1 numerator degrees of freedom
 * @param d2 denominator degrees of freedom
 * @returns P(F > f)
 * @example
 * fSf(3, 2, 20) // => 0.0725381502864
 */
export function fSf(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || !(d1 > 0) || !(d2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  return betaincXY(d2 / 2, d1 / 2, d2 / (d2 + d1 * f), (d1 * f) / (d2 + d1 * f));
}
/**
 * P(F <= f) = I_(d1·f/(d1·f+d2))(d1/2, d2/2). scipy: `scipy.stats.f.cdf(f, d1, d2)`.
 * @param f point, >= 0
 * @param d1 numerator degrees of freedom
 * @param d2 denominator degrees of freedom
 * @returns P(F <= f)
 * @example
 * fCdf(3, 2, 20) // => 0.927461849714
 */
export function fCdf(f: number, d1: number, d2: number): number {
  if (f <= 0) return 0;
  return betaincXY(d2 / 2, d1 / 2, d2 / (d2 + d1 * f), (d1 * f) / (d2 + d1 * f), true);
}

/**
 * P(X > x) for chi-square with k degrees of freedom: Q(k/2, x/2). scipy: `scipy.stats.chi2.sf(x, k)`.
 * @param x point
 * @param k degrees of freedom, > 0
 * @returns P(X > x)
 * @example
 * chi2Sf(3.84, 1) // => 0.0500435212487
 */
export function chi2Sf(x: number, k: number): number {
  return x <= 0 ? 1 : gammainc(k / 2, x / 2, true);
}
/**
 * P(X <= x) for chi-square with k degrees of freedom: P(k/2, x/2). scipy: `scipy.stats.chi2.cdf(x, k)`.
 * @param x point
 * @param k degrees of freedom, > 0
 * @returns P(X <= x)
 * @example
 * chi2Cdf(3.84, 1) // => 0.949956478751
 */
export function chi2Cdf(x: number, k: number): number {
  return x <= 0 ? 0 : gammainc(k / 2, x / 2);
}

// ---------------------------------------------------------------------------------------
// tests of a correlation

/**
 * Two-sided p-value of r = 0 for a Pearson correlation of n pairs, exact under normality, as
 * scipy.stats.pearsonr: 2·I_((1-|r|)/2)(n/2-1, n/2-1) (the beta form of the t test with n-2 df).
 * n = 2 gives 1 (scipy's convention); n < 2 or a NaN r gives NaN.
 * @param r the correlation
 * @param n number of pairs
 * @returns the two-sided p-value (scipy: `scipy.stats.pearsonr(a, b)[1]`)
 * @example
 * pearsonP(0.8, 5) // => 0.104088038662
 */
export function pearsonP(r: number, n: number): number {
  if (!Number.isFinite(r) || n < 2) return NaN;
  if (n === 2) return 1;
  const ar = Math.min(1, Math.abs(r)),
    ab = n / 2 - 1;
  return ar === 1 ? 0 : Math.min(1, 2 * betaincXY(ab, ab, 0.5 * (1 - ar), 0.5 * (1 + ar)));
}

/**
 * Two-sided p-value of a Spearman correlation, as scipy.stats.spearmanr: the t statistic
 * t = r·√((n-2)/((1+r)(1-r))) against Student-t with n-2 df (large-sample; no exact permutation).
 * @param r the Spearman correlation
 * @param n number of pairs
 * @returns the two-sided p-value (scipy: `scipy.stats.spearmanr(a, b)[1]`)
 * @example
 * spearmanP(0.8, 5) // => 0.104088038662
 */
export function spearmanP(r: number, n: number): number {
  if (!Number.isFinite(r) || n < 3) return NaN;
  const df = n - 2;
  if (Math.abs(r) >= 1) return 0;
  return tTwoSided(r * Math.sqrt(df / ((r + 1) * (1 - r))), df);
}
