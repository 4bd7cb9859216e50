import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseNotebook, serializeNotebook } from '../../../src/format/serialize';
import type { MktnbFile } from '../../../src/format/types';
import { CHART_MIME, ERROR_MIME, TEXT_MIME } from '../../../src/shared/schemas';
import { CLI, ensureBuilt, ROOT, tempDirPerTest } from '../helpers';

function nb(...cells: string[]): MktnbFile {
  return {
    format: 'mktnb',
    version: '1.0',
    metadata: {},
    cells: [
      { kind: 'markdown', language: 'markdown', source: ['# t'] },
      ...cells.map((c) => ({ kind: 'code' as const, language: 'typescript', source: c.split('\n') })),
    ],
  };
}

function mktnb(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
}

describe('mktnb CLI', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => ensureBuilt());
  tempDirPerTest('mktnb-cli-', (d) => (dir = d));

  it('runs every cell, keeps state across cells and writes the executed notebook', () => {
    const file = path.join(dir, 'a.mktnb');
    fs.writeFileSync(
      file,
      serializeNotebook(nb('const x: number = 20;', 'const y = x * 2 + 2;\ny', 'console.log("hi", y)')),
    );
    const r = mktnb(['run', 'a.mktnb', '--out', 'out.mktnb'], dir);
    assert.equal(r.status, 0, r.stderr);
    const out = parseNotebook(fs.readFileSync(path.join(dir, 'out.mktnb'), 'utf8'));
    const c2 = out.cells[2];
    assert.equal(c2.execution?.order, 2);
    assert.equal(c2.outputs?.[0].items.find((i) => i.mime === TEXT_MIME)?.data, '42');
    assert.match(String(out.cells[3].outputs?.[0].items[0].data), /hi 42/);
    assert.match(r.stdout, /42/);
  });

  it('stops at the first failing cell, exits 1 and names the cell and the source line', () => {
    const file = path.join(dir, 'b.mktnb');
    fs.writeFileSync(
      file,
      serializeNotebook(
        nb(
          'const a = 1;',
          'type T = { n: number };\nconst t: T = { n: 1 };\nthrow new Error("boom " + t.n);',
          'const never = 1;',
        ),
      ),
    );
    const r = mktnb(['run', 'b.mktnb', '--out', 'out.mktnb'], dir);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /cell \[2\] failed/,
      'named by its execution count [2] (the markdown cell above is not counted), as VS Code shows it',
    );
    assert.match(r.stderr, /boom 1/);
    assert.match(r.stderr, /cell \[2\]:3/, 'stack points at line 3 of the cell source');
    assert.match(
      r.stderr,
      />\s*3 \| throw new Error\("boom " \+ t\.n\);\n\s*\|\s*\^/,
      'a code frame marks the line that threw, as for syntax errors',
    );
    const out = parseNotebook(fs.readFileSync(path.join(dir, 'out.mktnb'), 'utf8'));
    assert.ok(out.cells[2].outputs?.some((o) => o.items.some((i) => i.mime === ERROR_MIME)));
    assert.equal(out.cells[3].outputs, undefined, 'cells after the failure are not run');
  });

  it('refuses a broken notebook with file, line and column, and never overwrites it', () => {
    const file = path.join(dir, 'broken.mktnb');
    const text = '{\n  "format": "mktnb",\n  "cells": [ oops ]\n}\n';
    fs.writeFileSync(file, text);
    const r = mktnb(['run', 'broken.mktnb', '--in-place'], dir);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /broken\.mktnb: not valid JSON at line 3, column 14/);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
  });

  it('explains usage errors', () => {
    const r = mktnb(['run'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no notebook given/);
    assert.match(r.stderr, /usage:/);
  });

  it('writes a self-contained HTML report with the chart', () => {
    const file = path.join(dir, 'c.mktnb');
    fs.writeFileSync(
      file,
      serializeNotebook(
        nb("new Chart({ data: [{ x: [1, 2, 3], y: [3, 1, 2], type: 'scatter' }], layout: { title: 'tiny' } })"),
      ),
    );
    const r = mktnb(['run', 'c.mktnb', '--out', 'c.out.mktnb', '--html', 'c.html'], dir);
    assert.equal(r.status, 0, r.stderr);
    const html = fs.readFileSync(path.join(dir, 'c.html'), 'utf8');
    assert.ok(html.length > 1_000_000, 'plotly is inlined');
    assert.doesNotMatch(html, /<script[^>]+src=["']https?:/i, 'nothing loads from the network');
    const out = parseNotebook(fs.readFileSync(path.join(dir, 'c.out.mktnb'), 'utf8'));
    assert.ok(out.cells[1].outputs?.some((o) => o.items.some((i) => i.mime === CHART_MIME)));
  });
});

describe('bundled samples run headless', function () {
  this.timeout(300_000);
  before(() => ensureBuilt());
  let out: string;
  tempDirPerTest('mktnb-samples-', (d) => (out = d));
  const samples = fs.readdirSync(path.join(ROOT, 'samples')).filter((f) => f.endsWith('.mktnb'));
  it('the bundled samples are all there', () => {
    for (const want of [
      '01-gold-miners-and-bitcoin.mktnb',
      '02-bitcoin-and-the-ai-trade.mktnb',
      '03-anatomy-of-a-crypto-crash.mktnb',
      '04-etf-flows-in-sql.mktnb',
      '05-october-2025-cascade.mktnb',
    ])
      assert.ok(samples.includes(want), `${want} missing: ${samples.join(', ')}`);
  });
  for (const s of samples) {
    it(`${s} runs without error`, () => {
      const r = mktnb(['run', path.join('samples', s), '--out-dir', out, '--quiet'], ROOT);
      assert.equal(r.status, 0, r.stderr);
      const done = parseNotebook(fs.readFileSync(path.join(out, s), 'utf8'));
      const charts = done.cells
        .flatMap((c) => c.outputs ?? [])
        .flatMap((o) => o.items)
        .filter((i) => i.mime === CHART_MIME);
      assert.ok(charts.length >= 3, `${s}: only ${charts.length} charts`);
    });
  }
});
