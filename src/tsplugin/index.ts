/**
 * mktnb-tsserver-plugin: IntelliSense for the TypeScript cells of Market Notebooks (.mktnb).
 *
 * VS Code's TypeScript extension checks every notebook cell as a file of its own, so on its own
 * a cell knows neither the library's globals (load, plot, display, …), nor `import … from 'mktnb'`,
 * nor the names earlier cells declared. This plugin, loaded by VS Code's tsserver through the
 * extension's `contributes.typescriptServerPlugins`, patches the language service host of every
 * project that holds cells of a .mktnb notebook:
 *
 *  - getScriptFileNames: adds types/globals.d.ts (generated at build time from
 *    src/market/index.ts: every runtime export of the library as a global, plus `display`);
 *  - resolveModuleNameLiterals: 'mktnb' in a cell resolves to types/market/index.d.ts (declarations
 *    emitted by tsc from src/market), 'mktnb-cell:<fragment>' to a sibling cell;
 *  - getScriptSnapshot/getScriptVersion: every cell gets a footer after its last character that
 *    exports the cell's own top-level names and imports those of the other cells (see cells.ts);
 *
 * and wraps the language service so that nothing of the footer reaches the editor: diagnostics,
 * navigation items, classifications, references, rename locations and edits inside the footer are
 * dropped, syntax errors come from the cell's text alone, and hovers of a name from another cell
 * do not show the synthetic import.
 *
 * Only files named ^/vscode-notebook-cell/…/<name>.mktnb#… are touched; other files of the same
 * project (loose .ts files) see no change but the added globals file, which is only added while
 * the project holds a notebook cell.
 */
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import {
  CELL_SPECIFIER_PREFIX, LIBRARY_MODULE, footerFor, hash, orderCells, parseCellFileName, topLevelNames,
  type CellRef, type NotebookCell, type TopLevel,
} from './cells';
import type { LanguageServiceHost, PluginCreateInfo, ScriptSnapshot, TS } from './tsapi';
import { CELL_DIAGNOSTICS_COMMAND, type CellDiagnostic, type CellDiagnosticsArgs, type CellDiagnosticsResponse } from '../shared/tsplugin-protocol';

/** Diagnostics that only say Node's types are missing: 2307/2792 cannot find module, 2580/2591 cannot find name (process, Buffer, require). */
const NODE_TYPES_CODES = new Set([2307, 2792, 2580, 2591]);
/** Node's built-in module names (the tsserver runs in Node), with or without the node: prefix. */
const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules);
const isNodeBuiltin = (spec: string): boolean => spec.startsWith('node:') || NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0]);

/** Settings the extension may send with the TS extension API's configurePlugin. */
export interface PluginConfiguration {
  /** notebook path (the cell URI's path) -> fragments of its code cells, in notebook order */
  cellOrder?: Record<string, string[]>;
  /** where the generated declarations are (default: ./types next to the plugin's index.js) */
  typesDir?: string;
  /** notebook path -> names its SQL cells bind (`-- as NAME`): declared as Frames in its cells */
  sqlNames?: Record<string, string[]>;
}

/** Shared by every project the plugin is created for (tsserver calls the factory per project). */
const shared = {
  cellOrder: new Map<string, string[]>(),
  sqlNames: new Map<string, string[]>(),
  typesDir: undefined as string | undefined,
  projects: new Set<any>(),
};

/** Diagnostics that name a binding another cell declares (kept only for names no cell declares). */
const NAME_CODES = new Set([
  2304, // Cannot find name 'x'.
  2552, // Cannot find name 'x'. Did you mean 'y'?
  2582, // Cannot find name 'x'. Do you need to install type definitions for a test runner?
  2451, // Cannot redeclare block-scoped variable 'x'.
  2300, // Duplicate identifier 'x'.
  2632, // Cannot assign to 'x' because it is an import.
]);

const toPosix = (p: string) => p.split(path.sep).join('/');

