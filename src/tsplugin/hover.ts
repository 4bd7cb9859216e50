/**
 * Hovers and completions in cells: a name from another cell or a library global shows what its
 * declaration shows (`const btc: Loaded`, `function load(…)` and its JSDoc), not the footer's
 * synthetic `(alias) … import btc`; completions offer no auto-imports from cells or from the
 * generated declarations.
 */
import { parseCellFileName } from './cells';
import { toPosix, type CellView } from './host';
import type { Guard } from './service';
import type { LanguageService, SymbolDisplayPart } from './tsapi';

/** The namespace import of the library in the generated globals.d.ts (see scripts/build-tsplugin.mjs). */
export const GLOBALS_NAMESPACE = '__mktnb';

/** The names globals.d.ts declares (`export import load = __mktnb.load;`). */
function readGlobalNames(file: string, read: (f: string) => string | undefined): Set<string> {
  const text = read(file) ?? '';
  return new Set(
    [...text.matchAll(/export import ([\w$]+) =/g)]
      .map((m) => m[1])
      .concat(text.includes('const display') ? ['display'] : []),
  );
}

/** `(alias) let x: T` + lineBreak + `import x` (or `import x = __mktnb.x`) -> `let x: T` */
export function stripAlias(parts: SymbolDisplayPart[]): SymbolDisplayPart[] {
  let out = parts;
  if (
    out.length >= 4 &&
    out[0].text === '(' &&
    out[1].text === 'alias' &&
    out[2].text === ')' &&
    out[3].kind === 'space'
  )
    out = out.slice(4);
  const br = out.findIndex(
    (p, i) => p.kind === 'lineBreak' && out[i + 1]?.kind === 'keyword' && out[i + 1]?.text === 'import',
  );
  if (br >= 0) out = out.slice(0, br);
  return out;
}

/** Where an auto-import completion would import from (a file name or a module specifier). */
interface AutoImportEntry {
  hasAction?: true;
  source?: string;
  data?: { fileName?: string };
}

/** Replaces the proxy's hover, completion and completion-detail methods (`ls`: the project's own service). */
export function wrapHoverAndCompletions(
  ls: LanguageService,
  proxy: LanguageService,
  cells: CellView,
  guard: Guard,
): void {
  const { isCell, footerOf, userText, typesDir } = cells;
  const globalNames = readGlobalNames(cells.globalsFile, cells.readFile);
  const fromAnotherCellOrGlobal = (fileName: string, name: string) =>
    !!footerOf(fileName)?.imported.has(name) || globalNames.has(name);

  proxy.getQuickInfoAtPosition = (...args) => {
    const [fileName, position, ...rest] = args;
    const qi = ls.getQuickInfoAtPosition(...args);
    if (!qi || qi.kind !== 'alias' || !isCell(fileName)) return qi;
    return guard(
      'getQuickInfoAtPosition',
      () => {
        if (!fromAnotherCellOrGlobal(fileName, userText(fileName, qi.textSpan.start, qi.textSpan.length))) return qi;
        const def = proxy.getDefinitionAtPosition(fileName, position)?.[0];
        const atDef = def && ls.getQuickInfoAtPosition(def.fileName, def.textSpan.start, ...rest);
        if (atDef && atDef.kind !== 'alias') return { ...atDef, textSpan: qi.textSpan };
        return { ...qi, displayParts: stripAlias(qi.displayParts ?? []) };
      },
      () => qi,
    );
  };

  // completions: every cell is a module (its footer exports its names), so tsserver's auto-imports
  // would offer the names of every open notebook's cells "from" those cells (`btcPeak` of a
  // sample in a new notebook), and library internals from the generated declarations. A
  // notebook's own names come through its footer and the library's as globals, so in a cell
  // auto-imports from cells and from the declarations are dropped (those from packages stay).
  const strayAutoImport = (e: AutoImportEntry): boolean => {
    if (!e.hasAction && !e.data) return false;
    const from = e.data?.fileName ?? (typeof e.source === 'string' ? e.source : undefined);
    if (!from) return false;
    return (
      !!parseCellFileName(from) ||
      /\.mktnb#/i.test(from) ||
      toPosix(from).startsWith(typesDir) ||
      from.includes('/types/market/')
    );
  };
  proxy.getCompletionsAtPosition = (...args) => {
    const r = ls.getCompletionsAtPosition(...args);
    if (!r || !isCell(args[0])) return r;
    return guard(
      'getCompletionsAtPosition',
      () => ({ ...r, entries: r.entries.filter((e) => !strayAutoImport(e)) }),
      () => r,
    );
  };

  // completion details of such names: `function load(…)`, not `(alias) function load(…)\nimport load = load`
  proxy.getCompletionEntryDetails = (...args) => {
    const [fileName, , entryName] = args;
    const d = ls.getCompletionEntryDetails(...args);
    if (!d || d.kind !== 'alias' || !isCell(fileName)) return d;
    return guard(
      'getCompletionEntryDetails',
      () =>
        fromAnotherCellOrGlobal(fileName, entryName) ? { ...d, displayParts: stripAlias(d.displayParts ?? []) } : d,
      () => d,
    );
  };
}
