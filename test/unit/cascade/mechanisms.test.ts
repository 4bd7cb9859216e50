/**
 * Hand-worked small cases for the stress, mark and ADL mechanisms. Every number is worked out
 * in the comments (computed by hand / with a calculator from the formulas in docs/cascade.md,
 * not by running the engine). Impact: a constant depth of 1,000,000 USDT per 1% on each side
 * (halfLife 0: consumed depth refills at each step's end), so a market order of Q USDT on a
 * book with a fraction w withdrawn moves the price by x = Q / ((1 - w) 1e6) percent
 * (P' = P exp(-x/100)) and fills at P exp(-x/200).
 */
import assert from 'node:assert/strict';
import { cascade, positionBook } from '../../../src/market/cascade';
import { LiquidityModel } from '../../../src/market/cascade/liquidity';
import type { LazyRows, Table } from '../../../src/market/output';
import type { TableValue } from '../../../src/shared/schemas';

/** Every row of a table, whether it holds them or makes them on demand (LazyRows). */
const rowsOf = (t: Table): TableValue[][] =>
  Array.isArray(t.rows) ? t.rows : Array.from({ length: t.rows.length }, (_, i) => (t.rows as LazyRows).row(i));

const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);
const thin = { model: 'depth' as const, perPct: 1_000_000, halfLife: 0 };

describe('cascade: depth that withdraws under stress', () => {
  // one long: 2 BTC @ 100,000, 20x, m 0.5% -> liq = 100000 x 0.95 / 0.995 = 95477.39
  const book = () => positionBook([{ side: 'long', size: 2, entry: 100_000, leverage: 20, mmr: 0.005 }]);
  const liquidity = { maxWithdraw: 0.5, moveScale: 0.05, recoveryHalfLife: 1 };

  it('a -5% move withdraws 32% of the depth before the liquidation walks it', () => {
    const r = cascade({
      book: book(),
      mode: 'simulate',
      start: 100_000,
      shock: -0.05,
      steps: 2,
      impact: thin,
      liquidity,
    });
    // check at 95,000: S = |ln 0.95| / 0.05 = 1.025866; w* = 0.5 (1 - e^-S) = 0.320757
    // the long (liq 95477.39) sells 2 x 95,000 = 190,000 USDT into (1 - 0.320757) x 1e6 per 1%:
    //   x = 0.19 / 0.679243 = 0.2797232% -> price 95000 e^-0.002797232 = 94734.634298, fill 94867.224363
    //   (with the full depth: x = 0.19%, price 94819.67)
    close(r.raw.evFill[0], 94867.22436297154);
    close(r.raw.close[0], 94734.63429825664);
    // after the round the move is ln(94734.63 / 100000): S = 1.08139, w = 0.5 (1 - e^-S) = 0.330509
    close(r.raw.withdrawn[0], 0.3305093818747231);
    // the stated top-2% bid book still resting at the step's end: (1 - w) x (D(2%) - consumed), the
    // order consumed 190,000 / (1 - 0.320757) = 279,723.18 of the undisturbed curve (not yet refilled):
    // (1 - 0.330509) x (2e6 - 279,723.18) = 1,151,709.19; the ask side is untouched: 0.669491 x 2e6
    close(r.raw.depthBid[0], 1151709.1926532579);
    close(r.raw.depthAsk[0], (1 - 0.3305093818747231) * 2e6);
    // step 1: no new move (mark = previous close), so the depth only recovers: half-life 1 step
    close(r.raw.withdrawn[1], 0.3305093818747231 / 2);
    assert.ok(r.raw.close[0] < 94819.67136645073, 'the thinner book moved the price further');
  });

  it('while a breaker halts trading there are no checks: the depth only comes back', () => {
    const m = new LiquidityModel({ maxWithdraw: 0.9, moveScale: 0.02, recoveryHalfLife: 2 });
    // a 10% move: S = ln(1/0.9)/0.02 = 5.268; w = 0.9 (1 - e^-5.268) = 0.895363
    close(m.check(90, 100, 0), 0.9 * (1 - Math.exp(-Math.log(100 / 90) / 0.02)));
    // two halted steps: w x 2^(-1/2) each = w / 2
    m.endStep(90, 100);
    m.endStep(90, 90);
    close(m.w, (0.9 * (1 - Math.exp(-Math.log(100 / 90) / 0.02))) / 2);
    // the flow term: $1bn of liquidations with flowScale $1bn adds one unit of stress
    const f = new LiquidityModel({ maxWithdraw: 0.5, moveScale: Infinity, flowScale: 1e9 });
    close(f.check(100, 100, 1e9), 0.5 * (1 - Math.exp(-1)));
  });

  it('with a breaker the withdrawn depth has time to come back before the next liquidations', () => {
    // longs at 95,477 (2 BTC, 20x) and 90,452 (1 BTC, 10x); a -6% step then a further -6% step
    const b = positionBook([
      { side: 'long', size: 2, entry: 100_000, leverage: 20, mmr: 0.005 },
      { side: 'long', size: 1, entry: 100_000, leverage: 10, mmr: 0.005 },
    ]);
    const o = {
      book: b,
      mode: 'simulate' as const,
      start: 100_000,
      shock: 0.94 * 0.94 - 1,
      shockSteps: 2,
      steps: 6,
      impact: thin,
      liquidity: { maxWithdraw: 0.9, moveScale: 0.02, recoveryHalfLife: 1 },
    };
    const free = cascade(o);
    const halted = cascade({ ...o, circuitBreaker: { move: 0.05, within: 1, halt: 2 } });
    // without the breaker the second long walks a book 90% x (1 - e^-S) withdrawn in step 1;
    // with it, trading stops in step 0 and 1 and resumes in step 3 after 3 step-ends of recovery
    const wAt = (r: typeof free) => {
      const k = r.raw.evPos.indexOf(1);
      return r.raw.withdrawn[r.raw.evStep[k]];
    };
    assert.ok(halted.summary.halts >= 1);
    assert.ok(wAt(halted) < wAt(free) / 2, `withdrawn when the second long went: ${wAt(halted)} vs ${wAt(free)}`);
    for (let t = 1; t < 3; t++)
      assert.ok(halted.raw.withdrawn[t] <= halted.raw.withdrawn[t - 1] + 1e-15, 'no withdrawal while halted');
  });
});

