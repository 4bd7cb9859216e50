/**
 * Pure logic of the TypeScript server plugin (no tsserver state): which files are cells of a
 * Market Notebook, which names a cell declares at its top level, and the footer that makes the
 * names of the other cells of the same notebook visible in a cell.
 *
 * VS Code opens each cell of a notebook in tsserver as its own file, named
 *   ^/vscode-notebook-cell/<authority>/<notebook path>#<fragment>
 * where the fragment encodes the cell's handle (VS Code's CellUri: the handle in base 7 after
 * length-padding letters, then 's' and the base64 of the notebook's scheme). The kernel runs the
 * cells in one global scope: every name a cell declares at its top level (const/let/var,
 * function, class, enum, import bindings) is visible to the cells that run after it.
 *
 * The plugin makes every cell a module and appends to its text, after the user's last character,
 *   \n;export { <the cell's own top-level names> };
 *   import { a, b } from "mktnb-cell:<fragment of the cell declaring a and b>"; …
 * so positions in the user's text are unchanged, names of the other cells resolve with their
 * real types (through module resolution to the declaring cell), and a name declared again in a
 * later cell is that cell's own declaration (no "Cannot redeclare block-scoped variable").
 */
import type { BindingName, Node, ScriptKind, SyntaxKind, TS } from './tsapi';

export const CELL_SCHEME_PREFIX = '^/vscode-notebook-cell/';
/** Module specifier prefix of the footer's imports; resolved by the plugin to a cell of the same notebook. */
export const CELL_SPECIFIER_PREFIX = 'mktnb-cell:';
/** The library's module name in cells. */
export const LIBRARY_MODULE = 'mktnb';

export interface CellRef {
  fileName: string;
  /** the notebook's path (after the authority, before '#'): cells with equal `notebook` belong together */
  notebook: string;
  /** everything before '#', used to build the file name of a sibling cell */
  base: string;
  fragment: string;
  /** VS Code's cell handle (creation order), NaN when the fragment has another shape */
  handle: number;
}

const PAD = /^[WXYZa-f]+/;

/** The cell handle VS Code encoded in a cell URI's fragment (see CellUri in VS Code). */
export function decodeHandle(fragment: string): number {
  const s = fragment.indexOf('s');
  if (s <= 0) return NaN;
  const digits = fragment.slice(0, s).replace(PAD, '');
  return /^[0-6]+$/.test(digits) ? parseInt(digits, 7) : NaN;
}

/** The cell a tsserver file name denotes, when it is a cell of a .mktnb notebook. */
export function parseCellFileName(name: string): CellRef | undefined {
  // the compiler hands resolution hooks the absolute form: <current directory>/^/vscode-notebook-cell/…
  const at = name.indexOf(CELL_SCHEME_PREFIX);
  if (at < 0 || (at > 0 && name[at - 1] !== '/')) return undefined;
  const fileName = at ? name.slice(at) : name;
  const hash = fileName.indexOf('#');
  if (hash < 0) return undefined;
  const rest = fileName.slice(CELL_SCHEME_PREFIX.length, hash); // <authority>/<path>
  const slash = rest.indexOf('/');
  const notebook = slash >= 0 ? rest.slice(slash) : '/' + rest;
  if (!/\.mktnb$/i.test(notebook)) return undefined;
  const fragment = fileName.slice(hash + 1);
  return { fileName, notebook, base: fileName.slice(0, hash + 1), fragment, handle: decodeHandle(fragment) };
}

export interface TopLevel {
  /** every name declared at the top level, in order of appearance (first occurrence) */
  names: string[];
  /** names that only have a type meaning (interface, type alias, `import type`) */
  typeOnly: Set<string>;
  /** names the cell already exports under the same name (`export const x`, `export { x }`) */
  exported: Set<string>;
}

const hasModifier = (ts: TS, node: Node, kind: SyntaxKind) =>
  ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);

