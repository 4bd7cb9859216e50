/**
 * regress(): multi-factor OLS with an intercept and classic, HC1 or HAC (Newey-West) standard
 * errors, as statsmodels OLS(y, add_constant(X)).fit(cov_type=...).
 */
import { DISPLAY, type OutputItem } from '../../shared/schemas';
import { Frame, Series, type AlignmentInfo } from '../series';
import { alignArrays, asSeries, type AlignHow, type SeriesLike } from '../align';
import { alignmentOf } from '../alignment';
import { fmt, numOrNull, resultOutputs } from '../stats';
import { fSf, normPpf, normSf, tPpf, tTwoSided } from './distributions';
import { olsFit, type SeKind } from './ols';
import { defaultHacLags, olsCov, waldF } from './olsCov';

export type { SeKind } from './ols';
export interface RegressOptions {
  /** standard errors: 'classic' (default), 'hc1' (White, heteroskedasticity-robust), 'hac' (Newey-West) */
  se?: SeKind;
  /** HAC lags (Bartlett kernel); default floor(4·(n/100)^(2/9)) */
  lags?: number;
  /** calendar alignment of y and the factors (default 'inner') */
  how?: AlignHow;
  /** confidence level of the intervals (default 0.95) */
  level?: number;
  /** HAC only: scale by n/(n-k) (statsmodels use_correction; default false, as statsmodels OLS) */
  correction?: boolean;
}

/** Factors: a record { name: series }, a Frame (its columns), or one series. */
export type Factors = Record<string, SeriesLike> | Frame | SeriesLike;

/** Result of regress(): coefficient arrays in the order of `names` ('const' first). */
export class RegressResult {
  constructor(
    public y: string,
    /** 'const' then the factor names */
    public names: string[],
    public coef: number[],
    public se: number[],
    /** coef / se */
    public t: number[],
    /** two-sided p-values (Student-t with n-k df for classic errors; normal for hc1/hac, as statsmodels) */
    public p: number[],
    /** [low, high] per coefficient at `level` */
    public ci: Array<[number, number]>,
    public r2: number,
    public adjR2: number,
    /** F statistic of all slopes = 0 (a Wald F with robust errors, as statsmodels) and its p-value */
    public f: number,
    public fP: number,
    public n: number,
    /** residual degrees of freedom n - k */
    public dfResid: number,
    public seType: SeKind,
    /** HAC lags (0 otherwise) */
    public lags: number,
    public level: number,
    /** residuals on the dates used */
    public residuals: Series,
    /** coefficient covariance, k×k row-major */
    public cov: Float64Array,
    public alignment: AlignmentInfo,
  ) {}
  /** coefficient of a factor (or 'const') */
  coefOf(name: string): number {
    return this.coef[this.idx(name)];
  }
  seOf(name: string): number {
    return this.se[this.idx(name)];
  }
  pOf(name: string): number {
    return this.p[this.idx(name)];
  }
  private idx(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new RangeError(`regress: no coefficient "${name}"; the names are: ${this.names.join(', ')}`);
    return i;
  }
  get seLabel(): string {
    return this.seType === 'hac'
      ? `HAC (Newey-West, ${this.lags} lag${this.lags === 1 ? '' : 's'})`
      : this.seType === 'hc1'
        ? 'HC1 (White)'
        : 'classic';
  }
  toString(): string {
    const slopes = this.names
      .slice(1)
      .map((nm, j) => `${nm} ${fmt(this.coef[j + 1])} ± ${fmt(this.se[j + 1], 2)}${stars(this.p[j + 1])}`)
      .join(', ');
    return `regress(${this.y}): ${slopes}; R² ${fmt(this.r2, 3)}, n = ${this.n}, ${this.seLabel} errors`;
  }
  /** one-line reading: what the numbers say and what they do not */
  get reading(): string {
    const sig = this.names.slice(1).filter((_, j) => this.p[j + 1] < 0.05);
    const what = sig.length
      ? `${sig.join(', ')} ${sig.length === 1 ? 'is' : 'are'} significant at 5%`
      : 'no factor is significant at 5%';
    const multi =
      this.names.length > 2 ? `; ${this.names.length - 1} slopes tested, no multiple-testing adjustment` : '';
    const robust =
      this.seType === 'classic'
        ? "; classic errors assume no autocorrelation or heteroskedasticity (try se: 'hac')"
        : '';
    return `${what}, R² ${fmt(this.r2, 3)}: an association over ${this.alignment.from} .. ${this.alignment.to}, not a cause${multi}${robust}`;
  }
  [DISPLAY](): OutputItem[] {
    const z = `${Math.round(this.level * 100)}%`;
    return resultOutputs(
      `${this.toString()}\n${this.reading}`,
      [
        { name: 'term', type: 'string' },
        { name: 'coef', type: 'number', digits: 6 },
        { name: 'se', type: 'number', digits: 6 },
        { name: 't', type: 'number', digits: 3 },
        { name: 'p', type: 'number' },
        { name: `${z} low`, type: 'number', digits: 6 },
        { name: `${z} high`, type: 'number', digits: 6 },
      ],
      this.names.map((nm, j) => [
        nm,
        numOrNull(this.coef[j]),
        numOrNull(this.se[j]),
        numOrNull(this.t[j]),
        numOrNull(this.p[j]),
        numOrNull(this.ci[j][0]),
        numOrNull(this.ci[j][1]),
      ]),
      `OLS of ${this.y} on ${this.names.slice(1).join(', ')}`,
      this.alignment,
      [
        `R² ${fmt(this.r2, 4)}, adj. R² ${fmt(this.adjR2, 4)}, F ${fmt(this.f)} (p ${fmt(this.fP, 3)}), n = ${this.n}, ${this.seLabel} standard errors`,
        this.reading,
      ],
    );
  }
}

