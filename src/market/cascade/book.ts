/**
 * The position book: the leveraged positions that can be liquidated, stored as a struct
 * of typed arrays so that a million positions cost a few tens of megabytes.
 */
import { formatCurrency } from '../../shared/format';
import { DISPLAY, type OutputItem } from '../../shared/schemas';
import { formatTime, toTime } from '../series';
import { Table } from '../output';
import { DEFAULT_TIERS, liquidationPrice, tierFor, type MaintenanceTier, type Side } from './tiers';
import { argsortFloat64 } from '../ranks';

/** One position, as a user states it. Give `size` (base units, e.g. BTC) or `notional` (USDT at entry). */
export interface PositionInput {
  side: Side;
  entry: number;
  leverage: number;
  size?: number;
  notional?: number;
  /** maintenance rate; looked up in the tier table from the entry notional when absent */
  mmr?: number;
  /** when the position was opened (optional, for display) */
  opened?: number | string | Date;
  /** share of the margin posted in a non-USDT collateral (0..1, default 0); see CollateralSpec in mark.ts */
  collateral?: number;
}

export interface BookMeta {
  /** how the book was made, in words (shown under tables) */
  assumptions: string[];
  /** price the book is "as of" (last close of the build path), if known */
  refPrice?: number;
  /** time the book is "as of", epoch ms */
  asOf?: number;
  /** positions dropped by the survivorship filter (the build path had already liquidated them) */
  dropped?: number;
  /** positions whose leverage was capped to their tier's maximum */
  capped?: number;
  seed?: number;
}

/**
 * The leveraged positions a cascade can liquidate, as parallel typed arrays (position i is
 * side[i], size[i], entry[i], leverage[i], mmr[i], liq[i]). Made by positionBook() from stated
 * positions or buildBook() from assumptions; the constructor validates and computes liq.
 * @example
 * const book = positionBook([{ side: 'long', entry: 100, leverage: 10, size: 2 }])
 * book.notional(0) // => 200
 * book.margin(0) // => 20
 * String(book) // => "PositionBook [1 positions, OI $200.00]"
 */
export class PositionBook {
  readonly n: number;
  /** +1 long, -1 short */
  readonly side: Int8Array;
  /** base units (e.g. BTC) */
  readonly size: Float64Array;
  readonly entry: Float64Array;
  readonly leverage: Float64Array;
  /** maintenance margin rate */
  readonly mmr: Float64Array;
  /** liquidation price (exact isolated formula) */
  readonly liq: Float64Array;
  /** epoch ms the position was opened (NaN when unknown) */
  readonly opened: Float64Array;
  /** share of the margin posted in a collateral asset other than USDT (0..1), when the book has one; see CollateralSpec */
  readonly collateral?: Float64Array;
  readonly tiers: readonly MaintenanceTier[];
  readonly meta: BookMeta;
  private sorted?: { longs: Uint32Array; shorts: Uint32Array };

