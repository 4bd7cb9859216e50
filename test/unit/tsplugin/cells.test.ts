import assert from 'node:assert/strict';
import {
  decodeHandle,
  footerFor,
  orderCells,
  parseCellFileName,
  topLevelNames,
  type NotebookCell,
} from '../../../src/tsplugin/cells';
import { loadTs5 } from './ts5';

const base = '^/vscode-notebook-cell/127.0.0.1:8080/ws/a b/nb.mktnb#';

describe('tsplugin: cell file names', () => {
  it('decodes VS Code cell handles (base 7 after padding letters)', () => {
    assert.equal(decodeHandle('W0sdnNjb2RlLXJlbW90ZQ=='), 0);
    assert.equal(decodeHandle('W6sZmlsZQ=='), 6);
    assert.equal(decodeHandle('X10sZmlsZQ=='), 7);
    assert.equal(decodeHandle('X66sZmlsZQ=='), 48);
    assert.equal(decodeHandle('Y100sZmlsZQ=='), 49);
    assert.ok(Number.isNaN(decodeHandle('nonsense')));
  });

  it('recognises cells of .mktnb notebooks only', () => {
    const r = parseCellFileName(`${base}X10sZmlsZQ==`)!;
    assert.equal(r.notebook, '/ws/a b/nb.mktnb');
    assert.equal(r.handle, 7);
    assert.equal(r.base, base);
    assert.equal(parseCellFileName('^/vscode-notebook-cell/x/ws/nb.ipynb#W0sZmlsZQ=='), undefined);
    assert.equal(parseCellFileName('/ws/nb.mktnb'), undefined);
    assert.equal(parseCellFileName('^/untitled/ts-nul-authority/Untitled-1'), undefined);
  });
});

describe('tsplugin: top-level names and footers', function () {
  const ts = loadTs5();
  before(() => {
    if (!ts) throw new Error("these tests need TypeScript's JS API (npm ci installs the typescript5 devDependency)");
  });

  it('collects what the kernel makes global, and nothing nested', () => {
    const t = topLevelNames(
      ts,
      [
        "import d, { a as b, type T } from 'x';",
        "import * as ns from 'y';",
        'const { p, q: [r, , s = 1], ...rest } = o, z = 2;',
        'let u; var v;',
        'function f() { const inner = 1; }',
        'class C {}',
        'enum E { A }',
        'interface I {}',
        'type A2 = number;',
        'namespace N { export const w = 1; }',
        'declare global { const g: number }',
        'export const ex = 1;',
        'export { z as zz };',
        'for (const loopVar of []) {}',
        'if (true) { const block = 1; }',
      ].join('\n'),
    );
    assert.deepEqual(t.names, [
      'd',
      'b',
      'T',
      'ns',
      'p',
      'r',
      's',
      'rest',
      'z',
      'u',
      'v',
      'f',
      'C',
      'E',
      'I',
      'A2',
      'N',
      'ex',
    ]);
    assert.deepEqual([...t.typeOnly].sort(), ['A2', 'I', 'T']);
    assert.deepEqual([...t.exported].sort(), ['ex', 'zz']);
  });

  it('imports each other name from the nearest cell above (else below) and exports its own', () => {
    const cell = (frag: string, src: string): NotebookCell => ({
      ref: parseCellFileName(base + frag)!,
      top: topLevelNames(ts, src),
    });
    const cells = [
      cell('W0s', 'const a = 1; let x = 1;'),
      cell('W1s', 'const x = "s"; interface Row { v: number }'),
      cell('W2s', 'a + x;'),
      cell('W3s', 'const later = 1;'),
    ];
    const f = footerFor(cells, 2);
    assert.match(f.text, /^\n;/, 'starts on a new line after a statement terminator');
    assert.match(f.text, /export \{  \};/);
    assert.match(f.text, /import \{ a \} from "mktnb-cell:W0s";/);
    assert.match(f.text, /import \{ x, Row \} from "mktnb-cell:W1s";/);
    assert.match(f.text, /import \{ later \} from "mktnb-cell:W3s";/);
    assert.equal(f.imported.get('x'), base + 'W1s');
    const f1 = footerFor(cells, 1);
    assert.match(f1.text, /export \{ x \};/);
    assert.match(f1.text, /export type \{ Row \};/);
    assert.doesNotMatch(f1.text, /import \{[^}]*\bx\b/, "a cell's own declaration wins");
  });

  it('orders cells by the order the extension reported, else by handle', () => {
    const mk = (frag: string) => ({ ref: parseCellFileName(base + frag)! });
    const cells = [mk('W2sZg=='), mk('W0sZg=='), mk('W1sZg==')];
    assert.deepEqual(
      orderCells(cells).map((c) => c.ref.handle),
      [0, 1, 2],
    );
    assert.deepEqual(
      orderCells(cells, ['W2sZg==', 'W0sZg==', 'W1sZg==']).map((c) => c.ref.handle),
      [2, 0, 1],
    );
  });
});
