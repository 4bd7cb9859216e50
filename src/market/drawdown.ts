/**
 * Risk: drawdown and volatility.
 */
import { DISPLAY, type OutputItem } from '../shared/schemas';
import { Series, formatTime, DAY_MS, type AlignmentInfo } from './series';
import { asSeries, type SeriesLike } from './align';
import { alignmentOf, alignmentOfFinite } from './alignment';
import { checkWindow, numOrNull, pct, resultOutputs, rollingStd } from './stats';

export interface MaxDrawdown {
  /** the maximum drawdown as a negative fraction (-0.25 = 25% below the peak); 0 when the series never fell */
  depth: number;
  /** date of the peak before the trough */
  peak: string;
  /** date of the lowest point */
  trough: string;
  /** first date after the trough where the value is back at the peak, or null when it has not recovered */
  recovery: string | null;
  peakValue: number;
  troughValue: number;
  /** calendar days from peak to trough, and from peak to recovery (null when not recovered) */
  daysToTrough: number;
  daysToRecovery: number | null;
}

/** Result of drawdown(). */
export class Drawdown {
  constructor(
    /** x / running maximum - 1 (0 at new highs, NaN where x is missing) */
    public series: Series,
    public max: MaxDrawdown,
    public name: string,
    public alignment: AlignmentInfo,
  ) {}
  toString(): string {
    const m = this.max;
    return `max drawdown of ${this.name}: ${pct(m.depth)} from ${m.peak} (${m.peakValue}) to ${m.trough} (${m.troughValue}), ${m.recovery ? `recovered ${m.recovery}` : 'not recovered'}`;
  }
  [DISPLAY](): OutputItem[] {
    const m = this.max;
    return resultOutputs(
      this.toString(),
      [
        { name: 'depth', type: 'number', percent: true },
        { name: 'peak', type: 'date' },
        { name: 'trough', type: 'date' },
        { name: 'recovery', type: 'date' },
        { name: 'days to trough', type: 'number' },
        { name: 'days to recovery', type: 'number' },
      ],
      [[numOrNull(m.depth), m.peak, m.trough, m.recovery, m.daysToTrough, m.daysToRecovery]],
      `max drawdown of ${this.name}`,
      this.alignment,
      ['drawdown series: result.series'],
    );
  }
}

/**
 * drawdown(x): pandas `x / x.cummax() - 1` (missing values skipped by the running maximum) and
 * the maximum drawdown: trough = the first lowest point, peak = the first highest value before
 * it, recovery = the first date after the trough with x >= the peak value. Pass prices (or a
 * cumulative wealth series), not returns.
 * pandas: `dd = x / x.cummax() - 1`; depth `dd.min()`, trough `dd.idxmin()`, peak `x[:trough].idxmax()`.
 * @param x prices: a Series, or a Frame (its close)
 * @returns a Drawdown: series (the drawdown at each date) and max (depth, peak, trough, recovery, …)
 * @example
 * drawdown(load('data/BTC-USD.csv')).max // => {"depth": -0.497388149162, "peak": "2025-10-06", "trough": "2026-02-05", "recovery": null, "peakValue": 124752.53, "daysToTrough": 122}
 * drawdown(new Series([1, 2, 3, 4], [100, 120, 90, 130])).series.values // => [0, 0, -0.25, 0]
 */
export function drawdown(x: SeriesLike): Drawdown {
  const s = asSeries(x, 'drawdown');
  const v = s.values,
    n = v.length;
  const dd = new Float64Array(n);
  let peak = -Infinity,
    peakI = -1;
  let minDd = Infinity,
    troughI = -1,
    bestPeakI = -1;
  for (let i = 0; i < n; i++) {
    const xi = v[i];
    if (!Number.isFinite(xi)) {
      dd[i] = NaN;
      continue;
    }
    if (xi > peak) {
      peak = xi;
      peakI = i;
    }
    const d = xi / peak - 1;
    dd[i] = d;
    if (d < minDd) {
      minDd = d;
      troughI = i;
      bestPeakI = peakI;
    }
  }
  if (troughI < 0) throw new RangeError(`drawdown: "${s.name}" has no finite values`);
  let rec = -1;
  for (let i = troughI + 1; i < n; i++)
    if (v[i] >= v[bestPeakI]) {
      rec = i;
      break;
    }
  const days = (a: number, b: number) => Math.round((s.index[b] - s.index[a]) / DAY_MS);
  const max: MaxDrawdown = {
    depth: minDd,
    peak: formatTime(s.index[bestPeakI]),
    trough: formatTime(s.index[troughI]),
    recovery: rec < 0 ? null : formatTime(s.index[rec]),
    peakValue: v[bestPeakI],
    troughValue: v[troughI],
    daysToTrough: days(bestPeakI, troughI),
    daysToRecovery: rec < 0 ? null : days(bestPeakI, rec),
  };
  const alignment = alignmentOf('none', s.index, (i) => Number.isFinite(v[i]));
  return new Drawdown(new Series(s.index, dd, `drawdown(${s.name})`, { ...s.meta, alignment }), max, s.name, alignment);
}

export interface VolatilityOptions {
  /** periods per year: 252 for exchange-traded assets, 365 for crypto; false for the raw per-period standard deviation */
  annualize: 252 | 365 | number | false;
}

/**
 * volatility(r, window, { annualize }): rolling standard deviation (ddof 1) of a returns series
 * times √annualize: pandas `r.rolling(window).std() * sqrt(periods)`. Pass returns
 * (returns(x) or returns(x, 'log')). The periods must be explicit: 365 for crypto, 252 for
 * exchanges; they are what turns a daily figure into a yearly one and differ by 20%.
 * A constant window gives 0; a window with a missing value gives NaN. O(n).
 * pandas: `r.rolling(window).std() * np.sqrt(annualize)`.
 * @param r returns: a Series
 * @param window points per window (>= 2)
 * @param options annualize: periods per year (365 crypto, 252 exchanges), or false for the raw std
 * @returns a Series on r's index
 * @throws RangeError when `annualize` is not given
 * @example
 * volatility(returns(load('data/BTC-USD.csv')), 30, { annualize: 365 }).last() // => 0.820415998068
 * volatility(new Series([1, 2, 3], [0.01, -0.01, 0.03]), 3, { annualize: false }).values // => [NaN, NaN, 0.02]
 */
export function volatility(r: SeriesLike, window: number, options: VolatilityOptions): Series {
  const s = asSeries(r, 'volatility');
  checkWindow('volatility', window);
  const ann = options?.annualize;
  if (ann === undefined || (ann !== false && !(typeof ann === 'number' && ann > 0))) {
    const hint =
      s.meta.calendar === 'crypto'
        ? ' (this series trades every day: 365)'
        : s.meta.calendar === 'exchange'
          ? ' (this series trades on exchange days: 252)'
          : '';
    throw new RangeError(
      `volatility: say how to annualize: { annualize: 365 } for crypto, { annualize: 252 } for exchange-traded assets, or { annualize: false }${hint}`,
    );
  }
  const out = rollingStd(s.values, window);
  if (ann !== false) {
    const f = Math.sqrt(ann);
    for (let i = 0; i < out.length; i++) out[i] *= f;
  }
  const alignment = alignmentOfFinite('none', s.index, out);
  return new Series(s.index, out, `vol(${s.name}, ${window}${ann === false ? '' : `, ×√${ann}`})`, {
    ...s.meta,
    alignment,
    window,
    annualize: ann,
  });
}
