/**
 * Error reports for cells: stacks whose frames point into the cells' own (TypeScript) source,
 * labelled with the cell label, with the kernel's own frames removed; code frames for syntax
 * errors.
 */
import { inspect } from 'node:util';
import type { CellError } from './protocol';

/** A script the kernel ran, and how to map its generated positions back to the author's source. */
export interface ScriptInfo {
  /** what stack frames show instead of the script's file name (e.g. "cell 3", or a helper's path) */
  label: (line: number, column: number) => { label: string; line: number; column: number } | null;
}

const scripts = new Map<string, ScriptInfo>();
/** File names (or prefixes) whose frames are kernel internals and are dropped from user stacks. */
const internalFiles: string[] = [];

export function registerScript(filename: string, info: ScriptInfo): void {
  scripts.set(filename, info);
}
export function addInternalFile(file: string): void {
  internalFiles.push(file);
}

const FRAME_LOC = /^(\s*at (?:.*?\()?)(.+?):(\d+):(\d+)(\)?)\s*$/;

/** Rewrites the frames of a V8 stack. Returns the frame lines only (no header). */
export function mapFrames(stack: string | undefined): string[] {
  if (!stack) return [];
  const out: string[] = [];
  for (const line of stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue;
    const m = FRAME_LOC.exec(line);
    if (!m) {
      if (/\bnode:(internal|vm|async_hooks)\b/.test(line)) continue;
      out.push(line);
      continue;
    }
    const [, head, file, l, c, close] = m;
    const info = scripts.get(file);
    if (info) {
      const pos = info.label(Number(l), Number(c));
      if (pos) {
        // "at eval (cell 3:2:5)"; the cell's own top level shows as "at cell 3:2:5"
        const fn = head
          .replace(/^\s*at\s*/, '')
          .replace(/\($/, '')
          .trim();
        out.push(
          fn && fn !== 'async'
            ? `    at ${fn} (${pos.label}:${pos.line}:${pos.column})`
            : `    at ${fn ? 'async ' : ''}${pos.label}:${pos.line}:${pos.column}`,
        );
      }
      continue;
    }
    if (/^node:(internal|vm|async_hooks)\b/.test(file) || internalFiles.some((f) => file === f || file.startsWith(f)))
      continue;
    out.push(`${head}${file}:${l}:${c}${close}`);
  }
  return out;
}

/**
 * Makes every error's `stack` mapped (cells' positions, kernel frames removed), so that errors a
 * cell prints itself (console.error(e), display(e), inspect) read like the ones the kernel reports.
 */
export function installStackMapping(): void {
  Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]) => {
    let header: string;
    try {
      header = Error.prototype.toString.call(err);
    } catch {
      header = 'Error';
    }
    const raw = frames
      .map((f) => {
        try {
          return `    at ${f.toString()}`;
        } catch {
          return '    at <unknown>';
        }
      })
      .join('\n');
    return [header, ...mapFrames(raw)].join('\n');
  };
}

/** Turns anything a cell threw into a CellError with a mapped stack. */
export function toCellError(e: unknown): CellError {
  if (
    e instanceof Error ||
    (typeof e === 'object' &&
      e !== null &&
      typeof (e as Partial<Error>).message === 'string' &&
      typeof (e as Partial<Error>).stack === 'string')
  ) {
    const err = e as Error;
    const name = typeof err.name === 'string' && err.name ? err.name : 'Error';
    const message = String(err.message);
    const frames = mapFrames(err.stack);
    let stack = [`${name}: ${message}`, ...frames].join('\n');
    const cause: unknown = err.cause;
    if (cause !== undefined)
      stack += `\n[cause]: ${cause instanceof Error ? toCellError(cause).stack : inspect(cause)}`;
    return { name, message, stack };
  }
  const text = `Uncaught ${inspect(e, { colors: false, depth: 2 })}`;
  return { name: 'Error', message: text, stack: text };
}

/** Lines around a position with a caret under the column. line is 1-based, column 0-based. */
export function codeFrame(source: string, line: number, column: number, context = 2): string {
  const lines = source.split(/\r?\n/);
  const from = Math.max(1, line - context);
  const to = Math.min(lines.length, line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const text = lines[n - 1] ?? '';
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`);
    if (n === line) {
      // keep tabs so the caret lines up
      const pad = text.slice(0, column).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} | ${pad}^`);
    }
  }
  return out.join('\n');
}

export function syntaxError(label: string, source: string, message: string, line: number, column: number): CellError {
  const msg = `${message} (${label}:${line}:${column + 1})`;
  return {
    name: 'SyntaxError',
    message: msg,
    stack: `SyntaxError: ${message}\n    at ${label}:${line}:${column + 1}\n\n${codeFrame(source, line, column)}`,
  };
}

export function interruptedError(detail = 'the cell was interrupted'): CellError {
  const message = detail.charAt(0).toUpperCase() + detail.slice(1);
  return { name: 'Interrupted', message, stack: `Interrupted: ${message}`, interrupted: true };
}

/**
 * A runtime error with the code frame a syntax error gets: the lines of the cell around the
 * deepest frame in that cell (the line that threw, or the call that led into library code).
 * Unchanged when no frame points into the cell (the error came from elsewhere).
 */
export function withCodeFrame(error: CellError, label: string, source: string): CellError {
  const esc = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?:\\(|at )${esc}:(\\d+):(\\d+)\\)?\\s*$`, 'm').exec(error.stack);
  if (!m) return error;
  const line = Number(m[1]),
    column = Number(m[2]);
  if (line < 1 || line > source.split(/\r?\n/).length) return error;
  // the frame comes first, then any [cause]
  const cut = error.stack.indexOf('\n[cause]:');
  const head = cut >= 0 ? error.stack.slice(0, cut) : error.stack;
  const tail = cut >= 0 ? error.stack.slice(cut) : '';
  return { ...error, stack: `${head}\n\n${codeFrame(source, line, Math.max(0, column - 1))}${tail}` };
}
