import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KernelClient, type ExecuteResult, type KernelOutputEvent } from '../../../src/kernel/client';
import { CHART_MIME, TEXT_MIME } from '../../../src/shared/schemas';
import { buildKernel, FIXTURES } from './build';

interface Ran extends ExecuteResult {
  out: KernelOutputEvent[];
  text: string;
  stdout: string;
  stderr: string;
}

let cellNo = 0;
async function run(
  k: KernelClient,
  code: string,
  language: 'typescript' | 'javascript' = 'typescript',
  cellLabel = `cell ${++cellNo}`,
): Promise<Ran> {
  const out: KernelOutputEvent[] = [];
  const r = await k.execute(code, language, { cellLabel, onOutput: (e) => out.push(e) });
  const texts = out.flatMap((e) =>
    e.kind === 'display' ? e.items.filter((i) => i.mime === TEXT_MIME).map((i) => String(i.data)) : [],
  );
  const stream = (n: string) =>
    out
      .filter((e) => e.kind === 'stream' && e.name === n)
      .map((e: any) => e.text)
      .join('');
  return { ...r, out, text: texts.join('\n'), stdout: stream('stdout'), stderr: stream('stderr') };
}

/** Runs a cell that must succeed and returns the text of its displayed value. */
async function value(
  k: KernelClient,
  code: string,
  language: 'typescript' | 'javascript' = 'typescript',
): Promise<string> {
  const r = await run(k, code, language);
  assert.equal(r.ok, true, `cell failed: ${r.error?.stack}`);
  return r.text;
}

/** Runs a cell and interrupts it after `ms`. */
function runAndInterrupt(k: KernelClient, code: string, ms: number): ReturnType<typeof run> {
  const p = run(k, code);
  setTimeout(() => k.interrupt(), ms);
  return p;
}

/** The cell ended as interrupted in the same process: no restart, so earlier state is kept. */
function assertInterruptedInPlace(k: KernelClient, r: Awaited<ReturnType<typeof run>>, pid: number): void {
  assert.equal(r.error?.interrupted, true, JSON.stringify(r));
  assert.equal(r.restarted, undefined);
  assert.equal(k.pid, pid);
}

