/**
 * Outputs that ask the kernel, in Chromium: the chart and table renderers talk to a fake kernel
 * that sits on the renderer messaging API (it answers the page's `kernel-request` messages from
 * data held in the page, computed here from the definitions, not with the renderer's code).
 * Run: npx mocha --config test/renderer/mocharc.json test/renderer/live.test.ts
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';

type Harness = {
  newPage(theme?: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
};

const H1 = `h1.${'ab'.repeat(16)}.1`;
const H2 = `h1.${'ab'.repeat(16)}.2`;
const N = 1_000_000;
const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

/**
 * Installs the fake kernel: a 1,000,000-point minute series y = i % 1000 under H1, and a
 * 10,000,000-row table (row i = [i, (i * 7) % 10]) under H2. `mode`: 'ok' | 'gone' | 'no-kernel';
 * `delay`: ms before each answer (per request, from window.__delays when set).
 */
async function fakeKernel(page: Page, mode: 'ok' | 'gone' | 'no-kernel' = 'ok'): Promise<void> {
  await page.evaluate(
    ({ mode, N, T0, MIN, H1, H2 }) => {
      const w = window as any;
      w.__kernelMode = mode;
      w.__delays = [];
      const msgs: any[] = w.__messages;
      const orig = msgs.push.bind(msgs);
      const answer = (req: any) => {
        if (w.__kernelMode !== 'ok') return { ok: false, error: { code: w.__kernelMode, message: 'fake' } };
        if (req.op === 'series-range') {
          if (req.handles.join() !== H1) return { ok: false, error: { code: 'gone', message: 'unknown handle' } };
          const x0 = req.x0 ?? -Infinity,
            x1 = req.x1 ?? Infinity;
          const from = Math.max(0, Math.ceil((x0 - T0) / MIN)),
            to = Math.min(N - 1, Math.floor((x1 - T0) / MIN));
          const lo = Math.max(0, from - 1),
            hi = Math.min(N - 1, to + 1);
          const x: number[] = [],
            y: number[] = [];
          if (hi - lo + 1 <= Math.max(2 * req.columns, 2000))
            for (let i = lo; i <= hi; i++) {
              x.push(T0 + i * MIN);
              y.push(i % 1000);
            }
          else {
            const per = Math.ceil((hi - lo + 1) / req.columns);
            for (let s = lo; s <= hi; s += per) {
              let iMin = s,
                iMax = s;
              for (let i = s; i < Math.min(hi + 1, s + per); i++) {
                if (i % 1000 < iMin % 1000) iMin = i;
                if (i % 1000 > iMax % 1000) iMax = i;
              }
              for (const i of iMin < iMax ? [iMin, iMax] : [iMax, iMin]) {
                x.push(T0 + i * MIN);
                y.push(i % 1000);
              }
            }
          }
          return {
            ok: true,
            result: {
              op: 'series-range',
              traces: [
                {
                  x,
                  y,
                  raw: hi - lo + 1 <= Math.max(2 * req.columns, 2000),
                  visible: to - from + 1,
                  total: N,
                  time: true,
                },
              ],
            },
          };
        }
        if (req.handle !== H2) return { ok: false, error: { code: 'gone', message: 'unknown handle' } };
        const total = 10_000_000;
        const order = (k: number) => {
          if (!req.sort) return k;
          // column 1 holds (i*7)%10: sorted ascending, value v occupies rows [v*1e6, (v+1)*1e6) in index order
          const v = Math.floor(k / 1e6),
            j = k % 1e6;
          const vv = req.sort.descending ? 9 - v : v;
          // the rows with (i*7)%10 === vv are i ≡ 3*vv (mod 10), since 7*3 = 21 ≡ 1
          return ((3 * vv) % 10) + 10 * j;
        };
        const rows: unknown[][] = [];
        for (let k = req.offset; k < Math.min(total, req.offset + req.limit); k++) {
          const i = order(k);
          rows.push([i, (i * 7) % 10]);
        }
        return { ok: true, result: { op: 'table-page', rows, offset: req.offset, totalRows: total } };
      };
      msgs.push = (m: any) => {
        orig(m);
        if (m?.type !== 'kernel-request') return msgs.length;
        const delay = w.__delays.length ? w.__delays.shift() : 5;
        setTimeout(() => {
          const reply = answer(m.request);
          w.sendToRenderer({ type: 'kernel-reply', requestId: m.requestId, ok: reply.ok, reply });
        }, delay);
        return msgs.length;
      };
    },
    { mode, N, T0, MIN, H1, H2 },
  );
}

