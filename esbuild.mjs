// One build script, separate bundles (as vscode-jupyter does):
//  - extension host: Node, CommonJS, 'vscode' external
//  - kernel process and CLI: Node, CommonJS (the analysis library is bundled in)
//  - mktnb library: Node CommonJS, for programs outside notebooks
//  - renderers: browser ESM, plotly bundled (nothing from a CDN)
import * as esbuild from 'esbuild';
import { buildTsPlugin } from './scripts/build-tsplugin.mjs';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const common = { bundle: true, sourcemap: true, logLevel: 'warning', minify: production, legalComments: 'none' };
// mainFields: prefer ES module entries (jsonc-parser's UMD build hides requires from the bundler).
// keepNames: class and function names reach users (util.inspect, stack traces) even when minified.
// DuckDB: its JS (@duckdb/node-api, @duckdb/node-bindings) is bundled; the native addon cannot be,
// so every @duckdb/node-bindings-<platform> package stays external (scripts/package.mjs ships the one
// of the VSIX's platform in dist/node_modules, where the bundles' require() finds it).
/** @type {esbuild.BuildOptions} */
const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  keepNames: true,
  external: ['@duckdb/node-bindings-*'],
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', ...node.external] },
  { ...node, entryPoints: ['src/kernel/main.ts'], outfile: 'dist/kernel.js' },
  // the kernel's watchdog thread (interrupts, parent death): a worker started from dist/kernel.js
  { ...node, entryPoints: ['src/kernel/watchdog.ts'], outfile: 'dist/kernel-watchdog.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { ...node, entryPoints: ['src/market/index.ts'], outfile: 'dist/mktnb.js' },
  // the thread load() reads Parquet and exchange dumps in (src/data/sync.ts)
  { ...node, entryPoints: ['src/data/worker.ts'], outfile: 'dist/data-worker.js' },
  {
    ...common,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    entryPoints: { chart: 'renderers/chart.ts', table: 'renderers/table.ts', markdown: 'renderers/markdown.ts' },
    outdir: 'dist/renderers',
    minify: true,
    sourcemap: false,
    loader: { '.css': 'text' },
  },
];

// The standalone plotly bundle is inlined into HTML exports (they must work offline).
mkdirSync('dist', { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min/plotly.min.js'), 'dist/plotly.min.js');

// IntelliSense for cells: the tsserver plugin, built into node_modules/mktnb-tsserver-plugin
// because tsserver loads plugins only by package name (docs/intellisense.md).
await buildTsPlugin({ minify: production });
// The same declarations type `import { corr, load } from 'market-notebooks'` for programs that
// install the npm package (package.json "exports" → dist/types/market/index.d.ts); copied, not
// emitted twice.
const pluginTypes = path.join('node_modules', 'mktnb-tsserver-plugin', 'types');
rmSync(path.join('dist', 'types'), { recursive: true, force: true });
for (const d of ['market', 'shared', 'data'])
  cpSync(path.join(pluginTypes, d), path.join('dist', 'types', d), { recursive: true });

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
