/**
 * Cointegration test: coint() (augmented Engle-Granger) as statsmodels.tsa.stattools.coint: an
 * OLS cointegrating regression, then adf.ts's ADF regression on its residuals, with MacKinnon
 * (1994) p-values and (2010) critical values for N = 1 + dim(x).
 */
import { DISPLAY, type OutputItem } from '../../shared/schemas';
import { type AlignmentInfo } from '../series';
import { type AlignHow, type SeriesLike } from '../align';
import { fmt, resultOutputs } from '../stats';
import {
  adfArrays,
  mackinnonCrit,
  mackinnonP,
  NTREND,
  trendCols,
  unitRootTable,
  type AutoLag,
  type Trend,
} from './adf';
import { olsFit } from './ols';
import { completeDesign, type Factors } from './regress';

export interface CointOptions {
  /** deterministic terms of the cointegrating regression: 'c' (default), 'ct', 'ctt', 'n' */
  trend?: Trend;
  /** fixed lags of the residual ADF (no search), as statsmodels maxlag with autolag=None */
  lags?: number;
  maxLag?: number;
  /** lag search of the residual ADF: 'AIC' (default), 'BIC' */
  autolag?: AutoLag | null;
  how?: AlignHow;
}

/** Result of coint(). */
export class CointResult {
  constructor(
    public y: string,
    public x: string[],
    /** ADF t statistic of the cointegrating residuals */
    public stat: number,
    /** MacKinnon p-value for N = 1 + number of x */
    public p: number,
    public crit: { '1%': number; '5%': number; '10%': number },
    /** the cointegrating regression's coefficients (x..., then the trend terms) */
    public coef: number[],
    public usedLag: number,
    public trend: Trend,
    public alignment: AlignmentInfo,
  ) {}
  valueOf(): number {
    return this.stat;
  }
  get reading(): string {
    return (
      (this.p < 0.05
        ? `rejects "no cointegration" at 5% (p ${fmt(this.p, 3)}): ${this.y} and ${this.x.join(', ')} share a stochastic trend on this sample`
        : `cannot reject "no cointegration" (p ${fmt(this.p, 3)}): no evidence that ${this.y} and ${this.x.join(', ')} share a long-run trend`) +
      `; assumes both are I(1) (check with adf), ${this.alignment.n} observations${this.alignment.n < 100 ? ' (few: low power)' : ''}, one cointegrating vector with ${this.y} as the dependent`
    );
  }
  toString(): string {
    return `coint(${this.y}, ${this.x.join(', ')}) = ${fmt(this.stat)}, p = ${fmt(this.p, 3)}, n = ${this.alignment.n}`;
  }
  [DISPLAY](): OutputItem[] {
    return resultOutputs(
      `${this.toString()}\n${this.reading}`,
      ...unitRootTable(this.stat, this.p, this.usedLag, this.crit),
      `Engle-Granger cointegration test of ${this.y} on ${this.x.join(', ')} (H0: no cointegration)`,
      this.alignment,
      [
        `cointegrating regression: ${this.y} = ${this.coef.map((c, j) => `${fmt(c)}·${j < this.x.length ? this.x[j] : ['1', 't', 't²'][j - this.x.length]}`).join(' + ')}`,
        this.reading,
      ],
    );
  }
}

/**
 * coint(y, x, { trend, lags | autolag, maxLag }): augmented Engle-Granger test of no
 * cointegration, as statsmodels `coint(y, x, trend='c', autolag='aic')`.
 *
 * Formula: OLS y = b'x + trend terms + u; ADF (no deterministic terms) on the residuals u; the
 * statistic is compared with MacKinnon's cointegration distribution for N = 1 + dim(x)
 * (p-value 1994, critical values 2010 at nobs - 1, as statsmodels).
 *
 * @param y levels (e.g. log prices), @param x one series or a record of them
 * @returns CointResult: stat, p, crit, coef, usedLag, reading
 * statsmodels: `statsmodels.tsa.stattools.coint(y, x)`
 * @example
 * coint(new Series(Array.from({ length: 40 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => i / 10 + Math.sin(i * i))), new Series(Array.from({ length: 40 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => i / 10 + Math.cos(i * i)))).stat // => -2.58600611088
 */
export function coint(y: SeriesLike, x: Factors, options: CointOptions = {}): CointResult {
  const D = completeDesign(y, x, options.how, 'coint');
  const trend = options.trend ?? 'c';
  if (!(trend in NTREND))
    throw new RangeError(`coint: trend must be 'n', 'c', 'ct' or 'ctt', got ${JSON.stringify(trend)}`);
  const T = D.y.length;
  const cols = [...D.X, ...trendCols(trend, T)];
  const f = olsFit(cols, D.y, [...D.names, ...['const', 'trend', 'trend²'].slice(0, NTREND[trend])], 'coint');
  let my = 0;
  for (let i = 0; i < T; i++) my += D.y[i];
  my /= T;
  let tss = 0;
  for (let i = 0; i < T; i++) tss += (D.y[i] - my) ** 2;
  const r2 = 1 - f.ssr / tss;
  const N = D.X.length + 1;
  let stat = -Infinity,
    used = 0;
  if (r2 < 1 - 100 * Math.sqrt(2.220446049250313e-16)) {
    const autolag = options.lags !== undefined ? null : options.autolag === undefined ? 'AIC' : options.autolag;
    const a = adfArrays(f.resid, { lags: options.lags, maxLag: options.maxLag, autolag, regression: 'n' }, 'coint');
    stat = a.stat;
    used = a.usedLag;
  }
  const crit = trend === 'n' ? [NaN, NaN, NaN] : mackinnonCrit(N, trend, T - 1);
  return new CointResult(
    D.name,
    D.names,
    stat,
    mackinnonP(stat, trend, N),
    { '1%': crit[0], '5%': crit[1], '10%': crit[2] },
    Array.from(f.params),
    used,
    trend,
    D.alignment,
  );
}
