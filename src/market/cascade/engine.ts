/**
 * The cascade engine. One driver (steps, legs, rounds, impact, circuit breaker, margin
 * accounting) and two ways to find the positions a mark price triggers:
 *  - the sweep (default, sweep.ts): longs sorted by liquidation price descending and shorts
 *    ascending, once; a pointer per side advances past every position the mark has reached, so
 *    a step costs O(positions it liquidates), never O(book);
 *  - the naive scan in reference.ts, which tests every position at every check, for checking.
 *
 * What a run takes and returns is run.ts; the book state the selectors share is state.ts;
 * books, impact, liquidity, marks and ADL are their own modules.
 * (Over 300 lines on purpose: runEngine is one driver loop (~410 lines) whose parts share a
 * dozen mutable locals of a step (mark, legs, rounds, halts, insurance fund, impact and depth
 * state); it stays whole so a step reads top to bottom.)
 *
 * Semantics (both selectors give the same liquidations):
 *  - A step is a list of legs: simulate = one leg per step (the exogenous price); replay =
 *    the open, the day's extremes in candle order (down day: high then low; up day: low then
 *    high), then the close. At each leg the mark is set (replay without feedback: the
 *    historical price; otherwise exogenous price x permanent endogenous displacement D x the
 *    not-yet-reverted transient impact), then rounds run: every long with
 *    mark <= liq and every short with mark >= liq is liquidated (isolated margin: the whole
 *    position, or for positions above `partial.above` notional a `partial.fraction` of the
 *    original size, at most once per step); the round's longs sell as one market order, then
 *    its shorts buy as one, walking the depth curve; the fill is the order's volume-weighted
 *    price; with feedback the mark moves to where the walk ended. Rounds repeat until nothing
 *    new triggers (or `maxRoundsPerStep`).
 *  - Margin: a liquidated quantity q releases its margin qE/L and realises q(fill - E) (long)
 *    or q(E - fill) (short). A positive remainder goes to the insurance fund; a negative one
 *    (loss beyond margin) is paid by the fund, and what the fund cannot pay is auto-deleveraging
 *    (ADL) of the opposite side (recorded as an amount, see docs).
 *  - Circuit breaker: at every check, if |mark / ref - 1| > move, where ref is the close mark
 *    `within` steps earlier (or at the last resumption), trading halts for the rest of the step
 *    and `halt` more steps: no liquidations execute, depth keeps refilling, the exogenous
 *    path keeps moving. Triggered positions are liquidated when trading resumes.
 *  - Stress (liquidity.ts, optional): at every check the depth curve's withdrawn fraction
 *    rises to the stress target; it recovers with its half-life at each step's end.
 *  - Mark vs trade (mark.ts, optional): liquidations trigger on the mark, orders fill at the
 *    traded price; a collateral path lowers the margin of the positions that post it.
 *  - ADL (adl.ts, optional): what the fund cannot pay closes opposite positions in profit at
 *    the bankruptcy price, by queue or pro-rata.
 */
import { grow, TypedList } from '../grow';
import { toOHLC, type OHLCPath } from './path';
import { Book2, DEFAULT_IMPACT } from './impact';
import { mulberry32, normals } from './rng';
import { LiquidityModel } from './liquidity';
import { MarkModel, stepValues } from './mark';
import { AdlLog } from './adl';
import type { CascadeOptions, RawRun } from './run';
import { marginFactor, Sink, type EngineState, type SelectorFactory } from './state';
import { sweepSelector } from './sweep';

/** Liquidation events, one per liquidated quantity (growable struct of arrays). */
class EventLog {
  pos = new Int32Array(1 << 14);
  step = new Int32Array(1 << 14);
  round = new Int32Array(1 << 14);
  cp = new Int32Array(1 << 14);
  qty = new Float64Array(1 << 14);
  fill = new Float64Array(1 << 14);
  n = 0;
  ensure(k: number): void {
    const m = this.n + k;
    if (m <= this.pos.length) return;
    this.pos = grow(this.pos, m);
    this.step = grow(this.step, m);
    this.round = grow(this.round, m);
    this.cp = grow(this.cp, m);
    this.qty = grow(this.qty, m);
    this.fill = grow(this.fill, m);
  }
}

