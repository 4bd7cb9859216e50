/**
 * The engine's contract: what a cascade run takes (CascadeOptions) and what it produces (RawRun,
 * typed arrays per step, per check and per liquidation, which CascadeResult wraps). The driver
 * that fills it is engine.ts.
 */
import type { PositionBook } from './book';
import type { PathInput } from './path';
import type { DipBuyer, ImpactSpec } from './impact';
import type { LiquiditySpec } from './liquidity';
import type { CollateralSpec, MarkSpec } from './mark';
import type { AdlLog, AdlRule } from './adl';

export interface CircuitBreaker {
  /** halt when the mark has moved more than this fraction (e.g. 0.08 = 8%) ... */
  move: number;
  /** ... relative to the close `within` steps earlier (default 1) ... */
  within?: number;
  /** ... for this many further steps (default 1) */
  halt?: number;
}

export interface CascadeOptions {
  book: PositionBook;
  mode: 'replay' | 'simulate';
  /** replay: the historical path (Frame with high/low/close, Series, or arrays) */
  path?: PathInput;
  /** replay: let liquidations move the price on top of the historical path (default false) */
  feedback?: boolean;
  /** simulate: starting price (default: the book's reference price, the last close it was built on) */
  start?: number;
  /** simulate: number of steps (default 50) */
  steps?: number;
  /** simulate: initial exogenous move as a fraction, e.g. -0.05 */
  shock?: number;
  /** simulate: spread the shock over this many steps (default 1) */
  shockSteps?: number;
  /** simulate: exogenous log-return noise per step */
  noise?: { sigma: number; seed?: number };
  /** market impact model (default: square-root, sigma 3%/step, $25bn volume/step, half-life 1 step) */
  impact?: ImpactSpec;
  /** passive resting bids that absorb sells once */
  dipBuyers?: DipBuyer[];
  /** partial liquidation of large positions: above this entry notional, `fraction` of the size per step (default 0.2) */
  partial?: { above: number; fraction?: number };
  /** cap on liquidation rounds per step; what is left triggers again next step (default unlimited) */
  maxRoundsPerStep?: number;
  circuitBreaker?: CircuitBreaker;
  /** insurance fund at the start, USDT (default 0) */
  insuranceFund?: number;
  /** name shown in titles */
  label?: string;
  /** depth that withdraws under stress and recovers with a half-life (default: none, the depth only refills) */
  liquidity?: LiquiditySpec;
  /** how the mark (which triggers liquidations) follows the traded price (default: it is the traded price) */
  mark?: MarkSpec;
  /** value on this venue of the collateral that positions with book.collateral > 0 post as margin */
  collateral?: CollateralSpec;
  /**
   * what happens to the loss the insurance fund cannot pay: 'queue' or 'pro-rata' close
   * opposite positions in profit at the bankruptcy price (adl.ts); 'amount' (default) only
   * records it
   */
  adl?: AdlRule;
}

/** Everything a run produced, in typed arrays (CascadeResult wraps it). */
export interface RawRun {
  mode: 'replay' | 'simulate';
  feedback: boolean;
  steps: number;
  hasTime: boolean;
  startPrice: number;
  /** per step; open/low/high/close are the traded price */
  time: Float64Array;
  exo: Float64Array;
  histLow: Float64Array;
  histHigh: Float64Array;
  open: Float64Array;
  low: Float64Array;
  high: Float64Array;
  close: Float64Array;
  /** the mark (liquidation trigger) per step: low, high, close (equal to the traded price without a mark rule) */
  markLow: Float64Array;
  markHigh: Float64Array;
  markClose: Float64Array;
  /** the collateral's value on this venue per step (1 without a collateral path) */
  collateral: Float64Array;
  /** liquidated entry notional (OI removed) and fill value (USDT sold/bought into the book) */
  liqLongNotional: Float64Array;
  liqShortNotional: Float64Array;
  liqLongValue: Float64Array;
  liqShortValue: Float64Array;
  liqLongCount: Int32Array;
  liqShortCount: Int32Array;
  rounds: Int32Array;
  halted: Uint8Array;
  haltTriggered: Uint8Array;
  /** sum of the liquidation walks' price moves, percent (signed) */
  impactPct: Float64Array;
  insurance: Float64Array;
  badDebt: Float64Array;
  adl: Float64Array;
  oiLong: Float64Array;
  oiShort: Float64Array;
  /** liquidity: largest withdrawn fraction of the depth in the step; the stated top-2% book still resting at the step's end (bid, ask: (1 - withdrawn) x (D(2%) - consumed)) */
  withdrawn: Float64Array;
  depthBid: Float64Array;
  depthAsk: Float64Array;
  /** ADL on positions: entry notional closed per step (long, short), cumulative haircut borne and loss no one could bear */
  adlClosedLong: Float64Array;
  adlClosedShort: Float64Array;
  adlHaircut: Float64Array;
  adlUnsocialised: Float64Array;
  /** checkpoints: each check (mark that triggers, traded price) */
  cpStep: Int32Array;
  cpRound: Int32Array;
  cpMark: Float64Array;
  cpTrade: Float64Array;
  /** events: one per liquidation (or partial chunk) */
  evPos: Int32Array;
  evStep: Int32Array;
  evRound: Int32Array;
  evCp: Int32Array;
  evQty: Float64Array;
  evFill: Float64Array;
  /** ADL: per-position quantity closed and haircut; one record per ADL action */
  adlLog: AdlLog;
  remaining: Float64Array;
  oiBefore: { long: number; short: number };
  insuranceStart: number;
  initialShock: number;
  exoMove: number;
  options: CascadeOptions;
}
