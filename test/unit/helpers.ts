/** Shared by unit tests that need the built kernel bundle (dist/kernel.js). */
import * as fs from 'node:fs';
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
  if (stamp(KERNEL) < newest(path.join(ROOT, 'src')) || stamp(path.join(ROOT, 'dist', 'cli.js')) < newest(path.join(ROOT, 'src'))) {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  }
  built = true;
}
