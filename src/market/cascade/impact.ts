/**
 * Market impact: how far a liquidation order of Q USDT walks the book.
 *
 * Both models are a cumulative depth curve D(x): USDT resting within x percent of the mid
 * on one side. An order consumes liquidity from the top; consumed liquidity (the side's
 * "depletion" U) refills with a half-life (U <- U * 2^(-1/halfLife) per step). A sell of Q
 * therefore moves the price by  x(U + Q) - x(U)  percent, where x = D^-1, and fills at the
 * volume-weighted average distance. Prices move multiplicatively: P' = P * exp(-dx/100)
 * (close to P * (1 - dx/100) for small moves, never negative).
 *
 * - depth profile: piecewise-linear D through the given points, e.g.
 *   [[0.5, 40e6], [1, 70e6], [2, 110e6], [5, 180e6]] (USDT within 0.5%, 1%, ...), with the last
 *   segment's density continuing beyond the last point (or `tailPerPct`).
 * - square-root impact dP/P = Y * sigma * sqrt(Q/V): D(x) = V * (x / (100 Y sigma))^2.
 *
 * Permanent vs transient: with `permanent` = theta < 1, a fraction theta of each walk's move
 * stays in the price and the rest is tied to the depletion: the mark carries the factor
 * exp(-(1 - theta) (x_bid(U_bid) - x_ask(U_ask)) / 100), which decays back to 1 as the
 * depth refills (the Obizhaeva-Wang resilience picture). theta = 1 (default): moves stay.
 */

export interface DepthImpact {
  model: 'depth';
  /** cumulative [percent from mid, USDT] points for the bid side (sells walk it) */
  bid?: Array<[number, number]>;
  /** same for the ask side (buys walk it); defaults to the bid side */
  ask?: Array<[number, number]>;
  /** shortcut: a constant USDT per 1% on both sides */
  perPct?: number;
  /** USDT per 1% beyond the last point (default: the last segment's density) */
  tailPerPct?: number;
  /** steps for consumed depth to refill by half (default 1; Infinity = never refills) */
  halfLife?: number;
  /** fraction of each move that is permanent (default 1); the rest reverts as the depth refills */
  permanent?: number;
}

export interface SqrtImpact {
  model: 'sqrt';
  /** Y, order 1 (default 1) */
  Y?: number;
  /** volatility per step, e.g. daily 0.03 */
  sigma: number;
  /** traded volume per step, USDT */
  volume: number;
  halfLife?: number;
  /** fraction of each move that is permanent (default 1); the rest reverts as the depth refills */
  permanent?: number;
}

export type ImpactSpec = DepthImpact | SqrtImpact;

/** Passive dip buyers: resting bids at absolute prices, consumed once (they do not refill). */
export interface DipBuyer {
  price: number;
  usd: number;
}

/** One side's depth curve. */
export interface DepthCurve {
  /** percent distance at which cumulative depth reaches u */
  pctAt(u: number): number;
  /** cumulative depth within x percent */
  depthAt(x: number): number;
  /** integral of pctAt from 0 to u (for volume-weighted fills) */
  integral(u: number): number;
}

export function sqrtCurve(Y: number, sigma: number, volume: number): DepthCurve {
  if (!(sigma > 0 && volume > 0 && Y > 0)) throw new RangeError('sqrt impact needs Y > 0, sigma > 0 and volume > 0');
  const k = (100 * Y * sigma) / Math.sqrt(volume);
  return {
    pctAt: (u) => k * Math.sqrt(Math.max(u, 0)),
    depthAt: (x) => (x <= 0 ? 0 : (x / k) ** 2),
    integral: (u) => (u <= 0 ? 0 : (2 / 3) * k * u ** 1.5),
  };
}

