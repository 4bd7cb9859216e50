import { strict as assert } from 'node:assert';
import { CHART_MIME, DISPLAY, validateChart, type ChartOutput } from '../../../src/shared/schemas';
import { type Chart } from '../../../src/market/output';
import { Frame, Series } from '../../../src/market/series';
import { plot } from '../../../src/market/plot';

const D = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
const days = (n: number, from = '2024-01-01') => Array.from({ length: n }, (_, i) => D(from) + i * 86_400_000);

/** The output as it is stored: through JSON, as the kernel sends it. */
function stored(c: Chart): ChartOutput {
  const item = c[DISPLAY]().find((i) => i.mime === CHART_MIME)!;
  const out = JSON.parse(JSON.stringify(item.data)) as ChartOutput;
  assert.deepEqual(validateChart(out), []);
  return out;
}

describe('plot.line and Series/Frame.plot', () => {
  const a = new Series(days(5), [1, 2, 3, 2, 5], 'BTC');
  const b = new Series(days(5), [10, 11, NaN, 13, 14], 'ETH');

  it('draws one trace per series with ISO dates and numbers', () => {
    const out = stored(plot.line([a, b], { title: 'Prices' }));
    assert.equal(out.figure.data.length, 2);
    const [t0, t1] = out.figure.data as any[];
    assert.equal(t0.name, 'BTC');
    assert.deepEqual(t0.x, ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    assert.deepEqual(t0.y, [1, 2, 3, 2, 5]);
    assert.deepEqual(t1.y, [10, 11, null, 13, 14], 'missing value is a gap');
    assert.equal((out.figure.layout as any).xaxis.type, 'date');
    assert.equal((out.figure.layout as any).title.text, 'Prices');
    assert.equal(out.title, 'Prices');
    assert.equal(out.decimation, undefined);
  });

  it('puts secondary series on a right-hand axis', () => {
    const out = stored(plot.line({ BTC: a, ETH: b }, { secondary: ['ETH'], y2Title: 'ETH (USD)' }));
    const [t0, t1] = out.figure.data as any[];
    assert.equal(t0.yaxis, undefined);
    assert.equal(t1.yaxis, 'y2');
    const l = out.figure.layout as any;
    assert.equal(l.yaxis2.overlaying, 'y');
    assert.equal(l.yaxis2.side, 'right');
    assert.equal(l.yaxis2.title.text, 'ETH (USD)');
    assert.throws(() => plot.line([a, b], { secondary: ['SOL'] }), /SOL.*BTC, ETH/);
  });

  it('rebases every series to 100 at its first value', () => {
    const out = stored(plot.line([a, b], { rebase: true }));
    assert.deepEqual((out.figure.data[0] as any).y, [100, 200, 300, 200, 500]);
    assert.deepEqual((out.figure.data[1] as any).y.slice(0, 2), [100, 110]);
  });

  it('decimates long series for storage, records the original size, keeps the extremes', () => {
    const n = 200_000;
    const idx = Array.from({ length: n }, (_, i) => D('2000-01-01') + i * 3_600_000);
    const vals = Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 500) * 10 + (i % 97) / 100);
    vals[123_457] = 500;
    vals[54_321] = -50;
    const s = new Series(idx, vals, 'hourly');
    const out = stored(s.plot());
    const t = out.figure.data[0] as any;
    assert.ok(t.y.length <= plot.DEFAULT_MAX_POINTS && t.y.length > 1000, `stored ${t.y.length}`);
    assert.deepEqual(out.decimation, [{ trace: 0, originalPoints: n, storedPoints: t.y.length, method: 'lttb' }]);
    assert.ok(t.y.includes(500) && t.y.includes(-50), 'extremes survive');
    assert.equal(t.x[0], '2000-01-01');
    assert.match(t.x[1], /^2000-01-\d\dT\d\d:00:00Z$/, 'hourly points keep their time');
    assert.ok(JSON.stringify(out).length < 150_000, 'compact');
    const all = stored(s.plot({ maxPoints: Infinity }));
    assert.equal((all.figure.data[0] as any).y.length, n);
  });

  it('Frame.plot draws every column; plain arrays use positions', () => {
    const f = new Frame(days(3), { open: [1, 2, 3], close: [2, 3, 4] });
    const out = stored(f.plot({ secondary: ['close'] }));
    assert.deepEqual(
      out.figure.data.map((t: any) => t.name),
      ['open', 'close'],
    );
    assert.equal((out.figure.data[1] as any).yaxis, 'y2');
    const arr = stored(plot.line(new Float64Array([3, 1, 2])));
    assert.deepEqual((arr.figure.data[0] as any).x, [0, 1, 2]);
    assert.equal((arr.figure.layout as any).xaxis.type, undefined);
  });

  it('rejects what it cannot draw with a clear message', () => {
    assert.throws(() => plot.line('BTC' as any), /cannot draw a string/);
  });
});

