/**
 * Every public function of src/market/inference (a cell global) has at least one @example line
 * in the doctest format (`expr // => value`); test/unit/market/examples.test.ts runs them all.
 * The values were cross-checked against scipy / statsmodels when written (see each comment).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lib from '../../../src/market/index';

const DIR = path.resolve(__dirname, '../../../src/market/inference');

interface Example { file: string; line: number; fn: string; expr: string; expected: unknown }

function examples(): Example[] {
  const out: Example[] = [];
  for (const f of fs.readdirSync(DIR).filter((x) => x.endsWith('.ts'))) {
    const lines = fs.readFileSync(path.join(DIR, f), 'utf8').split('\n');
    let inExample = false;
    lines.forEach((l, i) => {
      if (/^\s*\/\*\*/.test(l)) inExample = false;
      if (/@example\s*$/.test(l)) { inExample = true; return; }
      if (/\*\//.test(l)) {
        if (inExample) {
          // the function the block documents
          const next = lines.slice(i + 1).find((x) => x.trim());
          const fn = /export function (\w+)/.exec(next ?? '')?.[1] ?? '?';
          for (const e of out) if (e.file === f && e.fn === '') e.fn = fn;
        }
        inExample = false;
        return;
      }
      if (!inExample) return;
      const m = /^\s*\* (.+?) \/\/ => (.+)$/.exec(l);
      assert.ok(m, `${f}:${i + 1}: an @example line must read "expr // => value": ${l.trim()}`);
      out.push({ file: f, line: i + 1, fn: '', expr: m[1], expected: JSON.parse(m[2]) });
    });
  }
  return out;
}

describe('JSDoc @example coverage of src/market/inference', () => {
  const ex = examples();
  it('every public function of the folder (a cell global) has an example', () => {
    const documented = new Set(ex.map((e) => e.fn));
    const missing: string[] = [];
    for (const f of fs.readdirSync(DIR).filter((x) => x.endsWith('.ts'))) {
      for (const m of fs.readFileSync(path.join(DIR, f), 'utf8').matchAll(/^export function (\w+)/gm)) {
        if (m[1] in lib && !documented.has(m[1])) missing.push(`${f}: ${m[1]}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
