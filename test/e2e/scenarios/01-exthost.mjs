// The in-extension-host mocha suite (test/exthost), run inside code-server's extension host:
// a test-only runner extension (test/exthost/build.mjs writeRunnerExtension) is added to a copy
// of the extensions dir next to the installed Market Notebooks; it runs the suite on startup and
// writes the result. The installed extension itself has no test hook.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { closeWindows, ctx, openWindow, server, workspace } from '../lib/context.mjs';
import { openNotebook } from '../lib/workbench.mjs';
import { writeRunnerExtension } from '../../exthost/build.mjs';

describe('in-extension-host suite inside code-server', function () {
  after(closeWindows);

  it('passes (vscode API: open, run all, save, interrupt)', async function () {
    this.timeout(330_000);
    const result = path.join(ctx.tmp, 'exthost-result.json');
    const extDir = path.join(ctx.tmp, 'exthost-extensions');
    fs.cpSync(ctx.extensionsDir, extDir, { recursive: true });
    const manifest = path.join(extDir, 'extensions.json');
    if (fs.existsSync(manifest))
      fs.writeFileSync(
        manifest,
        fs
          .readFileSync(manifest, 'utf8')
          .split(JSON.stringify(ctx.extensionsDir).slice(1, -1))
          .join(JSON.stringify(extDir).slice(1, -1)),
      );
    writeRunnerExtension(extDir, result, `${ctx.manifest.publisher}.${ctx.manifest.name}`);
    await server('exthost', { trust: true, extensionsDir: extDir });
    const ws = workspace('exthost');
    const { page } = await openWindow('exthost', ws);
    await openNotebook(page, 'fixtures/saved-outputs.mktnb'); // onNotebook:mktnb activates the extension
    // the suite writes its result file when done (read until it parses: it may be mid-write)
    const deadline = Date.now() + 300_000;
    let r;
    for (;;) {
      try {
        r = JSON.parse(fs.readFileSync(result, 'utf8'));
        break;
      } catch {
        /* not there yet */
      }
      if (Date.now() > deadline)
        throw new Error(
          'the in-extension-host suite wrote no result (see code-server-exthost.log and the extension host log)',
        );
      await new Promise((res) => setTimeout(res, 250)); // poll for the file
    }
    for (const t of r.tests ?? [])
      console.log(`      [exthost] ${t.state.padEnd(7)} ${t.title}${t.ms ? ` (${t.ms} ms)` : ''}`);
    assert.equal(r.failed, 0, `in-extension-host failures:\n${(r.failures ?? []).join('\n')}`);
    assert.ok(r.passed >= 4, `expected at least 4 passing tests, got ${r.passed}`);
  });
});
