/**
 * SQL text as the data layer reads it, without running anything: statements split at semicolons
 * outside strings and comments, the identifiers a query names (candidates for program tables),
 * quoting, and where a DuckDB error points in the cell. Shared by DuckDB (engine.ts), the
 * ClickHouse connection and the file readers.
 */
const NOT_FOUND_EXTENSION =
  /(Failed to download extension|Extension Autoloading Error|extension .* (is not|could not be) (installed|loaded|found))/i;

/** Rewrites DuckDB's message when a query needs an extension that is not built in and cannot be fetched. */
export function explainError(message: string): string {
  if (!NOT_FOUND_EXTENSION.test(message)) return message;
  const ext = /extension "([^"]+)"|extension '([^']+)'/i.exec(message);
  const name = ext ? (ext[1] ?? ext[2]) : 'an';
  return (
    `This query needs DuckDB's ${name === 'an' ? 'an' : `"${name}"`} extension, which is not built into Market Notebooks and could not be downloaded (are you offline?). ` +
    `Parquet, CSV, JSON and time zones (icu) are built in and need no download. DuckDB said:\n${message}`
  );
}

/**
 * Where a DuckDB error points in `sql`: its "LINE n: <text>" and caret line, counted from the start
 * of the statement DuckDB ran, which begins at `offset` of `sql`. Returns 1-based line and column.
 */
export function errorPosition(message: string, sql: string, offset = 0): { line: number; column: number } | undefined {
  const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m) return undefined;
  const prefix = `LINE ${m[1]}: `.length;
  let col = m[3].length - prefix; // 0-based in the shown text
  let shown = m[2];
  if (shown.startsWith('...')) {
    shown = shown.slice(3);
    col -= 3;
  } // DuckDB elides the start of long lines
  const before = sql.slice(0, offset).split(/\r?\n/);
  const startLine = before.length; // 1-based line of the statement's first character
  const line = startLine + Number(m[1]) - 1;
  const text = sql.split(/\r?\n/)[line - 1] ?? '';
  // the shown text is a part of the line (DuckDB trims long lines): where it starts in the line
  const lineStartCol = Number(m[1]) === 1 ? before[before.length - 1].length : 0;
  const at = text.indexOf(shown.trimEnd(), lineStartCol);
  return { line, column: (at >= 0 ? at : lineStartCol) + Math.max(0, col) + 1 };
}

/** Splits SQL text into statements at semicolons outside strings, quoted names and comments. */
export function splitStatements(text: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  const re = /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\w*)\$[\s\S]*?\$\1\$|;/g;
  let start = 0;
  for (let m; (m = re.exec(text));) {
    if (m[0] !== ';') continue;
    out.push({ text: text.slice(start, m.index + 1), offset: start });
    start = m.index + 1;
  }
  if (
    text
      .slice(start)
      .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '')
      .trim()
  )
    out.push({ text: text.slice(start), offset: start });
  return out.filter(
    (s) =>
      s.text
        .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '')
        .replace(/;\s*$/, '')
        .trim() !== '',
  );
}

/** Identifiers of a query outside string literals and comments (candidates for program tables). */
export function identifiers(text: string): string[] {
  const out = new Set<string>();
  const re = /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"((?:[^"]|"")*)"|([A-Za-z_$][\w$]*)/g;
  for (let m; (m = re.exec(text));) {
    if (m[1] !== undefined) out.add(m[1].replace(/""/g, '"'));
    else if (m[2] !== undefined) out.add(m[2]);
  }
  return [...out];
}

export function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