describe('cascade: ADL on positions', () => {
  // A: long 1 BTC @ 100,000, 10x, m 0.5% -> liq 90452.26, bankruptcy 90,000
  // shorts in profit when the price falls: S1 1 @ 110,000 10x, S2 2 @ 100,000 5x, S3 0.5 @ 120,000 20x, S4 1 @ 95,000 10x
  const book = () =>
    positionBook([
      { side: 'long', size: 1, entry: 100_000, leverage: 10, mmr: 0.005 },
      { side: 'short', size: 1, entry: 110_000, leverage: 10, mmr: 0.005 },
      { side: 'short', size: 2, entry: 100_000, leverage: 5, mmr: 0.005 },
      { side: 'short', size: 0.5, entry: 120_000, leverage: 20, mmr: 0.005 },
      { side: 'short', size: 1, entry: 95_000, leverage: 10, mmr: 0.005 },
    ]);
  // a -12% gap to 88,000: A sells 88,000 USDT: x = 0.088% -> P = 88000 e^-0.00088 = 87922.594064,
  // fill 88000 e^-0.00044 = 87961.288517; A's residual 10,000 + (87961.29 - 100,000) = -2038.711483:
  // the fund (0) pays nothing, so 2038.71 is socialised on the shorts in profit at P:
  // closing a short at A's bankruptcy price 90,000 instead of P costs h = 90000 - 87922.59 = 2077.405936
  // per BTC, so 2038.711483 / 2077.405936 = 0.981373668 BTC of shorts are closed
  const H = 2077.4059363927227,
    Q = 0.9813736675795326,
    A = 2038.7114828492195;
  const run = (adl: 'queue' | 'pro-rata') =>
    cascade({ book: book(), mode: 'simulate', start: 100_000, shock: -0.12, steps: 1, impact: thin, adl });

  it('queue: ranked by PnL% x effective leverage, S3 then S1 are closed', () => {
    const r = run('queue');
    // scores at P (margin = E/L per BTC, pnl = E - P): S1 (22077.41/11000) x P/(11000 + 22077.41) = 5.33488,
    // S2 (12077.41/20000) x P/32077.41 = 1.65518, S3 (32077.41/6000) x P/38077.41 = 12.34472,
    // S4 (7077.41/9500) x P/16577.41 = 3.95125 -> queue S3, S1, S4, S2
    // S3's 0.5 BTC is closed whole (haircut 0.5 h = 1038.70), then 0.481374 of S1 (haircut 1000.01)
    close(r.raw.adlLog.qty[3], 0.5);
    close(r.raw.adlLog.haircut[3], 0.5 * H);
    close(r.raw.adlLog.qty[1], Q - 0.5);
    close(r.raw.adlLog.haircut[1], 1000.0085146528581);
    assert.equal(r.raw.adlLog.qty[2], 0);
    assert.equal(r.raw.adlLog.qty[4], 0);
    close(r.raw.adlHaircut[0], A);
    assert.equal(r.raw.adlUnsocialised[0], 0);
    // remaining sizes: S3 gone, S1 0.518626
    close(r.raw.remaining[3], 0, 1e-12);
    close(r.raw.remaining[1], 1.5 - Q);
    // OI: 100k + 110k + 200k + 60k + 95k = 565k; minus A's 100k and the closed shorts at entry:
    // 0.5 x 120,000 + 0.481374 x 110,000 = 112,951.10
    close(r.summary.oiAfter, 565_000 - 100_000 - 60_000 - (Q - 0.5) * 110_000);
    close(r.summary.adlClosedShort, 60_000 + (Q - 0.5) * 110_000);
    assert.equal(r.summary.insuranceEnd, 0);
    // the ADL table: S3's 20x layer and S1's 10x layer, shorts
    const rows = rowsOf(r.adlTable()).map((row) => String(row[0]) + ' ' + String(row[1]));
    assert.deepEqual(rows.sort(), ['10x short', '20x short']);
    const byRule = rowsOf(r.adlTable()).find((row) => row[0] === '20x')!;
    assert.equal(byRule[2], 1);
    assert.equal(byRule[3], 1);
    close(byRule[6] as number, 0.5 * H);
    // the steps table gains an 'ADL closed' column (entry notional closed by ADL in the step)
    const st = r.stepsTable(),
      col = st.columns.findIndex((c) => c.name === 'ADL closed');
    assert.ok(col > 0);
    close(rowsOf(st)[0][col] as number, 60_000 + (Q - 0.5) * 110_000);
    // ... and the per-position table lists S3 first (largest haircut)
    assert.equal(rowsOf(r.adlPositionsTable())[0][0], 3);
  });

  it('pro-rata: every short in profit closes 21.8% of its size', () => {
    const r = run('pro-rata');
    // all four shorts are in profit at P; they hold 4.5 BTC: f = 0.981374 / 4.5 = 0.218083037
    const f = Q / 4.5;
    const sizes = [0, 1, 2, 0.5, 1];
    for (const i of [1, 2, 3, 4]) {
      close(r.raw.adlLog.qty[i], f * sizes[i]);
      close(r.raw.adlLog.haircut[i], f * sizes[i] * H);
    }
    // haircuts: S1 453.047, S2 906.094, S3 226.523, S4 453.047; total 2038.711
    close(r.raw.adlLog.haircut[2], 906.0939923774309);
    close(r.raw.adlHaircut[0], A);
    close(r.summary.oiAfter, 565_000 - 100_000 - f * (110_000 + 200_000 + 60_000 + 95_000));
  });

  it('ADL takes only what the winners hold; the rest stays unsocialised', () => {
    // only S4 (1 BTC @ 95,000) as counterparty: Q = 0.981 < 1 BTC, so it still covers;
    // with S4 of 0.5 BTC: 0.5 x h = 1038.70 socialised, 1000.01 left
    const b = positionBook([
      { side: 'long', size: 1, entry: 100_000, leverage: 10, mmr: 0.005 },
      { side: 'short', size: 0.5, entry: 95_000, leverage: 10, mmr: 0.005 },
    ]);
    const r = cascade({
      book: b,
      mode: 'simulate',
      start: 100_000,
      shock: -0.12,
      steps: 1,
      impact: thin,
      adl: 'queue',
    });
    close(r.raw.adlLog.qty[1], 0.5);
    close(r.raw.adlHaircut[0], 0.5 * H);
    close(r.raw.adlUnsocialised[0], A - 0.5 * H);
    assert.equal(r.raw.remaining[1], 0);
  });

  it("'amount' (the default) records the same ADL amount and closes nothing", () => {
    const r = cascade({ book: book(), mode: 'simulate', start: 100_000, shock: -0.12, steps: 1, impact: thin });
    close(r.summary.adl, A);
    assert.deepEqual(Array.from(r.raw.remaining), [0, 1, 2, 0.5, 1]);
  });
});

