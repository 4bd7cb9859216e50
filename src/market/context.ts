/**
 * Where relative paths resolve (load('data/BTC-USD.csv')): baseDir is the notebook's folder and
 * notebookPath its file, set by the kernel before any cell runs; plain Node programs get
 * process.cwd(). Read-only for cells. No I/O here.
 * @example (illustration)
 * runtime.baseDir      // e.g. "/home/me/research" for /home/me/research/btc.mktnb
 * runtime.notebookPath // e.g. "/home/me/research/btc.mktnb"
 */
export const runtime: { baseDir: string; notebookPath?: string } = {
  baseDir: typeof process !== 'undefined' ? process.cwd() : '.',
  notebookPath: undefined,
};

export function setRuntime(opts: { baseDir: string; notebookPath?: string }): void {
  runtime.baseDir = opts.baseDir;
  runtime.notebookPath = opts.notebookPath;
}

/**
 * A file path as outputs show it: relative to the notebook's folder (runtime.baseDir), with "/"
 * separators, so a saved notebook carries no "/home/<user>/…" and reads the same on every
 * machine. Paths already relative are returned as given.
 */
export function displayPath(p: string): string {
  const norm = (s: string) => s.replace(/\\/g, '/').replace(/\/+$/, '');
  const abs = norm(p);
  if (!/^([A-Za-z]:)?\//.test(abs)) return abs;
  const base = norm(runtime.baseDir).split('/'),
    parts = abs.split('/');
  if ((base[0] ?? '').toLowerCase() !== (parts[0] ?? '').toLowerCase()) return parts[parts.length - 1];
  let k = 0;
  while (k < base.length && k < parts.length && base[k] === parts[k]) k++;
  const up = base.length - k;
  // far outside the notebook's folder: the file name alone says enough and leaks no directory names
  if (up > 2) return parts[parts.length - 1];
  return [...Array(up).fill('..'), ...parts.slice(k)].join('/') || '.';
}
