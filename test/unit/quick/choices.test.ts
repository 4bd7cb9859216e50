/** The vscode-free half of the quick analyses (src/quick/choices.ts), on the real sample files. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import {
  loadChosen,
  looksLikePriceFile,
  quickNeeds,
  sharedRange,
  unionRange,
  validateChoice,
} from '../../../src/quick/choices';

const DATA = path.resolve(__dirname, '../../../samples/data');
const file = (name: string) => ({ label: name, path: path.join(DATA, name) });

describe('quick analyses: choices without VS Code', () => {
  it('recognises price files by their first lines (CSV header or JSON records with a date)', () => {
    assert.equal(looksLikePriceFile('GLD.csv', 'date,open,high,low,close,volume\n2024-01-02,1,2,3,4,5\n'), true);
    assert.equal(looksLikePriceFile('x.csv', 'Observation_Date;value\n'), true);
    assert.equal(looksLikePriceFile('x.csv', 'name,price\na,1\n'), false);
    assert.equal(looksLikePriceFile('x.json', '[{"timestamp": 1, "close": 2}]'), true);
    assert.equal(looksLikePriceFile('x.json', '{"timestamp": 1, "close": 2}'), false);
  });

  it('says what each analysis asks for', () => {
    assert.deepEqual(quickNeeds('rolling'), { count: 2, window: true, method: true, on: true, lag: false });
    assert.equal(quickNeeds('drawdown').count, 'many');
    assert.equal(quickNeeds('cascade').count, 1);
  });

  it('loads the chosen files (the close of OHLC files) and finds the dates they share', () => {
    const files = [file('GLD.csv'), file('BTC-USD.csv')];
    const loaded = loadChosen(files, DATA);
    assert.equal(loaded[0].s.name, 'close');
    const shared = sharedRange(loaded, files),
      union = unionRange(loaded);
    assert.ok(
      shared.first >= union.first && shared.last <= union.last,
      `${JSON.stringify(shared)} within ${JSON.stringify(union)}`,
    );
    assert.equal(shared.first, '2024-01-02');
  });

  it('refuses, naming the file, what cannot be analysed', () => {
    const bad = { label: 'missing.csv', path: path.join(DATA, 'missing.csv') };
    assert.throws(() => loadChosen([bad], DATA), /^Error: missing\.csv cannot be used: /);
    const files = [file('GLD.csv'), file('BTC-USD.csv')];
    const loaded = loadChosen(files, DATA);
    const series = [
      { name: 'gld', path: 'data/GLD.csv' },
      { name: 'btc', path: 'data/BTC-USD.csv' },
    ];
    assert.throws(
      () =>
        validateChoice({ kind: 'rolling', series, window: 60, from: '2024-01-02', to: '2024-02-15' }, files, loaded),
      /gld and btc share only \d+ dates between 2024-01-02 and 2024-02-15; a 60-point window needs at least 61/,
    );
    assert.throws(
      () => validateChoice({ kind: 'correlation', series, from: '2030-01-01' }, files, loaded),
      /GLD\.csv has 0 data points between 2030-01-01 and the end/,
    );
    assert.throws(
      () =>
        validateChoice(
          { kind: 'cascade', series: series.slice(0, 1) },
          [file('M2SL.csv')],
          loadChosen([file('M2SL.csv')], DATA),
        ),
      /M2SL\.csv has no high and low columns/,
    );
    assert.doesNotThrow(() => validateChoice({ kind: 'rolling', series, window: 60 }, files, loaded));
  });
});
