/**
 * Property-based fuzzing of the CSV reader (fast-check, fixed seed; FUZZ_RUNS=N for more):
 * random header names (quotes, delimiters, line breaks, duplicates, __proto__), random quoting,
 * delimiters, line endings (LF, CRLF, lone CR), byte-order marks (UTF-8, UTF-16LE/BE) and numbers,
 * checked against a small reference parser written from RFC 4180 here.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Frame, load, NA_TOKENS, runtime, type Series } from '../../../src/market/index';
import { setRuntime } from '../../../src/market/context';
import { fuzzParams, tempDirPerSuite } from '../helpers';

/** RFC 4180 with any of LF, CRLF, CR ending a record; quotes only at the start of a field. */
function referenceParse(text: string, delim: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    field = '',
    i = 0,
    quoted = false,
    any = false;
  const endField = () => {
    row.push(field);
    field = '';
    quoted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
    any = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === '' && !quoted) {
      quoted = true;
      any = true;
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
      continue;
    }
    if (c === delim) {
      endField();
      any = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      if (any || field !== '' || row.length) endRow();
      continue;
    }
    field += c;
    any = true;
    i++;
  }
  if (any || field !== '' || row.length) endRow();
  return rows;
}

/** pandas' renaming of repeated names: close, close.1, … (skipping names already present). */
function referenceUnique(names: string[]): string[] {
  const seen = new Set<string>(),
    all = new Set(names);
  return names.map((n) => {
    if (!seen.has(n)) {
      seen.add(n);
      return n;
    }
    let k = 1;
    while (seen.has(`${n}.${k}`) || all.has(`${n}.${k}`)) k++;
    seen.add(`${n}.${k}`);
    return `${n}.${k}`;
  });
}

const DATE_NAMES = ['date', 'datetime', 'timestamp', 'time', 'day'];
const nameChar = fc.constantFrom('a', 'b', 'C', ' ', '"', ',', ';', '\t', '\n', '\r', 'é', '日', '_');
const headerName = fc
  .oneof(
    fc.string({ unit: nameChar, minLength: 1, maxLength: 6 }),
    fc.constantFrom('close', 'close', '__proto__', 'constructor', 'close.1'),
  )
  .filter((s) => s.trim() !== '' && !DATE_NAMES.includes(s.trim().toLowerCase()));
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
  fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.nat({ max: 8 })).map(([m, k]) => (m / 10 ** k).toFixed(k)),
  fc.constantFrom('', 'NaN', 'NA', 'null', '.', '1e5', '-0', '0.000001', '1E-7', '123456789012345678'),
);

const table = fc.record({
  names: fc.array(headerName, { minLength: 1, maxLength: 4 }),
  rows: fc.nat({ max: 12 }).map((n) => n + 1),
  delim: fc.constantFrom(',', ';', '\t'),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  bom: fc.constantFrom('none', 'utf8', 'utf16le', 'utf16be'),
  trailingEol: fc.boolean(),
  blankLines: fc.boolean(),
  seed: fc.array(fc.tuple(numberText, fc.boolean()), { minLength: 60, maxLength: 60 }),
  quoteDates: fc.boolean(),
});

function quote(s: string, force: boolean, delim: string): string {
  return force || s.includes(delim) || s.includes('"') || s.includes('\n') || s.includes('\r') || s !== s.trim()
    ? `"${s.replace(/"/g, '""')}"`
    : s;
}

describe('load: property-based fuzzing of the CSV reader (fast-check)', function () {
  this.timeout(120_000);
  let dir: string;
  const saved = { ...runtime };
  tempDirPerSuite('mktnb-csvfuzz-', (d) => (dir = d));
  before(() => {
    setRuntime({ baseDir: dir });
  });
  after(() => {
    setRuntime(saved);
  });

  it('reads what a reference RFC 4180 parser reads', () => {
    let k = 0;
    fc.assert(
      fc.property(table, (t) => {
        const lines: string[] = [
          ['date', ...t.names].map((n, j) => quote(n, j > 0 && k % 3 === 0, t.delim)).join(t.delim),
        ];
        let s = 0;
        for (let r = 0; r < t.rows; r++) {
          const d = new Date(Date.UTC(2020, 0, 1) + r * 86_400_000).toISOString().slice(0, 10);
          const fields = [
            t.quoteDates ? `"${d}"` : d,
            ...t.names.map(() => {
              const [v, q] = t.seed[s++ % t.seed.length];
              return q ? `"${v}"` : v;
            }),
          ];
          lines.push(fields.join(t.delim));
          if (t.blankLines && r === 0) lines.push('');
        }
        const text = lines.join(t.eol) + (t.trailingEol ? t.eol : '');
        let bytes: Buffer;
        if (t.bom === 'utf8') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
        else if (t.bom === 'none') bytes = Buffer.from(text, 'utf8');
        else {
          const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
          if (t.bom === 'utf16be')
            for (let i = 0; i < le.length; i += 2) {
              const x = le[i];
              le[i] = le[i + 1];
              le[i + 1] = x;
            }
          bytes = le;
        }
        const file = `t${++k}.csv`;
        writeFileSync(path.join(dir, file), bytes);

        const ref = referenceParse(text, t.delim);
        const header = referenceUnique(ref[0].map((h) => h.trim()));
        const body = ref.slice(1);
        const got = load(file, { delimiter: t.delim });
        const names = got instanceof Frame ? got.names : [(got as Series).meta.column as string];
        assert.deepEqual(names, header.slice(1));
        assert.equal(got.length, body.length);
        body.forEach((row, r) => {
          assert.equal(got.index[r], Date.parse(row[0] + 'T00:00:00Z'));
          header.slice(1).forEach((h, j) => {
            const txt = row[j + 1].trim();
            const want = NA_TOKENS.has(txt) ? NaN : Number(txt);
            const col = got instanceof Frame ? got.columns[h] : (got as Series).values;
            assert.ok(
              Object.is(col[r], want),
              `row ${r} column ${JSON.stringify(h)}: ${col[r]} from ${JSON.stringify(txt)}, want ${want}`,
            );
          });
        });
      }),
      fuzzParams(400),
    );
  });
});
