/** The one accumulator from kernel events to stored outputs (controller and CLI both use it). */
import { strict as assert } from 'node:assert';
import { eventOutputs, OutputAccumulator } from '../../../src/kernel/outputs';
import { CHART_MIME, ERROR_MIME, STDERR_MIME, STDOUT_MIME, TABLE_MIME, TEXT_MIME } from '../../../src/shared/schemas';

const out = (text: string) => ({ kind: 'stream' as const, name: 'stdout' as const, text });
const err = (text: string) => ({ kind: 'stream' as const, name: 'stderr' as const, text });

describe('kernel events → stored outputs (src/kernel/outputs.ts)', () => {
  it('joins consecutive text of one stream into one output and says which output grew', () => {
    const acc = new OutputAccumulator();
    assert.deepEqual(acc.add(out('a')), [
      { type: 'add', output: { kind: 'stream', items: [{ mime: STDOUT_MIME, data: 'a' }] } },
    ]);
    assert.deepEqual(acc.add(out('b\n')), [{ type: 'extend', index: 0, mime: STDOUT_MIME, text: 'b\n' }]);
    acc.add(err('e'));
    acc.add(out('c'));
    assert.deepEqual(acc.outputs, [
      { kind: 'stream', items: [{ mime: STDOUT_MIME, data: 'ab\n' }] },
      { kind: 'stream', items: [{ mime: STDERR_MIME, data: 'e' }] },
      { kind: 'stream', items: [{ mime: STDOUT_MIME, data: 'c' }] },
    ]);
  });

  it('splits a display event into outputs (rich + text each) and a print after it starts a new stream output', () => {
    const acc = new OutputAccumulator();
    acc.add(out('before'));
    const changes = acc.add({
      kind: 'display',
      items: [
        { mime: TABLE_MIME, data: { columns: [] } },
        { mime: TEXT_MIME, data: 't1' },
        { mime: CHART_MIME, data: { data: [] } },
        { mime: TEXT_MIME, data: 't2' },
      ],
    });
    assert.deepEqual(
      changes.map((c) => c.type),
      ['add', 'add'],
    );
    acc.add(out('after'));
    assert.deepEqual(
      acc.outputs.map((o) => [o.kind, o.items.map((i) => i.mime)]),
      [
        ['stream', [STDOUT_MIME]],
        ['display', [TABLE_MIME, TEXT_MIME]],
        ['display', [CHART_MIME, TEXT_MIME]],
        ['stream', [STDOUT_MIME]],
      ],
    );
    assert.equal(acc.outputs[3].items[0].data, 'after');
  });

  it('an error and a restart note are outputs of their own (the note is not joined onto a stderr print)', () => {
    const acc = new OutputAccumulator();
    acc.add(err('warn '));
    acc.add({
      kind: 'error',
      error: {
        name: 'TypeError',
        message: 'x is not a function',
        stack: 'TypeError: x is not a function\n    at cell [1]:1:1',
        interrupted: false,
      },
    });
    acc.add(err('more '));
    acc.note('The kernel was restarted.');
    assert.deepEqual(acc.outputs, [
      { kind: 'stream', items: [{ mime: STDERR_MIME, data: 'warn ' }] },
      {
        kind: 'error',
        items: [
          {
            mime: ERROR_MIME,
            data: {
              name: 'TypeError',
              message: 'x is not a function',
              stack: 'TypeError: x is not a function\n    at cell [1]:1:1',
            },
          },
        ],
      },
      { kind: 'stream', items: [{ mime: STDERR_MIME, data: 'more ' }] },
      { kind: 'stream', items: [{ mime: STDERR_MIME, data: 'The kernel was restarted.' }] },
    ]);
  });

  it('continues outputs it was given (late output of a finished cell joins its last print)', () => {
    const acc = new OutputAccumulator([{ kind: 'stream', items: [{ mime: STDOUT_MIME, data: 'tick 1\n' }] }]);
    assert.deepEqual(acc.add(out('tick 2\n')), [{ type: 'extend', index: 0, mime: STDOUT_MIME, text: 'tick 2\n' }]);
    assert.equal(acc.outputs[0].items[0].data, 'tick 1\ntick 2\n');
  });

  it('eventOutputs: the outputs of one event alone', () => {
    assert.deepEqual(eventOutputs(out('x')), [{ kind: 'stream', items: [{ mime: STDOUT_MIME, data: 'x' }] }]);
    assert.deepEqual(eventOutputs({ kind: 'display', items: [{ mime: TEXT_MIME, data: '1' }] }), [
      { kind: 'display', items: [{ mime: TEXT_MIME, data: '1' }] },
    ]);
  });
});
