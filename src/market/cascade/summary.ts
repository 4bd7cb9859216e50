/**
 * What a cascade run amounts to, computed once from its raw arrays: the summary numbers
 * (moves, liquidated notional, rounds, halts, bad debt, ADL, stress) and the rows by leverage
 * layer and side. CascadeResult (result.ts) holds them and displays them.
 */
import { formatTime } from '../series';
import { leverageBuckets } from './book';
import type { RawRun } from './run';

export interface CascadeSummary {
  mode: 'replay' | 'simulate';
  label: string;
  steps: number;
  from?: string;
  to?: string;
  startPrice: number;
  finalPrice: number;
  minPrice: number;
  maxPrice: number;
  /** simulate: the stated initial shock; replay: the historical move open(first) -> close(last) */
  initialShock: number;
  /** move of the exogenous path alone (simulate: shock and noise; replay: historical) */
  exogenousMove: number;
  /** finalPrice / startPrice - 1 */
  finalMove: number;
  /** minPrice / startPrice - 1 */
  troughMove: number;
  /** finalMove / exogenousMove (simulate, replay with feedback); NaN for a replay without feedback */
  amplification: number;
  liquidatedLong: number;
  liquidatedShort: number;
  /** USDT value of the liquidation orders at their fills */
  liquidatedValue: number;
  positionsLiquidated: number;
  partiallyLiquidated: number;
  oiBefore: number;
  oiAfter: number;
  /** steps in which something was liquidated */
  cascadeSteps: number;
  firstStep: number;
  lastStep: number;
  rounds: number;
  maxRoundsInStep: number;
  halts: number;
  haltedSteps: number;
  insuranceStart: number;
  insuranceEnd: number;
  /** losses beyond liquidated positions' margins */
  badDebt: number;
  /** part of badDebt the insurance fund could not pay (auto-deleveraging) */
  adl: number;
  /** ADL rule used ('amount' = recorded only) */
  adlRule: 'queue' | 'pro-rata' | 'amount';
  /** entry notional of opposite positions ADL closed */
  adlClosedLong: number;
  adlClosedShort: number;
  /** positions ADL closed (fully or partly) */
  adlPositions: number;
  /** profit the ADL'd positions gave up (= the socialised loss) */
  adlHaircut: number;
  /** loss no position in profit was left to bear */
  adlUnsocialised: number;
  /** largest withdrawn fraction of the depth in any step (0 without a liquidity model) */
  maxWithdrawn: number;
  /** positions liquidated at a mark the traded price did not reach (mark rule or collateral path) */
  markOnlyLiquidations: number;
}

export interface LayerRow {
  leverage: string;
  side: 'long' | 'short';
  positions: number;
  bookNotional: number;
  liquidatedNotional: number;
  share: number;
  liquidated: number;
  /** step index of the first / last liquidation in this layer (-1 when none) */
  firstStep: number;
  lastStep: number;
  first?: string;
  last?: string;
}

export function summarise(r: RawRun): CascadeSummary {
  const o = r.options;
  let minP = r.startPrice,
    maxP = r.startPrice;
  for (let t = 0; t < r.steps; t++) {
    if (r.low[t] < minP) minP = r.low[t];
    if (r.high[t] > maxP) maxP = r.high[t];
  }
  let liqL = 0,
    liqS = 0,
    val = 0,
    cascadeSteps = 0,
    first = -1,
    last = -1,
    rounds = 0,
    maxRounds = 0,
    halts = 0,
    haltedSteps = 0;
  for (let t = 0; t < r.steps; t++) {
    liqL += r.liqLongNotional[t];
    liqS += r.liqShortNotional[t];
    val += r.liqLongValue[t] + r.liqShortValue[t];
    if (r.liqLongCount[t] + r.liqShortCount[t] > 0) {
      cascadeSteps++;
      if (first < 0) first = t;
      last = t;
    }
    rounds += r.rounds[t];
    maxRounds = Math.max(maxRounds, r.rounds[t]);
    halts += r.haltTriggered[t];
    haltedSteps += r.halted[t];
  }
  const hit = new Uint8Array(r.remaining.length);
  let positions = 0,
    partly = 0;
  for (let k = 0; k < r.evPos.length; k++)
    if (!hit[r.evPos[k]]) {
      hit[r.evPos[k]] = 1;
      positions++;
      if (r.remaining[r.evPos[k]] > 0) partly++;
    }
  const finalPrice = r.close[r.steps - 1];
  const finalMove = finalPrice / r.startPrice - 1;
  const exo = r.exoMove;
  const amp = r.mode === 'replay' && !r.feedback ? NaN : finalMove / (exo === 0 ? NaN : exo);
  return {
    mode: r.mode,
    label: o.label ?? '',
    steps: r.steps,
    from: r.hasTime ? formatTime(r.time[0]) : undefined,
    to: r.hasTime ? formatTime(r.time[r.steps - 1]) : undefined,
    startPrice: r.startPrice,
    finalPrice,
    minPrice: minP,
    maxPrice: maxP,
    initialShock: r.initialShock,
    exogenousMove: exo,
    finalMove,
    troughMove: minP / r.startPrice - 1,
    amplification: amp,
    liquidatedLong: liqL,
    liquidatedShort: liqS,
    liquidatedValue: val,
    positionsLiquidated: positions,
    partiallyLiquidated: partly,
    oiBefore: r.oiBefore.long + r.oiBefore.short,
    oiAfter: r.oiLong[r.steps - 1] + r.oiShort[r.steps - 1],
    cascadeSteps,
    firstStep: first,
    lastStep: last,
    rounds,
    maxRoundsInStep: maxRounds,
    halts,
    haltedSteps,
    insuranceStart: r.insuranceStart,
    insuranceEnd: r.insurance[r.steps - 1],
    badDebt: r.badDebt[r.steps - 1],
    adl: r.adl[r.steps - 1],
    ...adlAndStress(r),
  };
}

