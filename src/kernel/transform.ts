/**
 * The cell rewrite: turns the JavaScript of one cell (esbuild's output for TypeScript cells)
 * into a script that runs in the kernel's persistent global scope.
 *
 *   const x = 1, {a, b: [c]} = o;   ->  ;(globalThis.x = 1, {a: globalThis.a, b: [globalThis.c]} = o);
 *   let y;                          ->  ;(globalThis.y = void 0);
 *   function f() {}                 ->  kept (hoisted inside the wrapper); `globalThis.f = f;` at the top
 *   class A {}                      ->  ;globalThis.A = class A {};
 *   import d, { n as m } from 'p'   ->  const __mk0 = __mktnb.pre("p"); globalThis.d = __mk0.default; …  ('p' loaded before the cell runs)
 *   import('p')                     ->  __mktnb.imp('p')
 *   import.meta                     ->  __mktnb.meta
 *   await e                         ->  __mktnb.ck(await e)     (stops async loops of an interrupted cell)
 *   export <decl>                   ->  <decl>
 *   last expression statement e     ->  return [(e)];            (its value is displayed)
 *   loop bodies                     ->  an interrupt check first: if (__mktnb_f[0] !== 0) __mktnb.stop();
 *
 * and wraps everything in `(async () => { … })()`, so top-level await works. Declared names
 * become properties of the global object, so later cells see them and re-running a cell that
 * declares `const x` simply assigns again. The rewrite only inserts or replaces small pieces of
 * text and keeps everything else in place, so {@link CellRewrite.toInput} maps any position of
 * the output back to the input exactly.
 *
 * (Over 300 lines on purpose: the rewrite is one pass over the cell's syntax tree building one
 * edit list, and the position map that undoes it must stay beside the edits it inverts.)
 */
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

/** Name of the kernel's helper object in the global scope (see main.ts). */
export const HELPER = '__mktnb';
/** Name of the interrupt flag (an Int32Array on shared memory; non-zero: a cell is to stop). */
export const LOOP_FLAG = '__mktnb_f';
/** Checked at the top of every loop body of a cell, so that a loop stops when interrupted. */
export const LOOP_CHECK = `if (${LOOP_FLAG}[0] !== 0) ${HELPER}.stop();`;

interface Edit {
  start: number;
  end: number;
  text: string;
  /** tie-break for edits at one position */ order: number;
}

export interface CellRewrite {
  /** the script to run */
  code: string;
  /** maps an offset in `code` to an offset in the input JavaScript */
  toInput(offset: number): number;
  /** whether an offset of `code` lies in the wrapper the rewrite added around the cell */
  inWrapper(offset: number): boolean;
  /** names the cell declares at its top level */
  declared: string[];
  /** whether the cell has a last expression whose value is returned */
  returnsValue: boolean;
  /** specifiers of the cell's static imports, in order: the kernel loads them before the cell runs
   *  and `__mktnb.pre(spec)` returns them */
  imports: string[];
}

export class CellSyntaxError extends Error {
  override name = 'SyntaxError';
  constructor(
    message: string,
    public readonly offset: number,
    public readonly line: number,
    public readonly column: number,
  ) {
    super(message);
  }
}

export interface RewriteOptions {
  /** when true, a named import the module lacks throws (JavaScript semantics); TypeScript cells
   *  keep it lenient because imports used only as types may survive the TS transform */
  strictImports?: boolean;
  /** label passed to __mktnb.imp for error messages */
  cellLabel?: string;
  /** insert an interrupt check at the top of every loop body (default true) */
  instrumentLoops?: boolean;
}

const LOOPS = new Set(['WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement']);
type Loop =
  acorn.WhileStatement | acorn.DoWhileStatement | acorn.ForStatement | acorn.ForInStatement | acorn.ForOfStatement;
const isLoop = (node: acorn.AnyNode): node is Loop => LOOPS.has(node.type);

/** What acorn throws on a syntax error: a SyntaxError with the offset and line/column (acorn's d.ts leaves them out). */
type AcornSyntaxError = SyntaxError & { pos: number; loc: { line: number; column: number } };

