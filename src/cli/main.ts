/**
 * mktnb: the headless runner.
 *   mktnb run NOTEBOOK.mktnb... [--out FILE | --out-dir DIR | --in-place] [--html FILE | --html-dir DIR] [--quiet]
 *   mktnb export NOTEBOOK.mktnb --html FILE
 * Exits 1 when a cell fails (cell number and error on stderr), 2 on bad usage or an unreadable notebook.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NotebookFormatError, parseNotebook, serializeNotebook } from '../format/serialize';
import type { MktnbFile } from '../format/types';
import { TEXT_MIME, STDOUT_MIME, STDERR_MIME } from '../shared/schemas';
import { notebookToHtml } from '../export/html';
import { runNotebook } from './run';

const USAGE = `usage:
  mktnb run NOTEBOOK.mktnb... [--out FILE | --out-dir DIR | --in-place] [--html FILE | --html-dir DIR] [--quiet]
      Runs every code cell in order with the Market Notebooks kernel and stops at the first failing cell.
      --out FILE      write the executed notebook (with outputs) to FILE (one notebook only)
      --out-dir DIR   write each executed notebook to DIR/<name>.mktnb
      --in-place      overwrite each notebook with its executed version
      --html FILE     also write a self-contained HTML report (one notebook only)
      --html-dir DIR  write DIR/<name>.html for each notebook
      --quiet         print only failures and the summary
  mktnb export NOTEBOOK.mktnb --html FILE
      Writes the notebook as it is saved (no execution) as a self-contained HTML report.`;

interface Args { cmd: string; files: string[]; out?: string; outDir?: string; inPlace: boolean; html?: string; htmlDir?: string; quiet: boolean }

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { cmd: argv[0] ?? '', files: [], inPlace: false, quiet: false };
  for (let i = 1; i < argv.length; i++) {
    const v = argv[i];
    const next = (): string => { const n = argv[++i]; if (n === undefined || n.startsWith('--')) throw new UsageError(`${v} needs a value`); return n; };
    if (v === '--out') a.out = next();
    else if (v === '--out-dir') a.outDir = next();
    else if (v === '--in-place') a.inPlace = true;
    else if (v === '--html') a.html = next();
    else if (v === '--html-dir') a.htmlDir = next();
    else if (v === '--quiet' || v === '-q') a.quiet = true;
    else if (v.startsWith('-')) throw new UsageError(`unknown option ${v}`);
    else a.files.push(v);
  }
  if (a.cmd !== 'run' && a.cmd !== 'export') throw new UsageError(a.cmd ? `unknown command "${a.cmd}"` : 'no command given');
  if (a.files.length === 0) throw new UsageError('no notebook given');
  if ([a.out, a.outDir, a.inPlace || undefined].filter(Boolean).length > 1) throw new UsageError('use only one of --out, --out-dir, --in-place');
  if ((a.out || a.html) && a.files.length > 1) throw new UsageError('--out and --html take one notebook; use --out-dir / --html-dir for several');
  if (a.cmd === 'export' && !a.html && !a.htmlDir) throw new UsageError('export needs --html FILE');
  return a;
}

function readNotebook(file: string): MktnbFile {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    throw new NotebookFormatError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  }
  return parseNotebook(text, file);
}

/** Writes through a temporary file so a crash never leaves half a notebook. */
function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
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

function indent(s: string): string { return s.replace(/\n$/, '').split('\n').map((l) => '    ' + l).join('\n'); }

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try { args = parseArgs(argv); } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`mktnb: ${e.message}\n${USAGE}\n`); return 2; }
    throw e;
  }
  let failed = 0;
  for (const file of args.files) {
    let nb: MktnbFile;
    try { nb = readNotebook(file); } catch (e) {
      process.stderr.write(`mktnb: ${(e as Error).message}\n`);
      failed++;
      continue;
    }
    const htmlTarget = args.html ?? (args.htmlDir ? path.join(args.htmlDir, path.basename(file, '.mktnb') + '.html') : undefined);
    if (args.cmd === 'export') { writeHtml(nb, file, htmlTarget!); process.stderr.write(`${file}: wrote ${htmlTarget}\n`); continue; }

    const abs = path.resolve(file);
    const codeCells = nb.cells.filter((c) => c.kind === 'code').length;
    if (!args.quiet) process.stderr.write(`${file}: running ${codeCells} code cell${codeCells === 1 ? '' : 's'}\n`);
    const t0 = Date.now();
    const res = await runNotebook(nb, {
      cwd: path.dirname(abs), notebookPath: abs, kernelScript: path.join(__dirname, 'kernel.js'),
      onCell: (r) => {
        if (r.ok && args.quiet) return;
        const status = r.ok ? 'ok' : 'FAILED';
        process.stderr.write(`  ${r.label}: ${status} (${Math.round(r.durationMs)} ms)\n`);
        if (!args.quiet) for (const o of r.outputs) for (const it of o.items) {
          if (it.mime === STDOUT_MIME || it.mime === STDERR_MIME) { process.stdout.write(indent(String(it.data)) + '\n'); break; }
          if (it.mime === TEXT_MIME) { process.stdout.write(indent(String(it.data)) + '\n'); break; }
        }
      },
    });
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (!res.ok && res.failedCell) {
      const e = res.failedCell.error;
      process.stderr.write(`${file}: ${res.failedCell.label} failed: ${e ? e.stack || `${e.name}: ${e.message}` : 'unknown error'}\n`);
      failed++;
    } else if (!args.quiet) process.stderr.write(`${file}: ${res.cellsRun} cells ran in ${secs} s\n`);
    else process.stderr.write(`${file}: ok (${res.cellsRun} cells, ${secs} s)\n`);
    const target = args.out ?? (args.outDir ? path.join(args.outDir, path.basename(file)) : args.inPlace ? file : undefined);
    if (target) writeAtomic(target, serializeNotebook(res.notebook));
    if (htmlTarget) writeHtml(res.notebook, file, htmlTarget);
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`mktnb: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  });
}