function stars(p: number): string {
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}

/** The factors as named series. */
export function factorList(X: Factors, fn: string): Array<[string, Series]> {
  if (X instanceof Frame) return X.names.map((nm) => [nm, X.get(nm)]);
  if (X instanceof Series) return [[X.name, X]];
  if (typeof X !== 'object' || X === null || Array.isArray(X))
    throw new TypeError(`${fn}: factors must be a record { name: series }, a Frame or a Series`);
  const out = Object.entries(X).map(([k, v]): [string, Series] => [k, asSeries(v, `${fn}: factor "${k}"`).rename(k)]);
  if (!out.length) throw new RangeError(`${fn}: no factors given`);
  return out;
}

/** y and the factors on one calendar, keeping the rows where every value is finite. */
export function completeDesign(y: SeriesLike, X: Factors, how: AlignHow | undefined, fn: string) {
  const ys = asSeries(y, `${fn}: y`);
  const facs = factorList(X, fn);
  const h = how ?? 'inner';
  const { index, values } = alignArrays([ys, ...facs.map(([, s]) => s)], h);
  // complete rows: column by column (x - x is 0 exactly when x is finite)
  const ok = new Uint8Array(index.length).fill(1);
  for (const v of values) for (let i = 0; i < v.length; i++) if (v[i] - v[i] !== 0) ok[i] = 0;
  let m = 0;
  for (let i = 0; i < ok.length; i++) m += ok[i];
  const pick = (v: Float64Array) => {
    if (m === v.length) return v;
    const o = new Float64Array(m);
    for (let i = 0, j = 0; i < v.length; i++) if (ok[i]) o[j++] = v[i];
    return o;
  };
  const idx = pick(index);
  return {
    name: ys.name,
    names: facs.map(([k]) => k),
    y: pick(values[0]),
    X: values.slice(1).map(pick),
    index: idx,
    alignment: alignmentOf(h, index, (i) => ok[i] === 1),
  };
}

