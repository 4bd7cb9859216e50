/**
 * Unit-root test: adf() as statsmodels adfuller, with MacKinnon (1994) p-values and (2010)
 * critical values; its ADF regression (adfArrays) is shared with coint() in coint.ts.
 */
import { DISPLAY, type OutputItem, type TableColumn, type TableValue } from '../../shared/schemas';
import { type AlignmentInfo } from '../series';
import { asSeries, type SeriesLike } from '../align';
import { alignmentOf } from '../alignment';
import { fmt, numOrNull, resultOutputs } from '../stats';
import { normCdf } from './distributions';
import { TAU_2010, TAU_LARGEP, TAU_MAX, TAU_MIN, TAU_SMALLP, TAU_STAR, type Trend } from './mackinnon';
import { olsFit } from './ols';
import { olsCov } from './olsCov';

export type { Trend } from './mackinnon';
export type AutoLag = 'AIC' | 'BIC';

/**
 * MacKinnon (1994) approximate p-value of a unit-root / cointegration t statistic: Φ of a
 * polynomial in the statistic, per regression and N (statsmodels `statsmodels.tsa.adfvalues.mackinnonp(stat, regression, N)`).
 * @param stat the ADF / Engle-Granger t statistic
 * @param regression deterministic terms: 'n', 'c' (default), 'ct', 'ctt'
 * @param n number of variables, 1..6 (1 for ADF; 1 + number of x for coint)
 * @returns the p-value of H0: unit root (no cointegration)
 * @example
 * mackinnonP(-3.5, 'c', 1) // => 0.0079870940615
 */
export function mackinnonP(stat: number, regression: Trend = 'c', n = 1): number {
  if (Number.isNaN(stat)) return NaN;
  if (!(n >= 1 && n <= 6)) throw new RangeError(`mackinnonP: N must be 1..6, got ${n}`);
  if (stat > TAU_MAX[regression][n - 1]) return 1;
  if (stat < TAU_MIN[regression][n - 1]) return 0;
  const c = stat <= TAU_STAR[regression][n - 1] ? TAU_SMALLP[regression][n - 1] : TAU_LARGEP[regression][n - 1];
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * stat + c[i];
  return normCdf(v);
}

/**
 * MacKinnon (2010) critical values [1%, 5%, 10%]: β∞ + β1/T + β2/T² + β3/T³ at T = nobs
 * (statsmodels `statsmodels.tsa.adfvalues.mackinnoncrit(N, regression, nobs)`).
 * @param n number of variables, 1..12
 * @param regression deterministic terms: 'n', 'c' (default), 'ct', 'ctt'
 * @param nobs observations (default Infinity: the asymptotic values)
 * @returns [1%, 5%, 10%] critical values
 * @example
 * mackinnonCrit(1, 'c', 100)[1] // => -2.89090644
 */
export function mackinnonCrit(n = 1, regression: Trend = 'c', nobs = Infinity): [number, number, number] {
  const t = TAU_2010[regression][n - 1];
  if (!t)
    throw new RangeError(
      `mackinnonCrit: N must be 1..${TAU_2010[regression].length} for regression '${regression}', got ${n}`,
    );
  const inv = 1 / nobs;
  return t.map((b) => ((b[3] * inv + b[2]) * inv + b[1]) * inv + b[0]) as [number, number, number];
}

export interface AdfOptions {
  /** fixed number of lagged differences (no search) */
  lags?: number;
  /** pick the lag count 0..maxLag by 'AIC' (default when lags is not given) or 'BIC' */
  autolag?: AutoLag | null;
  /** upper bound of the search (default ceil(12·(n/100)^¼), capped at n/2 - trend terms - 1) */
  maxLag?: number;
  /** deterministic terms: 'c' constant (default), 'ct' constant and trend, 'ctt' plus quadratic trend, 'n' none */
  regression?: Trend;
}

/** Critical values of a unit-root statistic at 1%, 5%, 10%. */
export type UnitRootCrit = { '1%': number; '5%': number; '10%': number };

/**
 * The one-row table that adf and coint results display: statistic, p, lags, nobs (adf only:
 * coint omits it, its n is in the alignment footer), and the 1%, 5%, 10% critical values.
 */
