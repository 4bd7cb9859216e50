/**
 * The CSV reader's fast row loop (src/market/load/fastRows.ts) against its general row parser
 * (parseCsv with fast = false), property-based (fast-check, fixed seed; FUZZ_RUNS=N for more):
 * files mixing rows of the common shape with every way a row can leave it (quoted fields, blank and
 * NA values, numbers of other spellings, invalid and other-layout dates, wrong field counts, blank
 * lines, LF/CRLF/CR) must give the same values bit for bit, or the same error at the same
 * file:line:column. Files of valid rows are also checked against Date.UTC and Number() of the text,
 * and their rows' line numbers against the lines written.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseCsv } from '../../../src/market/load/csv';
import { LoadError, type LoadOptions, type Parsed } from '../../../src/market/load/common';
import { FieldParser } from '../../../src/market/load/numbers';
import { parseIsoDate } from '../../../src/market/load/dates';
import { fuzzParams } from '../helpers';

const pad = (v: number, w: number): string => String(v).padStart(w, '0');

/** A date field: usually a valid datetime a few minutes after the previous one, sometimes another shape. */
const dateShape = fc.oneof(
  { weight: 30, arbitrary: fc.constant('next') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2021-02-29 00:00:00', // not a day
      '2020-02-29 12:00:00', // a leap day
      '2020-02-30 00:00:00',
      '2100-02-29 00:00:00',
      '2000-02-29 00:00:00',
      '2020-04-31 00:00:00',
      '2020-13-01 00:00:00',
      '2020-00-10 00:00:00',
      '2020-01-00 00:00:00',
      '2020-01-01 24:00:00', // the general parser reads these three
      '2020-01-01 23:59:60',
      '2020-01-01 23:60:00',
      '2020-01-01 25:00:00',
      '2020-01-01 00:00:61',
      '2020-01-01 00:00:70',
      '2020-01-01 00:75:00',
      '2020-01-01 00:00:00.5',
      '2020-01-01 00:00:00Z',
      '2020-01-01T00:00:00+01:00',
      '2020-01-01 00:00',
      '2020-01-01',
      '2020/01/01 00:00:00',
      '0099-03-01 00:00:00',
      '1969-12-31 23:59:59',
      '2020-01-0a 00:00:00',
      '2020-01-01 0a:00:00',
      '2020-01-01x',
      ' 2020-01-01 00:00:00',
      '"2020-01-01 00:00:00"',
      '',
      'NA',
      '2020-01-01t00:00:00',
      '\u00ff\u00ff\u00ff\u00ff-01-01 00:00:00',
    ),
  },
);
const numberShape = fc.oneof(
  { weight: 40, arbitrary: fc.tuple(fc.integer({ min: -1e7, max: 1e7 }), fc.nat({ max: 6 })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      'NaN',
      'NA',
      '.',
      '-0',
      '+1',
      ' 1',
      '1 ',
      '1e5',
      '.5',
      '5.',
      '-',
      '-.5',
      '0x10',
      'abc',
      '"2.5"',
      '"1,5"',
      '1234567890123456',
      '000000000000000001',
      '0.000000000000001',
      'Infinity',
      '1e400',
      '9007199254740993',
      '9999999999999.999',
      '0.9999999999999999',
    ),
  },
);
const rowShape = fc.record({
  date: dateShape,
  step: fc.constantFrom(0, 1, 60, 60, 60, 3600, 86_399, 86_400, 30 * 86_400, 31 * 86_400, 365 * 86_400),
  nums: fc.array(numberShape, { minLength: 4, maxLength: 4 }),
  fields: fc.oneof({ weight: 60, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1) }),
  eol: fc.constantFrom('\n', '\n', '\n', '\r\n', '\r'),
  blank: fc.oneof({ weight: 20, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});
const fileShape = fc.record({
  ncol: fc.integer({ min: 1, max: 4 }),
  datePos: fc.nat({ max: 4 }),
  delim: fc.constantFrom(',', ';', '\t'),
  epoch: fc.constantFrom('no', 'no', 'no', 's', 'ms'),
  sep: fc.constantFrom(' ', 'T'),
  skip: fc.boolean(),
  trailing: fc.boolean(),
  start: fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }),
  rows: fc.array(rowShape, { minLength: 1, maxLength: 40 }),
});

