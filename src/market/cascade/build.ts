/**
 * A synthetic position book from stated assumptions (buildBook): entries along a historical
 * path weighted by open-interest growth, a leverage mix, log-normal sizes, survivorship (no
 * position the path would already have liquidated), stored in the engine's sweep order.
 * (Over 300 lines on purpose: one function, buildBook (~290 lines), whose steps (day weights,
 * survivorship tables, draws, scaling, the sweep-order gather) share its typed arrays and
 * run once per position at a million positions; split, they would pass a dozen arrays around.)
 */
import { formatTime, Frame, Series, toTime } from '../series';
import { fmtUsd, PositionBook } from './book';
import { DEFAULT_TIERS, type MaintenanceTier } from './tiers';
import { mulberry32, normals } from './rng';
import { toOHLC, type PathInput } from './path';
import { argsortFloat64 } from '../ranks';

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
  /**
   * a share of the positions post a non-USDT collateral as margin (for a collateral shock,
   * see CollateralSpec): each position does with probability `fraction`, holding `share`
   * (default 1) of its margin in it; drawn from its own stream so the rest of the book is the same
   */
  collateral?: { fraction: number; share?: number };
}

/**
 * Builds a synthetic book from stated assumptions: `count` positions opened along the path
 * (weighted by OI growth when `oi` is given), leverages drawn from `leverageMix`, log-normal sizes
 * scaled to `totalOI` with a `longShare` long, and (by default) the positions the path has
 * already liquidated dropped. Deterministic for a seed; meta.assumptions says what was assumed.
 * @param o path, totalOI (or scaleToOI with oi), leverageMix, longShare, count, seed, sizeSigma, tiers, survivorship, collateral
 * @returns a PositionBook
 * @throws RangeError for a missing totalOI, a count < 1, a longShare outside [0, 1] or a bad leverageMix
 * @example
 * const book = buildBook({ path: load('data/BTC-USD.csv'), totalOI: 1e9, count: 1000, seed: 1 })
 * book.n // => 1000
 * Math.round(book.oi().long / 1e6) // => 500
 */
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
    let last = NaN,
      when = NaN;
    for (let k = 0; k < idx.length; k++)
      if (idx[k] <= end && Number.isFinite(val[k])) {
        last = val[k];
        when = idx[k];
      }
    const cs = o.scaleToOI.contractSize ?? 5;
    totalOI = last * cs * path.close[T - 1] * o.scaleToOI.multiple;
    oiNote = ` (= OI ${last} on ${formatTime(when)} x ${cs} x ${path.close[T - 1]} x ${o.scaleToOI.multiple})`;
  }
  if (!(totalOI > 0))
    throw new RangeError('buildBook: totalOI (USDT) must be > 0 (or give scaleToOI with an oi series)');
  if (!(count >= 1)) throw new RangeError('buildBook: count must be >= 1');
  if (!(longShare >= 0 && longShare <= 1)) throw new RangeError('buildBook: longShare must be in [0, 1]');
  const mix = Object.entries(o.leverageMix ?? { 5: 0.3, 10: 0.3, 25: 0.25, 50: 0.15 })
    .map(([k, w]) => [Number(k), Number(w)] as const)
    .filter(([, w]) => w > 0);
  if (!mix.length || mix.some(([l]) => !(l >= 1)))
    throw new RangeError('buildBook: leverageMix needs leverages >= 1 with positive weights');
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
    for (let t = first + 1; t < T; t++)
      if (Number.isFinite(daily[t]) && Number.isFinite(daily[t - 1])) w[t] += Math.max(0, daily[t] - daily[t - 1]);
  } else w.fill(1);

  // suffix extremes after each day (what the position would have had to survive)
  const sufLow = new Float64Array(T),
    sufHigh = new Float64Array(T);
  sufLow[T - 1] = Infinity;
  sufHigh[T - 1] = -Infinity;
  for (let t = T - 2; t >= 0; t--) {
    sufLow[t] = Math.min(sufLow[t + 1], path.low[t + 1]);
    sufHigh[t] = Math.max(sufHigh[t + 1], path.high[t + 1]);
  }

  const rand = mulberry32(seed);
  const gauss = normals(rand);
  // drawn in generation order: side, size, entry, and small indices for the rest (leverage and
  // rate by (mix entry, tier), the entry day), so that putting them in sweep order below moves
  // few bytes per position (the gather is the costly part at a million positions)
  // (records of 4 doubles: size, entry, combo x 2^20 + day, liquidation price; one cache line
  // to fetch per position)
  const side = new Int8Array(count),
    rec = new Float64Array(4 * count);
  const meanNotional = totalOI / count;
  const liq0 = new Float64Array(count);
  let m = 0,
    dropped = 0,
    capped = 0;
  // tiers as arrays (the lookup runs once per position)
  const nt = tiers.length;
  const tFloor = Float64Array.from(tiers, (t) => t.floor),
    tRate = Float64Array.from(tiers, (t) => t.rate),
    tMax = Float64Array.from(tiers, (t) => t.maxLeverage);
  // Entry day and price of a surviving position, sampled directly: a long with leverage L and
  // rate m entered at e on day d survives the rest of the path iff its liquidation price
  // e(1 - 1/L)/(1 - m) < the lowest low after d, i.e. e < thr_d = sufLow_d (1 - m)/(1 - 1/L)
  // (a short: e > sufHigh_d (1 + m)/(1 + 1/L)). Drawing a day by weight and a price uniform in
  // the day's range and redrawing until it survives (what this replaces: up to 200 tries, slow
  // for high leverage) has the same distribution as drawing the day with weight
  // w_d x (surviving share of its range) and the price uniform in the surviving part. One
  // cumulative table per (side, leverage, rate): few of them.
  type Surv = { cum: Float64Array; lo: Float64Array; hi: Float64Array; total: number; guide: Int32Array };
  const nMix = mix.length;
  const mixL = Float64Array.from(mix, ([l]) => l),
    mixW = Float64Array.from(mix, ([, wt]) => wt);
  // the leverage a mix entry gets in a tier (capped to the tier's maximum, and below 1/m)
  const levIn = new Float64Array(nMix * nt),
    capsIn = new Uint8Array(nMix * nt);
  for (let j = 0; j < nMix; j++)
    for (let t = 0; t < nt; t++) {
      let L = mixL[j],
        c = 0;
      if (L > tMax[t]) {
        L = tMax[t];
        c++;
      }
      if (1 / L <= tRate[t]) {
        L = Math.floor(0.5 / tRate[t]) || 1;
        c++;
      }
      levIn[j * nt + t] = L;
      capsIn[j * nt + t] = c;
    }
  const survCache: Array<Surv | undefined> = new Array(2 * nMix * nt);
  const survOf = (s: 1 | -1, j: number, ti: number): Surv => {
    const key = ((s === 1 ? 0 : 1) * nMix + j) * nt + ti;
    let v = survCache[key];
    if (v) return v;
    const L = levIn[j * nt + ti],
      rate = tRate[ti];
    const cum = new Float64Array(T),
      lo = new Float64Array(T),
      hi = new Float64Array(T);
    let tot = 0;
    for (let d = 0; d < T; d++) {
      let a = path.low[d],
        b = path.high[d];
      if (survivorship) {
        if (s === 1) b = Math.min(b, (sufLow[d] * (1 - rate)) / (1 - 1 / L));
        else a = Math.max(a, (sufHigh[d] * (1 + rate)) / (1 + 1 / L));
      }
      const range = path.high[d] - path.low[d];
      const share =
        range > 0 ? Math.max(0, b - a) / range : s === 1 ? (path.low[d] < b ? 1 : 0) : path.high[d] > a ? 1 : 0;
      lo[d] = range > 0 ? a : path.low[d];
      hi[d] = range > 0 ? Math.max(a, b) : path.low[d];
      tot += w[d] * share;
      cum[d] = tot;
    }
    // guide[g] = first day whose cumulative weight exceeds g/T of the total: the search starts there
    const guide = new Int32Array(T + 1);
    for (let g = 0, d = 0; g <= T; g++) {
      while (d < T - 1 && cum[d] <= (g * tot) / T) d++;
      guide[g] = d;
    }
    v = { cum, lo, hi, total: tot, guide };
    survCache[key] = v;
    return v;
  };
  const halfVar = (sizeSigma * sizeSigma) / 2;
  for (let p = 0; p < count; p++) {
    const s: 1 | -1 = rand() < longShare ? 1 : -1;
    let u = rand() * mixTotal,
      j = nMix - 1;
    for (let q = 0; q < nMix; q++) {
      if (u < mixW[q]) {
        j = q;
        break;
      }
      u -= mixW[q];
    }
    const notional = meanNotional * Math.exp(sizeSigma * gauss() - halfVar);
    let ti = nt - 1;
    while (ti > 0 && notional < tFloor[ti]) ti--;
    const rate = tRate[ti],
      L = levIn[j * nt + ti];
    capped += capsIn[j * nt + ti];
    const sv = survOf(s, j, ti);
    let ok = false;
    for (let tries = 0; tries < 8 && !ok && sv.total > 0; tries++) {
      const x = rand() * sv.total;
      // the first day with cum > x: at or after the guide's day for floor(x / total * T)
      let d = sv.guide[Math.floor((x / sv.total) * T)];
      while (d < T - 1 && sv.cum[d] <= x) d++;
      const e = sv.lo[d] + rand() * (sv.hi[d] - sv.lo[d]);
      // the liquidation price, checked exactly (the interval's end may round either way)
      const lq = s === 1 ? (e * (1 - 1 / L)) / (1 - rate) : (e * (1 + 1 / L)) / (1 + rate);
      ok = !survivorship || (s === 1 ? lq < sufLow[d] : lq > sufHigh[d]);
      if (ok) {
        side[m] = s;
        rec[4 * m] = notional / e;
        rec[4 * m + 1] = e;
        rec[4 * m + 2] = (j * nt + ti) * 1048576 + d;
        rec[4 * m + 3] = lq;
        liq0[m] = lq;
        m++;
      }
    }
    if (!ok) dropped++;
  }
  // scale each side to its stated share of totalOI (tiers are kept from the drawn notional:
  // the scale factor is ~1, and the liquidation price does not depend on size given m)
  const targetL = totalOI * longShare,
    targetS = totalOI * (1 - longShare);
  let nl = 0,
    ns = 0;
  for (let i = 0; i < m; i++) {
    const v = rec[4 * i] * rec[4 * i + 1];
    if (side[i] === 1) nl += v;
    else ns += v;
  }
  const fL = nl > 0 ? targetL / nl : 0,
    fS = ns > 0 ? targetS / ns : 0;
  // store the positions in sweep order (longs by liquidation price descending, then shorts
  // ascending): the engine then reads its arrays sequentially, which matters at a million positions
  let nLong = 0;
  for (let i = 0; i < m; i++) if (side[i] === 1) nLong++;
  const li = new Uint32Array(nLong),
    si = new Uint32Array(m - nLong);
  for (let i = 0, a = 0, b = 0; i < m; i++) {
    if (side[i] === 1) li[a++] = i;
    else si[b++] = i;
  }
  const perm = new Uint32Array(m);
  perm.set(argsortFloat64(liq0, true, li), 0);
  perm.set(argsortFloat64(liq0, false, si), nLong);
  // one pass over the permutation for all columns
  const P = {
    side: new Int8Array(m),
    size: new Float64Array(m),
    entry: new Float64Array(m),
    leverage: new Float64Array(m),
    mmr: new Float64Array(m),
    opened: new Float64Array(m),
  };
  P.side.fill(1, 0, nLong);
  P.side.fill(-1, nLong);
  const liqSorted = new Float64Array(m);
  const tRateOf = new Float64Array(nMix * nt);
  for (let c = 0; c < nMix * nt; c++) tRateOf[c] = tRate[c % nt];
  for (let k = 0; k < m; k++) {
    const r = 4 * perm[k],
      cd = rec[r + 2],
      c = Math.floor(cd / 1048576);
    P.size[k] = rec[r] * (k < nLong ? fL : fS);
    P.entry[k] = rec[r + 1];
    P.leverage[k] = levIn[c];
    P.mmr[k] = tRateOf[c];
    P.opened[k] = path.time[cd - c * 1048576];
    liqSorted[k] = rec[r + 3];
  }
  let collateral: Float64Array | undefined,
    collNote = '';
  if (o.collateral) {
    const f = o.collateral.fraction,
      sh = o.collateral.share ?? 1;
    if (!(f >= 0 && f <= 1 && sh >= 0 && sh <= 1))
      throw new RangeError('buildBook: collateral.fraction and collateral.share must be in [0, 1]');
    const cr = mulberry32((seed ^ 0x5bd1e995) >>> 0);
    collateral = new Float64Array(m);
    let c = 0;
    for (let k = 0; k < m; k++)
      if (cr() < f) {
        collateral[k] = sh;
        c++;
      }
    collNote = ` ${c} positions (${(f * 100).toFixed(0)}% drawn at random) post ${(sh * 100).toFixed(0)}% of their margin in a non-USDT collateral.`;
  }
  const mixText = mix.map(([l, wt]) => `${l}x ${Math.round((wt / mixTotal) * 100)}%`).join(', ');
  const from = path.hasTime ? formatTime(path.time[0]) : 'step 0',
    to = path.hasTime ? formatTime(path.time[T - 1]) : `step ${T - 1}`;
  const book = new PositionBook(
    { ...P, collateral },
    tiers,
    {
      assumptions: [
        `Synthetic book (seed ${seed}): ${m} isolated USDT-margined positions, OI ${fmtUsd(totalOI)}${oiNote} at entry, ${Math.round(longShare * 100)}% long by notional;`,
        `leverage mix ${mixText}; sizes log-normal (sigma ${sizeSigma});`,
        `entries at a uniform price within the day's low-high, on days ${o.oi ? 'weighted by open-interest growth' : 'spread evenly'} over ${from}..${to};`,
        (survivorship
          ? `entries drawn only where the path would not have liquidated the position afterwards (${dropped} could not be placed)${capped ? `; ${capped} leverages capped to their tier maximum` : ''}.`
          : 'no survivorship filter.') + collNote,
      ],
      refPrice: path.close[T - 1],
      asOf: path.hasTime ? path.time[T - 1] : undefined,
      dropped,
      capped,
      seed,
    },
    liqSorted,
  );
  return book;
}
