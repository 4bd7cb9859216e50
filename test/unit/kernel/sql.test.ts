/**
 * SQL cells in a real kernel process on its DuckDB: the result shown as a table and bound by
 * `-- as NAME`, cell variables as tables, sql`` in TypeScript cells, errors with the cell's line
 * and column, interrupt keeping the kernel's state, the memory limit following the kernel's
 * setting, a .duckdb file named for the notebook.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KernelClient, type KernelOutputEvent } from '../../../src/kernel/client';
import { okCell, runCell, type Ran } from './cells';
import { boundName, sqlCellScript } from '../../../src/kernel/sql';
import { buildKernel } from './build';
import { tempDirPerSuite } from '../helpers';

const run = (k: KernelClient, code: string, language: 'typescript' | 'sql', label = 'cell 1'): Promise<Ran> =>
  runCell(k, code, language, label);
const ok = (k: KernelClient, code: string, language: 'typescript' | 'sql' = 'typescript'): Promise<Ran> =>
  okCell(k, code, language, 'cell 1');

describe('kernel: SQL cells', function () {
  this.timeout(60_000);
  let kernelScript: string;
  let dir: string;
  let k: KernelClient;

  tempDirPerSuite('mktnb-sqlcell-', (d) => (dir = d));
  before(async () => {
    kernelScript = await buildKernel();
    fs.mkdirSync(path.join(dir, 'data'));
    const rows = [
      'date,close',
      ...Array.from({ length: 30 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')},${100 + i}`),
    ];
    fs.writeFileSync(path.join(dir, 'data', 'px.csv'), rows.join('\n') + '\n');
    k = await KernelClient.start({
      cwd: dir,
      notebookPath: path.join(dir, 'nb.mktnb'),
      kernelScript,
      maxOldSpaceMb: 512,
    });
  });
  after(async () => {
    await k?.dispose();
  });

  it('reads the first line "-- as NAME" and nothing else as a binding', () => {
    assert.equal(boundName('-- as bars\nSELECT 1'), 'bars');
    assert.equal(boundName('\n  --   AS   $x1  \nSELECT 1'), '$x1');
    assert.equal(boundName('SELECT 1\n-- as bars'), undefined);
    assert.equal(boundName('-- assets\nSELECT 1'), undefined);
    assert.throws(() => boundName('-- as 1x\nSELECT 1', 'cell 4'), /must be a JavaScript identifier .*\(cell 4:1:1\)$/);
    assert.match(sqlCellScript('-- as b\nSELECT 1', 'cell 2'), /^const b = await globalThis\.__mktnb_sql__\.cell\(/);
  });

  it('shows the result as a table and binds it as a Frame; relative files resolve against the notebook folder', async () => {
    const r = await ok(k, "-- as px\nSELECT date, close FROM 'data/px.csv' ORDER BY date", 'sql');
    const t = r.tables[0];
    assert.equal(t.totalRows, 30);
    assert.equal(t.headRows, 10);
    assert.equal(t.rows.length, 20);
    assert.deepEqual(t.rows[0], ['2024-01-01', 100]);
    assert.deepEqual(t.rows[19], ['2024-01-30', 129]);
    assert.deepEqual(
      t.columns.map((c) => [c.name, c.type]),
      [
        ['date', 'date'],
        ['close', 'number'],
      ],
    );
    assert.match(t.title ?? '', /^px: Frame \[30 rows x 1 columns\], indexed by date/);
    const v = await ok(k, "[px instanceof Frame, px.length, px.close.at('2024-01-03'), px.meta.indexColumn]");
    assert.equal(v.text, "[ true, 30, 102, 'date' ]");
  });

  it('queries cell variables by name, and a TypeScript cell uses sql`` with parameters', async () => {
    await ok(k, "const gld = new Series([Date.UTC(2024,0,2), Date.UTC(2024,0,3)], [5, 6], 'g')");
    const r = await ok(k, 'SELECT date, close, g FROM px JOIN gld USING (date) ORDER BY date', 'sql');
    assert.deepEqual(r.tables[0].rows, [
      ['2024-01-02', 101, 5],
      ['2024-01-03', 102, 6],
    ]);
    const v = await ok(
      k,
      "const hi = await sql`SELECT max(close) AS m FROM px WHERE date <= ${'2024-01-05'}`; hi.columns.m[0]",
    );
    assert.equal(v.text, '104');
  });

  it('shows any column type (text too) when nothing is bound; DDL and DML say what they did', async () => {
    assert.equal((await ok(k, 'CREATE TABLE notes AS SELECT range AS i FROM range(3)', 'sql')).text, '3 rows written');
    assert.equal((await ok(k, 'INSERT INTO notes VALUES (9)', 'sql')).text, '1 row inserted');
    const r = await ok(k, "SELECT 'a' || i AS label, i FROM notes ORDER BY i", 'sql');
    assert.deepEqual(r.tables[0].rows, [
      ['a0', 0],
      ['a1', 1],
      ['a2', 2],
      ['a9', 9],
    ]);
    const bad = await run(k, "-- as lab\nSELECT 'a' AS label", 'sql');
    assert.equal(bad.ok, false);
    assert.match(bad.error!.message, /column "label" is VARCHAR/);
  });

  it('shows a 10^7-row result by its first and last rows and its count, and binds all of it', async () => {
    const t = (
      await ok(
        k,
        '-- as tenm\nSELECT make_timestamp(range * 60000000) AS ts, range * 2.0 AS v FROM range(10000000)',
        'sql',
      )
    ).tables[0];
    assert.equal(t.totalRows, 10_000_000);
    assert.equal(t.headRows, 10);
    assert.equal(t.rows.length, 20);
    assert.deepEqual(t.rows[0], ['1970-01-01', 0]);
    assert.deepEqual(t.rows[19], ['1989-01-05T10:39:00Z', 19_999_998]);
    assert.equal(
      (await ok(k, '[tenm.length, tenm.columns.v[9_999_999], tenm.index[9_999_999]]')).text,
      '[ 10000000, 19999998, 599999940000 ]',
    );
    const text = (await ok(k, "SELECT 'row ' || range AS label FROM range(10000000)", 'sql')).tables[0];
    assert.deepEqual([text.totalRows, text.rows[0][0], text.rows[19][0]], [10_000_000, 'row 0', 'row 9999999']);
  });

  it("reports DuckDB's message at the line and column in the cell, with a code frame", async () => {
    const r = await run(k, '-- as x\nSELECT 1,\n  nope_col\nFROM px', 'sql', 'cell 7');
    assert.equal(r.ok, false);
    assert.equal(r.error!.name, 'SqlError');
    assert.match(r.error!.message, /Referenced column "nope_col" not found.*\(cell 7:3:3\)$/s);
    assert.match(r.error!.stack, /at cell 7:3:3\n\n.*> 3 \|   nope_col\n +\|   \^/s);
    const syn = await run(k, 'SELECT 1;\nSELEC 2', 'sql', 'cell 8');
    assert.match(syn.error!.message, /syntax error at or near "SELEC" \(cell 8:2:1\)/);
  });

  it('stops a long query with interrupt; the kernel and its variables stay', async () => {
    const pid = k.pid;
    await ok(k, 'const keep = 41');
    const p = run(k, 'SELECT sum(hash(a.range * b.range)) FROM range(200000) a, range(200000) b', 'sql');
    setTimeout(() => k.interrupt(), 400);
    const r = await p;
    assert.equal(r.ok, false);
    assert.equal(r.error?.interrupted, true, JSON.stringify(r.error));
    assert.equal(r.restarted, undefined);
    assert.equal(k.pid, pid);
    assert.equal((await ok(k, 'keep + 1')).text, '42');
    assert.equal((await ok(k, 'SELECT count(*) AS n FROM px', 'sql')).tables[0].rows[0][0], 30);
  });

  it("reports DuckDB's progress of a long query to the client while the cell runs", async () => {
    await ok(k, 'CREATE TABLE big AS SELECT range AS x FROM range(20000000)', 'sql');
    const seen: number[] = [];
    const out: KernelOutputEvent[] = [];
    // a table scan with work on every row (md5): DuckDB reports a scan's progress
    const r = await k.execute('SELECT sum(hash(md5(x::VARCHAR))) FROM big', 'sql', {
      cellLabel: 'cell 9',
      onOutput: (e) => out.push(e),
      // stop once DuckDB has said how far it is: the test does not wait for the whole query
      onProgress: (p) => {
        seen.push(p);
        if (seen.length === 2) k.interrupt();
      },
    });
    assert.ok(seen.length >= 2, `progress reports: ${JSON.stringify(seen)}`);
    assert.ok(seen.every((p) => p >= 0 && p <= 100));
    assert.ok(seen[1] > seen[0], 'progress goes up');
    assert.equal(r.error?.interrupted, true);
    assert.equal(out.filter((e) => e.kind === 'stream').length, 0, 'DuckDB prints no progress bar into the cell');
  });

  it("sets DuckDB's memory_limit from the kernel's memory setting; a query beyond it fails and the kernel lives", async () => {
    const pid = k.pid;
    await ok(k, 'const kept = 41');
    assert.deepEqual((await ok(k, "SELECT current_setting('memory_limit') AS m", 'sql')).tables[0].rows, [
      ['512.0 MiB'],
    ]);
    const r = await run(k, "SET temp_directory = ''; SELECT list(range) FROM range(100000000)", 'sql');
    assert.equal(r.ok, false);
    assert.match(r.error!.message, /Out of Memory Error/);
    assert.equal(k.pid, pid);
    assert.equal((await ok(k, 'kept')).text, '41');
  });

  it('opens the .duckdb file the notebook names and keeps its tables across kernels', async () => {
    const opts = { cwd: dir, notebookPath: path.join(dir, 'nb.mktnb'), kernelScript, database: 'data/nb.duckdb' };
    const k1 = await KernelClient.start(opts);
    try {
      await ok(k1, 'CREATE TABLE saved AS SELECT 5 AS v', 'sql');
    } finally {
      await k1.dispose();
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(fs.existsSync(path.join(dir, 'data', 'nb.duckdb')));
    const k2 = await KernelClient.start(opts);
    try {
      assert.deepEqual((await ok(k2, 'SELECT v FROM saved', 'sql')).tables[0].rows, [[5]]);
    } finally {
      await k2.dispose();
    }
  });
});