export function piecewiseCurve(points: Array<[number, number]>, tailPerPct?: number): DepthCurve {
  const pts = [[0, 0], ...points].map(([x, d]) => [Number(x), Number(d)] as [number, number]);
  for (let i = 1; i < pts.length; i++) {
    if (!(pts[i][0] > pts[i - 1][0] && pts[i][1] > pts[i - 1][1]))
      throw new RangeError('depth profile points must increase in both percent and USDT');
  }
  const k = pts.length;
  const X = pts.map((p) => p[0]),
    D = pts.map((p) => p[1]);
  const rho = X.map((_, i) =>
    i + 1 < k ? (D[i + 1] - D[i]) / (X[i + 1] - X[i]) : (tailPerPct ?? (D[i] - D[i - 1]) / (X[i] - X[i - 1])),
  );
  if (!(rho[k - 1] > 0)) throw new RangeError('depth profile tail density must be > 0');
  // F[i] = integral of x dq from 0 to D[i]
  const F = new Float64Array(k);
  for (let i = 1; i < k; i++) {
    const dq = D[i] - D[i - 1];
    F[i] = F[i - 1] + (dq * (X[i - 1] + X[i])) / 2;
  }
  const seg = (u: number) => {
    let i = k - 1;
    while (i > 0 && u < D[i]) i--;
    return i;
  };
  return {
    pctAt: (u) => {
      if (u <= 0) return 0;
      const i = seg(u);
      return X[i] + (u - D[i]) / rho[i];
    },
    depthAt: (x) => {
      if (x <= 0) return 0;
      let i = k - 1;
      while (i > 0 && x < X[i]) i--;
      return D[i] + (x - X[i]) * rho[i];
    },
    integral: (u) => {
      if (u <= 0) return 0;
      const i = seg(u);
      const dq = u - D[i];
      return F[i] + dq * X[i] + (dq * dq) / (2 * rho[i]);
    },
  };
}

export const DEFAULT_IMPACT: SqrtImpact = { model: 'sqrt', Y: 1, sigma: 0.03, volume: 25e9, halfLife: 1 };

export function describeImpact(s: ImpactSpec): string {
  if (s.model === 'sqrt')
    return `square-root impact dP/P = ${s.Y ?? 1} x ${s.sigma} x sqrt(Q / ${(s.volume / 1e9).toFixed(2)}bn), depth half-life ${s.halfLife ?? 1} step(s)${perm(s)}`;
  const b = s.perPct
    ? `$${(s.perPct / 1e6).toFixed(1)}m per 1%`
    : (s.bid ?? []).map(([x, d]) => `$${(d / 1e6).toFixed(0)}m within ${x}%`).join(', ');
  return `depth profile ${b}${s.ask ? ' (asymmetric ask side)' : ''}, half-life ${s.halfLife ?? 1} step(s)${perm(s)}`;
}
const perm = (s: ImpactSpec) =>
  (s.permanent ?? 1) < 1
    ? `, ${Math.round((s.permanent ?? 1) * 100)}% of moves permanent (rest reverts with the refill)`
    : ', moves permanent';

/** The two sides' curves and their depletion state, plus dip buyers. */
export class Book2 {
  readonly bid: DepthCurve;
  readonly ask: DepthCurve;
  readonly decay: number;
  /** fraction of each move that is permanent */
  readonly permanent: number;
  /**
   * consumed depth on each side, in units of the base curve (USDT of the undisturbed book): an
   * order of Q USDT consumes Q / available() of it, so a withdrawal makes later orders walk
   * further without moving the price by itself
   */
  ub = 0;
  ua = 0;
  /** fraction of the resting depth withdrawn (stress), 0 = the stated curve; see liquidity.ts */
  withdrawn = 0;
  private readonly dipPrice: Float64Array;
  private readonly dipLeft: Float64Array;
  private dipPtr = 0;

  constructor(spec: ImpactSpec, dips: DipBuyer[] = []) {
    if (spec.model === 'sqrt') {
      this.bid = this.ask = sqrtCurve(spec.Y ?? 1, spec.sigma, spec.volume);
    } else if (spec.model === 'depth') {
      const bid = spec.bid ?? (spec.perPct ? [[1, spec.perPct] as [number, number]] : undefined);
      if (!bid) throw new RangeError("depth impact needs 'bid' points or 'perPct'");
      this.bid = piecewiseCurve(bid, spec.tailPerPct ?? (spec.perPct && !spec.bid ? spec.perPct : undefined));
      this.ask = spec.ask ? piecewiseCurve(spec.ask, spec.tailPerPct) : this.bid;
    } else throw new RangeError(`unknown impact model ${(spec as { model?: unknown }).model}`);
    const h = spec.halfLife ?? 1;
    if (!(h >= 0)) throw new RangeError('halfLife must be >= 0');
    this.decay = h === 0 ? 0 : h === Infinity ? 1 : Math.pow(2, -1 / h);
    this.permanent = spec.permanent ?? 1;
    if (!(this.permanent >= 0 && this.permanent <= 1)) throw new RangeError('impact.permanent must be in [0, 1]');
    const sorted = dips.filter((d) => d.usd > 0 && d.price > 0).sort((a, b) => b.price - a.price);
    this.dipPrice = Float64Array.from(sorted, (d) => d.price);
    this.dipLeft = Float64Array.from(sorted, (d) => d.usd);
  }