type Outcome = { ok: Parsed } | { error: { message: string; line?: number; column?: number } };
function run(buf: Buffer, options: LoadOptions, fast: boolean): Outcome {
  try {
    return { ok: parseCsv(buf, 'f.csv', options, fast) };
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    return { error: { message: e.message, line: e.line, column: e.column } };
  }
}
const same = (a: Float64Array, b: Float64Array, what: string): void => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

describe('load: the CSV fast row loop reads what the general row parser reads', function () {
  this.timeout(120_000);

  it('same values bit for bit, or the same error at the same line and column', () => {
    let valid = 0,
      failed = 0;
    fc.assert(
      fc.property(fileShape, (f) => {
        const names = Array.from({ length: f.ncol }, (_, j) => `v${j}`);
        const datePos = Math.min(f.datePos, f.ncol);
        const header = [...names];
        header.splice(datePos, 0, 'date');
        if (f.skip) header.push('note');
        const lines: string[] = [header.join(f.delim) + '\n'];
        let t = f.start,
          plain = true,
          line = 2;
        const want: { t: number; v: number[]; line: number }[] = [];
        for (const r of f.rows) {
          t += r.step;
          const d = new Date(t * 1000);
          let dateText: string;
          if (f.epoch !== 'no') dateText = r.date === 'next' ? String(f.epoch === 's' ? t : t * 1000) : r.date;
          else if (r.date === 'next')
            dateText =
              `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
              `${f.sep}${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
          else dateText = r.date;
          const nums = r.nums
            .slice(0, f.ncol)
            .map((x) => (typeof x === 'string' ? x : (x[0] / 10 ** x[1]).toFixed(x[1])));
          const fields = [...nums];
          fields.splice(datePos, 0, dateText);
          const spans = f.skip && r.nums[3] === '.'; // a quoted line break: the row takes two lines
          if (f.skip) fields.push(r.nums[3] === '' ? '"a, b"' : spans ? '"x\ny"' : 'x');
          if (r.fields < 0) fields.pop();
          if (r.fields > 0) fields.push('9');
          if (r.date !== 'next' || r.nums.slice(0, f.ncol).some((x) => typeof x === 'string') || r.fields !== 0)
            plain = false;
          want.push({ t: t * 1000, v: nums.map(Number), line });
          line += 1 + (spans ? 1 : 0) + (r.blank ? 1 : 0);
          lines.push(fields.join(f.delim) + r.eol + (r.blank ? r.eol : ''));
        }
        let text = lines.join('');
        if (!f.trailing) text = text.replace(/(\r\n|\r|\n)+$/, '');
        const buf = Buffer.from(text, 'latin1');
        const options: LoadOptions = f.skip ? { columns: names } : {};
        const a = run(buf, options, true),
          b = run(buf, options, false);
        if ('error' in b) {
          failed++;
          assert.deepEqual(a, b);
          return;
        }
        assert.ok('ok' in a, `the fast loop threw ${'error' in a ? a.error.message : ''}; the general parser did not`);
        same(a.ok.index, b.ok.index, 'index');
        assert.deepEqual(a.ok.names, b.ok.names);
        a.ok.cols.forEach((c, j) => same(c, b.ok.cols[j], `column ${j}`));
        const lineA = a.ok.line!,
          lineB = b.ok.line!;
        for (let i = 0; i < a.ok.index.length; i++) assert.equal(lineA(i), lineB(i), `line of row ${i}`);
        assert.deepEqual(a.ok.notes, b.ok.notes);
        if (plain) {
          // independent of both: the dates from Date.UTC's seconds, the values from Number(text)
          valid++;
          assert.equal(a.ok.index.length, want.length);
          want.forEach((w, i) => {
            assert.equal(a.ok.index[i], w.t, `row ${i} date`);
            assert.equal(a.ok.where(i), `line ${w.line}`);
            w.v.forEach((v, j) =>
              assert.ok(Object.is(a.ok.cols[j][i], v), `row ${i} v${j}: ${a.ok.cols[j][i]} vs ${v}`),
            );
          });
        }
      }),
      fuzzParams(1000),
    );
    // the property saw both kinds of file
    assert.ok(valid > 20 && failed > 20, `valid files ${valid}, files with an error ${failed}`);
  });

  it('a row split over lines by a quoted line break keeps the line numbers of the rows after it', () => {
    const text =
      'date,close,note\n2020-01-01 00:00:00,1,a\n2020-01-01 00:01:00,2,"x\ny"\n2020-01-01 00:02:00,3,b\n2020-01-01 00:03:00,bad,c\n';
    const buf = Buffer.from(text);
    const ok = parseCsv(Buffer.from(text.replace(',bad,', ',4,')), 'f.csv', { columns: ['close'] });
    assert.deepEqual([0, 1, 2, 3].map(ok.line!), [2, 3, 5, 6]);
    assert.deepEqual(Array.from(ok.cols[0]), [1, 2, 3, 4]);
    assert.throws(
      () => parseCsv(buf, 'f.csv', { columns: ['close'] }),
      (e: LoadError) => e.message.startsWith('f.csv:6:21: non-numeric value "bad" in column "close"') && e.line === 6,
    );
  });

  it('FieldParser.fastDate accepts only what parseIsoDate reads, with its value, across its day cache', () => {
    // near misses of a valid datetime: a few bytes changed, so the day cache sees equal and unequal days
    const base = fc.record({
      y: fc.integer({ min: 0, max: 9999 }),
      mo: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 32 }),
      h: fc.integer({ min: 0, max: 25 }),
      mi: fc.integer({ min: 0, max: 61 }),
      s: fc.integer({ min: 0, max: 61 }),
      sep: fc.constantFrom(' ', 'T', 't', '', ','),
    });
    const edit = fc.tuple(fc.nat({ max: 18 }), fc.constantFrom('0', '9', '-', ':', ' ', 'T', '/', 'x', '\u00ff', '.'));
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(base, fc.array(edit, { maxLength: 2 })), { minLength: 1, maxLength: 30 }),
        (rows) => {
          const fp = new FieldParser();
          for (const [r, edits] of rows) {
            const chars = [
              ...`${pad(r.y, 4)}-${pad(r.mo, 2)}-${pad(r.d, 2)}${r.sep}${r.sep ? `${pad(r.h, 2)}:${pad(r.mi, 2)}:${pad(r.s, 2)}` : ''}`,
            ];
            for (const [at, c] of edits) if (at < chars.length) chars[at] = c;
            const b = Buffer.from(chars.join('') + ',', 'latin1');
            const t = fp.fastDate(b, 0, b.length);
            if (fp.end < 0) continue;
            accepted++;
            const want = parseIsoDate(b, 0, fp.end);
            assert.ok(!Number.isNaN(want), `fastDate read ${JSON.stringify(chars.join(''))}, parseIsoDate refuses it`);
            assert.equal(t, want, chars.join(''));
          }
        },
      ),
      fuzzParams(1000),
    );
    assert.ok(accepted > 1000, `accepted ${accepted}`);
  });

  it('grows its arrays when the first rows made the row estimate too small', () => {
    // 64 long rows, then 20,000 short ones: the capacity guessed from the first rows is ~1,000
    const rows: string[] = ['date,close,note'];
    const t0 = Date.UTC(2021, 0, 1);
    for (let i = 0; i < 20_064; i++) {
      const d = new Date(t0 + i * 60_000).toISOString();
      rows.push(`${d.slice(0, 10)} ${d.slice(11, 19)},${(i / 100).toFixed(2)},${i < 64 ? 'x'.repeat(2000) : ''}`);
    }
    const buf = Buffer.from(rows.join('\n') + '\n');
    const a = parseCsv(buf, 'f.csv', { columns: ['close'] }),
      b = parseCsv(buf, 'f.csv', { columns: ['close'] }, false);
    assert.equal(a.index.length, 20_064);
    for (let i = 0; i < 20_064; i++) {
      assert.equal(a.index[i], t0 + i * 60_000);
      assert.equal(a.cols[0][i], Number((i / 100).toFixed(2)));
      assert.equal(a.line!(i), i + 2);
    }
    same(a.index, b.index, 'index');
    same(a.cols[0], b.cols[0], 'close');
  });
});