/** The names a cell's text declares at its top level (what the kernel makes global). */
export function topLevelNames(ts: TS, text: string, scriptKind?: ScriptKind): TopLevel {
  const sf = ts.createSourceFile('cell.ts', text, ts.ScriptTarget.Latest, false, scriptKind ?? ts.ScriptKind.TS);
  const names: string[] = [];
  const seen = new Set<string>();
  const typeOnly = new Set<string>();
  const exported = new Set<string>();
  const valueNames = new Set<string>();
  const add = (name: string | undefined, isType = false) => {
    if (!name) return;
    if (!seen.has(name)) {
      seen.add(name);
      names.push(name);
    }
    if (isType) typeOnly.add(name);
    else valueNames.add(name);
  };
  const addBinding = (b: BindingName | undefined): void => {
    if (!b) return;
    if (ts.isIdentifier(b)) add(b.text);
    else if (ts.isObjectBindingPattern(b) || ts.isArrayBindingPattern(b)) {
      for (const el of b.elements) if (ts.isBindingElement(el)) addBinding(el.name);
    }
  };
  for (const st of sf.statements) {
    const isExport = hasModifier(ts, st, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(ts, st, ts.SyntaxKind.DefaultKeyword);
    const before = names.length;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) addBinding(d.name);
    } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) {
      add(st.name?.text);
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      add(st.name.text, true);
    } else if (ts.isModuleDeclaration(st)) {
      // `namespace N {}`; not `declare global {}` nor `declare module "x" {}`
      if (ts.isIdentifier(st.name) && st.name.text !== 'global') add(st.name.text);
    } else if (ts.isImportDeclaration(st)) {
      const c = st.importClause;
      if (c) {
        const clauseTypeOnly = !!c.isTypeOnly;
        if (c.name) add(c.name.text, clauseTypeOnly);
        const nb = c.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) add(nb.name.text, clauseTypeOnly);
        else if (nb && ts.isNamedImports(nb))
          for (const el of nb.elements) add(el.name.text, clauseTypeOnly || !!el.isTypeOnly);
      }
    } else if (ts.isImportEqualsDeclaration(st)) {
      add(st.name.text, !!st.isTypeOnly);
    } else if (ts.isExportDeclaration(st)) {
      // `export { a, b as c }` (no module specifier) exports under the names after `as`
      if (!st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) exported.add(el.name.text);
      }
    }
    if (isExport && !isDefault) for (const n of names.slice(before)) exported.add(n);
  }
  // a name with a value declaration too (class + interface merge, …) is not type-only
  for (const n of valueNames) typeOnly.delete(n);
  return { names, typeOnly, exported };
}

export interface NotebookCell {
  ref: CellRef;
  top: TopLevel;
}

const q = (s: string) => JSON.stringify(s);
const IDENT = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/**
 * The text appended to the cell at `index` of `cells` (cells of one notebook, in notebook order).
 * Each name declared by another cell and not by this one is imported from the nearest cell above
 * that declares it, else from the nearest cell below.
 */
export function footerFor(cells: NotebookCell[], index: number): { text: string; imported: Map<string, string> } {
  const self = cells[index];
  const own = new Set(self.top.names);
  const parts: string[] = ['\n;'];
  const values = self.top.names.filter((n) => !self.top.exported.has(n) && !self.top.typeOnly.has(n) && IDENT.test(n));
  const types = self.top.names.filter((n) => !self.top.exported.has(n) && self.top.typeOnly.has(n) && IDENT.test(n));
  parts.push(`export { ${values.join(', ')} };`);
  if (types.length) parts.push(`export type { ${types.join(', ')} };`);
  // name -> index of the cell it comes from
  const from = new Map<string, number>();
  const order = [...Array(index).keys()]
    .reverse()
    .concat([...Array(cells.length - index - 1).keys()].map((k) => index + 1 + k));
  for (const i of order) {
    for (const n of cells[i].top.names) if (!own.has(n) && !from.has(n) && IDENT.test(n)) from.set(n, i);
  }
  const byCell = new Map<number, string[]>();
  for (const [n, i] of from) (byCell.get(i) ?? byCell.set(i, []).get(i)!).push(n);
  const imported = new Map<string, string>();
  for (const i of [...byCell.keys()].sort((a, b) => a - b)) {
    const ns = byCell.get(i)!;
    parts.push(`import { ${ns.join(', ')} } from ${q(CELL_SPECIFIER_PREFIX + cells[i].ref.fragment)};`);
    for (const n of ns) imported.set(n, cells[i].ref.fileName);
  }
  return { text: parts.join('\n') + '\n', imported };
}

/**
 * Orders a notebook's cells: by the order the extension reported (fragments), when it covers
 * them, else by handle (creation order: right unless cells were inserted above or moved).
 */
export function orderCells<T extends { ref: CellRef }>(cells: T[], reported?: readonly string[]): T[] {
  const pos = new Map((reported ?? []).map((f, i) => [f, i]));
  const key = (c: T) => [
    pos.has(c.ref.fragment) ? pos.get(c.ref.fragment)! : Infinity,
    Number.isNaN(c.ref.handle) ? Infinity : c.ref.handle,
  ];
  return [...cells].sort((a, b) => {
    const ka = key(a),
      kb = key(b);
    return (
      ka[0] - kb[0] || ka[1] - kb[1] || (a.ref.fileName < b.ref.fileName ? -1 : a.ref.fileName > b.ref.fileName ? 1 : 0)
    );
  });
}

/** A short stable hash (FNV-1a) of a string, for script versions. */
export function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
