/**
 * Every public function (a cell global of src/market/index.ts, and each function of the `plot`
 * namespace) has a JSDoc `@example` that asserts something: examples.test.ts runs them all, this
 * test says which function has none. The blocks are found by the doctest parser (doctest.ts),
 * the same one that runs them.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lib from '../../../src/market/index';
import { documentedName, parseExamples } from './doctest';

const ROOT = path.resolve(__dirname, '../../..');
const MARKET = path.join(ROOT, 'src/market');

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
    })
    .sort();
}

const isClass = (f: unknown) => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

/** Public functions by the name they are declared with, and where a cell reaches them. */
function publicFunctions(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (fn: unknown, as: string) => {
    if (typeof fn !== 'function' || isClass(fn)) return;
    out.set(fn.name, [...(out.get(fn.name) ?? []), as]);
  };
  for (const [k, v] of Object.entries(lib)) add(v, k);
  for (const [k, v] of Object.entries(lib.plot)) add(v, `plot.${k}`);
  for (const [k, v] of Object.entries(lib.plot.decimate)) add(v, `plot.decimate.${k}`);
  return out;
}

describe('JSDoc @example coverage of the public API', () => {
  const files = tsFiles(MARKET).map((f) => ({ rel: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') }));
  /** declared name -> files where a block that asserts something documents it */
  const documented = new Map<string, string[]>();
  for (const f of files) {
    for (const b of parseExamples(f.text)) {
      const name = documentedName(f.text, b);
      if (name && !b.illustration && b.assertions.length > 0)
        documented.set(name, [...(documented.get(name) ?? []), f.rel]);
    }
  }

  it('every public function declared in src/market has an @example with an asserted value', () => {
    const missing: string[] = [];
    for (const [name, reached] of publicFunctions()) {
      // every declaration of that name (plot.drawdown and drawdown are both public)
      const declaring = files.filter((f) =>
        new RegExp(`^export (?:async )?function\\*? ${name.replace(/\$/g, '\\$')}\\b`, 'm').test(f.text),
      );
      for (const f of declaring)
        if (!documented.get(name)?.includes(f.rel)) missing.push(`${f.rel}: ${name} (${reached.join(', ')})`);
    }
    assert.deepEqual(missing, []);
  });

  it('finds the declaration each example documents (the parser the runner uses)', () => {
    const text = [
      '/**',
      ' * Doubles.',
      ' * @example',
      ' * twice(2) // => 4',
      ' * @returns 2x',
      ' */',
      '',
      'export function twice(x: number) { return 2 * x; }',
    ].join('\n');
    const [b] = parseExamples(text);
    assert.equal(b.commentEnd, 6);
    assert.equal(documentedName(text, b), 'twice');
    assert.ok(
      documented.get('corr')?.includes(path.join('src', 'market', 'corr.ts')),
      'corr is documented in src/market/corr.ts',
    );
  });
});
