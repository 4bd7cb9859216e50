/**
 * Property tests of the engine's invariants on random books (seeded generator), and the
 * sweep against the naive reference scan.
 */
import assert from 'node:assert/strict';
import {
  cascade,
  cascadeReference,
  compareRuns,
  positionBook,
  runEngine,
  type CascadeOptions,
  type PositionBook,
  type RawRun,
} from '../../../src/market/cascade';
import { mulberry32 } from '../../../src/market/cascade/rng';

function randomBook(seed: number, n: number, center = 100): PositionBook {
  const rnd = mulberry32(seed);
  const levs = [2, 3, 5, 10, 20, 25, 50, 100];
  const ps = Array.from({ length: n }, () => {
    const leverage = levs[Math.floor(rnd() * levs.length)];
    return {
      side: rnd() < 0.6 ? ('long' as const) : ('short' as const),
      entry: center * (0.9 + 0.2 * rnd()),
      leverage,
      size: Math.exp(2 * rnd()) * (rnd() < 0.05 ? 50 : 1),
      mmr: leverage >= 100 ? 0.004 : [0.004, 0.005, 0.01][Math.floor(rnd() * 3)],
      // a fifth of the positions post part of their margin in a non-USDT collateral
      collateral: rnd() < 0.2 ? 0.3 + 0.7 * rnd() : 0,
    };
  });
  return positionBook(ps);
}

/** A random option set: simulate or replay, with or without each feature. */
function randomOptions(seed: number, book: PositionBook, center = 100): CascadeOptions {
  const rnd = mulberry32(seed * 7919 + 13);
  const impact =
    rnd() < 0.5
      ? {
          model: 'sqrt' as const,
          sigma: 0.02 + 0.03 * rnd(),
          volume: 2e3 + 2e4 * rnd(),
          halfLife: [0, 1, 3, Infinity][Math.floor(rnd() * 4)],
          permanent: rnd() < 0.5 ? 1 : rnd(),
        }
      : {
          model: 'depth' as const,
          bid: [
            [0.5, 300 + 500 * rnd()],
            [2, 1500 + 2000 * rnd()],
          ] as Array<[number, number]>,
          halfLife: 1 + 4 * rnd(),
          permanent: rnd() < 0.5 ? 1 : rnd(),
        };
  const common: Partial<CascadeOptions> = {
    impact,
    insuranceFund: rnd() < 0.5 ? 0 : 50 * rnd(),
    partial: rnd() < 0.4 ? { above: 2000, fraction: 0.2 + 0.5 * rnd() } : undefined,
    circuitBreaker:
      rnd() < 0.4
        ? { move: 0.03 + 0.07 * rnd(), within: 1 + Math.floor(3 * rnd()), halt: 1 + Math.floor(3 * rnd()) }
        : undefined,
    maxRoundsPerStep: rnd() < 0.2 ? 1 + Math.floor(3 * rnd()) : undefined,
    dipBuyers:
      rnd() < 0.3
        ? [
            { price: center * 0.93, usd: 2000 },
            { price: center * 0.85, usd: 5000 },
          ]
        : undefined,
    // the cascade lab's mechanisms, each in part of the cases
    liquidity:
      rnd() < 0.5
        ? {
            maxWithdraw: 0.9 * rnd(),
            moveScale: 0.01 + 0.05 * rnd(),
            volScale: rnd() < 0.5 ? 0.02 : undefined,
            flowScale: rnd() < 0.5 ? 500 + 5000 * rnd() : undefined,
            recoveryHalfLife: [0, 1, 3][Math.floor(rnd() * 3)],
          }
        : undefined,
    adl: (['amount', 'queue', 'pro-rata', 'queue', 'pro-rata'] as const)[Math.floor(rnd() * 5)],
    mark:
      rnd() < 0.3
        ? (
            [
              { rule: 'ema', halfLife: 0.5 + 2 * rnd() },
              { rule: 'index', weight: rnd() },
            ] as const
          )[Math.floor(rnd() * 2)]
        : undefined,
  };
  const collateralPath = (steps: number) =>
    rnd() < 0.3
      ? { value: Array.from({ length: steps }, (_, t) => (t >= 3 && t < 6 ? 0.5 + 0.5 * rnd() : 1)), name: 'C' }
      : undefined;
  if (rnd() < 0.5) {
    return {
      book,
      mode: 'simulate',
      start: center,
      shock: (rnd() < 0.5 ? -1 : 1) * (0.02 + 0.1 * rnd()),
      shockSteps: 1 + Math.floor(2 * rnd()),
      steps: 30,
      noise: { sigma: 0.02 * rnd(), seed: seed + 1 },
      collateral: collateralPath(30),
      ...common,
    };
  }
  const T = 40;
  const close: number[] = [],
    high: number[] = [],
    low: number[] = [],
    open: number[] = [];
  let p = center;
  for (let t = 0; t < T; t++) {
    const o = p;
    p = p * Math.exp(0.04 * (rnd() - 0.5) * 2);
    open.push(o);
    close.push(p);
    high.push(Math.max(o, p) * (1 + 0.02 * rnd()));
    low.push(Math.min(o, p) * (1 - 0.02 * rnd()));
  }
  return {
    book,
    mode: 'replay',
    path: { open, high, low, close },
    feedback: rnd() < 0.5,
    collateral: collateralPath(T),
    ...common,
  };
}

