/**
 * The chart and table renderers in a real browser (Debian's Chromium via playwright-core),
 * loaded from bundles built for the test, with a fake VS Code renderer context.
 * Run: npx mocha --config test/renderer/mocharc.json
 * No wall-clock thresholds: waits are for conditions, with generous timeouts.
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';

type Harness = {
  newPage(theme?: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
  requests: string[];
  url: string;
};

const chart = (data: unknown[], layout: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  kind: 'chart',
  version: 1,
  figure: { data, layout },
  ...extra,
});
const line = (n: number, name = 'a') => ({
  type: 'scatter',
  mode: 'lines',
  name,
  x: Array.from({ length: n }, (_, i) => i),
  y: Array.from({ length: n }, (_, i) => Math.sin(i / 3)),
});

async function rendered(page: Page, id: string): Promise<void> {
  await page.waitForFunction(
    (i) => {
      const gd = document.querySelector(`#out-${i} .mktnb-plot`) as any;
      return !!gd && !!gd._fullLayout && !gd.classList.contains('mktnb-pending');
    },
    id,
    { timeout: 60_000 },
  );
}

describe('chart renderer (Chromium)', function () {
  let h: Harness;
  let page: Page;

  before(async () => {
    const m = await import('./harness.mjs');
    h = await m.startHarness();
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    page = await h.newPage('light');
  });
  afterEach(async () => {
    await page?.close();
  });

  it('renders a figure with the expected traces', async () => {
    await page.evaluate(
      (f) => (window as any).renderChart('c1', f),
      chart([line(50, 'a'), line(50, 'b'), { type: 'bar', x: [1, 2], y: [3, 4], name: 'c' }], {
        title: { text: 'Three traces' },
      }),
    );
    await rendered(page, 'c1');
    const r = await page.evaluate(() => ({
      scatter: document.querySelectorAll('#out-c1 .scatterlayer .trace').length,
      bars: document.querySelectorAll('#out-c1 .barlayer .trace').length,
      title: document.querySelector('#out-c1 .gtitle')?.textContent,
      svg: document.querySelectorAll('#out-c1 svg.main-svg').length,
      toolbar: Array.from(document.querySelectorAll('#out-c1 .mktnb-toolbar button')).map((b) => b.textContent),
    }));
    assert.equal(r.scatter, 2);
    assert.equal(r.bars, 1);
    assert.equal(r.title, 'Three traces');
    assert.ok(r.svg >= 1);
    assert.deepEqual(r.toolbar, ['PNG', 'SVG', 'JSON']);
    assert.ok(
      h.requests.length > 0 && h.requests.every((u) => u.startsWith(h.url)),
      `only the harness was requested: ${h.requests.filter((u) => !u.startsWith(h.url)).join(', ')}`,
    );
  });

  it('applies the theme variables and re-colors when the theme changes', async () => {
    await page.evaluate((f) => (window as any).renderChart('t1', f), chart([line(30)], { title: { text: 'Theme' } }));
    await rendered(page, 't1');
    const read = () =>
      page.evaluate(() => {
        const gd = document.querySelector('#out-t1 .mktnb-plot') as any;
        const tick = document.querySelector('#out-t1 .xtick text') as SVGTextElement;
        const bg = document.querySelector('#out-t1 .main-svg') as SVGElement;
        return {
          paper: gd._fullLayout.paper_bgcolor,
          font: gd._fullLayout.font.color,
          tickFill: getComputedStyle(tick).fill,
          svgBg: getComputedStyle(bg).backgroundColor,
          color0: gd._fullLayout.colorway[0],
          family: gd._fullLayout.font.family,
        };
      });
    const light = await read();
    assert.equal(light.paper, 'rgb(255, 255, 255)');
    assert.equal(light.font, 'rgb(59, 59, 59)');
    assert.equal(light.tickFill, 'rgb(59, 59, 59)');
    assert.equal(light.svgBg, 'rgb(255, 255, 255)');
    assert.equal(light.color0, 'rgb(26, 133, 255)');
    assert.match(light.family, /DejaVu Sans/);
    await page.evaluate(() => (window as any).setTheme('dark'));
    await page.waitForFunction(
      () => (document.querySelector('#out-t1 .mktnb-plot') as any)._fullLayout.paper_bgcolor === 'rgb(31, 31, 31)',
      null,
      { timeout: 30_000 },
    );
    const dark = await read();
    assert.equal(dark.font, 'rgb(204, 204, 204)');
    assert.equal(dark.tickFill, 'rgb(204, 204, 204)');
    assert.equal(dark.svgBg, 'rgb(31, 31, 31)');
    assert.equal(dark.color0, 'rgb(55, 148, 255)');
    const width = () =>
      page.evaluate(() => (document.querySelector('#out-t1 .mktnb-plot') as any)._fullData[0].line.width);
    assert.equal(await width(), 1.6);
    await page.evaluate(() => (window as any).setTheme('hc'));
    await page.waitForFunction(
      () => (document.querySelector('#out-t1 .mktnb-plot') as any)._fullLayout.paper_bgcolor === 'rgb(0, 0, 0)',
      null,
      { timeout: 30_000 },
    );
    assert.equal(await width(), 2.5, 'high contrast: thicker lines');
  });

  it('keeps colors the figure sets itself', async () => {
    await page.evaluate(
      (f) => (window as any).renderChart('k1', f),
      chart([line(30)], { paper_bgcolor: 'rgb(1, 2, 3)' }),
    );
    await rendered(page, 'k1');
    assert.equal(
      await page.evaluate(() => (document.querySelector('#out-k1 .mktnb-plot') as any)._fullLayout.paper_bgcolor),
      'rgb(1, 2, 3)',
    );
  });

  it('shows what is wrong with a malformed output instead of a blank', async () => {
    await page.evaluate(() => {
      (window as any).renderChart('m1', { kind: 'chart', version: 1 });
      (window as any).renderChart('m2', '{"kind": "chart", ');
      (window as any).renderChart('m3', { kind: 'chart', version: 99, figure: { data: [] } });
      (window as any).renderChart('m4', {
        kind: 'chart',
        version: 1,
        figure: { data: [{ type: 'scattergeo', lat: [1], lon: [2] }] },
      });
    });
    const texts = await page.evaluate(() =>
      ['m1', 'm2', 'm3', 'm4'].map((i) => {
        const e = document.querySelector(`#out-${i} .mktnb-error[role=alert]`);
        return e ? e.textContent : null;
      }),
    );
    assert.match(texts[0]!, /cannot be shown.*"figure" is missing/);
    assert.match(texts[1]!, /not valid JSON/);
    assert.match(texts[2]!, /version 99 is newer than this renderer/);
    assert.match(texts[3]!, /scattergeo.*map data from the internet/);
  });

  it('runs no script from a title, a trace name, an annotation or hover text', async () => {
    const evil =
      '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><svg onload="window.__pwned=3"></svg>';
    await page.evaluate(
      (e) =>
        (window as any).renderChart('x1', {
          kind: 'chart',
          version: 1,
          title: e,
          figure: {
            data: [
              {
                type: 'scatter',
                mode: 'lines+markers',
                name: `name ${e}`,
                x: [1, 2],
                y: [1, 2],
                text: [e, e],
                hovertemplate: `%{text} ${e}`,
              },
            ],
            layout: {
              title: { text: `Title ${e} <b>bold</b>` },
              xaxis: { title: { text: e } },
              annotations: [
                { x: 1, y: 1, text: `<a href="javascript:window.__pwned=4">click</a> ${e}` },
                {
                  x: 2,
                  y: 2,
                  text: 'tracking <a href="https://evil.example/phish" target="_blank">link</a> <span style="fill:url(https://evil.example/p.svg#a);font-weight:bold">styled</span>',
                },
              ],
              images: [{ source: 'https://example.com/t.png', x: 0, y: 0, sizex: 1, sizey: 1 }],
            },
            config: {
              plotlyServerURL: 'https://evil.example',
              showLink: true,
              linkText: e,
              topojsonURL: 'https://evil.example/',
            },
          },
        }),
      evil,
    );
    await rendered(page, 'x1');
    // hover a point, so hover text is drawn too
    const box = await page.locator('#out-x1 .nsewdrag').first().boundingBox();
    await page.mouse.move(box!.x + box!.width * 0.05, box!.y + box!.height * 0.95);
    await page.mouse.move(box!.x + box!.width * 0.95, box!.y + box!.height * 0.05, { steps: 5 });
    await page.waitForTimeout(300); // let any injected handler fire if one existed (not a timing assertion)
    const r = await page.evaluate(() => ({
      pwned: (window as any).__pwned,
      scripts: document.querySelectorAll('#outputs script').length,
      imgs: document.querySelectorAll('#outputs img, #outputs image').length,
      handlers: Array.from(document.querySelectorAll('#outputs *')).filter((el) =>
        Array.from(el.attributes).some((a) => /^on/i.test(a.name)),
      ).length,
      jsLinks: document.querySelectorAll('#outputs a[href^="javascript"], #outputs a[*|href^="javascript"]').length,
      links: document.querySelectorAll('#outputs svg a').length,
      styled: Array.from(document.querySelectorAll('#outputs svg tspan[style]')).filter((t) =>
        /url\(/.test(t.getAttribute('style') ?? ''),
      ).length,
      linkText: Array.from(document.querySelectorAll('#out-x1 .annotation-text'))
        .map((t) => t.textContent)
        .join(' | '),
      title: document.querySelector('#out-x1 .gtitle')?.textContent,
      bold: document.querySelectorAll('#out-x1 .gtitle tspan[style*="bold"]').length,
    }));
    assert.equal(r.pwned, 0);
    assert.equal(r.scripts, 0);
    assert.equal(r.imgs, 0);
    assert.equal(r.handlers, 0);
    assert.equal(r.jsLinks, 0);
    assert.equal(r.links, 0, 'links in notebook text are shown as text, not followed');
    assert.equal(r.styled, 0, 'style attributes (url() fetches) are removed');
    assert.ok(
      r.linkText.includes(
        'tracking <a href="https://evil.example/phish" target="_blank">link</a> <span style="fill:url(https://evil.example/p.svg#a);font-weight:bold">styled</span>',
      ),
      'shown as literal text',
    );
    assert.ok(r.title!.includes('<script>window.__pwned=1</script>'), `title shown literally: ${r.title}`);
    assert.ok(r.bold >= 1, 'allowed formatting (<b>) still works');
    assert.ok(!h.requests.some((u) => /example\.com|evil\.example/.test(u)), 'no request to remote hosts');
  });

  it('dispose purges the plot and empties the element', async () => {
    await page.evaluate((f) => (window as any).renderChart('d1', f), chart([line(100)]));
    await rendered(page, 'd1');
    const before = await page.evaluate(() => (window as any).chartModule.debug.liveViews());
    const r = await page.evaluate(() => {
      const gd = document.querySelector('#out-d1 .mktnb-plot') as any;
      (window as any).disposeChart('d1');
      return {
        fullLayout: gd._fullLayout === undefined,
        data: gd.data === undefined,
        children: document.getElementById('out-d1')!.childElementCount,
        live: (window as any).chartModule.debug.liveViews(),
      };
    });
    assert.deepEqual(r, { fullLayout: true, data: true, children: 0, live: before - 1 });
  });

  it('draws lazily: a chart below the fold renders when scrolled into view', async () => {
    await page.evaluate(
      (f) => {
        const spacer = document.createElement('div');
        spacer.style.height = '4000px';
        document.getElementById('outputs')!.append(spacer);
        (window as any).renderChart('lazy1', f);
      },
      chart([line(100)]),
    );
    await page.waitForTimeout(300);
    assert.equal(
      await page.evaluate(() => (document.querySelector('#out-lazy1 .mktnb-plot') as any)._fullLayout === undefined),
      true,
      'not drawn while off screen',
    );
    await page.evaluate(() => document.getElementById('out-lazy1')!.scrollIntoView());
    await rendered(page, 'lazy1');
  });

  it('follows the output width and compacts narrow outputs', async () => {
    await page.evaluate(
      (f) => (window as any).renderChart('w1', f, 900),
      chart([line(100)], { title: { text: 'Width' } }),
    );
    await rendered(page, 'w1');
    const width = () =>
      page.evaluate(() => Number(document.querySelector('#out-w1 svg.main-svg')!.getAttribute('width')));
    assert.ok(Math.abs((await width()) - 900) < 40, `about 900: ${await width()}`);
    await page.evaluate(() => {
      document.getElementById('out-w1')!.style.width = '380px';
    });
    await page.waitForFunction(
      () => Math.abs(Number(document.querySelector('#out-w1 svg.main-svg')!.getAttribute('width')) - 380) < 30,
      null,
      { timeout: 30_000 },
    );
    const nticks = await page.evaluate(
      () => (document.querySelector('#out-w1 .mktnb-plot') as any)._fullLayout.xaxis.nticks,
    );
    assert.equal(nticks, 5);
  });

  it('decimates a long line for drawing and shows full detail when zoomed', async () => {
    const n = 300_000;
    await page.evaluate((n) => {
      const x = new Array(n),
        y = new Array(n);
      const t0 = Date.UTC(2020, 0, 1);
      for (let i = 0; i < n; i++) {
        x[i] = new Date(t0 + i * 60_000).toISOString();
        y[i] = Math.sin(i / 1000) + (i === 123_456 ? 50 : 0);
      }
      (window as any).renderChart(
        'big',
        {
          kind: 'chart',
          version: 1,
          figure: { data: [{ type: 'scatter', mode: 'lines', name: 'minutes', x, y }], layout: {} },
        },
        800,
      );
    }, n);
    await rendered(page, 'big');
    const r = await page.evaluate(() => {
      const gd = document.querySelector('#out-big .mktnb-plot') as any;
      return { drawn: gd.data[0].y.length, max: Math.max(...gd.data[0].y.filter((v: any) => v !== null)) };
    });
    assert.ok(r.drawn < 2 * 800 + 10, `drawn ${r.drawn}`);
    assert.equal(r.max, 50 + Math.sin(123.456), 'the spike is drawn');
    // zoom to 1,000 minutes: every stored point in that range is drawn
    await page.evaluate(async () => {
      const gd = document.querySelector('#out-big .mktnb-plot') as any;
      const t0 = Date.UTC(2020, 0, 1);
      const a = new Date(t0 + 100_000 * 60_000).toISOString().replace('T', ' ').replace('Z', '');
      const b = new Date(t0 + 101_000 * 60_000).toISOString().replace('T', ' ').replace('Z', '');
      // the same call Plotly makes when the user drag-zooms
      const Plotly = (window as any).chartModule.debug.plotly;
      await Plotly.relayout(gd, { 'xaxis.range[0]': a, 'xaxis.range[1]': b });
    });
    await page.waitForFunction(
      () => {
        const gd = document.querySelector('#out-big .mktnb-plot') as any;
        return gd.data[0].x.length > 900 && gd.data[0].x.length < 1100;
      },
      null,
      { timeout: 30_000 },
    );
    const z = await page.evaluate(() => {
      const gd = document.querySelector('#out-big .mktnb-plot') as any;
      const x = gd.data[0].x as string[];
      return { n: x.length, first: x[0], last: x[x.length - 1] };
    });
    assert.ok(z.n >= 1000 && z.n <= 1003, `all ~1001 points of the range: ${z.n}`);
    assert.ok(z.first <= '2020-03-10T10:40' && z.last >= '2020-03-11T03:20', `${z.first} .. ${z.last}`);
    // reset zoom: back to the overview
    await page.evaluate(async () => {
      const gd = document.querySelector('#out-big .mktnb-plot') as any;
      const Plotly = (window as any).chartModule.debug.plotly;
      await Plotly.relayout(gd, { 'xaxis.autorange': true });
    });
    await page.waitForFunction(
      (m) => (document.querySelector('#out-big .mktnb-plot') as any).data[0].y.includes(m),
      50 + Math.sin(123.456),
      { timeout: 30_000 },
    );
  });

  it('exports PNG/SVG through the extension and copies the figure JSON', async () => {
    const fig = chart([line(20)], { title: { text: 'BTC / ETH 2024' } }, { title: 'BTC / ETH 2024' });
    await page.evaluate((f) => (window as any).renderChart('e1', f), fig);
    await rendered(page, 'e1');
    await page.hover('#out-e1 .mktnb-plot');
    await page.click('#out-e1 .mktnb-toolbar button:has-text("PNG")');
    await page.waitForFunction(() => (window as any).__messages.some((m: any) => m.type === 'save-image'), null, {
      timeout: 30_000,
    });
    const m = await page.evaluate(() => (window as any).__messages.find((x: any) => x.type === 'save-image'));
    assert.equal(m.format, 'png');
    assert.equal(m.suggestedName, 'BTC-ETH-2024.png');
    assert.match(m.dataUrl, /^data:image\/png;base64,iVBOR/);
    await page.evaluate(
      (id) =>
        (window as any).sendToRenderer({
          type: 'save-image-result',
          requestId: id,
          ok: true,
          path: '/home/u/BTC-ETH-2024.png',
        }),
      m.requestId,
    );
    await page.waitForFunction(
      () => document.querySelector('#out-e1 .mktnb-status')?.textContent === 'Saved /home/u/BTC-ETH-2024.png',
      null,
      { timeout: 10_000 },
    );
    await page.click('#out-e1 .mktnb-toolbar button:has-text("SVG")');
    await page.waitForFunction(
      () => (window as any).__messages.some((m: any) => m.type === 'save-image' && m.format === 'svg'),
      null,
      { timeout: 30_000 },
    );
    const svg = await page.evaluate(
      () => (window as any).__messages.find((x: any) => x.format === 'svg').dataUrl as string,
    );
    assert.match(decodeURIComponent(svg.slice(svg.indexOf(',') + 1)), /^<svg/);
    // JSON: clipboard when allowed, else a copy-text message to the extension
    await page.click('#out-e1 .mktnb-toolbar button:has-text("JSON")');
    await page.waitForFunction(
      () => /Cop/.test(document.querySelector('#out-e1 .mktnb-status')?.textContent ?? ''),
      null,
      { timeout: 10_000 },
    );
    const copied = await page.evaluate(async () => {
      const msg = (window as any).__messages.find((x: any) => x.type === 'copy-text');
      if (msg) return msg.text as string;
      return navigator.clipboard.readText();
    });
    assert.deepEqual(JSON.parse(copied), fig.figure);
  });
});

describe('table renderer (Chromium)', function () {
  let h: Harness;
  let page: Page;
  before(async () => {
    h = await (await import('./harness.mjs')).startHarness();
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    page = await h.newPage('light');
  });
  afterEach(async () => {
    await page?.close();
  });

  const table = {
    kind: 'table',
    version: 1,
    title: 'Returns <img src=x onerror="window.__pwned=1">',
    columns: [
      { name: 'date', type: 'date' },
      { name: 'ret', type: 'number', percent: true, digits: 2 },
      { name: 'px', type: 'number' },
      { name: 'note', type: 'string' },
    ],
    rows: [
      ['2024-01-01', 0.0123, 42000.5, 'a'],
      ['2024-01-02', -0.05, 39900, '<script>window.__pwned=2</script>'],
      ['2024-01-03T12:30:00Z', null, 41000.25, 'c'],
      ['2024-12-30', 0.2, 45000, 'y'],
      ['2024-12-31', 0.001, 44000, 'z'],
    ],
    totalRows: 365,
    headRows: 3,
    footer: 'inner join of 2 series',
  };

  it('renders formatted cells, the elision row, the total and the footer, escaped', async () => {
    await page.evaluate((t) => (window as any).renderTable('t1', t), table);
    const r = await page.evaluate(() => ({
      head: Array.from(document.querySelectorAll('#out-t1 th')).map((e) => e.textContent),
      rows: Array.from(document.querySelectorAll('#out-t1 tbody tr')).map((tr) =>
        Array.from(tr.querySelectorAll('td')).map((td) => td.textContent),
      ),
      footer: Array.from(document.querySelectorAll('#out-t1 .mktnb-table-footer'))
        .map((e) => e.textContent)
        .join('|'),
      title: document.querySelector('#out-t1 .mktnb-table-title')?.textContent,
      pwned: (window as any).__pwned,
      imgs: document.querySelectorAll('#outputs img, #outputs script').length,
    }));
    assert.deepEqual(r.head, ['date', 'ret', 'px', 'note']);
    assert.deepEqual(r.rows[0], ['2024-01-01', '1.23%', '42,000.50', 'a']);
    // one rule per column (src/shared/format.ts): 39,900 gets the decimals of the column, not its own
    assert.deepEqual(r.rows[1], ['2024-01-02', '-5.00%', '39,900.00', '<script>window.__pwned=2</script>']);
    assert.deepEqual(r.rows[2], ['2024-01-03 12:30', '—', '41,000.25', 'c']);
    assert.deepEqual(r.rows[3], ['… 360 rows …']);
    assert.equal(r.rows.length, 6);
    assert.match(r.footer, /365 rows \(first 3 and last 2 shown\) · inner join of 2 series/);
    assert.equal(r.title, 'Returns <img src=x onerror="window.__pwned=1">');
    assert.equal(r.pwned, 0);
    assert.equal(r.imgs, 0);
  });

  it('sorts by a column: ascending, descending, original', async () => {
    await page.evaluate((t) => (window as any).renderTable('t2', t), table);
    const col = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('#out-t2 tbody tr:not(.gap) td:nth-child(2)')).map((td) => td.textContent),
      );
    await page.click('#out-t2 th:nth-child(2) button');
    assert.deepEqual(await col(), ['-5.00%', '0.10%', '1.23%', '20.00%', '—']);
    assert.equal(await page.getAttribute('#out-t2 th:nth-child(2)', 'aria-sort'), 'ascending');
    assert.match((await page.textContent('#out-t2 .mktnb-table-wrap'))!, /Sorted the 5 rows shown, not all 365/);
    await page.click('#out-t2 th:nth-child(2) button');
    assert.deepEqual(await col(), ['20.00%', '1.23%', '0.10%', '-5.00%', '—']);
    await page.click('#out-t2 th:nth-child(2) button');
    assert.deepEqual(await col(), ['1.23%', '-5.00%', '—', '20.00%', '0.10%']);
    assert.equal(await page.locator('#out-t2 tr.gap').count(), 1, 'elision row back in original order');
  });

  it('shows what is wrong with a malformed table', async () => {
    await page.evaluate(() =>
      (window as any).renderTable('t3', {
        kind: 'table',
        version: 1,
        columns: [{ name: 'a', type: 'number' }],
        rows: [[1, 2]],
      }),
    );
    const t = await page.textContent('#out-t3 .mktnb-error');
    assert.match(t!, /rows\[0\] has 2 values for 1 columns/);
    assert.match(t!, /"totalRows" is missing/);
  });
});
