import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  check,
  examplesOf,
  mismatch,
  parseExamples,
  parseExpected,
  runBlock,
  type ExampleBlock,
  type Outcome,
} from './doctest';

/**
 * Every JSDoc `@example` in src/market is run and its `// =>` values asserted (CONTRIBUTING.md,
 * "Examples in JSDoc"): what a user reads in a hover is what the library does.
 */
const ROOT = path.resolve(__dirname, '../../..');
const MARKET = path.join(ROOT, 'src', 'market');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'doctest');

/**
 * Files whose examples another branch is converting to the `// =>` form at the time of writing
 * (branch `stats` rewrites src/market/inference). Their examples are not run here; the test below
 * fails as soon as one of them conforms, so an entry cannot outlive its reason: remove it then.
 */
const PENDING_CONVERSION = new Set<string>([]);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
    })
    .sort();
}

/** Problems that make a block fail before anything runs. */
function blockProblem(b: ExampleBlock): string | undefined {
  if (b.illustration) return undefined;
  if (b.assertions.length === 0)
    return `@example asserts nothing: write \`<expression> // => <JSON value>\`, or mark it \`@example (illustration)\`\n  ${b.code.join('\n  ')}`;
  return undefined;
}

function defineExamples(file: string): void {
  const rel = path.relative(MARKET, file).replace(/\\/g, '/');
  const shown = path.relative(ROOT, file).replace(/\\/g, '/');
  const blocks = examplesOf(file);
  if (PENDING_CONVERSION.has(rel)) {
    it(`${shown}: still pending conversion to \`// =>\` examples (else remove it from PENDING_CONVERSION)`, () => {
      assert.ok(
        blocks.some((b) => blockProblem(b) !== undefined),
        `${shown}: every example conforms now; remove it from PENDING_CONVERSION so they run`,
      );
    });
    return;
  }
  for (const b of blocks) {
    const problem = blockProblem(b);
    if (problem) {
      it(`${shown}:${b.line}`, () => assert.fail(`${shown}:${b.line}: ${problem}`));
      continue;
    }
    // the block runs once (its setup may load files), on the first of its assertions to be checked
    let outcomes: Map<(typeof b.assertions)[number], Outcome> | undefined;
    for (const a of b.assertions)
      it(`${shown}:${a.line}`, () => check(a, (outcomes ??= runBlock(b)).get(a)!, `${shown}:${a.line}`));
  }
}

describe('JSDoc examples in src/market (doctest)', () => {
  for (const f of tsFiles(MARKET)) {
    if (examplesOf(f).length > 0 || PENDING_CONVERSION.has(path.relative(MARKET, f).replace(/\\/g, '/')))
      describe(path.relative(ROOT, f), () => defineExamples(f));
  }
});

describe('the doctest runner itself', () => {
  it('finds blocks, setup lines and assertions with their source lines', () => {
    const blocks = parseExamples(
      [
        '/**',
        ' * Sum.',
        ' * @param a numbers',
        ' * @example',
        ' * const a = Float64Array.of(1, 2, 3)',
        ' * a.length // => 3',
        ' * sum(a) // => 6',
        ' * @returns the sum',
        ' */',
        '/** One line. @example (illustration) plot.line(x) */',
        '/** @example f(1) // => {"a": [1, NaN]} */',
      ].join('\n'),
    );
    assert.equal(blocks.length, 3);
    assert.deepEqual(
      blocks[0].assertions.map((a) => [a.line, a.expression, a.expected]),
      [
        [6, 'a.length', '3'],
        [7, 'sum(a)', '6'],
      ],
    );
    assert.deepEqual(
      blocks[0].steps.map((s) => (typeof s === 'string' ? s.trim() : s.line)),
      ['const a = Float64Array.of(1, 2, 3)', 6, 7],
    );
    assert.equal(blocks[1].illustration, true);
    assert.equal(blocks[1].assertions.length, 0);
    assert.deepEqual(
      blocks[2].assertions.map((a) => [a.line, a.expression, a.expected]),
      [[11, 'f(1)', '{"a": [1, NaN]}']],
    );
  });

  it('compares numbers at 1e-9 relative, NaN with NaN, typed arrays as arrays, objects on the listed keys', () => {
    assert.equal(mismatch(1 + 1e-12, 1), undefined);
    assert.match(mismatch(1.001, 1) ?? '', /expected 1, got 1.001/);
    assert.equal(mismatch(NaN, parseExpected('NaN')), undefined);
    assert.equal(mismatch(NaN, parseExpected('null')), undefined);
    assert.ok(mismatch(0, parseExpected('NaN')));
    assert.equal(mismatch(Float64Array.of(1, 2), parseExpected('[1, 2]')), undefined);
    assert.ok(mismatch(Float64Array.of(1, 2, 3), parseExpected('[1, 2]')));
    assert.equal(mismatch({ a: 1, b: 'x', extra: true }, parseExpected('{"a": 1, "b": "x"}')), undefined);
    assert.match(mismatch({ a: 1, b: 'y' }, parseExpected('{"a": 1, "b": "x"}')) ?? '', /value\.b/);
    assert.equal(mismatch(-Infinity, parseExpected('-Infinity')), undefined);
    assert.equal(mismatch('NaN', parseExpected('"NaN"')), undefined);
    assert.throws(() => parseExpected('{a: 1}'), /not a JSON literal/);
  });

  it('fails on a wrong example, on one that throws, and on a block that asserts nothing (fixture)', () => {
    const file = path.join(FIXTURES, 'wrong.ts');
    const blocks = examplesOf(file);
    const [right, wrong, throws, silent, illustration, badSetup] = blocks;
    assert.equal(blocks.length, 6);
    const run = (b: ExampleBlock, k = 0) => {
      const a = b.assertions[k];
      return () => check(a, runBlock(b).get(a)!, `wrong.ts:${a.line}`);
    };
    // the right ones pass, so the failures below are the examples' fault, not the runner's
    assert.doesNotThrow(run(right, 0));
    assert.doesNotThrow(run(right, 1));
    assert.throws(run(wrong), /wrong\.ts:\d+: rebase\(s\)\.last\(\)\n {2}value: expected 140, got 150/);
    assert.throws(run(throws), /threw .*notAGlobal is not defined/);
    assert.throws(run(badSetup), /threw .*Series "x": index has 2 points but values has 1/);
    assert.match(blockProblem(silent) ?? '', /asserts nothing/);
    assert.equal(blockProblem(illustration), undefined);
  });
});
