/**
 * SQL cells on a named ClickHouse connection in a real kernel process, driven as the editor and
 * `mktnb run` drive it: the notebook's metadata.connections plus the password from its MKTNB_
 * variable (connectionsJson, what the CLI hands the kernel), `-- as NAME on desk` cells, a
 * TypeScript cell going on with the Frame and with sql.on('desk'), the server's error with the
 * cell's line, Stop cancelling the query on the server while the kernel keeps its variables, rows
 * read reported, and connections changed while the kernel runs.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { KernelClient } from '../../../src/kernel/client';
import { okCell, runCell, type Ran } from '../kernel/cells';
import { KERNEL_ENV } from '../../../src/kernel/protocol';
import { connectionsJson, notebookConnections } from '../../../src/shared/connections';
import { buildKernel } from '../kernel/build';
import { tempDirPerSuite } from '../helpers';
import { CH_PASSWORD, CH_USER, loadBars, startClickHouse, type TestServer } from './clickhouse-server';

const run = (
  k: KernelClient,
  code: string,
  language: 'typescript' | 'sql',
  label = 'cell [1]',
  onProgress?: (p: number, rows?: number) => void,
): Promise<Ran> => runCell(k, code, language, label, onProgress);
const ok = (k: KernelClient, code: string, language: 'typescript' | 'sql' = 'typescript'): Promise<Ran> =>
  okCell(k, code, language, 'cell [1]');

describe('kernel: SQL cells on a ClickHouse connection (real server)', function () {
  this.timeout(180_000);
  let server: TestServer;
  let dir: string;
  let k: KernelClient;
  let metadata: Record<string, unknown>;

  tempDirPerSuite('mktnb-chkernel-', (d) => (dir = d));
  before(async () => {
    const kernelScript = await buildKernel();
    server = await startClickHouse();
    await loadBars(server, 'bars', 100_000);
    metadata = {
      connections: [
        { name: 'desk', engine: 'clickhouse', url: server.url, user: CH_USER },
        { name: 'local', engine: 'duckdb' },
      ],
    };
    // as `mktnb run` does: the password from the connection's variable (default MKTNB_DESK_PASSWORD)
    const env = {
      [KERNEL_ENV.connections]: connectionsJson(
        notebookConnections(metadata),
        { MKTNB_DESK_PASSWORD: CH_PASSWORD },
        { maxRows: 50_000 },
      ),
    };
    k = await KernelClient.start({
      cwd: dir,
      notebookPath: path.join(dir, 'nb.mktnb'),
      kernelScript,
      maxOldSpaceMb: 512,
      env,
    });
  });
  after(async () => {
    await k?.dispose();
    await server?.stop();
  });

  it('refuses metadata that carries a password or an unrelated variable', () => {
    assert.throws(
      () =>
        notebookConnections({
          connections: [{ name: 'd', engine: 'clickhouse', url: 'http://x:8123', password: 'p' }],
        }),
      /never carries a password/,
    );
    assert.throws(
      () => notebookConnections({ connections: [{ name: 'd', engine: 'clickhouse', url: 'http://u:p@x:8123' }] }),
      /never carries credentials/,
    );
    assert.throws(
      () =>
        notebookConnections({
          connections: [
            { name: 'd', engine: 'clickhouse', url: 'http://x:8123', passwordEnv: 'AWS_SECRET_ACCESS_KEY' },
          ],
        }),
      /must name a variable starting with MKTNB_/,
    );
    assert.throws(
      () => notebookConnections({ connections: [{ name: 'd', engine: 'mysql' }] }),
      /metadata\.connections\[0\]\.engine must be "clickhouse" or "duckdb"/,
    );
  });

  it('a "-- as h on desk" cell runs on the server, shows its table and binds a Frame a TypeScript cell goes on with', async () => {
    const r = await ok(
      k,
      '-- as h on desk\nSELECT toStartOfHour(ts) AS hour, max(high) AS hi, sum(volume) AS vol FROM bars GROUP BY hour ORDER BY hour',
      'sql',
    );
    const t = r.tables[0];
    assert.equal(t.totalRows, Math.ceil(100_000 / 60));
    // hour 0 recomputed independently (python) from the bar formulas of clickhouse-server.ts
    assert.deepEqual(t.rows[0], ['2024-01-01', 1010286, 30895373]);
    assert.match(t.title ?? '', /^h: Frame \[1667 rows x 2 columns\], indexed by hour \(on desk\)$/);
    const v = await ok(
      k,
      "[h instanceof Frame, h.length, h.get('hi').at('2024-01-01T01:00:00Z'), (await sql.on('desk')`SELECT count() AS n FROM bars WHERE ts < ${new Date(Date.UTC(2024, 0, 2))}`).columns.n[0]]",
    );
    assert.equal(v.text, '[ true, 1667, 1009780, 1440 ]');
  });

  it('a cell without "-- on" still runs on the kernel\'s DuckDB, and "-- on local" on the duckdb connection', async () => {
    assert.equal((await ok(k, 'SELECT 42 AS answer', 'sql')).tables[0].rows[0][0], 42);
    await ok(k, '-- on local\nCREATE TABLE t AS SELECT 7 AS x', 'sql');
    assert.equal((await ok(k, '-- on local\nSELECT x FROM t', 'sql')).tables[0].rows[0][0], 7);
    const r = await run(k, 'SELECT x FROM t', 'sql');
    assert.equal(r.ok, false, "t lives in the connection's database, not in the kernel's");
  });

  it("the server's error shows its code, with the line and column in the cell", async () => {
    const r = await run(k, '-- on desk\nSELECT (close FROM bars', 'sql', 'cell [4]');
    assert.equal(r.ok, false);
    assert.equal(r.error?.name, 'ClickHouseError');
    assert.match(r.error!.message, /^ClickHouse error 62: Syntax error: failed at position 26 .*\(cell \[4\]:2:15\)$/s);
    assert.match(r.error!.stack, /> 2 \| SELECT \(close FROM bars/);
    const u = await run(k, '-- on nowhere\nSELECT 1', 'sql');
    assert.match(u.error!.message, /no connection named "nowhere": this notebook has "desk", "local"/);
  });

  it('a result above the cap asks for a LIMIT; Stop cancels a long query on the server, and the kernel keeps its variables', async () => {
    const big = await run(k, '-- on desk\nSELECT ts, close FROM bars', 'sql');
    assert.match(big.error!.message, /more than 50,000 rows.*add a LIMIT/);
    let stopped = false;
    const r = await run(
      k,
      '-- on desk\nSELECT count() AS n FROM system.numbers WHERE number % 5 = 11',
      'sql',
      'cell [6]',
      (_p, rows) => {
        if (!stopped && rows && rows > 0) {
          stopped = true;
          k.interrupt();
        }
      },
    );
    assert.equal(r.error?.interrupted, true, JSON.stringify(r.error));
    assert.ok(
      r.progress.some(([, rows]) => (rows ?? 0) > 0),
      'rows read were reported',
    );
    let left = '1';
    for (let i = 0; i < 50 && left !== '0'; i++) {
      left = (
        await server.sql(
          "SELECT count() FROM system.processes WHERE query LIKE '%number % 5 = 11%' AND query NOT LIKE '%system.processes%'",
        )
      ).trim();
      if (left !== '0') await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(left, '0', 'the query no longer runs on the server');
    assert.equal((await ok(k, 'h.length')).text, '1667');
  });

  it('takes new connections while it runs (Add Connection), and says a bad password in words', async () => {
    const next = {
      connections: [
        ...(metadata.connections as object[]),
        { name: 'wrong', engine: 'clickhouse', url: server.url, user: CH_USER, passwordEnv: 'MKTNB_WRONG' },
      ],
    };
    k.setConnections(
      connectionsJson(notebookConnections(next), { MKTNB_DESK_PASSWORD: CH_PASSWORD, MKTNB_WRONG: 'nope' }),
    );
    const r = await run(k, '-- on wrong\nSELECT 1', 'sql');
    assert.match(
      r.error!.message,
      /refused user "mktnb_test": wrong password or unknown user \(the password came from MKTNB_WRONG\)/,
    );
    assert.equal((await ok(k, '-- on desk\nSELECT count() AS n FROM bars', 'sql')).tables[0].rows[0][0], 100_000);
  });
});
