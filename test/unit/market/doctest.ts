/**
 * The doctest runner behind examples.test.ts: finds the JSDoc `@example` blocks of a source file and
 * checks each `<expression> // => <expected>` line against the cell globals (CONTRIBUTING.md,
 * "Examples in JSDoc"). Kept apart from the test so its own self-test can run it on a fixture.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';
import * as mktnb from '../../../src/market/index';
import { runtime, setRuntime } from '../../../src/market/context';

export interface Assertion {
  /** 1-based line of the `// =>` line in the source file */
  line: number;
  expression: string;
  /** the text after `// =>` */
  expected: string;
}

export interface ExampleBlock {
  /** 1-based line of the `@example` tag */
  line: number;
  /** `@example (illustration)`: shows usage, asserts nothing, and is not run */
  illustration: boolean;
  assertions: Assertion[];
  /** the block in order: setup statements (strings) and assertions */
  steps: Array<string | Assertion>;
  /** every code line of the block, in order (for messages) */
  code: string[];
  /** 1-based line where the block's JSDoc comment ends (what follows it is what the comment documents) */
  commentEnd: number;
}

const ARROW = '// =>';

/**
 * The `@example` blocks of every JSDoc comment in `text`. A block runs from its tag to the next
 * tag or the end of the comment; text after `@example` on the tag's line is the first code line.
 */
export function parseExamples(text: string): ExampleBlock[] {
  const blocks: ExampleBlock[] = [];
  const lines = text.split('\n');
  let inDoc = false;
  let block: ExampleBlock | undefined;
  /** blocks of the comment being read (their commentEnd is known at its end) */
  let ofComment: ExampleBlock[] = [];
  const close = (): void => {
    if (block) {
      blocks.push(block);
      ofComment.push(block);
    }
    block = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    let s = lines[i];
    if (!inDoc) {
      const open = s.indexOf('/**');
      if (open < 0) continue;
      inDoc = true;
      s = s.slice(open + 3);
    }
    const end = s.indexOf('*/');
    if (end >= 0) s = s.slice(0, end);
    s = s.replace(/^\s*\*(?!\/) ?/, '');
    // a tag starts a new section: @example opens a block, any other tag ends one
    const tag = /(?:^|\s)@([A-Za-z]+)\b/.exec(s);
    if (tag) {
      close();
      if (tag[1] === 'example') {
        const rest = s.slice(tag.index + tag[0].length);
        const illustration = /^\s*\(illustration\)/.test(rest);
        block = { line: i + 1, illustration, assertions: [], steps: [], code: [], commentEnd: NaN };
        s = illustration ? '' : rest;
      }
    }
    if (block && s.trim() !== '') addLine(block, s, i + 1);
    if (end >= 0) {
      close();
      for (const b of ofComment) b.commentEnd = i + 1;
      ofComment = [];
      inDoc = false;
    }
  }
  close();
  return blocks;
}

/**
 * The name each `@example` block documents: the function, class or constant declared on the
 * first non-blank line after its comment (`export function line(`, `export class Series`,
 * `export const plot =`), or undefined when no declaration follows.
 */
export function documentedName(text: string, block: ExampleBlock): string | undefined {
  const lines = text.split('\n');
  const next = lines.slice(block.commentEnd).find((l) => l.trim() !== '');
  return (
    next &&
    /^\s*export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?|class|const|let)\s+([\w$]+)/.exec(next)?.[1]
  );
}

function addLine(block: ExampleBlock, s: string, line: number): void {
  block.code.push(s.trim());
  const k = s.lastIndexOf(ARROW);
  if (k < 0) {
    block.steps.push(s);
    return;
  }
  const a: Assertion = { line, expression: s.slice(0, k).trim(), expected: s.slice(k + ARROW.length).trim() };
  block.assertions.push(a);
  block.steps.push(a);
}

/**
 * The expected value: a JSON literal, where NaN, Infinity and -Infinity may stand for numbers
 * JSON cannot write. Throws naming the text when it is not one.
 */
export function parseExpected(text: string): unknown {
  const sentinel = { NaN: '\u0000NaN', Infinity: '\u0000+Inf', '-Infinity': '\u0000-Inf' } as Record<string, string>;
  const json = text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity\b|\bNaN\b/g, (m) =>
    m in sentinel ? JSON.stringify(sentinel[m]) : m,
  );
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new SyntaxError(`the expected value after "// =>" is not a JSON literal: ${text} (${(e as Error).message})`);
  }
  const back: Record<string, number> = { '\u0000NaN': NaN, '\u0000+Inf': Infinity, '\u0000-Inf': -Infinity };
  const revive = (x: unknown): unknown => {
    if (typeof x === 'string' && x in back) return back[x];
    if (Array.isArray(x)) return x.map(revive);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, revive(y)]));
    return x;
  };
  return revive(v);
}

