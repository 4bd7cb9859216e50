import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotebookFormatError, parseNotebook, serializeNotebook } from '../../../src/format/serialize';
import { isScriptCapable, itemFromBytes, itemToBytes } from '../../../src/format/items';
import type { MktnbFile } from '../../../src/format/types';

const sample: MktnbFile = {
  format: 'mktnb',
  version: '1.0',
  metadata: { title: 'BTC vs gold', authors: ['a'] },
  cells: [
    { kind: 'markdown', language: 'markdown', source: ['# Title', '', 'Some *text*.'] },
    {
      kind: 'code',
      language: 'typescript',
      source: ['const x = 1;', 'x + 1'],
      metadata: { tags: ['setup'] },
      execution: { order: 1, success: true, durationMs: 3 },
      outputs: [
        {
          kind: 'display',
          items: [
            { mime: 'text/plain', data: '2' },
            {
              mime: 'application/vnd.mktnb.chart+json',
              data: { kind: 'chart', version: 1, figure: { data: [{ y: [1, 2, 3], type: 'scatter' }] } },
            },
          ],
        },
      ],
    },
  ],
};

describe('format: serialize', () => {
  it('round-trips byte for byte', () => {
    const a = serializeNotebook(sample);
    const b = serializeNotebook(parseNotebook(a));
    assert.equal(b, a);
    assert.ok(a.endsWith('}\n'), 'final newline');
  });

  it('is independent of key insertion order', () => {
    const shuffled = JSON.parse(JSON.stringify(sample), function (_k, v) {
      if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).reverse());
      return v;
    });
    assert.equal(serializeNotebook(shuffled), serializeNotebook(sample));
  });

  it('writes the fixed key order, 2-space indent, source as lines and number arrays on one line', () => {
    const text = serializeNotebook(sample);
    const lines = text.split('\n');
    assert.equal(lines[1], '  "format": "mktnb",');
    assert.equal(lines[2], '  "version": "1.0",');
    assert.match(text, /"source": \[\n\s+"const x = 1;",\n\s+"x \+ 1"\n\s+\]/);
    assert.match(text, /"y": \[1, 2, 3\]/);
    const cell = text.indexOf('"kind": "code"');
    assert.ok(text.indexOf('"language"', cell) < text.indexOf('"source"', cell));
    assert.ok(text.indexOf('"source"', cell) < text.indexOf('"outputs"', cell));
  });

  it('keeps fields it does not know at every level', () => {
    const withExtra = JSON.parse(serializeNotebook(sample));
    withExtra.future = { a: 1 };
    withExtra.cells[1].attachments = { img: 'x' };
    withExtra.cells[1].outputs[0].trace = 'abc';
    const text = serializeNotebook(parseNotebook(JSON.stringify(withExtra)));
    const back = JSON.parse(text);
    assert.deepEqual(back.future, { a: 1 });
    assert.deepEqual(back.cells[1].attachments, { img: 'x' });
    assert.equal(back.cells[1].outputs[0].trace, 'abc');
  });

  it('can save without outputs', () => {
    const text = serializeNotebook(sample, { saveOutputs: false });
    assert.doesNotMatch(text, /"outputs"/);
    assert.doesNotMatch(text, /"execution"/);
    assert.match(text, /"x \+ 1"/);
  });
});

