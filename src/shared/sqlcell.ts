/**
 * The one syntax of SQL cells both sides read: a first non-blank line `-- as NAME` binds the
 * cell's result (a Frame) to NAME in the kernel (src/kernel/sql.ts) and tells IntelliSense in
 * TypeScript cells about NAME (src/notebook/intellisense.ts → src/tsplugin).
 */
const BIND = /^\s*--\s*as\s+(\S+)\s*$/i;
export const SQL_NAME = /^[A-Za-z_$][\w$]*$/;

/** The `-- as NAME` line of a SQL cell: the name as written, its 1-based line, and whether it is a valid identifier. */
export function sqlBinding(code: string): { name: string; line: number; column: number; valid: boolean } | undefined {
  const lines = code.split(/\r?\n/);
  const i = lines.findIndex((l) => l.trim() !== '');
  const m = i >= 0 ? BIND.exec(lines[i]) : null;
  if (!m) return undefined;
  return { name: m[1], line: i + 1, column: lines[i].indexOf(m[1]), valid: SQL_NAME.test(m[1]) };
}