/** Relative tolerance of number comparisons (an absolute floor of 1e-12 applies near zero). */
export const REL_TOL = 1e-9;

/**
 * Where `actual` differs from `expected`, as a path and a reason, or undefined when it matches.
 * Numbers: 1e-9 relative, NaN equals NaN (and null, which is how JSON writes NaN); typed arrays
 * compare as arrays; an expected object compares only the keys it lists (getters and class
 * instances included); an expected array needs the same length.
 */
export function mismatch(actual: unknown, expected: unknown, at = 'value'): string | undefined {
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView))
    actual = Array.from(actual as unknown as ArrayLike<number>);
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return `${at}: expected the number ${expected}, got ${show(actual)}`;
    if (Number.isNaN(expected) || Number.isNaN(actual))
      return Number.isNaN(expected) && Number.isNaN(actual) ? undefined : `${at}: expected ${expected}, got ${actual}`;
    if (actual === expected) return undefined;
    const tol = Math.max(REL_TOL * Math.max(Math.abs(actual), Math.abs(expected)), 1e-12);
    return Math.abs(actual - expected) <= tol
      ? undefined
      : `${at}: expected ${expected}, got ${actual} (relative difference ${(Math.abs(actual - expected) / Math.abs(expected)).toExponential(2)})`;
  }
  if (expected === null) {
    return actual === null || actual === undefined || (typeof actual === 'number' && Number.isNaN(actual))
      ? undefined
      : `${at}: expected null (or NaN), got ${show(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array of ${expected.length}, got ${show(actual)}`;
    if (actual.length !== expected.length)
      return `${at}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(actual[i], expected[i], `${at}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (typeof expected === 'object') {
    if (actual === null || (typeof actual !== 'object' && typeof actual !== 'function'))
      return `${at}: expected an object, got ${show(actual)}`;
    for (const [k, e] of Object.entries(expected)) {
      const m = mismatch((actual as Record<string, unknown>)[k], e, `${at}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return actual === expected ? undefined : `${at}: expected ${JSON.stringify(expected)}, got ${show(actual)}`;
}

function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined) return String(v);
  try {
    return JSON.stringify(v)?.slice(0, 200) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** The folder relative paths in examples resolve from: load('data/BTC-USD.csv') reads samples/data, as the sample notebooks do. */
export const EXAMPLE_BASE_DIR = path.resolve(__dirname, '../../../samples');

const NAMES = Object.keys(mktnb);
const VALUES = NAMES.map((n) => (mktnb as Record<string, unknown>)[n]);

/** What one assertion's expression gave: a value, or what it (or the block's setup) threw. */
export type Outcome = { value: unknown } | { error: unknown };

/**
 * Runs a block once, as a cell would (the cell globals in scope, TypeScript syntax allowed,
 * relative paths from samples/): its lines in order, each assertion's expression caught on its
 * own. A setup line that throws fails every assertion of the block with that error.
 */
export function runBlock(block: ExampleBlock): Map<Assertion, Outcome> {
  const src = block.steps
    .map((s) =>
      typeof s === 'string'
        ? s
        : `try { __out[${block.assertions.indexOf(s)}] = { value: (${s.expression}) }; } catch (e) { __out[${block.assertions.indexOf(s)}] = { error: e }; }`,
    )
    .join('\n');
  const results = new Map<Assertion, Outcome>();
  const out: Outcome[] = [];
  const saved = { baseDir: runtime.baseDir, notebookPath: runtime.notebookPath };
  setRuntime({ baseDir: EXAMPLE_BASE_DIR });
  try {
    const js = transformSync(src, { loader: 'ts', format: 'esm' }).code;
    new Function(...NAMES, '__out', `'use strict';\n${js}`)(...VALUES, out);
  } catch (e) {
    for (const a of block.assertions)
      if (!out[block.assertions.indexOf(a)]) out[block.assertions.indexOf(a)] = { error: e };
  } finally {
    setRuntime(saved);
  }
  block.assertions.forEach((a, k) => results.set(a, out[k] ?? { error: new Error('not reached') }));
  return results;
}

/** Checks one assertion's outcome; throws an Error saying what differs (or what was thrown). */
export function check(a: Assertion, outcome: Outcome, where: string): void {
  const expected = parseExpected(a.expected);
  if ('error' in outcome) {
    const e = outcome.error;
    throw new Error(`${where}: ${a.expression} threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  const m = mismatch(outcome.value, expected);
  if (m) throw new Error(`${where}: ${a.expression}\n  ${m}`);
}

/** Reads a file's examples; a block with nothing to assert (and not marked an illustration) is an error. */
export function examplesOf(file: string): ExampleBlock[] {
  return parseExamples(readFileSync(file, 'utf8'));
}
