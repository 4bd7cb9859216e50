/**
 * The examples of docs/analysis.md's statistics section: the `// setup` block and every line
 * `expression // → value`, evaluated with the library's exports in scope.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lib from '../../../src/market/index';

export interface DocExample {
  line: number;
  expr: string;
  expected: string;
  value: number;
}

export function runDocExamples(root: string): DocExample[] {
  const md = fs.readFileSync(path.join(root, 'docs/analysis.md'), 'utf8');
  const start = md.indexOf('## Statistics');
  if (start < 0) throw new Error('docs/analysis.md has no "## Statistics" section');
  const lineOf = (i: number) => md.slice(0, i).split('\n').length;
  const blocks = [...md.slice(start).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({
    text: m[1],
    line: lineOf(start + m.index!) + 1,
  }));
  const setup = blocks.find((b) => b.text.startsWith('// setup'));
  if (!setup) throw new Error('docs/analysis.md: no "// setup" block in the statistics section');
  const ex: Array<{ line: number; expr: string; expected: string }> = [];
  for (const b of blocks)
    b.text.split('\n').forEach((l, k) => {
      const m = /^(.+?);?\s*\/\/ → (\S+)\s*$/.exec(l);
      if (m) ex.push({ line: b.line + k, expr: m[1].trim(), expected: m[2] });
    });
  const names = Object.keys(lib).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  const body = `${setup.text}\nreturn [${ex.map((e) => `() => Number(${e.expr})`).join(',\n')}];`;
  const fns = new Function(...names, body)(...names.map((k) => (lib as any)[k])) as Array<() => number>;
  return ex.map((e, i) => ({ ...e, value: fns[i]() }));
}

/** Half a unit in the last digit written: '0.9430' → 5e-5, '5.966e-32' → 5e-36. */
export function tolerance(written: string): number {
  const [mant, exp] = written.toLowerCase().split('e');
  const dec = mant.includes('.') ? mant.split('.')[1].length : 0;
  return 0.5 * 10 ** -dec * 10 ** Number(exp ?? 0);
}
