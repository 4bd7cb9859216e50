/**
 * The .mktnb file format, version 1 (documented in docs/format.md). Pure types: no Node, no vscode.
 */
export const FORMAT_NAME = 'mktnb';
export const FORMAT_VERSION = '1.0';

export interface MktnbOutputItem {
  mime: string;
  /** text mimes: the text; JSON mimes (…+json, application/json): the JSON value */
  data: unknown;
}

export interface MktnbOutput {
  /** 'result' | 'display' | 'stream' | 'error' (informational; the items carry the content) */
  kind?: string;
  items: MktnbOutputItem[];
  metadata?: Record<string, unknown>;
  [unknown: string]: unknown;
}

export interface MktnbCell {
  kind: 'markdown' | 'code';
  /** 'typescript' | 'javascript' | 'markdown' */
  language: string;
  /** source as lines, without their line breaks (diff-friendly) */
  source: string[];
  metadata?: Record<string, unknown>;
  outputs?: MktnbOutput[];
  /** execution order and duration of the last run, when outputs are saved */
  execution?: { order?: number; durationMs?: number; success?: boolean };
  [unknown: string]: unknown;
}

export interface MktnbFile {
  format: typeof FORMAT_NAME;
  version: string;
  metadata?: Record<string, unknown>;
  cells: MktnbCell[];
  [unknown: string]: unknown;
}
