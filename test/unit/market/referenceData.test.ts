/**
 * The reference values come from the committed fixture, so the unit tests run on a machine
 * without Python; the fixture must match the .py files it was made from.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { ROOT, referenceData, staleSources } from './referenceData';
import { withTempDir } from '../helpers';

describe('reference values fixture (test/reference/fixtures)', () => {
  it('loads in a process with no python3 on PATH and no way to start a child process', function () {
    this.timeout(60_000);
    // The child's PATH is an empty folder (node itself is started by its absolute path; Debian puts
    // python3 beside it in /usr/bin), and every child_process entry point throws:
    // referenceData() must read the JSON and never reach for Python.
    const probe = `
      const cp = require('node:child_process');
      for (const f of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) cp[f] = () => { throw new Error('referenceData started a process: ' + f); };
      const ref = require(${JSON.stringify(path.join(__dirname, 'referenceData.ts'))}).referenceData();
      process.stdout.write(JSON.stringify({ keys: Object.keys(ref).length, btc: ref.load['BTC-USD'].values.length, adf: ref.adf.length }));`;
    return withTempDir('mktnb-nopython-', (empty) => {
      assert.ok(
        spawnSync('python3', ['--version'], { env: { PATH: empty } }).error,
        'python3 must not be reachable from the probe PATH',
      );
      const r = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), '-e', probe], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: empty, HOME: empty },
      });
      assert.equal(r.status, 0, `probe failed: ${r.stderr}`);
      const got = JSON.parse(r.stdout) as { keys: number; btc: number; adf: number };
      assert.ok(got.keys > 50, `${got.keys} top-level reference values`);
      assert.ok(got.btc > 700, 'reference.py values (load BTC-USD) present');
      assert.ok(got.adf > 0, 'reference_stats.py values (adf) present');
    });
  });
  it('was made from the current reference.py and reference_stats.py', () => {
    assert.deepEqual(staleSources(), [], 'run `npm run reference:fixtures` and commit test/reference/fixtures');
  });

  it('names a value the fixture lacks instead of returning undefined', () => {
    assert.throws(
      () => referenceData().no_such_case,
      /reference value 'no_such_case' is not in test\/reference\/fixtures\/reference\.json: regenerate/,
    );
  });
});
