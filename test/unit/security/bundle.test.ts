/**
 * The shipped bundles carry no test hook and resolve nothing from the notebook's folder
 * (issue 10): the extension never reads MKTNB_EXTHOST_* nor require()s a path from the
 * environment; the kernel loads esbuild only from its own install (or MKTNB_ESBUILD).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuilt, ROOT } from '../helpers';

describe('security: shipped bundles', function () {
  this.timeout(120_000);
  before(() => ensureBuilt());
  it('the extension bundle has no test hook', () => {
    const js = fs.readFileSync(path.join(ROOT, 'dist', 'extension.js'), 'utf8');
    assert.ok(!/MKTNB_EXTHOST/.test(js), 'no MKTNB_EXTHOST_* variable');
    assert.ok(
      !/require\(\s*process\.env/.test(js) && !/require\(\s*suite\s*\)/.test(js),
      'no require of a path from the environment',
    );
    for (const f of ['src/extension.ts', 'src/notebook/commands.ts', 'src/notebook/controller.ts'])
      assert.ok(!/MKTNB_EXTHOST/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')), f);
  });
  it('the kernel never resolves esbuild from the notebook folder', () => {
    const src = fs.readFileSync(path.join(ROOT, 'src', 'kernel', 'main.ts'), 'utf8');
    assert.ok(!/createRequire\(\s*path\.join\(\s*baseDir/.test(src));
    const js = fs.readFileSync(path.join(ROOT, 'dist', 'kernel.js'), 'utf8');
    assert.equal((js.match(/\("esbuild"\)/g) ?? []).length, 1, 'one esbuild resolution, relative to the kernel bundle');
  });
});
