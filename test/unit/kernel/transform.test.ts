import * as assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { CellSyntaxError, lineStarts, offsetToLineCol, rewriteCell } from '../../../src/kernel/transform';

/** Runs rewritten cells in a fresh context with a minimal __mktnb helper, as the kernel does. */
function session() {
  const modules: Record<string, any> = { m: { default: 'D', a: 1, 'b-c': 2 } };
  const ctx = vm.createContext({ __mktnb_f: new Int32Array(1) });
  ctx.__mktnb = {
    imp: async (s: string) => {
      if (!(s in modules)) throw new Error(`no module ${s}`);
      return modules[s];
    },
    pre: (s: string) => {
      if (!(s in modules)) throw new Error(`no module ${s}`);
      return modules[s];
    },
    named: (ns: any, n: string, spec: string, strict: boolean) => {
      if (n in ns) return ns[n];
      if (strict) throw new SyntaxError(`The requested module '${spec}' does not provide an export named '${n}'`);
      return undefined;
    },
    ck: (v: unknown) => v,
    stop: () => {
      throw new Error('stopped');
    },
    meta: { url: 'file:///nb.mktnb' },
  };
  return {
    ctx,
    async run(code: string, strictImports = false): Promise<unknown> {
      const r = await vm.runInContext(rewriteCell(code, { strictImports }).code, ctx);
      // values come from another realm: compare them as plain JSON
      return Array.isArray(r) && r[0] !== undefined ? JSON.parse(JSON.stringify(r[0])) : undefined;
    },
  };
}

describe('kernel cell rewrite', () => {
  it('lets a cell re-declare const, let, var, function and class', async () => {
    const s = session();
    for (let i = 0; i < 2; i++) {
      assert.equal(
        await s.run(
          `const x = ${i}; let y = x + 1; var z = y; function f() { return z } class A { v = f() }\nnew A().v`,
        ),
        i + 1,
      );
    }
  });

  it('keeps top-level names for later cells, including destructured ones', async () => {
    const s = session();
    await s.run('const { a, b: [c, d = 4], ...rest } = { a: 1, b: [3], e: 5 }; let u; function g() { return a + c }');
    assert.deepEqual(await s.run('[a, c, d, rest, typeof u, g()]'), [1, 3, 4, { e: 5 }, 'undefined', 4]);
  });

  it('hoists function declarations as JavaScript does', async () => {
    const s = session();
    assert.equal(await s.run('const r = h(); function h() { return 7 }\nr'), 7);
    assert.equal(await s.run('h()'), 7);
  });

  it('supports top-level await and returns the last expression only', async () => {
    const s = session();
    assert.equal(await s.run('const v = await Promise.resolve(41); v + 1'), 42);
    assert.equal(await s.run('const w = 1;'), undefined);
    assert.equal(await s.run('await 5'), 5);
    assert.deepEqual(await s.run('1, 2'), 2);
    assert.deepEqual(await s.run('({ a: 1 })'), { a: 1 });
    assert.deepEqual(await s.run('(1, 2);'), 2);
    assert.deepEqual(await s.run('(await Promise.resolve(3)) // a comment'), 3);
  });

  it('turns imports into reads of the loaded module', async () => {
    const s = session();
    await s.run(`import D, { a, "b-c" as bc } from 'm'; import * as ns from 'm'`);
    assert.deepEqual(rewriteCell(`import 'x'; import y from 'm'; import z from 'x'`).imports, ['x', 'm']);
    assert.deepEqual(await s.run('[D, a, bc, ns.a]'), ['D', 1, 2, 1]);
    assert.equal(await s.run(`const q = await import('m'); q.a`), 1);
  });

  it('throws for a missing named import in JavaScript, not in TypeScript', async () => {
    const s = session();
    await assert.rejects(s.run(`import { nope } from 'm'`, true), /does not provide an export named 'nope'/);
    await s.run(`import { nope } from 'm'`, false);
    assert.equal(await s.run('nope'), undefined);
  });

  it('does not let an inserted statement join the previous line (ASI)', async () => {
    const s = session();
    assert.deepEqual(await s.run('let k = 1\nconst t = [2]\nclass B {}\n[k, t[0]]'), [1, 2]);
  });

  it('drops export keywords', async () => {
    const s = session();
    assert.equal(
      await s.run('export const e1 = 3; export function ef() { return e1 } export default class Named {}\nef()'),
      3,
    );
  });

  it('puts an interrupt check into every loop, also around single-statement bodies', async () => {
    const s = session();
    const code =
      'let n = 0;\nfor (let i = 0; i < 3; i++) n++;\nwhile (n < 5) { n++ }\ndo n++; while (n < 6)\nfor (const v of [1]) for (const k in { a: 1 }) n += v;\nn';
    const rw = rewriteCell(code);
    assert.equal(rw.code.split('__mktnb.stop()').length - 1, 5);
    assert.equal(await s.run(code), 7);
    s.ctx.__mktnb_f[0] = 1;
    await assert.rejects(s.run('while (true) {}'), /stopped/);
  });

  it('maps every unchanged output position back to the input', () => {
    const src = 'const a = 1;\nlet b = await g(a);\nb';
    const rw = rewriteCell(src);
    const outStarts = lineStarts(rw.code);
    // `g(a)` on line 2 of the input
    const out = rw.code.indexOf('g(a)');
    assert.equal(rw.toInput(out), src.indexOf('g(a)'));
    const lc = offsetToLineCol(lineStarts(src), rw.toInput(out));
    assert.deepEqual(lc, { line: 2, column: src.split('\n')[1].indexOf('g(a)') });
    assert.ok(outStarts.length >= 3);
    assert.equal(rw.inWrapper(0), true);
    assert.equal(rw.inWrapper(out), false);
  });

  it('reports syntax errors with line and column', () => {
    assert.throws(
      () => rewriteCell('const a = 1;\nconst b = (;'),
      (e: unknown) => e instanceof CellSyntaxError && e.line === 2 && e.column === 11,
    );
  });
});
