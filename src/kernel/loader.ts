/**
 * `import` for cells: the built-in 'mktnb' module, Node built-ins, packages from node_modules
 * folders from the notebook's folder upwards (CommonJS through require, ES modules through a
 * real dynamic import(), so ESM-only packages work), and relative files (TypeScript or
 * JavaScript, bundled on the fly with esbuild; re-imported when they change). Where a specifier
 * leads is resolve.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createRequire, isBuiltin } from 'node:module';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import type { BuildFailure } from 'esbuild';
import { registerScript } from './errors';
import { instrumentLoops, lineStarts, offsetToLineCol } from './transform';
import { EXTENSIONS, moduleNotFound, packageType, resolveFile, resolvePackage } from './resolve';

/** A module namespace as a cell sees it (`import * as ns`): export names to their values. */
export type Namespace = Record<string, unknown>;

/** A CommonJS module's `module.exports` (whatever it assigned), or an ES module's namespace. */
export type Loaded = { kind: 'cjs'; exports: unknown; file?: string } | { kind: 'esm'; ns: Namespace; file?: string };

type EsbuildApi = typeof import('esbuild');

export class ModuleLoader {
  private cjsNs = new WeakMap<object, Namespace>();
  private local = new Map<string, { stamps: Array<[string, number]>; ns: Namespace }>();
  private inflight = new Map<string, Promise<Namespace>>();

  constructor(
    /** the notebook's folder; changes when an untitled notebook is saved under a name */
    public baseDir: string,
    private readonly builtins: Record<string, Namespace>,
    private readonly esbuild: () => EsbuildApi,
  ) {}

  /** What `import … from spec` / `import(spec)` gives a cell: a namespace object. */
  async import(spec: string, fromDir = this.baseDir): Promise<Namespace> {
    if (typeof spec !== 'string') spec = String(spec);
    return this.namespace(await this.load(spec, fromDir));
  }

  namespace(l: Loaded): Namespace {
    if (l.kind === 'esm') return l.ns;
    return this.cjsNamespace(l.exports);
  }

  /** CommonJS interop as TypeScript's esModuleInterop and bundlers do it. */
  cjsNamespace(exp: unknown): Namespace {
    if ((typeof exp !== 'object' && typeof exp !== 'function') || exp === null) return { default: exp };
    let ns = this.cjsNs.get(exp);
    if (!ns) {
      const fields = exp as Namespace;
      ns = {};
      for (const k of Object.keys(fields)) {
        try {
          ns[k] = fields[k];
        } catch {
          /* throwing getter */
        }
      }
      ns.default = fields.__esModule && 'default' in fields ? fields.default : exp;
      this.cjsNs.set(exp, ns);
    }
    return ns;
  }

