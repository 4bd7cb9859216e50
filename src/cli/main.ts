/**
 * mktnb: the headless runner.
 *   mktnb run NOTEBOOK.mktnb... [--out FILE | --out-dir DIR | --in-place] [--html FILE | --html-dir DIR] [--timeout SECONDS] [--env NAME]... [--quiet]
 *   mktnb export NOTEBOOK.mktnb --html FILE
 * Exits 1 when a cell fails, times out or raises an error after it finished (cell number and
 * error on stderr), 2 on bad usage or an unreadable notebook.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { decodeNotebookBytes, NotebookFormatError, parseNotebook, serializeNotebook } from '../format/serialize';
import type { MktnbFile } from '../format/types';
import { TEXT_MIME, STDOUT_MIME, STDERR_MIME } from '../shared/schemas';
import { notebookToHtml } from '../export/html';
import { runNotebook } from './run';
import { cellLabel } from '../kernel/protocol';
import { ENV_NAME } from '../kernel/env';

const USAGE = `usage:
  mktnb run NOTEBOOK.mktnb... [--out FILE | --out-dir DIR | --in-place] [--html FILE | --html-dir DIR] [--timeout SECONDS] [--env NAME]... [--quiet]
      Runs every code cell in order with the Market Notebooks kernel and stops at the first failing cell.
      The cells after it keep the outputs they were saved with.
      --out FILE      write the executed notebook (with outputs) to FILE (one notebook only)
      --out-dir DIR   write each executed notebook to DIR/<name>.mktnb
      --in-place      overwrite each notebook with its executed version (mode kept, symlinks followed)
      --timeout SECS  time limit per cell (0 = none, the default): a cell over it fails with "timed out after N s"
      --html FILE     also write a self-contained HTML report (one notebook only)
      --html-dir DIR  write DIR/<name>.html for each notebook
      --env NAME      let cells read the environment variable NAME (repeatable); besides it they see
                      only PATH, HOME, USER, LANG/LC_*, TZ, TMPDIR and the proxy variables
      --quiet         print only failures and the summary
  mktnb export NOTEBOOK.mktnb --html FILE
      Writes the notebook as it is saved (no execution) as a self-contained HTML report.`;

interface Args {
  cmd: string;
  files: string[];
  env: string[];
  out?: string;
  outDir?: string;
  inPlace: boolean;
  html?: string;
  htmlDir?: string;
  quiet: boolean;
  timeout: number;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { cmd: argv[0] ?? '', files: [], env: [], inPlace: false, quiet: false, timeout: 0 };
  for (let i = 1; i < argv.length; i++) {
    const v = argv[i];
    const next = (): string => {
      const n = argv[++i];
      if (n === undefined || n.startsWith('--')) throw new UsageError(`${v} needs a value`);
      return n;
    };
    if (v === '--out') a.out = next();
    else if (v === '--out-dir') a.outDir = next();
    else if (v === '--in-place') a.inPlace = true;
    else if (v === '--html') a.html = next();
    else if (v === '--html-dir') a.htmlDir = next();
    else if (v === '--quiet' || v === '-q') a.quiet = true;
    else if (v === '--env') {
      const n = next();
      if (!ENV_NAME.test(n))
        throw new UsageError(`--env takes a variable name (letters, digits, _), got ${JSON.stringify(n)}`);
      a.env.push(n);
    } else if (v === '--timeout' || v.startsWith('--timeout=')) {
      const t = v.includes('=') ? v.slice(v.indexOf('=') + 1) : next();
      const n = Number(t);
      if (t.trim() === '' || !Number.isFinite(n) || n < 0)
        throw new UsageError(`--timeout takes a number of seconds >= 0 (0 = no limit), got ${JSON.stringify(t)}`);
      a.timeout = n;
    } else if (v.startsWith('-')) throw new UsageError(`unknown option ${v}`);
    else a.files.push(v);
  }
  if (a.cmd !== 'run' && a.cmd !== 'export')
    throw new UsageError(a.cmd ? `unknown command "${a.cmd}"` : 'no command given');
  if (a.files.length === 0) throw new UsageError('no notebook given');
  if ([a.out, a.outDir, a.inPlace || undefined].filter(Boolean).length > 1)
    throw new UsageError('use only one of --out, --out-dir, --in-place');
  if ((a.out || a.html) && a.files.length > 1)
    throw new UsageError('--out and --html take one notebook; use --out-dir / --html-dir for several');
  if (a.cmd === 'export' && !a.html && !a.htmlDir) throw new UsageError('export needs --html FILE');
  return a;
}

function readNotebook(file: string): MktnbFile {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new NotebookFormatError(
      `${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      file,
    );
  }
  return parseNotebook(decodeNotebookBytes(bytes, file), file);
}

/**
 * Writes through a temporary file so a crash never leaves half a notebook. A symlink is written
 * through (its target is replaced, the link stays); an existing file keeps its mode (and owner,
 * where allowed). The temporary file sits next to the target, has an unpredictable name, is
 * created exclusively, and is removed when anything fails.
 */
