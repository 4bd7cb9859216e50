// Benchmark of named ClickHouse connections (issue 13), in one run, side by side with DuckDB:
//   1. a 10^7-row aggregation (minute bars → hourly max/min/sum/count) into a Frame: on a real
//      ClickHouse server (Debian's 18.16, started here as the tests start it) and on DuckDB (in
//      memory, the same bars made by the same integer formulas), each beside the engine's own time
//      (ClickHouse: system.query_log's query_duration_ms; DuckDB: the query materialized in DuckDB);
//   2. a 10^6-row raw fetch (ts, close, volume) into a Frame, the same on DuckDB, and the fetch's
//      bytes/s (the server's result_bytes over our wall time) against the server's own time; plus
//      the bare HTTP transfer of the same answer (fetch() of the body, no parsing) for reference.
//
//   node bench/clickhouse.mjs            (ROWS=10^7 bars on the server, FETCH=10^6 rows fetched)
//   ROWS=1000000 FETCH=100000 node bench/clickhouse.mjs
//
// Figures only, no thresholds. Best of REPEAT (default 3) runs.
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { bundled, benchDir, root } from './bundle.mjs';

const ROWS = Number(process.env.ROWS ?? 1e7);
const FETCH = Number(process.env.FETCH ?? 1e6);
const REPEAT = Number(process.env.REPEAT ?? 3);

// one bundle of the three modules, so that they share one copy of what they import
const entry = join(benchDir('ch'), 'entry.ts');
await import('node:fs').then((fs) =>
  fs.writeFileSync(
    entry,
    `
export { ClickHouse } from ${JSON.stringify(join(root, 'src/data/clickhouse.ts'))};
export { Engine } from ${JSON.stringify(join(root, 'src/data/engine.ts'))};
export * from ${JSON.stringify(join(root, 'test/unit/data/clickhouse-server.ts'))};
`,
  ),
);
const [{ ClickHouse, Engine, startClickHouse, loadBars, duckdbBarsSql, CH_USER, CH_PASSWORD }] = await bundled('ch', [
  entry,
]);

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
async function best(fn) {
  let min = Infinity,
    out;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    out = await fn(i);
    min = Math.min(min, performance.now() - t0);
  }
  return { ms: min, out };
}

