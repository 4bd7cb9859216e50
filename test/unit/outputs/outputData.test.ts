/**
 * Outputs that ask the kernel: the kernel's store (handles, LRU, range decimation, sorted pages),
 * the one protocol's validation, the extension's forwarding, and a real kernel process answering
 * a zoom while a cell awaits. Expected values are computed here from the definitions, never read
 * back from the code under test.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { OutputStore } from '../../../src/kernel/outputData';
import { seriesRange } from '../../../src/kernel/outputSeries';
import { sortOrder } from '../../../src/kernel/outputTable';
import { parseOutputRequest, OUTPUT_LIMITS, type OutputReply } from '../../../src/shared/output-requests';
import { handleRendererMessage, type RendererRequestDeps } from '../../../src/notebook/rendererRequests';
import { OutputHandles } from '../../../src/notebook/outputHandles';
import { KernelClient, type KernelOutputEvent } from '../../../src/kernel/client';
import { CHART_MIME, TABLE_MIME } from '../../../src/shared/schemas';
import type { LiveTable } from '../../../src/market/output';
import { buildKernel, FIXTURES } from '../kernel/build';

const NONCE = 'ab'.repeat(16);
const series = (n: number, f: (i: number) => number) => ({
  kind: 'series' as const,
  x: Float64Array.from({ length: n }, (_, i) => i * 10),
  y: Float64Array.from({ length: n }, (_, i) => f(i)),
  time: false,
});
const ok = (r: OutputReply) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result;
};

describe('outputs that ask the kernel', () => {
  describe('protocol validation (parseOutputRequest)', () => {
    const h = `h1.${NONCE}.1`;
    it('accepts well-formed requests and rebuilds them from known fields only', () => {
      const r = parseOutputRequest({
        op: 'series-range',
        handles: [h],
        x0: 1,
        x1: 2,
        columns: 800,
        extra: '../../etc/passwd',
      });
      assert.deepEqual(r, { request: { op: 'series-range', handles: [h], x0: 1, x1: 2, columns: 800 } });
      assert.deepEqual(
        parseOutputRequest({
          op: 'table-page',
          handle: h,
          offset: 0,
          limit: 50,
          sort: { column: 1, descending: true, x: 1 },
        }),
        { request: { op: 'table-page', handle: h, offset: 0, limit: 50, sort: { column: 1, descending: true } } },
      );
    });
    for (const [what, v] of [
      ['a path as handle', { op: 'table-page', handle: '/home/u/data.csv', offset: 0, limit: 5 }],
      ['a handle without nonce', { op: 'table-page', handle: 'h1.1', offset: 0, limit: 5 }],
      ['too many rows', { op: 'table-page', handle: h, offset: 0, limit: OUTPUT_LIMITS.maxPageRows + 1 }],
      ['a negative offset', { op: 'table-page', handle: h, offset: -1, limit: 5 }],
      ['NaN range', { op: 'series-range', handles: [h], x0: NaN, x1: 1, columns: 10 }],
      ['x0 after x1', { op: 'series-range', handles: [h], x0: 5, x1: 1, columns: 10 }],
      ['fractional columns', { op: 'series-range', handles: [h], x0: 0, x1: 1, columns: 1.5 }],
      ['no handles', { op: 'series-range', handles: [], x0: 0, x1: 1, columns: 10 }],
      ['an unknown op', { op: 'eval', code: 'process.exit()' }],
      ['not an object', 'series-range'],
    ] as const)
      it(`refuses ${what}`, () => assert.ok('problem' in parseOutputRequest(v)));
  });

  describe('OutputStore', () => {
    it('answers only handles of its own session; others are "gone", never data', () => {
      const a = new OutputStore(1e9, NONCE),
        b = new OutputStore(1e9, 'cd'.repeat(16));
      const ha = a.register(series(10, (i) => i))!;
      assert.match(ha, /^h1\.(ab){16}\.1$/);
      const r = b.answer({ op: 'series-range', handles: [ha], x0: null, x1: null, columns: 100 });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.code, 'gone');
      assert.match(!r.ok ? r.error.message : '', /another kernel session/);
      assert.equal(a.answer({ op: 'series-range', handles: [ha], x0: null, x1: null, columns: 100 }).ok, true);
      assert.equal(a.answer({ op: 'nope' }).ok, false);
    });

    it('drops the least recently used entry past its limit, never the one just added, and releases on request', () => {
      const s = new OutputStore(2 * 16 * 1000, NONCE); // room for two 1000-point series (x and y: 16 kB each)
      const h1 = s.register(series(1000, (i) => i))!,
        h2 = s.register(series(1000, (i) => i))!;
      s.answer({ op: 'series-range', handles: [h1], x0: null, x1: null, columns: 10 }); // h1 used: h2 is now the oldest
      const h3 = s.register(series(1000, (i) => i))!;
      const code = (h: string) => {
        const r = s.answer({ op: 'series-range', handles: [h], x0: null, x1: null, columns: 10 });
        return r.ok ? 'ok' : r.error.code;
      };
      assert.deepEqual([code(h1), code(h2), code(h3)], ['ok', 'gone', 'ok']);
      const big = s.register(series(5000, (i) => i))!; // bigger than the whole cache: kept alone
      assert.deepEqual([code(h1), code(h3), code(big)], ['gone', 'gone', 'ok']);
      s.release([big]);
      assert.equal(code(big), 'gone');
      assert.equal(s.size, 0);
      assert.equal(s.usedBytes, 0);
    });

    it('refuses a series whose x is not increasing (cannot be ranged)', () => {
      const s = new OutputStore(1e9, NONCE);
      assert.equal(s.register({ kind: 'series', x: [0, 2, 1], y: [1, 2, 3], time: false }), undefined);
    });
  });

  describe('seriesRange', () => {
    // a sine with one spike and a run of missing values
    const n = 1_000_000;
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 5000));
    y[123_457] = 50;
    y[800_001] = -40;
    for (let i = 600_000; i < 600_010; i++) y[i] = NaN;
    const x = Float64Array.from({ length: n }, (_, i) => 1e12 + i * 60_000);
    const s = new OutputStore(1e10, NONCE);
    const h = s.register({ kind: 'series', x, y, time: true })!;
    const range = (x0: number | null, x1: number | null, columns: number) => {
      const r = ok(s.answer({ op: 'series-range', handles: [h], x0, x1, columns }));
      assert.equal(r.op, 'series-range');
      return (r as { traces: import('../../../src/shared/output-requests').SeriesRangeTrace[] }).traces[0];
    };

    it('returns every point of a small range, with one neighbour each side', () => {
      const lo = 400_000,
        hi = 400_099; // 100 points = 0.01% of the series
      const t = range(x[lo], x[hi], 900);
      assert.equal(t.raw, true);
      assert.equal(t.visible, 100);
      assert.deepEqual(t.x, Array.from(x.subarray(lo - 1, hi + 2)));
      assert.deepEqual(t.y, Array.from(y.subarray(lo - 1, hi + 2)));
      assert.equal(t.time, true);
      assert.equal(t.total, n);
    });

    it('reduces a wide range to min and max per column: at most 2 points per column (+ gaps), extremes and gaps kept', () => {
      const t = range(null, null, 1000);
      assert.equal(t.raw, false);
      assert.equal(t.visible, n);
      assert.ok(t.y.length <= 2 * 1000 + 1, `${t.y.length} points`);
      assert.ok(t.y.includes(50) && t.y.includes(-40), 'the spikes are drawn');
      assert.ok(t.y.includes(null), 'the gap is drawn');
      for (let k = 1; k < t.x.length; k++) assert.ok(t.x[k] >= t.x[k - 1]);
      // per column, the min and max agree with a direct scan (the block index is only a shortcut)
      const span = x[n - 1] - x[0];
      const col = 137,
        a = x[0] + (span * col) / 1000,
        b = x[0] + (span * (col + 1)) / 1000;
      let mn = Infinity,
        mx = -Infinity;
      for (let i = 0; i < n; i++)
        if (x[i] >= a && x[i] < b && !Number.isNaN(y[i])) {
          mn = Math.min(mn, y[i]);
          mx = Math.max(mx, y[i]);
        }
      const inCol = t.y.filter((_, k) => t.x[k] >= a && t.x[k] < b) as number[];
      assert.deepEqual([Math.min(...inCol), Math.max(...inCol)], [mn, mx]);
    });

    it('an empty range gives the neighbours only', () => {
      const t = seriesRange({ kind: 'series', x: [0, 10, 20], y: [1, 2, 3], time: false }, 11, 12, 100);
      assert.equal(t.visible, 0);
      assert.deepEqual(t.x, [10, 20]);
    });
  });

  describe('table pages', () => {
    const n = 100_000;
    const a = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) - 500 + (i % 3 === 0 ? 0.5 : 0));
    a[10] = NaN;
    a[20] = NaN;
    a[30] = -0;
    const table: LiveTable = {
      kind: 'table',
      length: n,
      row: (i) => [i, Number.isNaN(a[i]) ? null : a[i]],
      sortKey: (j) => (j === 1 ? a : undefined),
    };
    const s = new OutputStore(1e9, NONCE);
    const h = s.register(table)!;

    it('pages in the data order', () => {
      const r = ok(s.answer({ op: 'table-page', handle: h, offset: 50_000, limit: 3 }));
      assert.deepEqual(r, {
        op: 'table-page',
        rows: [
          [50_000, a[50_000]],
          [50_001, a[50_001]],
          [50_002, a[50_002]],
        ],
        offset: 50_000,
        totalRows: n,
      });
    });

    for (const descending of [false, true]) {
      it(`sorts all rows ${descending ? 'descending' : 'ascending'} (stable, missing last), as a comparator sort would`, () => {
        const idx = Array.from({ length: n }, (_, i) => i).sort((p, q) => {
          const mp = Number.isNaN(a[p]),
            mq = Number.isNaN(a[q]);
          if (mp || mq) return mp && mq ? p - q : mp ? 1 : -1;
          return (descending ? a[q] - a[p] : a[p] - a[q]) || p - q;
        });
        assert.deepEqual(Array.from(sortOrder(table, 1, descending)), idx);
        const page = ok(
          s.answer({ op: 'table-page', handle: h, offset: n - 2, limit: 10, sort: { column: 1, descending } }),
        );
        assert.deepEqual(
          (page as { rows: unknown[][] }).rows.map((r) => r[0]),
          [10, 20],
        );
      });
    }

    it('sorts rows without numeric keys by their values', () => {
      const t: LiveTable = { kind: 'table', length: 4, row: (i) => [['b', 'a', null, 'c'][i]] };
      assert.deepEqual(Array.from(sortOrder(t, 0, false)), [1, 0, 3, 2]);
    });
  });

  describe('the extension forwards validated requests', () => {
    const deps = (over: Partial<RendererRequestDeps>, replies: unknown[], logs: string[]): RendererRequestDeps => ({
      notebookFolder: () => undefined,
      chartFigures: () => [],
      showSaveDialog: async () => undefined,
      writeFile: async () => {
        throw new Error('no');
      },
      writeClipboard: async () => {
        throw new Error('no');
      },
      info: () => undefined,
      log: (m) => logs.push(m),
      reply: (m) => replies.push(m),
      join: path.join,
      ...over,
    });
    it('sends a valid request to the kernel and the reply back; refuses a malformed one without asking the kernel', async () => {
      const replies: any[] = [],
        logs: string[] = [],
        asked: unknown[] = [];
      const d = deps(
        {
          kernelRequest: async (r) => {
            asked.push(r);
            return { ok: true, result: { op: 'table-page', rows: [], offset: 0, totalRows: 0 } };
          },
        },
        replies,
        logs,
      );
      const h = `h1.${NONCE}.3`;
      await handleRendererMessage(
        { type: 'kernel-request', requestId: 'r1', request: { op: 'table-page', handle: h, offset: 0, limit: 5 } },
        d,
      );
      await handleRendererMessage(
        {
          type: 'kernel-request',
          requestId: 'r2',
          request: { op: 'table-page', handle: '../x.csv', offset: 0, limit: 5 },
        },
        d,
      );
      assert.deepEqual(asked, [{ op: 'table-page', handle: h, offset: 0, limit: 5 }]);
      assert.deepEqual(
        replies.map((r) => [r.requestId, r.reply.ok, r.reply.error?.code]),
        [
          ['r1', true, undefined],
          ['r2', false, 'invalid'],
        ],
      );
      assert.equal(logs.length, 1);
    });
    it('answers no-kernel when the notebook has none', async () => {
      const replies: any[] = [];
      await handleRendererMessage(
        {
          type: 'kernel-request',
          requestId: 'r',
          request: { op: 'series-range', handles: [`h1.${NONCE}.1`], x0: null, x1: null, columns: 5 },
        },
        deps({}, replies, []),
      );
      assert.equal(replies[0].reply.error.code, 'no-kernel');
    });
    it('releases the handles of outputs that left the notebook', () => {
      const item = (mime: string, v: unknown) => ({ mime, data: new TextEncoder().encode(JSON.stringify(v)) });
      const t = new OutputHandles();
      const c = item(CHART_MIME, { kind: 'chart', live: [{ trace: 0, handle: `h1.${NONCE}.1`, points: 9 }] });
      const tb = item(TABLE_MIME, { kind: 'table', live: { handle: `h1.${NONCE}.2` } });
      assert.deepEqual(t.update('nb', [c, tb]), []);
      assert.deepEqual(t.update('nb', [tb]), [`h1.${NONCE}.1`]);
      assert.deepEqual(t.update('nb', []), [`h1.${NONCE}.2`]);
    });
  });

  describe('a real kernel process', function () {
    this.timeout(120_000);
    let k: KernelClient;
    before(async () => {
      k = await KernelClient.start({
        cwd: FIXTURES,
        notebookPath: path.join(FIXTURES, 'test.mktnb'),
        kernelScript: await buildKernel(),
        outputCacheMb: 64,
      });
    });
    after(() => k?.dispose());
    const displayed = async (code: string) => {
      const out: KernelOutputEvent[] = [];
      const r = await k.execute(code, 'typescript', { cellLabel: 'cell', onOutput: (e) => out.push(e) });
      assert.equal(r.ok, true, r.error?.stack);
      return out.flatMap((e) => (e.kind === 'display' ? e.items : []));
    };

    it('a chart of a long series carries a handle; a zoom is answered while a later cell awaits; a restart makes it gone', async () => {
      const items = await displayed(
        'const s = new Series(Float64Array.from({length: 200000}, (_, i) => 1.7e12 + i * 60000), Float64Array.from({length: 200000}, (_, i) => i % 977)); plot.line(s)',
      );
      const chart = items.find((i) => i.mime === CHART_MIME)!.data as any;
      assert.equal(chart.live.length, 1);
      assert.equal(chart.live[0].points, 200000);
      const handle = chart.live[0].handle as string;
      assert.doesNotMatch(JSON.stringify(chart.live), /\//, 'no paths in the output');
      // a cell that awaits for 1.5 s: the zoom is answered long before it ends
      const t0 = Date.now();
      const cell = k.execute('await new Promise((r) => setTimeout(r, 1500)); 1', 'typescript', {
        cellLabel: 'wait',
        onOutput: () => undefined,
      });
      await new Promise((r) => setTimeout(r, 100));
      const reply = await k.outputRequest({
        op: 'series-range',
        handles: [handle],
        x0: 1.7e12 + 1000 * 60000,
        x1: 1.7e12 + 1019 * 60000,
        columns: 500,
      }).reply;
      const answeredAfter = Date.now() - t0;
      const r = ok(reply) as any;
      assert.deepEqual(
        r.traces[0].y,
        Array.from({ length: 22 }, (_, i) => (999 + i) % 977),
      );
      assert.ok(answeredAfter < 1400, `answered after ${answeredAfter} ms, while the cell still awaited`);
      assert.equal((await cell).ok, true);
      // the table of a long Series is paged from the kernel, sorted by value
      const table = (await displayed('s')).find((i) => i.mime === TABLE_MIME)!.data as any;
      const page = ok(
        await k.outputRequest({
          op: 'table-page',
          handle: table.live.handle,
          offset: 0,
          limit: 3,
          sort: { column: 1, descending: true },
        }).reply,
      ) as any;
      assert.deepEqual(
        page.rows.map((row: unknown[]) => row[1]),
        [976, 976, 976],
      );
      assert.equal(page.totalRows, 200000);
      // Clear All Outputs: released
      k.releaseOutputs();
      const gone = await k.outputRequest({ op: 'table-page', handle: table.live.handle, offset: 0, limit: 3 }).reply;
      assert.equal(!gone.ok && gone.error.code, 'gone');
      await k.restart();
      const after = await k.outputRequest({ op: 'series-range', handles: [handle], x0: null, x1: null, columns: 10 })
        .reply;
      assert.equal(!after.ok && after.error.code, 'gone');
      assert.match(!after.ok ? after.error.message : '', /another kernel session/);
    });

    it('a cancelled request is answered "cancelled"', async () => {
      const { reply, cancel } = k.outputRequest({
        op: 'series-range',
        handles: [`h1.${NONCE}.1`],
        x0: null,
        x1: null,
        columns: 10,
      });
      cancel();
      const r = await reply;
      assert.equal(!r.ok && r.error.code, 'cancelled');
    });
  });
});
