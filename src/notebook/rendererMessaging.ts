/**
 * Extension side of the chart renderer's messages (contract: src/shared/renderer-messages.ts):
 * a webview cannot download files, so the renderer asks the extension to save an exported
 * image, or to copy the figure JSON when the webview's clipboard is refused. Every request is
 * validated by handleRendererMessage (src/notebook/rendererRequests.ts, unit-tested); this file
 * only connects it to VS Code.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { CHART_RENDERER_ID } from '../shared/renderer-messages';
import { CHART_MIME } from '../shared/schemas';
import { handleRendererMessage } from './rendererRequests';

export function registerRendererMessaging(context: vscode.ExtensionContext): void {
  const messaging = vscode.notebooks.createRendererMessaging(CHART_RENDERER_ID);
  const log = vscode.window.createOutputChannel('Market Notebooks', { log: true });
  context.subscriptions.push(log, messaging.onDidReceiveMessage(({ editor, message }) => handleRendererMessage(message, {
    notebookFolder: () => {
      const nb = editor.notebook;
      if (!nb.isUntitled && nb.uri.scheme === 'file') return path.dirname(nb.uri.fsPath);
      return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    },
    chartFigures: () => editor.notebook.getCells().flatMap((c) => c.outputs).flatMap((o) => o.items).filter((it) => it.mime === CHART_MIME).flatMap((it) => {
      try { return [(JSON.parse(new TextDecoder().decode(it.data)) as { figure?: unknown }).figure]; } catch { return []; }
    }).filter((f) => f !== undefined),
    showSaveDialog: async (o) => (await vscode.window.showSaveDialog({
      defaultUri: o.defaultPath ? vscode.Uri.file(o.defaultPath) : undefined,
      filters: o.format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
      title: o.title,
    }))?.fsPath,
    writeFile: (p, bytes) => Promise.resolve(vscode.workspace.fs.writeFile(vscode.Uri.file(p), bytes)),
    writeClipboard: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    info: (m) => { void vscode.window.setStatusBarMessage(m.startsWith('Saved ') ? `Market Notebooks: ${m}` : m, 4000); },
    log: (m) => log.warn(m),
    reply: (m) => void messaging.postMessage(m, editor),
    join: path.join,
  })));
}
