/**
 * The position book: the leveraged positions that can be liquidated, stored as a struct
 * of typed arrays so that a million positions cost a few tens of megabytes.
 */
import { formatCurrency } from '../../shared/format';
import { DISPLAY, type OutputItem } from '../../shared/schemas';
import { formatTime, Frame, Series, toTime } from '../series';
import { Table } from '../output';
import { DEFAULT_TIERS, liquidationPrice, tierFor, type MaintenanceTier, type Side } from './tiers';
import { mulberry32, normals } from './rng';
import { toOHLC, type PathInput } from './path';
import { argsortFloat64 } from './sort';

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
  readonly tiers: readonly MaintenanceTier[];
  readonly meta: BookMeta;
  private sorted?: { longs: Uint32Array; shorts: Uint32Array };

  constructor(
    a: { side: Int8Array; size: Float64Array; entry: Float64Array; leverage: Float64Array; mmr: Float64Array; opened?: Float64Array },
    tiers: readonly MaintenanceTier[] = DEFAULT_TIERS,
    meta: BookMeta = { assumptions: [] },
  ) {
    const n = a.side.length;
    for (const [k, v] of Object.entries(a)) if (v && v.length !== n) throw new RangeError(`PositionBook: ${k} has ${v.length} values for ${n} positions`);
    this.n = n;
    this.side = a.side; this.size = a.size; this.entry = a.entry; this.leverage = a.leverage; this.mmr = a.mmr;
    this.opened = a.opened ?? new Float64Array(n).fill(NaN);
    this.liq = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (a.side[i] !== 1 && a.side[i] !== -1) throw new RangeError(`position ${i}: side must be +1 (long) or -1 (short)`);
      if (!(a.size[i] > 0)) throw new RangeError(`position ${i}: size must be > 0 (got ${a.size[i]})`);
      this.liq[i] = liquidationPrice(a.side[i] as 1 | -1, a.entry[i], a.leverage[i], a.mmr[i]);
    }
    this.tiers = tiers;
    this.meta = meta;
  }

  /** Notional at entry (USDT) of position i. */
  notional(i: number): number { return this.size[i] * this.entry[i]; }
  /** Initial (isolated) margin of position i. */
  margin(i: number): number { return (this.size[i] * this.entry[i]) / this.leverage[i]; }

  /** Open interest at entry prices, USDT, by side. */
  oi(): { long: number; short: number; total: number } {
    let l = 0, s = 0;
    for (let i = 0; i < this.n; i++) { const v = this.size[i] * this.entry[i]; if (this.side[i] === 1) l += v; else s += v; }
    return { long: l, short: s, total: l + s };
  }

  /** Longs sorted by liquidation price descending, shorts ascending (computed once, cached). */
  order(): { longs: Uint32Array; shorts: Uint32Array } {
    if (!this.sorted) {
      let nl = 0;
      for (let i = 0; i < this.n; i++) if (this.side[i] === 1) nl++;
      const L = new Uint32Array(nl), S = new Uint32Array(this.n - nl);
      for (let i = 0, a = 0, b = 0; i < this.n; i++) { if (this.side[i] === 1) L[a++] = i; else S[b++] = i; }
      const isSorted = (a: Uint32Array, desc: boolean) => {
        for (let k = 1; k < a.length; k++) if (desc ? this.liq[a[k]] > this.liq[a[k - 1]] : this.liq[a[k]] < this.liq[a[k - 1]]) return false;
        return true;
      };
      this.sorted = { longs: isSorted(L, true) ? L : argsortFloat64(this.liq, true, L), shorts: isSorted(S, false) ? S : argsortFloat64(this.liq, false, S) };
    }
    return this.sorted;
  }

  /** Leverage buckets with notional and count per side. */
  leverageTable(): Table {
    const keys = leverageBuckets(this);
    const rows = keys.labels.map((label, b) => {
      let nl = 0, ns = 0, cl = 0, cs = 0;
      for (let i = 0; i < this.n; i++) if (keys.bucket(this.leverage[i]) === b) {
        if (this.side[i] === 1) { nl += this.notional(i); cl++; } else { ns += this.notional(i); cs++; }
      }
      return [label, cl, nl, cs, ns];
    });
    const oi = this.oi();
    return new Table(
      [{ name: 'leverage', type: 'string' }, { name: 'longs', type: 'number' }, { name: 'long notional', type: 'number', digits: 0 }, { name: 'shorts', type: 'number' }, { name: 'short notional', type: 'number', digits: 0 }],
      rows,
      { title: `Position book: ${this.n} positions, OI ${fmtUsd(oi.total)} (long ${fmtUsd(oi.long)}, short ${fmtUsd(oi.short)})`, footer: this.meta.assumptions.join(' ') },
    );
  }

  toString(): string {
    const oi = this.oi();
    return `PositionBook [${this.n} positions, OI ${fmtUsd(oi.total)}${this.meta.asOf !== undefined ? `, as of ${formatTime(this.meta.asOf)}` : ''}]`;
  }

  [DISPLAY](): OutputItem[] { return this.leverageTable()[DISPLAY](); }
}