export function unitRootTable(
  stat: number,
  p: number,
  lags: number,
  crit: UnitRootCrit,
  nobs?: number,
): [TableColumn[], TableValue[][]] {
  const withN = nobs !== undefined;
  const columns: TableColumn[] = [
    { name: 'statistic', type: 'number', digits: 4 },
    { name: 'p', type: 'number' },
    { name: 'lags', type: 'number' },
    ...(withN ? [{ name: 'nobs', type: 'number' } as TableColumn] : []),
    { name: '1%', type: 'number', digits: 3 },
    { name: '5%', type: 'number', digits: 3 },
    { name: '10%', type: 'number', digits: 3 },
  ];
  const row: TableValue[] = [
    numOrNull(stat),
    numOrNull(p),
    lags,
    ...(withN ? [nobs] : []),
    numOrNull(crit['1%']),
    numOrNull(crit['5%']),
    numOrNull(crit['10%']),
  ];
  return [columns, [row]];
}

/** Result of adf(). */
export class AdfResult {
  constructor(
    public name: string,
    /** t statistic of the lagged level */
    public stat: number,
    /** MacKinnon approximate p-value */
    public p: number,
    /** lagged differences in the final regression */
    public usedLag: number,
    /** observations in the final regression */
    public nobs: number,
    /** critical values at 1%, 5%, 10% */
    public crit: { '1%': number; '5%': number; '10%': number },
    /** the best information criterion of the lag search (NaN without a search) */
    public icbest: number,
    public regression: Trend,
    public autolag: AutoLag | null,
    public alignment: AlignmentInfo,
  ) {}
  valueOf(): number {
    return this.stat;
  }
  /** true when a unit root is rejected at 5% */
  get stationary(): boolean {
    return this.p < 0.05;
  }
  get reading(): string {
    const dets = { n: 'no constant', c: 'a constant', ct: 'a constant and trend', ctt: 'a quadratic trend' }[
      this.regression
    ];
    return (
      (this.p < 0.05
        ? `rejects a unit root at 5% (p ${fmt(this.p, 3)}): ${this.name} looks stationary around ${dets}`
        : `cannot reject a unit root (p ${fmt(this.p, 3)}): ${this.name} is consistent with a random walk around ${dets}, which is not proof of one`) +
      `; ${this.nobs} observations${this.nobs < 100 ? ' (few: the test has little power)' : ''}, lags ${this.autolag ? `chosen by ${this.autolag}` : 'fixed'} at ${this.usedLag}`
    );
  }
  toString(): string {
    return `adf(${this.name}, '${this.regression}') = ${fmt(this.stat)}, p = ${fmt(this.p, 3)}, lags ${this.usedLag}, n = ${this.nobs}`;
  }
  [DISPLAY](): OutputItem[] {
    return resultOutputs(
      `${this.toString()}\n${this.reading}`,
      ...unitRootTable(this.stat, this.p, this.usedLag, this.crit, this.nobs),
      `augmented Dickey-Fuller test of ${this.name} (H0: unit root)`,
      this.alignment,
      [this.reading],
    );
  }
}

export const NTREND: Record<Trend, number> = { n: 0, c: 1, ct: 2, ctt: 3 };

/** Trend columns (constant, t, t²; t = 1..m) as statsmodels add_trend. */
export function trendCols(regression: Trend, m: number): Float64Array[] {
  const out: Float64Array[] = [];
  if (regression === 'n') return out;
  out.push(new Float64Array(m).fill(1));
  if (regression === 'ct' || regression === 'ctt') out.push(Float64Array.from({ length: m }, (_, i) => i + 1));
  if (regression === 'ctt') out.push(Float64Array.from({ length: m }, (_, i) => (i + 1) * (i + 1)));
  return out;
}

/** The ADF design with L lagged differences: Δx_t on [x_(t-1), Δx_(t-1..t-L)], rows t = L..T-2 of the differences. */
function adfDesign(x: Float64Array, L: number) {
  const T = x.length,
    nobs = T - 1 - L;
  const dx = new Float64Array(T - 1);
  for (let i = 0; i < T - 1; i++) dx[i] = x[i + 1] - x[i];
  const y = dx.slice(L);
  const cols: Float64Array[] = [x.slice(L, T - 1)];
  for (let l = 1; l <= L; l++) cols.push(dx.slice(L - l, L - l + nobs));
  return { y, cols, nobs };
}

function icOf(ssr: number, n: number, k: number, ic: AutoLag): number {
  const llf = -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
  return -2 * llf + (ic === 'AIC' ? 2 : Math.log(n)) * k;
}

