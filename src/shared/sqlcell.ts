/**
 * The one syntax of SQL cells both sides read. The cell's first non-blank lines may be
 * directives, in any order, or both on one line:
 *
 *   -- as bars          binds the cell's result (a Frame) to the cell variable `bars`
 *   -- on desk          runs the cell on the notebook's connection `desk` (metadata.connections)
 *   -- as bars on desk  both
 *
 * The kernel (src/kernel/sql.ts) acts on them; IntelliSense in TypeScript cells learns `bars`
 * (src/notebook/intellisense.ts → src/tsplugin); the status bar shows the connection
 * (src/notebook/connections.ts). Without `-- on` a cell runs on the kernel's DuckDB database.
 */
const DIRECTIVE = /^\s*--\s*((?:as|on)\s+\S+(?:\s+(?:as|on)\s+\S+)?)\s*$/i;
const PART = /(as|on)\s+(\S+)/gi;
export const SQL_NAME = /^[A-Za-z_$][\w$]*$/;

interface Directive {
  name: string;
  line: number;
  column: number;
  valid: boolean;
}

/** The `-- as` and `-- on` directives of a SQL cell's leading lines (the first of each kind wins). */
export function sqlDirectives(code: string): { as?: Directive; on?: Directive } {
  const lines = code.split(/\r?\n/);
  const out: { as?: Directive; on?: Directive } = {};
  let i = lines.findIndex((l) => l.trim() !== '');
  for (; i >= 0 && i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    if (!DIRECTIVE.test(lines[i])) break;
    for (const m of lines[i].matchAll(PART)) {
      const kind = m[1].toLowerCase() as 'as' | 'on';
      if (out[kind]) continue;
      const column = (m.index ?? 0) + m[0].length - m[2].length;
      out[kind] = { name: m[2], line: i + 1, column, valid: SQL_NAME.test(m[2]) };
    }
  }
  return out;
}

/** The `-- as NAME` directive of a SQL cell: the name as written, its 1-based line, its 0-based column, and whether it is a valid identifier. */
export function sqlBinding(code: string): Directive | undefined {
  return sqlDirectives(code).as;
}

/** The `-- on NAME` directive of a SQL cell (undefined: the kernel's DuckDB database). */
export function sqlConnection(code: string): Directive | undefined {
  return sqlDirectives(code).on;
}
