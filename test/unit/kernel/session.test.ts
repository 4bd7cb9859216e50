/**
 * The kernel requests of issue 18: the Variables view's `variables` request, `setNotebook` (an
 * untitled notebook saved under a name keeps its kernel, and paths resolve from its folder from
 * then on), and runtime errors with a code frame.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KernelClient } from '../../../src/kernel/client';
import { TEXT_MIME } from '../../../src/shared/schemas';
import { cellLabel } from '../../../src/kernel/protocol';
import { buildKernel } from './build';
import { tempDirPerSuite } from '../helpers';

async function run(k: KernelClient, code: string, n: number) {
  let text = '';
  const r = await k.execute(code, 'typescript', {
    cellLabel: cellLabel(n),
    onOutput: (e) => {
      if (e.kind === 'display')
        text += e.items
          .filter((i) => i.mime === TEXT_MIME)
          .map((i) => String(i.data))
          .join('');
    },
  });
  return { ...r, text };
}

describe('kernel session: variables, save as, runtime code frames', function () {
  this.timeout(60_000);
  let k: KernelClient;
  let dir: string;

  tempDirPerSuite('mktnb-session-', (d) => (dir = d));
  before(async () => {
    fs.mkdirSync(path.join(dir, 'ws', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'ws', 'where.txt'), 'workspace');
    fs.writeFileSync(path.join(dir, 'ws', 'sub', 'where.txt'), 'notebook folder');
    // an untitled notebook: no notebook path, the workspace folder as cwd
    k = await KernelClient.start({ cwd: path.join(dir, 'ws'), kernelScript: await buildKernel() });
  });
  after(async () => {
    await k?.dispose();
  });

  it('lists the names cells declared, in order, with type, shape and summary', async () => {
    assert.equal(
      (
        await run(
          k,
          "const n: number = 42;\nconst s = new Series([Date.UTC(2024,0,1), Date.UTC(2024,0,2)], [1, 2.5], 'px');\nfunction f(a: number) { return a; }",
          1,
        )
      ).ok,
      true,
    );
    const vars = await k.variables();
    assert.deepEqual(
      vars?.map((v) => [v.name, v.type, v.shape]),
      [
        ['n', 'number', ''],
        ['s', 'Series', '2'],
        ['f', 'function', ''],
      ],
    );
    assert.equal(vars?.[1].summary, 'px, 2024-01-01 .. 2024-01-02, last 2.5');
    assert.ok(!vars?.some((v) => v.name === 'load' || v.name === 'display'), 'library globals are not variables');
  });

  it("after setNotebook the variables stay and relative paths resolve from the saved file's folder", async () => {
    assert.equal((await run(k, "require('fs').readFileSync('where.txt', 'utf8')", 2)).text, "'workspace'");
    k.setNotebook(path.join(dir, 'ws', 'sub', 'saved.mktnb'));
    const r = await run(
      k,
      "[n, require('fs').readFileSync('where.txt', 'utf8'), __filename.endsWith('saved.mktnb'), import.meta.dirname ?? '']",
      3,
    );
    assert.equal(r.ok, true, r.error?.stack);
    assert.match(r.text, /^\[ 42, 'notebook folder', true/);
  });

  it('a runtime error names the cell by its execution count and shows a code frame', async () => {
    const r = await run(k, 'const a = 1;\nnull!.boom(a);', 4);
    assert.equal(r.ok, false);
    assert.match(r.error!.stack, /at cell \[4\]:2:7/);
    assert.match(r.error!.stack, /> 2 \| null!\.boom\(a\);\n\s+\|\s+\^/);
  });
});
