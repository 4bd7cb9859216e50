/**
 * mktnb run under faults (issue 11): time limits, errors raised after a cell finished, and
 * --in-place writes that never destroy results (saved outputs of cells that did not run, file
 * mode, symlinks, temporary files).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseNotebook, serializeNotebook } from '../../../src/format/serialize';
import type { MktnbCell, MktnbFile } from '../../../src/format/types';
import { ERROR_MIME, TEXT_MIME } from '../../../src/shared/schemas';
import { writeAtomic } from '../../../src/cli/main';
import { CLI, ensureBuilt, tempDirPerTest } from '../helpers';

function code(src: string, outputs?: MktnbCell['outputs']): MktnbCell {
  return {
    kind: 'code',
    language: 'typescript',
    source: src.split('\n'),
    ...(outputs ? { outputs, execution: { order: 9, success: true, durationMs: 1 } } : {}),
  };
}
function nb(...cells: MktnbCell[]): MktnbFile {
  return {
    format: 'mktnb',
    version: '1.0',
    metadata: {},
    cells: [{ kind: 'markdown', language: 'markdown', source: ['# t'] }, ...cells],
  };
}
function mktnb(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
}
const saved = [{ kind: 'result', items: [{ mime: TEXT_MIME, data: 'saved result of an earlier run' }] }];

describe('mktnb CLI faults', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => ensureBuilt());
  tempDirPerTest('mktnb-cli-faults-', (d) => (dir = d));

  it('--timeout stops a cell that never ends: "timed out after N s" in that cell, exit 1', () => {
    fs.writeFileSync(
      path.join(dir, 't.mktnb'),
      serializeNotebook(nb(code('const before = 1;'), code('while (true) {}'), code('"never"', saved))),
    );
    const r = mktnb(['run', 't.mktnb', '--timeout', '1', '--out', 'out.mktnb'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /cell \[2\] failed: TimeoutError: timed out after 1 s/);
    const out = parseNotebook(fs.readFileSync(path.join(dir, 'out.mktnb'), 'utf8'));
    const err = out.cells[2].outputs!.flatMap((o) => o.items).find((i) => i.mime === ERROR_MIME)!;
    assert.match((err.data as any).message, /^timed out after 1 s/);
    assert.equal(out.cells[2].execution?.success, false);
    assert.deepEqual(out.cells[3].outputs, saved, 'the cell that did not run keeps its saved outputs');
  });

  it('refuses a bad --timeout', () => {
    fs.writeFileSync(path.join(dir, 't.mktnb'), serializeNotebook(nb(code('1'))));
    for (const v of ['-1', 'abc', '']) {
      const r = mktnb(['run', 't.mktnb', '--timeout', v], dir);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--timeout (takes a number|needs a value)/);
    }
  });

  it('an error a timer raises after its cell finished: on stderr, in that cell, exit 1; the next cell is not blamed', () => {
    fs.writeFileSync(
      path.join(dir, 'l.mktnb'),
      serializeNotebook(
        nb(
          code('setTimeout(() => { throw new Error("late boom"); }, 100);\n"first"'),
          code('await new Promise((r) => setTimeout(r, 600));\n"second"'),
        ),
      ),
    );
    const r = mktnb(['run', 'l.mktnb', '--out', 'out.mktnb'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /cell \[1\] raised an error after it had finished[^\n]*\n\s+Uncaught Error: late boom/);
    assert.match(r.stderr, /1 error raised after its cell had finished/);
    const out = parseNotebook(fs.readFileSync(path.join(dir, 'out.mktnb'), 'utf8'));
    assert.ok(
      out.cells[1].outputs!.some((o) =>
        o.items.some((i) => i.mime === ERROR_MIME && /late boom/.test((i.data as any).message)),
      ),
    );
    assert.equal(out.cells[2].execution?.success, true);
    assert.ok(!out.cells[2].outputs!.some((o) => o.items.some((i) => i.mime === ERROR_MIME)));
  });

  it('--in-place after a failing cell keeps the saved outputs of the cells that did not run, the mode, and the symlink', () => {
    const real = path.join(dir, 'real');
    fs.mkdirSync(real);
    const file = path.join(real, 'n.mktnb');
    fs.writeFileSync(
      file,
      serializeNotebook(
        nb(code('1 + 1', saved), code('throw new Error("broken today")', saved), code('"later"', saved)),
      ),
    );
    fs.chmodSync(file, 0o640);
    const link = path.join(dir, 'link.mktnb');
    fs.symlinkSync(path.relative(dir, file), link);
    const r = mktnb(['run', 'link.mktnb', '--in-place'], dir);
    assert.equal(r.status, 1);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    const out = parseNotebook(fs.readFileSync(file, 'utf8'));
    assert.equal(out.cells[1].outputs![0].items[0].data, '2');
    assert.match(JSON.stringify(out.cells[2].outputs), /broken today/);
    assert.deepEqual(out.cells[3].outputs, saved);
    assert.equal(out.cells[3].execution?.order, 9, "its execution record is the earlier run's");
    assert.deepEqual(fs.readdirSync(real), ['n.mktnb'], 'no temporary file left');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['link.mktnb', 'real']);
  });

  it('writeAtomic removes its temporary file when the write fails', () => {
    const target = path.join(dir, 'is-a-dir');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep'), 'x');
    assert.throws(() => writeAtomic(target, 'text'));
    assert.deepEqual(fs.readdirSync(dir), ['is-a-dir']);
    assert.deepEqual(fs.readdirSync(target), ['keep']);
  });
});
