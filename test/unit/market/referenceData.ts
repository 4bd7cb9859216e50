/**
 * Runs test/reference/reference.py (Debian's /usr/bin/python3 with pandas, statsmodels, scipy)
 * once per test process and shares its JSON between the reference tests.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
let cached: any;

export function referenceData(): any {
  if (cached) return cached;
  const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'test/reference/reference.py')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) throw new Error(`reference.py failed (needs Debian's python3-pandas, python3-statsmodels, python3-scipy): ${r.error ?? r.stderr}`);
  cached = JSON.parse(r.stdout);
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
    if (!same(ours[i], t[i], rel)) assert.fail(`${what}[${i}]: ours ${ours[i]}, reference ${t[i]} (relative tolerance ${rel})`);
  }
}