/** A stored chart as the cell API writes it: 3,000 LTTB points of the series, with the handle. */
function liveChart(handle = H1): unknown {
  const x: string[] = [],
    y: number[] = [];
  for (let k = 0; k < 3000; k++) {
    const i = Math.round((k * (N - 1)) / 2999);
    x.push(new Date(T0 + i * MIN).toISOString().slice(0, 19).replace('T', ' '));
    y.push(i % 1000);
  }
  return {
    kind: 'chart',
    version: 1,
    figure: {
      data: [{ type: 'scatter', mode: 'lines', name: 'minutes', x, y }],
      layout: { title: { text: 'A million minutes' } },
    },
    decimation: [{ trace: 0, originalPoints: N, storedPoints: 3000, method: 'lttb' }],
    live: [{ trace: 0, handle, points: N }],
  };
}

function liveTable(handle = H2): unknown {
  const row = (i: number) => [i, (i * 7) % 10];
  const head = Array.from({ length: 10 }, (_, i) => row(i)),
    tail = Array.from({ length: 10 }, (_, i) => row(1e7 - 10 + i));
  return {
    kind: 'table',
    version: 1,
    columns: [
      { name: 'i', type: 'number', format: 'integer' },
      { name: 'v', type: 'number', format: 'integer' },
    ],
    rows: [...head, ...tail],
    totalRows: 1e7,
    headRows: 10,
    live: { handle },
  };
}

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

const zoom = (page: Page, id: string, a: number, b: number) =>
  page.evaluate(
    ({ id, a, b }) => {
      const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
      return (window as any).chartModule.debug.plotly.relayout(document.querySelector(`#out-${id} .mktnb-plot`), {
        'xaxis.range': [fmt(a), fmt(b)],
      });
    },
    { id, a, b },
  );

const requests = (page: Page, type = 'kernel-request') =>
  page.evaluate((t) => (window as any).__messages.filter((m: any) => m.type === t), type);

