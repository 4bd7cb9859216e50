/**
 * The extension's side of the chart renderer's messages, as plain Node (no vscode import) so the
 * same code runs in the extension and in unit tests with injected dialogs, file system and
 * clipboard (test/unit/security/messages.test.ts).
 *
 * Messages are requests, not commands (docs/security.md): a webview that runs a shared
 * notebook's script could post anything. So every field is checked here:
 *  - unknown or malformed messages are dropped and logged;
 *  - a suggested file name is reduced to a base name with the extension's own suffix, and the
 *    save dialog starts in the notebook's folder; the user picks the target in the dialog;
 *  - the bytes written must be what Plotly.toImage produces: a PNG (signature + IHDR) or an SVG
 *    document (root <svg> in the SVG namespace, no script, event handlers, javascript: URLs or
 *    foreign objects);
 *  - the clipboard only receives the figure JSON of a chart output that is in this notebook,
 *    serialized here; text the renderer sends is only used to find which output it means.
 */
import { dataUrlToBytes, safeFileName, type ExtensionToRenderer, type ImageFormat } from '../shared/renderer-messages';
import { outputError, parseOutputRequest, type OutputReply, type OutputRequest } from '../shared/output-requests';

export interface RendererRequestDeps {
  /** folder of the notebook the message came from (undefined for an untitled notebook without a workspace) */
  notebookFolder(): string | undefined;
  /** figures of the notebook's chart outputs (parsed from their stored JSON) */
  chartFigures(): unknown[];
  /** shows a save dialog; resolves to the chosen path, undefined when cancelled */
  showSaveDialog(o: { defaultPath?: string; format: ImageFormat; title: string }): Promise<string | undefined>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  writeClipboard(text: string): Promise<void>;
  /** a short confirmation for the user (status bar / notification) */
  info(message: string): void;
  /** dropped or refused requests, for the extension's log */
  log(message: string): void;
  reply(m: ExtensionToRenderer): void;
  /** joins a folder and a base name (path.join in the extension) */
  join(folder: string, name: string): string;
  /**
   * Sends a validated output request to the notebook's kernel (undefined: no kernel API here);
   * `requestId` lets a later kernel-cancel find it.
   */
  kernelRequest?(request: OutputRequest, requestId: string): Promise<OutputReply>;
  kernelCancel?(requestId: string): void;
}

/** Images larger than this are refused (a PNG of a large chart at 2x is a few MB). */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
const MAX_ID = 200;