function adlAndStress(
  r: RawRun,
): Pick<
  CascadeSummary,
  | 'adlRule'
  | 'adlClosedLong'
  | 'adlClosedShort'
  | 'adlPositions'
  | 'adlHaircut'
  | 'adlUnsocialised'
  | 'maxWithdrawn'
  | 'markOnlyLiquidations'
> {
  let cl = 0,
    cs = 0,
    w = 0,
    adlPositions = 0,
    markOnly = 0;
  for (let t = 0; t < r.steps; t++) {
    cl += r.adlClosedLong[t];
    cs += r.adlClosedShort[t];
    if (r.withdrawn[t] > w) w = r.withdrawn[t];
  }
  for (let i = 0; i < r.adlLog.qty.length; i++) if (r.adlLog.qty[i] > 0) adlPositions++;
  // a liquidation at a check whose traded price had not reached the position's liquidation price
  const book = r.options.book,
    seen = new Uint8Array(book.n);
  for (let k = 0; k < r.evPos.length; k++) {
    const i = r.evPos[k];
    if (seen[i]) continue;
    seen[i] = 1;
    const tr = r.cpTrade[r.evCp[k]];
    if (book.side[i] === 1 ? tr > book.liq[i] : tr < book.liq[i]) markOnly++;
  }
  return {
    adlRule: r.options.adl ?? 'amount',
    adlClosedLong: cl,
    adlClosedShort: cs,
    adlPositions,
    adlHaircut: r.adlHaircut[r.steps - 1],
    adlUnsocialised: r.adlUnsocialised[r.steps - 1],
    maxWithdrawn: w,
    markOnlyLiquidations: markOnly,
  };
}

export function layersOf(r: RawRun): LayerRow[] {
  const book = r.options.book;
  const bk = leverageBuckets(book);
  const nb = bk.labels.length;
  const bucketOf = new Int16Array(book.n);
  for (let i = 0; i < book.n; i++) bucketOf[i] = bk.bucket(book.leverage[i]);
  const rows: LayerRow[] = [];
  const mk = (b: number, side: 'long' | 'short'): LayerRow => ({
    leverage: bk.labels[b],
    side,
    positions: 0,
    bookNotional: 0,
    liquidatedNotional: 0,
    share: 0,
    liquidated: 0,
    firstStep: -1,
    lastStep: -1,
  });
  const L = Array.from({ length: nb }, (_, b) => mk(b, 'long')),
    S = Array.from({ length: nb }, (_, b) => mk(b, 'short'));
  for (let i = 0; i < book.n; i++) {
    const row = (book.side[i] === 1 ? L : S)[bucketOf[i]];
    row.positions++;
    row.bookNotional += book.size[i] * book.entry[i];
  }
  const seen = new Uint8Array(book.n);
  for (let k = 0; k < r.evPos.length; k++) {
    const i = r.evPos[k];
    const row = (book.side[i] === 1 ? L : S)[bucketOf[i]];
    row.liquidatedNotional += r.evQty[k] * book.entry[i];
    if (!seen[i]) {
      seen[i] = 1;
      row.liquidated++;
    }
    if (row.firstStep < 0) row.firstStep = r.evStep[k];
    row.lastStep = r.evStep[k];
  }
  const label = (t: number) => (t < 0 ? undefined : r.hasTime ? formatTime(r.time[t]) : `step ${t}`);
  for (let b = 0; b < nb; b++)
    for (const row of [L[b], S[b]]) {
      if (!row.positions) continue;
      row.share = row.bookNotional > 0 ? row.liquidatedNotional / row.bookNotional : 0;
      row.first = label(row.firstStep);
      row.last = label(row.lastStep);
      rows.push(row);
    }
  return rows;
}
