/** Shared by unit tests that need the built kernel bundle (dist/kernel.js). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

export const ROOT = path.resolve(__dirname, '../..');
export const KERNEL = path.join(ROOT, 'dist', 'kernel.js');
export const CLI = path.join(ROOT, 'bin', 'mktnb.js');

let built = false;
/** Builds dist/ once per test run when it is missing or older than the sources. */
export function ensureBuilt(): void {
  if (built) return;
  const stamp = (p: string): number => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);
  const newest = (dir: string): number => {
    let m = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      m = Math.max(m, e.isDirectory() ? newest(p) : stamp(p));
    }
    return m;
  };
  if (
    stamp(KERNEL) < newest(path.join(ROOT, 'src')) ||
    stamp(path.join(ROOT, 'dist', 'cli.js')) < newest(path.join(ROOT, 'src'))
  ) {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  }
  built = true;
}

/**
 * Parameters of the property-based fuzzers (fast-check): a fixed seed, so CI runs the same
 * cases every time; FUZZ_RUNS=N runs N cases per property instead of the default, and
 * FUZZ_SEED=S another seed (a failure prints the seed and path to replay it).
 */
export function fuzzParams(defaultRuns: number): { seed: number; numRuns: number; endOnFailure: boolean } {
  const runs = Number(process.env.FUZZ_RUNS);
  const seed = Number(process.env.FUZZ_SEED);
  return {
    seed: Number.isInteger(seed) ? seed : 20261101,
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    endOnFailure: true,
  };
}

/** Runs fn, which must throw an error whose message contains every part (string or RegExp); returns the error. */
export function throwsWith<E extends Error = Error>(fn: () => unknown, ...parts: Array<string | RegExp>): E {
  try {
    fn();
  } catch (e) {
    const m = String((e as Error).message);
    for (const p of parts)
      assert.ok(
        typeof p === 'string' ? m.includes(p) : p.test(m),
        `message ${JSON.stringify(m)} should contain ${String(p)}`,
      );
    return e as E;
  }
  assert.fail('expected an error');
}

/**
 * A fresh temporary folder for every test of the enclosing describe, removed after the test:
 * `let dir: string; tempDirPerTest('mktnb-cli-', (d) => (dir = d));`. Returns the current one too.
 */
export function tempDirPerTest(prefix: string, set?: (dir: string) => void): () => string {
  let dir: string | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    set?.(dir);
  });
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (!dir) throw new Error('tempDirPerTest: no test is running');
    return dir;
  };
}

/**
 * A temporary folder for the enclosing describe: made before its first test (before the suite's
 * own before hooks registered after this call), removed after its last:
 * `let dir: string; tempDirPerSuite('mktnb-x-', (d) => (dir = d));`. Returns the current one too.
 */
export function tempDirPerSuite(prefix: string, set?: (dir: string) => void): () => string {
  let dir: string | undefined;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    set?.(dir);
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (!dir) throw new Error('tempDirPerSuite: the suite is not running');
    return dir;
  };
}

/** Runs `fn` with a fresh temporary folder, removed when `fn` has finished (or failed). */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
