/**
 * SQL on a ClickHouse server (docs/data.md, "ClickHouse"): a notebook's named connection runs
 * queries through the official client (@clickhouse/client, HTTP interface; no protocol code of
 * ours), and results come back column by column into the library's Float64Array columns.
 *
 * Format: TabSeparatedWithNamesAndTypes, parsed from the response stream chunk by chunk straight
 * into growing typed arrays (no object per row). Why text, not RowBinary: the client streams
 * RowBinary only as opaque bytes and the types needed to decode it come with
 * RowBinaryWithNamesAndTypes, which ClickHouse 18.16 (Debian's package) does not have; TSV with
 * names and types works on every server version and carries the types in its second line.
 *
 * Type mapping, ClickHouse → library (every value a double; NULL and nan → NaN):
 *   (U)Int8..(U)Int64, Float32/64, Decimal*          → number (beyond ±2^53 rounded to a double)
 *   Date                                              → epoch ms at UTC midnight
 *   DateTime, DateTime('tz'), DateTime64(p[, 'tz'])   → epoch ms (the column's zone, else the server's)
 *   Nullable(T), LowCardinality(T)                    → as T
 *   String, FixedString, Enum, UUID, Array, Tuple, …  → shown in a cell's table; a Frame cannot hold
 *                                                        them (UnsupportedTypeError, as for DuckDB)
 *
 * Parameters: on servers with query parameters (a 19.x feature, asked once) every ${} of sql.on('x')`…` is a
 * typed `{pN:Type}` bound by the server; on older ones (18.16 says "Unknown setting param_…") it
 * becomes a typed literal made by chLiteral(), the one escaping function (fuzz-tested).
 *
 * This file is the connection (client, statements, progress, interrupt, its errors in words);
 * clickhouseLiterals.ts binds values, clickhouseTsv.ts parses results (clickhouseFields.ts their
 * fields), clickhouseErrors.ts reads the server's errors.
 *
 * (Over 300 lines on purpose: the rest is one class, the connection, whose statements share its
 * client, the server's version and features asked once, progress, interrupt and the timeout.)
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Frame } from '../market/series';
import { passwordEnvName, type ResolvedConnection } from '../shared/connections';
import { splitStatements } from './sqlText';
import { ClickHouseQueryError, parseServerError, serverError, tooLarge } from './clickhouseErrors';
import { chLiteral } from './clickhouseLiterals';
import { TsvColumns, type RemoteResult } from './clickhouseTsv';

/** Default cap on a result's rows (setting marketNotebooks.sql.maxResultRows). */
export const DEFAULT_MAX_ROWS = 10_000_000;
/** Default time a request may take (ms) before it fails with "did not answer within". */
export const DEFAULT_TIMEOUT_MS = 300_000;

/** Progress of a running query, from the server's system.processes. */
export interface ClickHouseProgress {
  rowsRead: number;
  totalRows: number;
  percent: number;
}

export interface ClickHouseQueryOptions {
  onProgress?: (p: ClickHouseProgress) => void;
  /** cap on the result's rows (default: the connection's, else DEFAULT_MAX_ROWS) */
  maxRows?: number;
  /** name of the result (meta.name) */
  name?: string;
}

