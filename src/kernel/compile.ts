/**
 * Compiling a cell: TypeScript through esbuild (loaded on first use; its service process starts
 * once), the rewrite that keeps top-level names across cells (transform.ts), source positions
 * mapped back to the cell for errors (errors.ts), a vm.Script per distinct cell text.
 */
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import * as vm from 'node:vm';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import type { TransformFailure } from 'esbuild';
import { KERNEL_ENV, type CellError, type CellLanguage } from './protocol';
import { registerScript, syntaxError } from './errors';
import { sqlCellScript } from './sql';
import { CellSyntaxError, lineStarts, offsetToLineCol, rewriteCell } from './transform';
import { record } from './wire';

export type EsbuildApi = typeof import('esbuild');

const nodeRequire = createRequire(__filename);

/**
 * The cell transform's options, fixed before any cell runs: a null-prototype object (esbuild
 * rejects inherited keys such as a cell's `Object.prototype.x = 1` as "Invalid option") with the
 * tsconfig as text (JSON.stringify would call a planted Object.prototype.toJSON).
 */
const TRANSFORM_OPTIONS = record({
  loader: 'ts',
  sourcemap: 'external',
  target: 'es2022',
  logLevel: 'silent',
  // keep every import: a cell may import a name only a later cell uses
  tsconfigRaw: JSON.stringify({ compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } }),
} as const);

/**
 * esbuild, loaded on first call: from `fromEnv` (the client's KERNEL_ENV.esbuild) or beside the
 * kernel. Its service (a child process, in the kernel's process group) is started here, so that
 * its pid is known: `onHelpers` gets the pids of the running service (none after it ended; the
 * next call starts a new one), which the kernel reports to the client as its own helpers.
 */
export function esbuildLoader(
  fromEnv: string | undefined,
  onHelpers: (pids: number[]) => void = () => undefined,
): () => EsbuildApi {
  let esbuildApi: EsbuildApi | undefined;
  let service: ChildProcess | undefined;
  const load = (): EsbuildApi => {
    if (esbuildApi) return esbuildApi;
    const tries: Array<() => EsbuildApi> = [];
    if (fromEnv) tries.push(() => nodeRequire(fromEnv));
    // From dist/kernel.js this finds the project's node_modules/esbuild (development, the CLI)
    // or dist/node_modules/esbuild, which scripts/package.mjs puts into each platform's VSIX.
    // Never from the notebook's folder: a shared workspace could plant node_modules/esbuild there
    // and have the kernel load it as the compiler (docs/security.md).
    tries.push(() => nodeRequire('esbuild'));
    const errors: string[] = [];
    for (const t of tries) {
      try {
        return (esbuildApi = t());
      } catch (e) {
        errors.push((e as Error).message.split('\n')[0]);
      }
    }
    throw new Error(
      `TypeScript cells need the esbuild package, which was not found (${errors.join('; ')}). Set ${KERNEL_ENV.esbuild} to its path.`,
    );
  };
  return function getEsbuild(): EsbuildApi {
    const api = load();
    if (service) return api;
    // esbuild starts its service lazily, with child_process.spawn, inside the first API call; that
    // call is made here, with spawn wrapped for its duration, to learn the service's pid (the API does not say it)
    service = spawnedDuring(() => {
      api.transform('', record({ loader: 'ts' } as const)).catch(() => undefined);
    });
    if (!service?.pid) {
      service = undefined;
      return api;
    }
    const ended = service;
    ended.once('exit', () => {
      if (service !== ended) return;
      service = undefined;
      onHelpers([]);
      // a dead service is never restarted by esbuild itself: stop() makes the next call start one
      try {
        void api.stop();
      } catch {
        /* stopped */
      }
    });
    onHelpers([service.pid]);
    return api;
  };
}

