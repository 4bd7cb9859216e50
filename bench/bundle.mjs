// How a benchmark loads code from src/ (one owner for it): bundled by esbuild as the extension
// bundles the library for cells (CommonJS for Node, the DuckDB native addon left external), into a
// temporary folder under node_modules, so that the bundles resolve the project's packages; the
// folder is removed when the process exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The project's root folder. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles each entry (a path under the project's root, or an absolute one) and returns their
 * exports, in order.
 * @param tag names the temporary folder (node_modules/.cache-bench-<tag>-…)
 */
export async function bundled(tag, entries) {
  const dir = mkdtempSync(join(root, 'node_modules', `.cache-bench-${tag}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const require = createRequire(join(dir, 'loader.cjs'));
  const out = [];
  for (const [i, entry] of entries.entries()) {
    const outfile = join(dir, `bundle${i}.cjs`);
    await build({
      entryPoints: [isAbsolute(entry) ? entry : join(root, entry)],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      outfile,
      logLevel: 'error',
      external: ['@duckdb/node-bindings-*'],
    });
    out.push(require(outfile));
  }
  return out;
}

/** A temporary folder for a benchmark's generated files (its entry modules, say), removed at exit. */
export function benchDir(tag) {
  const dir = mkdtempSync(join(root, 'node_modules', `.cache-bench-${tag}-files-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
