/**
 * Outputs that ask the kernel: the ONE typed protocol between an output in a renderer (browser),
 * the extension host and the kernel process (docs/charts.md, "Outputs that ask the kernel").
 *
 *   renderer ──{type:'kernel-request', requestId, request}──▶ extension ──{type:'outputRequest', req, request}──▶ kernel
 *   renderer ◀──{type:'kernel-reply', requestId, reply}────── extension ◀──{type:'outputReply', req, reply}──────── kernel
 *   cancel: {type:'kernel-cancel', requestId} → {type:'outputCancel', req}; the reply is then {ok:false, error:{code:'cancelled'}}
 *
 * Every hop validates with {@link parseOutputRequest}: a webview running a shared notebook's script
 * could post anything. An output names kernel data only by an opaque handle
 * `h1.<32 hex: the kernel session's random nonce>.<n>`; the kernel answers only handles with its own
 * nonce, so a handle read from a file reaches data only of the session that created it, and never a
 * path. New request kinds (input controls: a slider bound to a cell's parameter) are new `op`s here
 * with their own validation, answered by the same envelope.
 *
 * Browser-safe: no Node, DOM or vscode APIs.
 */
import type { TableValue } from './schemas';

/** `h1.<session nonce>.<sequence>`, as the kernel makes them. */
export const OUTPUT_HANDLE_PATTERN = /^h1\.[0-9a-f]{32}\.[1-9]\d{0,11}$/;

/** Bounds a request may ask for (more is refused as invalid, not clipped silently). */
export const OUTPUT_LIMITS = {
  /** pixel columns of a chart (an 8K screen at 2x is below this) */
  maxColumns: 20_000,
  /** traces in one chart request */
  maxHandles: 64,
  /** rows in one table page */
  maxPageRows: 1_000,
} as const;

export function isOutputHandle(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 64 && OUTPUT_HANDLE_PATTERN.test(v);
}

/** What an output asks for. */
export type OutputRequest =
  | {
      /** the points of chart traces in x ∈ [x0, x1] (null: unbounded), reduced to `columns` pixel columns */
      op: 'series-range';
      handles: string[];
      x0: number | null;
      x1: number | null;
      columns: number;
    }
  | {
      /** rows [offset, offset + limit) of a table, in the order of `sort` (none: the data's own order) */
      op: 'table-page';
      handle: string;
      offset: number;
      limit: number;
      sort?: { column: number; descending: boolean };
    };

/** One trace's answer to a series-range request. x are numbers (epoch ms when `time`). */
export interface SeriesRangeTrace {
  x: number[];
  /** null: a gap (missing values in the data) */
  y: (number | null)[];
  /** true: every point of the range is here (no reduction) */
  raw: boolean;
  /** points of the data inside the range */
  visible: number;
  /** points of the whole series */
  total: number;
  time: boolean;
}

export type OutputResult =
  | { op: 'series-range'; traces: SeriesRangeTrace[] }
  | { op: 'table-page'; rows: TableValue[][]; offset: number; totalRows: number };

/**
 * Why a request got no result:
 *  - invalid: the request is malformed (dropped, logged);
 *  - no-kernel: the notebook has no running kernel (reopened file, HTML export, restarted and not run);
 *  - gone: the kernel does not hold this data (another session's handle, released or evicted);
 *  - cancelled: superseded by a newer request;
 *  - failed: the kernel could not compute it (message says why).
 */
export type OutputErrorCode = 'invalid' | 'no-kernel' | 'gone' | 'cancelled' | 'failed';

export type OutputReply =
  { ok: true; result: OutputResult } | { ok: false; error: { code: OutputErrorCode; message: string } };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, lo: number, hi: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const isBound = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

/**
 * A request rebuilt from an untrusted value (only the known fields, checked), or the reason it
 * is refused. The one validation the renderer, the extension and the kernel all use.
 */
export function parseOutputRequest(v: unknown): { request: OutputRequest } | { problem: string } {
  if (!isObj(v)) return { problem: 'the request is not an object' };
  if (v.op === 'series-range') {
    const { handles, x0, x1, columns } = v;
    if (!Array.isArray(handles) || handles.length === 0 || handles.length > OUTPUT_LIMITS.maxHandles)
      return { problem: `series-range needs 1 to ${OUTPUT_LIMITS.maxHandles} handles` };
    if (!handles.every(isOutputHandle)) return { problem: 'series-range: a handle is not an output handle' };
    if (!isBound(x0) || !isBound(x1)) return { problem: 'series-range: x0 and x1 must be finite numbers or null' };
    if (x0 !== null && x1 !== null && x0 > x1) return { problem: 'series-range: x0 is after x1' };
    if (!isInt(columns, 1, OUTPUT_LIMITS.maxColumns))
      return { problem: `series-range: columns must be an integer from 1 to ${OUTPUT_LIMITS.maxColumns}` };
    return { request: { op: 'series-range', handles: handles.slice(), x0, x1, columns } };
  }
  if (v.op === 'table-page') {
    const { handle, offset, limit, sort } = v;
    if (!isOutputHandle(handle)) return { problem: 'table-page: the handle is not an output handle' };
    if (!isInt(offset, 0, Number.MAX_SAFE_INTEGER))
      return { problem: 'table-page: offset must be a non-negative integer' };
    if (!isInt(limit, 1, OUTPUT_LIMITS.maxPageRows))
      return { problem: `table-page: limit must be an integer from 1 to ${OUTPUT_LIMITS.maxPageRows}` };
    if (sort !== undefined) {
      if (!isObj(sort) || !isInt(sort.column, 0, 10_000) || typeof sort.descending !== 'boolean')
        return { problem: 'table-page: sort must be {column: integer, descending: boolean}' };
      return {
        request: {
          op: 'table-page',
          handle,
          offset,
          limit,
          sort: { column: sort.column, descending: sort.descending },
        },
      };
    }
    return { request: { op: 'table-page', handle, offset, limit } };
  }
  return { problem: `unknown op ${JSON.stringify(String(v.op)).slice(0, 40)}` };
}

/** A reply checked for shape (the renderer's side: it only reads what it expects). */
export function isOutputReply(v: unknown): v is OutputReply {
  if (!isObj(v)) return false;
  if (v.ok === true)
    return (
      isObj(v.result) &&
      (v.result.op === 'series-range'
        ? Array.isArray(v.result.traces)
        : v.result.op === 'table-page' && Array.isArray(v.result.rows))
    );
  return v.ok === false && isObj(v.error) && typeof v.error.code === 'string' && typeof v.error.message === 'string';
}

export function outputError(code: OutputErrorCode, message: string): OutputReply {
  return { ok: false, error: { code, message } };
}
