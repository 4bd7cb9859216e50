/**
 * The HTML export in a real browser: charts are interactive with plotly inlined, nothing is
 * fetched from the network, no script from the notebook runs.
 * Run: npx mocha --config test/renderer/mocharc.json
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { notebookToHtml } from '../../src/export/html';
import { DISPLAY } from '../../src/shared/schemas';
import { Table } from '../../src/market/output';
import { Series } from '../../src/market/series';
import { plot } from '../../src/market/plot';
import type { MktnbFile, MktnbOutput } from '../../src/format/types';
import { sampleFigures } from './figures';
import { launchChromium } from '../lib/chromium.mjs';

const EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
const out = (d: { [DISPLAY](): { mime: string; data: unknown }[] }): MktnbOutput => ({
  items: d[DISPLAY]().map((i) => ({ mime: i.mime, data: JSON.parse(JSON.stringify(i.data)) })),
});

describe('HTML export (Chromium)', function () {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('is self-contained: charts render offline, tables sort, notebook text runs nothing', async () => {
    const days = Array.from({ length: 400 }, (_, i) => Date.UTC(2023, 0, 1) + i * 86_400_000);
    const btc = new Series(
      days,
      days.map((_, i) => 20000 + i * 50 + Math.sin(i / 9) * 800),
      'BTC',
    );
    const eth = new Series(
      days,
      days.map((_, i) => 1500 + i * 3 + Math.cos(i / 7) * 90),
      'ETH',
    );
    const nb: MktnbFile = {
      format: 'mktnb',
      version: '1.0',
      cells: [
        { kind: 'markdown', language: 'markdown', source: ['# BTC and ETH', `Raw: ${EVIL}`] },
        {
          kind: 'code',
          language: 'typescript',
          source: ['plot.line([btc, eth], { secondary: ["ETH"] })'],
          outputs: [out(plot.line([btc, eth], { title: `Prices ${EVIL}`, secondary: ['ETH'] }))],
        },
        { kind: 'code', language: 'typescript', source: ['plot.drawdown(btc)'], outputs: [out(plot.drawdown(btc))] },
        {
          kind: 'code',
          language: 'typescript',
          source: ['table'],
          outputs: [
            out(
              new Table(
                [
                  { name: 'name', type: 'string' },
                  { name: 'v', type: 'number' },
                ],
                [
                  ['b', 2],
                  [EVIL, 3],
                  ['a', 1],
                ],
              ),
            ),
          ],
        },
        {
          kind: 'code',
          language: 'typescript',
          source: ['html'],
          outputs: [{ items: [{ mime: 'text/html', data: `<b>x</b>${EVIL}` }] }],
        },
      ],
    };
    const plotlySource = fs.readFileSync(
      path.resolve(__dirname, '../../node_modules/plotly.js-dist-min/plotly.min.js'),
      'utf8',
    );
    const html = notebookToHtml(nb, { title: `Report ${EVIL}`, plotlySource });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    await page.route('**/*', (r) => {
      requests.push(r.request().url());
      return r.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent(html, { waitUntil: 'load' });
    await page.waitForFunction(
      () => document.querySelectorAll('figure.chart .plot[data-rendered="1"]').length >= 1,
      null,
      { timeout: 60_000 },
    );
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(
      () => document.querySelectorAll('figure.chart .plot[data-rendered="1"]').length === 2,
      null,
      { timeout: 60_000 },
    );
    const r = await page.evaluate(() => {
      const c1 = document.querySelectorAll('figure.chart .plot')[0];
      return {
        traces: c1.querySelectorAll('.scatterlayer .trace').length,
        y2: !!c1.querySelector('.yaxislayer-above .y2tick, g.y2tick'),
        title: c1.querySelector('.gtitle')?.textContent,
        pwned: (window as any).__pwned ?? 0,
        imgs: document.querySelectorAll('main img').length,
        h1: document.querySelector('h1')?.textContent,
      };
    });
    assert.equal(r.traces, 2);
    assert.ok(r.y2, 'second axis drawn');
    assert.ok(r.title!.startsWith('Prices <script>'), r.title);
    assert.equal(r.pwned, 0);
    assert.equal(r.imgs, 0);
    assert.equal(r.h1, `Report ${EVIL}`);
    await page.click('.output.table th:nth-child(2)');
    const col = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.output.table tbody td:nth-child(2)')).map((t) => t.textContent),
    );
    assert.deepEqual(col, ['1', '2', '3']);
    assert.deepEqual(requests, [], 'no network request at all');
    assert.deepEqual(errors, []);
    await page.close();
  });
  it('the cascade replay plays in the export: Play and the slider change what is drawn', async () => {
    const { replay } = sampleFigures();
    const nb: MktnbFile = {
      format: 'mktnb',
      version: '1.0',
      cells: [
        {
          kind: 'code',
          language: 'typescript',
          source: ['replay.charts.replay'],
          outputs: [{ items: [{ mime: 'application/vnd.mktnb.chart+json', data: replay }] }],
        },
      ],
    };
    const plotlySource = fs.readFileSync(
      path.resolve(__dirname, '../../node_modules/plotly.js-dist-min/plotly.min.js'),
      'utf8',
    );
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.route('**/*', (r) => r.abort());
    await page.setContent(notebookToHtml(nb, { title: 'Replay', plotlySource }), { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('.output.chart .plot[data-rendered="1"]'), null, {
      timeout: 60_000,
    });
    const drawn = () =>
      page.evaluate(() => ({
        d: document.querySelector('.output.chart .plot .scatterlayer .trace path.js-line')?.getAttribute('d') ?? '',
        n: (document.querySelector('.output.chart .plot') as any).data[0].x.length,
      }));
    const first = await drawn();
    assert.equal(first.n, 1);
    await page.click('.output.chart .plot .updatemenu-button >> nth=0');
    await page.waitForFunction(
      () => (document.querySelector('.output.chart .plot') as any).data[0].x.length >= 6,
      null,
      { timeout: 30_000 },
    );
    assert.notEqual((await drawn()).d, first.d, 'Play animates the chart');
    await page.click('.output.chart .plot .updatemenu-button >> nth=1');
    const rail = (await page.locator('.output.chart .plot .slider-rail-rect').boundingBox())!;
    await page.mouse.click(rail.x + 4, rail.y + rail.height / 2);
    await page.waitForFunction(
      () => (document.querySelector('.output.chart .plot') as any).data[0].x.length === 1,
      null,
      { timeout: 30_000 },
    );
    await page.close();
  });
});
