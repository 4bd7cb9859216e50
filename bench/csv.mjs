// Benchmark of load() on a big CSV of minute bars (`date,close,volume`, the CSV of bench/data.mjs
// step 5) against DuckDB's read_csv of the same file, in one run, alternating the two sides REPS
// times and keeping each side's best (on a shared machine one run's wall time is mostly the load).
//
//   node bench/csv.mjs                  (10^7 rows, ~360 MB, written to a temporary folder by DuckDB)
//   ROWS=1000000 node bench/csv.mjs     (smaller)
//   FILE=/path/bars.csv node bench/csv.mjs   (an existing file with a date column)
//   REPS=5 …                            (default 3)
//
// Figures only, no thresholds. DuckDB is @duckdb/node-api from npm (it reads the CSV on every
// core); the library is bundled with esbuild as for cells.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundled } from './bundle.mjs';

const [{ db, load }] = await bundled('csv', ['src/market/index.ts']);
const ROWS = Number(process.env.ROWS ?? 1e7);
const REPS = Number(process.env.REPS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'mktnb-bench-csv-'));
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const time = async (f) => {
  const t = performance.now();
  const r = await f();
  return [performance.now() - t, r];
};
try {
  const c = await db.connection();
  let csv = process.env.FILE;
  if (!csv) {
    csv = join(dir, 'bars.csv');
    await c.run(`COPY (
      SELECT strftime(TIMESTAMP '2020-01-01' + to_minutes(i::BIGINT), '%Y-%m-%d %H:%M:%S') AS date,
             round(40000 + 2000 * sin(i / 5000.0) + (hash(i) % 1000) / 100.0, 2) AS close,
             (hash(i * 7) % 1000000)::DOUBLE AS volume
      FROM range(${ROWS}) t(i)) TO '${csv}' (HEADER)`);
  }
  await c.run(`SELECT count(*) FROM read_text('${csv}')`); // the file in the page cache for both
  console.log(
    `bench/csv.mjs: ${csv} (${(statSync(csv).size / 2 ** 20).toFixed(0)} MB); ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}`,
  );
  let bestLoad = Infinity,
    bestDuck = Infinity,
    rows = 0;
  for (let r = 0; r < REPS; r++) {
    const [tl, loaded] = await time(() => load(csv));
    const [td, res] = await time(() => c.run(`SELECT * FROM read_csv('${csv}')`));
    if (loaded.length !== Number(res.rowCount))
      throw new Error(`row counts differ: ${loaded.length} vs ${res.rowCount}`);
    rows = loaded.length;
    console.log(`  run ${r + 1}: load() ${s(tl)}, DuckDB read_csv ${s(td)}`);
    bestLoad = Math.min(bestLoad, tl);
    bestDuck = Math.min(bestDuck, td);
  }
  console.log(
    `CSV of ${rows} rows: load() ${s(bestLoad)}; DuckDB read_csv ${s(bestDuck)} (load() ${(bestLoad / bestDuck).toFixed(2)}x; best of ${REPS})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
