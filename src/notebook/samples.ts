/**
 * Copying a bundled sample out of the extension (Open Sample Notebook), as plain Node so it is
 * unit-tested (test/unit/security/samples.test.ts). A workspace is often a cloned repository:
 * a file planted at market-notebooks-samples/01-….mktnb (or a symlink there) must never be
 * opened as if it were the bundled sample. So:
 *  - every file the sample needs (the notebook and data/…) is compared with the bundled bytes;
 *    a folder that holds exactly the bundled files is reused, one that differs is refused with
 *    the reason (the caller offers a fresh folder instead);
 *  - no symbolic link is followed, in the target or in the bundle: paths are checked with lstat
 *    and files are created with O_EXCL ('wx'), which fails on an existing link.
 */
import * as fs from 'fs';
import * as path from 'path';

export class SampleCopyError extends Error {
  constructor(
    message: string,
    readonly kind: 'differs' | 'symlink' | 'not-a-folder' | 'io',
  ) {
    super(message);
    this.name = 'SampleCopyError';
  }
}

/** Files of a bundled sample: the notebook and every file under data/ (relative paths, '/' separated). */
export function sampleFiles(bundleDir: string, notebook: string): string[] {
  if (path.basename(notebook) !== notebook || !notebook.endsWith('.mktnb'))
    throw new SampleCopyError(`not a sample notebook name: ${notebook}`, 'io');
  const out = [notebook];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(bundleDir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
      // links and other entries in the bundle are not copied
    }
  };
  if (fs.existsSync(path.join(bundleDir, 'data'))) walk('data');
  return out;
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Checks every component below `root` of `rel` (never following a link); creates missing folders when asked. */
function checkPath(root: string, rel: string, show: (p: string) => string, mkdir: boolean): 'missing' | 'file' {
  const parts = rel.split('/');
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]);
    const st = lstat(cur);
    const last = i === parts.length - 1;
    if (!st) {
      if (last) return 'missing';
      if (!mkdir) return 'missing';
      fs.mkdirSync(cur);
      continue;
    }
    if (st.isSymbolicLink())
      throw new SampleCopyError(`${show(cur)} is a symbolic link; samples are never copied through links`, 'symlink');
    if (last) {
      if (!st.isFile()) throw new SampleCopyError(`${show(cur)} exists and is not a file`, 'not-a-folder');
      return 'file';
    }
    if (!st.isDirectory()) throw new SampleCopyError(`${show(cur)} exists and is not a folder`, 'not-a-folder');
  }
  return 'missing';
}

/**
 * Makes `destDir` hold the bundled sample (copying what is missing) and returns the notebook's
 * path. Throws SampleCopyError (and changes nothing) when the folder holds a file that differs
 * from the bundled one, or a link.
 */
export function copySample(
  bundleDir: string,
  destDir: string,
  notebook: string,
  show: (p: string) => string = (p) => p,
): string {
  const files = sampleFiles(bundleDir, notebook);
  const parent = lstat(destDir);
  if (parent?.isSymbolicLink())
    throw new SampleCopyError(`${show(destDir)} is a symbolic link; samples are never copied through links`, 'symlink');
  if (parent && !parent.isDirectory())
    throw new SampleCopyError(`${show(destDir)} exists and is not a folder`, 'not-a-folder');
  const bundled = (rel: string) => {
    const p = path.join(bundleDir, ...rel.split('/'));
    if (lstat(p)?.isSymbolicLink()) throw new SampleCopyError(`the bundled ${rel} is a link`, 'symlink');
    return fs.readFileSync(p);
  };
  // first pass: check everything, change nothing
  const missing: string[] = [];
  if (parent) {
    for (const rel of files) {
      if (checkPath(destDir, rel, show, false) === 'missing') {
        missing.push(rel);
        continue;
      }
      const have = fs.readFileSync(path.join(destDir, ...rel.split('/')));
      if (!have.equals(bundled(rel)))
        throw new SampleCopyError(
          `${show(path.join(destDir, ...rel.split('/')))} already exists and differs from the bundled sample`,
          'differs',
        );
    }
  } else {
    fs.mkdirSync(destDir, { recursive: true });
    missing.push(...files);
  }
  // second pass: create what is missing, exclusively (an entry that appeared meanwhile fails)
  for (const rel of missing) {
    checkPath(destDir, rel, show, true);
    fs.writeFileSync(path.join(destDir, ...rel.split('/')), bundled(rel), { flag: 'wx' });
  }
  return path.join(destDir, notebook);
}

/** A folder name next to `base` that does not exist yet: base, base-2, base-3 … */
export function freshFolder(base: string): string {
  if (!lstat(base)) return base;
  for (let k = 2; ; k++) {
    const p = `${base}-${k}`;
    if (!lstat(p)) return p;
  }
}
