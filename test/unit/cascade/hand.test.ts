/**
 * Hand-computed small books. Every number below is worked out in the comments.
 * Impact in these tests: a constant depth of 1,000,000 USDT per 1% on each side, so a
 * market order of Q USDT moves the price by x = Q / 1e6 percent (P' = P exp(-x/100)) and
 * fills at the average distance x/2 (fill = P exp(-x/200)).
 */
import assert from 'node:assert/strict';
import { Frame, Series } from '../../../src/market/series';
import {
  bankruptcyPrice,
  cascade,
  DEFAULT_TIERS,
  liquidationPrice,
  maintenanceRate,
  positionBook,
  tierFor,
} from '../../../src/market/cascade';
import { Book2 as ImpactBook, piecewiseCurve, sqrtCurve } from '../../../src/market/cascade/impact';

const close = (a: number, b: number, tol = 1e-6) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);
const thin = { model: 'depth' as const, perPct: 1_000_000, halfLife: 0 };

// A: long 1 BTC @ 100,000, 10x, m 0.5%  -> liq = 100000 * 0.9 / 0.995  = 90452.26130653266
// B: long 2 BTC @  95,000, 20x, m 0.5%  -> liq =  95000 * 0.95 / 0.995 = 90703.5175879397
// C: long 1 BTC @ 100,000,  5x, m 1%    -> liq = 100000 * 0.8 / 0.99   = 80808.0808080808
// D: short 1 BTC @ 90,000, 10x, m 0.5%  -> liq =  90000 * 1.1 / 1.005  = 98507.46268656719
const positions = () =>
  positionBook([
    { side: 'long', size: 1, entry: 100_000, leverage: 10, mmr: 0.005 },
    { side: 'long', size: 2, entry: 95_000, leverage: 20, mmr: 0.005 },
    { side: 'long', size: 1, entry: 100_000, leverage: 5, mmr: 0.01 },
    { side: 'short', size: 1, entry: 90_000, leverage: 10, mmr: 0.005 },
  ]);

describe('cascade: liquidation prices and tiers', () => {
  it('uses the exact isolated formulas, not the E(1 - 1/L + m) shortcut', () => {
    close(liquidationPrice('long', 100_000, 10, 0.005), 90452.26130653266, 1e-12);
    close(liquidationPrice('short', 90_000, 10, 0.005), 98507.46268656719, 1e-12);
    // the shortcut gives 100000 * (1 - 0.1 + 0.005) = 90500: 47.7 USDT off at 10x
    assert.ok(Math.abs(liquidationPrice('long', 100_000, 10, 0.005) - 90_500) > 40);
    // at 2x, long m 2.5%: exact 100000*0.5/0.975 = 51282.05, shortcut 52500
    close(liquidationPrice('long', 100_000, 2, 0.025), 51282.05128205128, 1e-12);
    close(bankruptcyPrice('long', 100_000, 10), 90_000, 1e-12);
    close(bankruptcyPrice('short', 100_000, 10), 110_000, 1e-12);
    const b = positions();
    close(b.liq[0], 90452.26130653266, 1e-12);
    close(b.liq[1], 90703.5175879397, 1e-12);
    close(b.liq[2], 80808.0808080808, 1e-12);
    close(b.liq[3], 98507.46268656719, 1e-12);
  });
  it('rejects a leverage that is liquidated at entry (1/L <= m)', () => {
    assert.throws(() => liquidationPrice('long', 100, 200, 0.005), /needs 1\/L > m/);
  });
  it('looks maintenance rates up by notional in the tier table', () => {
    assert.equal(maintenanceRate(10_000), 0.004);
    assert.equal(maintenanceRate(50_000), 0.005); // floor is inclusive
    assert.equal(maintenanceRate(7_999_999), 0.01);
    assert.equal(maintenanceRate(60e6), 0.05);
    assert.equal(tierFor(1e12).maxLeverage, 1);
    // tiers are contiguous
    for (let i = 1; i < DEFAULT_TIERS.length; i++) assert.equal(DEFAULT_TIERS[i].floor, DEFAULT_TIERS[i - 1].cap);
    // a stated position without mmr takes its tier's rate: 2 BTC @ 95k = 190k notional -> 0.5%
    const b = positionBook([{ side: 'long', size: 2, entry: 95_000, leverage: 20 }]);
    assert.equal(b.mmr[0], 0.005);
  });
});

