/**
 * granger(): Granger-causality tests for each lag 1..maxLag, as statsmodels
 * grangercausalitytests (ssr F, ssr chi², likelihood ratio and parameter F tests).
 */
import { DISPLAY, type OutputItem } from '../../shared/schemas';
import { type AlignmentInfo } from '../series';
import { alignPair, type AlignHow, type SeriesLike } from '../align';
import { alignmentOf } from '../alignment';
import { completePairs, fmt, numOrNull, resultOutputs } from '../stats';
import { chi2Sf, fSf } from './distributions';
import { olsFit, olsLlf } from './ols';
import { olsCov, waldF } from './olsCov';

/** The four tests at one lag. */
export interface GrangerLag {
  lag: number;
  /** ssr-based F: ((SSR_r - SSR_u)/L) / (SSR_u/df), with (L, df) degrees of freedom */
  ssrF: { stat: number; p: number; dfDenom: number; dfNum: number };
  /** ssr-based chi²: n (SSR_r - SSR_u)/SSR_u, L df */
  ssrChi2: { stat: number; p: number; df: number };
  /** likelihood ratio: -2 (llf_r - llf_u), L df */
  lr: { stat: number; p: number; df: number };
  /** Wald F of the L lags of x in the unrestricted model */
  paramsF: { stat: number; p: number; dfDenom: number; dfNum: number };
  /** observations of this lag's regressions (n - lag) */
  nobs: number;
}

/** Result of granger(). */
export class GrangerResult {
  constructor(
    /** the predicted series */
    public y: string,
    /** the candidate predictor */
    public x: string,
    public lags: GrangerLag[],
    public alignment: AlignmentInfo,
  ) {}
  /** the tests at one lag */
  at(lag: number): GrangerLag {
    const r = this.lags.find((l) => l.lag === lag);
    if (!r) throw new RangeError(`granger: lag ${lag} was not tested (1..${this.lags.length})`);
    return r;
  }
  /** smallest ssr-F p-value over the lags, and its Bonferroni bound (× number of lags) */
  get minP(): { lag: number; p: number; bonferroni: number } {
    const b = this.lags.reduce((a, l) => (l.ssrF.p < a.ssrF.p ? l : a), this.lags[0]);
    return { lag: b.lag, p: b.ssrF.p, bonferroni: Math.min(1, b.ssrF.p * this.lags.length) };
  }
  get reading(): string {
    const m = this.minP;
    const verdict =
      m.bonferroni < 0.05
        ? `past ${this.x} helps predict ${this.y} (lag ${m.lag}, p ${fmt(m.p, 3)}, ${fmt(m.bonferroni, 3)} after Bonferroni for ${this.lags.length} lags)`
        : `no lag of ${this.x} helps predict ${this.y} at 5% once ${this.lags.length} lags are tested (best lag ${m.lag}, p ${fmt(m.p, 3)})`;
    return `${verdict}; "Granger-causes" means predicts in-sample, not causes; needs stationary inputs (pass returns, not prices)${this.alignment.n < 100 ? `; only ${this.alignment.n} observations` : ''}`;
  }
  toString(): string {
    return `granger(${this.y} <- ${this.x}, ${this.lags.length} lags): min p ${fmt(this.minP.p, 3)} at lag ${this.minP.lag}`;
  }
  [DISPLAY](): OutputItem[] {
    return resultOutputs(
      `${this.toString()}\n${this.reading}`,
      [
        { name: 'lag', type: 'number' },
        { name: 'F', type: 'number', digits: 4 },
        { name: 'p (F)', type: 'number' },
        { name: 'chi2', type: 'number', digits: 4 },
        { name: 'p (chi2)', type: 'number' },
        { name: 'LR', type: 'number', digits: 4 },
        { name: 'p (LR)', type: 'number' },
        { name: 'df', type: 'string' },
        { name: 'nobs', type: 'number' },
      ],
      this.lags.map((l) => [
        l.lag,
        numOrNull(l.ssrF.stat),
        numOrNull(l.ssrF.p),
        numOrNull(l.ssrChi2.stat),
        numOrNull(l.ssrChi2.p),
        numOrNull(l.lr.stat),
        numOrNull(l.lr.p),
        `${l.ssrF.dfNum}, ${l.ssrF.dfDenom}`,
        l.nobs,
      ]),
      `Granger causality: does ${this.x} help predict ${this.y}? (H0: no)`,
      this.alignment,
      [this.reading],
    );
  }
}