export function writeAtomic(file: string, text: string): void {
  let target = path.resolve(file);
  try {
    target = fs.realpathSync(target);
  } catch {
    /* new file (or a dangling link: resolved below) */
  }
  try {
    // a dangling symlink: write to where it points
    if (fs.lstatSync(target).isSymbolicLink()) target = path.resolve(path.dirname(target), fs.readlinkSync(target));
  } catch {
    /* does not exist */
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch {
    /* new file */
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', st ? st.mode & 0o7777 : 0o666);
    fs.writeFileSync(fd, text);
    if (st) {
      fs.fchmodSync(fd, st.mode & 0o7777); // the umask may have narrowed the mode given to open
      try {
        fs.fchownSync(fd, st.uid, st.gid);
      } catch {
        /* not ours to give away */
      }
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        /* closed */
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw e;
  }
}

let plotlySource: string | undefined;
function plotly(): string {
  // esbuild.mjs copies the standalone bundle next to cli.js
  plotlySource ??= fs.readFileSync(path.join(__dirname, 'plotly.min.js'), 'utf8');
  return plotlySource;
}

function writeHtml(nb: MktnbFile, file: string, target: string): void {
  writeAtomic(target, notebookToHtml(nb, { title: path.basename(file, '.mktnb'), plotlySource: plotly() }));
}

function indent(s: string): string {
  return s
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mktnb: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  let failed = 0;
  for (const file of args.files) {
    let nb: MktnbFile;
    try {
      nb = readNotebook(file);
    } catch (e) {
      process.stderr.write(`mktnb: ${(e as Error).message}\n`);
      failed++;
      continue;
    }
    const htmlTarget =
      args.html ?? (args.htmlDir ? path.join(args.htmlDir, path.basename(file, '.mktnb') + '.html') : undefined);
    if (args.cmd === 'export') {
      writeHtml(nb, file, htmlTarget!);
      process.stderr.write(`${file}: wrote ${htmlTarget}\n`);
      continue;
    }

    const abs = path.resolve(file);
    const codeCells = nb.cells.filter((c) => c.kind === 'code').length;
    if (!args.quiet) process.stderr.write(`${file}: running ${codeCells} code cell${codeCells === 1 ? '' : 's'}\n`);
    const t0 = Date.now();
    const res = await runNotebook(nb, {
      cwd: path.dirname(abs),
      notebookPath: abs,
      kernelScript: path.join(__dirname, 'kernel.js'),
      passEnv: args.env,
      timeoutSeconds: args.timeout,
      onLate: ({ number, event }) => {
        const where = number ? cellLabel(number) : 'a cell';
        if (event.kind === 'error')
          process.stderr.write(
            `${file}: ${where} raised an error after it had finished (a timer or an un-awaited promise):\n${indent(event.error.stack)}\n`,
          );
        else if (!args.quiet && event.kind === 'stream')
          process.stderr.write(`  (late output of ${where})\n${indent(event.text)}\n`);
      },
      onCell: (r) => {
        if (r.ok && args.quiet) return;
        const status = r.ok ? 'ok' : 'FAILED';
        process.stderr.write(`  ${r.label}: ${status} (${Math.round(r.durationMs)} ms)\n`);
        if (!args.quiet)
          for (const o of r.outputs)
            for (const it of o.items) {
              if (it.mime === STDOUT_MIME || it.mime === STDERR_MIME) {
                process.stdout.write(indent(String(it.data)) + '\n');
                break;
              }
              if (it.mime === TEXT_MIME) {
                process.stdout.write(indent(String(it.data)) + '\n');
                break;
              }
            }
      },
    });
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (!res.ok && res.failedCell) {
      const e = res.failedCell.error;
      process.stderr.write(
        `${file}: ${res.failedCell.label} failed: ${e ? e.stack || `${e.name}: ${e.message}` : 'unknown error'}\n`,
      );
      failed++;
    } else if (res.lateErrors) {
      process.stderr.write(
        `${file}: ${res.lateErrors} error${res.lateErrors === 1 ? '' : 's'} raised after ${res.lateErrors === 1 ? 'its cell' : 'their cells'} had finished (see above)\n`,
      );
      failed++;
    } else if (!args.quiet) process.stderr.write(`${file}: ${res.cellsRun} cells ran in ${secs} s\n`);
    else process.stderr.write(`${file}: ok (${res.cellsRun} cells, ${secs} s)\n`);
    if (res.endedProcesses.length)
      process.stderr.write(
        `${file}: ended ${res.endedProcesses.length} process${res.endedProcesses.length === 1 ? '' : 'es'} the cells had started and left running (pid ${res.endedProcesses.join(', ')})\n`,
      );
    const target =
      args.out ?? (args.outDir ? path.join(args.outDir, path.basename(file)) : args.inPlace ? file : undefined);
    if (target) writeAtomic(target, serializeNotebook(res.notebook));
    if (htmlTarget) writeHtml(res.notebook, file, htmlTarget);
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`mktnb: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
