/** Quick analyses: dates from the chosen files' own range, and texts that say what the code does. */
import assert from 'node:assert/strict';
import { cascadeDates, datePresets, generateCells, type QuickChoices } from '../../../src/quick/cells';

describe('quick analyses: dates', () => {
  it("presets come from the data's range, not from the bundled samples' history", () => {
    const p = datePresets({ first: '2019-03-01', last: '2021-06-30' });
    assert.deepEqual(
      p.map((x) => x.label),
      ['All dates', 'Last 30 days', 'Last 90 days', 'Last 6 months', 'Last year', 'Year to date (2021)'],
    );
    assert.deepEqual(
      p.map((x) => x.from),
      [undefined, '2021-06-01', '2021-04-02', '2020-12-30', '2020-07-01', '2021-01-01'],
    );
    assert.ok(p.every((x) => !/Fed|2025|2026/.test(`${x.label} ${x.description}`)));
    assert.equal(p[0].description, '2019-03-01 .. 2021-06-30');
  });
  it('a short file gets only the presets inside its range', () => {
    const p = datePresets({ first: '2024-05-10', last: '2024-07-01' });
    assert.deepEqual(
      p.map((x) => x.label),
      ['All dates', 'Last 30 days'],
    );
    assert.deepEqual(
      datePresets({ first: '2024-01-01', last: '2024-01-05' }).map((x) => x.label),
      ['All dates'],
    );
  });
  it('the cascade replay: default the last 45 days, never before the 90 days the book is built on', () => {
    assert.deepEqual(
      cascadeDates({ kind: 'cascade', series: [], dataRange: { first: '2020-01-01', last: '2022-03-31' } }),
      { from: '2022-02-15', to: '2022-03-31', bookFrom: '2021-11-17', bookTo: '2022-02-14' },
    );
    assert.equal(
      cascadeDates({
        kind: 'cascade',
        series: [],
        from: '2020-01-05',
        dataRange: { first: '2020-01-01', last: '2022-03-31' },
      }).from,
      '2020-03-31',
    );
    assert.equal(
      cascadeDates({
        kind: 'cascade',
        series: [],
        from: '2021-05-01',
        to: '2021-06-01',
        dataRange: { first: '2020-01-01', last: '2022-03-31' },
      }).to,
      '2021-06-01',
    );
  });
  it("the cascade notebook's text names the dates its code replays", () => {
    const c: QuickChoices = {
      kind: 'cascade',
      series: [{ name: 'BTC', path: 'data/BTC-USD.csv' }],
      dataRange: { first: '2024-01-01', last: '2026-02-28' },
    };
    const [md, , code] = generateCells(c);
    assert.match(md.source, /replayed over 2026-01-15 \.\. 2026-02-28/);
    assert.match(md.source, /2025-10-17 \.\. 2026-01-14/);
    assert.ok(!md.source.includes('all available dates'));
    assert.match(code.source, /path: ohlc\.slice\("2026-01-15", "2026-02-28"\)/);
    assert.match(code.source, /path: ohlc\.slice\("2025-10-17", "2026-01-14"\)/);
    const mine = generateCells({ ...c, from: '2025-06-01', to: '2025-07-15' });
    assert.match(mine[0].source, /replayed over 2025-06-01 \.\. 2025-07-15/);
    assert.match(mine[2].source, /ohlc\.slice\("2025-06-01", "2025-07-15"\)/);
  });
  it("other analyses state the data's dates when all are used", () => {
    const [md] = generateCells({
      kind: 'correlation',
      series: [
        { name: 'A', path: 'a.csv' },
        { name: 'B', path: 'b.csv' },
      ],
      dataRange: { first: '2020-01-01', last: '2020-12-31' },
    });
    assert.match(md.source, /all available dates \(2020-01-01 \.\. 2020-12-31\)/);
  });
});
