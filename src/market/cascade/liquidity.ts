/**
 * Liquidity that flees under stress: the resting depth of the impact curve shrinks as a
 * stated function of recent moves, realised volatility and the liquidation flow, and
 * recovers with a half-life once the stress has passed.
 *
 * At every check (each leg of a step and after each liquidation round, while trading is not
 * halted) the stress is
 *
 *   S = |ln(mark / previous close)| / moveScale  +  rv / volScale  +  flow / flowScale
 *
 * where rv is the realised volatility per step (square root of an exponentially weighted mean
 * of squared close-to-close log returns, half-life `volHalfLife` steps, updated at each step's
 * close) and flow is the USDT the step's liquidation orders have sent into the book so far.
 * The target withdrawn fraction is
 *
 *   w* = maxWithdraw * (1 - exp(-S))
 *
 * Market makers pull quotes at once: the withdrawn fraction w jumps to w* whenever w* > w.
 * They come back slowly: at the end of every step w <- w * 2^(-1/recoveryHalfLife) (the next
 * step's checks raise it again if the stress persists). While trading is halted there are no
 * checks, so depth only recovers: a circuit breaker buys time for depth to come back.
 *
 * The withdrawal scales the whole depth curve (impact.ts `Book2.withdrawn`): an order of Q
 * USDT walks the curve as if it were Q / (1 - w), so later orders move the price further; the
 * withdrawal itself does not move the price. Dip-buyer bids are not withdrawn.
 */

export interface LiquiditySpec {
  /** largest fraction of the resting depth that can be withdrawn, in [0, 1) (default 0.9) */
  maxWithdraw?: number;
  /** a move of this fraction from the previous step's close is one unit of stress (default 0.05; Infinity = off) */
  moveScale?: number;
  /** realised volatility per step of this size is one unit of stress (default Infinity = off) */
  volScale?: number;
  /** half-life, in steps, of the realised-volatility average (default 5) */
  volHalfLife?: number;
  /** liquidation flow (USDT at fills within the step) of this size is one unit of stress (default Infinity = off) */
  flowScale?: number;
  /** steps for the withdrawn fraction to halve once the stress has passed (default 1; 0 = at once) */
  recoveryHalfLife?: number;
}

export const DEFAULT_LIQUIDITY: Required<LiquiditySpec> = {
  maxWithdraw: 0.9,
  moveScale: 0.05,
  volScale: Infinity,
  volHalfLife: 5,
  flowScale: Infinity,
  recoveryHalfLife: 1,
};

export class LiquidityModel {
  readonly spec: Required<LiquiditySpec>;
  private readonly recover: number;
  private readonly volDecay: number;
  /** exponentially weighted mean of squared log returns per step */
  private ewv = 0;
  /** realised volatility per step */
  rv = 0;
  /** withdrawn fraction now */
  w = 0;

  constructor(s: LiquiditySpec) {
    const spec = {
      ...DEFAULT_LIQUIDITY,
      ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)),
    } as Required<LiquiditySpec>;
    if (!(spec.maxWithdraw >= 0 && spec.maxWithdraw < 1))
      throw new RangeError('liquidity.maxWithdraw must be in [0, 1)');
    for (const k of ['moveScale', 'volScale', 'flowScale'] as const)
      if (!(spec[k] > 0)) throw new RangeError(`liquidity.${k} must be > 0 (Infinity turns the term off)`);
    if (!(spec.recoveryHalfLife >= 0)) throw new RangeError('liquidity.recoveryHalfLife must be >= 0');
    if (!(spec.volHalfLife > 0)) throw new RangeError('liquidity.volHalfLife must be > 0');
    this.spec = spec;
    this.recover =
      spec.recoveryHalfLife === 0
        ? 0
        : spec.recoveryHalfLife === Infinity
          ? 1
          : Math.pow(2, -1 / spec.recoveryHalfLife);
    this.volDecay = Math.pow(2, -1 / spec.volHalfLife);
  }

  /** The stress at a check and the target it implies. */
  target(mark: number, prevClose: number, flow: number): number {
    const s = this.spec;
    const S = Math.abs(Math.log(mark / prevClose)) / s.moveScale + this.rv / s.volScale + flow / s.flowScale;
    return s.maxWithdraw * (1 - Math.exp(-S));
  }

  /** A check: withdraw at once to the target if it is above the current withdrawal; returns w. */
  check(mark: number, prevClose: number, flow: number): number {
    const t = this.target(mark, prevClose, flow);
    if (t > this.w) this.w = t;
    return this.w;
  }

  /** End of a step: depth comes back with the half-life; the realised volatility takes the step's return. */
  endStep(close: number, prevClose: number): void {
    this.w *= this.recover;
    const r = Math.log(close / prevClose);
    this.ewv = this.volDecay * this.ewv + (1 - this.volDecay) * r * r;
    this.rv = Math.sqrt(this.ewv);
  }
}

export function describeLiquidity(l: LiquiditySpec): string {
  const s = {
    ...DEFAULT_LIQUIDITY,
    ...Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)),
  } as Required<LiquiditySpec>;
  const terms =
    [
      s.moveScale < Infinity ? `|move from previous close| / ${(s.moveScale * 100).toFixed(1)}%` : '',
      s.volScale < Infinity ? `realised vol / ${(s.volScale * 100).toFixed(1)}% (half-life ${s.volHalfLife})` : '',
      s.flowScale < Infinity ? `liquidation flow / $${(s.flowScale / 1e6).toFixed(0)}m` : '',
    ]
      .filter(Boolean)
      .join(' + ') || '0';
  return `depth withdraws to ${Math.round(s.maxWithdraw * 100)}% x (1 - exp(-S)), S = ${terms}, recovering with a half-life of ${s.recoveryHalfLife} step(s)`;
}