const server = await startClickHouse();
let ch, duck;
try {
  console.log(
    `clickhouse bench: server ${server.version} on ${server.url}, ${ROWS.toLocaleString('en-US')} bars, fetch ${FETCH.toLocaleString('en-US')} rows; ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}`,
  );
  let t0 = performance.now();
  await loadBars(server, 'bars', ROWS);
  console.log(`  load ${ROWS.toLocaleString('en-US')} bars on the server: ${fmt(performance.now() - t0)}`);
  ch = new ClickHouse({
    name: 'bench',
    engine: 'clickhouse',
    url: server.url,
    user: CH_USER,
    password: CH_PASSWORD,
    maxRows: Math.max(FETCH, 1e6) * 2,
  });
  await ch.serverInfo();
  duck = await Engine.open({});
  t0 = performance.now();
  await duck.connection.run(duckdbBarsSql('bars', ROWS));
  console.log(`  the same bars in DuckDB (in memory): ${fmt(performance.now() - t0)}`);

  /** the server's own record of the last query carrying `tag` */
  const serverSide = async (tag) => {
    for (let i = 0; i < 40; i++) {
      const t = (
        await server.sql(
          `SELECT query_duration_ms, read_rows, result_rows, result_bytes FROM system.query_log WHERE type = 2 AND query LIKE '%${tag}%' AND query NOT LIKE '%query_log%' ORDER BY event_time DESC LIMIT 1 FORMAT TabSeparated`,
        )
      ).trim();
      if (t) {
        const [ms, read, rows, bytes] = t.split('\t').map(Number);
        return { ms, read, rows, bytes };
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no query_log entry for ${tag}`);
  };

  // 1. aggregation over all bars
  const aggCh = (tag) =>
    `SELECT /* ${tag} */ toStartOfHour(ts) AS h, max(high) AS hi, min(low) AS lo, sum(volume) AS vol, count() AS n FROM bars GROUP BY h ORDER BY h`;
  const aggDuck =
    "SELECT date_trunc('hour', ts) AS h, max(high) AS hi, min(low) AS lo, sum(volume) AS vol, count(*) AS n FROM bars GROUP BY h ORDER BY h";
  const a = await best((i) => ch.query(aggCh(`agg-${i}`)));
  const aServer = Math.min(
    ...(await Promise.all(Array.from({ length: REPEAT }, (_, i) => serverSide(`agg-${i}`).then((s) => s.ms)))),
  );
  const ad = await best(() => duck.query(aggDuck));
  const adOwn = await best(() => duck.connection.run(aggDuck));
  const same =
    a.out.length === ad.out.length &&
    a.out.names.every((n) => a.out.columns[n].every((v, i) => v === ad.out.columns[n][i]));
  console.log(
    `  1. aggregation of ${ROWS.toLocaleString('en-US')} rows → ${a.out.length.toLocaleString('en-US')} hourly rows into a Frame:`,
  );
  console.log(
    `     ClickHouse into a Frame ${fmt(a.ms)} | server's own time ${fmt(aServer)} || DuckDB into a Frame ${fmt(ad.ms)} | DuckDB alone ${fmt(adOwn.ms)}   (identical Frames: ${same})`,
  );

  // 2. raw fetch
  const rawCh = (tag) => `SELECT /* ${tag} */ ts, close, volume FROM bars ORDER BY ts LIMIT ${FETCH}`;
  const rawDuck = `SELECT ts, close, volume FROM bars ORDER BY ts LIMIT ${FETCH}`;
  const f = await best((i) => ch.query(rawCh(`raw-${i}`)));
  const runs = await Promise.all(Array.from({ length: REPEAT }, (_, i) => serverSide(`raw-${i}`)));
  const fServer = Math.min(...runs.map((s) => s.ms));
  const bytes = f.out.meta.receivedBytes; // the answer's bytes as they came over the wire
  const fd = await best(() => duck.query(rawDuck));
  const fdOwn = await best(() => duck.connection.run(rawDuck));
  const auth = `Basic ${Buffer.from(`${CH_USER}:${CH_PASSWORD}`).toString('base64')}`;
  const http = await best(async () => {
    const r = await fetch(server.url, {
      method: 'POST',
      body: `${rawCh('http')}\nFORMAT TabSeparatedWithNamesAndTypes`,
      headers: { Authorization: auth },
    });
    return (await r.arrayBuffer()).byteLength;
  });
  const sameRaw =
    f.out.length === fd.out.length &&
    f.out.index.every((v, i) => v === fd.out.index[i]) &&
    f.out.names.every((n) => f.out.columns[n].every((v, i) => v === fd.out.columns[n][i]));
  console.log(
    `  2. raw fetch of ${FETCH.toLocaleString('en-US')} rows × 3 columns into a Frame (${mb(bytes)} of TSV from the server; its result_bytes ${mb(runs[0].bytes)}):`,
  );
  console.log(
    `     ClickHouse into a Frame ${fmt(f.ms)} = ${mb(bytes / (f.ms / 1000))}/s | server's own time ${fmt(fServer)} = ${mb(bytes / (fServer / 1000))}/s | bare HTTP transfer (no parsing) ${fmt(http.ms)} = ${mb(http.out / (http.ms / 1000))}/s`,
  );
  console.log(
    `     DuckDB into a Frame ${fmt(fd.ms)} | DuckDB alone ${fmt(fdOwn.ms)}   (identical Frames: ${sameRaw})`,
  );
} finally {
  await ch?.close();
  duck?.close();
  await server.stop();
}