const STARTS_RESULT = /^\s*(SELECT|WITH|SHOW|DESC|DESCRIBE|EXISTS|EXPLAIN|\()/i;
let queries = 0;

/** One named ClickHouse connection of a notebook (or a Node program). */
export class ClickHouse {
  private client: ClickHouseClient | undefined;
  private server: Promise<{ version: string; major: number; minor: number; zone: string }> | undefined;
  private readonly running = new Map<string, AbortController>();
  /** queries interrupt() stopped: their failure says "stopped", not the client's abort message */
  private readonly cancelled = new Set<string>();
  readonly timeoutMs: number;

  constructor(readonly spec: ResolvedConnection & { timeoutMs?: number }) {
    this.timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private get c(): ClickHouseClient {
    if (!this.client) {
      // required on first use: a kernel that never talks to ClickHouse never loads the client
      const { createClient, ClickHouseLogLevel } = require('@clickhouse/client') as typeof import('@clickhouse/client');
      this.client = createClient({
        url: this.spec.url,
        username: this.spec.user ?? 'default',
        password: this.spec.password ?? '',
        ...(this.spec.database ? { database: this.spec.database } : {}),
        request_timeout: this.timeoutMs,
        application: 'market-notebooks',
        // errors reach the cell as ClickHouseQueryError; the client's own console log would repeat them on the kernel's stderr
        log: { level: ClickHouseLogLevel.OFF },
      });
    }
    return this.client;
  }

  /** the server's version and time zone (asked once) */
  serverInfo(): Promise<{ version: string; major: number; minor: number; zone: string }> {
    if (!this.server) {
      this.server = (async () => {
        const r = await this.exec('SELECT version(), timezone() FORMAT TabSeparated', '', 0);
        const [version, zone] = (await streamText(r.stream)).trim().split('\t');
        const [major, minor] = version.split('.').map(Number);
        return { version, major, minor, zone: zone || 'UTC' };
      })();
      this.server.catch(() => {
        this.server = undefined;
      });
    }
    return this.server;
  }

  private params: Promise<boolean> | undefined;

  /**
   * Whether the server binds `{name:Type}` parameters (a 19.x feature; 18.16 says "Unknown setting
   * param_…"): 20 and later do; older versions are asked once with a one-parameter query.
   */
  supportsParams(): Promise<boolean> {
    this.params ??= (async () => {
      if ((await this.serverInfo()).major >= 20) return true;
      try {
        const r = await this.exec('SELECT {p:UInt8} FORMAT TabSeparated', '', 0, { p: 1 });
        return (await streamText(r.stream)).trim() === '1';
      } catch (e) {
        if (e instanceof ClickHouseQueryError && (e.code === 115 || /param_/.test(e.message))) return false;
        throw e;
      }
    })();
    this.params.catch(() => {
      this.params = undefined;
    });
    return this.params;
  }

  /**
   * Runs SQL text (several statements: in order, the last one's result returned). The text is sent
   * as written (comments included) so the server's positions point into it.
   */
  async run(
    text: string,
    params: Record<string, unknown> = {},
    opts: ClickHouseQueryOptions = {},
  ): Promise<RemoteResult | undefined> {
    const info = await this.serverInfo();
    const stmts = splitStatements(text);
    if (!stmts.length) throw new ClickHouseQueryError('the query has no statement', 'server');
    let last: RemoteResult | undefined;
    for (const st of stmts) {
      const body = st.text.replace(/;\s*$/, '');
      last = STARTS_RESULT.test(body.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, ''))
        ? await this.select(body, text, st.offset, params, info.zone, opts)
        : (await this.command(body, text, st.offset, params), undefined);
    }
    return last;
  }

  /** Runs a query and returns its result as a Frame. */
  async query(text: string, params: Record<string, unknown> = {}, opts: ClickHouseQueryOptions = {}): Promise<Frame> {
    const r = await this.run(text, params, opts);
    if (!r) throw new ClickHouseQueryError('the last statement returned no result (it was not a SELECT)', 'server');
    const f = r.toFrame(opts.name);
    if (r.summary.receivedBytes !== undefined) f.meta.receivedBytes = r.summary.receivedBytes;
    return f;
  }

  private async select(
    body: string,
    whole: string,
    offset: number,
    params: Record<string, unknown>,
    zone: string,
    opts: ClickHouseQueryOptions,
  ): Promise<RemoteResult> {
    const maxRows = opts.maxRows ?? this.spec.maxRows ?? DEFAULT_MAX_ROWS;
    const id = `mktnb-${process.pid}-${++queries}-${Date.now()}`;
    const stop = this.poll(id, opts.onProgress);
    const parser = new TsvColumns(zone, maxRows);
    try {
      // the server stops at the cap too, before it has sent more than that (error 396)
      const r = await this.exec(`${body}\nFORMAT TabSeparatedWithNamesAndTypes`, whole, offset, params, id, {
        max_result_rows: String(maxRows + 1),
        result_overflow_mode: 'throw',
      });
      try {
        for await (const chunk of r.stream as AsyncIterable<Buffer>) parser.push(chunk);
      } catch (e) {
        if (e instanceof ClickHouseQueryError) {
          r.stream.destroy();
          void this.kill(id);
          throw e;
        }
        throw this.explain(e, whole, offset, id);
      }
      return parser.finish(body, { ...summaryOf(r.summary), receivedBytes: parser.bytes });
    } catch (e) {
      throw e instanceof ClickHouseQueryError && e.kind === 'too-large' && e.code ? tooLarge(maxRows) : e;
    } finally {
      stop();
      this.running.delete(id);
    }
  }

  private async command(body: string, whole: string, offset: number, params: Record<string, unknown>): Promise<void> {
    const id = `mktnb-${process.pid}-${++queries}-${Date.now()}`;
    try {
      const r = await this.exec(body, whole, offset, params, id);
      await streamText(r.stream);
    } finally {
      this.running.delete(id);
    }
  }

  /** sends a query; with `tracked` (a cell's query) interrupt() can stop it until the caller removes it from `running` */
  private async exec(
    query: string,
    whole: string,
    offset: number,
    params: Record<string, unknown> = {},
    tracked?: string,
    settings: Record<string, string> = {},
  ) {
    const ac = new AbortController();
    const id = tracked ?? `mktnb-${process.pid}-${++queries}-${Date.now()}`;
    if (tracked) this.running.set(id, ac);
    try {
      return await this.c.exec({
        query,
        query_id: id,
        abort_signal: ac.signal,
        ...(Object.keys(params).length ? { query_params: params } : {}),
        ...(Object.keys(settings).length ? { clickhouse_settings: settings as never } : {}),
      });
    } catch (e) {
      throw this.explain(e, whole, offset, id);
    }
  }

  /** polls system.processes for the query's rows read while it runs; returns the stop function */
  private poll(id: string, onProgress?: (p: ClickHouseProgress) => void): () => void {
    if (!onProgress) return () => undefined;
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.c
        .exec({
          query: `SELECT read_rows, total_rows_approx FROM system.processes WHERE query_id = ${chLiteral(id)} FORMAT TabSeparated`,
        })
        .then((r) => streamText(r.stream))
        .then(
          (t) => {
            const [read, total] = t.trim().split('\t').map(Number);
            if (Number.isFinite(read))
              onProgress({
                rowsRead: read,
                totalRows: total || 0,
                percent: total > 0 ? Math.min(100, Math.floor((100 * read) / total)) : 0,
              });
          },
          () => undefined,
        )
        .finally(() => {
          busy = false;
        });
    }, 500);
    (timer as { unref?: () => void }).unref?.();
    return () => clearInterval(timer);
  }

  /** Stops every running query: the request is aborted and the server told to KILL it. */
  interrupt(): void {
    for (const [id, ac] of [...this.running]) {
      this.cancelled.add(id);
      ac.abort();
      void this.kill(id);
    }
  }

  private async kill(id: string): Promise<void> {
    try {
      await this.c.command({ query: `KILL QUERY WHERE query_id = ${chLiteral(id)} ASYNC` });
    } catch {
      /* the server is gone or the query is done */
    }
  }

  private explain(e: unknown, sql: string, offset: number, id: string): ClickHouseQueryError {
    if (e instanceof ClickHouseQueryError) return e;
    const err = e as Error & { code?: string | number };
    const msg = String(err?.message ?? e);
    const where = `connection "${this.spec.name}" (${this.spec.url})`;
    if (this.cancelled.delete(id)) {
      return new ClickHouseQueryError(
        `the query was stopped (it was cancelled on the server of ${where})`,
        'cancelled',
      );
    }
    if (
      typeof err?.code === 'string' &&
      /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNRESET|EPIPE)$/.test(err.code)
    ) {
      const why =
        {
          ECONNREFUSED: 'connection refused: is the server running, and is that its HTTP port (8123 by default)?',
          ENOTFOUND: 'no such host',
          EAI_AGAIN: 'the host name could not be resolved (offline?)',
        }[err.code as 'ECONNREFUSED'] ?? err.code;
      return new ClickHouseQueryError(`cannot reach the ClickHouse server of ${where}: ${why}`, 'unreachable');
    }
    if (/^Timeout error/i.test(msg)) {
      return new ClickHouseQueryError(
        `the ClickHouse server of ${where} did not answer within ${this.timeoutMs / 1000} s (the connection's timeout, setting marketNotebooks.sql.timeoutSeconds); ` +
          'the query may still run there: aggregate more on the server or raise the timeout',
        'timeout',
      );
    }
    const p = parseServerError(msg);
    if (p && (p.code === 193 || p.code === 192 || p.code === 516)) {
      const src =
        this.spec.password === undefined
          ? `no password was given: set ${passwordEnvName(this.spec)}, or in VS Code run "Market Notebooks: Add Connection…" for "${this.spec.name}"`
          : `the password came from ${this.spec.passwordSource ?? 'the connection'}`;
      return new ClickHouseQueryError(
        `the ClickHouse server of ${where} refused user "${this.spec.user ?? 'default'}": wrong password or unknown user (${src}). ` +
          `Server said: code ${p.code}: ${p.message}`,
        'auth',
        p.code,
        p.message,
      );
    }
    return p ? serverError(msg, sql, offset) : new ClickHouseQueryError(`ClickHouse (${where}): ${msg}`, 'server');
  }

  async close(): Promise<void> {
    this.interrupt();
    const c = this.client;
    this.client = undefined;
    await c?.close();
  }
}

async function streamText(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const c of s as AsyncIterable<Buffer | string>) out += typeof c === 'string' ? c : c.toString('utf8');
  return out;
}

function summaryOf(
  s: { read_rows?: string; read_bytes?: string; result_bytes?: string; elapsed_ns?: string } | undefined,
): RemoteResult['summary'] {
  if (!s) return {};
  const n = (x?: string) => (x === undefined ? undefined : Number(x));
  const out: RemoteResult['summary'] = {};
  if (s.read_rows !== undefined) out.readRows = n(s.read_rows);
  if (s.read_bytes !== undefined) out.readBytes = n(s.read_bytes);
  if (s.result_bytes !== undefined) out.resultBytes = n(s.result_bytes);
  if (s.elapsed_ns !== undefined) out.elapsedMs = n(s.elapsed_ns)! / 1e6;
  return out;
}
