/**
 * The chart toolbar's exports: PNG and SVG images are handed to the extension to save (a
 * download does not work in a webview; a plain page downloads them), the figure JSON goes to the
 * clipboard (through the extension when the webview has none), and the extension's answers show
 * in the chart's status line. Messages: src/shared/renderer-messages.ts.
 */
import {
  safeFileName,
  type ExtensionToRenderer,
  type ImageFormat,
  type RendererToExtension,
} from '../src/shared/renderer-messages';
import type { ChartOutput } from '../src/shared/schemas';
import { DEFAULT_HEIGHT } from './chartFigure';
import { titleText } from './chartLayout';

/** What an export needs of its chart view. */
export interface ExportHost {
  id: string;
  plotEl: HTMLElement;
  output: ChartOutput;
  /** the figure's own layout (height, title) */
  layout: Record<string, unknown>;
  plotly: { toImage(el: HTMLElement, opts: Record<string, unknown>): Promise<string> };
  width(): number;
  /** draws the chart first if it has not been drawn yet */
  ensureDrawn(): Promise<void>;
  say(msg: string, error?: boolean): void;
  /** posts to the extension; undefined where the renderer cannot */
  post: ((m: RendererToExtension) => void) | undefined;
  /** request id -> the export waiting for the extension's answer */
  pending: Map<string, ChartExport>;
}

let seq = 0;

export class ChartExport {
  constructor(private readonly h: ExportHost) {}

  async saveImage(format: ImageFormat): Promise<void> {
    const h = this.h;
    await h.ensureDrawn();
    try {
      const w = h.width(),
        height = Number(h.layout.height) || DEFAULT_HEIGHT;
      const dataUrl: string = await h.plotly.toImage(h.plotEl, {
        format,
        width: w,
        height,
        scale: format === 'png' ? 2 : 1,
      });
      const suggestedName = safeFileName(h.output.title ?? titleText(h.layout), format);
      if (h.post) {
        const requestId = `${h.id}:${++seq}`;
        h.pending.set(requestId, this);
        h.post({ type: 'save-image', requestId, format, dataUrl, suggestedName });
        h.say(`Saving ${format.toUpperCase()}…`);
      } else {
        const a = document.createElement('a');
        a.href = dataUrl;
        a.download = suggestedName;
        a.click();
        h.say(`Downloaded ${suggestedName}`);
      }
    } catch (e) {
      h.say(`Could not export ${format.toUpperCase()}: ${(e as Error).message}`, true);
    }
  }

  async copyJson(): Promise<void> {
    const h = this.h;
    const text = JSON.stringify(h.output.figure, null, 1);
    try {
      await navigator.clipboard.writeText(text);
      h.say('Copied the figure JSON');
    } catch {
      if (h.post) {
        const requestId = `${h.id}:${++seq}`;
        h.pending.set(requestId, this);
        h.post({ type: 'copy-text', requestId, what: 'figure-json', text });
        h.say('Copying the figure JSON…');
      } else h.say('The clipboard is not available here', true);
    }
  }

  /** The extension's answer to a save or a copy. */
  reply(m: ExtensionToRenderer): void {
    const h = this.h;
    if (m.type === 'save-image-result')
      h.say(
        m.ok ? `Saved ${m.path ?? ''}`.trim() : m.cancelled ? '' : `Could not save: ${m.error ?? 'unknown error'}`,
        !m.ok && !m.cancelled,
      );
    else if (m.type === 'copy-text-result')
      h.say(m.ok ? 'Copied the figure JSON' : `Could not copy: ${m.error ?? 'unknown error'}`, !m.ok);
  }
}