/**
 * granger(y, x, maxLag, { how }): for each lag L = 1..maxLag, compares the regression of y_t on
 * a constant and y_(t-1..t-L) (restricted) with the one that adds x_(t-1..t-L) (unrestricted),
 * as statsmodels `grangercausalitytests(np.column_stack([y, x]), maxLag)`.
 *
 * Formula: F = ((SSR_r - SSR_u)/L) / (SSR_u/(n - 2L - 1)); chi² = n (SSR_r - SSR_u)/SSR_u;
 * LR = n ln(SSR_r/SSR_u); parameter F = Wald test of the x lags (equal to the ssr F).
 * Each lag uses its own rows t = L..n-1, as statsmodels.
 *
 * @param y the series to predict, @param x the candidate predictor (both stationary: returns)
 * @returns GrangerResult: lags[] with ssrF, ssrChi2, lr, paramsF; minP; reading
 * statsmodels: `grangercausalitytests(df[['y', 'x']], maxlag)`
 * @example
 * granger(new Series(Array.from({ length: 30 }, (_, i) => i), Array.from({ length: 30 }, (_, i) => Math.sin(i * i))), new Series(Array.from({ length: 30 }, (_, i) => i), Array.from({ length: 30 }, (_, i) => Math.cos(i * i))), 2).at(2).ssrF.p // => 0.981707903621
 */
export function granger(y: SeriesLike, x: SeriesLike, maxLag: number, options: { how?: AlignHow } = {}): GrangerResult {
  if (!Number.isInteger(maxLag) || maxLag < 1)
    throw new RangeError(`granger: maxLag must be an integer >= 1, got ${maxLag}`);
  const P = alignPair(y, x, options.how, 'granger');
  const c = completePairs(P.x, P.y);
  const yy = c.x,
    xx = c.y,
    T = yy.length;
  if (T <= 3 * maxLag + 1)
    throw new RangeError(
      `granger: ${T} complete pairs are too few for ${maxLag} lags; the largest allowed is ${Math.floor((T - 1) / 3) - 1}`,
    );
  const out: GrangerLag[] = [];
  for (let L = 1; L <= maxLag; L++) {
    const n = T - L;
    const dep = yy.slice(L);
    const ylags: Float64Array[] = [],
      xlags: Float64Array[] = [];
    for (let l = 1; l <= L; l++) {
      ylags.push(yy.slice(L - l, T - l));
      xlags.push(xx.slice(L - l, T - l));
    }
    const ones = new Float64Array(n).fill(1);
    const own = [...ylags, ones],
      joint = [...ylags, ...xlags, ones];
    const names = [
      ...ylags.map((_, l) => `${P.a.name} lag ${l + 1}`),
      ...xlags.map((_, l) => `${P.b.name} lag ${l + 1}`),
      'const',
    ];
    const fr = olsFit(own, dep, [...names.slice(0, L), 'const'], 'granger');
    const fu = olsFit(joint, dep, names, 'granger');
    const df = n - joint.length;
    const F = ((fr.ssr - fu.ssr) / fu.ssr / L) * df;
    const chi2 = (n * (fr.ssr - fu.ssr)) / fu.ssr;
    const lr = -2 * (olsLlf(fr.ssr, n) - olsLlf(fu.ssr, n));
    const pf = waldF(
      fu.params,
      olsCov(joint, fu, 'classic'),
      joint.length,
      xlags.map((_, l) => L + l),
    );
    out.push({
      lag: L,
      nobs: n,
      ssrF: { stat: F, p: fSf(F, L, df), dfDenom: df, dfNum: L },
      ssrChi2: { stat: chi2, p: chi2Sf(chi2, L), df: L },
      lr: { stat: lr, p: chi2Sf(lr, L), df: L },
      paramsF: { stat: pf, p: fSf(pf, L, df), dfDenom: df, dfNum: L },
    });
  }
  return new GrangerResult(
    P.a.name,
    P.b.name,
    out,
    alignmentOf(P.how, P.index, c.mask ? (i) => c.mask![i] === 1 : undefined),
  );
}
