/**
 * Beta: OLS of y on x with an intercept (statsmodels OLS(y, add_constant(x))).
 * Pass returns, e.g. beta(returns(gdx), returns(gld)): "do miners move 2-3x gold?".
 */
import { DISPLAY, type OutputItem } from '../shared/schemas';
import { Series, type AlignmentInfo } from './series';
import { alignPair, type AlignHow, type SeriesLike } from './align';
import { alignmentOf, alignmentOfFinite } from './alignment';
import { regressArrays, type SeKind } from './inference/regress';
import {
  checkMinPeriods,
  checkWindow,
  completePairs,
  fmt,
  numOrNull,
  resultOutputs,
  rollingStats,
  RollKind,
} from './stats';

/** Result of beta(): plain numeric fields (NaN when x has zero variance or n < 3). */
export class BetaResult {
  constructor(
    /** slope: change of y per unit change of x */
    public beta: number,
    /** intercept */
    public alpha: number,
    /** R² (1 - SSR / centred TSS) */
    public r2: number,
    /** standard error of beta (statsmodels bse of the slope) */
    public stderr: number,
    /** standard error of alpha */
    public alphaStderr: number,
    /** complete pairs used */
    public n: number,
    public y: string,
    public x: string,
    public alignment: AlignmentInfo,
    /** how stderr was computed: 'classic' (default), 'hc1' or 'hac' (see regress) */
    public seType: SeKind = 'classic',
    /** HAC lags (0 otherwise) */
    public lags = 0,
  ) {}
  valueOf(): number {
    return this.beta;
  }
  toString(): string {
    const se = this.seType === 'classic' ? '' : this.seType === 'hc1' ? ', HC1 se' : `, HAC se (${this.lags} lags)`;
    return `beta(${this.y} on ${this.x}) = ${fmt(this.beta)} ± ${fmt(this.stderr, 2)} (alpha ${fmt(this.alpha)}, R² ${fmt(this.r2, 3)}, n = ${this.n}${se})`;
  }
  row(label: string) {
    return [label, numOrNull(this.beta), numOrNull(this.stderr), numOrNull(this.alpha), numOrNull(this.r2), this.n];
  }
  [DISPLAY](): OutputItem[] {
    return resultOutputs(
      this.toString(),
      BETA_COLUMNS,
      [this.row('all')],
      `beta of ${this.y} on ${this.x}`,
      this.alignment,
    );
  }
}

const BETA_COLUMNS = [
  { name: 'sample', type: 'string' as const },
  { name: 'beta', type: 'number' as const, digits: 4 },
  { name: 'stderr', type: 'number' as const, digits: 4 },
  { name: 'alpha', type: 'number' as const },
  { name: 'r2', type: 'number' as const, digits: 4 },
  { name: 'n', type: 'number' as const },
];

function ols(x: Float64Array, y: Float64Array) {
  const n = x.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx,
      dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (n < 3 || !(sxx > 0)) return { beta: NaN, alpha: NaN, r2: NaN, stderr: NaN, alphaStderr: NaN };
  const beta = sxy / sxx;
  const alpha = my - beta * mx;
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i] - alpha - beta * x[i];
    ssr += e * e;
  }
  const s2 = ssr / (n - 2);
  return {
    beta,
    alpha,
    r2: syy > 0 ? 1 - ssr / syy : NaN,
    stderr: Math.sqrt(s2 / sxx),
    alphaStderr: Math.sqrt(s2 * (1 / n + (mx * mx) / sxx)),
  };
}

/**
 * beta(y, x, { how, se, lags }): OLS y = alpha + beta·x on the aligned complete pairs:
 * beta = Σ(x-x̄)(y-ȳ) / Σ(x-x̄)², alpha = ȳ - beta·x̄, R² = 1 - SSR/TSS. Pass returns.
 * se: 'classic' (default), 'hc1' or 'hac' with `lags` (Newey-West), as regress().
 * statsmodels: `sm.OLS(y, sm.add_constant(x)).fit()` (params, rsquared, bse), HAC:
 * `.fit(cov_type='HAC', cov_kwds={'maxlags': lags})`.
 * @param y the response: a Series, or a Frame (its close)
 * @param x the regressor (the benchmark)
 * @param options how (alignment), se ('classic' | 'hc1' | 'hac'), lags (HAC)
 * @returns a BetaResult (beta, alpha, r2, stderr, alphaStderr, n); it compares and prints as beta
 * @example
 * const gdx = returns(load('data/GDX.csv')), gld = returns(load('data/GLD.csv'))
 * beta(gdx, gld) // => {"beta": 1.47070699083, "alpha": 8.41258912317e-5, "r2": 0.665537509147, "stderr": 0.0449492511013, "n": 540}
 * beta(gdx, gld, { se: 'hac', lags: 5 }).stderr // => 0.0982840298831
 */