describe('cascade: impact curves', () => {
  it('square-root impact: Q = V moves the price by Y*sigma', () => {
    const c = sqrtCurve(1, 0.03, 1e9);
    close(c.pctAt(1e9), 3, 1e-12); // 3%
    close(c.pctAt(0.25e9), 1.5, 1e-12); // sqrt(1/4) * 3%
    close(c.depthAt(1.5), 0.25e9, 1e-9);
    // mean distance over [0, Q] of k sqrt(q) is (2/3) k sqrt(Q): 2% for Q = V
    close(c.integral(1e9) / 1e9, 2, 1e-12);
  });
  it('piecewise depth: $1m within 0.5%, $3m within 1.5%, then $4m per 1%', () => {
    const c = piecewiseCurve(
      [
        [0.5, 1e6],
        [1.5, 3e6],
      ],
      4e6,
    );
    close(c.pctAt(1e6), 0.5);
    close(c.pctAt(2e6), 1.0);
    close(c.pctAt(7e6), 2.5);
    close(c.depthAt(1.0), 2e6);
    // integral of x dq over [0, 1e6] = 1e6 * 0.25; over [1e6, 3e6] = 2e6 * 1.0
    close(c.integral(3e6), 0.25e6 + 2e6);
  });
  it('a sell walks the bid; depletion refills with the half-life; dip buyers absorb once', () => {
    const b = new ImpactBook({ model: 'depth', perPct: 1e6, halfLife: 1 });
    // sell 2e6 from 100: moves 2% -> 100 exp(-0.02) = 98.01986733, fill at 1% -> 99.00498337
    let w = b.walk(100, 2e6, -1);
    close(w.price, 98.01986733067553, 1e-12);
    close(w.fill, 99.00498337491681, 1e-12);
    assert.equal(b.ub, 2e6);
    b.refill(); // half-life 1 step: 2e6 -> 1e6 still consumed
    assert.equal(b.ub, 1e6);
    // a bid of 5e5 at 99: a sell of 1e6 from 100 walks 1% (ln(100/99) = 1.00503%) ... with depletion
    const d = new ImpactBook({ model: 'depth', perPct: 1e6, halfLife: 0 }, [{ price: 99, usd: 5e5 }]);
    w = d.walk(100, 2e6, -1);
    // 1,005,034 USDT of depth takes the price to 99 (100 ln(100/99) % x 1e6), the dip bid takes 5e5,
    // the last 494,966 walk on: 99 exp(-0.00494966)
    close(w.price, 99 * Math.exp(-(2e6 - 5e5 - 100 * Math.log(100 / 99) * 1e6) / 1e8), 1e-9);
    assert.equal(d.dipRemaining(), 0);
  });
});

