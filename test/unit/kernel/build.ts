/**
 * Builds the kernel entry (src/kernel/main.ts) and its watchdog thread alone, as esbuild.mjs
 * does, into node_modules/.cache/mktnb-kernel-test/<n>/kernel.js (+ kernel-watchdog.js) (inside node_modules so that the bundle
 * finds esbuild the way dist/kernel.js does). The whole-project build is not used because other
 * entries may be half-written while the kernel is tested.
 *
 * While the analysis library is being written, src/market/index.ts may re-export files that do
 * not exist yet; those (and only those) are replaced by empty modules, with a warning.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
let built: Promise<string> | undefined;

export function buildKernel(): Promise<string> {
  built ??= (async () => {
    const outdir = path.join(ROOT, 'node_modules', '.cache', 'mktnb-kernel-test', String(process.pid));
    const outfile = path.join(outdir, 'kernel.js');
    process.once('exit', () => fs.rmSync(outdir, { recursive: true, force: true }));
    const marketDir = path.join(ROOT, 'src', 'market');
    const missing: string[] = [];
    await esbuild.build({
      entryPoints: {
        kernel: path.join(ROOT, 'src/kernel/main.ts'),
        'kernel-watchdog': path.join(ROOT, 'src/kernel/watchdog.ts'),
      },
      outdir,
      bundle: true,
      sourcemap: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
      legalComments: 'none',
      external: ['@duckdb/node-bindings-*'], // DuckDB's native addon, as in esbuild.mjs
      plugins: [
        {
          name: 'missing-market-modules',
          setup(b) {
            b.onResolve({ filter: /^\.\/[\w-]+$/ }, (args) => {
              if (path.join(args.resolveDir) !== marketDir || !args.importer.endsWith('index.ts')) return undefined;
              const base = path.join(marketDir, args.path);
              if (['.ts', '/index.ts'].some((e) => fs.existsSync(base + e))) return undefined;
              missing.push(args.path);
              return { path: base, namespace: 'missing' };
            });
            b.onLoad({ filter: /.*/, namespace: 'missing' }, () => ({ contents: 'export {}', loader: 'ts' }));
          },
        },
      ],
    });
    if (missing.length)
      console.warn(
        `    (kernel test build: src/market/index.ts re-exports missing files ${missing.join(', ')}; left empty)`,
      );
    return outfile;
  })();
  return built;
}

export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'kernel');
