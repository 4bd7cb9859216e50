/**
 * Type errors in cells before they run. VS Code 1.100's TypeScript extension computes the semantic
 * diagnostics of notebook cells but drops them (docs/intellisense.md), so `corr(btc)` was only
 * found when the cell ran. The extension asks tsserver for them through its own plugin
 * (`_mktnb.cellDiagnostics`, src/shared/tsplugin-protocol.ts) and shows them as its own
 * diagnostics on the cells.
 *
 * Why tsserver and not a TypeScript language service of our own in the extension host: tsserver
 * already holds every cell with the plugin's cross-cell context (the names of the other cells,
 * the library's declarations), so the answer matches hovers and completions exactly and costs one
 * request per cell. A second service would ship the ~9 MB `typescript` package in the VSIX, take
 * hundreds of milliseconds and tens of MB to start in the extension host, and check every cell
 * twice. If the plugin is not loaded (TypeScript Native Preview, a workspace TypeScript without
 * plugins), tsserver does not know the request and nothing is shown: better no squiggles than
 * "Cannot find name 'load'" on every line.
 */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from './controller';
import {
  CELL_DIAGNOSTICS_COMMAND,
  type CellDiagnostic,
  type CellDiagnosticsResponse,
} from '../shared/tsplugin-protocol';

const DEBOUNCE_MS = 400;
/** tsserver may not have opened a cell yet when the notebook opens: ask again a few times */
const RETRIES = 8;
const RETRY_MS = 1500;

export function toVsDiagnostic(d: CellDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.line, d.character, d.endLine, d.endCharacter);
  const severity =
    d.category === 'error'
      ? vscode.DiagnosticSeverity.Error
      : d.category === 'warning'
        ? vscode.DiagnosticSeverity.Warning
        : d.category === 'suggestion'
          ? vscode.DiagnosticSeverity.Hint
          : vscode.DiagnosticSeverity.Information;
  const out = new vscode.Diagnostic(range, d.message, severity);
  out.source = 'ts';
  out.code = d.code;
  const tags: vscode.DiagnosticTag[] = [];
  if (d.unnecessary) tags.push(vscode.DiagnosticTag.Unnecessary);
  if (d.deprecated) tags.push(vscode.DiagnosticTag.Deprecated);
  if (tags.length) out.tags = tags;
  return out;
}

export function registerCellDiagnostics(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection('mktnb-types');
  const timers = new Map<string, NodeJS.Timeout>();
  const generation = new Map<string, number>();

  const isOurs = (nb: vscode.NotebookDocument) => nb.notebookType === NOTEBOOK_TYPE;
  const codeCells = (nb: vscode.NotebookDocument) =>
    nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'typescript');

  const ask = async (cell: vscode.NotebookCell): Promise<CellDiagnosticsResponse | undefined> => {
    try {
      const r = await vscode.commands.executeCommand<{ body?: CellDiagnosticsResponse } | undefined>(
        'typescript.tsserverRequest',
        CELL_DIAGNOSTICS_COMMAND,
        { file: cell.document.uri },
      );
      const body = r?.body;
      return body && Array.isArray(body.diagnostics) ? body : undefined;
    } catch {
      return undefined; // no TypeScript extension, a server without the plugin, a restarting server
    }
  };

  const check = async (nb: vscode.NotebookDocument, attempt: number): Promise<void> => {
    const key = nb.uri.toString();
    const gen = (generation.get(key) ?? 0) + 1;
    generation.set(key, gen);
    let unknown = false;
    for (const cell of codeCells(nb)) {
      const version = cell.document.version;
      const r = await ask(cell);
      if (generation.get(key) !== gen || nb.isClosed) return; // an edit started a newer check
      if (cell.document.version !== version) continue;
      if (!r) {
        collection.delete(cell.document.uri);
        continue;
      }
      if (!r.known) unknown = true;
      collection.set(
        cell.document.uri,
        r.diagnostics.filter((d) => d.category === 'error' || d.category === 'warning').map(toVsDiagnostic),
      );
    }
    // cells of other kinds or languages carry none of ours
    for (const cell of nb.getCells()) if (!codeCells(nb).includes(cell)) collection.delete(cell.document.uri);
    if (unknown && attempt < RETRIES) schedule(nb, RETRY_MS, attempt + 1);
  };

  const schedule = (nb: vscode.NotebookDocument, delay = DEBOUNCE_MS, attempt = 0) => {
    if (!isOurs(nb)) return;
    const key = nb.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void check(nb, attempt);
      }, delay),
    );
  };

  const notebookOf = (doc: vscode.TextDocument) =>
    doc.uri.scheme === 'vscode-notebook-cell'
      ? vscode.workspace.notebookDocuments.find((nb) => isOurs(nb) && nb.getCells().some((c) => c.document === doc))
      : undefined;

  const clear = (nb: vscode.NotebookDocument) => {
    const key = nb.uri.toString();
    clearTimeout(timers.get(key));
    timers.delete(key);
    generation.set(key, (generation.get(key) ?? 0) + 1);
    for (const cell of nb.getCells()) collection.delete(cell.document.uri);
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenNotebookDocument((nb) => schedule(nb, 0)),
    vscode.workspace.onDidCloseNotebookDocument((nb) => {
      if (isOurs(nb)) clear(nb);
    }),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (!isOurs(e.notebook)) return;
      for (const ch of e.contentChanges) for (const cell of ch.removedCells) collection.delete(cell.document.uri);
      if (e.contentChanges.length || e.cellChanges.some((c) => c.document)) schedule(e.notebook);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!e.contentChanges.length) return;
      const nb = notebookOf(e.document);
      if (nb) schedule(nb);
    }),
    // a cell switched between TypeScript and JavaScript
    vscode.workspace.onDidOpenTextDocument((doc) => {
      const nb = notebookOf(doc);
      if (nb) schedule(nb);
    }),
    {
      dispose: () => {
        for (const t of timers.values()) clearTimeout(t);
        timers.clear();
      },
    },
  );
  for (const nb of vscode.workspace.notebookDocuments) schedule(nb, 0);
}
