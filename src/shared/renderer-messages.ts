/**
 * Messages between the notebook renderers (browser, renderers/*.ts) and the extension host.
 * Transport: VS Code renderer messaging,
 *   extension: vscode.notebooks.createRendererMessaging(CHART_RENDERER_ID)
 *   renderer:  ctx.postMessage(msg) / ctx.onDidReceiveMessage(cb)
 * The renderers declare `"requiresMessaging": "optional"`: when messaging is not available
 * (ctx.postMessage undefined, e.g. a static HTML export) the buttons degrade gracefully.
 *
 * This file is imported by BOTH sides; keep it free of Node, DOM and vscode APIs.
 * Documented in docs/charts.md ("Renderer messaging").
 */

import { isOutputReply, parseOutputRequest, type OutputReply, type OutputRequest } from './output-requests';

/** Renderer ids, as in package.json `contributes.notebookRenderer[].id`. */
export const CHART_RENDERER_ID = 'mktnb-chart';
export const TABLE_RENDERER_ID = 'mktnb-table';

export type ImageFormat = 'png' | 'svg';

/** Renderer → extension. */
export type RendererToExtension =
  | {
      /** Ask the extension to show a save dialog and write the image the user exports. */
      type: 'save-image';
      /** correlates the reply */
      requestId: string;
      format: ImageFormat;
      /** 'data:image/png;base64,…' or 'data:image/svg+xml,…' (URI-encoded) as Plotly.toImage gives it */
      dataUrl: string;
      /** file name without folder, e.g. "btc-vs-eth.png" (already safe: see safeFileName) */
      suggestedName: string;
    }
  | {
      /** Copy text to the system clipboard (fallback when navigator.clipboard is refused in the webview). */
      type: 'copy-text';
      requestId: string;
      /** what is being copied, for the extension's status message */
      what: 'figure-json';
      text: string;
    }
  /** Ask the notebook's kernel for data behind an output (src/shared/output-requests.ts). */
  | { type: 'kernel-request'; requestId: string; request: OutputRequest }
  /** The renderer no longer wants the answer to that request (a newer zoom superseded it). */
  | { type: 'kernel-cancel'; requestId: string };

/** Extension → renderer (optional: a renderer that gets no reply shows nothing). */
export type ExtensionToRenderer =
  | {
      type: 'save-image-result';
      requestId: string;
      ok: boolean;
      /** path written */ path?: string;
      /** user cancelled the dialog */ cancelled?: boolean;
      error?: string;
    }
  | { type: 'copy-text-result'; requestId: string; ok: boolean; error?: string }
  | { type: 'kernel-reply'; requestId: string; /** reply.ok */ ok: boolean; reply: OutputReply };

/** Runtime check of an incoming renderer message (the extension must not trust the webview blindly). */
export function isRendererToExtension(v: unknown): v is RendererToExtension {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  if (typeof m.requestId !== 'string') return false;
  if (m.type === 'save-image') {
    return (
      (m.format === 'png' || m.format === 'svg') &&
      typeof m.dataUrl === 'string' &&
      typeof m.suggestedName === 'string' &&
      (m.dataUrl as string).startsWith(m.format === 'png' ? 'data:image/png' : 'data:image/svg+xml')
    );
  }
  if (m.type === 'copy-text') return m.what === 'figure-json' && typeof m.text === 'string';
  if (m.type === 'kernel-request') return 'request' in parseOutputRequest(m.request);
  if (m.type === 'kernel-cancel') return true;
  return false;
}

export function isExtensionToRenderer(v: unknown): v is ExtensionToRenderer {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  if (typeof m.requestId !== 'string') return false;
  if (m.type === 'kernel-reply') return isOutputReply(m.reply);
  return (m.type === 'save-image-result' || m.type === 'copy-text-result') && typeof m.ok === 'boolean';
}

/**
 * Decodes a data: URL (base64 or URI-encoded, as Plotly.toImage returns for png and svg) to bytes.
 * The extension writes these bytes with vscode.workspace.fs.writeFile.
 */
export function dataUrlToBytes(dataUrl: string): Uint8Array {
  const comma = dataUrl.indexOf(',');
  if (!dataUrl.startsWith('data:') || comma < 0) throw new Error('not a data: URL');
  const header = dataUrl.slice(5, comma);
  const body = dataUrl.slice(comma + 1);
  if (/;base64$/i.test(header)) {
    const bin = atob(body);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  return new TextEncoder().encode(decodeURIComponent(body));
}

/** A file name derived from a chart title: letters, digits, '-', '_' and '.', at most 80 characters. */
export function safeFileName(title: string | undefined, ext: string): string {
  const base = (title ?? '')
    .replace(/<[^>]*>/g, ' ')
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${base || 'chart'}.${ext}`;
}
