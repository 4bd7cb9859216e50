import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { load, LoadError, runtime, Frame, Series } from '../../../src/market/index';
import { setRuntime } from '../../../src/market/context';
import { tempDirPerSuite, throwsWith, withTempDir } from '../helpers';

const fails = (fn: () => unknown, ...parts: Array<string | RegExp>): LoadError => throwsWith<LoadError>(fn, ...parts);

let dir: string;
const saved = { ...runtime };

function file(name: string, text: string | Buffer): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

describe('load', () => {
  tempDirPerSuite('mktnb-load-', (d) => (dir = d));
  before(() => {
    setRuntime({ baseDir: dir, notebookPath: path.join(dir, 'study.mktnb') });
  });
  after(() => {
    setRuntime(saved);
  });

  it('reads date,value as a Series named after the file and OHLCV as a Frame whose default series is the close', () => {
    file('M2.csv', 'date,value\n2024-01-01,100\n2024-02-01,101.5\n');
    const m = load('M2.csv');
    assert.ok(m instanceof Series);
    assert.equal(m.name, 'M2');
    assert.deepEqual(Array.from(m.values), [100, 101.5]);
    assert.deepEqual(m.dates(), ['2024-01-01', '2024-02-01']);
    file('X.csv', 'date,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1.5,3,1,2.5,20\n');
    const x = load('X.csv');
    assert.ok(x instanceof Frame);
    assert.deepEqual(x.names, ['open', 'high', 'low', 'close', 'volume']);
    assert.equal(x.close.name, 'X');
    assert.deepEqual(Array.from(x.close.values), [1.5, 2.5]);
    assert.deepEqual(Array.from(x.series().values), [1.5, 2.5]);
    assert.deepEqual(Array.from(x.get('volume').values), [10, 20]);
  });

  it('record form: each entry loaded and named by its key', () => {
    file('A.csv', 'date,value\n2024-01-01,1\n');
    file('B.csv', 'date,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n');
    const r = load({ M2: 'A.csv', BTC: 'B.csv' });
    assert.equal((r.M2 as Series).name, 'M2');
    assert.equal((r.BTC as Frame).close.name, 'BTC');
  });

  it('a missing file names the absolute path tried and the notebook it was relative to', () => {
    const e = fails(
      () => load('data/BTC-USD.csv'),
      path.join(dir, 'data/BTC-USD.csv'),
      path.join(dir, 'study.mktnb'),
      'data/BTC-USD.csv',
    );
    assert.ok(e instanceof LoadError);
    setRuntime({ baseDir: dir });
    fails(() => load('nope.csv'), 'working directory', path.join(dir, 'nope.csv'));
    setRuntime({ baseDir: dir, notebookPath: path.join(dir, 'study.mktnb') });
  });

  it('exact errors: empty file, header without rows, missing date column', () => {
    fails(() => load(file('e.csv', '')), 'e.csv', 'is empty');
    fails(() => load(file('e2.csv', '\n\n')), 'is empty');
    fails(() => load(file('h.csv', 'date,close\n')), 'h.csv', 'header', 'no data rows');
    fails(
      () => load(file('nd.csv', 'when,close\n2024-01-01,1\n')),
      'nd.csv:1',
      'no date column',
      '"when", "close"',
      'dateColumn',
    );
    const s = load(file('nd2.csv', 'when,close\n2024-01-01,1\n'), { dateColumn: 'when' }) as Series;
    assert.equal(s.length, 1);
  });

  it('exact errors: unparsable date at file:line:column, non-numeric value at file:line:column', () => {
    const e = fails(
      () => load(file('d.csv', 'date,close\n2024-01-01,1\n2024-13-01,2\n')),
      'd.csv:3:1',
      'unparsable date "2024-13-01"',
    );
    assert.equal(e.line, 3);
    assert.equal(e.column, 1);
    fails(() => load(file('d2.csv', 'date,close\n2024-02-30,1\n')), 'd2.csv:2:1', '2024-02-30');
    fails(() => load(file('d3.csv', 'date,close\n,1\n')), 'd3.csv:2:1', 'missing date');
    const n = fails(
      () => load(file('n.csv', 'date,open,close\n2024-01-01,1,2\n2024-01-02,1,abc\n')),
      'n.csv:3:14',
      'non-numeric value "abc"',
      'column "close"',
    );
    assert.equal(n.line, 3);
    assert.equal(n.column, 14);
    fails(() => load(file('n2.csv', 'date,close\n2024-01-01,1,2\n')), 'n2.csv:2', 'more fields than the header');
    fails(
      () => load(file('n3.csv', 'date,open,close\n2024-01-01,1\n')),
      'n3.csv:2',
      'has 2 fields but the header has 3',
    );
  });

  it('blank fields and NA tokens are NaN, never zero', () => {
    const f = load(
      file('b.csv', 'date,open,close\n2024-01-01,,1\n2024-01-02,2,\n2024-01-03,NA,NaN\n2024-01-04,.,null\n'),
    ) as Frame;
    assert.ok(Array.from(f.columns.open).every((v, i) => (i === 1 ? v === 2 : Number.isNaN(v))));
    assert.ok(Array.from(f.columns.close).every((v, i) => (i === 0 ? v === 1 : Number.isNaN(v))));
  });

  it('duplicate dates: an error naming both lines, or keep first/last', () => {
    const t = 'date,value\n2024-01-01,1\n2024-01-02,2\n2024-01-02,3\n2024-01-03,4\n';
    fails(() => load(file('dup.csv', t)), 'duplicate date 2024-01-02', 'line 3', 'line 4', "duplicates: 'first'");
    assert.deepEqual(Array.from((load('dup.csv', { duplicates: 'first' }) as Series).values), [1, 2, 4]);
    const last = load('dup.csv', { duplicates: 'last' }) as Series;
    assert.deepEqual(Array.from(last.values), [1, 3, 4]);
    assert.match(String((last.meta.notes as string[])[0]), /1 duplicate date dropped/);
  });

  it('unsorted dates: an error naming the lines unless { sort: true }; a descending file is reversed and says so', () => {
    const t = 'date,value\n2024-01-01,1\n2024-01-03,3\n2024-01-02,2\n';
    fails(
      () => load(file('u.csv', t)),
      'not in ascending order',
      'line 4 (2024-01-02) comes after line 3 (2024-01-03)',
      'sort: true',
    );
    const s = load('u.csv', { sort: true }) as Series;
    assert.deepEqual(Array.from(s.values), [1, 2, 3]);
    const d = load(file('desc.csv', 'date,value\n2024-01-03,3\n2024-01-02,2\n2024-01-01,1\n')) as Series;
    assert.deepEqual(Array.from(d.values), [1, 2, 3]);
    assert.match(String((d.meta.notes as string[])[0]), /descending/);
  });

  it('dates: ISO datetimes with offsets, epoch seconds and milliseconds, slashes', () => {
    const s = load(
      file('dt.csv', 'timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01 01:30,2\n2024-01-01T03:00:00.250+01:00,3\n'),
    ) as Series;
    assert.deepEqual(Array.from(s.index), [
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 0, 1, 1, 30),
      Date.UTC(2024, 0, 1, 2, 0, 0, 250),
    ]);
    const e = load(file('ep.csv', 'time,value\n1704067200,1\n1704153600,2\n')) as Series;
    assert.deepEqual(e.dates(), ['2024-01-01', '2024-01-02']);
    const m = load(file('ms.csv', 'time,value\n1704067200000,1\n')) as Series;
    assert.deepEqual(m.dates(), ['2024-01-01']);
    const sl = load(file('sl.csv', 'Date,Value\n2024/01/05,1\n')) as Series;
    assert.deepEqual(sl.dates(), ['2024-01-05']);
  });

  it('CSV details: BOM, CRLF, a quoted header, blank lines, spaces around numbers', () => {
    const s = load(file('q.csv', '\uFEFFdate,"close"\r\n2024-01-01,1.5\r\n\r\n2024-01-02, 2 \r\n')) as Series;
    assert.ok(s instanceof Series);
    assert.equal(s.meta.column, 'close');
    assert.deepEqual(s.dates(), ['2024-01-01', '2024-01-02']);
    assert.deepEqual(Array.from(s.values), [1.5, 2]);
    // a quoted field spanning lines keeps the line count right for later errors
    fails(
      () => load(file('ml.csv', 'date,note,close\n2024-01-01,"a\nb",1\n2024-01-02,"c",x\n'), { columns: ['close'] }),
      'ml.csv:4:',
      'non-numeric value "x"',
    );
  });

  it('quoted numbers parse; a quoted comma is reported as non-numeric', () => {
    const ok = load(file('q2.csv', 'date,close\r\n"2024-01-01","1.5"\r\n\r\n2024-01-02, 2 \r\n')) as Series;
    assert.deepEqual(Array.from(ok.values), [1.5, 2]);
    fails(() => load(file('q3.csv', 'date,close\n"2024-01-01","1,5"\n')), 'q3.csv:2:14', 'non-numeric value "1,5"');
    const sc = load(file('sc.csv', 'date;close\n2024-01-01;1.25\n')) as Series;
    assert.deepEqual(Array.from(sc.values), [1.25]);
  });

  it('numbers are bit-identical to Number(text), including many digits, exponents and negatives', () => {
    const vals: string[] = [];
    let x = 0.123456789;
    for (let i = 0; i < 2000; i++) {
      x = (x * 9301 + 49297) % 233280;
      const v = (x / 233280 - 0.5) * 10 ** ((i % 30) - 10);
      vals.push(i % 3 === 0 ? String(v) : i % 3 === 1 ? v.toFixed(i % 12) : v.toExponential(i % 17));
    }
    vals.push(
      '0.1',
      '-0',
      '123456789012345678901234567890',
      '1e-400',
      '9007199254740993',
      '0.30000000000000004',
      '+7',
      '.5',
      '5.',
    );
    const text =
      'date,value\n' +
      vals
        .map((v, i) => `${new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},${v}`)
        .join('\n');
    const s = load(file('num.csv', text)) as Series;
    vals.forEach((v, i) => assert.ok(Object.is(s.values[i], Number(v)), `${v}: ${s.values[i]} vs ${Number(v)}`));
  });

  it('JSON: an array of records; errors name the line', () => {
    const s = load(
      file(
        'j.json',
        JSON.stringify(
          [
            { date: '2024-01-01', close: 1, open: 0.5 },
            { date: '2024-01-02', close: null, open: '0.7' },
          ],
          null,
          2,
        ),
      ),
    );
    assert.ok(s instanceof Frame);
    assert.ok(Number.isNaN(s.close.values[1]));
    assert.equal(s.get('open').values[1], 0.7);
    const v = load(file('v.json', '[{"time": 1704067200, "value": 3}]')) as Series;
    assert.deepEqual(v.dates(), ['2024-01-01']);
    fails(
      () => load(file('bad.json', '[\n  {"date": "2024-01-01", "close": 1},\n  {"date": "nope", "close": 2}\n]')),
      'bad.json:3:3',
      'unparsable date "nope"',
    );
    fails(
      () => load(file('bad2.json', '[\n  {"date": "2024-01-01", "close": "x"}\n]')),
      'bad2.json:2:3',
      'non-numeric value "x"',
    );
    fails(() => load(file('bad3.json', '{"date": 1}')), 'expected a JSON array');
    fails(() => load(file('bad4.json', '[]')), 'no records');
    fails(() => load(file('bad5.json', '[{"close": 1}]')), 'no date field');
    fails(() => load(file('bad6.json', '[\n  {"date": "2024-01-01",}\n]')), 'bad6.json:2', 'invalid JSON');
  });
});

describe('load: one way to get the default series', () => {
  it('series() and close work on both Series and Frame, so the union load() returns needs no cast', () =>
    withTempDir('mktnb-load2-', (dir2) => {
      const saved2 = { ...runtime };
      try {
        setRuntime({ baseDir: dir2 });
        writeFileSync(path.join(dir2, 'v.csv'), 'date,value\n2024-01-01,3\n');
        writeFileSync(path.join(dir2, 'o.csv'), 'date,open,close\n2024-01-01,1,2\n');
        for (const [f, want] of [
          ['v.csv', 3],
          ['o.csv', 2],
        ] as const) {
          const l = load(f);
          assert.equal(l.series().values[0], want);
          assert.equal(l.close.values[0], want);
        }
      } finally {
        setRuntime(saved2);
      }
    }));
});
