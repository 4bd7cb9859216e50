/**
 * The October 2025 preset on the real BTC path (samples/data/BTC-USD.csv): the calibration
 * hits the public totals it claims to, checked independently of the engine (the long
 * liquidations recomputed from the book and the day's low), and states its assumptions.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { october2025, OCTOBER_2025_PUBLIC, tiersPerAccount, DEFAULT_TIERS } from '../../../src/market/cascade';

function btc(): { time: string[]; open: number[]; high: number[]; low: number[]; close: number[] } {
  const [head, ...lines] = readFileSync(join(__dirname, '../../../samples/data/BTC-USD.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const cols = head.split(',');
  const rows = lines.map((l) => l.split(',')).filter((f) => f[0] >= '2025-06-01' && f[0] <= '2025-10-31');
  const col = (n: string) => rows.map((f) => +f[cols.indexOf(n)]);
  return { time: rows.map((f) => f[0]), open: col('open'), high: col('high'), low: col('low'), close: col('close') };
}

describe('cascade: the October 2025 preset', function () {
  this.timeout(120_000); // calibration builds and bisects; the machine may be shared
  const path = btc();
  const mix = { 3: 0.1, 5: 0.2, 10: 0.3, 25: 0.25, 50: 0.1, 100: 0.05 };
  const oct = october2025({ btc: path, mixes: { high: mix }, count: 20_000 });
  const P = OCTOBER_2025_PUBLIC;

  it('matches the long liquidations and the accounts, recomputed from the book and the daily low', () => {
    const book = oct.books.high,
      k = oct.calibration[0];
    // independently: a long is liquidated in the daily replay iff the low of 10 or 11 October reaches it
    const low = Math.min(path.low![path.time!.indexOf('2025-10-10')], path.low![path.time!.indexOf('2025-10-11')]);
    let liqLong = 0,
      positions = 0;
    for (let i = 0; i < book.n; i++)
      if (book.side[i] === 1 && book.liq[i] >= low) {
        liqLong += book.size[i] * book.entry[i];
        positions++;
      }
    assert.ok(Math.abs(liqLong / P.liquidatedLong - 1) < 0.005, `long liquidated ${liqLong}`);
    assert.ok(Math.abs(k.liquidatedLong - liqLong) <= 1e-6 * liqLong);
    // accounts: liquidated positions (long and short) x accounts per position
    assert.ok(Math.abs(k.accounts / P.accounts - 1) < 0.005, `accounts ${k.accounts}`);
    assert.ok(positions * k.accountsPerPosition <= k.accounts * (1 + 1e-9));
    // the tier table is applied per account: floors scaled by g
    const t = tiersPerAccount(k.accountsPerPosition);
    assert.equal(t[1].floor, DEFAULT_TIERS[1].floor * k.accountsPerPosition);
    // the total OI is what the book holds
    assert.ok(Math.abs(book.oi().total / k.totalOI - 1) < 1e-9);
  });

  it('reports where it does not match: shorts, and the trough jump around the calibrated depth', () => {
    const k = oct.calibration[0];
    assert.ok(k.liquidatedShort < P.liquidatedShort);
    assert.ok(
      k.troughThinner <= k.troughHistory && k.troughHistory <= k.troughModel,
      `${k.troughThinner} ${k.troughHistory} ${k.troughModel}`,
    );
    // the historical trough is the 10 October low against its open
    const d = path.time!.indexOf('2025-10-10');
    assert.ok(Math.abs(k.troughHistory - (path.low![d] / path.open![d] - 1)) < 1e-12);
    // withdrawal at the model's trough close to the reported 98% (the trough stops short of the low)
    assert.ok(k.withdrawnAtTrough > 0.9 && k.withdrawnAtTrough <= 0.99);
  });

  it('states every figure and assumption it used', () => {
    const text = oct.assumptions.join(' ');
    for (const s of [
      '$19.20bn',
      '$16.70bn',
      '$2.50bn',
      '1.6m accounts',
      'depth down 98%',
      'news shock of -5.0%',
      'Insurance fund $25.0m',
      'One market',
    ])
      assert.ok(text.includes(s), s);
    assert.ok(oct.calibrationTable().options.footer!.includes('Public figures'));
  });

  it('queue and pro-rata socialise the same loss on different positions; the breaker halts', () => {
    const q = oct.run('high', { adl: 'queue' }),
      p = oct.run('high', { adl: 'pro-rata' }),
      b = oct.run('high', { breaker: true });
    assert.ok(q.summary.adlHaircut > 0);
    assert.ok(Math.abs(q.summary.adlHaircut / p.summary.adlHaircut - 1) < 1e-9);
    assert.ok(p.summary.adlPositions > q.summary.adlPositions);
    assert.equal(q.summary.troughMove, p.summary.troughMove);
    assert.ok(b.summary.halts >= 1);
    assert.throws(() => oct.run('nope'), /unknown mix/);
    assert.throws(
      () =>
        october2025({
          btc: {
            ...path,
            close: path.close.slice(0, 10),
            open: path.open!.slice(0, 10),
            high: path.high!.slice(0, 10),
            low: path.low!.slice(0, 10),
            time: path.time!.slice(0, 10),
          },
        }),
      /every day/,
    );
  });
});