/** OLS with a constant on complete arrays; the statistics of regress(). */
export function regressArrays(
  y: Float64Array,
  X: Float64Array[],
  names: string[],
  o: { se?: SeKind; lags?: number; level?: number; correction?: boolean } = {},
  fn = 'regress',
) {
  const se = o.se ?? 'classic';
  if (se !== 'classic' && se !== 'hc1' && se !== 'hac')
    throw new RangeError(`${fn}: se must be 'classic', 'hc1' or 'hac', got ${JSON.stringify(se)}`);
  const level = o.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`${fn}: level must be between 0 and 1, got ${level}`);
  const n = y.length;
  const ones = new Float64Array(n).fill(1);
  const cols = [ones, ...X],
    allNames = ['const', ...names];
  const fit = olsFit(cols, y, allNames, fn);
  const k = cols.length,
    df = n - k;
  const lags = se === 'hac' ? (o.lags ?? defaultHacLags(n)) : 0;
  if (!Number.isInteger(lags) || lags < 0) throw new RangeError(`${fn}: lags must be an integer >= 0, got ${o.lags}`);
  const cov = olsCov(cols, fit, se, lags, se === 'hc1' || (se === 'hac' && o.correction === true));
  const coef = Array.from(fit.params);
  const ses = coef.map((_, j) => Math.sqrt(cov[j * k + j]));
  const t = coef.map((c, j) => c / ses[j]);
  const robust = se !== 'classic';
  const p = t.map((v) => (robust ? 2 * normSf(Math.abs(v)) : tTwoSided(v, df)));
  const q = robust ? normPpf(0.5 + level / 2) : tPpf(0.5 + level / 2, df);
  const ci = coef.map((c, j): [number, number] => [c - q * ses[j], c + q * ses[j]]);
  let my = 0;
  for (let i = 0; i < n; i++) my += y[i];
  my /= n;
  let tss = 0;
  for (let i = 0; i < n; i++) tss += (y[i] - my) ** 2;
  const r2 = 1 - fit.ssr / tss,
    adjR2 = 1 - ((n - 1) / df) * (1 - r2);
  const slopes = names.map((_, j) => j + 1);
  const f = robust ? waldF(fit.params, cov, k, slopes) : (tss - fit.ssr) / (k - 1) / (fit.ssr / df);
  return {
    coef,
    se: ses,
    t,
    p,
    ci,
    r2,
    adjR2,
    f,
    fP: fSf(f, k - 1, df),
    n,
    df,
    lags,
    seType: se,
    level,
    resid: fit.resid,
    cov,
    fit,
  };
}

/**
 * regress(y, { QQQ: rq, GLD: rg, DXY: rd }, { se, lags, how, level }): OLS of y on a constant
 * and the factors over the aligned complete rows.
 *
 * Formula: b = (X'X)^-1 X'y with X = [1, x1, …, xk]; classic cov s²(X'X)^-1; HC1 the White
 * sandwich scaled by n/(n-k); HAC the Newey-West sandwich with Bartlett weights 1 - l/(L+1)
 * (unscaled, statsmodels' default use_correction=False; `correction: true` scales it).
 * p-values and intervals use Student-t (n-k df) for classic errors and the normal for robust
 * ones; F tests all slopes = 0 (Wald form with robust errors), as statsmodels.
 *
 * @param y the response (pass returns, e.g. returns(btc))
 * @param X the factors: a record { name: series }, a Frame, or one series
 * @returns RegressResult: coef, se, t, p, ci, r2, adjR2, f, fP, n, residuals, alignment
 * @throws CollinearityError naming the columns when the design is (nearly) singular
 * statsmodels: `sm.OLS(y, sm.add_constant(X)).fit(cov_type='HAC', cov_kwds={'maxlags': L})`
 * @example
 * regress(new Series([1, 2, 3, 4, 5, 6, 7, 8], [1.1, 1.9, 3.2, 3.8, 5.1, 6.2, 6.8, 8.1], 'y'), { x: new Series([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]) }).coefOf('x') // => 0.997619047619
 * regress(new Series([1, 2, 3, 4, 5, 6, 7, 8], [1.1, 1.9, 3.2, 3.8, 5.1, 6.2, 6.8, 8.1], 'y'), { x: new Series([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]) }).seOf('x') // => 0.0278004442669
 * regress(new Series([1, 2, 3, 4, 5, 6, 7, 8], [1.1, 1.9, 3.2, 3.8, 5.1, 6.2, 6.8, 8.1], 'y'), { x: new Series([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]) }, { se: 'hac', lags: 1 }).seOf('x') // => 0.0110949023335
 */
export function regress(y: SeriesLike, X: Factors, options: RegressOptions = {}): RegressResult {
  const D = completeDesign(y, X, options.how, 'regress');
  const r = regressArrays(D.y, D.X, D.names, options, 'regress');
  const residuals = new Series(D.index, r.resid, `residual of ${D.name}`, { alignment: D.alignment });
  return new RegressResult(
    D.name,
    ['const', ...D.names],
    r.coef,
    r.se,
    r.t,
    r.p,
    r.ci,
    r.r2,
    r.adjR2,
    r.f,
    r.fP,
    r.n,
    r.df,
    r.seType,
    r.lags,
    r.level,
    residuals,
    r.cov,
    D.alignment,
  );
}
