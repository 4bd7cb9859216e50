/**
 * The language-service wrapper: every answer about a cell is the answer of the project's own
 * service with nothing of the footer (host.ts) in it. Diagnostics, navigation items,
 * classifications, references, rename locations and edits inside the footer are dropped, and
 * syntax errors come from the cell's own text. Hovers and completions: hover.ts.
 */
import { builtinModules } from 'node:module';
import type { CellView } from './host';
import type {
  Diagnostic,
  FileTextChanges,
  LanguageService,
  NavigationBarItem,
  NavigationTree,
  ParsedSourceFile,
  TextSpan,
  TS,
  UserPreferences,
} from './tsapi';

/** Diagnostics that only say Node's types are missing: 2307/2792 cannot find module, 2580/2591 cannot find name (process, Buffer, require). */
const NODE_TYPES_CODES = new Set([2307, 2792, 2580, 2591]);
/** Node's built-in module names (the tsserver runs in Node), with or without the node: prefix. */
const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules);
const isNodeBuiltin = (spec: string): boolean =>
  spec.startsWith('node:') || NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0]);

/** Diagnostics that name a binding another cell declares (kept only for names no cell declares). */
const NAME_CODES = new Set([
  2304, // Cannot find name 'x'.
  2552, // Cannot find name 'x'. Did you mean 'y'?
  2582, // Cannot find name 'x'. Do you need to install type definitions for a test runner?
  2451, // Cannot redeclare block-scoped variable 'x'.
  2300, // Duplicate identifier 'x'.
  2632, // Cannot assign to 'x' because it is an import.
]);

export type Guard = <T>(what: string, run: () => T, fallback: () => T) => T;

/** A copy of `ls` whose methods call it (the overrides below replace some of them). */
function forwardingCopy(ls: LanguageService): LanguageService {
  const source = ls as unknown as Record<string, unknown>;
  const proxy: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(source)) {
    const fn = source[k];
    proxy[k] =
      typeof fn === 'function' ? (...args: unknown[]) => (fn as (...a: unknown[]) => unknown).apply(ls, args) : fn;
  }
  return proxy as unknown as LanguageService;
}