  /** Price factor of the transient (not yet reverted) part of past walks. */
  transient(): number {
    if (this.permanent === 1) return 1;
    return Math.exp((-(1 - this.permanent) * (this.bid.pctAt(this.ub) - this.ask.pctAt(this.ua))) / 100);
  }

  /** End of a step: consumed depth refills. */
  refill(): void {
    this.ub *= this.decay;
    this.ua *= this.decay;
  }

  /** Fraction of the stated depth still resting (1 - withdrawn). */
  available(): number {
    return 1 - this.withdrawn;
  }

  /**
   * The part of the stated top-x% book (one side: -1 bid, +1 ask) still resting: (1 - withdrawn)
   * x (D(x) - consumed and not yet refilled). (Depth within x% of the *moved* price would, on a
   * square-root curve, grow after a large walk: that curve's implied book thickens with distance.)
   */
  depthWithin(x: number, dir: 1 | -1): number {
    const c = dir === -1 ? this.bid : this.ask,
      u = dir === -1 ? this.ub : this.ua;
    return this.available() * Math.max(0, c.depthAt(x) - u);
  }

  /** Unconsumed dip-buyer USDT. */
  dipRemaining(): number {
    let s = 0;
    for (let i = this.dipPtr; i < this.dipLeft.length; i++) s += this.dipLeft[i];
    return s;
  }

  /**
   * Walks the book with a market order of `usd` from price p (side +1 buy, -1 sell).
   * Returns the price after the walk, the volume-weighted fill price and the move in percent.
   */
  walk(p: number, usd: number, dir: 1 | -1): { price: number; fill: number; pct: number } {
    if (!(usd > 0)) return { price: p, fill: p, pct: 0 };
    const c = dir === -1 ? this.bid : this.ask;
    let u = dir === -1 ? this.ub : this.ua;
    let left = usd,
      price = p,
      value = 0; // value = sum(usd_k * fillPrice_k)
    if (dir === -1) {
      // dip bids at or above the current price have been taken by the flow that got us here
      while (this.dipPtr < this.dipPrice.length && this.dipPrice[this.dipPtr] >= price) this.dipPtr++;
    }
    // lam: the resting fraction; `take` is in USDT, `tb = take / lam` in base-curve units
    const lam = this.available();
    if (!(lam > 0)) throw new RangeError('depth fully withdrawn: liquidity.maxWithdraw must be < 1');
    while (left > 0) {
      const x0 = c.pctAt(u);
      let take = left;
      let dip = -1;
      if (dir === -1 && this.dipPtr < this.dipPrice.length) {
        // depth between here and the next dip level
        const dx = 100 * Math.log(price / this.dipPrice[this.dipPtr]);
        const need = lam * (c.depthAt(x0 + dx) - u);
        if (need < take) {
          take = Math.max(need, 0);
          dip = this.dipPtr;
        }
      }
      if (take > 0) {
        const tb = take / lam;
        const x1 = c.pctAt(u + tb);
        const avg = (c.integral(u + tb) - c.integral(u)) / tb - x0;
        value += take * price * Math.exp((dir * avg) / 100);
        price = dip >= 0 ? this.dipPrice[dip] : price * Math.exp((dir * (x1 - x0)) / 100);
        u += tb;
        left -= take;
      }
      if (dip >= 0) {
        const fill = Math.min(left, this.dipLeft[dip]);
        value += fill * this.dipPrice[dip];
        this.dipLeft[dip] -= fill;
        left -= fill;
        if (this.dipLeft[dip] <= 0) this.dipPtr++;
      }
    }
    if (dir === -1) this.ub = u;
    else this.ua = u;
    return { price, fill: value / usd, pct: 100 * Math.log(price / p) };
  }
}
