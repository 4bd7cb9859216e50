/**
 * The one request the extension sends to its TypeScript server plugin (src/tsplugin), through the
 * TypeScript extension's `typescript.tsserverRequest` command (which passes commands starting
 * with '_' to tsserver, and turns a `file` Uri into tsserver's name for it).
 *
 * VS Code 1.100's TypeScript extension computes but drops the semantic diagnostics of notebook
 * cells (docs/intellisense.md), so the extension asks for them itself and shows them as its own.
 * The plugin answers from the project's (plugin-wrapped) language service: the cell's type errors
 * with the names of the other cells in scope, none from the footer. An answer at all also proves
 * the plugin is loaded: without it, every cell would be full of "Cannot find name 'load'".
 */
export const CELL_DIAGNOSTICS_COMMAND = '_mktnb.cellDiagnostics';

export interface CellDiagnosticsArgs {
  /** tsserver's file name of the cell (the TS extension converts a Uri) */
  file: string;
}

export interface CellDiagnostic {
  /** 0-based, in the cell's own text */
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  message: string;
  code: number;
  category: 'error' | 'warning' | 'suggestion' | 'message';
  /** "declared but never used" and the like */
  unnecessary?: boolean;
  deprecated?: boolean;
}

export interface CellDiagnosticsResponse {
  /** false when tsserver has no project for the file (not open yet) */
  known: boolean;
  diagnostics: CellDiagnostic[];
}
