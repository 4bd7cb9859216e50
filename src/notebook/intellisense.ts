/**
 * Tells the mktnb TypeScript server plugin (src/tsplugin, docs/intellisense.md) the order of each
 * notebook's code cells, and the names its SQL cells bind (`-- as NAME`, Frames for the TypeScript
 * cells). tsserver sees cells as loose files in creation order, which is wrong after a cell is
 * moved; it matters when two cells declare the same name.
 */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from './controller';
import { sqlBinding } from '../shared/sqlcell';

interface TsApi {
  configurePlugin(pluginId: string, configuration: unknown): void;
}

export function registerCellOrder(context: vscode.ExtensionContext): void {
  let api: TsApi | undefined;
  let pending: NodeJS.Timeout | undefined;
  /** notebook key → f(its code cells), for every open Market Notebook */
  const perNotebook = <T>(f: (cells: vscode.NotebookCell[]) => T): Record<string, T> =>
    Object.fromEntries(
      vscode.workspace.notebookDocuments
        .filter((nb) => nb.notebookType === NOTEBOOK_TYPE)
        .map((nb) => [notebookKey(nb.uri), f(nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code))]),
    );
  const send = () =>
    api?.configurePlugin('mktnb-tsserver-plugin', {
      cellOrder: perNotebook((cells) => cells.map((c) => c.document.uri.fragment)),
      // names SQL cells bind with `-- as NAME`: Frames in the kernel, declared for the TypeScript cells
      sqlNames: perNotebook((cells) =>
        cells
          .filter((c) => c.document.languageId === 'sql')
          .map((c) => sqlBinding(c.document.getText()))
          .filter((b) => b?.valid)
          .map((b) => b!.name),
      ),
    });
  const schedule = () => {
    clearTimeout(pending);
    pending = setTimeout(send, 200);
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenNotebookDocument(schedule),
    vscode.workspace.onDidCloseNotebookDocument(schedule),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (e.contentChanges.length || e.cellChanges.some((c) => c.document)) schedule();
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.languageId === 'sql' && e.document.uri.scheme === 'vscode-notebook-cell') schedule();
    }),
    { dispose: () => clearTimeout(pending) },
  );
  // The TypeScript extension serves the cells anyway; activating it (idempotent) once a Market
  // Notebook is open costs nothing extra and gives its API.
  const ts = vscode.extensions.getExtension<{ getAPI?(v: number): TsApi }>('vscode.typescript-language-features');
  if (!ts) return;
  let asked = false;
  const connect = (nb: vscode.NotebookDocument) => {
    if (asked || nb.notebookType !== NOTEBOOK_TYPE) return;
    asked = true;
    ts.activate().then(
      (exports) => {
        api = exports?.getAPI?.(0);
        schedule();
      },
      () => undefined,
    );
  };
  context.subscriptions.push(vscode.workspace.onDidOpenNotebookDocument(connect));
  vscode.workspace.notebookDocuments.forEach(connect);
}

/**
 * The plugin's name for a notebook: the path of its cells' tsserver file names. An untitled
 * notebook's URI path has no leading slash (`Untitled-1.mktnb`); tsserver's name has one.
 */
export function notebookKey(uri: vscode.Uri): string {
  return uri.path.startsWith('/') ? uri.path : `/${uri.path}`;
}
