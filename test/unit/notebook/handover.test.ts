import assert from 'node:assert/strict';
import { SessionHandover, cellsSignature } from '../../../src/notebook/handover';

const nb = (...texts: string[]) => ({ getCells: () => texts.map((t, i) => ({ kind: i === 0 ? 1 : 2, document: { languageId: i === 0 ? 'markdown' : 'typescript', getText: () => t } })) });

describe('untitled → saved session handover', () => {
  let clock = 0;
  const released: string[] = [];
  const make = () => new SessionHandover<string>((s) => released.push(s), 10_000, () => clock);
  beforeEach(() => { clock = 0; released.length = 0; });

  it('signatures are equal exactly for equal cells (kind, language, text)', () => {
    assert.equal(cellsSignature(nb('# t', 'const x = 1')), cellsSignature(nb('# t', 'const x = 1')));
    assert.notEqual(cellsSignature(nb('# t', 'const x = 1')), cellsSignature(nb('# t', 'const x = 2')));
    assert.notEqual(cellsSignature(nb('# t', 'a')), cellsSignature(nb('# t', 'a', '')));
  });

  it('close first, then the saved file opens: the session moves', () => {
    const h = make();
    assert.equal(h.closed('kernel-1', 'S'), undefined, 'parked');
    assert.equal(h.opened('file:///a.mktnb', 'S'), 'kernel-1');
    assert.equal(h.opened('file:///b.mktnb', 'S'), undefined, 'handed over once');
    h.dispose();
    assert.deepEqual(released, [], 'a moved session is not released');
  });

  it('open first, then the untitled one closes: the session moves to the opened file', () => {
    const h = make();
    assert.equal(h.opened('file:///a.mktnb', 'S'), undefined);
    clock = 500;
    assert.equal(h.closed('kernel-1', 'S'), 'file:///a.mktnb');
    h.dispose();
  });

  it('different cells never match; a parked session is released after the wait', async () => {
    const h = new SessionHandover<string>((s) => released.push(s), 20, () => clock);
    h.opened('file:///other.mktnb', 'OTHER');
    assert.equal(h.closed('kernel-1', 'S'), undefined);
    assert.equal(h.opened('file:///x.mktnb', 'T'), undefined);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(released, ['kernel-1'], 'an untitled notebook closed without saving ends its kernel');
    assert.equal(h.opened('file:///late.mktnb', 'S'), undefined, 'too late');
  });

  it('a file opened long before does not take a closing untitled session', () => {
    const h = make();
    h.opened('file:///a.mktnb', 'S');
    clock = 60_000;
    assert.equal(h.closed('kernel-1', 'S'), undefined);
    h.dispose();
    assert.deepEqual(released, ['kernel-1'], 'dispose releases parked sessions');
  });

  it('two untitled notebooks with equal cells: the one closed last goes to the file opened next', () => {
    const h = make();
    h.closed('kernel-1', 'S');
    h.closed('kernel-2', 'S');
    assert.equal(h.opened('file:///a.mktnb', 'S'), 'kernel-2');
    h.dispose();
    assert.deepEqual(released, ['kernel-1']);
  });
});