describe('cascade: mark price vs trade price', () => {
  // C: long 1 BTC @ 100,000, 10x, m 0.5%, all of its margin in a collateral token;
  // U: the same position margined in USDT. Liquidation price at par 100000 x 0.9 / 0.995 = 90452.26.
  // With the collateral marked at 0.65 on this venue, C's margin counts k = 0.65:
  // liq = 100000 (1 - 0.065) / 0.995 = 93969.85, bankruptcy 100000 (1 - 0.065) = 93,500.
  const book = () =>
    positionBook([
      { side: 'long', size: 1, entry: 100_000, leverage: 10, mmr: 0.005, collateral: 1 },
      { side: 'long', size: 1, entry: 100_000, leverage: 10, mmr: 0.005 },
    ]);
  // three days; the traded low is 93,000 on day 1 and 92,000 on day 2, never near 90,452
  const path = {
    open: [100_000, 96_000, 94_000],
    high: [100_500, 96_500, 95_000],
    low: [95_000, 93_000, 92_000],
    close: [96_000, 94_000, 94_500],
  };

  it('a collateral shock on one venue liquidates a position the trade price would not have', () => {
    const r = cascade({
      book: book(),
      mode: 'replay',
      path,
      impact: thin,
      collateral: { value: [1, 0.65, 1], name: 'USDe' },
    });
    // day 1: the mark reaches 93,000 <= 93969.85: C goes; U (90452.26) does not
    assert.deepEqual(Array.from(r.raw.evPos), [0]);
    assert.deepEqual(Array.from(r.raw.evStep), [1]);
    // replay without feedback: C sells 93,000 USDT at the low: x = 0.093%, fill 93000 e^-0.000465 = 92956.765053;
    // residual 0.65 x 10,000 + (92956.77 - 100,000) = -543.234947 (below the 93,500 bankruptcy price)
    close(r.raw.evFill[0], 92956.76505290424);
    close(r.summary.badDebt, 543.2349470957561);
    // without the collateral path (or on another venue) nothing is liquidated
    const other = cascade({ book: book(), mode: 'replay', path, impact: thin });
    assert.equal(other.raw.evPos.length, 0);
  });

  it('an EMA mark does not follow a one-day wick that the trade price reaches', () => {
    // U alone; a day whose low 90,000 is below U's 90452.26, closing back at 99,000
    const b = positionBook([{ side: 'long', size: 1, entry: 100_000, leverage: 10, mmr: 0.005 }]);
    const wick = { open: [100_000], high: [100_000], low: [90_000], close: [99_000] };
    assert.equal(cascade({ book: b, mode: 'replay', path: wick, impact: thin }).raw.evPos.length, 1);
    // EMA with a half-life of 1 step: a = 1 - 2^-1 = 0.5; at the low the mark is 100000 + 0.5 (90000 - 100000) = 95,000
    const r = cascade({ book: b, mode: 'replay', path: wick, impact: thin, mark: { rule: 'ema', halfLife: 1 } });
    assert.equal(r.raw.evPos.length, 0);
    close(r.raw.markLow[0], 95_000);
    // an index of two venues, the other at the exogenous path: in a replay without feedback the
    // index is the trade price; with a stated ratio of 1.02 for the other venues at the low,
    // mark = 0.5 x 90000 + 0.5 x 90000 x 1.02 = 90,900 > 90452.26: no liquidation
    const idx = cascade({
      book: b,
      mode: 'replay',
      path: wick,
      impact: thin,
      mark: { rule: 'index', weight: 0.5, others: [1.02] },
    });
    assert.equal(idx.raw.evPos.length, 0);
    close(idx.raw.markLow[0], 90_900);
    // a stated mark series below the trade: ratio 0.9 -> mark at the open 90,000 <= 90452.26: liquidated at the open
    const ser = cascade({
      book: b,
      mode: 'replay',
      path: { ...wick, low: [99_000] },
      impact: thin,
      mark: { rule: 'series', values: [0.9], kind: 'ratio' },
    });
    assert.equal(ser.raw.evPos.length, 1);
    close(ser.raw.cpMark[ser.raw.evCp[0]], 90_000);
  });

  it('rejects bad mark and collateral inputs with a clear message', () => {
    assert.throws(
      () => cascade({ book: book(), mode: 'replay', path, collateral: { value: [1, 1.2, 1] } }),
      /haircut path/,
    );
    assert.throws(
      () => cascade({ book: book(), mode: 'replay', path, collateral: { value: [1, 1] } }),
      /2 values for 3 steps/,
    );
    assert.throws(
      () =>
        cascade({
          book: positionBook([{ side: 'long', size: 1, entry: 100, leverage: 5 }]),
          mode: 'replay',
          path,
          collateral: { value: [1, 1, 1] },
        }),
      /positions post it/,
    );
    assert.throws(
      () => cascade({ book: book(), mode: 'replay', path, mark: { rule: 'ema', halfLife: 0 } }),
      /halfLife/,
    );
    assert.throws(() => cascade({ book: book(), mode: 'replay', path, adl: 'fifo' as any }), /adl must be/);
    assert.throws(() => cascade({ book: book(), mode: 'replay', path, liquidity: { maxWithdraw: 1 } }), /maxWithdraw/);
  });
});
