/**
 * Where an `import` of a cell or of a notebook's file leads, resolved as Node does: relative files
 * (with the TypeScript conventions: no extension, './x.js' for x.ts) and packages from node_modules
 * folders from a folder upwards, through their "exports" (conditions import, node, default; then
 * require) or "main". loader.ts loads what these find.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

export const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx', '.json'];
const ESM_CONDITIONS = ['import', 'node', 'module-sync', 'default'];
const CJS_CONDITIONS = ['require', 'node', 'default'];

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}

export function resolveFile(abs: string): string | undefined {
  if (isFile(abs)) return abs;
  for (const e of EXTENSIONS) if (isFile(abs + e)) return abs + e;
  // import './x.js' written for a TypeScript file x.ts (the TS convention)
  const m = /\.(m|c)?js$/.exec(abs);
  if (m)
    for (const e of m[1] ? [`.${m[1]}ts`] : ['.ts', '.tsx'])
      if (isFile(abs.slice(0, -m[0].length) + e)) return abs.slice(0, -m[0].length) + e;
  return undefined;
}

export function moduleNotFound(spec: string, fromDir: string, detail: string): Error {
  return Object.assign(new Error(`Cannot find module '${spec}' from ${fromDir}: ${detail}`), {
    code: 'MODULE_NOT_FOUND',
  });
}

/** "type" of the nearest package.json above a file. */
export function packageType(file: string): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (isFile(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, 'utf8')).type;
      } catch {
        return undefined;
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Resolves a bare specifier from a folder as Node's ESM resolver would (conditions import, node, default). */
export function resolvePackage(spec: string, fromDir: string): string {
  const m = /^((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(spec);
  if (!m) throw moduleNotFound(spec, fromDir, 'not a package name');
  const [, name, sub] = m;
  const subpath = sub ? `.${sub}` : '.';
  let dir = fromDir;
  for (;;) {
    const pkgDir = path.join(dir, 'node_modules', name);
    const pj = path.join(pkgDir, 'package.json');
    if (isFile(pj)) {
      const pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
      if (pkg.exports !== undefined && pkg.exports !== null) {
        const target =
          resolveExports(pkg.exports, subpath, ESM_CONDITIONS) ?? resolveExports(pkg.exports, subpath, CJS_CONDITIONS);
        if (!target)
          throw Object.assign(new Error(`Package subpath '${subpath}' is not defined by "exports" in ${pj}`), {
            code: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
          });
        const f = path.join(pkgDir, target);
        if (!isFile(f)) throw moduleNotFound(spec, fromDir, `${f} (from "exports" of ${pj}) does not exist`);
        return f;
      }
      if (subpath === '.') {
        const main = pkg.main
          ? (resolveFile(path.join(pkgDir, pkg.main)) ?? resolveFile(path.join(pkgDir, pkg.main, 'index')))
          : undefined;
        const f = main ?? resolveFile(path.join(pkgDir, 'index'));
        if (!f) throw moduleNotFound(spec, fromDir, `${pkgDir} has no main file`);
        return f;
      }
      const f = resolveFile(path.join(pkgDir, subpath)) ?? resolveFile(path.join(pkgDir, subpath, 'index'));
      if (!f) throw moduleNotFound(spec, fromDir, `no ${subpath} in ${pkgDir}`);
      return f;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // NODE_PATH, global folders: let Node's CommonJS resolver try
  try {
    return createRequire(path.join(fromDir, '_')).resolve(spec);
  } catch {
    throw moduleNotFound(
      spec,
      fromDir,
      `no node_modules/${name} in ${fromDir} or any folder above it (install it next to the notebook or in the workspace)`,
    );
  }
}

/** The "exports" field resolution of the Node.js docs (subpaths, patterns, nested conditions). */
export function resolveExports(exports: unknown, subpath: string, conditions: string[]): string | null {
  const isSubpathMap =
    typeof exports === 'object' &&
    exports !== null &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((k) => k.startsWith('.'));
  const map = isSubpathMap ? (exports as Record<string, unknown>) : { '.': exports };
  if (Object.prototype.hasOwnProperty.call(map, subpath) && !subpath.includes('*'))
    return target(map[subpath], '', conditions);
  let best: string | null = null;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const pre = key.slice(0, star),
      post = key.slice(star + 1);
    if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= key.length - 1) {
      if (!best || pre.length > best.indexOf('*')) best = key;
    }
  }
  if (best) {
    const star = best.indexOf('*');
    const match = subpath.slice(star, subpath.length - (best.length - star - 1));
    return target(map[best], match, conditions);
  }
  return null;
}

/** A target of "exports": a path (a pattern's `*` replaced by `match`), a list of fallbacks, or conditions to targets. */
function target(t: unknown, match: string, conditions: string[]): string | null {
  if (typeof t === 'string') return t.replace(/\*/g, match);
  if (Array.isArray(t)) {
    for (const x of t as unknown[]) {
      const r = target(x, match, conditions);
      if (r) return r;
    }
    return null;
  }
  if (t && typeof t === 'object') {
    const byCondition = t as Record<string, unknown>;
    for (const k of Object.keys(byCondition))
      if (conditions.includes(k)) {
        const r = target(byCondition[k], match, conditions);
        if (r) return r;
      }
  }
  return null;
}
