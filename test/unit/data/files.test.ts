/**
 * load() of Parquet (written here by DuckDB) and Arrow IPC (written by apache-arrow): the same
 * Series/Frame as the CSV of the same data, with meta, and clear errors naming file and column.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as arrow from 'apache-arrow';
import { Engine } from '../../../src/data/index';
import { load, LoadError } from '../../../src/market/load';
import { Frame, Series } from '../../../src/market/series';
import { setRuntime, runtime } from '../../../src/market/context';
import { tempDirPerSuite } from '../helpers';

const SAMPLES = path.resolve(__dirname, '../../../samples');

describe('data: load() of Parquet and Arrow files', function () {
  this.timeout(60_000);
  let dir: string;
  let engine: Engine;
  const saved = { ...runtime };
  tempDirPerSuite('mktnb-files-', (d) => (dir = d));
  before(async () => {
    engine = await Engine.open();
    setRuntime({ baseDir: dir });
  });
  after(() => {
    engine.close();
    setRuntime(saved);
  });

  it('round-trips a daily OHLCV file CSV → Parquet → load() to the same Frame', async () => {
    const csv = path.join(SAMPLES, 'data', 'BTC-USD.csv');
    const out = path.join(dir, 'btc.parquet');
    await engine.query(`COPY (SELECT * FROM read_csv('${csv}') ORDER BY date) TO '${out}' (FORMAT parquet)`);
    const a = load(csv) as Frame;
    const b = load('btc.parquet') as Frame;
    assert.ok(b instanceof Frame);
    assert.deepEqual(b.names, a.names);
    assert.deepEqual(Array.from(b.index), Array.from(a.index));
    for (const n of a.names) assert.deepEqual(Array.from(b.columns[n]), Array.from(a.columns[n]), n);
    assert.equal(b.meta.source, out);
    assert.equal(b.meta.name, 'btc');
    assert.equal(b.meta.calendar, 'crypto');
    assert.equal(b.close.name, 'btc');
  });

  it('reads epoch-number dates by magnitude and says which unit; a date,value file gives a Series', async () => {
    const out = path.join(dir, 'us.parquet');
    await engine.query(
      `COPY (SELECT (1704067200000 + range * 60000) * 1000 AS open_time, range * 1.5 AS v FROM range(5)) TO '${out}' (FORMAT parquet)`,
    );
    const s = load(out) as Series;
    assert.ok(s instanceof Series);
    assert.equal(s.index[1], 1704067200000 + 60000);
    assert.deepEqual(s.meta.notes, ['dates from the epoch numbers of "open_time" in microseconds']);
    assert.equal(s.meta.column, 'v');
  });

  it('refuses text columns, files without a date column and broken files, naming file and column', async () => {
    const t = path.join(dir, 'text.parquet');
    await engine.query(
      `COPY (SELECT DATE '2024-01-01' + range::INT AS date, 'x' AS sym, range AS v FROM range(3)) TO '${t}' (FORMAT parquet)`,
    );
    assert.throws(
      () => load(t),
      (e: unknown) =>
        e instanceof LoadError &&
        /column "sym" is VARCHAR, not numeric; pass \{ columns/.test(e.message) &&
        e.file === t,
    );
    assert.deepEqual(Array.from((load(t, { columns: ['v'] }) as Series).values), [0, 1, 2]);
    const nd = path.join(dir, 'nodate.parquet');
    await engine.query(`COPY (SELECT range AS a, range AS b FROM range(3)) TO '${nd}' (FORMAT parquet)`);
    assert.throws(() => load(nd), /nodate\.parquet: no date column/);
    const broken = path.join(dir, 'broken.parquet');
    fs.writeFileSync(broken, 'not parquet at all');
    assert.throws(() => load(broken), /broken\.parquet: not a Parquet file DuckDB can read/);
    assert.equal(fs.readFileSync(broken, 'utf8'), 'not parquet at all');
  });

  it('round-trips Arrow IPC / Feather files with timestamps of every unit, dates, ints and nulls', () => {
    const days = [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)];
    const t = arrow.tableFromArrays(<any>{
      date: arrow.vectorFromArray(
        days.map((d) => new Date(d)),
        new arrow.TimestampMicrosecond(),
      ),
      close: Float64Array.from([1.5, 2.5, 3.5]),
      volume: arrow.vectorFromArray([10n, null, 30n], new arrow.Int64()),
      n: Int32Array.from([1, 2, 3]),
    });
    const f1 = path.join(dir, 'x.feather');
    fs.writeFileSync(f1, arrow.tableToIPC(t, 'file'));
    const f = load('x.feather') as Frame;
    assert.deepEqual(Array.from(f.index), days);
    assert.deepEqual(Array.from(f.columns.close), [1.5, 2.5, 3.5]);
    assert.ok(Number.isNaN(f.columns.volume[1]));
    assert.equal(f.columns.volume[2], 30);
    assert.deepEqual(Array.from(f.columns.n), [1, 2, 3]);
    for (const [Type, name] of [
      [arrow.TimestampSecond, 's'],
      [arrow.TimestampMillisecond, 'ms'],
      [arrow.TimestampNanosecond, 'ns'],
      [arrow.DateDay, 'day'],
    ] as const) {
      const u = arrow.tableFromArrays(<any>{
        date: arrow.vectorFromArray(
          days.map((d) => new Date(d)),
          new (Type as any)(),
        ),
        v: Float64Array.from([1, 2, 3]),
      });
      fs.writeFileSync(path.join(dir, `u-${name}.arrow`), arrow.tableToIPC(u, 'file'));
      assert.deepEqual(Array.from((load(`u-${name}.arrow`) as Series).index), days, name);
    }
    const sym = arrow.tableFromArrays(<any>{
      date: arrow.vectorFromArray(
        days.map((d) => new Date(d)),
        new arrow.DateDay(),
      ),
      s: ['a', 'b', 'c'],
    });
    fs.writeFileSync(path.join(dir, 'sym.arrow'), arrow.tableToIPC(sym, 'file'));
    assert.throws(() => load('sym.arrow'), /sym\.arrow: column "s" is Dictionary<Int32, Utf8>, not numeric/);
  });

  it('unsorted or duplicated dates are handled as for CSV', async () => {
    const out = path.join(dir, 'desc.parquet');
    await engine.query(
      `COPY (SELECT DATE '2024-01-10' - range::INT AS date, range AS v FROM range(4)) TO '${out}' (FORMAT parquet)`,
    );
    const s = load(out) as Series;
    assert.deepEqual(s.dates(), ['2024-01-07', '2024-01-08', '2024-01-09', '2024-01-10']);
    assert.match(String((s.meta.notes as string[]).join()), /descending order; rows were reversed/);
  });
});
