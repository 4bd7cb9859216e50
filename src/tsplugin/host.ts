/**
 * The cells' side of the plugin: the language service host of a project that holds cells of a
 * .mktnb notebook, patched so that every cell is its own text plus a footer (cells.ts) after its
 * last character, and the positions that fall in that footer are known.
 *
 *  - getScriptFileNames: adds types/globals.d.ts (generated at build time from src/market/index.ts:
 *    every runtime export of the library as a global, plus `display`), while the project holds a cell;
 *  - resolveModuleNameLiterals: 'mktnb' and 'mktnb-cell:<fragment>' in a cell (resolve.ts);
 *  - getScriptSnapshot/getScriptVersion: a cell's text + its footer, versioned by both;
 *  - getProjectVersion: also changes when a sibling cell open in another project changes.
 *
 * The returned CellView is what the language-service wrapper (service.ts, hover.ts) asks: is this
 * a cell, where does its user's text end, what does its footer import.
 */
import * as path from 'node:path';
import {
  LIBRARY_MODULE,
  footerFor,
  hash,
  orderCells,
  parseCellFileName,
  topLevelNames,
  type CellRef,
  type NotebookCell,
  type TopLevel,
} from './cells';
import { shared } from './state';
import { patchModuleResolution } from './resolve';
import type { IScriptSnapshot, PluginCreateInfo, ScriptKind, TS } from './tsapi';

export interface Footer {
  text: string;
  /** name -> file name of the cell it is imported from */
  imported: Map<string, string>;
  /** every name another cell of the notebook declares */
  otherNames: Set<string>;
}

export interface CellView {
  /** false in tsserver's syntax-only server: there, nothing is appended (no program across files) */
  semantic: boolean;
  /** where the generated declarations are (posix separators) */
  typesDir: string;
  globalsFile: string;
  log(msg: string): void;
  isCell(fileName: string | undefined): boolean;
  /** The footer of a cell, undefined for any other file (memoised per project version). */
  footerOf(fileName: string): Footer | undefined;
  /** length of the user's text of a cell (positions from there on are the footer's) */
  userLength(fileName: string): number;
  inFooter(fileName: string | undefined, start: number | undefined): boolean;
  /** the user's text of a cell between start and start + length */
  userText(fileName: string, start: number, length: number): string;
  readFile(fileName: string): string | undefined;
  /** the script kind tsserver opened the file with (VS Code sends TS for TypeScript cells) */
  scriptKind(fileName: string): ScriptKind | undefined;
}

export const toPosix = (p: string): string => p.split(path.sep).join('/');

