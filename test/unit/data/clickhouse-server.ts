/**
 * A real ClickHouse server for tests and benchmarks: Debian's clickhouse-server (18.16; .ci/run
 * installs it) started on 127.0.0.1 with a temporary configuration (free ports, a temporary data
 * directory, its own user with a password), waited for until it answers, and stopped by its pid
 * afterwards, also when the test process ends early. A missing binary is an error, never a skip.
 *
 * The data set (loadBars): minute bars from 2024-01-01 00:00 UTC, made with integer arithmetic
 * only, so that the same formulas in DuckDB (duckdbBarsSql) give bit-identical values.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CH_USER = 'mktnb_test';
export const CH_PASSWORD = "pw with spaces & quote's";
const CANDIDATES = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'];

export interface TestServer {
  url: string;
  httpPort: number;
  pid: number;
  dir: string;
  version?: string;
  /** runs SQL over HTTP with the test user (for setup and checks; the product uses @clickhouse/client) */
  sql(query: string): Promise<string>;
  stop(): Promise<void>;
}

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) {
    try {
      process.kill(c.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&apos;')
    .replace(/"/g, '&quot;');
}

/** Starts a server; throws (never skips) when the binary is missing or it does not come up. */
export async function startClickHouse(): Promise<TestServer> {
  const bin = CANDIDATES.find((c) => fs.existsSync(c));
  if (!bin)
    throw new Error(
      `clickhouse-server is not installed (looked for ${CANDIDATES.join(', ')}): apt-get install clickhouse-server clickhouse-client (.ci/run does)`,
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-ch-'));
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  for (const d of ['data', 'tmp', 'files', 'schemas']) fs.mkdirSync(path.join(dir, d));
  fs.writeFileSync(
    path.join(dir, 'config.xml'),
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog><console>0</console></logger>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/files/</user_files_path>
  <format_schema_path>${dir}/schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <query_log><database>system</database><table>query_log</table><flush_interval_milliseconds>300</flush_interval_milliseconds></query_log>
</yandex>
`,
  );
  fs.writeFileSync(
    path.join(dir, 'users.xml'),
    `<?xml version="1.0"?>
<yandex>
  <profiles><default><log_queries>1</log_queries><max_threads>2</max_threads></default></profiles>
  <users>
    <${CH_USER}><password>${xmlEscape(CH_PASSWORD)}</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></${CH_USER}>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`,
  );
  const child = spawn(bin, [`--config-file=${path.join(dir, 'config.xml')}`], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited: string | undefined;
  const exit = new Promise<void>((r) =>
    child.once('exit', (code, sig) => {
      exited = `exited with ${code ?? sig}`;
      live.delete(child);
      r();
    }),
  );
  const url = `http://127.0.0.1:${httpPort}`;
  const auth = `Basic ${Buffer.from(`${CH_USER}:${CH_PASSWORD}`).toString('base64')}`;
  const server: TestServer = {
    url,
    httpPort,
    pid: child.pid!,
    dir,
    async sql(query: string): Promise<string> {
      const r = await fetch(url, { method: 'POST', body: query, headers: { Authorization: auth } });
      const t = await r.text();
      if (!r.ok) throw new Error(`ClickHouse (test setup) said ${r.status}: ${t}`);
      return t;
    },
    async stop(): Promise<void> {
      if (!exited) {
        try {
          process.kill(child.pid!, 'SIGTERM');
        } catch {
          /* gone */
        }
        // its data directory is thrown away: no need to wait out a graceful shutdown
        const t = setTimeout(() => {
          try {
            process.kill(child.pid!, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, 2_000);
        await exit;
        clearTimeout(t);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) {
      const log = fs.existsSync(path.join(dir, 'error.log'))
        ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8').slice(-2000)
        : '';
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`clickhouse-server ${exited} before it answered: ${stderr}${log}`);
    }
    try {
      server.version = (await server.sql('SELECT version()')).trim();
      return server;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`clickhouse-server did not answer on ${url} within 90 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Start of the data set: 2024-01-01 00:00:00 UTC in seconds. */
export const BARS_START = 1704067200;

/**
 * The bar of minute i (integers only: identical in both engines):
 *   ts = start + 60 i; open = 1000000 + (i * 7919) % 10007; close = open + (i * 104729) % 2001 - 1000;
 *   high = max + (i % 17); low = min - (i % 13); volume = (i * 15485863) % 1000003
 */
export function clickhouseBarsSql(table: string, n: number): string {
  return `CREATE TABLE ${table} ENGINE = MergeTree ORDER BY ts AS
SELECT toDateTime(${BARS_START} + number * 60, 'UTC') AS ts,
  toFloat64(1000000 + (number * 7919) % 10007) AS open,
  toFloat64(1000000 + (number * 7919) % 10007 + (number * 104729) % 2001 - 1000) AS close,
  greatest(open, close) + toFloat64(number % 17) AS high,
  least(open, close) - toFloat64(number % 13) AS low,
  toFloat64((number * 15485863) % 1000003) AS volume
FROM system.numbers LIMIT ${n}`;
}

/** The same bars in DuckDB (a table of the same name and columns). */
export function duckdbBarsSql(table: string, n: number): string {
  return `CREATE OR REPLACE TABLE ${table} AS
SELECT make_timestamp((${BARS_START} + i * 60) * 1000000) AS ts,
  CAST(1000000 + (i * 7919) % 10007 AS DOUBLE) AS open,
  CAST(1000000 + (i * 7919) % 10007 + (i * 104729) % 2001 - 1000 AS DOUBLE) AS close,
  greatest(open, close) + CAST(i % 17 AS DOUBLE) AS high,
  least(open, close) - CAST(i % 13 AS DOUBLE) AS low,
  CAST((i * 15485863) % 1000003 AS DOUBLE) AS volume
FROM (SELECT range AS i FROM range(${n})) ORDER BY ts`;
}

/** Loads n minute bars (default 10^6) into `table` on the server. */
export async function loadBars(server: TestServer, table = 'bars', n = 1_000_000): Promise<void> {
  await server.sql(`DROP TABLE IF EXISTS ${table}`);
  await server.sql(clickhouseBarsSql(table, n));
  const count = Number((await server.sql(`SELECT count() FROM ${table}`)).trim());
  if (count !== n) throw new Error(`loaded ${count} bars into ${table}, expected ${n}`);
}
