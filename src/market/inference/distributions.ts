/**
 * Probability distributions for the tests and intervals of the analysis library: normal,
 * Student-t, F and chi-square, built on the regularized incomplete beta and gamma functions.
 * Tail functions (sf) are computed directly (never 1 - cdf), so a p-value of 1e-30 keeps its
 * digits. Checked against scipy.stats at extreme arguments in test/unit/market/distributions.test.ts.
 *
 * Hand-written because no maintained npm package gives these tails to ~1e-14 relative with
 * types and no dependencies (jstat's ibeta stops at ~1e-10 and its tails lose digits).
 */
import { erfc } from '../stats';

const LN_SQRT_2PI = 0.9189385332046728;

// Lanczos approximation (g = 7, n = 9): ~1e-15 relative for x > 0
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/**
 * ln Γ(x) for x > 0: Lanczos (g = 7) up to 15, Stirling's series above.
 * scipy: `scipy.special.gammaln(x)`.
 * @param x argument, > 0
 * @returns ln Γ(x) (NaN for x <= 0 or NaN)
 * @example
 * lgamma(10) // => 12.8018274801
 */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  if (x > 15) {
    // Stirling: (x-½)ln x - x + ½ln 2π + 1/(12x) - 1/(360x³) + 1/(1260x⁵) - 1/(1680x⁷)
    const r = 1 / x, r2 = r * r;
    return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 / 1680)));
  }
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** lgamma(x) - Stirling's leading terms, for x >= 10 (the Bernoulli series, error < 1e-17). */
function stirlingCorr(x: number): number {
  const r = 1 / x, r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188 - r2 * (691 / 360360 - r2 / 156))))));
}

/**
 * ln B(a, b). With a large argument ln Γ(a) + ln Γ(b) - ln Γ(a+b) would cancel (ln Γ(5e5) ≈ 6e6
 * loses 9 digits), so, as R's lbeta, the large parts are combined analytically and only the
 * small Stirling corrections are subtracted.
 * @param a first shape, > 0
 * @param b second shape, > 0
 * @returns ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a+b); scipy: `scipy.special.betaln(a, b)`
 * @example
 * lbeta(2, 3) // => -2.48490664979
 */
