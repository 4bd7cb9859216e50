/**
 * Replay of the January-February 2026 sell-off on the real BTC path
 * (samples/data/BTC-USD.csv, the project's copy of the shared data), read with a tiny local parser.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildBook,
  cascade,
  cascadeReference,
  compareRuns,
  runEngine,
  type PathArrays,
} from '../../../src/market/cascade';
import { CHART_MIME, DISPLAY, TABLE_MIME, TEXT_MIME, validateChart, validateTable } from '../../../src/shared/schemas';

function dataFile(name: string): string {
  return join(__dirname, '../../../samples/data', name);
}

/** date,open,high,low,close,... -> arrays between from and to (inclusive, ISO strings compare). */
function readOHLC(
  from: string,
  to: string,
): PathArrays & { time: string[]; high: number[]; low: number[]; close: number[]; open: number[] } {
  const [head, ...lines] = readFileSync(dataFile('BTC-USD.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = head.split(',');
  const ix = (n: string) => cols.indexOf(n);
  const out = {
    time: [] as string[],
    open: [] as number[],
    high: [] as number[],
    low: [] as number[],
    close: [] as number[],
  };
  for (const l of lines) {
    const f = l.split(',');
    if (f[0] < from || f[0] > to) continue;
    out.time.push(f[0]);
    out.open.push(+f[ix('open')]);
    out.high.push(+f[ix('high')]);
    out.low.push(+f[ix('low')]);
    out.close.push(+f[ix('close')]);
  }
  return out;
}

function readCME(): { time: string[]; value: number[] } {
  const [, ...lines] = readFileSync(dataFile('CME_BTC_OI_WEEKLY.csv'), 'utf8').trim().split(/\r?\n/);
  return { time: lines.map((l) => l.split(',')[0]), value: lines.map((l) => +l.split(',')[1]) };
}

describe('cascade: replay of the Jan-Feb 2026 BTC sell-off (real data)', () => {
  const build = readOHLC('2025-10-01', '2026-01-10');
  const path = readOHLC('2026-01-11', '2026-02-28');
  const book = buildBook({
    path: build,
    totalOI: 8e9,
    leverageMix: { 5: 0.3, 10: 0.3, 25: 0.25, 50: 0.15 },
    longShare: 0.65,
    seed: 1,
    count: 20_000,
    oi: readCME(),
  });

  it('builds the stated book: OI, long share, survivors only', () => {
    assert.equal(build.time.length, 102);
    assert.equal(path.time.length, 49);
    const oi = book.oi();
    assert.ok(Math.abs(oi.total - 8e9) < 1e-3, `OI ${oi.total}`);
    assert.ok(Math.abs(oi.long / oi.total - 0.65) < 1e-12);
    // survivorship: no long's liquidation price was reached between its entry day's close and 2026-01-10
    const idx = new Map(build.time.map((t, k) => [Date.parse(t + 'T00:00:00Z'), k]));
    for (let i = 0; i < book.n; i++) {
      const d = idx.get(book.opened[i])!;
      assert.ok(d !== undefined);
      let lo = build.close[d],
        hi = build.close[d];
      for (let k = d + 1; k < build.time.length; k++) {
        lo = Math.min(lo, build.low[k]);
        hi = Math.max(hi, build.high[k]);
      }
      if (book.side[i] === 1) assert.ok(book.liq[i] < lo);
      else assert.ok(book.liq[i] > hi);
      assert.ok(book.entry[i] >= build.low[d] && book.entry[i] <= build.high[d]);
    }
    assert.equal(book.meta.refPrice, 90386.65);
  });

  it('is deterministic for a seed', () => {
    const mk = (seed: number) => buildBook({ path: build, totalOI: 1e9, count: 3000, seed, oi: readCME() });
    const a = mk(11),
      b = mk(11),
      c = mk(12);
    for (const k of ['side', 'size', 'entry', 'leverage', 'mmr', 'liq', 'opened'] as const)
      assert.deepEqual(a[k], b[k], k);
    assert.notDeepEqual(a.entry, c.entry);
  });

  it('scales the book to CME open interest: last OI x 5 BTC x last close x multiple', () => {
    // last CME OI on or before 2026-01-10 is 22,168 contracts (2026-01-06); close 2026-01-10 = 90,386.65
    const b = buildBook({ path: build, oi: readCME(), scaleToOI: { multiple: 0.5 }, count: 2000, seed: 3 });
    const expected = 22168 * 5 * 90386.65 * 0.5; // 5,009,228,142.9
    assert.ok(Math.abs(b.oi().total - expected) < 1e-3, `${b.oi().total}`);
    assert.ok(b.meta.assumptions.join(' ').includes('22168 on 2026-01-06'));
    assert.throws(() => buildBook({ path: build, scaleToOI: { multiple: 1 } }), /needs the oi series/);
  });

  it('each long goes on the first day whose low reaches its price, each short on the first high', () => {
    const r = cascade({
      book,
      mode: 'replay',
      path,
      impact: { model: 'sqrt', sigma: 0.03, volume: 30e9, halfLife: 1 },
    });
    // independent expectation from the CSV: first day with low <= liq (long) or high >= liq (short)
    const expected = new Int32Array(book.n).fill(-1);
    for (let i = 0; i < book.n; i++) {
      for (let t = 0; t < path.time.length; t++) {
        const hit =
          book.side[i] === 1
            ? Math.min(path.low[t], path.open[t]) <= book.liq[i]
            : Math.max(path.high[t], path.open[t]) >= book.liq[i];
        if (hit) {
          expected[i] = t;
          break;
        }
      }
    }
    const got = new Int32Array(book.n).fill(-1);
    for (let k = 0; k < r.raw.evPos.length; k++) if (got[r.raw.evPos[k]] < 0) got[r.raw.evPos[k]] = r.raw.evStep[k];
    assert.deepEqual(got, expected);
    // the period's low 60,074.20 (2026-02-06) is below every long's price: all longs go; shorts above 97,860.60 survive
    assert.equal(Math.min(...path.low), 60074.2);
    let longs = 0,
      shortsLeft = 0;
    for (let i = 0; i < book.n; i++) {
      if (book.side[i] === 1) longs++;
      else if (book.liq[i] > 97860.6) shortsLeft++;
    }
    assert.equal(r.raw.evPos.filter((i) => book.side[i] === 1).length, longs);
    let survivingShorts = 0;
    for (let i = 0; i < book.n; i++) if (book.side[i] === -1 && r.raw.remaining[i] > 0) survivingShorts++;
    assert.equal(survivingShorts, shortsLeft);
    // the layers go in leverage order: 50x longs first, 5x last
    const first = (lev: string) => r.layers.find((l) => l.leverage === lev && l.side === 'long')!.firstStep;
    assert.ok(first('50x') <= first('25x') && first('25x') <= first('10x') && first('10x') <= first('5x'));
    // the biggest long-liquidation day is in the late-January / early-February break
    let best = 0;
    for (let t = 1; t < path.time.length; t++) if (r.raw.liqLongNotional[t] > r.raw.liqLongNotional[best]) best = t;
    assert.ok(path.time[best] >= '2026-01-29' && path.time[best] <= '2026-02-06', path.time[best]);
    // the mark follows history without feedback
    assert.deepEqual(Array.from(r.raw.close), path.close);
  });

  it('with feedback and a circuit breaker: halts on 2026-02-05, nothing liquidates while halted, sweep = reference', () => {
    const o = {
      book,
      mode: 'replay' as const,
      path,
      feedback: true,
      impact: { model: 'sqrt' as const, sigma: 0.03, volume: 10e9, halfLife: 1 },
      circuitBreaker: { move: 0.1, within: 1, halt: 1 },
      partial: { above: 5e6, fraction: 0.2 },
    };
    const r = runEngine(o);
    const halts = path.time.filter((_, t) => r.haltTriggered[t]);
    // the first day that moves more than 10% from the previous close is 2026-02-05 (low 62,353.54 vs 73,019.70)
    // (with feedback the marks sit a little below history, so an earlier day could qualify: check the first halt is no later)
    assert.ok(halts.length >= 1 && halts[0] <= '2026-02-05', halts.join(','));
    for (let t = 0; t < r.steps; t++)
      if (r.halted[t] && !r.haltTriggered[t]) assert.equal(r.liqLongCount[t] + r.liqShortCount[t], 0);
    const cmp = compareRuns(r, cascadeReference(o));
    assert.ok(cmp.equal, cmp.details.join('\n'));
    // feedback pushes the mark below the historical low
    assert.ok(Math.min(...Array.from(r.low)) < 60074.2);
  });

  it('displays a summary table, the layers table and three charts (the replay animated)', () => {
    const r = cascade({ book, mode: 'replay', path, label: 'Jan-Feb 2026' });
    const items = r[DISPLAY]();
    const tables = items.filter((i) => i.mime === TABLE_MIME),
      charts = items.filter((i) => i.mime === CHART_MIME);
    assert.equal(tables.length, 2);
    assert.equal(charts.length, 3);
    assert.ok(items.some((i) => i.mime === TEXT_MIME && String(i.data).includes('Liquidation cascade')));
    for (const t of tables) assert.deepEqual(validateTable(t.data), []);
    for (const c of charts) assert.deepEqual(validateChart(c.data), []);
    const anim = r.charts.replay.figure;
    assert.equal(anim.frames!.length, 49);
    const layout = anim.layout as any;
    assert.equal(layout.sliders[0].steps.length, 49);
    assert.equal(layout.updatemenus[0].buttons[0].label, 'Play');
    assert.equal(layout.updatemenus[0].buttons[0].method, 'animate');
    // dates are ISO strings; the last frame's price path ends at the last close
    const lastFrame = anim.frames![48] as any;
    assert.equal(lastFrame.data[0].x[48], '2026-02-28');
    assert.equal(lastFrame.data[0].y[48], 66995.86);
    const pathFig = r.charts.path.figure;
    const bars = pathFig.data.filter((d) => d.type === 'bar');
    assert.equal(bars.length, 2);
    assert.equal((bars[0].x as string[])[0], '2026-01-11');
    // the level map holds the whole book's notional
    const lv = r.charts.levels.figure.data;
    const total = lv.reduce((s, tr) => s + (tr.y as number[]).reduce((a, b) => a + b, 0), 0);
    assert.ok(Math.abs(total - 8e9) / 8e9 < 0.01, `level map holds ${total}`);
    // JSON-serialisable and compact enough for a notebook
    const size = JSON.stringify(items.filter((i) => i.mime !== TEXT_MIME).map((i) => i.data)).length;
    assert.ok(size < 2_000_000, `${size} bytes`);
  });

  it('simulate from the book: amplification, by-leverage breakdown, breaker comparison', () => {
    // half of each move reverts as the depth refills (half-life 2 steps)
    const impact = { model: 'sqrt' as const, sigma: 0.03, volume: 3e9, halfLife: 2, permanent: 0.5 };
    const free = cascade({ book, mode: 'simulate', shock: -0.06, steps: 10, impact });
    const cb = cascade({
      book,
      mode: 'simulate',
      shock: -0.06,
      steps: 10,
      impact,
      circuitBreaker: { move: 0.07, within: 1, halt: 3 },
    });
    assert.equal(free.summary.startPrice, 90386.65);
    assert.ok(free.summary.amplification > 1);
    assert.ok(Math.abs(free.summary.amplification - free.summary.finalMove / -0.06) < 1e-12);
    const byLev = free.byLeverage();
    const sum = Object.values(byLev).reduce((s, v) => s + v.long + v.short, 0);
    assert.ok(Math.abs(sum - (free.summary.liquidatedLong + free.summary.liquidatedShort)) < 1e-3);
    assert.equal(free.summary.liquidatedShort, 0);
    assert.ok(cb.summary.halts >= 1);
    // in this configuration the halt lets the depth refill and the transient impact revert before
    // the rest is liquidated: a shallower trough and less liquidated (an outcome, not a theorem:
    // with fully permanent square-root impact the deferred orders meet a thin top of book again)
    assert.ok(
      cb.summary.troughMove > free.summary.troughMove,
      `${cb.summary.troughMove} vs ${free.summary.troughMove}`,
    );
    assert.ok(cb.summary.liquidatedLong < free.summary.liquidatedLong);
    // with transient impact the price recovers after the cascade
    assert.ok(free.summary.finalPrice > free.summary.minPrice);
    // simulate's animation steps through rounds
    assert.ok(free.charts.replay.figure.frames!.length >= free.summary.rounds);
  });
});
