// Speed of the analysis library side by side with pandas / statsmodels, in the same run, on the
// same random-walk data (written to a temp dir as raw float64 and read by numpy).
//
//   node bench/analytics.mjs
//
// The library is bundled with esbuild first (as the extension bundles it for cells), into the
// temp dir, and imported from there. (Running the .ts through tsx's loader also works but
// measured ~1.5x slower on the hot loops, so it would not show what cells get.)
//
// Python side: Debian's /usr/bin/python3 (pandas 1.5.3, statsmodels 0.13.5), BLAS limited to
// one thread. Figures are CPU time of the process (steadier than wall time on this shared
// 2-core machine), best of 7 after a warm-up (21 for runs under 50 ms, both sides); statsmodels RollingOLS runs once on 100,000
// points and is extrapolated linearly to 1,000,000 (its cost is linear in n) and labelled so.
// Figures only, no thresholds. The load average is printed with the table.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundleDir = mkdtempSync(join(tmpdir(), 'mktnb-bench-lib-'));
await build({
  stdin: { contents: "export * from './src/market/core'; export { Series } from './src/market/series';", resolveDir: root, loader: 'ts' },
  bundle: true, format: 'esm', platform: 'node', outfile: join(bundleDir, 'lib.mjs'), logLevel: 'error',
});
const M = await import(pathToFileURL(join(bundleDir, 'lib.mjs')).href);
rmSync(bundleDir, { recursive: true, force: true });
const { Series } = M;

const N = Number(process.env.N ?? 1_000_000), W = 1440, K = 20, NM = 100_000, NOLS = 100_000, REPEAT = 7;

// --- data: two correlated random walks near 100,000 (N points), and K walks of NM points
let s = 12345;
const uni = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 0.5) / 2 ** 32; };
const gauss = () => Math.sqrt(-2 * Math.log(uni())) * Math.cos(2 * Math.PI * uni());
const a = new Float64Array(N), b = new Float64Array(N);
let pa = 100_000, pb = 100_000;
for (let i = 0; i < N; i++) { const e = gauss(); pa *= 1 + 1e-4 * e; pb *= 1 + 1e-4 * (0.5 * e + 0.87 * gauss()); a[i] = pa; b[i] = pb; }
const mat = new Float64Array(K * NM); // K columns of NM rows, column-major
for (let k = 0; k < K; k++) { let p = 100; for (let i = 0; i < NM; i++) { p *= 1 + 0.01 * gauss(); mat[k * NM + i] = p; } }

