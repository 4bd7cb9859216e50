// Bundles the in-extension-host suite (test/exthost/index.ts + tests + mocha) into one file.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const SUITE_JS = path.join(ROOT, '.vscode-test', 'exthost', 'suite.js');

export async function buildSuite() {
  await esbuild.build({
    entryPoints: [path.join(here, 'index.ts')],
    outfile: SUITE_JS,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' }, // mocha's unused parallel mode
    loader: { '.mktnb': 'json' },
  });
  return SUITE_JS;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await buildSuite());
}