  constructor(
    a: {
      side: Int8Array;
      size: Float64Array;
      entry: Float64Array;
      leverage: Float64Array;
      mmr: Float64Array;
      opened?: Float64Array;
      collateral?: Float64Array;
    },
    tiers: readonly MaintenanceTier[] = DEFAULT_TIERS,
    meta: BookMeta = { assumptions: [] },
    /** (buildBook) liquidation prices already computed with the exact formula from inputs it validated */
    liq?: Float64Array,
  ) {
    const n = a.side.length;
    for (const [k, v] of Object.entries(a))
      if (v && v.length !== n) throw new RangeError(`PositionBook: ${k} has ${v.length} values for ${n} positions`);
    this.n = n;
    this.side = a.side;
    this.size = a.size;
    this.entry = a.entry;
    this.leverage = a.leverage;
    this.mmr = a.mmr;
    this.opened = a.opened ?? new Float64Array(n).fill(NaN);
    if (a.collateral) {
      for (let i = 0; i < n; i++)
        if (!(a.collateral[i] >= 0 && a.collateral[i] <= 1))
          throw new RangeError(`position ${i}: collateral share must be in [0, 1] (got ${a.collateral[i]})`);
      this.collateral = a.collateral;
    }
    if (liq && liq.length !== n) throw new RangeError(`PositionBook: liq has ${liq.length} values for ${n} positions`);
    this.liq = liq ?? new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (a.side[i] !== 1 && a.side[i] !== -1)
        throw new RangeError(`position ${i}: side must be +1 (long) or -1 (short)`);
      if (!(a.size[i] > 0)) throw new RangeError(`position ${i}: size must be > 0 (got ${a.size[i]})`);
      if (!liq) this.liq[i] = liquidationPrice(a.side[i] as 1 | -1, a.entry[i], a.leverage[i], a.mmr[i]);
    }
    this.tiers = tiers;
    this.meta = meta;
  }

  /** Notional at entry (USDT) of position i. */
  notional(i: number): number {
    return this.size[i] * this.entry[i];
  }
  /** Initial (isolated) margin of position i. */
  margin(i: number): number {
    return (this.size[i] * this.entry[i]) / this.leverage[i];
  }

  /** Open interest at entry prices, USDT, by side. */
  oi(): { long: number; short: number; total: number } {
    let l = 0,
      s = 0;
    for (let i = 0; i < this.n; i++) {
      const v = this.size[i] * this.entry[i];
      if (this.side[i] === 1) l += v;
      else s += v;
    }
    return { long: l, short: s, total: l + s };
  }

  /** Longs sorted by liquidation price descending, shorts ascending (computed once, cached). */
  order(): { longs: Uint32Array; shorts: Uint32Array } {
    if (!this.sorted) {
      let nl = 0;
      for (let i = 0; i < this.n; i++) if (this.side[i] === 1) nl++;
      const L = new Uint32Array(nl),
        S = new Uint32Array(this.n - nl);
      for (let i = 0, a = 0, b = 0; i < this.n; i++) {
        if (this.side[i] === 1) L[a++] = i;
        else S[b++] = i;
      }
      const isSorted = (a: Uint32Array, desc: boolean) => {
        for (let k = 1; k < a.length; k++)
          if (desc ? this.liq[a[k]] > this.liq[a[k - 1]] : this.liq[a[k]] < this.liq[a[k - 1]]) return false;
        return true;
      };
      this.sorted = {
        longs: isSorted(L, true) ? L : argsortFloat64(this.liq, true, L),
        shorts: isSorted(S, false) ? S : argsortFloat64(this.liq, false, S),
      };
    }
    return this.sorted;
  }

  /** Leverage buckets with notional and count per side. */
  leverageTable(): Table {
    const keys = leverageBuckets(this);
    const rows = keys.labels.map((label, b) => {
      let nl = 0,
        ns = 0,
        cl = 0,
        cs = 0;
      for (let i = 0; i < this.n; i++)
        if (keys.bucket(this.leverage[i]) === b) {
          if (this.side[i] === 1) {
            nl += this.notional(i);
            cl++;
          } else {
            ns += this.notional(i);
            cs++;
          }
        }
      return [label, cl, nl, cs, ns];
    });
    const oi = this.oi();
    return new Table(
      [
        { name: 'leverage', type: 'string' },
        { name: 'longs', type: 'number' },
        { name: 'long notional', type: 'number', digits: 0 },
        { name: 'shorts', type: 'number' },
        { name: 'short notional', type: 'number', digits: 0 },
      ],
      rows,
      {
        title: `Position book: ${this.n} positions, OI ${fmtUsd(oi.total)} (long ${fmtUsd(oi.long)}, short ${fmtUsd(oi.short)})`,
        footer: this.meta.assumptions.join(' '),
      },
    );
  }

  toString(): string {
    const oi = this.oi();
    return `PositionBook [${this.n} positions, OI ${fmtUsd(oi.total)}${this.meta.asOf !== undefined ? `, as of ${formatTime(this.meta.asOf)}` : ''}]`;
  }

  [DISPLAY](): OutputItem[] {
    return this.leverageTable()[DISPLAY]();
  }
}