export function lbeta(a: number, b: number): number {
  const p = Math.min(a, b), q = Math.max(a, b);
  if (!(p > 0)) return p === 0 ? Infinity : NaN;
  if (p >= 10) {
    const corr = stirlingCorr(p) + stirlingCorr(q) - stirlingCorr(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = stirlingCorr(q) - stirlingCorr(p + q);
    return lgamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return lgamma(p) + lgamma(q) - lgamma(p + q);
}

/**
 * Continued fraction of the incomplete beta (modified Lentz), for x < (a+1)/(a+b+2); y = 1 - x.
 * Its first denominator 1 - (a+b)x/(a+1) cancels near the switch point when a is large
 * (t with df = 1e6); it is formed from y instead, (1 - b + (a+b)y)/(a+1), exact in that case.
 */
function betacf(a: number, b: number, x: number, y: number): number {
  const TINY = 1e-300, EPS = 1e-16;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = x > 0.5 ? (1 - b + qab * y) / qap : 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) = B(x; a, b)/B(a, b) (scipy.special.betainc), and its complement
 * 1 - I_x(a, b) = I_(1-x)(b, a) without cancellation when `upper` is set.
 * @param a first shape, > 0
 * @param b second shape, > 0
 * @param x point in [0, 1]
 * @param upper return the complement 1 - I_x(a, b)
 * @returns I_x(a, b) (scipy: `scipy.special.betainc(a, b, x)`; `betaincc` with `upper`)
 * @example
 * betainc(2, 3, 0.4) // => 0.5248
 */
export function betainc(a: number, b: number, x: number, upper = false): number { return betaincXY(a, b, x, 1 - x, upper); }

/** betainc with 1 - x passed separately (y), so a caller that knows it exactly loses no digits near x = 1. */
export function betaincXY(a: number, b: number, x: number, y: number, upper = false): number {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x <= 0) return upper ? 1 : 0;
  if (y <= 0) return upper ? 0 : 1;
  // x^a (1-x)^b / B(a,b)
  const front = Math.exp(a * (x < 0.5 ? Math.log(x) : Math.log1p(-y)) + b * (y < 0.5 ? Math.log(y) : Math.log1p(-x)) - lbeta(a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lo = (front * betacf(a, b, x, y)) / a;
    return upper ? 1 - lo : lo;
  }
  const hi = (front * betacf(b, a, y, x)) / b;
  return upper ? hi : 1 - hi;
}

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), or Q = 1 - P with `upper`
 * (series for x < a + 1, continued fraction above). scipy: `scipy.special.gammainc(a, x)` / `gammaincc`.
 * @param a shape, > 0
 * @param x point, >= 0
 * @param upper return Q(a, x) = 1 - P(a, x), computed directly
 * @returns P(a, x), or Q(a, x) with `upper`
 * @example
 * gammainc(2, 1.5) // => 0.442174599629
 */
export function gammainc(a: number, x: number, upper = false): number {
  if (!(a > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return upper ? 1 : 0;
  if (x === Infinity) return upper ? 0 : 1;
  const lnFront = a * Math.log(x) - x - lgamma(a);
  if (x < a + 1) {
    // series: P = e^(-x) x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n))
    let ap = a, sum = 1 / a, del = sum;
    for (let n = 0; n < 100000; n++) { ap += 1; del *= x / ap; sum += del; if (Math.abs(del) < Math.abs(sum) * 1e-17) break; }
    const p = sum * Math.exp(lnFront);
    return upper ? 1 - p : p;
  }
  // continued fraction for Q (modified Lentz)
  const TINY = 1e-300;
  let b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const q = Math.exp(lnFront) * h;
  return upper ? q : 1 - q;
}

// ---------------------------------------------------------------------------------------
// normal

/**
 * Standard normal density φ(z) = exp(-z²/2)/√(2π). scipy: `scipy.stats.norm.pdf(z)`.
 * @param z point
 * @returns φ(z)
 * @example
 * normPdf(0) // => 0.398942280401
 */
export function normPdf(z: number): number { return Math.exp(-0.5 * z * z - LN_SQRT_2PI); }
/**
 * P(Z <= z) = ½·erfc(-z/√2) for a standard normal Z. scipy: `scipy.stats.norm.cdf(z)`.
 * @param z point
 * @returns Φ(z)
 * @example
 * normCdf(-1.96) // => 0.0249978951482
 */
export function normCdf(z: number): number { return 0.5 * erfc(-z / Math.SQRT2); }
/**
 * P(Z > z) = ½·erfc(z/√2), computed directly (no 1 - Φ cancellation). scipy: `scipy.stats.norm.sf(z)`.
 * @param z point
 * @returns 1 - Φ(z)
 * @example
 * normSf(1.96) // => 0.0249978951482
 */
export function normSf(z: number): number { return 0.5 * erfc(z / Math.SQRT2); }

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
    return (q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r
      + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r + 3.387132872796366608))
      / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r
        + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r
      + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734)
      / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r
        + 0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    v = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r
      + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772)
      / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r
        + 0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1);
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
export function tCdf(t: number, df: number): number { return tSf(-t, df); }
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
  return Math.exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
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
  let lo = 0, hi = Math.max(1, normPpf(p));
  while (tSf(hi, df) > q) { lo = hi; hi *= 2; if (hi > 1e300) return Infinity; }
  let x = hi;
  for (let it = 0; it < 200; it++) {
    const f = tSf(x, df) - q; // decreasing in x
    if (f === 0) return x;
    if (f > 0) lo = x; else hi = x;
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
export function chi2Sf(x: number, k: number): number { return x <= 0 ? 1 : gammainc(k / 2, x / 2, true); }
/**
 * P(X <= x) for chi-square with k degrees of freedom: P(k/2, x/2). scipy: `scipy.stats.chi2.cdf(x, k)`.
 * @param x point
 * @param k degrees of freedom, > 0
 * @returns P(X <= x)
 * @example
 * chi2Cdf(3.84, 1) // => 0.949956478751
 */
export function chi2Cdf(x: number, k: number): number { return x <= 0 ? 0 : gammainc(k / 2, x / 2); }

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
  const ar = Math.min(1, Math.abs(r)), ab = n / 2 - 1;
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