/** The ADF regression on a plain array (shared by adf and coint). */
export function adfArrays(x: Float64Array, o: AdfOptions, fn = 'adf') {
  const regression = o.regression ?? 'c';
  if (!(regression in NTREND))
    throw new RangeError(`${fn}: regression must be 'n', 'c', 'ct' or 'ctt', got ${JSON.stringify(regression)}`);
  const autolag =
    o.lags !== undefined
      ? null
      : o.autolag === undefined
        ? 'AIC'
        : o.autolag === null
          ? null
          : (String(o.autolag).toUpperCase() as AutoLag);
  if (autolag !== null && autolag !== 'AIC' && autolag !== 'BIC')
    throw new RangeError(`${fn}: autolag must be 'AIC', 'BIC' or null, got ${JSON.stringify(o.autolag)}`);
  const T = x.length,
    ntrend = NTREND[regression];
  const cap = Math.floor(T / 2) - ntrend - 1;
  let maxLag = o.lags ?? o.maxLag;
  if (maxLag === undefined) {
    maxLag = Math.min(cap, Math.ceil(12 * Math.pow(T / 100, 0.25)));
    if (maxLag < 0) throw new RangeError(`${fn}: ${T} observations are too few for regression '${regression}'`);
  } else if (!Number.isInteger(maxLag) || maxLag < 0)
    throw new RangeError(`${fn}: lags must be an integer >= 0, got ${maxLag}`);
  else if (maxLag > cap)
    throw new RangeError(
      `${fn}: ${maxLag} lags is too many for ${T} observations; at most ${cap} (n/2 - 1 - trend terms)`,
    );
  let used = maxLag,
    icbest = NaN;
  if (autolag) {
    // every candidate on the same rows (those of the largest lag), so the criteria compare
    const D = adfDesign(x, maxLag);
    const tr = trendCols(regression, D.nobs);
    let best = Infinity;
    for (let L = 0; L <= maxLag; L++) {
      const cols = [...tr, ...D.cols.slice(0, L + 1)];
      const f = olsFit(
        cols,
        D.y,
        cols.map((_, j) => `c${j}`),
        fn,
      );
      const ic = icOf(f.ssr, D.nobs, cols.length, autolag);
      if (ic < best) {
        best = ic;
        used = L;
      }
    }
    icbest = best;
  }
  const D = adfDesign(x, used);
  const cols = [...D.cols, ...trendCols(regression, D.nobs)];
  const names = [
    'level',
    ...D.cols.slice(1).map((_, l) => `diff lag ${l + 1}`),
    ...['const', 'trend', 'trend²'].slice(0, ntrend),
  ];
  const f = olsFit(cols, D.y, names, fn);
  const cov = olsCov(cols, f, 'classic');
  const stat = f.params[0] / Math.sqrt(cov[0]);
  return { stat, usedLag: used, nobs: D.nobs, icbest, regression, autolag };
}

/**
 * adf(x, { lags | autolag, maxLag, regression }): augmented Dickey-Fuller test of a unit root,
 * as statsmodels `adfuller(x, maxlag, regression, autolag)`.
 *
 * Formula: Δx_t = γ·x_(t-1) + Σ_(l=1..L) φ_l Δx_(t-l) + deterministic terms + e_t; the statistic
 * is the t of γ, compared with MacKinnon's distribution (not Student-t). With autolag, L is the
 * lag count 0..maxLag with the smallest AIC/BIC on common rows, then refitted on all rows.
 *
 * @param x a series (levels: log prices, log M2); NaNs are dropped first
 * @returns AdfResult: stat, p, usedLag, nobs, crit, icbest, reading
 * statsmodels: `adfuller(x, maxlag=L, regression='c', autolag=None)` (fixed) or `autolag='AIC'`
 * @example
 * adf(new Series(Array.from({ length: 40 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => Math.sin(i * i) + i / 10)), { lags: 1 }).stat // => -1.18203042416
 */
export function adf(x: SeriesLike, options: AdfOptions = {}): AdfResult {
  const s = asSeries(x, 'adf').dropna();
  const r = adfArrays(s.values, options, 'adf');
  const crit = mackinnonCrit(1, r.regression, r.nobs);
  return new AdfResult(
    s.name,
    r.stat,
    mackinnonP(r.stat, r.regression, 1),
    r.usedLag,
    r.nobs,
    { '1%': crit[0], '5%': crit[1], '10%': crit[2] },
    r.icbest,
    r.regression,
    r.autolag,
    alignmentOf('none', s.index),
  );
}
