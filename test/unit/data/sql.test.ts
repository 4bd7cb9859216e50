/**
 * The data layer on a real DuckDB (@duckdb/node-api): sql`` parameters, the typed-array conversion
 * of every type the product accepts (checked against DuckDB's own CAST … AS DOUBLE and epoch_ms
 * in the same query), the error for the others, Frames/Series as tables, errors with positions,
 * interrupt, memory limit, and the message for an extension that cannot be downloaded.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine, SqlError, UnsupportedTypeError, db, sql } from '../../../src/data/index';
import { GrowableColumn, streamColumns } from '../../../src/data/stream';
import { Frame, Series } from '../../../src/market/series';
import { tempDirPerSuite, withTempDir } from '../helpers';

const D = (s: string) => Date.parse(s + 'T00:00:00Z');

describe('data: sql`` and the DuckDB engine', function () {
  this.timeout(60_000);
  let engine: Engine;
  let extDir: string;
  tempDirPerSuite('mktnb-ext-', (d) => (extDir = d));
  before(async () => {
    // no extension cached, and a repository that cannot be reached: as a machine offline
    engine = await Engine.open({
      settings: { extension_directory: extDir, custom_extension_repository: 'http://127.0.0.1:9' },
    });
  });
  after(() => {
    engine.close();
  });

  it('converts every accepted type to doubles as DuckDB casts them (NULL → NaN)', async () => {
    const cases: Array<[string, string]> = [
      ['BOOLEAN', 'true'],
      ['TINYINT', '-128'],
      ['SMALLINT', '-32768'],
      ['INTEGER', '-2147483648'],
      ['BIGINT', '-9007199254740993'],
      ['BIGINT', '123456789012'],
      ['HUGEINT', '-170141183460469231731687303715884105727'],
      ['HUGEINT', '18446744073709551617'],
      ['UTINYINT', '255'],
      ['USMALLINT', '65535'],
      ['UINTEGER', '4294967295'],
      ['UBIGINT', '18446744073709551615'],
      ['UHUGEINT', '340282366920938463463374607431768211455'],
      ['FLOAT', '0.1'],
      ['DOUBLE', '-1.5e300'],
      ['DECIMAL(4,1)', '-123.4'],
      ['DECIMAL(9,3)', '123456.789'],
      ['DECIMAL(18,3)', '-123456789012345.678'],
      ['DECIMAL(38,10)', '1234567890123456789.0123456789'],
    ];
    const sel = cases
      .map(
        ([t, v], i) =>
          `CAST(${v} AS ${t}) AS c${i}, CAST(CAST(${v} AS ${t}) AS DOUBLE) AS r${i}, CAST(NULL AS ${t}) AS n${i}`,
      )
      .join(', ');
    const f = await engine.query(`SELECT ${sel}`);
    assert.equal(f.meta.index, 'row');
    cases.forEach(([t], i) => {
      assert.equal(f.columns[`c${i}`][0], f.columns[`r${i}`][0], `${t} ${cases[i][1]}`);
      assert.ok(Number.isNaN(f.columns[`n${i}`][0]), `NULL ${t}`);
    });
    assert.equal(f.meta.types && (f.meta.types as any).c15, 'DECIMAL(4,1)');
  });

  it('converts DATE and every TIMESTAMP to epoch ms (UTC), the first time column being the index', async () => {
    const f = await engine.query(`SELECT TIMESTAMP '2025-03-04 05:06:07.891234' AS ts, DATE '1969-12-31' AS d,
      CAST('2025-03-04 05:06:07' AS TIMESTAMP_S) AS s, CAST('2025-03-04 05:06:07.891' AS TIMESTAMP_MS) AS ms,
      CAST('2025-03-04 05:06:07.891234567' AS TIMESTAMP_NS) AS ns, CAST('2025-03-04 05:06:07.891+02' AS TIMESTAMPTZ) AS tz,
      epoch_us(TIMESTAMP '2025-03-04 05:06:07.891234') / 1000 AS r_ts, epoch_ms(DATE '1969-12-31') AS r_d,
      epoch_ns(CAST('2025-03-04 05:06:07.891234567' AS TIMESTAMP_NS)) / 1e6 AS r_ns, epoch_ms(CAST('2025-03-04 05:06:07.891+02' AS TIMESTAMPTZ)) AS r_tz,
      CAST(NULL AS TIMESTAMP) AS nul, CAST('infinity' AS TIMESTAMP) AS inf`);
    assert.equal(f.meta.indexColumn, 'ts');
    assert.equal(f.index[0], f.columns.r_ts[0]);
    assert.equal(f.columns.d[0], f.columns.r_d[0]);
    assert.equal(f.columns.d[0], -86_400_000);
    assert.equal(f.columns.s[0], Date.UTC(2025, 2, 4, 5, 6, 7));
    assert.equal(f.columns.ms[0], Date.UTC(2025, 2, 4, 5, 6, 7, 891));
    assert.ok(Math.abs(f.columns.ns[0] - f.columns.r_ns[0]) < 1e-3);
    assert.equal(f.columns.tz[0], f.columns.r_tz[0]);
    assert.equal(f.columns.tz[0], Date.UTC(2025, 2, 4, 3, 6, 7, 891));
    assert.ok(Number.isNaN(f.columns.nul[0]));
    assert.ok(Number.isNaN(f.columns.inf[0]));
  });

  it('refuses the other types with the column, its type and what to do', async () => {
    for (const [expr, type] of [
      ["'abc'", 'VARCHAR'],
      ['[1, 2]', 'LIST'],
      ['INTERVAL 1 DAY', 'INTERVAL'],
      ["TIME '10:00'", 'TIME'],
      ["{'a': 1}", 'STRUCT'],
      ['gen_random_uuid()', 'UUID'],
      ["'\\x01'::BLOB", 'BLOB'],
      ["MAP {'a': 1}", 'MAP'],
      ["CAST('a' AS ENUM ('a', 'b'))", 'ENUM'],
      ['[1, 2]::INTEGER[2]', 'ARRAY'],
      ['union_value(k := 1)', 'UNION'],
      ["'101'::BIT", 'BIT'],
      ["TIMETZ '10:00:00+01'", 'TIME WITH TIME ZONE'],
    ]) {
      await assert.rejects(engine.query(`SELECT 1 AS ok, ${expr} AS bad`), (e: unknown) => {
        assert.ok(e instanceof UnsupportedTypeError, String(e));
        assert.match((e as Error).message, new RegExp(`column "bad" is ${type}`));
        assert.match((e as Error).message, /CAST/);
        return true;
      });
    }
  });

  it('converts many chunks of a large result into arrays of the exact length', async () => {
    const n = 1_000_003;
    const f = await engine.query(
      `SELECT make_timestamp(range * 60000000) AS t, range * 0.5 AS x, CASE WHEN range % 1000 = 0 THEN NULL ELSE range END AS y FROM range(${n})`,
    );
    assert.equal(f.length, n);
    assert.equal(f.index.length, n);
    assert.equal(f.index[n - 1], (n - 1) * 60_000);
    assert.equal(f.columns.x[n - 1], (n - 1) * 0.5);
    assert.ok(Number.isNaN(f.columns.y[5000]));
    assert.equal(f.columns.y[5001], 5001);
  });

  it('grows result columns in place and ends them as plain arrays of the exact length (and without resizable buffers too)', () => {
    for (const resizable of [true, false]) {
      const g = new GrowableColumn(4, resizable);
      const chunk = new Float64Array(2048);
      let rows = 0;
      for (let k = 0; k < 700; k++) {
        for (let i = 0; i < 2048; i++) chunk[i] = rows + i;
        g.write(k === 699 ? chunk.subarray(0, 5) : chunk, rows);
        rows += k === 699 ? 5 : 2048;
      }
      const a = g.finish(rows);
      assert.equal(a.length, rows);
      assert.equal(
        (a.buffer as ArrayBuffer & { resizable?: boolean }).resizable ?? false,
        false,
        'a plain buffer: fast loops, structuredClone works',
      );
      assert.equal(a.buffer.byteLength, rows * 8);
      let ok = true;
      for (let i = 0; i < rows; i++)
        if (a[i] !== i) {
          ok = false;
          break;
        }
      assert.ok(ok, `every value in place (resizable: ${resizable})`);
      assert.equal(structuredClone(a)[rows - 1], rows - 1);
    }
  });

  it("streams into arrays sized by DuckDB's row estimate, and every value lands in place whatever the estimate", async () => {
    const n = 100_003;
    const q = `SELECT range AS i, CASE WHEN range % 777 = 0 THEN NULL ELSE range * 0.5 END AS x FROM range(${n})`;
    // no estimate, too low (a join that multiplies rows), exact, DuckDB's exact-plus-one, far above (a filter), beyond what is allocated up front
    for (const estimate of [0, 3000, n, n + 1, 40 * n, 2 ** 31]) {
      const s = await engine.connection.stream(q);
      const c = await streamColumns(
        (s as unknown as { result: import('@duckdb/node-bindings').Result }).result,
        s.deduplicatedColumnNames(),
        () => estimate,
      );
      assert.equal(c.rows, n);
      const [i, x] = c.cols;
      assert.equal(i.length, n, `exact length (estimate ${estimate})`);
      assert.equal(x.length, n);
      let bad = -1;
      for (let k = 0; k < n && bad < 0; k++)
        if (i[k] !== k || (k % 777 === 0 ? !Number.isNaN(x[k]) : x[k] !== k * 0.5)) bad = k;
      assert.equal(bad, -1, `row ${bad} misplaced (estimate ${estimate})`);
      // the arrays are plain (fast loops), views at most of a larger plain buffer
      assert.equal((i.buffer as ArrayBuffer & { resizable?: boolean }).resizable ?? false, false);
    }
    // a small result of a large estimate is copied to its exact length (no large buffer kept for it)
    const s = await engine.connection.stream('SELECT range AS i FROM range(10)');
    const c = await streamColumns(
      (s as unknown as { result: import('@duckdb/node-bindings').Result }).result,
      ['i'],
      () => 1_000_000,
    );
    assert.equal(c.cols[0].buffer.byteLength, 80);
    assert.deepEqual([...c.cols[0]], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("reads a Parquet scan into arrays no larger than DuckDB's estimate; a filter's result and an error mid-stream as before", async () => {
    await withTempDir('mktnb-est-', async (dir) => {
      const file = path.join(dir, 'bars.parquet').replace(/\\/g, '/');
      const n = 250_000;
      await engine.run(
        `COPY (SELECT make_timestamp(range * 60000000) AS ts, range * 0.25 AS close FROM range(${n})) TO '${file}' (FORMAT parquet)`,
      );
      const f = await engine.query(`SELECT ts, close FROM '${file}'`);
      assert.equal(f.length, n);
      assert.ok(
        f.index.buffer.byteLength <= (n + 1) * 8,
        `arrays of the estimate (the rows plus one), not a grown buffer: ${f.index.buffer.byteLength} bytes`,
      );
      let bad = -1;
      for (let k = 0; k < n && bad < 0; k++) if (f.index[k] !== k * 60_000 || f.columns.close[k] !== k * 0.25) bad = k;
      assert.equal(bad, -1, `row ${bad}`);
      const filtered = await engine.query(`SELECT ts, close FROM '${file}' WHERE close >= 1000 AND close < 2000`);
      assert.equal(filtered.length, 4000);
      assert.equal(filtered.index[0], 4000 * 60_000);
      assert.equal(filtered.columns.close[3999], 1999.75);
      // an error after many chunks went into the estimate-sized arrays is still DuckDB's error, never a shorter result
      await assert.rejects(
        engine.query(
          `SELECT ts, CASE WHEN close < 50000 THEN close ELSE error('boom at ' || close) END AS c FROM '${file}'`,
        ),
        (e: unknown) => {
          assert.ok(e instanceof SqlError, String(e));
          assert.match((e as Error).message, /boom at/);
          return true;
        },
      );
      assert.equal((await engine.query(`SELECT count(*) AS n FROM '${file}'`)).columns.n[0], n);
    });
  });

  it('an error while the result streams is a SqlError; interrupt stops a streaming read; the database goes on', async () => {
    await assert.rejects(
      engine.query(
        "SELECT range AS x, CASE WHEN range < 150000 THEN 1 ELSE error('boom at ' || range) END AS y FROM range(300000)",
      ),
      (e: unknown) => {
        assert.ok(e instanceof SqlError, String(e));
        assert.match((e as Error).message, /boom at/);
        return true;
      },
    );
    const p = engine.query('SELECT range AS x FROM range(3000000000)');
    setTimeout(() => engine.interrupt(), 400);
    await assert.rejects(p, /INTERRUPT/i);
    assert.equal((await engine.query('SELECT 41 + 1 AS v')).columns.v[0], 42);
  });

  it('binds every ${} of sql`` as a parameter, never as text', async () => {
    const evil = "x'; DROP TABLE t; --";
    const f = await sql`SELECT ${3} * 2 AS a, length(${evil}) AS l, ${new Date(Date.UTC(2024, 0, 2))} AS t`;
    assert.equal(f.columns.a[0], 6);
    assert.equal(f.columns.l[0], evil.length);
    assert.equal(f.index[0], Date.UTC(2024, 0, 2));
    assert.match(String(f.meta.sql), /\$1 \* 2 AS a, length\(\$2\)/);
    assert.throws(() => (sql as any)('SELECT 1'), /tagged template/);
  });

  it('queries Series and Frames by name (index → TIMESTAMP "date", NaN ↔ NULL)', async () => {
    const btc = new Series([D('2024-01-01'), D('2024-01-02'), D('2024-01-03')], [100, NaN, 120], 'btc');
    const gld = new Frame([D('2024-01-02'), D('2024-01-03'), D('2024-01-04')], {
      close: [10, 11, 12],
      volume: [1, 2, 3],
    });
    const names: Record<string, unknown> = { btc, gld };
    const f = await engine.query(
      'SELECT date, btc, close FROM btc JOIN gld USING (date) ORDER BY date',
      [],
      {},
      (n) => names[n],
    );
    assert.deepEqual(f.dates(), ['2024-01-02', '2024-01-03']);
    assert.ok(Number.isNaN(f.columns.btc[0]));
    assert.equal(f.columns.btc[1], 120);
    assert.deepEqual(Array.from(f.columns.close), [10, 11]);
    const types = await engine.query(
      "SELECT count(*) FILTER (WHERE btc IS NULL) AS nulls, (SELECT data_type FROM duckdb_columns() WHERE table_name = 'btc' AND column_name = 'date') = 'TIMESTAMP' AS ts FROM btc",
      [],
      {},
      (n) => names[n],
    );
    assert.equal(types.columns.nulls[0], 1);
    assert.equal(types.columns.ts[0], 1);
    // a new value under the same name is seen; a table of the database's own wins over a program value
    names.btc = new Series([D('2025-01-01')], [1], 'btc');
    assert.equal((await engine.query('SELECT count(*) AS n FROM btc', [], {}, (n) => names[n])).columns.n[0], 1);
    await engine.query('CREATE TABLE gld AS SELECT 42 AS answer');
    assert.equal((await engine.query('SELECT answer FROM main.gld', [], {}, (n) => names[n])).columns.answer[0], 42);
  });

  it('scans Frames in place: no table is created, only the columns a query uses are read, a new value of other columns is seen', async () => {
    const n = 5000; // several 2,048-row chunks
    const idx = Float64Array.from({ length: n }, (_, i) => D('2024-01-01') + i * 60_000);
    const a = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : i));
    const big = new Frame(idx, { a, b: Float64Array.from({ length: n }, (_, i) => 2 * i) });
    const names: Record<string, unknown> = { big };
    const f = await engine.query(
      'SELECT count(*) AS n, count(a) AS na, sum(a) AS sa, sum(b) AS sb, max(date) AS last FROM big',
      [],
      {},
      (k) => names[k],
    );
    let sa = 0,
      na = 0;
    for (let i = 0; i < n; i++)
      if (!Number.isNaN(a[i])) {
        sa += a[i];
        na++;
      }
    assert.deepEqual(
      [f.columns.n[0], f.columns.na[0], f.columns.sa[0], f.columns.sb[0], f.index[0]],
      [n, na, sa, n * (n - 1), idx[n - 1]],
    );
    const tables = await engine.query("SELECT count(*) AS t FROM duckdb_tables() WHERE table_name = 'big'");
    assert.equal(tables.columns.t[0], 0, 'no copy of the Frame in a table');
    const plan = await engine.connection.runAndReadAll('EXPLAIN SELECT sum(b) FROM big');
    assert.match(String(plan.getRows()[0][1]), /__MKTNB_VALUE[\s\S]*Projections: b\s/, 'only the column b is scanned');
    names.big = new Frame(idx.slice(0, 3), { z: [1, 2, 3] });
    const g = await engine.query('SELECT sum(z) AS s FROM big', [], {}, (k) => names[k]);
    assert.equal(g.columns.s[0], 6);
    await assert.rejects(
      engine.query('SELECT a FROM big', [], {}, (k) => names[k]),
      /"a" not found|Referenced column "a"/,
    );
  });

  it('registers through db.register in a Node program', async () => {
    await db.register('ser', new Series([D('2024-01-01'), D('2024-01-02')], [1, 2], 'v'));
    const f = await sql`SELECT date, v * 10 AS v10 FROM ser WHERE date > ${'2024-01-01'}`;
    assert.deepEqual(Array.from(f.columns.v10), [20]);
  });

  it("reports DuckDB's message with the line and column of the query", async () => {
    await assert.rejects(engine.query('SELECT 1,\n  2\nFROM nowhere_table'), (e: unknown) => {
      assert.ok(e instanceof SqlError);
      assert.match(e.message, /Table with name nowhere_table does not exist/);
      assert.equal(e.line, 3);
      assert.equal(e.column, 6);
      return true;
    });
    // a later statement of several: the line is the cell's, not the statement's
    await assert.rejects(
      engine.query('SELECT 1;\nSELECT 2;\nSELECT nope_col FROM range(2)'),
      (e: SqlError) => e.line === 3 && e.column === 8,
    );
    await assert.rejects(
      engine.query('SELECT 1 FORM x'),
      (e: SqlError) => e.line === 1 && /syntax error/.test(e.message),
    );
  });

  it('reads Parquet and JSON with no extension download; says so clearly when a query needs one offline', () =>
    withTempDir('mktnb-pq-', async (dir) => {
      const pq = path.join(dir, 'x.parquet'),
        js = path.join(dir, 'x.json');
      await engine.query(`COPY (SELECT range AS i FROM range(10)) TO '${pq}' (FORMAT parquet)`);
      fs.writeFileSync(js, '[{"i": 1}, {"i": 2}]');
      assert.equal((await engine.query(`SELECT sum(i) AS s FROM '${pq}'`)).columns.s[0], 45);
      assert.equal((await engine.query(`SELECT sum(i) AS s FROM read_json('${js}')`)).columns.s[0], 3);
      const ext = await engine.query(
        "SELECT count(*) AS n FROM duckdb_extensions() WHERE extension_name IN ('parquet', 'json') AND install_mode = 'STATICALLY_LINKED'",
      );
      assert.equal(ext.columns.n[0], 2);
      assert.deepEqual(fs.readdirSync(extDir), [], 'nothing was downloaded');
      await assert.rejects(
        engine.query("SELECT * FROM read_xlsx('a.xlsx')"),
        /needs DuckDB's "excel" extension, which is not built into Market Notebooks and could not be downloaded \(are you offline\?\)/,
      );
      await assert.rejects(engine.query('INSTALL spatial'), /"spatial" extension.*are you offline/s);
    }));

  it('stops a running query on interrupt and keeps the database', async () => {
    await engine.query('CREATE TABLE kept AS SELECT 7 AS v');
    const p = engine.query('SELECT sum(hash(a.range + b.range)) AS s FROM range(100000) a, range(100000) b');
    setTimeout(() => engine.interrupt(), 300);
    await assert.rejects(p, /INTERRUPT/i);
    assert.equal((await engine.query('SELECT v FROM kept')).columns.v[0], 7);
  });

  it('reports progress while a result streams into a Frame, and stops on interrupt', async () => {
    await engine.query('CREATE TABLE prog AS SELECT range AS x FROM range(20000000)');
    const seen: number[] = [];
    await assert.rejects(
      engine.query('SELECT sum(hash(md5(x::VARCHAR))) AS s FROM prog', [], {
        onProgress: (p) => {
          seen.push(p);
          if (seen.length === 2) engine.interrupt();
        },
      }),
      /INTERRUPT/,
    );
    assert.equal(seen.length, 2, `progress reports: ${JSON.stringify(seen)}`);
    assert.ok(seen[1] > seen[0], 'progress goes up');
  });

  it("fails a query beyond memory_limit with DuckDB's message; the database goes on", async () => {
    const small = await Engine.open({ memoryLimitMb: 64, threads: 1, settings: { temp_directory: '' } });
    try {
      await assert.rejects(small.query('SELECT list(range) AS l FROM range(50000000)'), /Out of Memory Error|memory/i);
      assert.equal((await small.query("SELECT current_setting('memory_limit') = '64.0 MiB' AS ok")).columns.ok[0], 1);
    } finally {
      small.close();
    }
  });
});
