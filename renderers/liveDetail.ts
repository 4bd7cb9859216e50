/**
 * Kernel detail for a chart's live traces (docs/charts.md, "Outputs that ask the kernel"): on a
 * zoom or pan the visible x range is asked of the kernel that drew the chart, at the plot's pixel
 * width, and the answer replaces the stored points of those traces. Debounced, superseding (a
 * newer range cancels the request in flight and its late answer is ignored); an autorange
 * restores the stored points; a kernel without the data ("gone", "no-kernel") ends the asking and
 * the note under the chart says so. Protocol: src/shared/output-requests.ts.
 */
import type { ChartOutput, LiveTrace } from '../src/shared/schemas';
import { isOutputHandle, type OutputReply } from '../src/shared/output-requests';
import type { RendererToExtension } from '../src/shared/renderer-messages';
import { isoTime } from './chartLayout';
import { drawnPlot, type ResolvedAxis } from './chartFigure';

/** What the chart view lends: its elements, data, Plotly and a few of its actions. */
export interface LiveHost {
  id: string;
  root: HTMLElement;
  plotEl: HTMLElement;
  /** the sanitized traces (Plotly keeps these objects and restyle writes into them) */
  data: Record<string, unknown>[];
  plotly: { restyle(el: HTMLElement, update: Record<string, unknown>, traces: number[]): unknown };
  width(): number;
  say(msg: string, error?: boolean): void;
  setNote(text: string): void;
  /** fits the y axes of time-series panes to what is drawn (when the chart does that) */
  fitY(): void;
  post(m: RendererToExtension): void;
  /** request id -> the detail that asked (the renderer's reply router) */
  pending: Map<string, LiveDetail>;
}

/** The output's live traces whose handle has the kernel's form and whose trace exists. */
export function liveTracesOf(output: ChartOutput, data: Record<string, unknown>[]): LiveTrace[] {
  return (Array.isArray(output.live) ? output.live : []).filter(
    (l) =>
      l &&
      isOutputHandle(l.handle) &&
      Number.isInteger(l.trace) &&
      l.trace >= 0 &&
      l.trace < data.length &&
      Array.isArray(data[l.trace].y),
  );
}

let seq = 0;

export class LiveDetail {
  /** the kernel answered 'gone' / 'no-kernel' once: zoom uses the stored points from then on */
  private gone = false;
  private timer = 0;
  /** the latest request: replies to older ones are ignored */
  private req: string | undefined;
  /** the stored x/y of the live traces */
  private readonly stored = new Map<number, { x: unknown; y: unknown }>();
  private disposed = false;

  constructor(
    private readonly live: LiveTrace[],
    private readonly storedNote: string,
    private readonly h: LiveHost,
  ) {
    for (const l of live) stored(this.stored, l.trace, h.data[l.trace]);
  }

  active(): boolean {
    return !this.gone && !this.disposed && this.live.length > 0;
  }

  private axis(): ResolvedAxis | undefined {
    const fl = drawnPlot(this.h.plotEl)._fullLayout;
    return fl?.[`xaxis${String(this.h.data[this.live[0].trace].xaxis ?? 'x').slice(1)}`];
  }

  /** The live traces' x axis is zoomed (not autoranged). */
  zoomed(): boolean {
    return this.axis()?.autorange === false;
  }

  /** Asks after `ms` without further zoom events (a drag or a wheel fires many). */
  schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      this.ask();
    }, ms);
  }

  private cancel(): void {
    if (!this.req) return;
    this.h.post({ type: 'kernel-cancel', requestId: this.req });
    this.h.pending.delete(this.req);
    this.req = undefined;
  }

  private ask(): void {
    if (!this.active()) return;
    const ax = this.axis();
    this.cancel();
    if (!ax || ax.autorange === true || !Array.isArray(ax.range)) {
      this.restoreStored();
      return;
    }
    const a = Number(ax.r2l(ax.range[0])),
      z = Number(ax.r2l(ax.range[1]));
    if (!Number.isFinite(a) || !Number.isFinite(z)) return;
    const requestId = `${this.h.id}:k${++seq}`;
    this.req = requestId;
    this.h.pending.set(requestId, this);
    this.h.root.dataset.detail = 'asking';
    this.h.post({
      type: 'kernel-request',
      requestId,
      request: {
        op: 'series-range',
        handles: this.live.map((l) => l.handle),
        x0: Math.min(a, z),
        x1: Math.max(a, z),
        columns: Math.max(200, Math.round(this.h.width())),
      },
    });
  }

  /** The kernel's answer for the latest range: redraw the live traces with it, or fall back to the stored points. */
  reply(requestId: string, reply: OutputReply): void {
    if (requestId !== this.req || this.disposed) return;
    this.req = undefined;
    const root = this.h.root;
    if (!reply.ok) {
      if (reply.error.code === 'cancelled') return;
      if (reply.error.code === 'gone' || reply.error.code === 'no-kernel') {
        // detail drawn from earlier answers goes too: what is shown is what the notebook stored
        this.restoreStored();
        this.h.fitY();
        this.gone = true;
        root.dataset.detail = 'stored';
        this.h.setNote(
          `${this.storedNote.replace(' Zoom asks the kernel for full detail.', '')} The kernel that drew this chart no longer has its data (${reply.error.code === 'no-kernel' ? 'no kernel is running' : 'restarted or released'}): zoom shows the stored points.`.trim(),
        );
        return;
      }
      this.h.fitY();
      root.dataset.detail = 'error';
      this.h.say(`Could not get detail from the kernel: ${reply.error.message}`, true);
      return;
    }
    if (reply.result.op !== 'series-range' || reply.result.traces.length !== this.live.length) return;
    const xs: unknown[][] = [],
      ys: unknown[][] = [];
    let shown = 0,
      visible = 0,
      raw = true;
    for (const t of reply.result.traces) {
      xs.push(t.time ? t.x.map(isoTime) : t.x);
      ys.push(t.y);
      shown += t.y.length;
      visible += t.visible;
      raw &&= t.raw;
    }
    this.h.plotly.restyle(
      this.h.plotEl,
      { x: xs, y: ys },
      this.live.map((l) => l.trace),
    );
    this.h.fitY();
    root.dataset.detail = raw ? 'raw' : 'kernel';
    root.dataset.visiblePoints = String(shown);
    root.dispatchEvent(
      new CustomEvent('mktnb-chart-detail', { bubbles: true, detail: { points: shown, visible, raw } }),
    );
    this.h.say(
      raw
        ? `All ${visible.toLocaleString('en-US')} points in view, from the kernel`
        : `${visible.toLocaleString('en-US')} points in view, drawn as ${shown.toLocaleString('en-US')} (min/max per pixel) from the kernel`,
    );
  }

  /** Back to what the output stored (the whole range is shown). */
  private restoreStored(): void {
    if (
      this.h.root.dataset.detail === undefined ||
      !Array.isArray((this.h.plotEl as unknown as { data?: unknown }).data)
    )
      return;
    const idx = this.live.map((l) => l.trace);
    this.h.plotly.restyle(
      this.h.plotEl,
      { x: idx.map((i) => this.stored.get(i)!.x), y: idx.map((i) => this.stored.get(i)!.y) },
      idx,
    );
    delete this.h.root.dataset.detail;
    this.h.say('');
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.cancel();
  }
}

function stored(m: Map<number, { x: unknown; y: unknown }>, trace: number, t: Record<string, unknown>): void {
  m.set(trace, { x: t.x, y: t.y });
}