describe('outputs that ask the kernel (Chromium, fake kernel)', function () {
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
    // tsx compiles the functions passed to page.evaluate with esbuild's keepNames helper
    await page.evaluate('window.__name = (f) => f');
  });
  afterEach(async () => {
    await page?.close();
  });

  it('a zoom to 0.01% of a 1,000,000-point series asks the kernel once and draws the raw points of that range', async () => {
    await fakeKernel(page);
    await page.evaluate((f) => (window as any).renderChart('z1', f, 900), liveChart());
    await rendered(page, 'z1');
    assert.match(
      (await page.locator('#out-z1 .mktnb-note').textContent()) ?? '',
      /Zoom asks the kernel for full detail/,
    );
    const a = T0 + 500_000 * MIN,
      b = a + 99 * MIN; // 100 points
    // a drag fires several relayouts: one request goes out, for the last range
    await zoom(page, 'z1', a - 5000 * MIN, b + 5000 * MIN);
    await zoom(page, 'z1', a - 50 * MIN, b + 50 * MIN);
    await zoom(page, 'z1', a, b);
    await page.waitForFunction(
      () => (document.querySelector('#out-z1 .mktnb-chart') as HTMLElement).dataset.detail === 'raw',
      undefined,
      { timeout: 30_000 },
    );
    const reqs = await requests(page);
    assert.equal(reqs.length, 1, JSON.stringify(reqs.map((r: any) => r.request)));
    assert.deepEqual(reqs[0].request.handles, [H1]);
    assert.ok(
      Math.abs(reqs[0].request.x0 - a) < 1 && Math.abs(reqs[0].request.x1 - b) < 1,
      JSON.stringify(reqs[0].request),
    );
    const drawn = await page.evaluate(() => {
      const gd = document.querySelector('#out-z1 .mktnb-plot') as any;
      return {
        y: Array.from(gd.data[0].y),
        n: gd.data[0].x.length,
        status: document.querySelector('#out-z1 .mktnb-status')?.textContent,
      };
    });
    // the 100 points in range plus a neighbour each side, every one of them
    assert.deepEqual(
      drawn.y,
      Array.from({ length: 102 }, (_, k) => (499_999 + k) % 1000),
    );
    assert.match(drawn.status ?? '', /All 100 points in view/);
    // the y axis follows the points now shown
    const yr = await page.evaluate(
      () => (document.querySelector('#out-z1 .mktnb-plot') as any)._fullLayout.yaxis.range,
    );
    assert.ok(yr[0] > -50 && yr[1] < 1100, JSON.stringify(yr));
    // a double-click (autorange) restores the stored points without asking
    await page.evaluate(() =>
      (window as any).chartModule.debug.plotly.relayout(document.querySelector('#out-z1 .mktnb-plot'), {
        'xaxis.autorange': true,
      }),
    );
    await page.waitForFunction(
      () => (document.querySelector('#out-z1 .mktnb-plot') as any).data[0].y.length === 3000,
      undefined,
      { timeout: 30_000 },
    );
    assert.equal((await requests(page)).length, 1);
  });

  it('a newer zoom supersedes an older one: the old request is cancelled and its late answer ignored', async () => {
    await fakeKernel(page);
    await page.evaluate(() => {
      (window as any).__delays = [800, 5];
    });
    await page.evaluate((f) => (window as any).renderChart('z2', f, 900), liveChart());
    await rendered(page, 'z2');
    const a = T0 + 100_000 * MIN;
    await zoom(page, 'z2', a, a + 9 * MIN);
    await page.waitForFunction(() => (window as any).__messages.some((m: any) => m.type === 'kernel-request'));
    const b = T0 + 700_000 * MIN;
    await zoom(page, 'z2', b, b + 9 * MIN);
    await page.waitForFunction(
      () => (window as any).__messages.filter((m: any) => m.type === 'kernel-request').length === 2,
    );
    await page.waitForTimeout(1200); // past the first (slow) answer
    const cancels = await requests(page, 'kernel-cancel');
    const reqs = await requests(page);
    assert.deepEqual(
      cancels.map((c: any) => c.requestId),
      [reqs[0].requestId],
    );
    const y = await page.evaluate(() => Array.from((document.querySelector('#out-z2 .mktnb-plot') as any).data[0].y));
    assert.deepEqual(
      y,
      Array.from({ length: 12 }, (_, k) => (699_999 + k) % 1000),
      'the second range is drawn',
    );
  });

  it('without the data in the kernel (restarted: "gone") the chart keeps its stored points and says so; no further requests', async () => {
    await fakeKernel(page, 'gone');
    await page.evaluate((f) => (window as any).renderChart('z3', f, 900), liveChart());
    await rendered(page, 'z3');
    const a = T0 + 200_000 * MIN;
    await zoom(page, 'z3', a, a + 99 * MIN);
    await page.waitForFunction(
      () => (document.querySelector('#out-z3 .mktnb-chart') as HTMLElement).dataset.detail === 'stored',
      undefined,
      { timeout: 30_000 },
    );
    const note = await page.locator('#out-z3 .mktnb-note').textContent();
    assert.match(note ?? '', /no longer has its data/);
    assert.doesNotMatch(note ?? '', /asks the kernel/);
    await zoom(page, 'z3', a, a + 50 * MIN);
    await page.waitForTimeout(400);
    assert.equal((await requests(page)).length, 1);
  });

  it('a kernel restarted after a zoom: the next zoom restores the stored points and clears the status', async () => {
    await fakeKernel(page);
    await page.evaluate((f) => (window as any).renderChart('z5', f, 900), liveChart());
    await rendered(page, 'z5');
    const a = T0 + 300_000 * MIN;
    await zoom(page, 'z5', a, a + 99 * MIN);
    await page.waitForFunction(
      () => (document.querySelector('#out-z5 .mktnb-chart') as HTMLElement).dataset.detail === 'raw',
      undefined,
      { timeout: 30_000 },
    );
    await page.evaluate(() => {
      (window as any).__kernelMode = 'gone';
    });
    await zoom(page, 'z5', a, a + 50 * MIN);
    await page.waitForFunction(
      () => (document.querySelector('#out-z5 .mktnb-chart') as HTMLElement).dataset.detail === 'stored',
      undefined,
      { timeout: 30_000 },
    );
    const r = await page.evaluate(() => ({
      n: (document.querySelector('#out-z5 .mktnb-plot') as any).data[0].y.length,
      status: document.querySelector('#out-z5 .mktnb-status')?.textContent,
    }));
    assert.deepEqual(r, { n: 3000, status: '' });
  });

  it('a handle that is not an output handle (a path planted in a file) is never sent', async () => {
    await fakeKernel(page);
    await page.evaluate((f) => (window as any).renderChart('z4', f, 900), liveChart('../../../../etc/passwd'));
    await rendered(page, 'z4');
    await zoom(page, 'z4', T0 + 1000 * MIN, T0 + 2000 * MIN);
    await page.waitForTimeout(400);
    assert.equal((await requests(page)).length, 0);
    assert.match((await page.locator('#out-z4 .mktnb-note').textContent()) ?? '', /Zoom shows the stored points only/);
  });

  it('a 10,000,000-row table pages from the kernel: row count, next page, jump to the middle, sort by a column', async () => {
    await fakeKernel(page);
    await page.evaluate((t) => (window as any).renderTable('p1', t), liveTable());
    const pos = page.locator('#out-p1 .mktnb-pager-pos');
    await page.waitForFunction(() => (document.querySelector('#out-p1') as HTMLElement).dataset.paged === 'kernel');
    assert.equal(await pos.textContent(), 'Rows 1–20 of 10,000,000');
    const firstCol = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('#out-p1 tbody tr')).map(
          (tr) => (tr.children[1] as HTMLElement).textContent,
        ),
      );
    assert.equal((await firstCol()).length, 20);
    await page.locator('#out-p1 button[aria-label="Next page"]').click();
    await page.waitForFunction(() => (document.querySelector('#out-p1') as HTMLElement).dataset.offset === '20');
    assert.equal((await firstCol())[0], '20');
    await page.locator('#out-p1 input[aria-label="Go to row"]').fill('5000001');
    await page.locator('#out-p1 input[aria-label="Go to row"]').press('Enter');
    await page.waitForFunction(() => (document.querySelector('#out-p1') as HTMLElement).dataset.offset === '5000000');
    assert.equal(await pos.textContent(), 'Rows 5,000,001–5,000,020 of 10,000,000');
    const mid = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#out-p1 tbody tr'))
        .slice(0, 2)
        .map((tr) => Array.from(tr.children).map((td) => td.textContent)),
    );
    assert.deepEqual(mid, [
      ['5,000,001', '5,000,000', '0'],
      ['5,000,002', '5,000,001', '7'],
    ]);
    // sort by v descending (two clicks): the kernel sorts all rows, from the first page
    await page.locator('#out-p1 th button[title="Sort by v"]').click();
    await page.waitForFunction(
      () => (window as any).__messages.filter((m: any) => m.type === 'kernel-request' && m.request.sort).length === 1,
    );
    await page.locator('#out-p1 th button[title="Sort by v"]').click();
    await page.waitForFunction(
      () =>
        (window as any).__messages.filter((m: any) => m.type === 'kernel-request' && m.request.sort?.descending)
          .length === 1,
    );
    await page.waitForFunction(() =>
      document.querySelector('#out-p1 .mktnb-table-footer:last-child')?.textContent?.includes('descending'),
    );
    const sorted = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#out-p1 tbody tr'))
        .slice(0, 2)
        .map((tr) => Array.from(tr.children).map((td) => td.textContent)),
    );
    assert.deepEqual(sorted, [
      ['1', '7', '9'],
      ['2', '17', '9'],
    ]);
    const last = (await requests(page)).at(-1);
    assert.deepEqual(last.request, {
      op: 'table-page',
      handle: H2,
      offset: 0,
      limit: 20,
      sort: { column: 1, descending: true },
    });
  });

  it('a table whose kernel is gone shows its stored head and tail, sorts them locally, and says why', async () => {
    await fakeKernel(page, 'no-kernel');
    await page.evaluate((t) => (window as any).renderTable('p2', t), liveTable());
    await page.waitForFunction(() => (document.querySelector('#out-p2') as HTMLElement).dataset.paged === 'stored');
    assert.equal(await page.locator('#out-p2 .mktnb-pager').isHidden(), true);
    assert.match(
      (await page.locator('#out-p2 .mktnb-table-footer').last().textContent()) ?? '',
      /10,000,000 rows \(first 10 and last 10 shown\).*no longer has its rows/,
    );
    assert.equal(await page.locator('#out-p2 tbody tr.gap').textContent(), '… 9,999,980 rows …');
    await page.locator('#out-p2 th button[title="Sort by v"]').click();
    assert.equal((await requests(page)).length, 1, 'sorting the stored rows asks nothing');
    assert.match(
      (await page.locator('#out-p2 .mktnb-table-footer').first().textContent()) ?? '',
      /Sorted the 20 rows shown/,
    );
  });
});
