/**
 * The pandas / statsmodels / scipy reference values, read from the committed fixture
 * test/reference/fixtures/reference.json (written by `npm run reference:fixtures`, which runs
 * test/reference/reference.py and reference_stats.py with Debian's python3). No Python is
 * needed to run the tests; CI (.ci/run) regenerates the fixture and fails if it differs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const FIXTURE_DIR = path.join(ROOT, 'test/reference/fixtures');
const REGENERATE =
  'regenerate it with `npm run reference:fixtures` (Debian python3-pandas, python3-statsmodels, python3-scipy) and commit test/reference/fixtures';
let cached: any;

/** The .py files whose sha256 sources.json records; a change to either makes the fixture stale. */
export function staleSources(): string[] {
  const sources = JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'sources.json'), 'utf8')) as {
    sha256: Record<string, string>;
  };
  return Object.entries(sources.sha256)
    .filter(
      ([file, sha]) =>
        createHash('sha256')
          .update(readFileSync(path.join(ROOT, 'test/reference', file)))
          .digest('hex') !== sha,
    )
    .map(([file]) => file);
}

/**
 * Every reference value, keyed as reference.py's `out` dict. Reading a key the fixture lacks
 * throws (a case added to the .py files without regenerating), as does a stale fixture.
 */
export function referenceData(): any {
  if (cached) return cached;
  const stale = staleSources();
  if (stale.length)
    throw new Error(`test/reference/fixtures/reference.json is older than ${stale.join(' and ')}: ${REGENERATE}`);
  const data = JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'reference.json'), 'utf8')) as Record<string, unknown>;
  cached = new Proxy(data, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && key !== 'then' && key !== 'toJSON') {
        throw new Error(`reference value '${key}' is not in test/reference/fixtures/reference.json: ${REGENERATE}`);
      }
      return Reflect.get(target, key, receiver);
    },
  });
  return cached;
}

import { strict as assert } from 'node:assert';

export type Num = number | null;
export const REL = 1e-9;

export function same(ours: number, theirs: Num, rel: number): boolean {
  if (theirs === null) return Number.isNaN(ours);
  if (!Number.isFinite(ours)) return false;
  if (ours === theirs) return true;
  return Math.abs(ours - theirs) <= rel * Math.max(Math.abs(ours), Math.abs(theirs));
}

/** Compares numbers or arrays of numbers; reports the worst mismatch with its position. */
export function check(what: string, ours: number | ArrayLike<number>, theirs: Num | Num[], rel = REL): void {
  if (typeof ours === 'number') {
    assert.ok(same(ours, theirs as Num, rel), `${what}: ours ${ours}, reference ${theirs} (relative tolerance ${rel})`);
    return;
  }
  const t = theirs as Num[];
  assert.equal(ours.length, t.length, `${what}: ${ours.length} values, reference has ${t.length}`);
  for (let i = 0; i < t.length; i++) {
    if (!same(ours[i], t[i], rel))
      assert.fail(`${what}[${i}]: ours ${ours[i]}, reference ${t[i]} (relative tolerance ${rel})`);
  }
}
