/**
 * The plugin runs inside VS Code's tsserver (TypeScript 5.x), and is type-checked against this
 * repository's `typescript` devDependency (6.x) declarations. The tests run it on the compiler it
 * meets in VS Code, a TypeScript 5, loaded from, in order:
 *   - $MKTNB_TS5 (path to a typescript/lib/typescript.js),
 *   - a `typescript5` package (e.g. devDependency "typescript5": "npm:typescript@^5.8"),
 *   - the copy inside code-server (.vscode-test/code-server, installed by test/e2e/setup.mjs),
 * and fail (plugin.test.ts's before hook) when there is none.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CANDIDATES = [
  process.env.MKTNB_TS5,
  (() => {
    try {
      return require.resolve('typescript5');
    } catch {
      return undefined;
    }
  })(),
  path.join(
    ROOT,
    '.vscode-test/code-server/node_modules/code-server/lib/vscode/extensions/node_modules/typescript/lib/typescript.js',
  ),
];

let cached: any;
export function loadTs5(): any {
  if (cached !== undefined) return cached || undefined;
  for (const c of CANDIDATES) {
    if (!c || !fs.existsSync(c)) continue;
    const ts = require(c);
    if (typeof ts.createLanguageService === 'function' && /^5\./.test(ts.version)) {
      cached = ts;
      return ts;
    }
  }
  cached = false;
  console.warn('      (tsplugin tests skipped: no TypeScript 5 with a JS language service; set MKTNB_TS5)');
  return undefined;
}
