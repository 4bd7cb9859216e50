/**
 * Spot-ETF flows: cumulative net flows, the average cost basis of the ETF buyers compared with
 * the price, and the longest run of outflow days.
 */
import { DISPLAY, type OutputItem } from '../shared/schemas';
import { Series, formatTime, type AlignmentInfo } from './series';
import { alignArrays, asSeries, type SeriesLike } from './align';
import { alignmentOf } from './alignment';
import { fmt, pct, resultOutputs } from './stats';

export interface OutflowRun {
  /** consecutive flow observations (trading days) below zero */
  days: number;
  /** sum of the flows of the run (negative, in the flows' units) */
  total: number;
  start: string;
  end: string;
}

/** Result of etfFlows(). Series are on the flows' dates (where a price exists). */
export class EtfFlows {
  constructor(
    /** running sum of the net flows */
    public cumulative: Series,
    /** the price used each flow day */
    public price: Series,
    /** average cost of the coins held by the ETFs' buyers (price units), average-cost method */
    public costBasis: Series,
    /** price / costBasis - 1: how far the average buyer is in profit (+) or loss (-) */
    public premium: Series,
    /** longest run of consecutive outflow days (null when there is no outflow day) */
    public longestOutflow: OutflowRun | null,
    /** sum of all flows */
    public total: number,
    public name: string,
    public alignment: AlignmentInfo,
  ) {}
  get lastCostBasis(): number {
    return this.costBasis.last();
  }
  toString(): string {
    const r = this.longestOutflow;
    return (
      `${this.name}: net ${fmt(this.total)} in total; buyers' average cost ${fmt(this.lastCostBasis)} vs price ${fmt(this.price.last())} (${pct(this.premium.last())})` +
      (r ? `; longest outflow run ${r.days} days ${r.start} .. ${r.end}, ${fmt(r.total)}` : '; no outflow day')
    );
  }
  [DISPLAY](): OutputItem[] {
    const r = this.longestOutflow;
    const last = this.cumulative.length - 1;
    // The rows hold different units (flow currency, price, a percentage, days), so the value
    // column is text formatted per row rather than one number format for all.
    const num = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : 'NaN');
    return resultOutputs(
      this.toString(),
      [
        { name: 'quantity', type: 'string' },
        { name: 'value', type: 'string' },
        { name: 'date', type: 'string' },
      ],
      [
        ['cumulative net flow', num(this.total), formatTime(this.cumulative.index[last])],
        ["buyers' average cost", num(this.lastCostBasis), formatTime(this.costBasis.index[last])],
        ['price', num(this.price.last()), formatTime(this.price.index[last])],
        [
          'price vs cost',
          Number.isFinite(this.premium.last()) ? pct(this.premium.last()) : 'NaN',
          formatTime(this.price.index[last]),
        ],
        ['longest outflow run (days)', r ? String(r.days) : '', r ? `${r.start} .. ${r.end}` : ''],
        ['longest outflow run (total)', r ? num(r.total) : '', r ? `${r.start} .. ${r.end}` : ''],
      ],
      `ETF flows: ${this.name}`,
      this.alignment,
      [
        "cost basis: average-cost method (inflows buy at the day's price; outflows sell at the running average cost)",
        'series: result.cumulative, result.costBasis, result.price, result.premium',
      ],
    );
  }
}

/**
 * etfFlows(flows, price): flows are daily net flows in currency (e.g. US$ millions), price the
 * asset's price in the same currency per unit. On each flow date (inner join with the price):
 * an inflow f buys f/price units at the price; an outflow sells -f/price units, removing cost at
 * the running average cost (so outflows do not move the average cost). costBasis = cost / units.
 * The longest outflow run counts consecutive flow rows < 0 (a zero-flow day ends a run; of two
 * runs as long, the one with the larger outflow). Missing flows (NaN) are skipped and end a run.
 * pandas: `flows.cumsum()` for the cumulative flow; the cost basis is the average-cost loop above
 * (no pandas one-liner); runs: `neg = flows < 0; flows[neg].groupby((neg != neg.shift()).cumsum()[neg]).agg(['count', 'sum'])`.
 * @param flows daily net flows (a Series, or a one-column Frame from load())
 * @param price the asset's price (a Series, or a Frame: its close)
 * @returns an EtfFlows: cumulative, price, costBasis, premium (Series), longestOutflow, total, lastCostBasis
 * @example
 * const f = etfFlows(load('data/BTC_SPOT_ETF_NETFLOW_USDM.csv'), load('data/BTC-USD.csv'))
 * f.total // => 56594.2
 * f.longestOutflow // => {"days": 8, "total": -3272.9, "start": "2025-02-18", "end": "2025-02-27"}
 * f.lastCostBasis // => 89852.5018215
 */
export function etfFlows(flows: SeriesLike, price: SeriesLike): EtfFlows {
  const f = asSeries(flows, 'etfFlows: flows'),
    p = asSeries(price, 'etfFlows: price');
  const { index, values } = alignArrays([f, p], 'inner');
  const fv = values[0],
    pv = values[1];
  const n = index.length;
  const cum = new Float64Array(n),
    basis = new Float64Array(n),
    prem = new Float64Array(n);
  let total = 0,
    units = 0,
    cost = 0;
  let best: OutflowRun | null = null,
    runStart = -1,
    runTotal = 0;
  const closeRun = (end: number) => {
    if (runStart >= 0) {
      const days = end - runStart + 1;
      if (!best || days > best.days || (days === best.days && runTotal < best.total))
        best = { days, total: runTotal, start: formatTime(index[runStart]), end: formatTime(index[end]) };
    }
    runStart = -1;
    runTotal = 0;
  };
  for (let i = 0; i < n; i++) {
    const fl = fv[i],
      px = pv[i];
    if (Number.isFinite(fl)) {
      total += fl;
      if (Number.isFinite(px) && px > 0) {
        const q = fl / px;
        if (fl >= 0) {
          units += q;
          cost += fl;
        } else if (units > 0) {
          const sold = Math.min(-q, units);
          cost -= sold * (cost / units);
          units -= sold;
        }
      }
      if (fl < 0) {
        if (runStart < 0) runStart = i;
        runTotal += fl;
      } else closeRun(i - 1);
    } else closeRun(i - 1);
    cum[i] = total;
    basis[i] = units > 0 ? cost / units : NaN;
    prem[i] = pv[i] / basis[i] - 1;
  }
  closeRun(n - 1);
  const alignment = alignmentOf('inner', index, (i) => Number.isFinite(fv[i]) && Number.isFinite(pv[i]));
  const meta = { alignment };
  return new EtfFlows(
    new Series(index, cum, `cumulative ${f.name}`, meta),
    new Series(index, pv, p.name, meta),
    new Series(index, basis, `cost basis (${f.name})`, meta),
    new Series(index, prem, `price vs cost (${f.name})`, meta),
    best,
    total,
    f.name,
    alignment,
  );
}