/** Leverage buckets: the distinct leverages when there are few, else ranges. */
export function leverageBuckets(book: PositionBook): {
  labels: string[];
  edges: number[];
  bucket: (l: number) => number;
} {
  const distinct = new Set<number>();
  for (let i = 0; i < book.n && distinct.size <= 12; i++) distinct.add(book.leverage[i]);
  if (distinct.size <= 12) {
    const vals = [...distinct].sort((a, b) => a - b);
    const map = new Map(vals.map((v, i) => [v, i]));
    return { labels: vals.map((v) => `${fmtNum(v)}x`), edges: vals, bucket: (l) => map.get(l) ?? -1 };
  }
  const edges = [1, 5, 10, 25, 50, 100, Infinity];
  const labels = edges.slice(0, -1).map((e, i) => (edges[i + 1] === Infinity ? `>=${e}x` : `${e}-${edges[i + 1]}x`));
  return {
    labels,
    edges,
    bucket: (l) => {
      for (let i = edges.length - 2; i >= 0; i--) if (l >= edges[i]) return i;
      return 0;
    },
  };
}

/** USDT amounts as the tables show them ($ with k/m/bn): the shared formatter. */
export const fmtUsd = formatCurrency;
function fmtNum(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/**
 * A book from explicitly stated positions: size = `size` or notional / entry, the maintenance
 * rate from the tier table by entry notional unless given, and each position's exact
 * liquidation price (liquidationPrice). No pandas equivalent.
 * @param positions side, entry, leverage, size or notional, optional mmr, opened, collateral
 * @param opts tiers (default DEFAULT_TIERS), refPrice (the price the book is "as of")
 * @returns a PositionBook (typed arrays side, size, entry, leverage, mmr, liq; oi(), leverageTable())
 * @throws RangeError naming the position for a bad side or a size/notional <= 0
 * @example
 * const book = positionBook([{ side: 'long', entry: 100, leverage: 10, size: 1 }, { side: 'short', entry: 100, leverage: 5, notional: 200 }])
 * book.liq // => [90.3614457831, 119.521912351]
 * book.oi() // => {"long": 100, "short": 200, "total": 300}
 */
export function positionBook(
  positions: PositionInput[],
  opts: { tiers?: readonly MaintenanceTier[]; refPrice?: number } = {},
): PositionBook {
  const tiers = opts.tiers ?? DEFAULT_TIERS;
  const n = positions.length;
  const side = new Int8Array(n),
    size = new Float64Array(n),
    entry = new Float64Array(n),
    leverage = new Float64Array(n),
    mmr = new Float64Array(n),
    opened = new Float64Array(n);
  positions.forEach((p, i) => {
    if (p.side !== 'long' && p.side !== 'short') throw new RangeError(`position ${i}: side must be 'long' or 'short'`);
    side[i] = p.side === 'long' ? 1 : -1;
    entry[i] = p.entry;
    leverage[i] = p.leverage;
    size[i] = p.size ?? (p.notional !== undefined ? p.notional / p.entry : NaN);
    if (!(size[i] > 0)) throw new RangeError(`position ${i}: give size (base units) or notional (USDT) > 0`);
    mmr[i] = p.mmr ?? tierFor(size[i] * p.entry, tiers).rate;
    opened[i] = p.opened === undefined ? NaN : toTime(p.opened);
  });
  const withColl = positions.some((p) => p.collateral !== undefined && p.collateral !== 0);
  const collateral = withColl ? Float64Array.from(positions, (p) => p.collateral ?? 0) : undefined;
  return new PositionBook({ side, size, entry, leverage, mmr, opened, collateral }, tiers, {
    assumptions: [
      `${n} stated positions; maintenance rates ${positions.some((p) => p.mmr === undefined) ? 'from the tier table by entry notional' : 'as stated'}.`,
    ],
    refPrice: opts.refPrice,
  });
}
