/**
 * Tells the mktnb TypeScript server plugin (src/tsplugin, docs/intellisense.md) the order of each
 * notebook's code cells. tsserver sees cells as loose files in creation order, which is wrong after
 * a cell is moved; it matters when two cells declare the same name.
 */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from './controller';

interface TsApi { configurePlugin(pluginId: string, configuration: unknown): void }

export function registerCellOrder(context: vscode.ExtensionContext): void {
  let api: TsApi | undefined;
  let pending: NodeJS.Timeout | undefined;
  const send = () => api?.configurePlugin('mktnb-tsserver-plugin', {
    cellOrder: Object.fromEntries(vscode.workspace.notebookDocuments
      .filter((nb) => nb.notebookType === NOTEBOOK_TYPE)
      .map((nb) => [nb.uri.path, nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code).map((c) => c.document.uri.fragment)])),
  });
  const schedule = () => { clearTimeout(pending); pending = setTimeout(send, 200); };
  context.subscriptions.push(
    vscode.workspace.onDidOpenNotebookDocument(schedule),
    vscode.workspace.onDidCloseNotebookDocument(schedule),
    vscode.workspace.onDidChangeNotebookDocument((e) => { if (e.contentChanges.length) schedule(); }),
    { dispose: () => clearTimeout(pending) },
  );
  // The TypeScript extension activates anyway when a TypeScript cell is shown; wait for it
  // rather than activating it here, so opening a notebook stays light.
  const ts = vscode.extensions.getExtension<{ getAPI?(v: number): TsApi }>('vscode.typescript-language-features');
  if (!ts) return;
  const attach = () => { api = ts.exports?.getAPI?.(0); schedule(); };
  if (ts.isActive) attach();
  else {
    const timer = setInterval(() => { if (ts.isActive) { clearInterval(timer); attach(); } }, 1000);
    context.subscriptions.push({ dispose: () => clearInterval(timer) });
  }
}