/** Leverage buckets: the distinct leverages when there are few, else ranges. */
export function leverageBuckets(book: PositionBook): { labels: string[]; edges: number[]; bucket: (l: number) => number } {
  const distinct = new Set<number>();
  for (let i = 0; i < book.n && distinct.size <= 12; i++) distinct.add(book.leverage[i]);
  if (distinct.size <= 12) {
    const vals = [...distinct].sort((a, b) => a - b);
    const map = new Map(vals.map((v, i) => [v, i]));
    return { labels: vals.map((v) => `${fmtNum(v)}x`), edges: vals, bucket: (l) => map.get(l) ?? -1 };
  }
  const edges = [1, 5, 10, 25, 50, 100, Infinity];
  const labels = edges.slice(0, -1).map((e, i) => (edges[i + 1] === Infinity ? `>=${e}x` : `${e}-${edges[i + 1]}x`));
  return { labels, edges, bucket: (l) => { for (let i = edges.length - 2; i >= 0; i--) if (l >= edges[i]) return i; return 0; } };
}

/** USDT amounts as the tables show them ($ with k/m/bn): the shared formatter. */
export const fmtUsd = formatCurrency;
function fmtNum(v: number): string { return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4))); }

/** A book from explicitly stated positions (maintenance rate from the tier table unless given). */
export function positionBook(positions: PositionInput[], opts: { tiers?: readonly MaintenanceTier[]; refPrice?: number } = {}): PositionBook {
  const tiers = opts.tiers ?? DEFAULT_TIERS;
  const n = positions.length;
  const side = new Int8Array(n), size = new Float64Array(n), entry = new Float64Array(n), leverage = new Float64Array(n), mmr = new Float64Array(n), opened = new Float64Array(n);
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
  return new PositionBook({ side, size, entry, leverage, mmr, opened }, tiers, { assumptions: [`${n} stated positions; maintenance rates ${positions.some((p) => p.mmr === undefined) ? 'from the tier table by entry notional' : 'as stated'}.`], refPrice: opts.refPrice });
}

export interface BuildBookOptions {
  /** historical path the positions were opened along (Frame with high/low/close, Series, or arrays) */
  path: PathInput;
  /** total open interest of the book at entry prices, USDT (both sides together); or use scaleToOI */
  totalOI?: number;
  /**
   * Derive totalOI from the `oi` series instead: last OI at or before the path's end x
   * contractSize (default 5: CME BTC contracts are 5 BTC) x the path's last close x multiple
   * (your assumption of the leveraged market's size relative to that OI).
   */
  scaleToOI?: { multiple: number; contractSize?: number };
  /** leverage -> weight (normalised), e.g. {5: 0.3, 10: 0.3, 25: 0.25, 50: 0.15}; a mix of the surviving book */
  leverageMix?: Record<number, number>;
  /** fraction of the notional that is long (default 0.5) */
  longShare?: number;
  /** number of positions (default 20,000) */
  count?: number;
  seed?: number;
  /**
   * Open-interest series (e.g. CME weekly OI) on the path's dates or coarser: positions are
   * opened as it grows (weight of a day = max(0, OI increase), plus the starting OI spread
   * evenly). Without it, entries are spread evenly over the path's days.
   */
  oi?: Series | Frame | { time: Array<number | string | Date>; value: ArrayLike<number> };
  /** sigma of the log-normal position-size distribution (default 1.5: a few large positions) */
  sizeSigma?: number;
  tiers?: readonly MaintenanceTier[];
  /** drop positions the path has already liquidated after their entry (default true) */
  survivorship?: boolean;
}

