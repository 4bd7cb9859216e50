/**
 * Hostile files and inputs for the loader and the analysis library (issue 11): the cases peer
 * CSV corpora (csv-spectrum, PapaParse, d3-dsv) caught, encodings, binary files, dates before
 * year 100, the infinite; Series validation, crossCorr's minimum of pairs, returns of prices <= 0,
 * and tables of huge Frames built only for the rows they show.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  crossCorr,
  Frame,
  load,
  type LoadError,
  returns,
  rollingBeta,
  rollingCorr,
  runtime,
  Series,
  Table,
  toTime,
} from '../../../src/market/index';
import { setRuntime } from '../../../src/market/context';
import { DISPLAY } from '../../../src/shared/schemas';
import { tempDirPerSuite, throwsWith } from '../helpers';

let dir: string;
const saved = { ...runtime };
let seq = 0;
function csv(text: string | Buffer, ext = 'csv'): string {
  const name = `f${++seq}.${ext}`;
  writeFileSync(path.join(dir, name), text);
  return name;
}
const fails = (fn: () => unknown, ...parts: Array<string | RegExp>): LoadError => throwsWith<LoadError>(fn, ...parts);
const D = (s: string) => toTime(s);

describe('load: hostile CSV files', () => {
  tempDirPerSuite('mktnb-faults-', (d) => (dir = d));
  before(() => {
    setRuntime({ baseDir: dir, notebookPath: path.join(dir, 'x.mktnb') });
  });
  after(() => {
    setRuntime(saved);
  });

  it('a quoted header name with a line break (and a delimiter) is one name; later lines count right', () => {
    const f = load(csv('date,"close\nprice","a,b"\n2024-01-01,1,2\n2024-01-02,x,3\n'.replace('x', '2'))) as Frame;
    assert.deepEqual(f.names, ['close\nprice', 'a,b']);
    fails(
      () => load(csv('date,"close\nprice"\n2024-01-01,1\n2024-01-02,oops\n')),
      ':4:12:',
      'non-numeric value "oops"',
    );
  });

  it('lone-CR line endings (old Mac files) and a lone CR inside a quoted field', () => {
    const s = load(csv('date,close\r2024-01-01,1\r\r2024-01-02,2\r')) as Series;
    assert.deepEqual(Array.from(s.values), [1, 2]);
    const f = load(csv('date,note,close\r2024-01-01,"a\rb",1\r2024-01-02,"c",2\r'), { columns: ['close'] }) as Series;
    assert.deepEqual(Array.from(f.values), [1, 2]);
    fails(() => load(csv('date,close\r2024-01-01,1\r2024-01-02,zz\r')), ':3:12:');
    fails(
      () => load(csv('date,note,close\r2024-01-01,"a\rb",1\r2024-01-02,"c",zz\r'), { columns: ['close'] }),
      ':4:16:',
    );
  });

  it('duplicate header names are kept as close, close.1 (as pandas) and meta.notes says so', () => {
    const f = load(csv('date,close,close,close.1\n2024-01-01,1,2,3\n2024-01-02,4,5,6\n')) as Frame;
    assert.deepEqual(f.names, ['close', 'close.2', 'close.1']);
    assert.deepEqual(Array.from(f.get('close').values), [1, 4]);
    assert.deepEqual(Array.from(f.get('close.2').values), [2, 5]);
    assert.ok(
      (f.meta.notes as string[]).some((n) => /duplicate column names.*"close\.2"/.test(n)),
      JSON.stringify(f.meta.notes),
    );
  });

  it('columns named __proto__ and constructor are columns like any other (CSV and JSON)', () => {
    const f = load(csv('date,__proto__,constructor,toString\n2024-01-01,1,2,3\n2024-01-02,4,5,6\n')) as Frame;
    assert.deepEqual(f.names, ['__proto__', 'constructor', 'toString']);
    assert.deepEqual(Array.from(f.get('__proto__').values), [1, 4]);
    assert.deepEqual(Array.from(f.get('constructor').values), [2, 5]);
    assert.equal(Object.getPrototypeOf(f.columns), null);
    assert.throws(() => new Frame([1], { a: [1] }).get('constructor'), /no column "constructor"/);
    const j = load(
      csv('[{"date":"2024-01-01","__proto__":1,"close":2},{"date":"2024-01-02","__proto__":3,"close":4}]', 'json'),
    ) as Frame;
    assert.deepEqual(j.names, ['__proto__', 'close']);
    assert.deepEqual(Array.from(j.get('__proto__').values), [1, 3]);
    // a record without a "constructor" key has no such value (NaN), not Object's constructor
    assert.ok(
      Number.isNaN(
        (load(csv('[{"date":"2024-01-01","close":2}]', 'json'), { columns: ['constructor'] }) as Series).values[0],
      ),
    );
  });

  it('junk after a closing quote is an error naming line and column', () => {
    const e = fails(
      () => load(csv('date,close\n2024-01-01,"1"2\n')),
      ':2:15:',
      'unexpected "2" after the closing quote',
      'line 2, column 12',
    );
    assert.equal(e.line, 2);
    assert.equal(e.column, 15);
    fails(() => load(csv('"date"x,close\n2024-01-01,1\n')), ':1:7:', 'unexpected "x"');
    // spaces after the quote stay allowed
    assert.deepEqual(Array.from((load(csv('date,close\n2024-01-01,"1"  \n')) as Series).values), [1]);
  });

  it('error columns count characters, not bytes', () => {
    const e = fails(
      () => load(csv('date,note,close\n2024-01-01,€€€ ünïcödé,abc\n'), { columns: ['close'], dateColumn: 'date' }),
      ':2:24:',
    );
    assert.equal(e.column, 24, 'characters (the byte offset would be 34)');
    assert.equal(e.columnUnit, 'character');
    fails(() => load(csv('date,close\n2024-01-01,"日本"x\n')), ':2:16:');
  });

  it('UTF-16 files with a byte-order mark are decoded; UTF-32 is refused by name', () => {
    const text = 'date,close\n2024-01-01,1.5\n2024-01-02,2.5\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const s = load(csv(le)) as Series;
    assert.deepEqual(Array.from(s.values), [1.5, 2.5]);
    assert.ok((s.meta.notes as string[]).includes('decoded from UTF-16LE (byte-order mark)'));
    const be = Buffer.from(le);
    for (let i = 0; i < be.length; i += 2) {
      const t = be[i];
      be[i] = be[i + 1];
      be[i + 1] = t;
    }
    assert.deepEqual(Array.from((load(csv(be)) as Series).values), [1.5, 2.5]);
    fails(() => load(csv(Buffer.from([0xff, 0xfe, 0, 0, 0x64, 0, 0, 0]))), 'UTF-32');
  });

  it('a binary file is "not a text file", and its bytes are not in the message', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef, 0x0a, 0xc3, 0x28]);
    const e = fails(() => load(csv(zip)), 'not a text file', 'ZIP archive');
    assert.equal(/[\u0000-\u0008\u000e-\u001f]|\ufffd/.test(e.message), false);
    fails(() => load(csv(Buffer.from('PAR1\u0000\u0015\u0002', 'latin1'))), 'not a text file', 'Parquet');
    fails(() => load(csv(Buffer.from('date,close\n2024-01-01,1\u0000\n'))), 'not a text file', 'line 2, column 13');
  });

  it('year 0001 is year 1, not 1901 (dates, datetimes, toTime)', () => {
    const s = load(csv('date,close\n0001-01-01,1\n0099-12-31T12:00:00Z,2\n2024-01-01,3\n')) as Series;
    assert.equal(new Date(s.index[0]).toISOString(), '0001-01-01T00:00:00.000Z');
    assert.equal(new Date(s.index[1]).toISOString(), '0099-12-31T12:00:00.000Z');
    assert.equal(s.dates()[0], '0001-01-01');
    assert.equal(new Date(toTime('0050-06-15')).toISOString(), '0050-06-15T00:00:00.000Z');
  });

  it('one rule for the infinite: "Infinity", "-inf" and "1e400" are all refused, naming the field', () => {
    for (const v of ['Infinity', '-inf', '1e400', '-1e400']) {
      const e = fails(
        () => load(csv(`date,close\n2024-01-01,1\n2024-01-02,${v}\n`)),
        ':3:12:',
        `value "${v}" is not a finite number`,
      );
      assert.equal(e.line, 3);
    }
    fails(() => load(csv('[{"date":"2024-01-01","close":1e400}]', 'json')), 'not a finite number');
    // a tiny number that underflows is a number (0), as in every parser
    assert.equal((load(csv('date,close\n2024-01-01,1e-400\n')) as Series).values[0], 0);
  });
});

describe('analysis library: bad inputs', () => {
  const day = 86_400_000;
  const idx = (n: number) => Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * day);

  it('new Series refuses an unsorted or NaN index; Frame too', () => {
    assert.throws(
      () => new Series([D('2024-01-02'), D('2024-01-01')], [1, 2], 'p'),
      /Series "p": the index is not in ascending order: index\[1\] \(2024-01-01\) comes before index\[0\] \(2024-01-02\)/,
    );
    assert.throws(() => new Series([D('2024-01-01'), NaN], [1, 2]), /index\[1\] is NaN, not a time/);
    assert.throws(() => new Frame([2, 1], { a: [1, 2] }), /Frame: the index is not in ascending order/);
    const ok = new Series(idx(3), [1, 2, 3]);
    assert.equal(ok.map((v) => v * 2).at('2024-01-02'), 4);
  });

  it('minPeriods greater than the window is an error, as in pandas', () => {
    const a = new Series(
      idx(30),
      Array.from({ length: 30 }, (_, i) => Math.sin(i)),
    );
    const b = new Series(
      idx(30),
      Array.from({ length: 30 }, (_, i) => Math.cos(i * 1.3)),
    );
    assert.throws(() => rollingCorr(a, b, 5, { minPeriods: 6 }), /rollingCorr: minPeriods 6 must be <= window 5/);
    assert.throws(() => rollingBeta(a, b, 5, { minPeriods: 9 }), /rollingBeta: minPeriods 9 must be <= window 5/);
    assert.throws(() => rollingCorr(a, b, 5, { minPeriods: 0 }), /minPeriods must be an integer >= 1/);
    assert.equal(rollingCorr(a, b, 5, { minPeriods: 3 }).length, 30);
  });

  it('returns of prices <= 0 are NaN with a note, not ±Infinity', () => {
    const p = new Series(idx(5), [10, 0, 5, -2, 4], 'px');
    for (const kind of ['simple', 'log'] as const) {
      const r = returns(p, kind);
      assert.ok(Array.from(r.values).every((v) => (!Number.isFinite(v) ? Number.isNaN(v) : true)));
      assert.deepEqual(Array.from(r.values).slice(1).map(Number.isNaN), [true, true, true, true]);
      assert.match((r.meta.notes as string[]).join(), /4 returns from or to a price <= 0 left NaN/);
    }
    assert.equal(returns(new Series(idx(3), [1, 2, 4])).meta.notes, undefined);
  });

  it('crossCorr: a lag needs its minimum of pairs (else NaN), and no value leaves [-1, 1]', () => {
    // a short series with a huge last point: the adjusted estimator at a long lag reaches ~n/(n-L)
    const n = 12;
    const x = new Series(idx(n), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 10]);
    const y = new Series(idx(n), [10, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const c = crossCorr(x, y, 11);
    assert.equal(c.minPairs, 10);
    for (let k = 0; k < c.lags.length; k++) {
      if (c.pairs[k] < 10) assert.ok(Number.isNaN(c.values[k]), `lag ${c.lags[k]} on ${c.pairs[k]} pairs`);
      else assert.ok(Math.abs(c.values[k]) <= 1);
    }
    const loose = crossCorr(x, y, 11, { minPairs: 2 });
    assert.ok(loose.values.every((v) => Number.isNaN(v) || Math.abs(v) <= 1));
    assert.ok(
      loose.notes.some((s) => /limited to ±1/.test(s)),
      JSON.stringify(loose.notes),
    );
    assert.ok(
      c.notes.some((s) => /lags with fewer than 10 pairs \(of 12\) left NaN/.test(s)),
      JSON.stringify(c.notes),
    );
    assert.throws(() => crossCorr(x, y, 2, { minPairs: 1 }), /minPairs must be an integer >= 2/);
  });

  it('a table of a 10,000,000-row Frame builds only the rows it shows', () => {
    const n = 10_000_000;
    const index = new Float64Array(n);
    for (let i = 0; i < n; i++) index[i] = i * 1000;
    const close = new Float64Array(n).fill(1.5);
    const f = new Frame(index, { close, volume: close });
    const items = f[DISPLAY]();
    const t = items[0].data as any;
    assert.equal(t.totalRows, n);
    assert.equal(t.rows.length, 20);
    assert.equal(t.rows[19][0], new Date((n - 1) * 1000).toISOString().replace('.000Z', 'Z'));
    // row() is asked for exactly the shown rows
    let made = 0;
    const lazy = new Table([{ name: 'i', type: 'number' }], {
      length: n,
      row: (i) => {
        made++;
        return [i];
      },
    });
    lazy.toJSON();
    assert.equal(made, 20);
  });
});