describe('format: parse errors', () => {
  it('an empty file is an empty notebook', () => {
    for (const t of ['', '  \n', '\ufeff']) {
      const nb = parseNotebook(t, 'empty.mktnb');
      assert.equal(nb.cells.length, 0);
    }
  });

  it('invalid JSON names the file, line and column', () => {
    const text = '{\n  "format": "mktnb",\n  "version": "1.0",\n  "cells": [,]\n}\n';
    assert.throws(
      () => parseNotebook(text, 'broken.mktnb'),
      (e: unknown) => {
        assert.ok(e instanceof NotebookFormatError);
        assert.equal(e.file, 'broken.mktnb');
        assert.equal(e.line, 4);
        assert.equal(e.column, 13);
        assert.match(e.message, /^broken\.mktnb: not valid JSON at line 4, column 13/);
        assert.match(e.message, /not changed/);
        return true;
      },
    );
  });

  it('truncated JSON points at the end', () => {
    const text = '{\n  "format": "mktnb",\n  "cells": [\n';
    assert.throws(() => parseNotebook(text, 't.mktnb'), /t\.mktnb: not valid JSON at line 4, column 1/);
  });

  it('refuses JSON that is not a .mktnb (an .ipynb, say)', () => {
    assert.throws(
      () => parseNotebook('{"nbformat": 4, "cells": []}', 'x.mktnb'),
      /x\.mktnb: not a Market Notebook.*Jupyter/,
    );
    assert.throws(() => parseNotebook('[1,2]', 'x.mktnb'), /not a Market Notebook/);
  });

  it('refuses a newer major version with a clear message', () => {
    assert.throws(
      () => parseNotebook('{"format":"mktnb","version":"2.0","cells":[]}', 'new.mktnb'),
      /new\.mktnb: format version 2\.0 is newer .*update the extension/,
    );
  });

  it('accepts a newer minor version', () => {
    assert.equal(parseNotebook('{"format":"mktnb","version":"1.7","cells":[]}').version, '1.7');
  });

  it('names the bad cell field', () => {
    assert.throws(
      () =>
        parseNotebook(
          '{"format":"mktnb","version":"1.0","cells":[{"kind":"code","language":"typescript","source":[1]}]}',
          'c.mktnb',
        ),
      /c\.mktnb: cells\[0\]\.source must be an array of lines/,
    );
    assert.throws(
      () =>
        parseNotebook(
          '{"format":"mktnb","version":"1.0","cells":[{"kind":"raw","language":"x","source":[]}]}',
          'c.mktnb',
        ),
      /cells\[0\]\.kind must be "code" or "markdown"/,
    );
  });
});

describe('format: output items', () => {
  it('stores JSON mimes as JSON, text as text, binary as base64', () => {
    const enc = new TextEncoder();
    assert.deepEqual(itemFromBytes('application/vnd.mktnb.chart+json', enc.encode('{"a":1}')), {
      mime: 'application/vnd.mktnb.chart+json',
      data: { a: 1 },
    });
    assert.deepEqual(itemFromBytes('text/plain', enc.encode('hé')), { mime: 'text/plain', data: 'hé' });
    const png = new Uint8Array([137, 80, 78, 71, 0, 255]);
    const stored = itemFromBytes('image/png', png);
    assert.equal((stored as any).encoding, 'base64');
    assert.deepEqual(Array.from(itemToBytes(stored)), Array.from(png));
    assert.equal(
      new TextDecoder().decode(itemToBytes({ mime: 'application/vnd.mktnb.chart+json', data: { a: 1 } })),
      '{"a":1}',
    );
  });
});

describe('format: script-capable outputs', () => {
  it('recognises the mimes whose renderers run script', () => {
    for (const m of [
      'text/html',
      'TEXT/HTML',
      'application/javascript',
      'text/javascript',
      'application/x-javascript',
      'image/svg+xml',
      'application/xhtml+xml',
    ])
      assert.ok(isScriptCapable(m), m);
    for (const m of [
      'text/plain',
      'text/markdown',
      'application/vnd.mktnb.chart+json',
      'application/vnd.mktnb.table+json',
      'image/png',
      'application/vnd.code.notebook.stdout',
    ])
      assert.ok(!isScriptCapable(m), m);
  });
});

describe('format: the bundled samples', () => {
  const dir = path.join(__dirname, '../../../samples');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.mktnb')) : [];
  it('are stored in canonical form (re-saving changes no byte)', function () {
    assert.ok(files.length >= 5, `the bundled samples are in ${dir}`);
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.equal(serializeNotebook(parseNotebook(text, f)), text, `${f} is not canonical`);
    }
  });
});