export function patchHost(ts: TS, info: PluginCreateInfo): CellView {
  const host = info.languageServiceHost;
  const logger = info.project?.projectService?.logger;
  const log = (msg: string): void => logger?.info?.(`[mktnb] ${msg}`);
  // tsserver runs a syntax-only server next to the semantic one: it gets the plugin too, but
  // there (no program across files) the footer would only show up in outlines and folding
  const serverMode = info.project?.projectService?.serverMode;
  const semantic = serverMode === undefined || serverMode === (ts.LanguageServiceMode?.Semantic ?? 0);

  const typesDir = toPosix(shared.typesDir ?? path.join(__dirname, 'types'));
  const globalsFile = `${typesDir}/globals.d.ts`;
  const libraryEntry = `${typesDir}/market/index.d.ts`;
  log(`started (${semantic ? 'semantic' : 'syntax'} server), types in ${typesDir}`);
  const readFile = (f: string): string | undefined => (host.readFile ? host.readFile(f) : ts.sys.readFile(f));

  const orig = {
    getScriptFileNames: host.getScriptFileNames.bind(host),
    getScriptVersion: host.getScriptVersion.bind(host),
    getScriptSnapshot: host.getScriptSnapshot.bind(host),
  };

  // --- cells and their footers -----------------------------------------------------------------
  const topCache = new Map<string, { version: string; top: TopLevel }>();
  const topOf = (fileName: string): TopLevel => {
    const version = orig.getScriptVersion(fileName);
    const hit = topCache.get(fileName);
    if (hit && hit.version === version) return hit.top;
    const snap = orig.getScriptSnapshot(fileName);
    const kind = host.getScriptKind?.(fileName);
    const top = topLevelNames(
      ts,
      snap ? snap.getText(0, snap.getLength()) : '',
      kind === ts.ScriptKind.Unknown ? undefined : kind,
    );
    topCache.set(fileName, { version, top });
    return top;
  };

  let memoKey: string | undefined;
  let memo = new Map<string, Footer | undefined>();

  // Cells of an untitled notebook: VS Code gives them no project root (the notebook is in no
  // folder), and tsserver then puts every such dynamic file into an inferred project of its own
  // (it reuses only *orphan* inferred projects). A cell's project then holds that cell alone, so
  // its siblings are looked up among the files open in tsserver, and a change among them (a cell
  // opened, closed or edited) changes this project's version, so its program is rebuilt.
  const service = info.project?.projectService;
  const openCells = (): Array<{ fileName: string; version: string }> => {
    const out: Array<{ fileName: string; version: string }> = [];
    if (!service?.openFiles?.keys || typeof service.getScriptInfoForPath !== 'function') return out;
    for (const p of service.openFiles.keys()) {
      const si = service.getScriptInfoForPath(p);
      const f: unknown = si?.fileName;
      if (si && typeof f === 'string' && parseCellFileName(f))
        out.push({ fileName: f, version: String(si.getLatestVersion?.() ?? '') });
    }
    return out;
  };
  const origProjectVersion =
    typeof host.getProjectVersion === 'function' ? host.getProjectVersion.bind(host) : undefined;
  const siblingsKey = (): string => {
    const own = orig
      .getScriptFileNames()
      .map(parseCellFileName)
      .filter((r): r is CellRef => !!r);
    if (!own.length) return '';
    const notebooks = new Set(own.map((r) => r.notebook));
    const mine = new Set(own.map((r) => r.fileName));
    const parts = openCells()
      .filter((c) => !mine.has(c.fileName) && notebooks.has(parseCellFileName(c.fileName)!.notebook))
      .map((c) => `${c.fileName}@${c.version}`);
    return parts.length ? hash(parts.sort().join('|')) : '';
  };
  if (semantic && origProjectVersion && service) {
    host.getProjectVersion = () => {
      const v = String(origProjectVersion());
      try {
        const k = siblingsKey();
        return k ? `${v}+cells${k}` : v;
      } catch {
        return v;
      }
    };
  }
  const projectVersion = () =>
    typeof host.getProjectVersion === 'function' ? String(host.getProjectVersion()) : undefined;

  const cellsOf = (ref: CellRef): NotebookCell[] => {
    const refs: CellRef[] = [];
    const seen = new Set<string>();
    for (const f of [...orig.getScriptFileNames(), ...openCells().map((c) => c.fileName)]) {
      const r = parseCellFileName(f);
      if (r && r.notebook === ref.notebook && !seen.has(r.fileName)) {
        seen.add(r.fileName);
        refs.push(r);
      }
    }
    if (!refs.some((r) => r.fileName === ref.fileName)) refs.push(ref);
    return orderCells(
      refs.map((r) => ({ ref: r, top: topOf(r.fileName) })),
      shared.cellOrder.get(ref.notebook),
    );
  };

  const computeFooter = (fileName: string): Footer | undefined => {
    const ref = parseCellFileName(fileName);
    if (!ref) return undefined;
    const cells = cellsOf(ref);
    const i = cells.findIndex((c) => c.ref.fileName === ref.fileName);
    if (i < 0) return undefined;
    const footer = footerFor(cells, i);
    const imported = footer.imported;
    let text = footer.text;
    const otherNames = new Set<string>();
    cells.forEach((c, k) => {
      if (k !== i) for (const n of c.top.names) otherNames.add(n);
    });
    // names bound by SQL cells (`-- as NAME`) that no TypeScript cell declares: Frames
    const sql = [...new Set(shared.sqlNames.get(ref.notebook) ?? [])].filter(
      (n) => !otherNames.has(n) && !cells[i].top.names.includes(n),
    );
    if (sql.length)
      text += `declare const ${sql.map((n) => `${n}: import(${JSON.stringify(LIBRARY_MODULE)}).Frame`).join(', ')};\n`;
    return { text, imported, otherNames };
  };

  const footerOf = (fileName: string): Footer | undefined => {
    if (!parseCellFileName(fileName)) return undefined;
    const pv = projectVersion();
    if (pv === undefined || pv !== memoKey) {
      memo = new Map();
      memoKey = pv;
    }
    if (pv !== undefined && memo.has(fileName)) return memo.get(fileName);
    let f: Footer | undefined;
    try {
      f = computeFooter(fileName);
    } catch (e) {
      log(`footer of ${fileName} failed: ${(e as Error)?.stack ?? e}`);
    }
    if (pv !== undefined) memo.set(fileName, f);
    return f;
  };

  const isCell = (fileName: string | undefined) => !!fileName && !!parseCellFileName(fileName);
  const userLength = (fileName: string): number => orig.getScriptSnapshot(fileName)?.getLength() ?? Infinity;
  const inFooter = (fileName: string | undefined, start: number | undefined) =>
    semantic && !!fileName && start !== undefined && isCell(fileName) && start >= userLength(fileName);
  const userText = (fileName: string, start: number, length: number) => {
    const s = orig.getScriptSnapshot(fileName);
    return s ? s.getText(start, Math.min(start + length, s.getLength())) : '';
  };

  // --- the host ----------------------------------------------------------------------------------
  if (semantic) {
    host.getScriptFileNames = () => {
      const names = orig.getScriptFileNames();
      return names.some(isCell) && !names.includes(globalsFile) ? [...names, globalsFile] : names;
    };
    host.getScriptVersion = (fileName: string) => {
      const v = orig.getScriptVersion(fileName);
      const f = footerOf(fileName);
      return f ? `${v}+mktnb${hash(f.text)}` : v;
    };
    const snapCache = new Map<string, { version: string; snap: IScriptSnapshot }>();
    host.getScriptSnapshot = (fileName: string) => {
      const s = orig.getScriptSnapshot(fileName);
      const f = s && footerOf(fileName);
      if (!s || !f) return s;
      const version = `${orig.getScriptVersion(fileName)}+${hash(f.text)}`;
      const hit = snapCache.get(fileName);
      if (hit && hit.version === version) return hit.snap;
      // a fresh snapshot has no change range to the previous one: the cell is parsed again (small)
      const snap = ts.ScriptSnapshot.fromString(s.getText(0, s.getLength()) + f.text);
      snapCache.set(fileName, { version, snap });
      return snap;
    };
  }

  patchModuleResolution(ts, host, libraryEntry, readFile);

  const scriptKind = (fileName: string) => host.getScriptKind?.(fileName);
  return {
    semantic,
    typesDir,
    globalsFile,
    log,
    isCell,
    footerOf,
    userLength,
    inFooter,
    userText,
    readFile,
    scriptKind,
  };
}