describe('plot.scatter', () => {
  it('fits y = a + b·x by OLS and writes the equation', () => {
    // Anscombe's quartet, set I: y = 3.0001 + 0.5001·x, R² = 0.6665 (Anscombe 1973)
    const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
    const y = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];
    const c = plot.scatter(y, x, { fit: true }) as Chart & { fit?: any };
    assert.ok(Math.abs(c.fit.slope - 0.50009) < 1e-4);
    assert.ok(Math.abs(c.fit.intercept - 3.00009) < 1e-4);
    assert.ok(Math.abs(c.fit.r2 - 0.66654) < 1e-4);
    assert.equal(c.fit.n, 11);
    assert.equal(c.fit.equation, 'y = 0.5001·x + 3.0001');
    const out = stored(c);
    assert.equal(out.figure.data.length, 2);
    const fitTrace = out.figure.data[1] as any;
    assert.deepEqual(fitTrace.x, [4, 14]);
    assert.ok(Math.abs(fitTrace.y[0] - (3.00009 + 0.50009 * 4)) < 1e-3);
    assert.match((out.figure.layout as any).annotations[0].text, /y = 0\.5001·x \+ 3\.0001 +R² = 0\.667, n = 11/);
  });

  it('aligns two series on their dates and skips missing pairs', () => {
    const y = new Series([D('2024-01-01'), D('2024-01-02'), D('2024-01-03'), D('2024-01-05')], [1, 3, NaN, 9], 'ETH');
    const x = new Series([D('2024-01-02'), D('2024-01-03'), D('2024-01-04'), D('2024-01-05')], [1, 2, 3, 4], 'BTC');
    const c = plot.scatter(y, x, { fit: true }) as Chart & { fit?: any };
    const pts = stored(c).figure.data[0] as any;
    assert.deepEqual(pts.x, [1, 4]);
    assert.deepEqual(pts.y, [3, 9]);
    assert.deepEqual(pts.text, ['2024-01-02', '2024-01-05']);
    assert.equal(c.fit.slope, 2);
    assert.equal(c.fit.intercept, 1);
    assert.equal(c.fit.equation, 'y = 2.0000·x + 1.0000');
    assert.equal((stored(c).figure.layout as any).xaxis.title.text, 'BTC');
  });

  it('writes a negative intercept with a minus sign', () => {
    const c = plot.scatter([-1, 1, 3], [0, 1, 2], { fit: true, digits: 2 }) as Chart & { fit?: any };
    assert.equal(c.fit.equation, 'y = 2.00·x − 1.00');
  });
});

