/**
 * The split of a value's display items into notebook outputs (src/shared/schemas.ts splitOutputs),
 * which the VS Code controller and the CLI both use: every part its own output, in order, nothing
 * lost, for every result type of the library that displays itself (the real sample data).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import {
  align,
  beta,
  buildBook,
  cascade,
  corr,
  corrMatrix,
  crossCorr,
  drawdown,
  etfFlows,
  eventWindow,
  load,
  pctChange,
  plot,
  returns,
  Table,
  upDownBeta,
  type Frame,
  type Series,
} from '../../../src/market/index';
import { setRuntime } from '../../../src/market/context';
import { markdown, text, toOutputItems } from '../../../src/kernel/display';
import {
  CHART_MIME,
  MARKDOWN_MIME,
  splitOutputs,
  TABLE_MIME,
  TEXT_MIME,
  type OutputItem,
} from '../../../src/shared/schemas';

const it_ = (mime: string, data: unknown = mime): OutputItem => ({ mime, data });

describe('splitOutputs: display items to outputs', () => {
  it('a table and a chart, each with its text, are two outputs', () => {
    const g = splitOutputs([it_(TABLE_MIME), it_(TEXT_MIME, 't'), it_(CHART_MIME), it_(TEXT_MIME, 'c')]);
    assert.deepEqual(
      g.map((o) => o.map((i) => i.mime)),
      [
        [TABLE_MIME, TEXT_MIME],
        [CHART_MIME, TEXT_MIME],
      ],
    );
  });
  it('two tables then three charts are five outputs, in order (the cascade result shape)', () => {
    const items = [TABLE_MIME, TABLE_MIME, CHART_MIME, CHART_MIME, CHART_MIME].flatMap((m, k) => [
      it_(m, k),
      it_(TEXT_MIME, `text ${k}`),
    ]);
    const g = splitOutputs(items);
    assert.equal(g.length, 5);
    g.forEach((o, k) => assert.deepEqual(o, [it_(o[0].mime, k), it_(TEXT_MIME, `text ${k}`)]));
  });
  it('text leading its part works the same: [text, table, text, chart] is two outputs', () => {
    const g = splitOutputs([it_(TEXT_MIME, 't'), it_(TABLE_MIME), it_(TEXT_MIME, 'c'), it_(CHART_MIME)]);
    assert.deepEqual(
      g.map((o) => o.map((i) => i.mime)),
      [
        [TEXT_MIME, TABLE_MIME],
        [TEXT_MIME, CHART_MIME],
      ],
    );
  });
  it('text alone, twice, is two outputs; a part followed by two texts keeps the second apart', () => {
    assert.deepEqual(
      splitOutputs([it_(TEXT_MIME, 'a'), it_(TEXT_MIME, 'b')]).map((o) => o.map((i) => i.data)),
      [['a'], ['b']],
    );
    assert.deepEqual(
      splitOutputs([it_(TABLE_MIME), it_(TEXT_MIME, 'a'), it_(TEXT_MIME, 'b')]).map((o) => o.length),
      [2, 1],
    );
  });
  it('items without a text fallback: a repeated mime starts the next output', () => {
    assert.deepEqual(
      splitOutputs([it_(CHART_MIME, 1), it_(CHART_MIME, 2)]).map((o) => o.map((i) => i.data)),
      [[1], [2]],
    );
  });
  it('alternative representations of one thing stay one output', () => {
    assert.deepEqual(splitOutputs([it_(MARKDOWN_MIME), it_(TEXT_MIME)]).length, 1);
    assert.deepEqual(splitOutputs([it_('image/png'), it_('image/svg+xml'), it_(TEXT_MIME)]).length, 1);
  });
  it('keeps a trailing rich item without text, and loses nothing', () => {
    const items = [it_(TABLE_MIME), it_(TEXT_MIME, 'b'), it_(CHART_MIME)];
    const g = splitOutputs(items);
    assert.deepEqual(g.flat(), items);
    assert.deepEqual(
      g.map((o) => o.length),
      [2, 1],
    );
  });
  it('empty in, empty out', () => assert.deepEqual(splitOutputs([]), []));
});

describe('every displayable result: one output per part, each rich part with its text', function () {
  this.timeout(60_000);
  const root = path.resolve(__dirname, '../../..');
  let btc: Series, eth: Series, ohlc: Frame;
  const results: Array<[string, () => unknown, number]> = [];
  before(() => {
    setRuntime({ baseDir: root });
    ohlc = load('samples/data/BTC-USD.csv') as Frame;
    btc = ohlc.get('close');
    eth = (load('samples/data/ETH-USD.csv') as Frame).get('close');
  });
  const add = (name: string, make: () => unknown, parts: number) => results.push([name, make, parts]);
  add('Series', () => btc, 1);
  add('Frame', () => ohlc, 1);
  add('align() Frame', () => align(btc, eth), 1);
  add('Table', () => new Table([{ name: 'a', type: 'number' }], [[1]]), 1);
  add('Chart', () => plot.line(btc), 1);
  add('corr', () => corr(returns(btc, 'log'), returns(eth, 'log')), 1);
  add('corrMatrix', () => corrMatrix([returns(btc, 'log'), returns(eth, 'log')]), 1);
  add('crossCorr', () => crossCorr(returns(btc, 'log'), returns(eth, 'log'), 3), 1);
  add('beta', () => beta(returns(eth, 'log'), returns(btc, 'log')), 1);
  add('upDownBeta', () => upDownBeta(returns(eth, 'log'), returns(btc, 'log')), 1);
  add('drawdown', () => drawdown(btc), 1);
  add('eventWindow', () => eventWindow(btc, '2025-10-10', 3, 3), 1);
  add('pctChange', () => pctChange(btc, '2025-01-01', '2026-01-01'), 1);
  add('etfFlows', () => etfFlows(load('samples/data/BTC_SPOT_ETF_NETFLOW_USDM.csv') as Series, btc), 1);
  add('display.text', () => text('hello'), 1);
  add('display.markdown', () => markdown('# hi'), 1);
  const book = () =>
    buildBook({
      path: ohlc.slice('2025-10-15', '2026-01-14'),
      totalOI: 8e9,
      leverageMix: { 5: 0.3, 10: 0.3, 25: 0.25, 50: 0.15 },
      longShare: 0.65,
      seed: 1,
    });
  add('PositionBook', book, 1);
  add(
    'CascadeResult (replay)',
    () => cascade({ book: book(), mode: 'replay', path: ohlc.slice('2026-01-15', '2026-02-28'), feedback: true }),
    5,
  );
  add('CascadeResult (simulate)', () => cascade({ book: book(), mode: 'simulate', shock: -0.08, steps: 10 }), 5);

  for (const [name, make, parts] of results) {
    it(name, () => {
      const items = toOutputItems(make());
      const outs = splitOutputs(items);
      assert.deepEqual(outs.flat(), items, 'no item lost or reordered');
      assert.equal(outs.length, parts, `${name}: ${outs.map((o) => o.map((i) => i.mime).join('+')).join(' | ')}`);
      for (const o of outs) {
        const rich = o.filter((i) => i.mime !== TEXT_MIME);
        assert.ok(rich.length <= 1, `one rich part per output: ${o.map((i) => i.mime).join('+')}`);
        assert.equal(o.filter((i) => i.mime === TEXT_MIME).length, 1, 'each output carries its text fallback');
      }
    });
  }

  it('the cascade result shows, in order: summary, layers, price path, level map, replay', () => {
    const r = cascade({ book: book(), mode: 'replay', path: ohlc.slice('2026-01-15', '2026-02-28'), feedback: true });
    const outs = splitOutputs(toOutputItems(r));
    const title = (o: OutputItem[]) => {
      const d = o[0].data as any;
      return d.kind === 'table' ? d.title : d.figure.layout.title.text;
    };
    const titles = outs.map(title);
    assert.match(titles[0], /^Liquidation cascade/);
    assert.match(titles[1], /^Which layers went/);
    assert.match(titles[2], /^Price path/);
    assert.match(titles[3], /^Liquidation-level map/);
    assert.match(titles[4], /^Cascade replay/);
    assert.deepEqual(
      outs.map((o) => o[0].mime),
      [TABLE_MIME, TABLE_MIME, CHART_MIME, CHART_MIME, CHART_MIME],
    );
    // no stray "Chart ... with N traces" output on its own
    assert.ok(!outs.some((o) => o.length === 1 && o[0].mime === TEXT_MIME));
  });
});
