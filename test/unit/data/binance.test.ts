/**
 * load() of Binance public-data files, written here from Binance's documented column layouts:
 * spot klines (no header; ms before 2025, µs from 2025-01-01), USD-M futures klines (header),
 * aggTrades and trades of both markets, a zip with one CSV, a glob of monthly files with an
 * overlap and a gap, the format option, and errors naming the file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { load, LoadError } from '../../../src/market/load';
import { Frame } from '../../../src/market/series';
import { setRuntime, runtime } from '../../../src/market/context';
import { tempDirPerSuite } from '../helpers';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

/** n one-minute klines from t0 (ms), times written in `unit`; spot: 12 fields, no header; futures: header. */
function klines(t0: number, n: number, unit: 'ms' | 'us', futures = false): string {
  const k = unit === 'us' ? 1000 : 1;
  const rows = Array.from({ length: n }, (_, i) => {
    const t = t0 + i * MIN,
      p = 100 + i;
    return [t * k, p, p + 2, p - 1, p + 1, 10 + i, (t + MIN - 1) * k, 1000 + i, 5 + i, 4, 400, 0].join(',');
  });
  return (
    (futures
      ? 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n'
      : '') +
    rows.join('\n') +
    '\n'
  );
}

describe('data: load() of Binance public data', function () {
  this.timeout(60_000);
  let dir: string;
  const saved = { ...runtime };
  tempDirPerSuite('mktnb-binance-', (d) => (dir = d));
  before(() => {
    setRuntime({ baseDir: dir });
  });
  after(() => {
    setRuntime(saved);
  });
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };

  it('reads spot klines without a header, in milliseconds', () => {
    const f = load(write('BTCUSDT-1m-2024-01-01.csv', klines(T0, 5, 'ms'))) as Frame;
    assert.ok(f instanceof Frame);
    assert.deepEqual(
      Array.from(f.index),
      [0, 1, 2, 3, 4].map((i) => T0 + i * MIN),
    );
    assert.deepEqual(f.names, [
      'open',
      'high',
      'low',
      'close',
      'volume',
      'close_time',
      'quote_volume',
      'count',
      'taker_buy_volume',
      'taker_buy_quote_volume',
    ]);
    assert.deepEqual(Array.from(f.columns.close), [101, 102, 103, 104, 105]);
    assert.equal(f.columns.close_time[0], T0 + MIN - 1);
    assert.equal(f.meta.symbol, 'BTCUSDT');
    assert.equal(f.meta.interval, '1m');
    assert.equal(f.meta.market, 'spot');
    assert.equal(f.meta.name, 'BTCUSDT-1m');
    assert.deepEqual(f.meta.notes, ['times in milliseconds in the file (converted to epoch ms)']);
    assert.equal(f.close.at(T0 + 2 * MIN), 103);
  });

  it('detects microsecond open times (spot from 2025-01-01) per file and says so', () => {
    const t = Date.UTC(2025, 0, 1);
    const f = load(write('BTCUSDT-1m-2025-01-01.csv', klines(t, 3, 'us'))) as Frame;
    assert.deepEqual(Array.from(f.index), [t, t + MIN, t + 2 * MIN]);
    assert.equal(f.columns.close_time[0], t + MIN - 1);
    assert.deepEqual(f.meta.notes, ['times in microseconds in the file (converted to epoch ms)']);
  });

  it('reads USD-M futures klines with their header', () => {
    const f = load(write('ETHUSDT-1h-2024-02.csv', klines(T0, 4, 'ms', true))) as Frame;
    assert.equal(f.length, 4);
    assert.equal(f.meta.market, 'futures');
    assert.equal(f.columns.open[0], 100);
  });

  it('reads a zip archive holding one CSV, and refuses an archive of several', () => {
    fs.writeFileSync(
      path.join(dir, 'SOLUSDT-1m-2024-03.zip'),
      zipSync({ 'SOLUSDT-1m-2024-03.csv': strToU8(klines(T0, 6, 'ms')) }),
    );
    const f = load('SOLUSDT-1m-2024-03.zip') as Frame;
    assert.equal(f.length, 6);
    assert.equal(f.columns.close[5], 106);
    fs.writeFileSync(
      path.join(dir, 'XRPUSDT-1m-2024-03.zip'),
      zipSync({ 'a.csv': strToU8(klines(T0, 2, 'ms')), 'b.csv': strToU8(klines(T0, 2, 'ms')) }),
    );
    assert.throws(
      () => load('XRPUSDT-1m-2024-03.zip'),
      (e: unknown) => e instanceof LoadError && /XRPUSDT-1m-2024-03\.zip: the archive holds 2 files/.test(e.message),
    );
  });

  it('concatenates a glob of monthly files in date order, reporting overlaps and gaps, across ms and µs files', () => {
    const sub = path.join(dir, 'monthly');
    fs.mkdirSync(sub);
    const dec = Date.UTC(2024, 11, 31, 23, 57);
    // written out of order; the December file overlaps January's first bar; February starts 3 bars late
    fs.writeFileSync(
      path.join(sub, 'BTCUSDT-1m-2025-01.zip'),
      zipSync({ 'BTCUSDT-1m-2025-01.csv': strToU8(klines(Date.UTC(2025, 0, 1), 4, 'us')) }),
    );
    fs.writeFileSync(path.join(sub, 'BTCUSDT-1m-2024-12.csv'), klines(dec, 4, 'ms')); // 23:57 .. 00:00 (overlaps one bar)
    fs.writeFileSync(path.join(sub, 'BTCUSDT-1m-2025-02.csv'), klines(Date.UTC(2025, 0, 1, 0, 7), 2, 'us')); // 00:04..00:06 missing
    const f = load('monthly/BTCUSDT-1m-*') as Frame;
    assert.deepEqual(f.meta.files, ['BTCUSDT-1m-2024-12.csv', 'BTCUSDT-1m-2025-01.zip', 'BTCUSDT-1m-2025-02.csv']);
    assert.equal(f.length, 4 + 3 + 2);
    for (let i = 1; i < f.length; i++) assert.ok(f.index[i] > f.index[i - 1]);
    const notes = (f.meta.notes as string[]).join('\n');
    assert.match(
      notes,
      /time units per file \(converted to epoch ms\): BTCUSDT-1m-2024-12\.csv: milliseconds, BTCUSDT-1m-2025-01\.zip: microseconds/,
    );
    assert.match(
      notes,
      /overlap: 1 row of BTCUSDT-1m-2025-01\.zip \(2025-01-01 \.\. 2025-01-01\) repeat the previous file and were dropped/,
    );
    assert.match(
      notes,
      /gap: 3 1m bars missing between 2025-01-01T00:03:00Z \(BTCUSDT-1m-2025-01\.zip\) and 2025-01-01T00:07:00Z \(BTCUSDT-1m-2025-02\.csv\)/,
    );
    assert.equal(f.close.at(Date.UTC(2025, 0, 1)), 104, "the first file's row is kept where they overlap");
  });

  it('reads aggTrades and trades of spot (no header, is_best_match) and futures (header)', () => {
    const t = Date.UTC(2024, 5, 1);
    const spotAgg = load(
      write(
        'BTCUSDT-aggTrades-2024-06-01.csv',
        [
          `1,67000.5,0.01,10,12,${t},True,True`,
          `2,67001,0.5,13,13,${t},False,True`,
          `3,66999,1.25,14,20,${t + 5},True,True`,
        ].join('\n') + '\n',
      ),
    ) as Frame;
    assert.deepEqual(spotAgg.names, [
      'agg_trade_id',
      'price',
      'quantity',
      'first_trade_id',
      'last_trade_id',
      'is_buyer_maker',
    ]);
    assert.deepEqual(Array.from(spotAgg.columns.is_buyer_maker), [1, 0, 1]);
    assert.deepEqual(Array.from(spotAgg.index), [t, t, t + 5], 'trades may share a millisecond');
    const futAgg = load(
      write(
        'BTCUSDT-aggTrades-2024-06-02.csv',
        `agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n7,100,2,1,3,${t},true\n`,
      ),
    ) as Frame;
    assert.equal(futAgg.meta.market, 'futures');
    assert.equal(futAgg.columns.price[0], 100);
    const trades = load(
      write('ETHUSDT-trades-2025-01-02.csv', `5,3300.1,0.2,660.02,${Date.UTC(2025, 0, 2) * 1000},False,True\n`),
    ) as Frame;
    assert.deepEqual(trades.names, ['id', 'price', 'qty', 'quote_qty', 'is_buyer_maker']);
    assert.equal(trades.index[0], Date.UTC(2025, 0, 2));
    assert.match((trades.meta.notes as string[])[0], /microseconds/);
    const futTrades = load(
      write('ETHUSDT-trades-2024-07.csv', `id,price,qty,quote_qty,time,is_buyer_maker\n9,3000,1,3000,${t},true\n`),
    ) as Frame;
    assert.equal(futTrades.columns.quote_qty[0], 3000);
  });

  it('reads a file of another name with { format }, and names the file when the shape is wrong', () => {
    const f = load(write('my-bars.csv', klines(T0, 3, 'ms')), { format: 'binance-klines' }) as Frame;
    assert.equal(f.length, 3);
    assert.equal(f.meta.name, 'my-bars');
    write('BTCUSDT-1m-2024-05.csv', '1,2,3\n');
    assert.throws(
      () => load('BTCUSDT-1m-2024-05.csv'),
      /BTCUSDT-1m-2024-05\.csv:1: 3 columns, but Binance klines files have 12/,
    );
    assert.throws(() => load('nothing-*.csv', { format: 'binance-klines' }), /no file matches/);
  });
});