  async load(spec: string, fromDir: string): Promise<Loaded> {
    if (spec.startsWith('file:')) spec = fileURLToPath(spec);
    if (Object.prototype.hasOwnProperty.call(this.builtins, spec)) return { kind: 'esm', ns: this.builtins[spec] };
    if (spec.startsWith('node:') || isBuiltin(spec))
      return { kind: 'cjs', exports: createRequire(path.join(fromDir, '_'))(spec) };
    if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || path.isAbsolute(spec)) {
      const abs = path.resolve(fromDir, spec);
      const file = resolveFile(abs) ?? resolveFile(path.join(abs, 'index'));
      if (!file) throw moduleNotFound(spec, fromDir, `no file ${abs} (tried the extensions ${EXTENSIONS.join(' ')})`);
      return this.loadFile(file);
    }
    const file = resolvePackage(spec, fromDir);
    return this.loadFile(file);
  }

  private async loadFile(file: string): Promise<Loaded> {
    const ext = path.extname(file);
    if (ext === '.json') return { kind: 'cjs', exports: JSON.parse(fs.readFileSync(file, 'utf8')), file };
    const inNodeModules = file.split(path.sep).includes('node_modules');
    if (ext === '.mjs' || (inNodeModules && ext === '.js' && packageType(file) === 'module')) {
      return { kind: 'esm', ns: await import(pathToFileURL(file).href), file };
    }
    if (ext === '.cjs' || ext === '.node' || (inNodeModules && (ext === '.js' || ext === ''))) {
      return { kind: 'cjs', exports: createRequire(file)(file), file };
    }
    // the notebook's own files (.ts, .tsx, .js, …): bundled with esbuild, re-imported when changed
    return { kind: 'esm', ns: await this.loadLocal(file), file };
  }

  private async loadLocal(file: string): Promise<Namespace> {
    const cached = this.local.get(file);
    if (cached && cached.stamps.every(([f, t]) => mtime(f) === t)) return cached.ns;
    let p = this.inflight.get(file);
    if (!p) {
      p = this.compileLocal(file).finally(() => this.inflight.delete(file));
      this.inflight.set(file, p);
    }
    return p;
  }

  private async compileLocal(file: string): Promise<Namespace> {
    const esbuild = this.esbuild();
    const dir = path.dirname(file);
    const outfile = path.join(dir, '__mktnb_bundle__.js');
    const result = await esbuild
      .build({
        entryPoints: [file],
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        write: false,
        sourcemap: 'external',
        metafile: true,
        outfile,
        absWorkingDir: dir,
        logLevel: 'silent',
      })
      .catch((e: unknown) => {
        // esbuild rejects with a BuildFailure (an Error with the messages); anything else has a message at most
        const failure = e as Partial<BuildFailure> | null | undefined;
        const first = failure?.errors?.[0];
        const where = first?.location
          ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: `
          : '';
        const err = new SyntaxError(`${where}${first?.text ?? failure?.message}`);
        throw err;
      });
    const js = result.outputFiles!.find((o) => o.path.endsWith('.js'))!.text;
    const mapText = result.outputFiles!.find((o) => o.path.endsWith('.map'))?.text;
    const inputs = Object.keys(result.metafile!.inputs).map((f) => path.resolve(dir, f));
    // preload the externals (packages, built-ins) with the same machinery as cells use
    const externals = new Set<string>();
    for (const inp of Object.values(result.metafile!.inputs))
      for (const im of inp.imports) if (im.external) externals.add(im.path);
    const preloaded = new Map<string, unknown>();
    for (const spec of externals) {
      try {
        const l = await this.load(spec, dir);
        preloaded.set(spec, l.kind === 'cjs' ? l.exports : { ...l.ns, __esModule: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException | null | undefined)?.code;
        if (!(typeof code === 'string' && code.startsWith('MODULE_NOT_FOUND')) && code !== 'ERR_MODULE_NOT_FOUND')
          throw e;
        // a require() inside a try block may name an optional package: leave it to require()
      }
    }
    const nodeRequire = createRequire(file);
    const req = Object.assign((s: string) => (preloaded.has(s) ? preloaded.get(s) : nodeRequire(s)), nodeRequire);
    const filename = `${file}`;
    // loops of the notebook's own files stop on interrupt too (packages are left as they are)
    const WRAP = '(function (exports, require, module, __filename, __dirname) {';
    const inst = instrumentLoops(js);
    const code = inst?.code ?? js;
    if (mapText) {
      const map = new TraceMap(mapText);
      let outStarts: number[] | undefined, jsStarts: number[] | undefined;
      registerScript(filename, {
        label: (line1, column1) => {
          outStarts ??= lineStarts(code);
          jsStarts ??= lineStarts(js);
          let off = (outStarts[line1 - 1] ?? 0) + column1 - 1 - (line1 === 1 ? WRAP.length : 0);
          if (inst) off = inst.toInput(off);
          const { line, column } = offsetToLineCol(jsStarts, off);
          const o = originalPositionFor(map, { line, column });
          if (o.line == null || !o.source) return null;
          const src = path.resolve(dir, o.source);
          const rel = path.relative(this.baseDir, src);
          return { label: rel.startsWith('..') ? src : rel, line: o.line, column: o.column + 1 };
        },
      });
    }
    const fn = vm.runInThisContext(`${WRAP}${code}\n})`, { filename });
    const mod: { exports: unknown } = { exports: {} };
    fn(mod.exports, req, mod, file, dir);
    // what the bundle left in module.exports (esbuild's CommonJS output: an object of its exports)
    const exp = mod.exports as Namespace;
    const ns: Namespace = {};
    for (const k of Object.keys(exp)) ns[k] = exp[k];
    if (!('default' in ns)) ns.default = exp;
    this.local.set(file, { stamps: inputs.map((f) => [f, mtime(f)]), ns });
    return ns;
  }
}

function mtime(f: string): number {
  try {
    return fs.statSync(f).mtimeMs;
  } catch {
    return -1;
  }
}