/** A suggested name reduced to a base name with the format's own suffix. */
export function imageFileName(suggested: unknown, format: ImageFormat): string {
  const raw = typeof suggested === 'string' ? suggested : '';
  const base = raw.split(/[\\/]/).pop() ?? '';
  return safeFileName(base.replace(/\.(png|svg)$/i, ''), format);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Why bytes are not an image the chart renderer produced, or undefined when they are one. */
export function imageProblem(bytes: Uint8Array, format: ImageFormat): string | undefined {
  if (bytes.length === 0) return 'the image is empty';
  if (bytes.length > MAX_IMAGE_BYTES) return `the image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
  if (format === 'png') {
    if (bytes.length < 33 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b))
      return 'the content is not a PNG image (no PNG signature)';
    if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
      return 'the content is not a PNG image (no IHDR chunk)';
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'the content is not an SVG document (not UTF-8 text)';
  }
  const head = text.replace(/^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?/, '');
  if (!/^<svg[\s>]/.test(head) || !/^<svg[^>]*\sxmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(head))
    return 'the content is not an SVG document (no <svg> root in the SVG namespace)';
  if (!/<\/svg>\s*$/.test(text)) return 'the content is not an SVG document (it does not end with </svg>)';
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return 'the SVG declares a DOCTYPE or entities, which a chart image never has';
  // only markup counts: text content is entity-escaped ("&#60;a href=…" in a title is text)
  for (const [tag] of text.matchAll(/<[^>]*>/g)) {
    const name = /^<\/?\s*([\w:-]+)/.exec(tag)?.[1]?.toLowerCase() ?? '';
    if (/^(script|foreignobject|iframe|object|embed|handler|listener)$/.test(name))
      return 'the SVG holds script or embedded content, which a chart image never has';
    if (/\son[a-z]+\s*=/i.test(tag)) return 'the SVG holds event handlers, which a chart image never has';
    if (/(?:href|src)\s*=\s*["']?\s*(?!#|data:image\/(?:png|jpeg|gif|webp);)[^"'\s>]/i.test(tag))
      return 'the SVG links to a document or to the network, which a chart image never does';
    if (/url\(\s*["']?\s*(?!#)/i.test(tag))
      return 'the SVG loads a resource through url(), which a chart image never does';
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Canonical text of a figure, the same the renderer puts on the clipboard. */
export function figureText(figure: unknown): string {
  return JSON.stringify(figure, null, 1);
}

/** Handles one message from the chart renderer. Resolves when the request is done or refused. */
export async function handleRendererMessage(message: unknown, d: RendererRequestDeps): Promise<void> {
  const drop = (why: string) => {
    d.log(`Market Notebooks: dropped a message from the chart renderer: ${why}`);
  };
  if (!isObject(message)) return drop('not an object');
  const { type, requestId } = message;
  if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > MAX_ID)
    return drop('no valid requestId');
  if (type === 'save-image') {
    const format = message.format;
    if (format !== 'png' && format !== 'svg')
      return drop(`unknown image format ${JSON.stringify(String(format)).slice(0, 40)}`);
    if (typeof message.dataUrl !== 'string') return drop('no image data');
    const refuse = (error: string) => {
      d.log(`Market Notebooks: refused to save a chart image: ${error}`);
      d.reply({ type: 'save-image-result', requestId, ok: false, error });
    };
    const prefix = format === 'png' ? /^data:image\/png[;,]/ : /^data:image\/svg\+xml[;,]/;
    if (!prefix.test(message.dataUrl)) return refuse(`the data is not a ${format.toUpperCase()} data URL`);
    let bytes: Uint8Array;
    try {
      bytes = dataUrlToBytes(message.dataUrl);
    } catch (e) {
      return refuse(`the image data cannot be decoded (${(e as Error).message})`);
    }
    const problem = imageProblem(bytes, format);
    if (problem) return refuse(problem);
    const name = imageFileName(message.suggestedName, format);
    const folder = d.notebookFolder();
    const target = await d.showSaveDialog({
      defaultPath: folder ? d.join(folder, name) : undefined,
      format,
      title: `Save chart as ${format.toUpperCase()}`,
    });
    if (!target) {
      d.reply({ type: 'save-image-result', requestId, ok: false, cancelled: true });
      return;
    }
    if (!target.toLowerCase().endsWith(`.${format}`)) return refuse(`the file name must end with .${format}`);
    try {
      await d.writeFile(target, bytes);
      d.reply({ type: 'save-image-result', requestId, ok: true, path: target });
      d.info(`Saved ${target}`);
    } catch (e) {
      const error = (e as Error).message;
      d.reply({ type: 'save-image-result', requestId, ok: false, error });
    }
    return;
  }
  if (type === 'copy-text') {
    if (message.what !== 'figure-json' || typeof message.text !== 'string')
      return drop('copy-text without figure JSON');
    const refuse = (error: string) => {
      d.log(`Market Notebooks: refused to copy to the clipboard: ${error}`);
      d.reply({ type: 'copy-text-result', requestId, ok: false, error });
    };
    let asked: unknown;
    try {
      asked = JSON.parse(message.text);
    } catch {
      return refuse('the text is not figure JSON');
    }
    const wanted = figureText(asked);
    const figure = d.chartFigures().find((f) => figureText(f) === wanted);
    if (figure === undefined) return refuse('the text is not the figure of a chart in this notebook');
    try {
      await d.writeClipboard(figureText(figure));
      d.info('Market Notebooks: figure JSON copied');
      d.reply({ type: 'copy-text-result', requestId, ok: true });
    } catch (e) {
      d.reply({ type: 'copy-text-result', requestId, ok: false, error: (e as Error).message });
    }
    return;
  }
  if (type === 'kernel-request') {
    const parsed = parseOutputRequest(message.request);
    const send = (reply: OutputReply) => d.reply({ type: 'kernel-reply', requestId, ok: reply.ok, reply });
    if ('problem' in parsed) {
      d.log(`Market Notebooks: refused an output request: ${parsed.problem}`);
      send(outputError('invalid', parsed.problem));
      return;
    }
    if (!d.kernelRequest) {
      send(outputError('no-kernel', 'this notebook has no kernel'));
      return;
    }
    let reply: OutputReply;
    try {
      reply = await d.kernelRequest(parsed.request, requestId);
    } catch (e) {
      reply = outputError('failed', (e as Error).message);
    }
    send(reply);
    return;
  }
  if (type === 'kernel-cancel') {
    d.kernelCancel?.(requestId);
    return;
  }
  return drop(`unknown type ${JSON.stringify(String(type)).slice(0, 60)}`);
}
