/**
 * The @example lines of the JSDoc in src/market/inference (`expr // => value`, the format of the
 * project's doctests) evaluate to the value written, at 1e-9 relative, with the cell globals
 * (src/market/index.ts) in scope; and every public function of the folder has at least one.
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

function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => close(v, b[i]));
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('JSDoc @example lines of src/market/inference', () => {
  const ex = examples();
  const names = Object.keys(lib).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  const run = (expr: string) => new Function(...names, `return (${expr});`)(...names.map((k) => (lib as Record<string, unknown>)[k]));

  it('each evaluates to the value written (1e-9 relative)', () => {
    assert.ok(ex.length >= 30, `only ${ex.length} examples`);
    for (const e of ex) {
      let v = run(e.expr);
      if (ArrayBuffer.isView(v)) v = Array.from(v as Float64Array);
      assert.ok(close(v, e.expected), `src/market/inference/${e.file}:${e.line}: ${e.expr} gives ${JSON.stringify(v)}, the example says ${JSON.stringify(e.expected)}`);
    }
  });

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
