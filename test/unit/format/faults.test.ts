/**
 * The format writer and reader under faults (issue 11): any depth of nesting, numbers a double
 * cannot hold kept as written, and property-based fuzzing (fast-check, fixed seed; FUZZ_RUNS=N
 * runs more): random notebooks round-trip byte-identically, random bytes never crash the reader
 * and never make the CLI overwrite the file.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { NotebookFormatError, parseNotebook, serializeNotebook } from '../../../src/format/serialize';
import { RAW_NUMBER_KEY } from '../../../src/format/exactNumbers';
import type { MktnbFile } from '../../../src/format/types';
import { main as cliMain } from '../../../src/cli/main';
import { fuzzParams } from '../helpers';

function nbWith(metadata: Record<string, unknown>, cellMeta?: Record<string, unknown>): MktnbFile {
  return {
    format: 'mktnb',
    version: '1.0',
    metadata,
    cells: [{ kind: 'code', language: 'typescript', source: ['1'], ...(cellMeta ? { metadata: cellMeta } : {}) }],
  };
}

describe('format: deep nesting and exact numbers', () => {
  it('writes and reads metadata nested 10,000 levels deep', () => {
    const depth = 10_000;
    const root: Record<string, unknown> = {};
    let c = root;
    for (let i = 0; i < depth; i++) {
      const next = {};
      c.a = next;
      c = next;
    }
    c.leaf = [1, 2];
    const text = serializeNotebook(nbWith({ deep: root }));
    assert.ok(text.length < 5_000_000, `size ${text.length}: linear in the depth (indent stops growing)`);
    const back = parseNotebook(text);
    let d: any = back.metadata!.deep;
    for (let i = 0; i < depth; i++) d = d.a;
    assert.deepEqual(d.leaf, [1, 2]);
    assert.equal(serializeNotebook(back), text);
  });

  it('keeps numbers a double cannot hold as written in metadata (big integers, 1e400, 1e-400, 30 digits)', () => {
    const text = [
      '{',
      '  "format": "mktnb",',
      '  "version": "1.0",',
      '  "metadata": {',
      '    "big": 12345678901234567890123,',
      '    "huge": 1e400,',
      '    "list": [1, 9007199254740993, -1E+400],',
      '    "ok": 0.30000000000000004,',
      '    "precise": 3.14159265358979323846264338327950288,',
      '    "tiny": 1e-400',
      '  },',
      '  "cells": [',
      '    {',
      '      "kind": "code",',
      '      "language": "typescript",',
      '      "source": ["1"],',
      '      "metadata": {"id": 123456789012345678901}',
      '    }',
      '  ]',
      '}',
      '',
    ].join('\n');
    const nb = parseNotebook(text);
    assert.deepEqual(nb.metadata!.big, { [RAW_NUMBER_KEY]: '12345678901234567890123' });
    assert.deepEqual(nb.metadata!.huge, { [RAW_NUMBER_KEY]: '1e400' });
    assert.equal(nb.metadata!.ok, 0.30000000000000004, 'an exact double stays a number');
    const out = serializeNotebook(nb);
    for (const tok of [
      '12345678901234567890123',
      '1e400',
      '9007199254740993',
      '-1E+400',
      '3.14159265358979323846264338327950288',
      '1e-400',
      '123456789012345678901',
      '0.30000000000000004',
    ]) {
      assert.ok(out.includes(tok), `${tok} kept in\n${out}`);
    }
    assert.equal(serializeNotebook(parseNotebook(out)), out);
  });

  it('output items stay plain values for the renderers', () => {
    const text = JSON.stringify({
      format: 'mktnb',
      version: '1.0',
      metadata: {},
      cells: [
        {
          kind: 'code',
          language: 'typescript',
          source: ['1'],
          outputs: [{ items: [{ mime: 'application/json', data: { v: 1 } }] }],
        },
      ],
    }).replace('"v":1', '"v":1e400,"w":12345678901234567890');
    const nb = parseNotebook(text);
    const data = nb.cells[0].outputs![0].items[0].data as any;
    assert.equal(data.v, Infinity);
    assert.equal(typeof data.w, 'number');
  });
});

// ---------------------------------------------------------------------------------------------
// fuzzing

const jsonLeaf = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
  fc.integer(),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    jsonLeaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 5 }),
  ),
})).value;
const line = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '\\', '{', '}', 'é', '😀', '\t', '\u2028', '\r') });
const output = fc.record(
  {
    kind: fc.constantFrom('result', 'display', 'stream', 'error'),
    items: fc.array(
      fc.record({
        mime: fc.constantFrom('text/plain', 'application/json', 'application/vnd.mktnb.chart+json'),
        data: jsonValue,
      }),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { requiredKeys: ['items'] },
);
const cell = fc.oneof(
  fc.record(
    {
      kind: fc.constant('code' as const),
      language: fc.constantFrom('typescript', 'javascript'),
      source: fc.array(line, { maxLength: 6 }),
      metadata: fc.dictionary(fc.string(), jsonValue, { maxKeys: 3 }),
      outputs: fc.array(output, { maxLength: 3 }),
      execution: fc.record({ order: fc.nat(), durationMs: fc.nat(), success: fc.boolean() }),
    },
    { requiredKeys: ['kind', 'language', 'source'] },
  ),
  fc.record({
    kind: fc.constant('markdown' as const),
    language: fc.constant('markdown'),
    source: fc.array(line, { maxLength: 6 }),
  }),
);
const notebook = fc.record({
  format: fc.constant('mktnb' as const),
  version: fc.constant('1.0'),
  metadata: fc.dictionary(fc.string(), jsonValue, { maxKeys: 4 }),
  cells: fc.array(cell, { maxLength: 5 }),
});

describe('format: property-based fuzzing (fast-check)', function () {
  this.timeout(120_000);

  it('random notebooks round-trip byte-identically (write → read → write)', () => {
    fc.assert(
      fc.property(notebook, (nb) => {
        const once = serializeNotebook(nb as MktnbFile);
        const twice = serializeNotebook(parseNotebook(once));
        assert.equal(twice, once);
      }),
      fuzzParams(300),
    );
  });

  it('random bytes (and mangled notebooks) never crash the reader: a NotebookFormatError or a notebook', () => {
    const mangled = notebook.chain((nb) => {
      const text = serializeNotebook(nb as MktnbFile);
      return fc
        .tuple(fc.nat({ max: Math.max(0, text.length - 1) }), fc.nat({ max: 20 }), fc.string({ maxLength: 5 }))
        .map(([at, del, ins]) => text.slice(0, at) + ins + text.slice(at + del));
    });
    const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8'));
    fc.assert(
      fc.property(fc.oneof(mangled, bytes), (text) => {
        try {
          parseNotebook(text, 'fuzz.mktnb');
        } catch (e) {
          assert.ok(e instanceof NotebookFormatError, `not a NotebookFormatError: ${(e as Error)?.stack}`);
          assert.match((e as Error).message, /^fuzz\.mktnb: /);
        }
      }),
      fuzzParams(500),
    );
  });

  it('mktnb run --in-place never overwrites a file it cannot read as a notebook', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-fuzz-'));
    const file = path.join(dir, 'x.mktnb');
    const write = process.stderr.write;
    try {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (b) => {
          const bytes = Buffer.from(b);
          fs.writeFileSync(file, bytes);
          let valid = true;
          try {
            parseNotebook(bytes.toString('utf8'));
          } catch {
            valid = false;
          }
          fc.pre(!valid);
          process.stderr.write = (() => true) as any;
          let code: number;
          try {
            code = await cliMain(['run', file, '--in-place']);
          } finally {
            process.stderr.write = write;
          }
          assert.equal(code, 1);
          assert.ok(fs.readFileSync(file).equals(bytes), 'the file is unchanged');
          assert.deepEqual(fs.readdirSync(dir), ['x.mktnb']);
        }),
        fuzzParams(100),
      );
    } finally {
      process.stderr.write = write;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