const dir = mkdtempSync(join(tmpdir(), 'mktnb-bench-'));
try {
  writeFileSync(join(dir, 'a.f64'), a); writeFileSync(join(dir, 'b.f64'), b); writeFileSync(join(dir, 'm.f64'), mat);

  const index = Float64Array.from({ length: N }, (_, i) => 1_700_000_000_000 + i * 60_000);
  const A = new Series(index, a, 'a'), B = new Series(index, b, 'b');
  const mIndex = index.subarray(0, NM);
  const cols = {};
  for (let k = 0; k < K; k++) cols[`s${k}`] = new Series(mIndex, mat.subarray(k * NM, (k + 1) * NM), `s${k}`);
  // CPU time of this process (user + system), best of REPEAT after a warm-up run: on a shared
  // machine it is far steadier than wall time; both sides are single-threaded (see OPENBLAS below)
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  // (runs under 50 ms get 3x the repeats: one GC pause or JIT tier-up otherwise decides the figure)
  const best = (fn) => { let out = fn(); let t = Infinity; for (let r = 0; r < REPEAT * (t < 50 ? 3 : 1); r++) { const t0 = cpu(); out = fn(); t = Math.min(t, cpu() - t0); } return [t, out]; };

  const [tRoll, roll] = best(() => M.rollingCorr(A, B, W));
  const [tCorr, full] = best(() => M.corr(A, B));
  const [tMatP, matP] = best(() => M.corrMatrix(cols));
  const [tMatS] = best(() => M.corrMatrix(cols, { method: 'spearman' }));
  const [tBeta, rb] = best(() => M.rollingBeta(A, B, W));
  const [tVol] = best(() => M.volatility(A, W, { annualize: 365 }));
  const sp = new Series(index.subarray(0, 20_000), a.subarray(0, 20_000), 'a'), sq = new Series(index.subarray(0, 20_000), b.subarray(0, 20_000), 'b');
  const [tSpear] = best(() => M.rollingCorr(sp, sq, 60, { method: 'spearman' }));
  writeFileSync(join(dir, 'ours.f64'), roll.values); writeFileSync(join(dir, 'oursbeta.f64'), rb.values);

  const py = `
import time, json, numpy as np, pandas as pd
import statsmodels.api as sm
from statsmodels.regression.rolling import RollingOLS
d = ${JSON.stringify(dir)}
a = pd.Series(np.fromfile(d + '/a.f64')); b = pd.Series(np.fromfile(d + '/b.f64'))
m = pd.DataFrame(np.fromfile(d + '/m.f64').reshape(${K}, ${NM}).T)
def best(fn, k=${REPEAT}):
    t = 1e9; out = fn() if k > 1 else None
    r = 0
    while r < k * (3 if t < 0.05 and k > 1 else 1):
        t0 = time.process_time(); out = fn(); t = min(t, time.process_time() - t0); r += 1
    return t * 1000, out
r = {}
r['roll'], rc = best(lambda: a.rolling(${W}).corr(b))
r['corr'], c = best(lambda: a.corr(b))
r['matp'], mp = best(lambda: m.corr())
r['mats'], _ = best(lambda: m.corr(method='spearman'))
r['beta'], rbeta = best(lambda: a.rolling(${W}).cov(b) / b.rolling(${W}).var())
r['vol'], _ = best(lambda: a.rolling(${W}).std() * 365 ** 0.5)
y = a.iloc[:${NOLS}]; X = sm.add_constant(b.iloc[:${NOLS}])
r['ols'], ro = best(lambda: RollingOLS(y, X, window=${W}).fit(params_only=True), 1)
ours = np.fromfile(d + '/ours.f64'); oursb = np.fromfile(d + '/oursbeta.f64')
def twopass(x, y, i):
    xa = x[i - ${W} + 1:i + 1]; ya = y[i - ${W} + 1:i + 1]
    dx = xa - xa.mean(); dy = ya - ya.mean()
    return (dx * dy).sum() / np.sqrt((dx * dx).sum() * (dy * dy).sum()), (dx * dy).sum() / (dy * dy).sum()
x = a.values; yv = b.values
idx = range(${W} - 1, len(x), 997)
ref = np.array([twopass(x, yv, i) for i in idx])
sel = np.array(list(idx))
r['err_ours'] = float(np.max(np.abs(ours[sel] - ref[:, 0])))
r['err_pandas'] = float(np.max(np.abs(rc.values[sel] - ref[:, 0])))
r['err_beta_ours'] = float(np.max(np.abs(oursb[sel] - ref[:, 1]) / np.abs(ref[:, 1])))
r['err_beta_pandas'] = float(np.max(np.abs(rbeta.values[sel] - ref[:, 1]) / np.abs(ref[:, 1])))
r['err_ols_vs_ours'] = float(np.nanmax(np.abs(ro.params.iloc[:, 1].values - oursb[:${NOLS}])))
r['corr_value'] = float(c)
r['mat_diff'] = float(np.max(np.abs(mp.values - np.array(${JSON.stringify(matP.r)}))))
print(json.dumps(r))
`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const out = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8', maxBuffer: 1 << 26, env });
  if (out.status !== 0) throw new Error(out.stderr);
  const P = JSON.parse(out.stdout);

  const fmtN = (n) => n.toLocaleString('en');
  const rows = [
    [`rolling corr, ${fmtN(N)} points, window ${W}`, tRoll, P.roll, 'pandas a.rolling(w).corr(b)'],
    [`full corr, ${fmtN(N)} points`, tCorr, P.corr, 'pandas a.corr(b)'],
    [`corr matrix ${K}x${K}, ${fmtN(NM)} rows, pearson`, tMatP, P.matp, 'pandas DataFrame.corr()'],
    [`corr matrix ${K}x${K}, ${fmtN(NM)} rows, spearman`, tMatS, P.mats, "pandas DataFrame.corr('spearman')"],
    [`rolling beta, ${fmtN(N)} points, window ${W}`, tBeta, P.beta, 'pandas rolling cov / var'],
    [`rolling beta, ${fmtN(N)} points, window ${W}`, tBeta, P.ols * (N / NOLS), `statsmodels RollingOLS (ran ${fmtN(NOLS)} pts: ${P.ols.toFixed(0)} ms, x${N / NOLS} extrapolated)`],
    [`rolling volatility, ${fmtN(N)} points, window ${W}`, tVol, P.vol, 'pandas a.rolling(w).std() * sqrt(365)'],
    [`rolling spearman, 20,000 points, window 60`, tSpear, NaN, 'no pandas/statsmodels peer (O(n·w·log w))'],
  ];
  console.log(`analytics: CPU ms, best of ${REPEAT} (${3 * REPEAT} under 50 ms) after a warm-up, single-threaded both sides; node ${process.version}; load average ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'operation'.padEnd(w0)}  ${'ours'.padStart(8)}  ${'peer'.padStart(9)}  ${'speed-up'.padStart(8)}  peer`);
  for (const [name, ours, peer, what] of rows) {
    console.log(`${name.padEnd(w0)}  ${ours.toFixed(1).padStart(8)}  ${(Number.isFinite(peer) ? peer.toFixed(1) : '-').padStart(9)}  ${(Number.isFinite(peer) ? `${(peer / ours).toFixed(1)}x` : '-').padStart(8)}  ${what}`);
  }
  console.log(`accuracy vs an exact two-pass computation of each window (prices near 100,000; every 997th window):`);
  console.log(`  rolling corr max abs error: ours ${P.err_ours.toExponential(2)}, pandas ${P.err_pandas.toExponential(2)}`);
  console.log(`  rolling beta max rel error: ours ${P.err_beta_ours.toExponential(2)}, pandas ${P.err_beta_pandas.toExponential(2)}; ours vs RollingOLS max abs diff ${P.err_ols_vs_ours.toExponential(2)}`);
  console.log(`  full corr: ours ${full.r}, pandas ${P.corr_value}; corr matrix max abs diff vs pandas ${P.mat_diff.toExponential(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
