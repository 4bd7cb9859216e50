/**
 * Extension side of the chart renderer's messages (contract: src/shared/renderer-messages.ts):
 * a webview cannot download files, so the renderer asks the extension to save an exported
 * image, or to copy the figure JSON when the webview's clipboard is refused.
 */
import * as vscode from 'vscode';
import { CHART_RENDERER_ID, dataUrlToBytes, isRendererToExtension, type ExtensionToRenderer } from '../shared/renderer-messages';

export function registerRendererMessaging(context: vscode.ExtensionContext): void {
  const messaging = vscode.notebooks.createRendererMessaging(CHART_RENDERER_ID);
  context.subscriptions.push(messaging.onDidReceiveMessage(async ({ editor, message }) => {
    if (!isRendererToExtension(message)) return;
    const reply = (m: ExtensionToRenderer) => void messaging.postMessage(m, editor);
    if (message.type === 'copy-text') {
      try {
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage('Market Notebooks: figure JSON copied', 3000);
        reply({ type: 'copy-text-result', requestId: message.requestId, ok: true });
      } catch (e) {
        reply({ type: 'copy-text-result', requestId: message.requestId, ok: false, error: (e as Error).message });
      }
      return;
    }
    const nb = editor.notebook;
    const folder = nb.isUntitled ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(nb.uri, '..');
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, message.suggestedName) : undefined,
      filters: message.format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
      title: `Save chart as ${message.format.toUpperCase()}`,
    });
    if (!target) { reply({ type: 'save-image-result', requestId: message.requestId, ok: false, cancelled: true }); return; }
    try {
      await vscode.workspace.fs.writeFile(target, dataUrlToBytes(message.dataUrl));
      reply({ type: 'save-image-result', requestId: message.requestId, ok: true, path: target.fsPath });
      void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}`);
    } catch (e) {
      const error = (e as Error).message;
      reply({ type: 'save-image-result', requestId: message.requestId, ok: false, error });
      void vscode.window.showErrorMessage(`Could not save the chart: ${error}`);
    }
  }));
}