describe('plot.heatmap, drawdown, rolling, event, bar', () => {
  it('heatmap writes the values in the cells on a fixed −1..1 scale for correlations', () => {
    const out = stored(
      plot.heatmap({
        names: ['BTC', 'ETH', 'SPX'],
        values: [
          [1, 0.8123, 0.2],
          [0.8123, 1, 0.25],
          [0.2, 0.25, 1],
        ],
      }),
    );
    const t = out.figure.data[0] as any;
    assert.equal(t.type, 'heatmap');
    assert.deepEqual(t.x, ['BTC', 'ETH', 'SPX']);
    assert.deepEqual(t.text[0], ['1.00', '0.81', '0.20']);
    assert.equal(t.texttemplate, '%{text}');
    assert.equal(t.zmin, -1);
    assert.equal(t.zmax, 1);
    assert.equal(t.zmid, 0);
    assert.equal((out.figure.layout as any).yaxis.autorange, 'reversed');
    assert.throws(
      () =>
        plot.heatmap({
          names: ['a', 'b'],
          values: [
            [1, 2, 3],
            [1, 2, 3],
          ],
        }),
      /every row must have 2 values/,
    );
    const flat = stored(plot.heatmap({ names: ['a', 'b'], values: new Float64Array([1, 2, 3, 4]) } as any));
    assert.deepEqual((flat.figure.data[0] as any).z, [
      [1, 2],
      [3, 4],
    ]);
    assert.equal((flat.figure.data[0] as any).zmax, 4);
  });

  it('drawdown from prices: price / running max − 1, deepest point annotated', () => {
    const p = new Series(days(6), [100, 120, 90, 130, 65, 70], 'BTC');
    const out = stored(plot.drawdown(p));
    const t = out.figure.data[0] as any;
    assert.deepEqual(t.y, [0, 0, -0.25, 0, -0.5, compactish(70 / 130 - 1)]);
    assert.equal(t.fill, 'tozeroy');
    const ann = (out.figure.layout as any).annotations[0];
    assert.equal(ann.x, '2024-01-05');
    assert.match(ann.text, /max drawdown -50\.0% \(2024-01-05\)/);
    assert.equal((out.figure.layout as any).yaxis.tickformat, '.0%');
  });

  it('drawdown from a result object uses its drawdown series as is', () => {
    const dd = new Series(days(3), [0, -0.1, -0.05], 'dd');
    const result = { drawdown: dd, maxDrawdown: -0.1 };
    const out = stored(plot.drawdown(result));
    assert.deepEqual((out.figure.data[0] as any).y, [0, -0.1, -0.05]);
  });

  it('rolling draws the statistic with a zero line and skips warm-up NaNs', () => {
    const s = new Series(days(5), [NaN, NaN, 0.5, -0.2, 0.1], 'corr BTC/ETH');
    const out = stored(plot.rolling({ series: s, window: 3 }));
    const t = out.figure.data[0] as any;
    assert.deepEqual(t.y, [0.5, -0.2, 0.1]);
    assert.equal(t.x[0], '2024-01-03');
    assert.equal((out.figure.layout as any).title.text, 'Rolling corr BTC/ETH (3 points)');
    assert.equal((out.figure.layout as any).shapes[0].y0, 0);
  });

  it('event draws each path, the mean and a vertical line at 0', () => {
    const res = {
      offsets: [-1, 0, 1],
      mean: [0, 0.01, 0.03],
      events: [
        { date: D('2024-03-01'), values: [0, 0.02, 0.04] },
        { date: '2024-06-01', values: [0, 0, 0.02] },
      ],
    };
    const out = stored(plot.event(res));
    assert.equal(out.figure.data.length, 3);
    assert.equal((out.figure.data[0] as any).name, '2024-03-01');
    const mean = out.figure.data[2] as any;
    assert.deepEqual(mean.y, [0, 0.01, 0.03]);
    assert.deepEqual(mean.x, [-1, 0, 1]);
    assert.equal((out.figure.layout as any).shapes[0].x0, 0);
    assert.throws(() => plot.event({ foo: 1 } as never), /expected an eventWindow result/);
  });

  it('bar from a record, sorted, with percent labels', () => {
    const out = stored(plot.bar({ BTC: 0.5, ETH: 0.8, SOL: -0.1 }, { sort: true, percent: true }));
    const t = out.figure.data[0] as any;
    assert.deepEqual(t.x, ['ETH', 'BTC', 'SOL']);
    assert.deepEqual(t.text, ['80.0%', '50.0%', '-10.0%']);
  });
});

