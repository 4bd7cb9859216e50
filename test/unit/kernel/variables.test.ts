import assert from 'node:assert/strict';
import path from 'node:path';
import { describeValue, listVariables } from '../../../src/kernel/variables';
import { load } from '../../../src/market/load';
import { Frame } from '../../../src/market/series';
import { withCodeFrame } from '../../../src/kernel/errors';

const DATA = path.resolve(__dirname, '..', '..', '..', 'samples', 'data');

describe('Variables view: what the kernel reports of a name', () => {
  it('a loaded Series: type, length, name, date range and last value', () => {
    const frame = load(path.join(DATA, 'BTC-USD.csv')) as Frame;
    assert.equal(describeValue('f', frame).type, 'Frame');
    assert.equal(describeValue('f', frame).shape, `${frame.length} × ${frame.names.length}`);
    const btc = frame.get(frame.names.includes('close') ? 'close' : frame.names[0]);
    const v = describeValue('btc', btc);
    assert.equal(v.type, 'Series');
    assert.equal(v.shape, String(btc.length));
    const first = new Date(btc.index[0]).toISOString().slice(0, 10);
    const last = new Date(btc.index[btc.length - 1]).toISOString().slice(0, 10);
    assert.ok(v.summary.includes(`${first} .. ${last}`), v.summary);
    assert.match(v.summary, /last [\d,.]+$/);
  });

  it('a Frame: rows × columns and the column names', () => {
    const f = new Frame([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)], { a: [1, 2], b: [3, 4], c: [5, 6] });
    assert.deepEqual(describeValue('f', f), {
      name: 'f',
      type: 'Frame',
      shape: '2 × 3',
      summary: 'a, b, c; 2024-01-01 .. 2024-01-02',
    });
  });

  it('plain values, functions, classes, collections; one line of at most 120 characters', () => {
    assert.deepEqual(describeValue('x', 2), { name: 'x', type: 'number', shape: '', summary: '2' });
    assert.equal(describeValue('s', 'abc').summary, '"abc"');
    assert.equal(
      describeValue('f', function twice(n: number) {
        return n * 2;
      }).summary,
      'function twice(1 argument)',
    );
    assert.equal(describeValue('K', class K {}).type, 'class');
    assert.deepEqual([describeValue('a', [1, 2, 3]).type, describeValue('a', [1, 2, 3]).shape], ['Array', '3']);
    assert.equal(describeValue('m', new Map([[1, 2]])).shape, '1');
    assert.equal(describeValue('o', { a: 1, b: { c: 2 } }).shape, '2 keys');
    const long = describeValue(
      'big',
      Array.from({ length: 1000 }, (_, i) => ({ i, text: 'x'.repeat(50) })),
    );
    assert.ok(long.summary.length <= 120 && !long.summary.includes('\n'), long.summary);
  });

  it('a throwing getter or proxy does not break the list; names no longer defined are left out', () => {
    const scope: Record<string, unknown> = { ok: 1 };
    Object.defineProperty(scope, 'bad', {
      get() {
        throw new Error('nope');
      },
      enumerable: true,
    });
    scope.trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    const list = listVariables(['ok', 'bad', 'trap', 'gone'], scope);
    assert.deepEqual(
      list.map((v) => v.name),
      ['ok', 'bad', 'trap'],
    );
    assert.match(list[1].summary, /cannot be read: nope/);
    assert.match(list[2].summary, /cannot be shown: trap/);
  });
});

describe('runtime errors get a code frame', () => {
  const src = 'const a = 1;\nconst b = a + 1;\nthrow new Error("boom");\nconst c = 3;';
  it('marks the line and column of the innermost frame in the cell', () => {
    const e = withCodeFrame(
      { name: 'Error', message: 'boom', stack: 'Error: boom\n    at cell [4]:3:7' },
      'cell [4]',
      src,
    );
    assert.equal(
      e.stack,
      'Error: boom\n    at cell [4]:3:7\n\n  1 | const a = 1;\n  2 | const b = a + 1;\n> 3 | throw new Error("boom");\n    |       ^\n  4 | const c = 3;',
    );
  });
  it('uses the first (innermost) frame of the cell and keeps a [cause] after the frame', () => {
    const e = withCodeFrame(
      { name: 'E', message: 'm', stack: 'E: m\n    at f (cell [2]:2:11)\n    at cell [2]:3:1\n[cause]: Error: inner' },
      'cell [2]',
      src,
    );
    assert.match(e.stack, /> 2 \| const b = a \+ 1;\n\s+\|\s{11}\^/);
    assert.ok(e.stack.endsWith('[cause]: Error: inner'));
  });
  it('no frame in the cell (library or other cell): unchanged', () => {
    const err = { name: 'E', message: 'm', stack: 'E: m\n    at cell [1]:1:1' };
    assert.deepEqual(withCodeFrame(err, 'cell [2]', src), err);
  });
});