/** Checks every invariant of one run; returns nothing, throws with a message. */
function checkInvariants(r: RawRun, book: PositionBook) {
  const n = book.n;
  // margin factor and liquidation price of position i in step t (a collateral below par moves them)
  const kAt = (i: number, t: number) =>
    book.collateral && r.collateral[t] !== 1 ? 1 - book.collateral[i] * (1 - r.collateral[t]) : 1;
  const liqAt = (i: number, t: number) => {
    const k = kAt(i, t);
    if (k === 1) return book.liq[i];
    return book.side[i] === 1
      ? (book.entry[i] * (1 - k / book.leverage[i])) / (1 - book.mmr[i])
      : (book.entry[i] * (1 + k / book.leverage[i])) / (1 + book.mmr[i]);
  };
  const adlQ = r.adlLog.qty;
  // positions already beyond their liquidation price at the start are excluded by the generator (see below)
  // 1. OI falls by exactly the liquidated notional
  let liq = 0;
  const taken = new Float64Array(n);
  const chunksPerStep = new Map<string, number>();
  for (let k = 0; k < r.evPos.length; k++) {
    const i = r.evPos[k];
    liq += r.evQty[k] * book.entry[i];
    taken[i] += r.evQty[k];
    const key = `${i}:${r.evStep[k]}`;
    chunksPerStep.set(key, (chunksPerStep.get(key) ?? 0) + 1);
  }
  // ADL closes count too: OI falls by the liquidated plus the ADL-closed entry notional
  let adlNotional = 0;
  for (let i = 0; i < n; i++) adlNotional += adlQ[i] * book.entry[i];
  let adlPerStep = 0;
  for (let t = 0; t < r.steps; t++) adlPerStep += r.adlClosedLong[t] + r.adlClosedShort[t];
  assert.ok(
    Math.abs(adlPerStep - adlNotional) <= 1e-9 * Math.max(1, adlNotional),
    'ADL notional per step vs per position',
  );
  const oi0 = r.oiBefore.long + r.oiBefore.short,
    oi1 = r.oiLong[r.steps - 1] + r.oiShort[r.steps - 1];
  assert.ok(
    Math.abs(oi0 - oi1 - liq - adlNotional) <= 1e-9 * oi0,
    `OI fell by ${oi0 - oi1}, liquidated ${liq}, ADL ${adlNotional}`,
  );
  let oiRecomputed = 0;
  for (let i = 0; i < n; i++) oiRecomputed += r.remaining[i] * book.entry[i];
  assert.ok(Math.abs(oiRecomputed - oi1) <= 1e-9 * oi0, 'OI from remaining sizes');
  // 2. never more than a position's size in total; one liquidation per position per step;
  //    without partial liquidation, at most one event per position
  for (let i = 0; i < n; i++) {
    // no double close: liquidations and ADL together never exceed the position
    assert.ok(
      taken[i] + adlQ[i] <= book.size[i] * (1 + 1e-12),
      `position ${i} closed ${taken[i]} + ADL ${adlQ[i]} of ${book.size[i]}`,
    );
    assert.ok(
      Math.abs(book.size[i] - taken[i] - adlQ[i] - r.remaining[i]) <= 1e-9 * book.size[i],
      `position ${i}: size - taken - ADL != remaining`,
    );
    assert.ok(r.remaining[i] >= 0);
  }
  for (const [key, c] of chunksPerStep) assert.equal(c, 1, `position:step ${key} liquidated ${c} times in one step`);
  if (!r.options.partial) {
    const seen = new Uint8Array(n);
    for (let k = 0; k < r.evPos.length; k++) {
      assert.equal(seen[r.evPos[k]], 0, `position ${r.evPos[k]} liquidated twice`);
      seen[r.evPos[k]] = 1;
    }
  }
  // 3. longs only when the mark is at/below their price and reached by a down move; shorts the mirror
  const first = new Int32Array(n).fill(-1);
  for (let k = 0; k < r.evPos.length; k++) {
    const i = r.evPos[k],
      m = r.cpMark[r.evCp[k]],
      L = liqAt(i, r.evStep[k]);
    assert.ok(r.evQty[k] > 0, `event ${k} liquidates nothing`);
    if (book.side[i] === 1) assert.ok(m <= L, `long ${i} liquidated at mark ${m} above its price ${L}`);
    else assert.ok(m >= L, `short ${i} liquidated at mark ${m} below its price ${L}`);
    if (first[i] < 0) first[i] = k;
  }
  for (let i = 0; i < n; i++) {
    // first checkpoint at which the mark reached the position
    let c = -1;
    for (let j = 1; j < r.cpMark.length; j++) {
      const L = liqAt(i, r.cpStep[j]);
      if (book.side[i] === 1 ? r.cpMark[j] <= L : r.cpMark[j] >= L) {
        c = j;
        break;
      }
    }
    // a position ADL closed completely before the mark reached it is not liquidated
    if (adlQ[i] > 0 && r.remaining[i] === 0 && first[i] < 0) continue;
    const collShock = book.collateral && book.collateral[i] > 0 && r.options.collateral;
    if (c > 0 && !collShock) {
      // it was reached by a move in its direction
      if (book.side[i] === 1) assert.ok(r.cpMark[c] < r.cpMark[c - 1], `long ${i} reached on an up move`);
      else assert.ok(r.cpMark[c] > r.cpMark[c - 1], `short ${i} reached on a down move`);
    }
    if (first[i] >= 0) {
      assert.ok(c >= 0 && r.evCp[first[i]] >= c, `position ${i} liquidated before the mark reached it`);
      // without halts and round caps it goes at the first check that reaches it
      if (!r.options.circuitBreaker && r.options.maxRoundsPerStep === undefined)
        assert.equal(r.evCp[first[i]], c, `position ${i} not liquidated when first reached`);
    } else if (c >= 0 && !r.options.circuitBreaker && r.options.maxRoundsPerStep === undefined) {
      assert.fail(
        `position ${i} was reached at check ${c} (mark ${r.cpMark[c]}, liq ${book.liq[i]}) but never liquidated`,
      );
    }
  }
  // no liquidations in halted steps that were halted from their start
  for (let t = 0; t < r.steps; t++)
    if (r.halted[t] && !r.haltTriggered[t])
      assert.equal(r.liqLongCount[t] + r.liqShortCount[t], 0, `liquidations in halted step ${t}`);
  // the fund is never negative; the withdrawn fraction stays within [0, maxWithdraw]
  for (let t = 0; t < r.steps; t++) {
    assert.ok(r.insurance[t] >= 0, `fund ${r.insurance[t]} at step ${t}`);
    assert.ok(r.withdrawn[t] >= 0 && r.withdrawn[t] <= (r.options.liquidity?.maxWithdraw ?? 0.9) + 1e-15);
    if (!r.options.liquidity) assert.equal(r.withdrawn[t], 0);
  }
  // ADL: only with a rule; each closed position was on the other side of an ADL action in its
  // first ADL step and in profit at that action's price; haircuts add up to the socialised loss
  const log = r.adlLog;
  let hair = 0;
  for (let i = 0; i < n; i++) {
    hair += log.haircut[i];
    if (!(adlQ[i] > 0)) continue;
    assert.notEqual(r.options.adl ?? 'amount', 'amount', 'ADL closed a position under the amount rule');
    const acts = log.step
      .map((_s, a) => a)
      .filter((a) => log.step[a] === log.firstStep[i] && log.side[a] === -book.side[i]);
    assert.ok(
      acts.some((a) => book.side[i] * (log.trade[a] - book.entry[i]) > 0),
      `position ${i} ADL-closed while not in profit`,
    );
  }
  const amount = log.amount.reduce((a, b) => a + b, 0),
    unsoc = log.unsocialised.reduce((a, b) => a + b, 0);
  assert.ok(
    Math.abs(hair - (amount - unsoc)) <= 1e-6 * Math.max(1, amount),
    `haircuts ${hair} vs socialised ${amount - unsoc}`,
  );
  assert.ok(Math.abs(hair - r.adlHaircut[r.steps - 1]) <= 1e-6 * Math.max(1, hair), 'haircut per step');
  assert.ok(Math.abs(unsoc - r.adlUnsocialised[r.steps - 1]) <= 1e-6 * Math.max(1, unsoc), 'unsocialised per step');
  if ((r.options.adl ?? 'amount') !== 'amount')
    assert.ok(Math.abs(amount - r.adl[r.steps - 1]) <= 1e-6 * Math.max(1, amount), 'every uncovered loss went to ADL');
  // 4. losses beyond margin: recompute the fund, bad debt and ADL from the events, round by round
  let fund = r.insuranceStart,
    bad = 0,
    adl = 0;
  for (let k = 0; k < r.evPos.length;) {
    let surplus = 0,
      deficit = 0;
    const step = r.evStep[k],
      round = r.evRound[k];
    for (; k < r.evPos.length && r.evStep[k] === step && r.evRound[k] === round; k++) {
      const i = r.evPos[k],
        q = r.evQty[k],
        E = book.entry[i],
        f = r.evFill[k];
      const kf = kAt(i, step);
      const res = (kf * q * E) / book.leverage[i] + book.side[i] * q * (f - E);
      // a loss beyond margin means the fill was beyond the bankruptcy price E(1 -/+ k/L)
      const bankrupt = book.side[i] === 1 ? f < E * (1 - kf / book.leverage[i]) : f > E * (1 + kf / book.leverage[i]);
      if (Math.abs(res) > 1e-9 * q * E) assert.equal(res < 0, bankrupt, `event ${k}: residual ${res} vs bankruptcy`);
      if (res >= 0) surplus += res;
      else deficit -= res;
    }
    fund += surplus;
    const cover = Math.min(fund, deficit);
    fund -= cover;
    bad += deficit;
    adl += deficit - cover;
    // ADL only for what an emptied fund cannot pay
    assert.ok(fund >= 0 && (deficit - cover <= 0 || fund === 0));
  }
  const tol = 1e-9 * Math.max(1, bad, fund);
  assert.ok(Math.abs(fund - r.insurance[r.steps - 1]) <= tol, `fund ${fund} vs ${r.insurance[r.steps - 1]}`);
  assert.ok(Math.abs(bad - r.badDebt[r.steps - 1]) <= tol, 'bad debt');
  assert.ok(Math.abs(adl - r.adl[r.steps - 1]) <= tol, 'adl');
}