describe('plot.figure (escape hatch)', () => {
  it('turns typed arrays, Dates and NaN into JSON and decimates long lines', () => {
    const n = 50_000;
    const y = new Float64Array(n).map((_, i) => Math.sin(i / 1000));
    y[100] = NaN;
    const out = stored(
      plot.figure({
        data: [
          { type: 'scatter', mode: 'lines', y },
          { type: 'scatter', mode: 'markers', x: [new Date(Date.UTC(2024, 0, 1))], y: new Float32Array([1.5]) },
        ],
        layout: { title: { text: 'raw' } },
      }),
    );
    const [t0, t1] = out.figure.data as any[];
    assert.ok(t0.y.length <= 3000);
    assert.equal(out.decimation![0].originalPoints, n);
    assert.deepEqual(t1.x, ['2024-01-01T00:00:00.000Z']);
    assert.deepEqual(t1.y, [1.5]);
    const keep = stored(plot.figure({ data: [{ y: Array.from(y) }] }, { maxPoints: false }));
    assert.equal((keep.figure.data[0] as any).y.length, n);
    assert.throws(() => plot.figure({ layout: {} } as any), /expected a Plotly figure/);
  });

  it('leaves colors to the theme: no figure sets a background or font color', () => {
    const s = new Series(
      days(30),
      Array.from({ length: 30 }, (_, i) => 100 + i),
      'x',
    );
    for (const c of [
      s.plot(),
      plot.drawdown(s),
      plot.scatter(s, s, { fit: true }),
      plot.heatmap({ names: ['a'], values: [[1]] }),
    ]) {
      const j = JSON.stringify(stored(c).figure.layout);
      assert.doesNotMatch(j, /bgcolor|"color"|template/);
    }
  });
});

function compactish(v: number): number {
  return Number(v.toPrecision(8));
}

describe("plot with the analysis library's results (by their plain fields)", () => {
  // imported lazily so a change in those modules shows up here as a clear failure
  const lib = () => ({
    ...require('../../../src/market/corr'),
    ...require('../../../src/market/corrMatrix'),
    ...require('../../../src/market/drawdown'),
    ...require('../../../src/market/events'),
    ...require('../../../src/market/beta'),
  });
  const idx = days(60);
  const a = new Series(
    idx,
    idx.map((_, i) => 100 + i + 5 * Math.sin(i / 3)),
    'BTC',
  );
  const b = new Series(
    idx,
    idx.map((_, i) => 50 + 0.4 * i + 3 * Math.cos(i / 4)),
    'ETH',
  );

  it('heatmap of a corrMatrix (values in its r field)', () => {
    const m = lib().corrMatrix([a, b]);
    const t = stored(plot.heatmap(m)).figure.data[0] as any;
    assert.deepEqual(t.x, ['BTC', 'ETH']);
    assert.equal(t.z[0][0], 1);
    assert.equal(t.z[0][1], Number(m.r[0][1].toPrecision(8)));
    assert.equal(t.text[0][1], m.r[0][1].toFixed(2));
  });

  it('drawdown of a Drawdown result draws its series, not a drawdown of the drawdown', () => {
    const d = lib().drawdown(a);
    const out = stored(plot.drawdown(d));
    const y = (out.figure.data[0] as any).y as number[];
    const expected = Array.from(d.series.values as Float64Array, (v) => (v === 0 ? 0 : Number(v.toPrecision(8))));
    assert.deepEqual(y, expected);
    assert.equal(Math.min(...y), Number(d.max.depth.toPrecision(8)));
    assert.deepEqual(stored(plot.drawdown(a)).figure.data[0], out.figure.data[0], 'same as from prices');
  });

  it('event of one eventWindow, and of several (mean aligned on offsets)', () => {
    const e1 = lib().eventWindow(a, '2024-01-20', 3, 5);
    const one = stored(plot.event(e1));
    const t = one.figure.data[0] as any;
    assert.deepEqual(t.x, e1.offsets);
    assert.deepEqual(
      t.y,
      e1.cumulative.map((v: number) => (Number.isFinite(v) ? Number(v.toPrecision(8)) || 0 : null)),
    );
    assert.match((one.figure.layout as any).title.text, /BTC around 2024-01-20/);
    const e2 = lib().eventWindow(a, '2024-02-10', 3, 5);
    const two = stored(plot.event([e1, e2]));
    assert.equal(two.figure.data.length, 3);
    const mean = two.figure.data[2] as any;
    const k = e1.offsets.indexOf(2);
    assert.ok(Math.abs(mean.y[k] - (e1.cumulative[k] + e2.cumulative[k]) / 2) < 1e-7);
  });

  it('rolling of a rollingBeta series', () => {
    const rb = lib().rollingBeta(b, a, 20);
    const out = stored(plot.rolling(rb, { title: 'Rolling beta ETH on BTC' }));
    assert.equal((out.figure.data[0] as any).y.length, 60 - 19);
  });
});