/** Builds a synthetic book from stated assumptions. Deterministic for a seed. */
export function buildBook(o: BuildBookOptions): PositionBook {
  const path = toOHLC(o.path, 'buildBook path');
  const T = path.length;
  const tiers = o.tiers ?? DEFAULT_TIERS;
  const count = Math.floor(o.count ?? 20_000);
  const longShare = o.longShare ?? 0.5;
  const seed = o.seed ?? 1;
  const sizeSigma = o.sizeSigma ?? 1.5;
  const survivorship = o.survivorship ?? true;
  let totalOI = o.totalOI ?? NaN;
  let oiNote = '';
  if (o.scaleToOI) {
    if (o.totalOI !== undefined) throw new RangeError('buildBook: give totalOI or scaleToOI, not both');
    if (!o.oi) throw new RangeError('buildBook: scaleToOI needs the oi series');
    const src = o.oi instanceof Frame ? o.oi.get(o.oi.names.includes('value') ? 'value' : o.oi.names[0]) : o.oi;
    const idx = src instanceof Series ? src.index : Float64Array.from(src.time, (t) => toTime(t));
    const val = src instanceof Series ? src.values : Float64Array.from(src.value);
    const end = path.hasTime ? path.time[T - 1] : Infinity;
    let last = NaN, when = NaN;
    for (let k = 0; k < idx.length; k++) if (idx[k] <= end && Number.isFinite(val[k])) { last = val[k]; when = idx[k]; }
    const cs = o.scaleToOI.contractSize ?? 5;
    totalOI = last * cs * path.close[T - 1] * o.scaleToOI.multiple;
    oiNote = ` (= OI ${last} on ${formatTime(when)} x ${cs} x ${path.close[T - 1]} x ${o.scaleToOI.multiple})`;
  }
  if (!(totalOI > 0)) throw new RangeError('buildBook: totalOI (USDT) must be > 0 (or give scaleToOI with an oi series)');
  if (!(count >= 1)) throw new RangeError('buildBook: count must be >= 1');
  if (!(longShare >= 0 && longShare <= 1)) throw new RangeError('buildBook: longShare must be in [0, 1]');
  const mix = Object.entries(o.leverageMix ?? { 5: 0.3, 10: 0.3, 25: 0.25, 50: 0.15 }).map(([k, w]) => [Number(k), Number(w)] as const).filter(([, w]) => w > 0);
  if (!mix.length || mix.some(([l]) => !(l >= 1))) throw new RangeError('buildBook: leverageMix needs leverages >= 1 with positive weights');
  const mixTotal = mix.reduce((s, [, w]) => s + w, 0);

  // day weights
  const w = new Float64Array(T);
  if (o.oi) {
    const src = o.oi instanceof Frame ? o.oi.get(o.oi.names.includes('value') ? 'value' : o.oi.names[0]) : o.oi;
    const oiIdx = src instanceof Series ? src.index : Float64Array.from(src.time, (t) => toTime(t));
    const oiVal = src instanceof Series ? src.values : Float64Array.from(src.value);
    if (!path.hasTime) throw new RangeError('buildBook: an oi series needs a path with dates');
    const daily = new Float64Array(T);
    let k = -1;
    for (let t = 0; t < T; t++) {
      while (k + 1 < oiIdx.length && oiIdx[k + 1] <= path.time[t]) k++;
      daily[t] = k >= 0 && Number.isFinite(oiVal[k]) ? oiVal[k] : NaN;
    }
    const first = daily.findIndex((v) => Number.isFinite(v));
    if (first < 0) throw new RangeError('buildBook: the oi series does not overlap the path');
    for (let t = 0; t < T; t++) w[t] = daily[first] / T;
    for (let t = first + 1; t < T; t++) if (Number.isFinite(daily[t]) && Number.isFinite(daily[t - 1])) w[t] += Math.max(0, daily[t] - daily[t - 1]);
  } else w.fill(1);
  const cw = new Float64Array(T);
  for (let t = 0, s = 0; t < T; t++) { s += w[t]; cw[t] = s; }
  const wTotal = cw[T - 1];

  // suffix extremes after each day (what the position would have had to survive)
  const sufLow = new Float64Array(T), sufHigh = new Float64Array(T);
  sufLow[T - 1] = Infinity; sufHigh[T - 1] = -Infinity;
  for (let t = T - 2; t >= 0; t--) { sufLow[t] = Math.min(sufLow[t + 1], path.low[t + 1]); sufHigh[t] = Math.max(sufHigh[t + 1], path.high[t + 1]); }

  const rand = mulberry32(seed);
  const gauss = normals(rand);
  const side = new Int8Array(count), size = new Float64Array(count), entry = new Float64Array(count), lev = new Float64Array(count), mmr = new Float64Array(count), opened = new Float64Array(count);
  const meanNotional = totalOI / count;
  let m = 0, dropped = 0, capped = 0;
  const pickDay = () => {
    const u = rand() * wTotal;
    let lo = 0, hi = T - 1;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (cw[mid] <= u) lo = mid + 1; else hi = mid; }
    return lo;
  };
  for (let p = 0; p < count; p++) {
    const s: 1 | -1 = rand() < longShare ? 1 : -1;
    let u = rand() * mixTotal, L = mix[mix.length - 1][0];
    for (const [l, wt] of mix) { if (u < wt) { L = l; break; } u -= wt; }
    const notional = meanNotional * Math.exp(sizeSigma * gauss() - (sizeSigma * sizeSigma) / 2);
    const tier = tierFor(notional, tiers);
    if (L > tier.maxLeverage) { L = tier.maxLeverage; capped++; }
    if (1 / L <= tier.rate) { L = Math.floor(0.5 / tier.rate) || 1; capped++; }
    let ok = false;
    for (let tries = 0; tries < 200 && !ok; tries++) {
      const d = pickDay();
      const e = path.low[d] + rand() * (path.high[d] - path.low[d]);
      const lq = liquidationPrice(s, e, L, tier.rate);
      ok = !survivorship || (s === 1 ? lq < sufLow[d] : lq > sufHigh[d]);
      if (ok) { side[m] = s; entry[m] = e; lev[m] = L; mmr[m] = tier.rate; size[m] = notional / e; opened[m] = path.time[d]; m++; }
    }
    if (!ok) dropped++;
  }
  // scale each side to its stated share of totalOI (tiers are kept from the drawn notional:
  // the scale factor is ~1, and the liquidation price does not depend on size given m)
  const targetL = totalOI * longShare, targetS = totalOI * (1 - longShare);
  let nl = 0, ns = 0;
  for (let i = 0; i < m; i++) { const v = size[i] * entry[i]; if (side[i] === 1) nl += v; else ns += v; }
  for (let i = 0; i < m; i++) size[i] *= side[i] === 1 ? (nl > 0 ? targetL / nl : 0) : (ns > 0 ? targetS / ns : 0);
  // store the positions in sweep order (longs by liquidation price descending, then shorts
  // ascending): the engine then reads its arrays sequentially, which matters at a million positions
  const liq0 = new Float64Array(m);
  for (let i = 0; i < m; i++) liq0[i] = liquidationPrice(side[i] as 1 | -1, entry[i], lev[i], mmr[i]);
  const li: number[] = [], si: number[] = [];
  for (let i = 0; i < m; i++) (side[i] === 1 ? li : si).push(i);
  const perm = new Uint32Array(m);
  perm.set(argsortFloat64(liq0, true, Uint32Array.from(li)), 0);
  perm.set(argsortFloat64(liq0, false, Uint32Array.from(si)), li.length);
  const permute = <A extends Float64Array | Int8Array>(a: A): A => { const b = new (a.constructor as any)(m) as A; for (let k = 0; k < m; k++) b[k] = a[perm[k]]; return b; };
  const mixText = mix.map(([l, wt]) => `${l}x ${Math.round((wt / mixTotal) * 100)}%`).join(', ');
  const from = path.hasTime ? formatTime(path.time[0]) : 'step 0', to = path.hasTime ? formatTime(path.time[T - 1]) : `step ${T - 1}`;
  const book = new PositionBook(
    { side: permute(side), size: permute(size), entry: permute(entry), leverage: permute(lev), mmr: permute(mmr), opened: permute(opened) },
    tiers,
    {
      assumptions: [
        `Synthetic book (seed ${seed}): ${m} isolated USDT-margined positions, OI ${fmtUsd(totalOI)}${oiNote} at entry, ${Math.round(longShare * 100)}% long by notional;`,
        `leverage mix ${mixText}; sizes log-normal (sigma ${sizeSigma});`,
        `entries at a uniform price within the day's low-high, on days ${o.oi ? 'weighted by open-interest growth' : 'spread evenly'} over ${from}..${to};`,
        survivorship ? `positions the path had already liquidated after entry were redrawn (${dropped} could not be placed)${capped ? `; ${capped} leverages capped to their tier maximum` : ''}.` : 'no survivorship filter.',
      ],
      refPrice: path.close[T - 1],
      asOf: path.hasTime ? path.time[T - 1] : undefined,
      dropped, capped, seed,
    },
  );
  return book;
}
