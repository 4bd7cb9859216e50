// The in-extension-host mocha suite (test/exthost), run inside code-server's extension host:
// code-server is started with MKTNB_EXTHOST_SUITE/MKTNB_EXTHOST_RESULT in its environment
// (inherited by the extension host); the extension's activate() runs the suite and writes the
// result. Opening a .mktnb file in the browser activates the extension.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { closeWindows, ctx, openWindow, server, workspace } from '../lib/context.mjs';
import { openNotebook } from '../lib/workbench.mjs';
import { SUITE_JS } from '../../exthost/build.mjs';

describe('in-extension-host suite inside code-server', function () {
  after(closeWindows);

  it('passes (vscode API: open, run all, save, interrupt)', async function () {
    this.timeout(330_000);
    const result = path.join(ctx.tmp, 'exthost-result.json');
    await server('exthost', { trust: true, env: { MKTNB_EXTHOST_SUITE: SUITE_JS, MKTNB_EXTHOST_RESULT: result } });
    const ws = workspace('exthost');
    const { page } = await openWindow('exthost', ws);
    await openNotebook(page, 'fixtures/saved-outputs.mktnb'); // onNotebook:mktnb activates the extension
    // the suite writes its result file when done (read until it parses: it may be mid-write)
    const deadline = Date.now() + 300_000;
    let r;
    for (;;) {
      try { r = JSON.parse(fs.readFileSync(result, 'utf8')); break; } catch { /* not there yet */ }
      if (Date.now() > deadline) throw new Error('the in-extension-host suite wrote no result (see code-server-exthost.log and the extension host log)');
      await new Promise((res) => setTimeout(res, 250)); // poll for the file
    }
    for (const t of r.tests ?? []) console.log(`      [exthost] ${t.state.padEnd(7)} ${t.title}${t.ms ? ` (${t.ms} ms)` : ''}`);
    assert.equal(r.failed, 0, `in-extension-host failures:\n${(r.failures ?? []).join('\n')}`);
    assert.ok(r.passed >= 4, `expected at least 4 passing tests, got ${r.passed}`);
  });
});
