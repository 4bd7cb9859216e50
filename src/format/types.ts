/**
 * The .mktnb file format, version 1 (documented in docs/format.md). Pure types: no Node, no vscode.
 */
export const FORMAT_NAME = 'mktnb';
export const FORMAT_VERSION = '1.0';
/** The VS Code notebook type of .mktnb files (package.json contributes.notebooks, `notebookType == mktnb`). */
export const NOTEBOOK_TYPE = 'mktnb';

/** What an output is (informational; its items carry the content). 'result' is written by earlier versions. */
export type OutputKind = 'result' | 'display' | 'stream' | 'error';

export interface MktnbOutputItem {
  mime: string;
  /** text mimes: the text; JSON mimes (…+json, application/json): the JSON value */
  data: unknown;
}

export interface MktnbOutput {
  /** an OutputKind; kept as read when a file has another (informational; the items carry the content) */
  kind?: OutputKind | (string & {});
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