describe('cascade: simulate on a 4-position book', () => {
  it('-9.5% shock: B goes in round 1, its selling takes A in round 2, C and D survive', () => {
    const r = cascade({ book: positions(), mode: 'simulate', start: 100_000, shock: -0.095, steps: 3, impact: thin });
    // mark 90,500 <= liq B 90703.52 (A at 90452.26 not yet)
    // round 1: sell 2 BTC x 90,500 = 181,000 USDT -> 0.181%: mark 90336.34315412519, fill 90418.13454970374
    // round 2: 90336.34 <= liq A: sell 1 x 90336.34 more -> mark 90254.77345426976, fill 90295.54909331215
    assert.deepEqual(Array.from(r.raw.evPos), [1, 0]);
    assert.deepEqual(Array.from(r.raw.evRound), [0, 1]);
    close(r.raw.evFill[0], 90418.13454970374, 1e-12);
    close(r.raw.evFill[1], 90295.54909331215, 1e-12);
    close(r.summary.finalPrice, 90254.77345426976, 1e-12);
    // amplification = (90254.77/100000 - 1) / -0.095 = 1.0258133206
    close(r.summary.amplification, 1.0258133206031836, 1e-9);
    assert.equal(r.summary.rounds, 2);
    // OI: 100k + 190k + 100k long + 90k short = 480k; 290k liquidated
    assert.equal(r.summary.oiBefore, 480_000);
    close(r.summary.oiAfter, 190_000, 1e-12);
    close(r.summary.liquidatedLong, 290_000, 1e-12);
    // margins: B 9,500 + 2 (90418.13 - 95000) = +336.269; A 10,000 + (90295.55 - 100000) = +295.549
    // both fills are above the bankruptcy prices: no bad debt, 631.818 to the insurance fund
    close(r.summary.insuranceEnd, 631.8181927196274, 1e-9);
    assert.equal(r.summary.badDebt, 0);
    assert.equal(r.summary.cascadeSteps, 1);
    assert.deepEqual(Array.from(r.raw.remaining), [0, 0, 1, 1]);
  });

  it('-20% gap: all longs in one round, losses beyond margin go to the fund then ADL', () => {
    const r = cascade({
      book: positions(),
      mode: 'simulate',
      start: 100_000,
      shock: -0.2,
      steps: 1,
      impact: thin,
      insuranceFund: 25_000,
    });
    // mark 80,000 <= all three long liqs: sell 4 BTC x 80,000 = 320,000 -> 0.32%
    // mark 79744.40916344263, fill 80000 exp(-0.0016) = 79872.10234540851
    close(r.raw.evFill[0], 79872.10234540851, 1e-12);
    close(r.summary.finalPrice, 79744.40916344263, 1e-12);
    // A: 10,000 + (79872.10 - 100000) = -10,127.898 ; B: 9,500 + 2(79872.10 - 95000) = -20,755.795
    // C: 20,000 + (79872.10 - 100000) = -127.898 ; total loss beyond margin 31,011.591
    close(r.summary.badDebt, 31011.590618365968, 1e-9);
    // fund 25,000 pays, 6,011.591 is auto-deleveraged
    assert.equal(r.summary.insuranceEnd, 0);
    close(r.summary.adl, 6011.590618365968, 1e-9);
    assert.equal(r.raw.remaining[3], 1); // the short is untouched on a down move
  });

  it('+10% shock liquidates the short only', () => {
    const r = cascade({ book: positions(), mode: 'simulate', start: 100_000, shock: 0.1, steps: 2, impact: thin });
    // mark 110,000 >= liq D 98507.46: buy 1 x 110,000 -> +0.11%: 110121.06657440837, fill 110060.51664055063
    // D: 9,000 + (90,000 - 110060.52) = -11,060.517 beyond margin, no fund -> all ADL
    assert.deepEqual(Array.from(r.raw.evPos), [3]);
    close(r.summary.finalPrice, 110121.06657440837, 1e-12);
    close(r.summary.adl, 11060.516640550632, 1e-9);
    close(r.summary.liquidatedShort, 90_000, 1e-12);
    assert.equal(r.summary.liquidatedLong, 0);
  });

  it('partial liquidation: 40% of a large position per step while the mark stays beyond its price', () => {
    const book = positionBook([{ side: 'long', size: 10, entry: 100_000, leverage: 10, mmr: 0.005 }]);
    // liq 90452.26; mark 90,000 every step (huge depth so the price does not move)
    const r = cascade({
      book,
      mode: 'simulate',
      start: 100_000,
      shock: -0.1,
      steps: 4,
      impact: { model: 'depth', perPct: 1e15 },
      partial: { above: 500_000, fraction: 0.4 },
    });
    // step 0: 4 BTC, step 1: 4 BTC, step 2: the last 2 BTC, step 3: nothing left
    assert.deepEqual(Array.from(r.raw.evStep), [0, 1, 2]);
    assert.deepEqual(
      Array.from(r.raw.evQty).map((q) => +q.toFixed(12)),
      [4, 4, 2],
    );
    assert.equal(r.raw.remaining[0], 0);
  });

  it('a circuit breaker stops the rounds; liquidations resume into a refilled book', () => {
    // 5 longs at 1 BTC @ 100k, 10x, m 0.5%: liq 90452.26 each ... stacked closer: entries 100k, 99.9k, ...
    const ps = [100_000, 99_900, 99_800, 99_700, 99_600].map((e) => ({
      side: 'long' as const,
      size: 1,
      entry: e,
      leverage: 10,
      mmr: 0.005,
    }));
    const book = positionBook(ps); // liqs 90452.26, 90361.81, 90271.36, 90180.90, 90090.45
    const impact = { model: 'depth' as const, perPct: 1e6, halfLife: 1 };
    const free = cascade({ book, mode: 'simulate', start: 100_000, shock: -0.095, steps: 6, impact });
    // 90,500 > every liq: the shock alone liquidates nothing; use -0.0955 -> 90,450 <= 90452.26
    assert.equal(free.summary.positionsLiquidated, 0);
    const run = (cb?: any) =>
      cascade({ book, mode: 'simulate', start: 100_000, shock: -0.0955, steps: 6, impact, circuitBreaker: cb });
    const a = run();
    // round 1 sells 1 x 90450 (0.09045%) -> 90368.23 <= 90361.81? no: 90368.23 > 90361.81, the cascade stops at one
    close(a.summary.finalPrice, 90450 * Math.exp(-0.0009045), 1e-12);
    assert.equal(a.summary.positionsLiquidated, 1);
    // a thinner book lets it run: 0.2% per 90k
    const thin2 = { model: 'depth' as const, perPct: 0.45e6, halfLife: 1 };
    const b = cascade({ book, mode: 'simulate', start: 100_000, shock: -0.0955, steps: 6, impact: thin2 });
    assert.equal(b.summary.positionsLiquidated, 5);
    assert.equal(b.summary.cascadeSteps, 1);
    // breaker: halt 2 steps when the mark is > 9.6% below the previous close (start 100,000 -> below 90,400)
    const c = cascade({
      book,
      mode: 'simulate',
      start: 100_000,
      shock: -0.0955,
      steps: 6,
      impact: thin2,
      circuitBreaker: { move: 0.096, within: 1, halt: 2 },
    });
    // round 1: 90450 -> 90450 exp(-0.201%) = 90268.38 < 90400 -> halt after the first round (one position)
    assert.equal(c.raw.haltTriggered[0], 1);
    assert.deepEqual(Array.from(c.raw.halted), [1, 1, 1, 0, 0, 0]);
    assert.deepEqual(Array.from(c.raw.liqLongCount), [1, 0, 0, 4, 0, 0]);
    // the second and third (liq 90361.81, 90271.36 >= 90268.38) were triggered at the halt; they go at step 3
    // into a book refilled from 90,450 USDT consumed to 90450/8 -> the last two follow in the same step
    assert.equal(c.summary.positionsLiquidated, 5);
    // one round per step instead: the cascade spreads over steps
    // step 0: 1 position (mark 90268.38); step 1: the book refilled to 90450/2 consumed, the two
    // at 90361.81 and 90271.36 sell 180,536.8 USDT: 0.1005% -> 0.5017% of depth, mark 89907.0;
    // step 2: the last two (90180.90, 90090.45)
    const d = cascade({
      book,
      mode: 'simulate',
      start: 100_000,
      shock: -0.0955,
      steps: 6,
      impact: thin2,
      maxRoundsPerStep: 1,
    });
    assert.deepEqual(Array.from(d.raw.liqLongCount), [1, 2, 2, 0, 0, 0]);
    close(
      d.raw.close[1],
      90450 *
        Math.exp(-0.00201) *
        Math.exp(-((45225 + 2 * 90450 * Math.exp(-0.00201)) / 0.45e6 - 45225 / 0.45e6) / 100),
      1e-9,
    );
    assert.equal(d.summary.cascadeSteps, 3);
  });
});

