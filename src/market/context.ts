/**
 * Where relative paths resolve. The kernel sets this to the notebook's folder before any
 * cell runs; plain Node programs get process.cwd(). No I/O here.
 */
export const runtime: { baseDir: string; notebookPath?: string } = {
  baseDir: typeof process !== 'undefined' ? process.cwd() : '.',
  notebookPath: undefined,
};

export function setRuntime(opts: { baseDir: string; notebookPath?: string }): void {
  runtime.baseDir = opts.baseDir;
  runtime.notebookPath = opts.notebookPath;
}