function init(modules: { typescript: TS }) {
  const ts = modules.typescript;
  return {
    create(info: PluginCreateInfo) {
      try {
        registerDiagnosticsHandler(ts, info);
        return createLanguageService(ts, info);
      } catch (e) {
        info.project?.projectService?.logger?.info?.(`[mktnb] plugin failed to start: ${(e as Error)?.stack ?? e}`);
        return info.languageService;
      }
    },
    onConfigurationChanged(config: PluginConfiguration) {
      configure(config);
      for (const p of shared.projects) {
        try { p.markAsDirty?.(); p.refreshDiagnostics?.(); } catch { /* project closed */ }
      }
    },
  };
}

const sessionsWithHandler = new WeakSet<object>();

/**
 * `_mktnb.cellDiagnostics` (src/shared/tsplugin-protocol.ts): the semantic diagnostics of one cell
 * from its project's language service (this plugin's wrapper), for the extension to show.
 * Registered once per tsserver session, and only in the semantic server.
 */
export function registerDiagnosticsHandler(ts: TS, info: PluginCreateInfo): void {
  const session = info.session;
  const service = info.project?.projectService;
  if (!session?.addProtocolHandler || !service || sessionsWithHandler.has(session)) return;
  const mode = service.serverMode;
  if (mode !== undefined && mode !== 0 && mode !== ts.LanguageServiceMode?.Semantic) return;
  sessionsWithHandler.add(session);
  const category = (c: number): CellDiagnostic['category'] =>
    c === ts.DiagnosticCategory.Error ? 'error' : c === ts.DiagnosticCategory.Warning ? 'warning' : c === ts.DiagnosticCategory.Suggestion ? 'suggestion' : 'message';
  session.addProtocolHandler(CELL_DIAGNOSTICS_COMMAND, (request: { arguments?: CellDiagnosticsArgs }) => {
    const answer = (body: CellDiagnosticsResponse) => ({ response: body, responseRequired: true });
    const file = request.arguments?.file;
    if (typeof file !== 'string' || !parseCellFileName(file)) return answer({ known: false, diagnostics: [] });
    const name = ts.server?.toNormalizedPath ? ts.server.toNormalizedPath(file) : file;
    const project = service.getDefaultProjectForFile?.(name, false);
    if (!project) return answer({ known: false, diagnostics: [] });
    const ls = project.getLanguageService();
    const sf = ls.getProgram?.()?.getSourceFile(name);
    if (!sf) return answer({ known: false, diagnostics: [] });
    const diagnostics: CellDiagnostic[] = [];
    for (const d of ls.getSemanticDiagnostics(name) as any[]) {
      if (d.start === undefined) continue;
      const a = ts.getLineAndCharacterOfPosition(sf, d.start);
      const b = ts.getLineAndCharacterOfPosition(sf, d.start + (d.length ?? 0));
      diagnostics.push({
        line: a.line, character: a.character, endLine: b.line, endCharacter: b.character,
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'), code: d.code, category: category(d.category),
        ...(d.reportsUnnecessary ? { unnecessary: true } : {}), ...(d.reportsDeprecated ? { deprecated: true } : {}),
      });
    }
    return answer({ known: true, diagnostics });
  });
}

function configure(config: PluginConfiguration | undefined) {
  if (!config) return;
  if (config.cellOrder) {
    shared.cellOrder.clear();
    for (const [nb, frags] of Object.entries(config.cellOrder)) if (Array.isArray(frags)) shared.cellOrder.set(nb, frags.map(String));
  }
  if (typeof config.typesDir === 'string') shared.typesDir = config.typesDir;
  if (config.sqlNames) {
    shared.sqlNames.clear();
    for (const [nb, names] of Object.entries(config.sqlNames)) if (Array.isArray(names)) shared.sqlNames.set(nb, names.map(String).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n)));
  }
}

interface Footer { text: string; imported: Map<string, string>; otherNames: Set<string> }