/** Drops positions that are already beyond their liquidation price at the run's start. */
function survivors(book: PositionBook, start: number): PositionBook {
  const keep: number[] = [];
  for (let i = 0; i < book.n; i++) if (book.side[i] === 1 ? book.liq[i] < start : book.liq[i] > start) keep.push(i);
  return positionBook(
    keep.map((i) => ({
      side: book.side[i] === 1 ? 'long' : 'short',
      entry: book.entry[i],
      leverage: book.leverage[i],
      size: book.size[i],
      mmr: book.mmr[i],
      collateral: book.collateral?.[i],
    })),
  );
}

describe('cascade: invariants on random books', () => {
  const SEEDS = Array.from({ length: 60 }, (_, k) => 1000 + k);
  let liquidatedSomething = 0,
    halts = 0,
    partials = 0,
    bad = 0,
    adlRuns = 0,
    withdrawals = 0,
    collRuns = 0;
  for (const seed of SEEDS) {
    it(`seed ${seed}`, () => {
      const book0 = randomBook(seed, 60 + (seed % 5) * 40);
      const book = survivors(book0, 100);
      const o = randomOptions(seed, book);
      const r = runEngine(o);
      checkInvariants(r, book);
      // the sweep and the naive scan give the same liquidations
      const ref = cascadeReference(o);
      const cmp = compareRuns(r, ref);
      assert.ok(cmp.equal, cmp.details.join('\n'));
      if (r.evPos.length) liquidatedSomething++;
      halts += r.haltTriggered.reduce((a, b) => a + b, 0);
      if (o.partial && r.evPos.length > new Set(r.evPos).size) partials++;
      if (r.badDebt[r.steps - 1] > 0) bad++;
      if (r.adlLog.qty.some((q) => q > 0)) adlRuns++;
      if (r.withdrawn.some((w) => w > 0.05)) withdrawals++;
      if (o.collateral && r.evPos.some((i) => book.collateral![i] > 0)) collRuns++;
    });
  }
  it('the random cases exercised liquidations, halts, partial liquidations and bad debt', () => {
    assert.ok(liquidatedSomething >= 40, `only ${liquidatedSomething} runs liquidated anything`);
    assert.ok(halts >= 3, `only ${halts} halts`);
    assert.ok(partials >= 3, `only ${partials} runs with repeated partial liquidations`);
    assert.ok(bad >= 3, `only ${bad} runs with losses beyond margin`);
    assert.ok(adlRuns >= 5, `only ${adlRuns} runs closed positions by ADL`);
    assert.ok(withdrawals >= 10, `only ${withdrawals} runs withdrew depth`);
    assert.ok(collRuns >= 3, `only ${collRuns} runs liquidated collateral-margined positions under a collateral path`);
  });

  it('is deterministic for a seed (book and noise) and changes with it', () => {
    const mk = (s: number) => {
      const book = randomBook(s, 200);
      return cascade({
        ...randomOptions(3, survivors(book, 100)),
        mode: 'simulate',
        start: 100,
        shock: -0.06,
        steps: 20,
        noise: { sigma: 0.01, seed: s },
      } as CascadeOptions);
    };
    const a = mk(7),
      b = mk(7),
      c = mk(8);
    assert.deepEqual(a.raw.close, b.raw.close);
    assert.deepEqual(a.raw.evPos, b.raw.evPos);
    assert.deepEqual(a.raw.evFill, b.raw.evFill);
    assert.deepEqual(a.summary, b.summary);
    assert.notDeepEqual(a.raw.close, c.raw.close);
  });

  it('longs never go on a pure up move and shorts never on a pure down move', () => {
    const book = survivors(randomBook(42, 400), 100);
    const up = cascade({
      book,
      mode: 'simulate',
      start: 100,
      shock: 0.15,
      steps: 5,
      impact: { model: 'sqrt', sigma: 0.03, volume: 1e4 },
    });
    const down = cascade({
      book,
      mode: 'simulate',
      start: 100,
      shock: -0.15,
      steps: 5,
      impact: { model: 'sqrt', sigma: 0.03, volume: 1e4 },
    });
    assert.ok(up.summary.liquidatedShort > 0 && up.summary.liquidatedLong === 0);
    assert.ok(down.summary.liquidatedLong > 0 && down.summary.liquidatedShort === 0);
    // feedback amplifies: the final move is beyond the shock
    assert.ok(down.summary.amplification > 1 && up.summary.amplification > 1);
  });

  it('the sweep matches the reference on a 20,000-position book with every feature on', function () {
    this.timeout(60_000); // the reference scans every position at every check (and the machine may be shared)
    const book = survivors(randomBook(99, 20_000), 100);
    const o: CascadeOptions = {
      book,
      mode: 'simulate',
      start: 100,
      shock: -0.05,
      steps: 200,
      noise: { sigma: 0.015, seed: 5 },
      impact: { model: 'sqrt', sigma: 0.03, volume: 5e5, halfLife: 2 },
      partial: { above: 2000, fraction: 0.25 },
      circuitBreaker: { move: 0.06, within: 3, halt: 2 },
      insuranceFund: 1000,
      dipBuyers: [{ price: 90, usd: 5e3 }],
      liquidity: { maxWithdraw: 0.8, moveScale: 0.03, flowScale: 2e5, recoveryHalfLife: 2 },
      mark: { rule: 'index', weight: 0.6 },
      collateral: { value: Array.from({ length: 200 }, (_, t) => (t >= 10 && t < 14 ? 0.7 : 1)) },
      adl: 'queue',
    };
    const a = runEngine(o),
      b = cascadeReference(o);
    assert.ok(a.evPos.length > 1000, `${a.evPos.length} events`);
    assert.ok(a.adlLog.step.length > 0 && a.withdrawn.some((w) => w > 0.3), 'ADL and withdrawal exercised');
    const cmp = compareRuns(a, b);
    assert.ok(cmp.equal, cmp.details.join('\n'));
    checkInvariants(a, book);
  });
});
