/**
 * Auto-deleveraging on actual positions. When a round's liquidations lose more than their
 * margin and the insurance fund cannot pay the deficit, the uncovered amount A is socialised
 * on the profitable positions of the opposite side, as exchanges do it: the bankrupt
 * positions' quantity is matched against opposite positions, which are closed at the
 * bankruptcy price instead of the market.
 *
 * With B = the bankrupt positions' quantity-weighted bankruptcy price (E(1 -/+ k/L), see
 * mark.ts for k) and P = the traded price after the round's walk, closing one unit of an
 * opposite position at B instead of P costs its holder h = |B - P| (a long bankrupt's B is
 * above P, since the fill was below B). So Q = A / h units are closed, the holders lose
 * exactly A between them, and the fund is left at zero (never negative):
 *  - 'queue' (Binance, Bybit): the opposite positions in profit are ranked by
 *    PnL% x effective leverage, PnL% = unrealised profit / margin and effective leverage =
 *    notional at P / (margin + unrealised profit) (both per unit, so size does not matter),
 *    and closed from the top, whole, until Q is reached (the last one partly);
 *  - 'pro-rata': every opposite position in profit is closed by the same fraction Q / (their
 *    total quantity), so the haircut is spread in proportion to size.
 * If the positions in profit hold less than Q, all of them are closed and the rest of A stays
 * unsocialised (reported). ADL closes are off-book: they do not walk the depth curve.
 */
import type { PositionBook } from './book';
import { argsortFloat64 } from '../ranks';

const NB = 1024;
const F64 = new Float64Array(1),
  U32 = new Uint32Array(F64.buffer);

export type AdlRule = 'queue' | 'pro-rata' | 'amount';

/** Per-position ADL totals and one record per ADL action (grows as needed). */
export class AdlLog {
  readonly qty: Float64Array;
  readonly haircut: Float64Array;
  readonly firstStep: Int32Array;
  step: number[] = [];
  round: number[] = [];
  side: number[] = [];
  amount: number[] = [];
  price: number[] = [];
  trade: number[] = [];
  closed: number[] = [];
  positions: number[] = [];
  unsocialised: number[] = [];
  private scores?: Float64Array;
  private cand?: Uint32Array;
  private live: Array<{ idx: Uint32Array; n: number } | undefined> = [undefined, undefined];
  private bk?: Uint16Array;
  constructor(n: number) {
    this.qty = new Float64Array(n);
    this.haircut = new Float64Array(n);
    this.firstStep = new Int32Array(n).fill(-1);
  }

  /**
   * Socialises `amount` lost by bankrupt positions of side `s` (bankruptcy price `B`) at
   * traded price `P`, closing positions of side -s; returns the entry notional closed and the
   * part of `amount` no one could bear. `coll`/`cval`: collateral shares and the collateral's
   * value now (margins count k = 1 - share (1 - value)).
   */
  run(
    rule: 'queue' | 'pro-rata',
    book: PositionBook,
    remaining: Float64Array,
    coll: Float64Array | undefined,
    cval: number,
    s: 1 | -1,
    amount: number,
    B: number,
    P: number,
    step: number,
    round: number,
  ): { notional: number; unsocialised: number } {
    const cs = -s as 1 | -1;
    const h = s * (B - P);
    // the side's positions still open: compacted as the scan goes (liquidations only remove)
    const key = cs === 1 ? 0 : 1;
    let live = this.live[key];
    if (!live) {
      const o = cs === 1 ? book.order().longs : book.order().shorts;
      live = this.live[key] = { idx: o.slice(), n: o.length };
    }
    const idx = live.idx;
    const entry = book.entry,
      lev = book.leverage;
    const need = h > 0 ? amount / h : Infinity;
    let closedQty = 0,
      notional = 0,
      touched = 0;
    /** books an ADL close of q units of position i (its quantity already taken off `remaining`) */
    const record = (i: number, q: number): void => {
      aq[i] += q;
      ah[i] += q * h;
      if (af[i] < 0) af[i] = step;
      closedQty += q;
      notional += q * entry[i];
      touched++;
    };
    // (no closure over these totals: V8 would keep them in a heap context, slowing every loop)
    const aq = this.qty,
      ah = this.haircut,
      af = this.firstStep;
    if (h > 0) {
      // one pass over the opposite side: the positions still open and in profit at P, their
      // queue score, and a histogram of the scores by quantity (1/8-octave buckets)
      const cand = (this.cand ??= new Uint32Array(book.n)),
        bk = (this.bk ??= new Uint16Array(book.n));
      const sc = (this.scores ??= new Float64Array(book.n));
      const hq = new Float64Array(NB);
      const queue = rule === 'queue';
      let m = 0,
        avail = 0,
        w = 0;
      for (let j = 0; j < live.n; j++) {
        const i = idx[j],
          r = remaining[i];
        if (!(r > 0)) continue;
        idx[w++] = i;
        const pnl = cs * (P - entry[i]);
        if (!(pnl > 0)) continue;
        cand[m] = i;
        avail += r;
        if (queue) {
          // margin per unit, with a collateral below par counted at its value (k, see mark.ts)
          const margin = ((coll && cval !== 1 ? 1 - coll[i] * (1 - cval) : 1) * entry[i]) / lev[i];
          const v = (pnl / margin) * (P / (margin + pnl));
          sc[i] = v;
          // the bucket from the float's bits (exponent and 3 mantissa bits: 1/8-octave,
          // monotone in v, 2^-64 .. 2^64), much cheaper than Math.log2 per position
          F64[0] = v;
          const e = (U32[1] >>> 17) - (1023 - 64) * 8;
          const b = e < 0 ? 0 : e > NB - 1 ? NB - 1 : e;
          bk[m] = b;
          hq[b] += r;
        }
        m++;
      }
      live.n = w;
      if (m > 0) {
        if (avail <= need || !queue) {
          // everyone in profit is closed, fully or by the same fraction (pro-rata)
          const f = avail <= need ? 1 : need / avail;
          for (let j = 0; j < m; j++) {
            const i = cand[j];
            let q = f * remaining[i];
            if (f === 1 || q >= remaining[i]) {
              q = remaining[i];
              remaining[i] = 0;
            } else remaining[i] -= q;
            if (q > 0) record(i, q);
          }
        } else {
          // only the top of the queue is needed: the lowest bucket the closes reach, and every
          // candidate from that bucket up, sorted (not every position in profit)
          let acc = 0,
            b = NB - 1;
          for (; b > 0; b--) {
            acc += hq[b];
            if (acc >= need) break;
          }
          const sel = new Uint32Array(m);
          let c = 0;
          for (let j = 0; j < m; j++) if (bk[j] >= b) sel[c++] = cand[j];
          const ranked = argsortFloat64(sc, true, sel.subarray(0, c));
          let left = need;
          for (let j = 0; j < ranked.length && left > 0; j++) {
            const i = ranked[j];
            let q = Math.min(remaining[i], left);
            left -= q;
            if (!(q > 0)) continue;
            if (q >= remaining[i]) {
              q = remaining[i];
              remaining[i] = 0;
            } else remaining[i] -= q;
            record(i, q);
          }
        }
      }
    }
    let unsocialised = Math.max(0, amount - closedQty * (h > 0 ? h : 0));
    if (unsocialised <= 1e-9 * amount) unsocialised = 0;
    this.step.push(step);
    this.round.push(round);
    this.side.push(s);
    this.amount.push(amount);
    this.price.push(B);
    this.trade.push(P);
    this.closed.push(closedQty);
    this.positions.push(touched);
    this.unsocialised.push(unsocialised);
    return { notional, unsocialised };
  }
}
