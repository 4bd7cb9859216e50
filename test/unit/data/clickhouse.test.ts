/**
 * SQL on a real ClickHouse server (Debian's 18.16, started by clickhouse-server.ts): the same
 * queries on ClickHouse and on DuckDB over the same 10^6 minute bars give identical Frames;
 * values become typed literals through chLiteral (fuzzed against the server itself); the
 * result cap, cancel on the server, rows-read progress, and each failure in words.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ClickHouse } from '../../../src/data/clickhouse';
import { type ClickHouseQueryError, parseServerError } from '../../../src/data/clickhouseErrors';
import { bindValues, chLiteral, chParam } from '../../../src/data/clickhouseLiterals';
import { columnType, zonedToEpoch } from '../../../src/data/clickhouseFields';
import { configureConnections, on } from '../../../src/data/connections';
import { Engine } from '../../../src/data/engine';
import { sqlBinding, sqlConnection, sqlDirectives } from '../../../src/shared/sqlcell';
import type { Frame } from '../../../src/market/series';
import {
  CH_PASSWORD,
  CH_USER,
  duckdbBarsSql,
  freePort,
  loadBars,
  startClickHouse,
  BARS_START,
  type TestServer,
} from './clickhouse-server';

const N = 1_000_000;

function sameFrame(a: Frame, b: Frame, what: string): void {
  assert.equal(a.length, b.length, `${what}: rows`);
  assert.deepEqual(a.names, b.names, `${what}: columns`);
  assert.deepEqual(a.meta.indexColumn, b.meta.indexColumn, `${what}: index column`);
  assert.deepEqual(Array.from(a.index), Array.from(b.index), `${what}: index`);
  for (const n of a.names) assert.deepEqual(Array.from(a.columns[n]), Array.from(b.columns[n]), `${what}: column ${n}`);
}

describe('ClickHouse: literals and parsing (no server)', () => {
  it('reads "-- as NAME" and "-- on NAME" in the leading lines, in either order or on one line', () => {
    const d = (code: string) => {
      const x = sqlDirectives(code);
      return [x.as?.name, x.on?.name, x.on?.line, x.on?.column];
    };
    assert.deepEqual(d('-- on desk\nSELECT 1'), [undefined, 'desk', 1, 6]);
    assert.deepEqual(d('\n-- as bars\n  --  ON  desk \nSELECT 1'), ['bars', 'desk', 3, 10]);
    assert.deepEqual(d('-- as bars on desk\nSELECT 1'), ['bars', 'desk', 1, 14]);
    assert.deepEqual(d('-- on desk as bars\nSELECT 1'), ['bars', 'desk', 1, 6]);
    assert.deepEqual(
      d('-- a comment\n-- on desk\nSELECT 1'),
      [undefined, undefined, undefined, undefined],
      'directives lead the cell',
    );
    assert.deepEqual(d('SELECT 1 -- on desk'), [undefined, undefined, undefined, undefined]);
    assert.equal(sqlConnection('-- on 9x\nSELECT 1')?.valid, false);
    assert.equal(sqlBinding('-- on desk\n-- as bars\nSELECT 1')?.name, 'bars');
  });

  it('writes typed literals, refuses what has none', () => {
    assert.equal(chLiteral(1.5), '1.5');
    assert.equal(chLiteral(-2), '(-2)');
    assert.equal(chLiteral(-0), '0');
    assert.equal(chLiteral(5e-324), "reinterpretAsFloat64(unhex('0100000000000000'))");
    assert.equal(chLiteral(12345678901234567890n), '12345678901234567890');
    assert.equal(chLiteral("it's a \\ test\n"), "'it\\'s a \\\\ test\\x0a'");
    assert.equal(chLiteral(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), "toDateTime('2024-01-02 03:04:05', 'UTC')");
    assert.equal(chLiteral([1, 'a', null, true]), "[1, 'a', NULL, 1]");
    assert.throws(() => chLiteral(NaN), /not a finite number/);
    assert.throws(() => chLiteral(Infinity), /not a finite number/);
    assert.throws(() => chLiteral('\ud800x'), /lone surrogate/);
    assert.throws(() => chLiteral(undefined), /got undefined/);
    assert.throws(() => chLiteral({ a: 1 }), /got Object/);
    assert.throws(() => chLiteral(new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 5))), /has milliseconds/);
    assert.throws(() => chLiteral(new Date(Date.UTC(1969, 11, 31))), /outside ClickHouse's DateTime range/);
    assert.throws(() => chLiteral(new Date(NaN)), /invalid Date/);
  });

  it('binds {pN:Type} parameters for servers that have them, literals for those that do not', () => {
    const strs = Object.assign(['SELECT ', ' + ', ' FROM t WHERE ts >= ', ''], { raw: [] });
    const when = new Date(Date.UTC(2024, 0, 1));
    assert.deepEqual(bindValues(strs, [1, 2.5, when], true), {
      text: "SELECT {p1:Int64} + {p2:Float64} FROM t WHERE ts >= {p3:DateTime('UTC')}",
      params: { p1: 1, p2: 2.5, p3: '2024-01-01 00:00:00' },
    });
    assert.deepEqual(bindValues(strs, [1, 2.5, when], false), {
      text: "SELECT 1 + 2.5 FROM t WHERE ts >= toDateTime('2024-01-01 00:00:00', 'UTC')",
      params: {},
    });
    assert.deepEqual(chParam(new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 250))), {
      type: "DateTime64(3, 'UTC')",
      value: '2024-01-01 00:00:00.250',
    });
    assert.deepEqual(chParam('x'), { type: 'String', value: 'x' });
  });

  it('reads the types of the TSV header, and wall times in a zone', () => {
    assert.deepEqual(columnType('Nullable(Float64)'), { parse: 'num' });
    assert.deepEqual(columnType('LowCardinality(Nullable(String))'), { parse: 'text' });
    assert.deepEqual(columnType("DateTime('Asia/Tokyo')"), { parse: 'datetime', zone: 'Asia/Tokyo' });
    assert.deepEqual(columnType("DateTime64(3, 'UTC')"), { parse: 'datetime', zone: 'UTC' });
    assert.deepEqual(columnType('Decimal(18, 2)'), { parse: 'num' });
    assert.deepEqual(columnType('Date'), { parse: 'date' });
    assert.equal(zonedToEpoch(2024, 1, 1, 9, 0, 0, 0, 'Asia/Tokyo'), Date.UTC(2024, 0, 1, 0, 0, 0));
    assert.equal(zonedToEpoch(2024, 7, 1, 12, 0, 0, 0, 'Europe/London'), Date.UTC(2024, 6, 1, 11, 0, 0));
    assert.deepEqual(
      parseServerError(
        'Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 8: x, e.what() = DB::Exception',
      ),
      { code: 62, message: 'Syntax error: failed at position 8: x' },
    );
  });
});

describe('ClickHouse: a real server (18.16) beside DuckDB', function () {
  this.timeout(180_000);
  let server: TestServer;
  let ch: ClickHouse;
  let duck: Engine;

  before(async () => {
    server = await startClickHouse();
    await loadBars(server, 'bars', N);
    ch = new ClickHouse({
      name: 'desk',
      engine: 'clickhouse',
      url: server.url,
      user: CH_USER,
      password: CH_PASSWORD,
      passwordSource: 'the test',
    });
    duck = await Engine.open({ threads: 1 });
    await duck.connection.run(duckdbBarsSql('bars', N));
  });
  after(async () => {
    await ch?.close();
    duck?.close();
    await server?.stop();
  });

  it('knows the server: 18.16, no query parameters', async () => {
    const info = await ch.serverInfo();
    assert.match(info.version, /^18\.16\./);
    assert.equal(await ch.supportsParams(), false);
  });

  it('a raw fetch of all 10^6 bars gives the Frame DuckDB gives (values, dates, order)', async () => {
    const q = 'SELECT ts, open, high, low, close, volume FROM bars ORDER BY ts';
    const a = await ch.query(q);
    const b = await duck.query(q);
    assert.equal(a.length, N);
    assert.equal(a.index[0], BARS_START * 1000);
    assert.equal(a.index[N - 1], (BARS_START + (N - 1) * 60) * 1000);
    sameFrame(a, b, 'raw fetch');
    assert.ok(a.columns.close instanceof Float64Array);
    assert.deepEqual(a.meta.types, {
      ts: "DateTime('UTC')",
      open: 'Float64',
      high: 'Float64',
      low: 'Float64',
      close: 'Float64',
      volume: 'Float64',
    });
  });

  it('aggregations, dates and integers match DuckDB', async () => {
    const hourly = await ch.query(
      'SELECT toStartOfHour(ts) AS h, max(high) AS hi, min(low) AS lo, sum(volume) AS vol, count() AS n FROM bars GROUP BY h ORDER BY h',
    );
    const hourlyDuck = await duck.query(
      "SELECT date_trunc('hour', ts) AS h, max(high) AS hi, min(low) AS lo, sum(volume) AS vol, count(*) AS n FROM bars GROUP BY h ORDER BY h",
    );
    assert.equal(hourly.length, Math.ceil(N / 60));
    sameFrame(hourly, hourlyDuck, 'hourly');
    const daily = await ch.query(
      'SELECT * FROM (SELECT toDate(ts) AS d, argMax(close, ts) AS last FROM bars GROUP BY d ORDER BY d DESC LIMIT 30) ORDER BY d',
    );
    const dailyDuck = await duck.query(
      'SELECT * FROM (SELECT CAST(ts AS DATE) AS d, arg_max(close, ts) AS last FROM bars GROUP BY d ORDER BY d DESC LIMIT 30) ORDER BY d',
    );
    assert.equal(daily.length, 30);
    assert.equal(daily.index[29], Date.UTC(2025, 10, 25), 'the last day of the bars, at UTC midnight');
    sameFrame(daily, dailyDuck, 'daily');
    // a result ordered by a non-time column keeps the server's row order
    const top = await ch.query('SELECT volume, close FROM bars ORDER BY volume DESC, close LIMIT 50');
    sameFrame(
      top,
      await duck.query('SELECT volume, close FROM bars ORDER BY volume DESC, close LIMIT 50'),
      'ORDER BY volume DESC',
    );
  });

  it('sql.on(name) binds ${} values as literals on 18.16 and gives what DuckDB gives with bound parameters', async () => {
    configureConnections([
      { name: 'desk', engine: 'clickhouse', url: server.url, user: CH_USER, password: CH_PASSWORD },
    ]);
    const from = new Date(Date.UTC(2024, 1, 1));
    const a = await on(
      'desk',
    )`SELECT ts, close FROM bars WHERE ts >= ${from} AND close > ${1_004_000.5} AND ${"it's"} != '' ORDER BY ts LIMIT 1000`;
    const r = await duck.connection.run(
      "SELECT ts, close FROM bars WHERE ts >= TIMESTAMP '2024-02-01' AND close > 1004000.5 ORDER BY ts LIMIT 1000",
    );
    const b = await duck.query(
      "SELECT ts, close FROM bars WHERE ts >= TIMESTAMP '2024-02-01' AND close > 1004000.5 ORDER BY ts LIMIT 1000",
    );
    assert.equal(r.rowCount, 1000);
    sameFrame(a, b, 'parameters');
    await assert.rejects(() => on('nope')`SELECT 1`, /no connection named "nope"/);
  });

  it('fuzz: every string, number and date comes back from the server as it was sent, and nothing escapes its literal', async () => {
    const exact = async (lits: string[]): Promise<unknown[]> =>
      JSON.parse(await server.sql(`SELECT [${lits.join(', ')}] AS v FORMAT JSONEachRow`)).v;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 1, maxLength: 40 }),
        async (strs) => {
          assert.deepEqual(await exact(strs.map(chLiteral)), strs);
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 40 }),
        async (xs) => {
          const back = await exact(xs.map((x) => `toFloat64(${chLiteral(x)})`));
          assert.deepEqual(
            back.map(Number),
            xs.map((x) => (Object.is(x, -0) ? 0 : x)),
          );
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4291747199 }), { minLength: 1, maxLength: 40 }),
        async (secs) => {
          const back = await exact(secs.map((s) => `toUInt32(${chLiteral(new Date(s * 1000))})`));
          assert.deepEqual(back.map(Number), secs);
        },
      ),
      { numRuns: 30 },
    );
    assert.equal((await server.sql('SELECT count() FROM bars')).trim(), String(N), 'the table is still there');
  });

  it('shows text columns in the table, and says a Frame cannot hold them', async () => {
    const r = await ch.run("SELECT number AS i, concat('a\\tb', toString(number)) AS s FROM system.numbers LIMIT 3");
    assert.deepEqual(r!.table('t').toJSON().rows, [
      [0, 'a\tb0'],
      [1, 'a\tb1'],
      [2, 'a\tb2'],
    ]);
    assert.throws(() => r!.toFrame('x'), /column "s" is String: query results become Float64Array columns/);
  });

  it('caps the result: asks for a LIMIT instead of filling memory', async () => {
    await assert.rejects(
      () => ch.query('SELECT ts, close FROM bars', {}, { maxRows: 1000 }),
      (e: ClickHouseQueryError) => {
        assert.equal(e.kind, 'too-large');
        assert.match(e.message, /more than 1,000 rows.*add a LIMIT/);
        return true;
      },
    );
    assert.equal(
      (await ch.query('SELECT ts, close FROM bars ORDER BY ts LIMIT 1000', {}, { maxRows: 1000 })).length,
      1000,
    );
  });

  it('Stop cancels the query on the server, after reporting rows read', async () => {
    const progress: number[] = [];
    const p = ch.query(
      'SELECT count() AS n FROM system.numbers WHERE number % 3 = 7',
      {},
      { onProgress: (x) => progress.push(x.rowsRead) },
    );
    // wait until the server reports rows read, then stop
    for (let i = 0; i < 100 && !progress.some((r) => r > 0); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(
      progress.some((r) => r > 0),
      `rows read were reported: ${progress}`,
    );
    ch.interrupt();
    await assert.rejects(p, (e: ClickHouseQueryError) => {
      assert.equal(e.kind, 'cancelled');
      assert.match(e.message, /stopped/);
      return true;
    });
    let left = '1';
    for (let i = 0; i < 50 && left !== '0'; i++) {
      left = (
        await server.sql(
          "SELECT count() FROM system.processes WHERE query LIKE '%number % 3 = 7%' AND query NOT LIKE '%system.processes%'",
        )
      ).trim();
      if (left !== '0') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(left, '0', 'the query no longer runs on the server');
  });

  it('errors: a syntax error with its code and place; bad password, unreachable server and timeout in words', async () => {
    await assert.rejects(
      () => ch.run('-- on desk\nSELECT (close FROM bars'),
      (e: ClickHouseQueryError) => {
        assert.equal(e.kind, 'server');
        assert.equal(e.code, 62);
        assert.match(e.message, /^ClickHouse error 62: Syntax error: failed at position 26/);
        assert.doesNotMatch(e.message, /TabSeparated/);
        assert.deepEqual([e.line, e.column], [2, 15]);
        return true;
      },
    );
    await assert.rejects(
      () => ch.run('SELECT nope FROM bars'),
      (e: ClickHouseQueryError) => e.code === 47 && /Unknown identifier: nope/.test(e.message),
    );
    const bad = new ClickHouse({
      name: 'desk',
      engine: 'clickhouse',
      url: server.url,
      user: CH_USER,
      password: 'wrong',
      passwordSource: 'MKTNB_DESK_PASSWORD',
    });
    await assert.rejects(
      () => bad.run('SELECT 1'),
      (e: ClickHouseQueryError) => {
        assert.equal(e.kind, 'auth');
        assert.match(
          e.message,
          /refused user "mktnb_test": wrong password or unknown user \(the password came from MKTNB_DESK_PASSWORD\)/,
        );
        assert.equal(e.code, 193);
        return true;
      },
    );
    await bad.close();
    const port = await freePort();
    const gone = new ClickHouse({ name: 'far', engine: 'clickhouse', url: `http://127.0.0.1:${port}` });
    await assert.rejects(
      () => gone.run('SELECT 1'),
      (e: ClickHouseQueryError) =>
        e.kind === 'unreachable' &&
        /cannot reach the ClickHouse server of connection "far" .*connection refused/.test(e.message),
    );
    await gone.close();
    const slow = new ClickHouse({
      name: 'desk',
      engine: 'clickhouse',
      url: server.url,
      user: CH_USER,
      password: CH_PASSWORD,
      timeoutMs: 1000,
    });
    await slow.serverInfo();
    await assert.rejects(
      () => slow.run('SELECT sleep(3)'),
      (e: ClickHouseQueryError) => e.kind === 'timeout' && /did not answer within 1 s/.test(e.message),
    );
    await slow.close();
  });
});
