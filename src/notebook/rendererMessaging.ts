/**
 * Extension side of the renderers' messages (contract: src/shared/renderer-messages.ts): a webview
 * cannot download files, so the chart renderer asks the extension to save an exported image, or
 * to copy the figure JSON when the webview's clipboard is refused; charts and tables ask the
 * notebook's kernel for the data behind them (zoom, pages: src/shared/output-requests.ts). Every
 * request is validated by handleRendererMessage (src/notebook/rendererRequests.ts, unit-tested);
 * this file only connects it to VS Code.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { CHART_RENDERER_ID, TABLE_RENDERER_ID } from '../shared/renderer-messages';
import { outputError } from '../shared/output-requests';
import { CHART_MIME } from '../shared/schemas';
import type { KernelClient } from '../kernel/client';
import { handleRendererMessage } from './rendererRequests';
import { extensionLog } from './log';

/** What the messaging needs of the controller: the notebook's running kernel. */
export interface KernelSource {
  runningKernel(nb: vscode.NotebookDocument): Promise<KernelClient | undefined>;
}

export function registerRendererMessaging(context: vscode.ExtensionContext, kernels?: KernelSource): void {
  const log = extensionLog(context);
  // in-flight kernel requests by webview + request id, so a kernel-cancel finds its request
  const inFlight = new Map<string, () => void>();
  for (const id of [CHART_RENDERER_ID, TABLE_RENDERER_ID]) {
    const messaging = vscode.notebooks.createRendererMessaging(id);
    context.subscriptions.push(
      messaging.onDidReceiveMessage(({ editor, message }) => {
        const key = (requestId: string) => `${id}|${editor.notebook.uri.toString()}|${requestId}`;
        return handleRendererMessage(message, {
          notebookFolder: () => {
            const nb = editor.notebook;
            if (!nb.isUntitled && nb.uri.scheme === 'file') return path.dirname(nb.uri.fsPath);
            return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
          },
          chartFigures: () =>
            editor.notebook
              .getCells()
              .flatMap((c) => c.outputs)
              .flatMap((o) => o.items)
              .filter((it) => it.mime === CHART_MIME)
              .flatMap((it) => {
                try {
                  return [(JSON.parse(new TextDecoder().decode(it.data)) as { figure?: unknown }).figure];
                } catch {
                  return [];
                }
              })
              .filter((f) => f !== undefined),
          showSaveDialog: async (o) =>
            (
              await vscode.window.showSaveDialog({
                defaultUri: o.defaultPath ? vscode.Uri.file(o.defaultPath) : undefined,
                filters: o.format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
                title: o.title,
              })
            )?.fsPath,
          writeFile: (p, bytes) => Promise.resolve(vscode.workspace.fs.writeFile(vscode.Uri.file(p), bytes)),
          writeClipboard: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
          info: (m) => {
            void vscode.window.setStatusBarMessage(m.startsWith('Saved ') ? `Market Notebooks: ${m}` : m, 4000);
          },
          log: (m) => log.warn(m),
          reply: (m) => void messaging.postMessage(m, editor),
          join: path.join,
          kernelRequest: async (request, requestId) => {
            const k = await kernels?.runningKernel(editor.notebook);
            if (!k) return outputError('no-kernel', 'this notebook has no running kernel');
            const { reply, cancel } = k.outputRequest(request);
            inFlight.set(key(requestId), cancel);
            try {
              return await reply;
            } finally {
              inFlight.delete(key(requestId));
            }
          },
          kernelCancel: (requestId) => inFlight.get(key(requestId))?.(),
        });
      }),
    );
  }
}