describe('kernel (process)', function () {
  this.timeout(60_000);
  let kernelScript: string;
  let k: KernelClient;

  before(async () => {
    kernelScript = await buildKernel();
    k = await KernelClient.start({ cwd: FIXTURES, notebookPath: path.join(FIXTURES, 'test.mktnb'), kernelScript });
  });
  after(() => k?.dispose());

  describe('state across cells', () => {
    it('re-runs a cell that declares const', async () => {
      assert.equal(await value(k, 'const x: number = 1; x'), '1');
      assert.equal(await value(k, 'const x: number = 2; x'), '2');
      assert.equal(await value(k, 'x * 10'), '20');
    });

    it('keeps const, let, function, class and imports for later cells', async () => {
      await value(
        k,
        [
          'const c1 = 10;',
          'let l1: string = "a";',
          'function fn1(n: number): number { return n + c1 }',
          'class K1 { constructor(public v: number) {} twice() { return this.v * 2 } }',
          'import { add } from "cjs-pkg";',
        ].join('\n'),
      );
      assert.equal(
        await value(k, 'l1 += "b"; [c1, l1, fn1(1), new K1(4).twice(), add(2, 3)]'),
        "[ 10, 'ab', 11, 8, 5 ]",
      );
    });

    it('keeps TypeScript enums and namespaces, and re-runs them', async () => {
      const code =
        'enum Side { Long = 1, Short = -1 }\nnamespace Fees { export const taker = 0.0005; }\n[Side.Short, Side[1], Fees.taker]';
      assert.equal(await value(k, code), "[ -1, 'Long', 0.0005 ]");
      assert.equal(await value(k, code), "[ -1, 'Long', 0.0005 ]");
      assert.equal(await value(k, 'Side.Long'), '1');
    });

    it('supports top-level await', async () => {
      assert.equal(
        await value(k, 'const t1 = await new Promise<number>((r) => setTimeout(() => r(5), 20)); t1 + 1'),
        '6',
      );
      assert.equal(await value(k, 'await Promise.resolve("done")'), "'done'");
    });

    it('shows a last string quoted, as Jupyter shows a repr', async () => {
      assert.equal(await value(k, '"a string"'), "'a string'");
      assert.equal(await value(k, 'Promise.resolve(3)'), 'Promise { 3 }');
    });

    it('shows nothing for undefined and runs JavaScript cells', async () => {
      const r = await run(k, 'let nothing; nothing', 'javascript');
      assert.equal(r.ok, true);
      assert.deepEqual(r.out, []);
      assert.equal(await value(k, 'const j = [1, 2].map((v) => v * 3); j', 'javascript'), '[ 3, 6 ]');
    });
  });

  describe('imports', () => {
    it('imports a CommonJS package from the notebook folder', async () => {
      assert.equal(
        await value(k, 'import cjs, { add as plus, kind } from "cjs-pkg"; [plus(1, 1), kind, cjs.kind]'),
        "[ 2, 'cjs', 'cjs' ]",
      );
    });

    it('imports an ES-module-only package (with top-level await) from the notebook folder', async () => {
      assert.equal(
        await value(k, 'import greet, { mul, kind as k2 } from "esm-only"; [greet("you"), mul(3, 4), k2]'),
        "[ 'hello you (ready)', 12, 'esm' ]",
      );
      assert.equal(await value(k, 'import { extra } from "esm-only/extra"; extra'), '42');
      assert.equal(await value(k, 'const dyn = await import("esm-only"); dyn.mul(2, 2)'), '4');
    });

    it('imports relative TypeScript files and JSON against the notebook folder', async () => {
      assert.equal(
        await value(k, 'import { area, greeting, twice } from "./helpers"; [area({ x: 2, y: 3 }), greeting, twice(5)]'),
        "[ 6, 'hello helper (ready)', 10 ]",
      );
      assert.equal(await value(k, 'import data from "./data.json"; data.symbol'), "'BTC'");
    });

    it("gives the analysis library as 'mktnb' and as globals, with paths resolved against the notebook", async () => {
      assert.equal(
        await value(
          k,
          'import * as m from "mktnb"; import { runtime } from "mktnb"; [typeof m.Table, typeof Table, runtime.baseDir === process.cwd(), runtime.baseDir]',
        ),
        `[ 'function', 'function', true, '${FIXTURES}' ]`,
      );
    });

    it('finds packages in a node_modules above the notebook (the workspace)', async () => {
      const sub = await KernelClient.start({ cwd: path.join(FIXTURES, 'lib'), kernelScript });
      try {
        assert.equal(
          await value(
            sub,
            'import { add } from "cjs-pkg"; import { mul } from "esm-only"; import { twice } from "./util"; [add(1, 2), mul(2, 5), twice(4)]',
          ),
          '[ 3, 10, 8 ]',
        );
      } finally {
        await sub.dispose();
      }
    });

    it('reports a missing package clearly', async () => {
      const r = await run(k, 'import nope from "no-such-package-here"');
      assert.equal(r.ok, false);
      assert.match(r.error!.message, /Cannot find module 'no-such-package-here'/);
    });
  });

  describe('errors', () => {
    it('maps the stack to the TypeScript source of the cell', async () => {
      const code = [
        'interface Quote {', // 1  (TS only: gone from the JavaScript)
        '  price: number;', // 2
        '}', // 3
        'type Px = Quote["price"];', // 4
        'const q: Quote = { price: 1 };', // 5
        'function check(p: Px): void {', // 6
        '  if (p > 0) throw new RangeError(`bad price ${p}`);', // 7
        '}', // 8
        'check(q.price as Px);', // 9
      ].join('\n');
      const r = await run(k, code, 'typescript', 'Cell 42');
      assert.equal(r.ok, false);
      assert.equal(r.error!.name, 'RangeError');
      assert.equal(r.error!.message, 'bad price 1');
      const lines = r.error!.stack.split('\n');
      assert.equal(lines[0], 'RangeError: bad price 1');
      assert.equal(lines[1], `    at check (Cell 42:7:${code.split('\n')[6].indexOf('new RangeError') + 1})`);
      assert.match(lines[2], /^ {4}at Cell 42:9:1$/);
      assert.doesNotMatch(r.error!.stack, /__mktnb|kernel\.js|node:internal|node:vm/);
    });

    it('labels frames of functions from earlier cells with their own cell', async () => {
      await value(k, 'type N = number;\nfunction boom(n: N) {\n  throw new Error("from A " + n);\n}', 'typescript');
      const r = await run(k, 'const zz = 1;\nboom(zz);', 'typescript', 'Cell B');
      assert.equal(r.ok, false);
      const frames = r.error!.stack.split('\n').slice(1);
      assert.match(frames[0], /^ {4}at boom \(cell \d+:3:9\)$/);
      assert.equal(frames[1], '    at Cell B:2:1');
      // errors a cell prints itself read the same way
      const printed = await run(k, 'try {\n  boom(2);\n} catch (e) {\n  console.error(e);\n}', 'typescript', 'Cell C');
      assert.match(printed.stderr, /^Error: from A 2\n {4}at boom \(cell \d+:3:9\)\n {4}at Cell C:2:3\n/);
      assert.doesNotMatch(printed.stderr, /__mktnb|kernel\.js/);
    });

    it('maps errors thrown inside a relative TypeScript helper to its file', async () => {
      const r = await run(k, 'import { failing } from "./helpers";\nfailing();');
      assert.equal(r.ok, false);
      assert.match(r.error!.stack, /at failing \(helpers\.ts:12:9\)/);
    });

    it('shows where a syntax error is, with a code frame', async () => {
      const r = await run(k, 'const ok: number = 1;\nconst broken = (ok + ;\n', 'typescript', 'Cell S');
      assert.equal(r.ok, false);
      assert.equal(r.error!.name, 'SyntaxError');
      assert.match(r.error!.stack, /at Cell S:2:22\n/);
      assert.match(r.error!.stack, /> 2 \| const broken = \(ok \+ ;\n {4}\| {22}\^/);
      const js = await run(k, 'let a = 1;\n\nlet b = a +* 2;', 'javascript', 'Cell J');
      assert.equal(js.error!.name, 'SyntaxError');
      assert.match(js.error!.stack, /at Cell J:3:12/);
    });

    it('fails the cell with an unhandled rejection, without ending the kernel', async () => {
      const pid = k.pid;
      const r = await run(
        k,
        'Promise.reject(new Error("nobody listens")); await new Promise((r) => setTimeout(r, 50)); "after"',
      );
      assert.equal(r.ok, false);
      assert.match(r.error!.stack, /^Uncaught \(in promise\) Error: nobody listens/);
      assert.equal(k.pid, pid);
      assert.equal(await value(k, '"next"'), "'next'");
    });

    it('turns process.exit() into an error instead of ending the kernel', async () => {
      const pid = k.pid;
      const r = await run(k, 'process.exit(3)');
      assert.equal(r.ok, false);
      assert.match(r.error!.message, /process\.exit\(3\)/);
      assert.equal(k.pid, pid);
    });
  });

  describe('output', () => {
    it('streams console output while the cell is still running', async () => {
      const flag = path.join(os.tmpdir(), `mktnb-stream-${process.pid}-${Date.now()}`);
      let settled = false;
      let sawBeforeEnd = false;
      const out: KernelOutputEvent[] = [];
      const p = k
        .execute(
          `import * as fs from 'node:fs';\nconsole.log('first');\nwhile (!fs.existsSync(${JSON.stringify(flag)})) await new Promise((r) => setTimeout(r, 5));\nconsole.error('second');`,
          'typescript',
          {
            cellLabel: 'stream',
            onOutput: (e) => {
              out.push(e);
              if (e.kind === 'stream' && e.text === 'first\n') {
                sawBeforeEnd = !settled;
                fs.writeFileSync(flag, '');
              }
            },
          },
        )
        .then((r) => {
          settled = true;
          return r;
        });
      const r = await p;
      fs.rmSync(flag, { force: true });
      assert.equal(r.ok, true, r.error?.stack);
      assert.equal(sawBeforeEnd, true);
      assert.deepEqual(out, [
        { kind: 'stream', name: 'stdout', text: 'first\n' },
        { kind: 'stream', name: 'stderr', text: 'second\n' },
      ]);
    });

    it('merges many console writes into few events, in order with displays', async () => {
      const r = await run(k, 'for (let i = 0; i < 2000; i++) console.log(i);\ndisplay("mid");\nconsole.log("end");');
      assert.equal(r.ok, true, r.error?.stack);
      const expected = Array.from({ length: 2000 }, (_, i) => `${i}\n`).join('');
      const kinds = r.out.map((e) => e.kind);
      const mid = kinds.indexOf('display');
      assert.equal(
        r.out
          .slice(0, mid)
          .map((e: any) => e.text)
          .join(''),
        expected,
      );
      assert.ok(mid < 2000 / 10, `${mid} stream events before the display`);
      assert.deepEqual(r.out.slice(mid + 1), [{ kind: 'stream', name: 'stdout', text: 'end\n' }]);
    });

    it('gives output of a finished cell to background listeners when no cell runs', async () => {
      const got: Array<{ cellId: number; text?: string }> = [];
      let resolve!: () => void;
      const arrived = new Promise<void>((r) => {
        resolve = r;
      });
      k.onBackgroundOutput((e) => {
        if (e.kind === 'stream') {
          got.push({ cellId: e.cellId, text: e.text });
          resolve();
        }
      });
      const r = await run(k, 'setTimeout(() => console.log("later"), 50); "returned"');
      assert.equal(r.text, "'returned'");
      await arrived;
      assert.equal(got.length, 1);
      assert.equal(got[0].text, 'later\n');
      assert.ok(got[0].cellId > 0);
    });

    it('displays values through the DISPLAY protocol, and display() shows more', async () => {
      const r = await run(
        k,
        [
          'const chart = { [Symbol.for("mktnb.display")]() { return [',
          `  { mime: ${JSON.stringify(CHART_MIME)}, data: { kind: "chart", version: 1, figure: { data: [] } } },`,
          '  { mime: "text/plain", data: "a chart" }] } };',
          'display("shown", 2);',
          'chart',
        ].join('\n'),
      );
      assert.equal(r.ok, true, r.error?.stack);
      assert.deepEqual(r.out, [
        { kind: 'display', items: [{ mime: TEXT_MIME, data: "'shown'" }] },
        { kind: 'display', items: [{ mime: TEXT_MIME, data: '2' }] },
        {
          kind: 'display',
          items: [
            { mime: CHART_MIME, data: { kind: 'chart', version: 1, figure: { data: [] } } },
            { mime: TEXT_MIME, data: 'a chart' },
          ],
        },
      ]);
    });

    it('display.markdown and display.text show at once; there is no display.html', async () => {
      const r = await run(k, 'display.markdown("# Title");\ndisplay.text("raw");\ntypeof (display as any).html');
      assert.equal(r.ok, true, r.error?.stack);
      assert.deepEqual(r.out, [
        {
          kind: 'display',
          items: [
            { mime: 'text/markdown', data: '# Title' },
            { mime: TEXT_MIME, data: '# Title' },
          ],
        },
        { kind: 'display', items: [{ mime: TEXT_MIME, data: 'raw' }] },
        { kind: 'display', items: [{ mime: TEXT_MIME, data: "'undefined'" }] },
      ]);
    });

    it('displays a library Table with its table mime type', async () => {
      const r = await run(k, 'new Table([{ name: "a", type: "number" }], [[1], [2]])');
      assert.equal(r.ok, true, r.error?.stack);
      const items = (r.out[0] as any).items as Array<{ mime: string }>;
      assert.deepEqual(
        items.map((i) => i.mime),
        ['application/vnd.mktnb.table+json', TEXT_MIME],
      );
    });

    it('reports a duration for each cell', async () => {
      const r = await run(k, 'await new Promise((r) => setTimeout(r, 30)); 1');
      assert.equal(typeof r.durationMs, 'number');
      assert.ok(r.durationMs >= 25, `durationMs ${r.durationMs}`);
    });
  });

  describe('interrupt', () => {
    it('stops a synchronous infinite loop and keeps earlier variables', async () => {
      await value(k, 'const kept = "still here"');
      const pid = k.pid;
      const p = run(k, 'let spins = 0;\nwhile (true) { spins++; }');
      setTimeout(() => k.interrupt(), 300);
      const r = await p;
      assert.equal(r.ok, false);
      assert.equal(r.error!.interrupted, true);
      assert.equal(r.restarted, undefined);
      assert.equal(k.pid, pid);
      assert.equal(await value(k, 'kept'), "'still here'");
      assert.equal(await value(k, 'spins > 0'), 'true');
    });

    it('ends a cell awaiting forever, without a restart', async () => {
      const pid = k.pid;
      const p = run(k, 'await new Promise(() => {});');
      setTimeout(() => k.interrupt(), 200);
      const r = await p;
      assert.equal(r.ok, false);
      assert.equal(r.error!.interrupted, true);
      assert.equal(r.restarted, undefined);
      assert.equal(k.pid, pid);
      assert.equal(await value(k, 'kept'), "'still here'");
    });

    it('stops an async loop for good', async () => {
      const p = run(k, 'let ticks = 0;\nwhile (true) { await new Promise((r) => setTimeout(r, 5)); ticks++; }');
      setTimeout(() => k.interrupt(), 200);
      const r = await p;
      assert.equal(r.error?.interrupted, true);
      const before = Number(await value(k, 'ticks'));
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(Number(await value(k, 'ticks')), before);
    });

    it('stops a loop that runs after an await, or in a timer callback, keeping state', async () => {
      const pid = k.pid;
      // breakOnSigint cannot reach these: the loop runs in a callback of the event loop
      const r = await runAndInterrupt(
        k,
        'let laps = 0;\nawait new Promise((r) => setTimeout(r, 10));\nwhile (true) { laps++; }',
        200,
      );
      assertInterruptedInPlace(k, r, pid);
      const r2 = await runAndInterrupt(
        k,
        'await new Promise<void>((done) => setTimeout(() => { for (;;) laps++; }, 10)); "never"',
        200,
      );
      assertInterruptedInPlace(k, r2, pid);
      assert.equal(await value(k, 'kept'), "'still here'");
    });

    it("stops a loop in the notebook's own helper file without a restart", async () => {
      const pid = k.pid;
      const r = await runAndInterrupt(k, 'import { waitThenSpin } from "./helpers";\nawait waitThenSpin();', 300);
      assertInterruptedInPlace(k, r, pid);
      assert.equal(await value(k, 'kept'), "'still here'");
    });

    it('stops synchronous package code in the first part of a cell (SIGINT, breakOnSigint) without a restart', async function () {
      if (process.platform === 'win32') this.skip();
      const pid = k.pid;
      const r = await runAndInterrupt(k, 'import { spin } from "cjs-pkg";\nspin();', 300);
      assertInterruptedInPlace(k, r, pid);
      assert.equal(await value(k, 'kept'), "'still here'");
    });

    it('restarts the kernel when a busy loop in package code cannot be stopped, and says so', async () => {
      const pid = k.pid;
      const p = run(k, 'import { spin } from "cjs-pkg";\nawait new Promise((r) => setTimeout(r, 10));\nspin();');
      setTimeout(() => k.interrupt(), 200);
      const r = await p;
      assert.equal(r.ok, false);
      assert.equal(r.error!.interrupted, true);
      assert.match(r.restarted ?? '', /restarted/);
      assert.notEqual(k.pid, pid);
      assert.equal(await value(k, 'typeof kept'), "'undefined'");
    });

    it('cancels queued cells', async () => {
      const a = run(k, 'await new Promise(() => {})');
      const b = run(k, '"should not run"');
      setTimeout(() => k.interrupt(), 100);
      const [ra, rb] = await Promise.all([a, b]);
      assert.equal(ra.error?.interrupted, true);
      assert.equal(rb.error?.interrupted, true);
      assert.deepEqual(rb.out, []);
    });
  });

  describe('restart and memory', () => {
    it('restart clears state', async () => {
      await value(k, 'const beforeRestart = 1');
      const pid = k.pid;
      const exits: string[] = [];
      k.onDidExit((i) => exits.push(i.kind));
      await k.restart();
      assert.notEqual(k.pid, pid);
      assert.equal(await value(k, 'typeof beforeRestart'), "'undefined'");
      assert.deepEqual(exits, ['restart']);
    });

    it('a cell that exhausts memory ends only its kernel, and the next cell runs on a fresh one', async () => {
      const small = await KernelClient.start({ cwd: FIXTURES, kernelScript, maxOldSpaceMb: 128 });
      try {
        await value(small, 'const lost = 1');
        const pid = small.pid;
        const exits: Array<{ kind: string; reason: string }> = [];
        small.onDidExit((i) => exits.push(i));
        const r = await run(small, 'const hog: number[][] = [];\nwhile (true) hog.push(new Array(100_000).fill(1));');
        assert.equal(r.ok, false);
        assert.equal(r.error!.name, 'OutOfMemory');
        assert.equal(
          r.error!.message,
          'the kernel ran out of memory (limit 128 MB) and was restarted; variables were lost',
        );
        assert.match(r.restarted ?? '', /ran out of memory/);
        assert.equal(exits[0]?.kind, 'oom');
        assert.notEqual(small.pid, pid);
        assert.equal(await value(small, 'typeof lost'), "'undefined'");
        assert.equal(await value(small, '1 + 1'), '2');
        assert.ok(process.kill(k.pid, 0), 'the other kernel is alive');
      } finally {
        await small.dispose();
      }
    });

    it('fails clearly when the kernel script cannot start', async () => {
      await assert.rejects(
        KernelClient.start({ cwd: FIXTURES, kernelScript: path.join(FIXTURES, 'no-such-kernel.js') }),
        /ended before it was ready/,
      );
    });
  });
});
