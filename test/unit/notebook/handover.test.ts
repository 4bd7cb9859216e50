import assert from 'node:assert/strict';
import { SessionHandover, cellsSignature } from '../../../src/notebook/handover';

const nb = (...texts: string[]) => ({
  getCells: () =>
    texts.map((t, i) => ({
      kind: i === 0 ? 1 : 2,
      document: { languageId: i === 0 ? 'markdown' : 'typescript', getText: () => t },
    })),
});

describe('untitled → saved session handover', () => {
  let clock = 0;
  const released: string[] = [];
  const make = () =>
    new SessionHandover<string>(
      (s) => released.push(s),
      10_000,
      () => clock,
    );
  beforeEach(() => {
    clock = 0;
    released.length = 0;
  });

  it('signatures are equal exactly for equal cells (kind, language, text)', () => {
    assert.equal(cellsSignature(nb('# t', 'const x = 1')), cellsSignature(nb('# t', 'const x = 1')));
    assert.notEqual(cellsSignature(nb('# t', 'const x = 1')), cellsSignature(nb('# t', 'const x = 2')));
    assert.notEqual(cellsSignature(nb('# t', 'a')), cellsSignature(nb('# t', 'a', '')));
  });

  it('close first, then the saved file opens: the session moves', () => {
    const h = make();
    assert.equal(h.closed('kernel-1', 'S'), undefined, 'parked');
    assert.equal(
      h.opened('file:///a.mktnb', () => 'S'),
      'kernel-1',
    );
    assert.equal(
      h.opened('file:///b.mktnb', () => 'S'),
      undefined,
      'handed over once',
    );
    h.dispose();
    assert.deepEqual(released, [], 'a moved session is not released');
  });

  it('open first, then the untitled one closes: the session moves to the opened file', () => {
    const h = make();
    assert.equal(
      h.opened('file:///a.mktnb', () => 'S'),
      undefined,
    );
    clock = 500;
    assert.equal(h.closed('kernel-1', 'S'), 'file:///a.mktnb');
    h.dispose();
  });

  it('different cells never match; a parked session is released after the wait', async () => {
    const h = new SessionHandover<string>(
      (s) => released.push(s),
      20,
      () => clock,
    );
    h.opened('file:///other.mktnb', () => 'OTHER');
    assert.equal(h.closed('kernel-1', 'S'), undefined);
    assert.equal(
      h.opened('file:///x.mktnb', () => 'T'),
      undefined,
    );
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(released, ['kernel-1'], 'an untitled notebook closed without saving ends its kernel');
    assert.equal(
      h.opened('file:///late.mktnb', () => 'S'),
      undefined,
      'too late',
    );
  });

  it('the saved file opens empty and gets its cells a moment later (VS Code 1.100 does this)', () => {
    const h = make();
    let cells = '[]';
    assert.equal(
      h.opened('file:///a.mktnb', () => cells),
      undefined,
    );
    cells = 'S';
    clock = 1200;
    assert.equal(h.closed('kernel-1', 'S'), 'file:///a.mktnb', 'compared with its cells at close time');
    // and the other order: parked first, the empty file opens, then its cells arrive
    const h2 = make();
    let later = '[]';
    h2.closed('kernel-2', 'S');
    assert.equal(
      h2.opened('file:///b.mktnb', () => later),
      undefined,
    );
    later = 'S';
    assert.equal(
      h2.opened('file:///b.mktnb', () => later),
      'kernel-2',
      'a change of its cells checks again',
    );
    h.dispose();
    h2.dispose();
  });

  it('a file opened long before does not take a closing untitled session', () => {
    const h = make();
    h.opened('file:///a.mktnb', () => 'S');
    clock = 60_000;
    assert.equal(h.closed('kernel-1', 'S'), undefined);
    h.dispose();
    assert.deepEqual(released, ['kernel-1'], 'dispose releases parked sessions');
  });

  it('two untitled notebooks with equal cells: the one closed last goes to the file opened next', () => {
    const h = make();
    h.closed('kernel-1', 'S');
    h.closed('kernel-2', 'S');
    assert.equal(
      h.opened('file:///a.mktnb', () => 'S'),
      'kernel-2',
    );
    h.dispose();
    assert.deepEqual(released, ['kernel-1']);
  });
});
