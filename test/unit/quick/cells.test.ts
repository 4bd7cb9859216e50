import assert from 'node:assert/strict';
import * as path from 'node:path';
import { generateCells, type QuickChoices } from '../../../src/quick/cells';
import { identifier } from '../../../src/quick/names';
import { runNotebook } from '../../../src/cli/run';
import { CHART_MIME } from '../../../src/shared/schemas';
import type { MktnbFile } from '../../../src/format/types';
import { ensureBuilt, KERNEL, ROOT } from '../helpers';

const SAMPLES = path.join(ROOT, 'samples');

describe('quick analyses: identifiers', () => {
  it('makes readable, unique identifiers', () => {
    const taken = new Set<string>();
    assert.equal(identifier('BTC-USD', taken), 'BTC_USD');
    assert.equal(identifier('BTC-USD', taken), 'BTC_USD_2');
    assert.equal(identifier('2x lev', taken), '_2x_lev');
    assert.equal(identifier('load', taken), 'load_');
  });
});

describe('quick analyses: generated notebooks run on the sample data', function () {
  this.timeout(120_000);
  before(() => ensureBuilt());

  const BTC = { name: 'BTC', path: 'data/BTC-USD.csv' };
  const GLD = { name: 'GLD', path: 'data/GLD.csv' };
  const GDX = { name: 'GDX', path: 'data/GDX.csv' };
  const cases: QuickChoices[] = [
    { kind: 'correlation', series: [BTC, GLD], method: 'spearman', on: 'returns', from: '2025-01-01' },
    { kind: 'correlation', series: [BTC, GLD], method: 'pearson', on: 'levels' },
    { kind: 'rolling', series: [BTC, GLD], window: 30, method: 'pearson', on: 'returns' },
    { kind: 'beta', series: [GDX, GLD], window: 63 },
    { kind: 'leadlag', series: [BTC, GLD], maxLag: 5 },
    { kind: 'drawdown', series: [BTC, GLD, GDX], from: '2025-10-01' },
    { kind: 'analyze', series: [BTC] },
    { kind: 'cascade', series: [BTC], from: '2026-01-15', to: '2026-02-28' },
  ];
  for (const c of cases) {
    it(`${c.kind} (${c.series.map((s) => s.name).join(', ')}) runs and draws a chart`, async () => {
      const cells = generateCells(c);
      assert.equal(cells[0].kind, 'markdown');
      const nb: MktnbFile = {
        format: 'mktnb',
        version: '1.0',
        metadata: {},
        cells: cells.map((x) => ({
          kind: x.kind,
          language: x.kind === 'code' ? 'typescript' : 'markdown',
          source: x.source.split('\n'),
        })),
      };
      const res = await runNotebook(nb, {
        cwd: SAMPLES,
        notebookPath: path.join(SAMPLES, 'quick.mktnb'),
        kernelScript: KERNEL,
      });
      const err = res.failedCell?.error;
      assert.ok(
        res.ok,
        `cell ${res.failedCell?.number} failed: ${err?.stack ?? err?.message}\n--- source:\n${cells[res.failedCell?.index ?? 0]?.source}`,
      );
      const charts = res.notebook.cells
        .flatMap((x) => x.outputs ?? [])
        .flatMap((o) => o.items)
        .filter((i) => i.mime === CHART_MIME);
      assert.ok(charts.length >= 1, 'no chart output');
    });
  }
});