/** The first child process `run` spawns (synchronously) through child_process.spawn. */
function spawnedDuring(run: () => void): ChildProcess | undefined {
  // the module object itself (an import would be a copy of its exports, which esbuild does not call)
  const cp = nodeRequire('node:child_process') as typeof import('node:child_process');
  const spawn = cp.spawn as (...a: unknown[]) => ChildProcess;
  let child: ChildProcess | undefined;
  cp.spawn = function (this: unknown, ...a: unknown[]): ChildProcess {
    const c = spawn.apply(this, a);
    child ??= c;
    return c;
  } as typeof cp.spawn;
  try {
    run();
  } finally {
    cp.spawn = spawn as typeof cp.spawn;
  }
  return child;
}

export interface Compiled {
  script: vm.Script;
  imports: string[];
  declared: string[];
}

/** A cell that does not compile: its error is ready to show (message, code frame). */
export class CompileError extends Error {
  constructor(public cellError: CellError) {
    super(cellError.message);
  }
}

const COMPILE_CACHE = 500;

/** The compile function of one kernel: a cache of the last 500 distinct cells. */
export function cellCompiler(
  getEsbuild: () => EsbuildApi,
): (code: string, language: CellLanguage, label: string) => Promise<Compiled> {
  const compiled = new Map<string, Compiled>();
  let scriptSeq = 0;
  return async function compile(code: string, language: CellLanguage, label: string): Promise<Compiled> {
    const key = `${language}\u0000${label}\u0000${code}`;
    // a SQL cell runs as a one-line script that awaits the query and binds its result (sql.ts)
    if (language === 'sql') {
      code = sqlCellScript(code, label);
      language = 'javascript';
    }
    const hit = compiled.get(key);
    if (hit) return hit;

    let js = code;
    let map: TraceMap | undefined;
    if (language === 'typescript') {
      try {
        const r = await getEsbuild().transform(code, record({ ...TRANSFORM_OPTIONS, sourcefile: label }));
        js = r.code;
        map = new TraceMap(r.map);
      } catch (e) {
        // esbuild rejects with a TransformFailure: an Error with its messages
        const first = (e as Partial<TransformFailure> | null | undefined)?.errors?.[0];
        if (!first?.location) throw e;
        throw new CompileError(syntaxError(label, code, first.text, first.location.line, first.location.column));
      }
    }
    const toSource = (line: number, column: number): { line: number; column: number } => {
      if (!map) return { line, column };
      const o = originalPositionFor(map, { line, column });
      return o.line == null ? { line, column } : { line: o.line, column: o.column };
    };

    let rw;
    try {
      rw = rewriteCell(js, { strictImports: language === 'javascript', cellLabel: label });
    } catch (e) {
      if (!(e instanceof CellSyntaxError)) throw e;
      const p = toSource(e.line, e.column);
      throw new CompileError(syntaxError(label, code, e.message, p.line, p.column));
    }

    const filename = `__mktnb_cell_${++scriptSeq}__`;
    let outStarts: number[] | undefined, jsStarts: number[] | undefined;
    const toCell = (line: number, column1: number) => {
      outStarts ??= lineStarts(rw.code);
      jsStarts ??= lineStarts(js);
      const off = (outStarts[line - 1] ?? 0) + column1 - 1;
      if (rw.inWrapper(off)) return null;
      const lc = offsetToLineCol(jsStarts, rw.toInput(off));
      const p = toSource(lc.line, lc.column);
      return { line: p.line, column: p.column + 1 };
    };
    registerScript(filename, {
      label: (line, column) => {
        const p = toCell(line, column);
        return p && { label, ...p };
      },
    });

    let script: vm.Script;
    try {
      script = new vm.Script(rw.code, { filename });
    } catch (e) {
      // the rewrite parsed with acorn, but V8 may still refuse (early errors acorn does not check)
      const err = e as Partial<Error> | null | undefined;
      const m = new RegExp(`${filename}:(\\d+)`).exec(String(err?.stack));
      const p = toCell(m ? Number(m[1]) : 1, 1) ?? { line: 1, column: 1 };
      throw new CompileError(syntaxError(label, code, err?.message ?? String(e), p.line, p.column - 1));
    }
    const c = { script, imports: rw.imports, declared: rw.declared };
    if (compiled.size >= COMPILE_CACHE) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, c);
    return c;
  };
}
