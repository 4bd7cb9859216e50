/**
 * Behaviour of the statistics beyond the reference values: errors that name the problem,
 * displays (table + one-line reading + alignment), and the rolling Spearman rank updates.
 */
import { strict as assert } from 'node:assert';
import {
  adf,
  bootstrap,
  coint,
  eventStudy,
  granger,
  regress,
  rollingCorr,
  rollingRegress,
  CollinearityError,
  Series,
} from '../../../src/market/index';
import { rollingSpearmanComplete } from '../../../src/market/inference/rollingSpearman';
import { pearsonArrays, rankAverage } from '../../../src/market/stats';
import { DISPLAY, TABLE_MIME, TEXT_MIME, CHART_MIME } from '../../../src/shared/schemas';
import { mulberry32, normals } from '../../../src/market/cascade/rng';

const DAY = 86_400_000;
const g = normals(mulberry32(42));
const idx = (n: number) => Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * DAY);
const ser = (v: ArrayLike<number>, name: string) => new Series(idx(v.length), Float64Array.from(v), name);
const N = 400;
const a = ser(
    Array.from({ length: N }, () => g()),
    'A',
  ),
  b = ser(
    Array.from({ length: N }, () => g()),
    'B',
  );
const y = ser(
  a.values.map((v, i) => 0.5 * v - 0.2 * b.values[i] + 0.1 * g()),
  'Y',
);