export function wrapLanguageService(
  ts: TS,
  ls: LanguageService,
  cells: CellView,
): { proxy: LanguageService; guard: Guard } {
  const { semantic, isCell, inFooter, footerOf, userText, userLength, log } = cells;
  const proxy = forwardingCopy(ls);
  const guard: Guard = (what, run, fallback) => {
    try {
      return run();
    } catch (e) {
      log(`${what} failed: ${(e as Error)?.stack ?? e}`);
      return fallback();
    }
  };

  const keepDiagnostic = (fileName: string, d: Diagnostic): boolean => {
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

  proxy.getSemanticDiagnostics = (fileName) => {
    const all = ls.getSemanticDiagnostics(fileName);
    return guard(
      'getSemanticDiagnostics',
      () => all.filter((d) => keepDiagnostic(fileName, d)),
      () => all,
    );
  };
  proxy.getSuggestionDiagnostics = (fileName) => {
    const all = ls.getSuggestionDiagnostics(fileName);
    return guard(
      'getSuggestionDiagnostics',
      () => all.filter((d) => !inFooter(fileName, d.start)),
      () => all,
    );
  };
  proxy.getSyntacticDiagnostics = (fileName) => {
    const all = () => ls.getSyntacticDiagnostics(fileName);
    if (!semantic || !isCell(fileName)) return all();
    return guard(
      'getSyntacticDiagnostics',
      () => {
        const kind = cells.scriptKind(fileName);
        if (
          kind !== undefined &&
          kind !== ts.ScriptKind.TS &&
          kind !== ts.ScriptKind.TSX &&
          kind !== ts.ScriptKind.Unknown
        ) {
          return all().filter((d) => !inFooter(fileName, d.start));
        }
        // the errors of the cell's own text: the footer cannot move or hide them (`r.` at the end
        // of a cell must report "Identifier expected" where the user typed it)
        const text = userText(fileName, 0, userLength(fileName));
        const sf: ParsedSourceFile = ts.createSourceFile(
          fileName,
          text,
          ts.ScriptTarget.Latest,
          false,
          kind === ts.ScriptKind.TSX ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
        );
        return sf.parseDiagnostics ?? all().filter((d) => !inFooter(fileName, d.start));
      },
      all,
    );
  };

  const keepSpan = (fileName: string | undefined, span: TextSpan | undefined) =>
    !span || !inFooter(fileName, span.start);
  const filterLocations = <T extends { fileName: string; textSpan: TextSpan }>(
    what: string,
    list: readonly T[] | undefined,
  ): readonly T[] | undefined =>
    list &&
    guard(
      what,
      () => list.filter((d) => keepSpan(d.fileName, d.textSpan)),
      () => list,
    );

  proxy.getDefinitionAtPosition = (...args) =>
    filterLocations('getDefinitionAtPosition', ls.getDefinitionAtPosition(...args));
  proxy.getTypeDefinitionAtPosition = (...args) =>
    filterLocations('getTypeDefinitionAtPosition', ls.getTypeDefinitionAtPosition(...args));
  proxy.getImplementationAtPosition = (...args) =>
    filterLocations('getImplementationAtPosition', ls.getImplementationAtPosition(...args));
  proxy.getReferencesAtPosition = (...args) =>
    filterLocations('getReferencesAtPosition', ls.getReferencesAtPosition(...args))?.slice();
  proxy.getDefinitionAndBoundSpan = (...args) => {
    const r = ls.getDefinitionAndBoundSpan(...args);
    return r && { ...r, definitions: filterLocations('getDefinitionAndBoundSpan', r.definitions) };
  };
  proxy.findReferences = (...args) => {
    const r = ls.findReferences(...args);
    return (
      r &&
      guard(
        'findReferences',
        () =>
          r
            .map((s) => ({ ...s, references: s.references.filter((x) => keepSpan(x.fileName, x.textSpan)) }))
            .filter((s) => s.references.length > 0),
        () => r,
      )
    );
  };
  // in a cell, rename the declaration and every use across cells (not `import { x as y }` in a footer)
  proxy.findRenameLocations = (
    fileName: string,
    position: number,
    findInStrings: boolean,
    findInComments: boolean,
    preferences?: UserPreferences | boolean,
  ) => {
    const found = !isCell(fileName)
      ? typeof preferences === 'object'
        ? ls.findRenameLocations(fileName, position, findInStrings, findInComments, preferences)
        : ls.findRenameLocations(fileName, position, findInStrings, findInComments, preferences)
      : typeof preferences === 'object' && preferences
        ? ls.findRenameLocations(fileName, position, findInStrings, findInComments, {
            ...preferences,
            providePrefixAndSuffixTextForRename: false,
          })
        : ls.findRenameLocations(fileName, position, findInStrings, findInComments, false);
    return filterLocations('findRenameLocations', found);
  };
  proxy.getDocumentHighlights = (...args) => {
    const r = ls.getDocumentHighlights(...args);
    return (
      r &&
      guard(
        'getDocumentHighlights',
        () =>
          r.map((h) => ({ ...h, highlightSpans: h.highlightSpans.filter((s) => keepSpan(h.fileName, s.textSpan)) })),
        () => r,
      )
    );
  };

  const outsideFooter = (fileName: string) => (item: { spans?: readonly TextSpan[] }) =>
    !item.spans?.length || !inFooter(fileName, item.spans[0].start);
  const pruneTree = (fileName: string, node: NavigationTree): NavigationTree => {
    if (!node.childItems) return node;
    return { ...node, childItems: node.childItems.filter(outsideFooter(fileName)).map((c) => pruneTree(fileName, c)) };
  };
  proxy.getNavigationTree = (fileName) => {
    const t = ls.getNavigationTree(fileName);
    return isCell(fileName)
      ? guard(
          'getNavigationTree',
          () => pruneTree(fileName, t),
          () => t,
        )
      : t;
  };
  proxy.getNavigationBarItems = (fileName) => {
    const items = ls.getNavigationBarItems(fileName);
    if (!isCell(fileName)) return items;
    const keep = outsideFooter(fileName);
    return guard(
      'getNavigationBarItems',
      () => items.filter(keep).map((i): NavigationBarItem => ({ ...i, childItems: (i.childItems ?? []).filter(keep) })),
      () => items,
    );
  };
  proxy.getOutliningSpans = (fileName) => {
    const spans = ls.getOutliningSpans(fileName);
    return isCell(fileName) ? spans.filter((s) => keepSpan(fileName, s.textSpan)) : spans;
  };
  const filterClassifications = <C extends { spans: number[] }>(fileName: string, r: C): C => {
    if (!r || !isCell(fileName) || !semantic) return r;
    const len = userLength(fileName);
    const spans: number[] = [];
    for (let i = 0; i + 2 < r.spans.length; i += 3)
      if (r.spans[i] < len) spans.push(r.spans[i], r.spans[i + 1], r.spans[i + 2]);
    return { ...r, spans };
  };
  proxy.getEncodedSemanticClassifications = (...args) =>
    filterClassifications(args[0], ls.getEncodedSemanticClassifications(...args));
  proxy.getEncodedSyntacticClassifications = (...args) =>
    filterClassifications(args[0], ls.getEncodedSyntacticClassifications(...args));
  if (ls.provideInlayHints) {
    proxy.provideInlayHints = (...args) => {
      const hints = ls.provideInlayHints(...args);
      return isCell(args[0]) ? hints.filter((h) => !inFooter(args[0], h.position)) : hints;
    };
  }

  // edits: nothing may be written into a footer (organize imports, fixes, refactors, formatting)
  const filterChanges = (changes: readonly FileTextChanges[]): FileTextChanges[] =>
    changes.map((fc) =>
      isCell(fc.fileName)
        ? {
            ...fc,
            textChanges: fc.textChanges.filter(
              (t) =>
                !inFooter(fc.fileName, t.span.start + t.span.length - (t.span.length ? 1 : 0)) &&
                !inFooter(fc.fileName, t.span.start),
            ),
          }
        : fc,
    );
  proxy.organizeImports = (...args) => filterChanges(ls.organizeImports(...args));
  proxy.getCodeFixesAtPosition = (...args) =>
    ls.getCodeFixesAtPosition(...args).map((f) => ({ ...f, changes: filterChanges(f.changes) }));
  proxy.getCombinedCodeFix = (...args) => {
    const r = ls.getCombinedCodeFix(...args);
    return r && { ...r, changes: filterChanges(r.changes) };
  };
  proxy.getEditsForRefactor = (...args) => {
    const r = ls.getEditsForRefactor(...args);
    return r && { ...r, edits: filterChanges(r.edits) };
  };
  const keepEdits = <E extends { span: TextSpan }>(fileName: string, edits: E[]): E[] =>
    isCell(fileName) ? edits.filter((t) => !inFooter(fileName, t.span.start)) : edits;
  proxy.getFormattingEditsForDocument = (...args) => keepEdits(args[0], ls.getFormattingEditsForDocument(...args));
  proxy.getFormattingEditsForRange = (...args) => keepEdits(args[0], ls.getFormattingEditsForRange(...args));
  proxy.getFormattingEditsAfterKeystroke = (...args) =>
    keepEdits(args[0], ls.getFormattingEditsAfterKeystroke(...args));

  return { proxy, guard };
}