export function rewriteCell(src: string, opts: RewriteOptions = {}): CellRewrite {
  let ast: acorn.Program;
  try {
    ast = acorn.parse(src, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowAwaitOutsideFunction: true,
      allowHashBang: true,
      allowReturnOutsideFunction: false,
    });
  } catch (e) {
    if (e instanceof SyntaxError && typeof (e as Partial<AcornSyntaxError>).pos === 'number') {
      const { pos, loc } = e as AcornSyntaxError;
      throw new CellSyntaxError(e.message.replace(/ \(\d+:\d+\)$/, ''), pos, loc.line, loc.column);
    }
    throw e;
  }

  const edits: Edit[] = [];
  const declared: string[] = [];
  const hoisted: string[] = [];
  const vars: string[] = [];
  const imports: string[] = [];
  let order = 0;
  const replace = (start: number, end: number, text: string) => edits.push({ start, end, text, order: order++ });
  const insert = (at: number, text: string) => replace(at, at, text);
  const G = 'globalThis.';
  let importCount = 0;

  // bindings in a declaration pattern become global properties
  const rewritePattern = (p: acorn.Pattern): void => {
    switch (p.type) {
      case 'Identifier':
        declared.push(p.name);
        replace(p.start, p.end, G + p.name);
        break;
      case 'ObjectPattern':
        for (const prop of p.properties) {
          if (prop.type === 'RestElement') {
            rewritePattern(prop.argument);
            continue;
          }
          if (prop.shorthand) {
            // `{ a }` or `{ a = 1 }`: the value is the key's identifier (with its default)
            const id = (prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value) as acorn.Identifier;
            declared.push(id.name);
            replace(id.start, id.end, `${id.name}: ${G}${id.name}`);
          } else rewritePattern(prop.value);
        }
        break;
      case 'ArrayPattern':
        for (const el of p.elements) if (el) rewritePattern(el);
        break;
      case 'RestElement':
        rewritePattern(p.argument);
        break;
      case 'AssignmentPattern':
        rewritePattern(p.left);
        break;
      default:
        throw new Error(`unexpected pattern ${p.type}`);
    }
  };

  const rewriteDeclaration = (node: acorn.Declaration, stmtStart: number): void => {
    switch (node.type) {
      case 'VariableDeclaration': {
        const decls = node.declarations;
        const before = declared.length;
        replace(stmtStart, decls[0].start, ';(');
        for (const d of decls) {
          if (d.id.type === 'Identifier' && !d.init) {
            declared.push(d.id.name);
            replace(
              d.id.start,
              d.id.end,
              node.kind === 'var'
                ? `(${JSON.stringify(d.id.name)} in globalThis || (${G}${d.id.name} = void 0))`
                : `${G}${d.id.name} = void 0`,
            );
          } else rewritePattern(d.id);
        }
        insert(decls[decls.length - 1].end, ')');
        // `var` is hoisted: its name exists (undefined) before the declaration runs, e.g. in
        // `var E = ((E) => …)(E || {})`, which is what TypeScript enums compile to
        if (node.kind === 'var') vars.push(...declared.slice(before));
        break;
      }
      case 'FunctionDeclaration':
        if (node.id) {
          declared.push(node.id.name);
          hoisted.push(node.id.name);
        }
        if (stmtStart !== node.start) replace(stmtStart, node.start, '');
        break;
      case 'ClassDeclaration':
        declared.push(node.id.name);
        replace(stmtStart, node.start, '');
        insert(node.start, `;${G}${node.id.name} = `);
        insert(node.end, ';');
        break;
      default: {
        const other: acorn.Node = node; // a kind of declaration acorn may add later: only the `export` goes
        if (stmtStart !== other.start) replace(stmtStart, other.start, '');
      }
    }
  };

  const body = ast.body;
  /** the range of the last expression statement (parentheses included, final `;` excluded) */
  let lastExpr: { start: number; end: number } | null = null;
  const exprRange = (start: number, end: number) => ({ start, end: src[end - 1] === ';' ? end - 1 : end });
  for (let i = 0; i < body.length; i++) {
    const stmt = body[i];
    switch (stmt.type) {
      case 'VariableDeclaration':
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        rewriteDeclaration(stmt, stmt.start);
        break;
      case 'ImportDeclaration': {
        const m = `__mk${importCount++}`;
        const source = stmt.source.value as string; // an import's source is a string literal
        const spec = JSON.stringify(source);
        // loaded before the cell runs (imports are hoisted, as in a module), so the cell's code up
        // to its first own await runs synchronously, where breakOnSigint can stop it
        imports.push(source);
        const parts = [`const ${m} = ${HELPER}.pre(${spec});`];
        for (const s of stmt.specifiers) {
          const local = s.local.name;
          declared.push(local);
          if (s.type === 'ImportDefaultSpecifier')
            parts.push(`${G}${local} = ${HELPER}.named(${m}, "default", ${spec}, ${!!opts.strictImports});`);
          else if (s.type === 'ImportNamespaceSpecifier') parts.push(`${G}${local} = ${m};`);
          else {
            const name = s.imported.type === 'Identifier' ? s.imported.name : s.imported.value;
            parts.push(
              `${G}${local} = ${HELPER}.named(${m}, ${JSON.stringify(name)}, ${spec}, ${!!opts.strictImports});`,
            );
          }
        }
        replace(stmt.start, stmt.end, parts.join(' '));
        break;
      }
      case 'ExportNamedDeclaration':
        if (stmt.declaration) rewriteDeclaration(stmt.declaration, stmt.start);
        else replace(stmt.start, stmt.end, ''); // `export { a }` / `export … from` have no meaning in a cell
        break;
      case 'ExportDefaultDeclaration': {
        const d = stmt.declaration;
        if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id)
          rewriteDeclaration(d, stmt.start);
        else if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') {
          replace(stmt.start, d.start, ';(');
          insert(d.end, ')');
        } else {
          replace(stmt.start, d.start, '');
          if (i === body.length - 1) lastExpr = exprRange(d.start, stmt.end);
        }
        break;
      }
      case 'ExportAllDeclaration':
        replace(stmt.start, stmt.end, '');
        break;
      case 'ExpressionStatement':
        // a lone string is parsed as a directive, but a cell ending in "text" shows it
        // (the statement's range, not the expression's: `({ a: 1 })` has its parentheses outside)
        if (i === body.length - 1 && stmt.directive !== 'use strict') lastExpr = exprRange(stmt.start, stmt.end);
        break;
    }
  }

  // expressions anywhere: dynamic import, import.meta, await
  walk.full(ast, (node) => {
    if (node.type === 'ImportExpression') replace(node.start, node.start + 'import'.length, `${HELPER}.imp`);
    else if (node.type === 'MetaProperty' && node.meta.name === 'import')
      replace(node.start, node.end, `${HELPER}.meta`);
    else if (node.type === 'AwaitExpression') {
      insert(node.start, `${HELPER}.ck(`);
      insert(node.end, ')');
    } else if (isLoop(node) && opts.instrumentLoops !== false) {
      const b = node.body;
      // openers before any other insertion at the same offset, closers after
      if (b.type === 'BlockStatement')
        edits.push({ start: b.start + 1, end: b.start + 1, text: LOOP_CHECK, order: -1 });
      else {
        edits.push({ start: b.start, end: b.start, text: `{${LOOP_CHECK} `, order: -1 });
        edits.push({ start: b.end, end: b.end, text: '}', order: 1e9 + 1 });
      }
    }
  });

  if (lastExpr) {
    // inserted first at its position: `return [(` must come before any `__mktnb.ck(` at the same offset
    edits.push({ start: lastExpr.start, end: lastExpr.start, text: 'return [(', order: -2 });
    edits.push({ start: lastExpr.end, end: lastExpr.end, text: ')]', order: 1e9 });
  }

  const prefix = `(async () => {${vars.map((n) => `${JSON.stringify(n)} in globalThis || (${G}${n} = void 0);`).join(' ')}${hoisted.map((n) => `${G}${n} = ${n};`).join(' ')}`;
  const suffix = '\n})()';
  return { ...assemble(src, edits, prefix, suffix, declared, !!lastExpr), imports: [...new Set(imports)] };
}