export function runEngine(o: CascadeOptions, factory: SelectorFactory = sweepSelector): RawRun {
  const book = o.book;
  if (!book || typeof book.order !== 'function')
    throw new TypeError('cascade: `book` must be a PositionBook (buildBook or positionBook)');
  const mode = o.mode;
  if (mode !== 'replay' && mode !== 'simulate') throw new RangeError("cascade: mode must be 'replay' or 'simulate'");
  let path: OHLCPath | undefined;
  let steps: number, startPrice: number;
  const shock = o.shock ?? 0;
  const shockSteps = Math.max(1, Math.floor(o.shockSteps ?? 1));
  if (mode === 'replay') {
    if (!o.path)
      throw new RangeError('cascade: replay needs a `path` (Frame with high/low/close or {time, high, low, close})');
    path = toOHLC(o.path, 'replay path');
    steps = path.length;
    startPrice = path.open[0];
  } else {
    steps = Math.floor(o.steps ?? 50);
    startPrice = o.start ?? book.meta.refPrice ?? NaN;
    if (!(startPrice > 0)) throw new RangeError('cascade: simulate needs `start` (the book has no reference price)');
    if (!(shock > -1)) throw new RangeError('cascade: shock must be > -1');
  }
  if (!(steps >= 1)) throw new RangeError('cascade: need at least one step');
  const feedback = mode === 'simulate' ? true : !!o.feedback;
  const impact = new Book2(o.impact ?? DEFAULT_IMPACT, o.dipBuyers ?? []);
  const maxRounds = o.maxRoundsPerStep ?? Infinity;
  const cb = o.circuitBreaker;
  const cbWithin = Math.max(1, Math.floor(cb?.within ?? 1)),
    cbHalt = Math.max(0, Math.floor(cb?.halt ?? 1));
  if (cb && !(cb.move > 0)) throw new RangeError('circuitBreaker.move must be > 0 (a fraction, e.g. 0.08)');
  const liquidity = o.liquidity ? new LiquidityModel(o.liquidity) : undefined;
  const markModel = new MarkModel(o.mark, steps, path?.hasTime ? path.time : undefined, startPrice);
  const adlRule = o.adl ?? 'amount';
  if (adlRule !== 'amount' && adlRule !== 'queue' && adlRule !== 'pro-rata')
    throw new RangeError("cascade: adl must be 'queue', 'pro-rata' or 'amount'");
  const cvals = o.collateral
    ? stepValues(o.collateral.value, steps, path?.hasTime ? path.time : undefined, 'collateral.value')
    : undefined;
  if (cvals)
    for (let t = 0; t < steps; t++)
      if (!(cvals[t] <= 1))
        throw new RangeError(`collateral.value: ${cvals[t]} at step ${t}; a haircut path has values in (0, 1]`);
  if (cvals && !book.collateral)
    throw new RangeError(
      'cascade: a collateral path needs a book whose positions post it (positionBook collateral / buildBook collateral)',
    );

  const n = book.n;
  const st: EngineState = {
    book,
    remaining: book.size.slice(),
    lastChunk: new Int32Array(n).fill(-1),
    partialAbove: o.partial ? o.partial.above : Infinity,
    partialFraction: o.partial?.fraction ?? 0.2,
    coll: cvals ? book.collateral : undefined,
    cval: 1,
  };
  if (o.partial && !(st.partialFraction > 0 && st.partialFraction <= 1))
    throw new RangeError('partial.fraction must be in (0, 1]');
  const sel = factory(st);
  const oi0 = book.oi();
  let oiL = oi0.long,
    oiS = oi0.short;
  let fund = o.insuranceFund ?? 0,
    badDebt = 0,
    adl = 0,
    adlHair = 0,
    adlUnsoc = 0;

  const f64 = () => new Float64Array(steps);
  const adlLog = new AdlLog(n);
  const R: RawRun = {
    mode,
    feedback,
    steps,
    hasTime: path ? path.hasTime : false,
    startPrice,
    time: path ? path.time.slice() : Float64Array.from({ length: steps }, () => NaN),
    exo: f64(),
    histLow: f64(),
    histHigh: f64(),
    open: f64(),
    low: f64(),
    high: f64(),
    close: f64(),
    markLow: f64(),
    markHigh: f64(),
    markClose: f64(),
    collateral: cvals ? cvals.slice() : f64().fill(1),
    liqLongNotional: f64(),
    liqShortNotional: f64(),
    liqLongValue: f64(),
    liqShortValue: f64(),
    liqLongCount: new Int32Array(steps),
    liqShortCount: new Int32Array(steps),
    rounds: new Int32Array(steps),
    halted: new Uint8Array(steps),
    haltTriggered: new Uint8Array(steps),
    impactPct: f64(),
    insurance: f64(),
    badDebt: f64(),
    adl: f64(),
    oiLong: f64(),
    oiShort: f64(),
    withdrawn: f64(),
    depthBid: f64(),
    depthAsk: f64(),
    adlClosedLong: f64(),
    adlClosedShort: f64(),
    adlHaircut: f64(),
    adlUnsocialised: f64(),
    cpStep: new Int32Array(0),
    cpRound: new Int32Array(0),
    cpMark: new Float64Array(0),
    cpTrade: new Float64Array(0),
    evPos: new Int32Array(0),
    evStep: new Int32Array(0),
    evRound: new Int32Array(0),
    evCp: new Int32Array(0),
    evQty: new Float64Array(0),
    evFill: new Float64Array(0),
    adlLog,
    remaining: st.remaining,
    oiBefore: { long: oi0.long, short: oi0.short },
    insuranceStart: fund,
    initialShock: mode === 'simulate' ? shock : path!.close[path!.length - 1] / startPrice - 1,
    exoMove: 0,
    options: o,
  };
  const cpStep = new TypedList(new Int32Array(1024)),
    cpRound = new TypedList(new Int32Array(1024)),
    cpMark = new TypedList(new Float64Array(1024)),
    cpTrade = new TypedList(new Float64Array(1024));
  const ev = new EventLog();
  const closes = new Float64Array(steps + 1);
  closes[0] = startPrice;
  let resumeIdx = 0,
    haltUntil = -1;
  let D = 1; // permanent endogenous displacement (feedback); the transient part is impact.transient()
  let X = startPrice; // exogenous price
  const gauss = o.noise && o.noise.sigma > 0 ? normals(mulberry32(o.noise.seed ?? 1)) : undefined;
  const sigma = o.noise?.sigma ?? 0;
  const shockPerStep = Math.pow(1 + shock, 1 / shockSteps);
  let trade = startPrice,
    mark = startPrice;
  cpStep.push(-1);
  cpRound.push(0);
  cpMark.push(mark);
  cpTrade.push(trade);

  const buf = new Sink();
  const entry = book.entry,
    leverage = book.leverage,
    coll = st.coll;
  const legs: number[] = [];
  const kOf = (i: number) => marginFactor(st, i);

  for (let t = 0; t < steps; t++) {
    legs.length = 0;
    if (path) {
      R.histLow[t] = path.low[t];
      R.histHigh[t] = path.high[t];
      if (path.close[t] >= path.open[t]) legs.push(path.open[t], path.low[t], path.high[t], path.close[t]);
      else legs.push(path.open[t], path.high[t], path.low[t], path.close[t]);
      X = path.close[t];
    } else {
      if (t < shockSteps) X *= shockPerStep;
      if (gauss) X *= Math.exp(sigma * gauss());
      legs.push(X);
      R.histLow[t] = R.histHigh[t] = X;
    }
    R.exo[t] = X;
    st.cval = cvals ? cvals[t] : 1;
    const halted = t < haltUntil;
    R.open[t] = trade;
    let lo = trade,
      hi = trade,
      mlo = Infinity,
      mhi = -Infinity;
    let rounds = 0,
      wMax = liquidity ? liquidity.w : 0,
      flow = 0;
    let stop = false,
      stopLeg = -1,
      exoLeg = X;
    // a check: the mark, the depth's response to the stress, then the breaker
    const check = (): boolean => {
      mark = markModel.at(t, trade, exoLeg);
      if (mark < mlo) mlo = mark;
      if (mark > mhi) mhi = mark;
      cpStep.push(t);
      cpRound.push(rounds);
      cpMark.push(mark);
      cpTrade.push(trade);
      // market makers react to the move even when it halts trading
      if (liquidity) {
        impact.withdrawn = liquidity.check(trade, closes[t], flow);
        if (impact.withdrawn > wMax) wMax = impact.withdrawn;
      }
      return !!cb && Math.abs(trade / closes[Math.max(t + 1 - cbWithin, resumeIdx)] - 1) > cb.move;
    };
    for (let li = 0; li < legs.length && !stop; li++) {
      stopLeg = li;
      exoLeg = legs[li];
      trade = feedback ? legs[li] * D * impact.transient() : legs[li];
      if (trade < lo) lo = trade;
      if (trade > hi) hi = trade;
      if (halted) {
        const m = markModel.at(t, trade, exoLeg);
        if (m < mlo) mlo = m;
        if (m > mhi) mhi = m;
        continue;
      }
      if (check()) {
        stop = true;
        break;
      }
      while (rounds < maxRounds) {
        const cp = cpMark.n - 1;
        buf.n = 0;
        sel.collect(1, mark, t, buf);
        const longN = buf.n;
        sel.collect(-1, mark, t, buf);
        const bufN = buf.n;
        if (bufN === 0) break;
        const bufPos = buf.pos,
          bufQty = buf.qty;
        ev.ensure(bufN);
        rounds++;
        let surplus = 0,
          deficit = 0;
        // bankrupt positions per side: deficit, quantity and sum of q x bankruptcy price (for ADL)
        let defL = 0,
          defS = 0,
          bqL = 0,
          bqS = 0,
          bpL = 0,
          bpS = 0;
        for (let sIdx = 0; sIdx < 2; sIdx++) {
          const a = sIdx === 0 ? 0 : longN,
            b = sIdx === 0 ? longN : bufN;
          if (a === b) continue;
          const s = sIdx === 0 ? 1 : -1;
          let q = 0;
          for (let k = a; k < b; k++) q += bufQty[k];
          const w = impact.walk(trade, q * trade, s === 1 ? -1 : 1);
          R.impactPct[t] += w.pct;
          let notional = 0;
          const fill = w.fill;
          let e = ev.n;
          const eP = ev.pos,
            eS = ev.step,
            eR = ev.round,
            eC = ev.cp,
            eQ = ev.qty,
            eF = ev.fill;
          for (let k = a; k < b; k++, e++) {
            const i = bufPos[k],
              qi = bufQty[k],
              E = entry[i];
            notional += qi * E;
            const kf = coll ? kOf(i) : 1;
            const res = (kf * qi * E) / leverage[i] + s * qi * (fill - E);
            if (res >= 0) surplus += res;
            else {
              deficit -= res;
              const B = E * (1 - (s * kf) / leverage[i]);
              if (s === 1) {
                defL -= res;
                bqL += qi;
                bpL += qi * B;
              } else {
                defS -= res;
                bqS += qi;
                bpS += qi * B;
              }
            }
            eP[e] = i;
            eS[e] = t;
            eR[e] = rounds - 1;
            eC[e] = cp;
            eQ[e] = qi;
            eF[e] = fill;
          }
          ev.n = e;
          if (s === 1) {
            R.liqLongNotional[t] += notional;
            R.liqLongValue[t] += q * w.fill;
            R.liqLongCount[t] += b - a;
            oiL -= notional;
          } else {
            R.liqShortNotional[t] += notional;
            R.liqShortValue[t] += q * w.fill;
            R.liqShortCount[t] += b - a;
            oiS -= notional;
          }
          flow += q * w.fill;
          if (feedback) {
            D *= Math.pow(w.price / trade, impact.permanent);
            trade = w.price;
          }
        }
        fund += surplus;
        const cover = Math.min(fund, deficit);
        fund -= cover;
        badDebt += deficit;
        adl += deficit - cover;
        const uncovered = deficit - cover;
        if (uncovered > 0 && adlRule !== 'amount') {
          // the uncovered loss by side, in proportion to each side's deficit
          for (const [s, def, bq, bp] of [
            [1, defL, bqL, bpL],
            [-1, defS, bqS, bpS],
          ] as const) {
            if (!(def > 0)) continue;
            const amount = (uncovered * def) / deficit;
            const r = adlLog.run(
              adlRule,
              book,
              st.remaining,
              st.coll,
              st.cval,
              s,
              amount,
              bp / bq,
              trade,
              t,
              rounds - 1,
            );
            if (s === 1) {
              R.adlClosedShort[t] += r.notional;
              oiS -= r.notional;
            } else {
              R.adlClosedLong[t] += r.notional;
              oiL -= r.notional;
            }
            adlHair += amount - r.unsocialised;
            adlUnsoc += r.unsocialised;
          }
        }
        if (trade < lo) lo = trade;
        if (trade > hi) hi = trade;
        if (check()) {
          stop = true;
          break;
        }
      }
    }
    if (stop) {
      R.haltTriggered[t] = 1;
      haltUntil = t + 1 + cbHalt;
      resumeIdx = t + 1 + cbHalt;
      // the rest of this step's path still happens, without liquidations
      for (let li = stopLeg + 1; li < legs.length; li++) {
        trade = feedback ? legs[li] * D * impact.transient() : legs[li];
        if (trade < lo) lo = trade;
        if (trade > hi) hi = trade;
        const m = markModel.at(t, trade, legs[li]);
        if (m < mlo) mlo = m;
        if (m > mhi) mhi = m;
      }
    }
    R.halted[t] = halted || stop ? 1 : 0;
    R.rounds[t] = rounds;
    R.withdrawn[t] = wMax;
    R.depthBid[t] = impact.depthWithin(2, -1);
    R.depthAsk[t] = impact.depthWithin(2, 1);
    impact.refill();
    if (feedback && impact.permanent < 1) {
      // the transient part reverts as the depth refills: the step closes there
      trade = legs[legs.length - 1] * D * impact.transient();
      if (trade < lo) lo = trade;
      if (trade > hi) hi = trade;
    }
    mark = markModel.at(t, trade, legs[legs.length - 1]);
    if (mark < mlo) mlo = mark;
    if (mark > mhi) mhi = mark;
    markModel.endStep(trade);
    if (liquidity) {
      liquidity.endStep(trade, closes[t]);
      impact.withdrawn = liquidity.w;
    }
    R.low[t] = lo;
    R.high[t] = hi;
    R.close[t] = trade;
    R.markLow[t] = mlo;
    R.markHigh[t] = mhi;
    R.markClose[t] = mark;
    closes[t + 1] = trade;
    R.insurance[t] = fund;
    R.badDebt[t] = badDebt;
    R.adl[t] = adl;
    R.oiLong[t] = oiL;
    R.oiShort[t] = oiS;
    R.adlHaircut[t] = adlHair;
    R.adlUnsocialised[t] = adlUnsoc;
  }
  R.exoMove = R.exo[steps - 1] / startPrice - 1;
  R.cpStep = cpStep.done();
  R.cpRound = cpRound.done();
  R.cpMark = cpMark.done();
  R.cpTrade = cpTrade.done();
  R.evPos = ev.pos.slice(0, ev.n);
  R.evStep = ev.step.slice(0, ev.n);
  R.evRound = ev.round.slice(0, ev.n);
  R.evCp = ev.cp.slice(0, ev.n);
  R.evQty = ev.qty.slice(0, ev.n);
  R.evFill = ev.fill.slice(0, ev.n);
  return R;
}
