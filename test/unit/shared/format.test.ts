/** The one number formatter (src/shared/format.ts) used by the table renderer, the HTML export and chart hover. */
import { strict as assert } from 'node:assert';
import {
  autoDigits,
  columnFormatter,
  d3Format,
  formatCurrency,
  hoverFormats,
  formatNumber,
  formatPValue,
  ruleFor,
  tableFormatters,
} from '../../../src/shared/format';

describe('shared number formatter', () => {
  it("one column, one rule: the issue's 47,218 / 43,948.71 / 408.5 column gets two decimals throughout", () => {
    const col = { name: 'close', type: 'number' };
    const vals = [47218, 43948.71, 408.5];
    const f = columnFormatter(col, vals);
    assert.deepEqual(vals.map(f), ['47,218.00', '43,948.71', '408.50']);
  });
  it('whole-number columns have no decimals; missing values are a dash', () => {
    const f = columnFormatter({ name: 'n', type: 'number' }, [12, 1500, null, NaN]);
    assert.deepEqual([12, 1500, null, NaN, Infinity].map(f), ['12', '1,500', '—', '—', '—']);
  });
  it("decimals follow the column's typical magnitude: 4 significant digits, 2..8 decimals", () => {
    assert.equal(autoDigits([43948.71, 51000.2]), 2);
    assert.equal(autoDigits([1.2345, 0.98]), 3);
    assert.equal(autoDigits([0.0123, 0.011]), 5);
    assert.equal(autoDigits([0.00123, -0.002]), 6);
    assert.equal(autoDigits([1, 2, 3]), 0);
    assert.equal(autoDigits([]), 0);
    const f = columnFormatter({ name: 'r', type: 'number' }, [0.00123, -0.002, 0.0004]);
    assert.deepEqual([0.00123, -0.002, 0.0004].map(f), ['0.001230', '-0.002000', '0.000400']);
  });
  it('tiny columns are exponential', () => {
    const f = columnFormatter({ name: 'x', type: 'number' }, [1.5e-9, 2.25e-9]);
    assert.equal(f(1.5e-9), '1.500e-9');
  });
  it('percent, explicit digits and integer rules', () => {
    assert.equal(formatNumber(0.4931, { style: 'percent' }), '49.31%');
    assert.equal(formatNumber(0.4931, { style: 'percent', digits: 1 }), '49.3%');
    assert.equal(formatNumber(-0.000001, { style: 'percent' }), '0.00%');
    assert.equal(columnFormatter({ name: 'beta', type: 'number', digits: 4 })(1.5), '1.5000');
    assert.equal(columnFormatter({ name: 'n', type: 'number', format: 'integer' })(1234567.4), '1,234,567');
    assert.equal(columnFormatter({ name: 'v', type: 'number', percent: true, digits: 1 })(0.123), '12.3%');
  });
  it('currency with k / m / bn (no 10-digit integers beside "$bn")', () => {
    assert.equal(formatCurrency(1_254_000_000), '$1.25bn');
    assert.equal(formatCurrency(450_180_000), '$450.2m');
    assert.equal(formatCurrency(12_340), '$12.3k');
    assert.equal(formatCurrency(85.4), '$85.40');
    assert.equal(formatCurrency(-2_500_000), '-$2.5m');
    assert.equal(formatCurrency(NaN), '—');
    assert.equal(formatCurrency(0), '$0');
    const f = columnFormatter({ name: 'book notional', type: 'number', format: 'currency' }, [3_412_876_543]);
    assert.equal(f(3_412_876_543), '$3.41bn');
  });
  it('p-values in one style, by format or by the column name', () => {
    assert.equal(formatPValue(0.04567), '0.0457');
    assert.equal(formatPValue(3e-12), '<0.0001');
    assert.equal(formatPValue(1), '1.0000');
    for (const name of ['p', 'p-value', 'pvalue', 'p_value', 'P'])
      assert.equal(ruleFor({ name, type: 'number' }, [0.5]).style, 'pvalue', name);
    assert.equal(ruleFor({ name: 'price', type: 'number' }, [0.5]).style, 'number');
    const [, pf] = tableFormatters(
      [
        { name: 'r', type: 'number', digits: 4 },
        { name: 'p', type: 'number' },
      ],
      [
        [0.3883, 1.2e-30],
        [0.1, 0.2],
      ],
    );
    assert.deepEqual([pf(1.2e-30), pf(0.2)], ['<0.0001', '0.2000']);
  });
  it('dates, booleans and text columns', () => {
    assert.equal(columnFormatter({ name: 'd', type: 'date' })('2026-01-15T00:00:00.000Z'), '2026-01-15 00:00');
    assert.equal(columnFormatter({ name: 'd', type: 'date' })('2026-01-15'), '2026-01-15');
    assert.equal(columnFormatter({ name: 'b', type: 'boolean' })(true), 'true');
    assert.equal(columnFormatter({ name: 's', type: 'string' })('<b>'), '<b>');
  });
  it('the same rules as d3-format strings for chart hover', () => {
    assert.equal(d3Format({ style: 'percent', digits: 1 }), '.1%');
    assert.equal(d3Format({ style: 'number', digits: 2 }), ',.2f');
    assert.equal(d3Format(ruleFor({ name: 'x', type: 'number' }, [43948.71])), ',.2f');
    assert.equal(d3Format({ style: 'currency' }), '$.3~s');
  });
  it('hover formats per y axis for charts (renderer and export), only where the figure sets none', () => {
    const data = [
      { type: 'scatter', x: ['2024-01-01', '2024-01-02'], y: [43948.71, 47218] },
      { type: 'scatter', x: ['2024-01-01', '2024-01-02'], y: [0.00123, -0.002], yaxis: 'y2' },
      { type: 'bar', x: [1, 2], y: [1, 2], yaxis: 'y3' },
      { type: 'scatter', x: [1], y: [0.5], yaxis: 'y4' },
    ];
    const f = hoverFormats(data, { yaxis4: { tickformat: '.0%' } });
    assert.deepEqual(f, { yaxis: ',.2f', yaxis2: ',.6f', yaxis3: ',.0f' });
  });
});
