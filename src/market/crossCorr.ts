/**
 * Lead/lag: crossCorr, the correlation of x with y shifted by each lag in -maxLag..maxLag, on
 * aligned complete pairs (default 'inner'), with statsmodels' ccf semantics (adjusted, demeaned).
 */
import { DISPLAY, type OutputItem } from '../shared/schemas';
import type { AlignmentInfo } from './series';
import { alignPair, type AlignHow, type SeriesLike } from './align';
import { alignmentOf } from './alignment';
import { completePairs, fmt, numOrNull, resultOutputs } from './stats';

/** Result of crossCorr(). */
export class CrossCorr {
  constructor(
    /** lags -maxLag..maxLag (in observations of the aligned series) */
    public lags: number[],
    /** values[k]: correlation at lags[k]; lag L > 0 pairs a(t+L) with b(t), i.e. b leading a by L */
    public values: number[],
    /** lag with the largest |correlation| */
    public best: { lag: number; r: number },
    /** which series leads at the best lag, in words */
    public leader: string,
    public a: string,
    public b: string,
    public alignment: AlignmentInfo,
    /** pairs each lag stood on (n - |lag|) and the fewest a lag needs; lags with fewer are NaN */
    public pairs: number[] = [],
    public minPairs = 0,
    public notes: string[] = [],
  ) {}
  at(lag: number): number {
    const i = this.lags.indexOf(lag);
    return i < 0 ? NaN : this.values[i];
  }
  toString(): string {
    return `crossCorr(${this.a}, ${this.b}): strongest ${fmt(this.best.r)} at lag ${this.best.lag}: ${this.leader}`;
  }
  [DISPLAY](): OutputItem[] {
    return resultOutputs(
      this.toString(),
      [
        { name: 'lag', type: 'number' },
        { name: 'corr', type: 'number', digits: 4 },
        { name: 'meaning', type: 'string' },
      ],
      this.lags.map((l, i) => [
        l,
        numOrNull(this.values[i]),
        l === 0 ? 'same time' : l > 0 ? `${this.b} leads by ${l}` : `${this.a} leads by ${-l}`,
      ]),
      `cross-correlation of ${this.a} and ${this.b}`,
      this.alignment,
      ['statsmodels ccf semantics (adjusted, demeaned); lags count observations of the aligned series', ...this.notes],
    );
  }
}

/**
 * crossCorr(a, b, maxLag): statsmodels ccf semantics on the aligned complete pairs.
 * For lag L >= 0 the value is statsmodels `ccf(a, b)[L]` = Σ (a[t+L]-ā)(b[t]-b̄) / (n-L) / (σa σb)
 * (σ with ddof 0): b leading a by L. For L < 0 it is `ccf(b, a)[-L]`: a leading b.
 * Lags count observations (days for daily data aligned 'inner'). Crypto closes at 00:00 UTC and
 * US exchanges at 16:00 New York, so a one-day lead between them can be a clock artefact.
 *
 * A lag stands on n - |L| pairs; with few of them the adjusted estimator is noise and can leave
 * [-1, 1] (up to n / (n - |L|) in magnitude). A lag needs at least `minPairs` pairs (default
 * max(10, ceil(n / 2)): no lag beyond half the sample), else it is NaN; a value that still
 * leaves [-1, 1] is limited to it, and a note says so.
 * statsmodels: `statsmodels.tsa.stattools.ccf(a, b, adjusted=True)[:maxLag + 1]` (lags >= 0) and
 * `ccf(b, a)` for the negative lags.
 * @param a a Series, or a Frame (its close)
 * @param b the other one
 * @param maxLag the largest |lag|, in observations
 * @param options how (alignment), minPairs (pairs a lag needs)
 * @returns a CrossCorr: lags, values, best { lag, r }, leader (in words); at(lag)
 * @example
 * const cc = crossCorr(returns(load('data/BTC-USD.csv')), returns(load('data/QQQ.csv')), 3)
 * cc.at(0) // => 0.38739945725
 * cc.at(1) // => -0.107801765231
 * cc.at(-1) // => 0.0116845633504
 * cc.best // => {"lag": 0, "r": 0.38739945725}
 */
export function crossCorr(
  a: SeriesLike,
  b: SeriesLike,
  maxLag: number,
  options: { how?: AlignHow; minPairs?: number } = {},
): CrossCorr {
  if (!Number.isInteger(maxLag) || maxLag < 0)
    throw new RangeError(`crossCorr: maxLag must be an integer >= 0, got ${maxLag}`);
  if (options.minPairs !== undefined && (!Number.isInteger(options.minPairs) || options.minPairs < 2))
    throw new RangeError(`crossCorr: minPairs must be an integer >= 2, got ${options.minPairs}`);
  const P = alignPair(a, b, options.how, 'crossCorr');
  const { x, y, mask } = completePairs(P.x, P.y);
  const n = x.length;
  const alignment = alignmentOf(P.how, P.index, mask ? (i) => mask[i] === 1 : undefined);
  const lags: number[] = [],
    values: number[] = [];
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  const xo = x.map((v) => v - mx),
    yo = y.map((v) => v - my);
  let vx = 0,
    vy = 0;
  for (let i = 0; i < n; i++) {
    vx += xo[i] * xo[i];
    vy += yo[i] * yo[i];
  }
  const sd = Math.sqrt(vx / n) * Math.sqrt(vy / n);
  const minPairs = options.minPairs ?? Math.max(10, Math.ceil(n / 2));
  let clamped = 0;
  const ccf = (p: Float64Array, q: Float64Array, L: number): number => {
    if (n - L < minPairs || !(sd > 0)) return NaN;
    let s = 0;
    for (let t = 0; t + L < n; t++) s += p[t + L] * q[t];
    const v = s / (n - L) / sd;
    if (v > 1 || v < -1) {
      clamped++;
      return v > 1 ? 1 : -1;
    }
    return v;
  };
  const pairs: number[] = [];
  for (let L = -maxLag; L <= maxLag; L++) {
    lags.push(L);
    pairs.push(Math.max(0, n - Math.abs(L)));
    values.push(L >= 0 ? ccf(xo, yo, L) : ccf(yo, xo, -L));
  }
  const notes: string[] = [];
  const short = pairs.filter((p) => p < minPairs).length;
  if (short)
    notes.push(
      `${short} lag${short === 1 ? '' : 's'} with fewer than ${minPairs} pairs (of ${n}) left NaN (options.minPairs)`,
    );
  if (clamped)
    notes.push(
      `${clamped} value${clamped === 1 ? '' : 's'} beyond ±1 (the adjusted estimator on a short overlap) limited to ±1`,
    );
  let bi = -1;
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i]) && (bi < 0 || Math.abs(values[i]) > Math.abs(values[bi]))) bi = i;
  const best = bi < 0 ? { lag: NaN, r: NaN } : { lag: lags[bi], r: values[bi] };
  const leader =
    bi < 0
      ? 'undefined (zero variance or too few points)'
      : best.lag === 0
        ? `strongest at the same time (no lead); ${P.a.name} and ${P.b.name} move together`
        : best.lag > 0
          ? `${P.b.name} leads ${P.a.name} by ${best.lag} observation${best.lag === 1 ? '' : 's'}`
          : `${P.a.name} leads ${P.b.name} by ${-best.lag} observation${best.lag === -1 ? '' : 's'}`;
  return new CrossCorr(lags, values, best, leader, P.a.name, P.b.name, alignment, pairs, minPairs, notes);
}