export function beta(
  y: SeriesLike,
  x: SeriesLike,
  options: { how?: AlignHow; se?: SeKind; lags?: number } = {},
): BetaResult {
  const P = alignPair(y, x, options.how, 'beta');
  const c = completePairs(P.y, P.x);
  const o = ols(c.x, c.y);
  const alignment = alignmentOf(P.how, P.index, c.mask ? (i) => c.mask![i] === 1 : undefined);
  if (options.se === undefined || options.se === 'classic' || !Number.isFinite(o.beta)) {
    return new BetaResult(o.beta, o.alpha, o.r2, o.stderr, o.alphaStderr, c.x.length, P.a.name, P.b.name, alignment);
  }
  const r = regressArrays(c.y, [c.x], [P.b.name], { se: options.se, lags: options.lags }, 'beta');
  return new BetaResult(
    o.beta,
    o.alpha,
    o.r2,
    r.se[1],
    r.se[0],
    c.x.length,
    P.a.name,
    P.b.name,
    alignment,
    r.seType,
    r.lags,
  );
}

/**
 * rollingBeta(y, x, window): the OLS slope over each window, cov_w(y, x) / var_w(x). NaN for the
 * first window-1 points, for windows with a missing value (unless minPeriods is lowered) and
 * where x is constant. O(n).
 * statsmodels: `RollingOLS(y, add_constant(x), window).fit().params` (slope);
 * pandas: `y.rolling(w).cov(x) / x.rolling(w).var()`.
 * @param y the response: a Series, or a Frame (its close)
 * @param x the regressor
 * @param window points per window (>= 2)
 * @param options how (alignment), minPeriods (complete pairs a window needs; default the window)
 * @returns a Series: the beta of the window ending at each date
 * @example
 * rollingBeta(returns(load('data/GDX.csv')), returns(load('data/GLD.csv')), 60).last() // => 1.18613219999
 */
export function rollingBeta(
  y: SeriesLike,
  x: SeriesLike,
  window: number,
  options: { how?: AlignHow; minPeriods?: number } = {},
): Series {
  checkWindow('rollingBeta', window);
  const P = alignPair(y, x, options.how, 'rollingBeta');
  const { out, finite } = rollingStats(
    P.y,
    P.x,
    window,
    checkMinPeriods('rollingBeta', options.minPeriods, window),
    RollKind.Beta,
  );
  const alignment = alignmentOfFinite(P.how, P.index, out, finite);
  return new Series(P.index, out, `beta(${P.a.name}, ${P.b.name}, ${window})`, { alignment, window });
}

/** Result of upDownBeta(). */
export class UpDownBeta {
  constructor(
    /** beta on the observations where x rose (x > 0) */
    public up: BetaResult,
    /** beta on the observations where x fell (x < 0) */
    public down: BetaResult,
    public y: string,
    public x: string,
    public alignment: AlignmentInfo,
  ) {}
  /** up.beta / down.beta: above 1 means y captures more of the benchmark's rises than of its falls */
  get ratio(): number {
    return this.up.beta / this.down.beta;
  }
  toString(): string {
    return `up/down beta of ${this.y} on ${this.x}: up ${fmt(this.up.beta)} (n = ${this.up.n}), down ${fmt(this.down.beta)} (n = ${this.down.n})`;
  }
  [DISPLAY](): OutputItem[] {
    return resultOutputs(
      this.toString(),
      BETA_COLUMNS,
      [this.up.row(`${this.x} up`), this.down.row(`${this.x} down`)],
      `up/down beta of ${this.y} on ${this.x}`,
      this.alignment,
      ['observations where x = 0 are in neither sample'],
    );
  }
}

/**
 * upDownBeta(y, x): beta(y, x) on the observations where x > 0 (up) and where x < 0 (down),
 * pass returns; ratio = up.beta / down.beta. Days with x = 0 are in neither sample.
 * statsmodels: `sm.OLS(y[x > 0], sm.add_constant(x[x > 0])).fit()` and the same on x < 0.
 * @param y the response: a Series, or a Frame (its close)
 * @param x the benchmark
 * @param options how (alignment)
 * @returns an UpDownBeta: up and down (BetaResults), ratio
 * @example
 * upDownBeta(returns(load('data/GDX.csv')), returns(load('data/GLD.csv'))) // => {"up": {"beta": 1.30618972194, "n": 318}, "down": {"beta": 1.41537919490, "n": 222}}
 */
export function upDownBeta(y: SeriesLike, x: SeriesLike, options: { how?: AlignHow } = {}): UpDownBeta {
  const P = alignPair(y, x, options.how, 'upDownBeta');
  const c = completePairs(P.y, P.x);
  // c.x: the benchmark (regressor) values, c.y: the response values
  const pick = (sign: number) => {
    let k = 0;
    for (let i = 0; i < c.x.length; i++) if (Math.sign(c.x[i]) === sign) k++;
    const xs = new Float64Array(k),
      ys = new Float64Array(k);
    for (let i = 0, j = 0; i < c.x.length; i++)
      if (Math.sign(c.x[i]) === sign) {
        xs[j] = c.x[i];
        ys[j++] = c.y[i];
      }
    const o = ols(xs, ys);
    const al = alignmentOf(
      P.how,
      P.index,
      (i) => Number.isFinite(P.x[i]) && Number.isFinite(P.y[i]) && Math.sign(P.y[i]) === sign,
    );
    return new BetaResult(o.beta, o.alpha, o.r2, o.stderr, o.alphaStderr, k, P.a.name, P.b.name, al);
  };
  return new UpDownBeta(
    pick(1),
    pick(-1),
    P.a.name,
    P.b.name,
    alignmentOf(P.how, P.index, c.mask ? (i) => c.mask![i] === 1 : undefined),
  );
}