export function createLanguageService(ts: TS, info: PluginCreateInfo) {
  const host: LanguageServiceHost = info.languageServiceHost;
  const ls = info.languageService;
  const logger = info.project?.projectService?.logger;
  const log = (msg: string) => logger?.info?.(`[mktnb] ${msg}`);
  configure(info.config);
  // tsserver runs a syntax-only server next to the semantic one: it gets the plugin too, but
  // there (no program across files) the footer would only show up in outlines and folding
  const serverMode = info.project?.projectService?.serverMode;
  const semantic = serverMode === undefined || serverMode === ts.LanguageServiceMode?.Semantic || serverMode === 0;
  if (info.project) shared.projects.add(info.project);

  const typesDir = toPosix(shared.typesDir ?? path.join(__dirname, 'types'));
  const globalsFile = `${typesDir}/globals.d.ts`;
  const libraryEntry = `${typesDir}/market/index.d.ts`;
  log(`started (${semantic ? 'semantic' : 'syntax'} server), types in ${typesDir}`);

  const orig = {
    getScriptFileNames: host.getScriptFileNames.bind(host),
    getScriptVersion: host.getScriptVersion.bind(host),
    getScriptSnapshot: host.getScriptSnapshot.bind(host),
    resolveModuleNameLiterals: host.resolveModuleNameLiterals?.bind(host),
  };

  // --- cells and their footers -----------------------------------------------------------------
  const topCache = new Map<string, { version: string; top: TopLevel }>();
  const topOf = (fileName: string): TopLevel => {
    const version = orig.getScriptVersion(fileName);
    const hit = topCache.get(fileName);
    if (hit && hit.version === version) return hit.top;
    const snap = orig.getScriptSnapshot(fileName);
    const kind = host.getScriptKind?.(fileName);
    const top = topLevelNames(ts, snap ? snap.getText(0, snap.getLength()) : '', kind === ts.ScriptKind.Unknown ? undefined : kind);
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
      if (typeof f === 'string' && parseCellFileName(f)) out.push({ fileName: f, version: String(si.getLatestVersion?.() ?? '') });
    }
    return out;
  };
  const origProjectVersion = typeof host.getProjectVersion === 'function' ? host.getProjectVersion.bind(host) : undefined;
  const siblingsKey = (): string => {
    const own = orig.getScriptFileNames().map(parseCellFileName).filter((r): r is CellRef => !!r);
    if (!own.length) return '';
    const notebooks = new Set(own.map((r) => r.notebook));
    const mine = new Set(own.map((r) => r.fileName));
    const parts = openCells().filter((c) => !mine.has(c.fileName) && notebooks.has(parseCellFileName(c.fileName)!.notebook)).map((c) => `${c.fileName}@${c.version}`);
    return parts.length ? hash(parts.sort().join('|')) : '';
  };
  if (semantic && origProjectVersion && service) {
    host.getProjectVersion = () => {
      const v = String(origProjectVersion());
      try { const k = siblingsKey(); return k ? `${v}+cells${k}` : v; } catch { return v; }
    };
  }
  const projectVersion = () => (typeof host.getProjectVersion === 'function' ? String(host.getProjectVersion()) : undefined);

  const cellsOf = (ref: CellRef): NotebookCell[] => {
    const refs: CellRef[] = [];
    const seen = new Set<string>();
    for (const f of [...orig.getScriptFileNames(), ...openCells().map((c) => c.fileName)]) {
      const r = parseCellFileName(f);
      if (r && r.notebook === ref.notebook && !seen.has(r.fileName)) { seen.add(r.fileName); refs.push(r); }
    }
    if (!refs.some((r) => r.fileName === ref.fileName)) refs.push(ref);
    return orderCells(refs.map((r) => ({ ref: r, top: topOf(r.fileName) })), shared.cellOrder.get(ref.notebook));
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
    cells.forEach((c, k) => { if (k !== i) for (const n of c.top.names) otherNames.add(n); });
    // names bound by SQL cells (`-- as NAME`) that no TypeScript cell declares: Frames
    const sql = [...new Set(shared.sqlNames.get(ref.notebook) ?? [])].filter((n) => !otherNames.has(n) && !cells[i].top.names.includes(n));
    if (sql.length) text += `declare const ${sql.map((n) => `${n}: import(${JSON.stringify(LIBRARY_MODULE)}).Frame`).join(', ')};\n`;
    return { text, imported, otherNames };
  };

  /** The footer of a cell (memoised per project version: versions of the cells may not change otherwise). */
  const footerOf = (fileName: string): Footer | undefined => {
    if (!parseCellFileName(fileName)) return undefined;
    const pv = projectVersion();
    if (pv === undefined || pv !== memoKey) { memo = new Map(); memoKey = pv; }
    if (pv !== undefined && memo.has(fileName)) return memo.get(fileName);
    let f: Footer | undefined;
    try { f = computeFooter(fileName); } catch (e) { log(`footer of ${fileName} failed: ${(e as Error)?.stack ?? e}`); }
    if (pv !== undefined) memo.set(fileName, f);
    return f;
  };

  const isCell = (fileName: string | undefined) => !!fileName && !!parseCellFileName(fileName);
  /** length of the user's text of a cell (positions from there on are the footer's) */
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
    const snapCache = new Map<string, { version: string; snap: ScriptSnapshot }>();
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

  const fallbackResolve = (literals: readonly any[], containingFile: string, options: any) =>
    literals.map((lit) => ts.resolveModuleName(lit.text, containingFile, options, {
      fileExists: (f: string) => (host.fileExists ? host.fileExists(f) : ts.sys.fileExists(f)),
      readFile: (f: string) => (host.readFile ? host.readFile(f) : ts.sys.readFile(f)),
    }));

  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, options, containingSourceFile, reusedNames) => {
    const ref = parseCellFileName(containingFile);
    const resolveRest = (lits: readonly any[]) => (orig.resolveModuleNameLiterals
      ? orig.resolveModuleNameLiterals(lits, containingFile, redirectedReference, options, containingSourceFile, reusedNames)
      : fallbackResolve(lits, containingFile, options));
    if (!ref) return resolveRest(literals);
    const out: any[] = new Array(literals.length);
    const rest: any[] = [];
    const restIdx: number[] = [];
    literals.forEach((lit: any, i: number) => {
      const name: string = lit.text;
      if (name === LIBRARY_MODULE) {
        out[i] = { resolvedModule: { resolvedFileName: libraryEntry, extension: '.d.ts', isExternalLibraryImport: true, resolvedUsingTsExtension: false } };
      } else if (name.startsWith(CELL_SPECIFIER_PREFIX)) {
        out[i] = { resolvedModule: { resolvedFileName: ref.base + name.slice(CELL_SPECIFIER_PREFIX.length), extension: '.ts', isExternalLibraryImport: false, resolvedUsingTsExtension: false } };
      } else { rest.push(lit); restIdx.push(i); }
    });
    if (rest.length) resolveRest(rest).forEach((r: any, k: number) => { out[restIdx[k]] = r; });
    return out;
  };

  // --- the language service ----------------------------------------------------------------------
  const proxy: any = Object.create(null);
  for (const k of Object.keys(ls)) {
    const fn = ls[k];
    proxy[k] = typeof fn === 'function' ? (...args: any[]) => fn.apply(ls, args) : fn;
  }
  const guard = <T>(what: string, run: () => T, fallback: () => T): T => {
    try { return run(); } catch (e) { log(`${what} failed: ${(e as Error)?.stack ?? e}`); return fallback(); }
  };

  const keepDiagnostic = (fileName: string, d: any): boolean => {
    if (!isCell(fileName)) return true;
    if (inFooter(fileName, d.start)) return false;
    // cells run in Node (the kernel): its built-in modules and globals exist there even when the
    // workspace has no @types/node, so "cannot find module 'node:fs'" / "name 'process'" is not an error
    if (NODE_TYPES_CODES.has(d.code) && d.start !== undefined) {
      const text = userText(fileName, d.start, d.length ?? 0).replace(/^['"`]|['"`]$/g, '');
      if (d.code === 2307 || d.code === 2792 ? isNodeBuiltin(text) : true) return false;
    }
    if (NAME_CODES.has(d.code) && d.start !== undefined) {
      const f = footerOf(fileName);
      const name = userText(fileName, d.start, d.length ?? 0);
      if (f && (f.otherNames.has(name) || (d.code === 2632 && f.imported.has(name)))) return false;
    }
    return true;
  };

  proxy.getSemanticDiagnostics = (fileName: string) => {
    const all = ls.getSemanticDiagnostics(fileName);
    return guard('getSemanticDiagnostics', () => all.filter((d: any) => keepDiagnostic(fileName, d)), () => all);
  };
  proxy.getSuggestionDiagnostics = (fileName: string) => {
    const all = ls.getSuggestionDiagnostics(fileName);
    return guard('getSuggestionDiagnostics', () => all.filter((d: any) => !inFooter(fileName, d.start)), () => all);
  };
  proxy.getSyntacticDiagnostics = (fileName: string) => {
    const all = () => ls.getSyntacticDiagnostics(fileName);
    if (!semantic || !isCell(fileName)) return all();
    return guard('getSyntacticDiagnostics', () => {
      const kind = host.getScriptKind?.(fileName);
      if (kind !== undefined && kind !== ts.ScriptKind.TS && kind !== ts.ScriptKind.TSX && kind !== ts.ScriptKind.Unknown) {
        return all().filter((d: any) => !inFooter(fileName, d.start));
      }
      // the errors of the cell's own text: the footer cannot move or hide them (`r.` at the end
      // of a cell must report "Identifier expected" where the user typed it)
      const snap = orig.getScriptSnapshot(fileName);
      const sf = ts.createSourceFile(fileName, snap ? snap.getText(0, snap.getLength()) : '', ts.ScriptTarget.Latest, false, kind === ts.ScriptKind.TSX ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
      return sf.parseDiagnostics ?? all().filter((d: any) => !inFooter(fileName, d.start));
    }, all);
  };

  const keepSpan = (fileName: string | undefined, span: { start: number } | undefined) => !span || !inFooter(fileName, span.start);
  const filterLocations = (what: string, list: any[] | undefined) =>
    list && guard(what, () => list.filter((d) => keepSpan(d.fileName, d.textSpan)), () => list);

  for (const k of ['getDefinitionAtPosition', 'getTypeDefinitionAtPosition', 'getImplementationAtPosition', 'getReferencesAtPosition'] as const) {
    if (typeof ls[k] === 'function') proxy[k] = (...args: any[]) => filterLocations(k, ls[k](...args));
  }
  if (ls.getDefinitionAndBoundSpan) {
    proxy.getDefinitionAndBoundSpan = (...args: any[]) => {
      const r = ls.getDefinitionAndBoundSpan(...args);
      return r && { ...r, definitions: filterLocations('getDefinitionAndBoundSpan', r.definitions) };
    };
  }
  proxy.findReferences = (...args: any[]) => {
    const r = ls.findReferences(...args);
    return r && guard('findReferences', () => r
      .map((s: any) => ({ ...s, references: s.references.filter((x: any) => keepSpan(x.fileName, x.textSpan)) }))
      .filter((s: any) => s.references.length > 0), () => r);
  };
  proxy.findRenameLocations = (fileName: string, position: number, findInStrings: boolean, findInComments: boolean, preferences?: any) => {
    // in a cell, rename the declaration and every use across cells (not `import { x as y }` in a footer)
    let prefs = preferences;
    if (isCell(fileName)) prefs = typeof preferences === 'object' && preferences ? { ...preferences, providePrefixAndSuffixTextForRename: false } : false;
    return filterLocations('findRenameLocations', ls.findRenameLocations(fileName, position, findInStrings, findInComments, prefs));
  };
  proxy.getDocumentHighlights = (...args: any[]) => {
    const r = ls.getDocumentHighlights(...args);
    return r && guard('getDocumentHighlights', () => r.map((h: any) => ({ ...h, highlightSpans: h.highlightSpans.filter((s: any) => keepSpan(h.fileName, s.textSpan)) })), () => r);
  };

  const pruneTree = (fileName: string, node: any): any => {
    if (!node.childItems) return node;
    const childItems = node.childItems.filter((c: any) => !c.spans?.length || !inFooter(fileName, c.spans[0].start)).map((c: any) => pruneTree(fileName, c));
    return { ...node, childItems };
  };
  proxy.getNavigationTree = (fileName: string) => {
    const t = ls.getNavigationTree(fileName);
    return isCell(fileName) ? guard('getNavigationTree', () => pruneTree(fileName, t), () => t) : t;
  };
  proxy.getNavigationBarItems = (fileName: string) => {
    const items = ls.getNavigationBarItems(fileName);
    if (!isCell(fileName)) return items;
    return guard('getNavigationBarItems', () => items
      .filter((i: any) => !i.spans?.length || !inFooter(fileName, i.spans[0].start))
      .map((i: any) => ({ ...i, childItems: (i.childItems ?? []).filter((c: any) => !c.spans?.length || !inFooter(fileName, c.spans[0].start)) })), () => items);
  };
  proxy.getOutliningSpans = (fileName: string) => {
    const spans = ls.getOutliningSpans(fileName);
    return isCell(fileName) ? spans.filter((s: any) => keepSpan(fileName, s.textSpan)) : spans;
  };
  const filterClassifications = (fileName: string, r: any) => {
    if (!r || !isCell(fileName) || !semantic) return r;
    const len = userLength(fileName);
    const spans: number[] = [];
    for (let i = 0; i + 2 < r.spans.length; i += 3) if (r.spans[i] < len) spans.push(r.spans[i], r.spans[i + 1], r.spans[i + 2]);
    return { ...r, spans };
  };
  proxy.getEncodedSemanticClassifications = (fileName: string, ...rest: any[]) => filterClassifications(fileName, ls.getEncodedSemanticClassifications(fileName, ...rest));
  proxy.getEncodedSyntacticClassifications = (fileName: string, ...rest: any[]) => filterClassifications(fileName, ls.getEncodedSyntacticClassifications(fileName, ...rest));
  if (ls.provideInlayHints) {
    proxy.provideInlayHints = (fileName: string, ...rest: any[]) => {
      const hints = ls.provideInlayHints(fileName, ...rest);
      return isCell(fileName) ? hints.filter((h: any) => !inFooter(fileName, h.position)) : hints;
    };
  }

  // edits: nothing may be written into a footer (organize imports, fixes, refactors, formatting)
  const filterChanges = (changes: any[] | undefined) => changes && changes.map((fc: any) => (isCell(fc.fileName)
    ? { ...fc, textChanges: fc.textChanges.filter((t: any) => !inFooter(fc.fileName, t.span.start + t.span.length - (t.span.length ? 1 : 0)) && !inFooter(fc.fileName, t.span.start)) }
    : fc));
  proxy.organizeImports = (...args: any[]) => filterChanges(ls.organizeImports(...args));
  proxy.getCodeFixesAtPosition = (...args: any[]) => ls.getCodeFixesAtPosition(...args).map((f: any) => ({ ...f, changes: filterChanges(f.changes) }));
  proxy.getCombinedCodeFix = (...args: any[]) => { const r = ls.getCombinedCodeFix(...args); return r && { ...r, changes: filterChanges(r.changes) }; };
  proxy.getEditsForRefactor = (...args: any[]) => { const r = ls.getEditsForRefactor(...args); return r && { ...r, edits: filterChanges(r.edits) }; };
  for (const k of ['getFormattingEditsForDocument', 'getFormattingEditsForRange', 'getFormattingEditsAfterKeystroke'] as const) {
    proxy[k] = (fileName: string, ...rest: any[]) => {
      const edits = ls[k](fileName, ...rest);
      return isCell(fileName) ? edits.filter((t: any) => !inFooter(fileName, t.span.start)) : edits;
    };
  }

  // hover of a name from another cell or of a library global: what the hover at its declaration
  // shows (`const btc: Loaded`, `function load(…)` and its docs), not `(alias) … import btc`
  const globalNames = readGlobalNames(globalsFile, (f) => (host.readFile ? host.readFile(f) : ts.sys.readFile(f)));
  proxy.getQuickInfoAtPosition = (fileName: string, position: number, ...rest: any[]) => {
    const qi = ls.getQuickInfoAtPosition(fileName, position, ...rest);
    if (!qi || qi.kind !== 'alias' || !isCell(fileName)) return qi;
    return guard('getQuickInfoAtPosition', () => {
      const f = footerOf(fileName);
      const name = userText(fileName, qi.textSpan.start, qi.textSpan.length);
      if (!f?.imported.has(name) && !globalNames.has(name)) return qi;
      const def = proxy.getDefinitionAtPosition(fileName, position)?.[0];
      const atDef = def && ls.getQuickInfoAtPosition(def.fileName, def.textSpan.start, ...rest);
      if (atDef && atDef.kind !== 'alias') return { ...atDef, textSpan: qi.textSpan };
      return { ...qi, displayParts: stripAlias(qi.displayParts ?? []) };
    }, () => qi);
  };

  // completions: every cell is a module (its footer exports its names), so tsserver's auto-imports
  // would offer the names of every open notebook's cells "from" those cells (`btcPeak` of a
  // sample in a new notebook), and library internals from the generated declarations. A
  // notebook's own names come through its footer and the library's as globals, so in a cell
  // auto-imports from cells and from the declarations are dropped (those from packages stay).
  const autoImportFrom = (e: any): string | undefined => e.data?.fileName ?? (typeof e.source === 'string' ? e.source : undefined);
  const strayAutoImport = (e: any): boolean => {
    if (!e.hasAction && !e.data) return false;
    const from = autoImportFrom(e);
    if (!from) return false;
    return !!parseCellFileName(from) || /\.mktnb#/i.test(from) || toPosix(from).startsWith(typesDir) || from.includes('/types/market/');
  };
  proxy.getCompletionsAtPosition = (fileName: string, ...rest: any[]) => {
    const r = ls.getCompletionsAtPosition(fileName, ...rest);
    if (!r || !isCell(fileName)) return r;
    return guard('getCompletionsAtPosition', () => ({ ...r, entries: r.entries.filter((e: any) => !strayAutoImport(e)) }), () => r);
  };

  // completion details of such names: `function load(…)`, not `(alias) function load(…)\nimport load = load`
  proxy.getCompletionEntryDetails = (fileName: string, position: number, entryName: string, ...rest: any[]) => {
    const d = ls.getCompletionEntryDetails(fileName, position, entryName, ...rest);
    if (!d || d.kind !== 'alias' || !isCell(fileName)) return d;
    return guard('getCompletionEntryDetails', () => {
      const f = footerOf(fileName);
      if (!f?.imported.has(entryName) && !globalNames.has(entryName)) return d;
      return { ...d, displayParts: stripAlias(d.displayParts ?? []) };
    }, () => d);
  };

  log('language service wrapped');
  return proxy;
}

/** The namespace import of the library in the generated globals.d.ts (see scripts/build-tsplugin.mjs). */
export const GLOBALS_NAMESPACE = '__mktnb';

/** The names globals.d.ts declares (`export import load = __mktnb.load;`). */
function readGlobalNames(file: string, read: (f: string) => string | undefined): Set<string> {
  const text = read(file) ?? '';
  return new Set([...text.matchAll(/export import ([\w$]+) =/g)].map((m) => m[1]).concat(text.includes('const display') ? ['display'] : []));
}

/** `(alias) let x: T` + lineBreak + `import x` (or `import x = __mktnb.x`) -> `let x: T` */
function stripAlias(parts: any[]): any[] {
  let out = parts;
  if (out.length >= 4 && out[0].text === '(' && out[1].text === 'alias' && out[2].text === ')' && out[3].kind === 'space') out = out.slice(4);
  const br = out.findIndex((p: any, i: number) => p.kind === 'lineBreak' && out[i + 1]?.kind === 'keyword' && out[i + 1]?.text === 'import');
  if (br >= 0) out = out.slice(0, br);
  return out;
}

export default init;