describe('statistics: errors, displays, rolling Spearman', () => {
  it('regress names the collinear columns', () => {
    const c = ser(
      a.values.map((v, i) => 2 * v - b.values[i]),
      'C',
    );
    assert.throws(
      () => regress(y, { A: a, B: b, C: c }),
      (e: unknown) => {
        assert.ok(e instanceof CollinearityError);
        assert.match((e as Error).message, /the regressors are collinear: C ≈ 2·A - 1·B/);
        assert.deepEqual((e as CollinearityError).columns, ['C', 'A', 'B']);
        return true;
      },
    );
    const k = ser(new Array(N).fill(3), 'K');
    assert.throws(() => regress(y, { A: a, K: k }), /K ≈ 3·const/);
  });

  it('regress: bad options and too few rows are refused with the reason', () => {
    assert.throws(() => regress(y, { A: a }, { se: 'hc3' as any }), /se must be 'classic', 'hc1' or 'hac'/);
    assert.throws(() => regress(y, { A: a }, { se: 'hac', lags: -1 }), /lags must be an integer >= 0/);
    assert.throws(
      () => regress(y.slice(undefined, '2024-01-02'), { A: a }),
      /2 complete observations for 2 coefficients/,
    );
    assert.throws(() => regress(y, {}), /no factors given/);
  });

  it('regress displays a coefficient table, the one-line reading and the alignment', () => {
    const r = regress(y, { A: a, B: b }, { se: 'hac', lags: 4 });
    const items = r[DISPLAY]();
    assert.equal(items[0].mime, TABLE_MIME);
    const t = items[0].data as any;
    assert.deepEqual(
      t.rows.map((row: any[]) => row[0]),
      ['const', 'A', 'B'],
    );
    assert.match(t.footer, /HAC \(Newey-West, 4 lags\)/);
    assert.match(t.footer, /alignment: inner; 400 points used, 2024-01-01 .. 2025-02-03/);
    assert.match(t.footer, /A, B are significant at 5%.*not a cause.*no multiple-testing adjustment/);
    assert.equal(items[1].mime, TEXT_MIME);
    assert.ok(Math.abs(r.coefOf('A') - 0.5) < 0.05 && Math.abs(r.coefOf('B') + 0.2) < 0.05);
  });

  it('granger, adf, coint explain what they show and refuse impossible requests', () => {
    assert.throws(() => granger(y, a, 0), /maxLag must be an integer >= 1/);
    assert.throws(() => granger(y.slice(undefined, '2024-01-10'), a, 6), /too few for 6 lags/);
    assert.throws(() => adf(a, { lags: 300 }), /at most 198/);
    assert.throws(() => adf(a, { regression: 'x' as any }), /regression must be/);
    const walk = ser(
      b.values.map(
        (
          (s) => (v: number) =>
            (s += v)
        )(0),
      ),
      'walk',
    );
    const r = adf(walk, { regression: 'c' });
    assert.match(r.reading, /cannot reject a unit root.*not proof/);
    assert.ok(adf(a).stationary);
    const c = coint(
      ser(
        walk.values.map((v, i) => 2 * v + a.values[i]),
        'Z',
      ),
      walk,
    );
    assert.ok(c.p < 0.01, `cointegrated by construction, p ${c.p}`);
    assert.match(c.reading, /share a stochastic trend/);
    const gr = granger(
      ser(
        a.values.map((_, i) => (i ? 0.8 * b.values[i - 1] : 0) + 0.3 * a.values[i]),
        'Q',
      ),
      b,
      3,
    );
    assert.ok(gr.at(1).ssrF.p < 1e-10);
    assert.match(gr.reading, /helps predict.*Bonferroni.*not causes/);
  });

  it('eventStudy checks its windows and shows a table and a CAR chart with a band', () => {
    assert.throws(() => eventStudy(y, a, ['2024-02-01']), /needs 250 observations before it/);
    assert.throws(
      () => eventStudy(y, a, ['2024-12-01'], { estimation: [-100, -2], window: [-5, 5] }),
      /must end before the event window/,
    );
    const e = eventStudy(y, a, ['2024-11-01', '2024-12-02'], { estimation: [-200, -20], window: [-3, 5] });
    const items = e[DISPLAY]();
    // the table and the chart, each with its text fallback after it: two outputs
    assert.deepEqual(
      items.map((i) => i.mime),
      [TABLE_MIME, TEXT_MIME, CHART_MIME, TEXT_MIME],
    );
    assert.equal((items[0].data as any).rows.length, 3);
    const fig = (items[2].data as any).figure;
    assert.ok(
      fig.data.some((t: any) => t.fill === 'tonexty'),
      'a band',
    );
    assert.match(e.reading, /average CAR over \[-3, \+5\]/);
  });

  it('rollingRegress and bootstrap display tables with readings', () => {
    const r = rollingRegress(y, { A: a }, 50);
    assert.match((r[DISPLAY]()[0].data as any).footer, /windows overlap by 49 of 50/);
    const bs = bootstrap((p, q) => pearsonArrays(p.values, q.values), a, y, { reps: 200 });
    assert.match((bs[DISPLAY]()[0].data as any).footer, /stationary blocks of mean 7 rows/);
  });

  it('rolling Spearman by rank updates equals ranking every window (ties and a gap)', () => {
    const r = mulberry32(3);
    const n = 1500,
      x = new Float64Array(n),
      z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = Math.floor(r() * 6);
      z[i] = Math.floor(x[i] + r() * 4);
    }
    x[700] = NaN;
    const w = 40,
      fast = rollingSpearmanComplete(x, z, w);
    for (let i = 0; i < n; i++) {
      const sx = x.subarray(Math.max(0, i - w + 1), i + 1),
        sz = z.subarray(Math.max(0, i - w + 1), i + 1);
      const want = i < w - 1 || sx.some(Number.isNaN) ? NaN : pearsonArrays(rankAverage(sx), rankAverage(sz));
      if (Number.isNaN(want)) assert.ok(Number.isNaN(fast[i]), `NaN at ${i}`);
      else assert.ok(Math.abs(fast[i] - want) < 1e-14, `${i}: ${fast[i]} vs ${want}`);
    }
    const s = rollingCorr(ser(x, 'x'), ser(z, 'z'), w, { method: 'spearman' });
    assert.deepEqual(Array.from(s.values), Array.from(fast));
  });
});