/**
 * Only the loop checks, for JavaScript that is not a cell (the notebook's own helper files, after
 * esbuild bundled them), so that their loops stop on interrupt too. Returns undefined when the
 * code does not parse as a script (then it runs as it is).
 */
export function instrumentLoops(js: string): { code: string; toInput(offset: number): number } | undefined {
  let ast: acorn.Program;
  try {
    ast = acorn.parse(js, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowHashBang: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
    });
  } catch {
    return undefined;
  }
  const edits: Edit[] = [];
  walk.full(ast, (node) => {
    if (!isLoop(node)) return;
    const b = node.body;
    if (b.type === 'BlockStatement') edits.push({ start: b.start + 1, end: b.start + 1, text: LOOP_CHECK, order: -1 });
    else {
      edits.push({ start: b.start, end: b.start, text: `{${LOOP_CHECK} `, order: -1 });
      edits.push({ start: b.end, end: b.end, text: '}', order: 1e9 + 1 });
    }
  });
  const r = assemble(js, edits, '', '', [], false);
  return { code: r.code, toInput: r.toInput };
}

function assemble(
  src: string,
  edits: Edit[],
  prefix: string,
  suffix: string,
  declared: string[],
  returnsValue: boolean,
): Omit<CellRewrite, 'imports'> {
  // sort by position; insertions at a position before a replacement starting there; then by order
  edits.sort(
    (a, b) =>
      a.start - b.start || (a.end - a.start === 0 ? 0 : 1) - (b.end - b.start === 0 ? 0 : 1) || a.order - b.order,
  );
  // segments: [outStart, inStart, length] of text copied unchanged
  const segOut: number[] = [];
  const segIn: number[] = [];
  const segLen: number[] = [];
  // replaced spans: output range -> input position
  const repOut: number[] = [];
  const repEnd: number[] = [];
  const repIn: number[] = [];
  let out = prefix;
  repOut.push(0);
  repEnd.push(prefix.length);
  repIn.push(0);
  let pos = 0;
  for (const e of edits) {
    if (e.start < pos) throw new Error(`internal: overlapping rewrite at ${e.start}`);
    if (e.start > pos) {
      segOut.push(out.length);
      segIn.push(pos);
      segLen.push(e.start - pos);
      out += src.slice(pos, e.start);
    }
    repOut.push(out.length);
    repIn.push(e.start);
    out += e.text;
    repEnd.push(out.length);
    pos = e.end;
  }
  segOut.push(out.length);
  segIn.push(pos);
  segLen.push(src.length - pos);
  out += src.slice(pos);
  repOut.push(out.length);
  repIn.push(src.length);
  out += suffix;
  repEnd.push(out.length);

  const toInput = (offset: number): number => {
    // binary search in unchanged segments
    let lo = 0,
      hi = segOut.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < segOut[mid]) hi = mid - 1;
      else if (offset >= segOut[mid] + segLen[mid]) lo = mid + 1;
      else return segIn[mid] + (offset - segOut[mid]);
    }
    for (let i = 0; i < repOut.length; i++) if (offset >= repOut[i] && offset < repEnd[i]) return repIn[i];
    return Math.min(offset, src.length);
  };
  const suffixStart = out.length - suffix.length;
  const inWrapper = (offset: number) => offset < prefix.length || offset >= suffixStart;
  return { code: out, toInput, inWrapper, declared: [...new Set(declared)], returnsValue };
}

/** Offsets of line starts, for converting between offsets and 1-based lines. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line and 0-based column of an offset. */
export function offsetToLineCol(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0,
    hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] };
}