describe('cascade: replay on a 3-day path', () => {
  it('the low triggers longs, the high triggers shorts, on the day they are reached', () => {
    const book = positionBook([
      { side: 'long', size: 1, entry: 100_000, leverage: 10, mmr: 0.005 }, // liq 90452.26
      { side: 'long', size: 2, entry: 95_000, leverage: 20, mmr: 0.005 }, // liq 90703.52
      { side: 'long', size: 1, entry: 100_000, leverage: 5, mmr: 0.01 }, // liq 80808.08
      { side: 'short', size: 1, entry: 99_000, leverage: 10, mmr: 0.005 }, // liq 99000*1.1/1.005 = 108358.21
    ]);
    const path = {
      time: ['2026-01-01', '2026-01-02', '2026-01-03'],
      open: [100_000, 100_500, 91_000],
      high: [101_000, 100_800, 109_000],
      low: [99_000, 90_000, 90_500],
      close: [100_500, 91_000, 108_000],
    };
    const r = cascade({ book, mode: 'replay', path, impact: thin });
    // day 2 (down): low 90,000 takes A and B in one round: sell 3 x 90,000 = 270,000 -> fill 90000 exp(-0.00135) = 89878.58
    // day 3 (up): high 109,000 takes D: buy 109,000 -> fill 109000 exp(0.000545) = 109059.42
    assert.deepEqual(Array.from(r.raw.liqLongCount), [0, 2, 0]);
    assert.deepEqual(Array.from(r.raw.liqShortCount), [0, 0, 1]);
    close(r.raw.liqLongNotional[1], 290_000, 1e-12);
    close(r.raw.liqShortNotional[2], 99_000, 1e-12);
    close(r.raw.evFill[0], 89878.58197560682, 1e-12);
    close(r.raw.evFill[2], 109059.4211908037, 1e-12);
    // A: 10,000 + (89878.58 - 100000) = -121.418 ; B: 9,500 + 2(89878.58 - 95000) = -742.836 ; D: 9,900 + (99,000 - 109059.42) = -159.421
    close(r.summary.badDebt, 121.41802439317689 + 742.8360487863538 + 159.42119080369594, 1e-9);
    // without feedback the mark follows history
    assert.equal(r.summary.finalPrice, 108_000);
    assert.ok(Number.isNaN(r.summary.amplification));
    assert.equal(r.layers.find((l) => l.leverage === '20x' && l.side === 'long')!.first, '2026-01-02');
    assert.equal(r.raw.remaining[2], 1); // C (liq 80808) survives
    // the same path as a Frame gives the same run; a close-only Series uses the close as high and low
    const idx = path.time.map((d) => Date.parse(d + 'T00:00:00Z'));
    const f = cascade({
      book,
      mode: 'replay',
      path: new Frame(idx, { open: path.open, high: path.high, low: path.low, close: path.close }),
      impact: thin,
    });
    assert.deepEqual(f.raw.evPos, r.raw.evPos);
    assert.deepEqual(f.raw.evFill, r.raw.evFill);
    assert.equal(f.stepLabel(1), '2026-01-02');
    const sr = cascade({ book, mode: 'replay', path: new Series(idx, path.close, 'close'), impact: thin });
    // closes 100,500 / 91,000 / 108,000: B (90703.5) and A (90452.3) survive 91,000; D (108358.2) survives 108,000
    assert.equal(sr.summary.positionsLiquidated, 0);
  });
});
