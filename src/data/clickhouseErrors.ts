/**
 * What a failed ClickHouse query says (src/data/clickhouse.ts): the error class with its kind, the
 * server's "Code: N … DB::Exception" text taken apart, and the server's "position N" turned into
 * the line and column of the user's query. The connection's own errors (unreachable, auth,
 * timeout) are worded where it knows the connection (ClickHouse.explain).
 */

export type ClickHouseErrorKind =
  'server' | 'unreachable' | 'auth' | 'timeout' | 'cancelled' | 'too-large' | 'credentials';

/** A failed ClickHouse query: what happened in words, plus the server's code and message when it sent one. */
export class ClickHouseQueryError extends Error {
  constructor(
    message: string,
    readonly kind: ClickHouseErrorKind,
    readonly code?: number,
    readonly serverMessage?: string,
    /** 1-based line and column in the query text the server's "position N" points at */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ClickHouseError';
  }
}

/** The server's code and message from its error text ("Code: 62, e.displayText() = DB::Exception: …"), or undefined. */
export function parseServerError(text: string): { code: number; message: string } | undefined {
  const m =
    /Code: (\d+)[.,]\s*(?:e\.displayText\(\) = )?(?:DB::Exception: )?([\s\S]*?)(?:,? e\.what\(\) = DB::Exception)?\s*(?:\(version [^)]*\))?\s*$/.exec(
      text.trim(),
    );
  return m ? { code: Number(m[1]), message: m[2].trim() } : undefined;
}

/** The error the server wrote (at the start of its answer or after rows), in words, with its position in `sql` (`offset`: the statement's start in it). */
export function serverError(text: string, sql: string, offset = 0): ClickHouseQueryError {
  const p = parseServerError(text);
  if (!p) return new ClickHouseQueryError(text, 'server');
  if (p.code === 396) return new ClickHouseQueryError(p.message, 'too-large', p.code, p.message); // the caller says it in words (it knows the cap)
  if (p.code === 394)
    return new ClickHouseQueryError(
      `the query was cancelled on the server (${p.message})`,
      'cancelled',
      p.code,
      p.message,
    );
  if (p.code === 159)
    return new ClickHouseQueryError(
      `the query ran longer than the server allows (max_execution_time): ${p.message} (code 159)`,
      'timeout',
      p.code,
      p.message,
    );
  // "failed at position 8" counts characters of the statement from 1
  const pos = /position (\d+)/.exec(p.message);
  let line: number | undefined, column: number | undefined;
  if (pos && sql) {
    const at = offset + Number(pos[1]) - 1;
    const before = sql.slice(0, at).split(/\r?\n/);
    line = before.length;
    column = before[before.length - 1].length + 1;
  }
  // the FORMAT clause the product appends is not the user's: keep it out of the message
  const message = p.message.replace(/\s*FORMAT TabSeparatedWithNamesAndTypes/g, '');
  return new ClickHouseQueryError(`ClickHouse error ${p.code}: ${message}`, 'server', p.code, message, line, column);
}

/** The result is over the cap on rows a query brings into the kernel. */
export function tooLarge(maxRows: number): ClickHouseQueryError {
  return new ClickHouseQueryError(
    `the result has more than ${maxRows.toLocaleString('en-US')} rows, the cap on what a query brings into the kernel (setting marketNotebooks.sql.maxResultRows): ` +
      'add a LIMIT, aggregate on the server (GROUP BY), or raise the cap',
    'too-large',
  );
}
