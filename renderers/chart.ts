/**
 * Notebook renderer for CHART_MIME (application/vnd.mktnb.chart+json): an interactive Plotly
 * chart, themed from the VS Code webview's CSS variables.
 *
 *  - plotly.js-dist-min is bundled (nothing from a CDN); MathJax is never loaded or used.
 *  - Charts draw when they scroll into view (IntersectionObserver), follow the output width
 *    (ResizeObserver → Plotly.Plots.resize), re-color when the theme changes
 *    (MutationObserver on body class / html style), and are purged on dispose.
 *  - Long line traces are drawn decimated (min/max per pixel column) and re-decimated for the
 *    visible range when the user zooms.
 *  - Strings are sanitized (src/shared/sanitize.ts); DOM text outside Plotly uses textContent.
 *  - A toolbar (PNG, SVG, JSON) asks the extension to save images (a download does not work in
 *    a webview) and copies the figure JSON; messages are in src/shared/renderer-messages.ts.
 *
 * Its parts live beside it: what Plotly is given (chartFigure.ts), when charts draw and re-color
 * (chartSchedule.ts), the toolbar's exports (chartExport.ts), kernel detail on zoom
 * (liveDetail.ts), decimation (decimate.ts), layout helpers (chartLayout.ts), the theme
 * (theme.ts) and the DOM pieces (dom.ts).
 *
 * (Over 300 lines on purpose: ChartView, about 300 lines by itself, is one chart's lifecycle, and
 * its zoom handling (re-decimation, y fitting, the box-zoom toggle) reads and sets the same view
 * state as draw, resize, re-theme and dispose; it stays whole so that state has one owner. The
 * activation at the end (about 70 lines) owns the registries ChartView posts through: the
 * renderer context, the live views and the requests in flight.)
 */
import Plotly, {
  type Config,
  type Data,
  type Datum,
  type Frame,
  type Layout,
  type PlotlyDataLayoutConfig,
  type PlotlyHTMLElement,
  type PlotRelayoutEvent,
  type Root,
} from 'plotly.js-dist-min';
import { validateChart, type ChartOutput } from '../src/shared/schemas';
import { LiveDetail, liveTracesOf } from './liveDetail';
import { isExtensionToRenderer, type RendererToExtension } from '../src/shared/renderer-messages';
import type { ActivationFunction, OutputItem, RendererContext } from 'vscode-notebook-renderer';
import { prepareBigTrace, type BigTrace } from './decimate';
import { droppedNote, MAP_TRACE, sanitizeConfig, sanitizeFigureReport } from '../src/shared/sanitize';
import { withAlpha } from './theme';
import { installStyle } from './style';
import { el, button, showError, scrubSvgText } from './dom';
import { timeSeriesAxes } from './chartLayout';
import {
  decimatedData,
  decimatedXY,
  DEFAULT_HEIGHT,
  fittedY,
  fullConfig,
  fullLayout,
  keepZoom,
  storedPointsNotes,
  xRangeShown,
} from './chartFigure';
import { drawWhenVisible, schedule, theme, unschedule, watchTheme } from './chartSchedule';
import { ChartExport } from './chartExport';

export { el, showError, scrubSvgText } from './dom';
export { isoTime, timeSeriesAxes } from './chartLayout';
import { hoverFormats } from '../src/shared/format';

// plotly.js's react takes the whole figure (data, layout, config, frames) as newPlot does; its d.ts
// declares only react(root, data, layout, config), which would drop the frames of an animated chart
declare module 'plotly.js-dist-min/src/types/core/api' {
  export function react(root: Root, figure: PlotlyDataLayoutConfig): Promise<PlotlyHTMLElement>;
}

const P = Plotly;

/** Tunables; exported for the browser tests and the benchmark. */
export const rendererOptions = {
  /** decimate traces with at least this many points */
  decimateAbove: 5000,
  /** false draws every point (benchmark baseline) */
  decimate: true,
  /** false draws immediately instead of when visible */
  lazy: true,
  /** margin around the viewport that counts as visible */
  lazyMargin: '400px 0px',
  /** output width (px) under which the layout is compacted */
  narrowWidth: 520,
  /** ms after the last zoom/pan event before the kernel is asked for that range */
  zoomDebounceMs: 120,
};

let ctxRef: RendererContext<unknown> | undefined;
const views = new Map<string, ChartView>();
/** save and copy requests in flight: request id -> the export that asked */
const pending = new Map<string, ChartExport>();
/** kernel requests in flight: request id -> the chart that asked */
const kernelPending = new Map<string, LiveDetail>();

class ChartView {
  readonly root: HTMLDivElement;
  readonly plotEl: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly note: HTMLDivElement;
  private ro?: ResizeObserver;
  private big: BigTrace[] = [];
  private drawn = false;
  private disposed = false;
  private narrow = false;
  private resizeTimer = 0;
  private data: Record<string, unknown>[] = [];
  private layout: Record<string, unknown> = {};
  private config: Record<string, unknown> = {};
  /** animation frames (the cascade replay): passed to Plotly so Play and the slider animate */
  private frames: Record<string, unknown>[] | undefined;
  private t0 = 0;
  private lastRange = '';
  /** time-series panes: y axis id (yaxis, yaxis2 …) -> its x axis id; drag-zoom there is x-only with y fitted */
  private timeY = new Map<string, string>();
  /** the modebar's "Box zoom" is on: drag-zoom changes x and y */
  private boxZoom = false;
  /** y axis id -> d3 hover format from the shared number rules, for axes that set none */
  private hover: Record<string, string> = {};
  /** kernel detail for traces whose full data the kernel keeps (renderers/liveDetail.ts) */
  private live?: LiveDetail;
  private readonly exporter: ChartExport;

  constructor(
    readonly id: string,
    readonly element: HTMLElement,
    readonly output: ChartOutput,
  ) {
    this.root = el('div', 'mktnb-chart');
    const bar = el('div', 'mktnb-toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.append(
      button('PNG', 'Save the chart as a PNG image', () => this.exporter.saveImage('png')),
      button('SVG', 'Save the chart as an SVG image', () => this.exporter.saveImage('svg')),
      button('JSON', 'Copy the figure JSON to the clipboard', () => this.exporter.copyJson()),
    );
    this.plotEl = el('div', 'mktnb-plot');
    const h = Number(output.figure.layout?.height) || DEFAULT_HEIGHT;
    this.plotEl.style.minHeight = `${h}px`;
    this.plotEl.classList.add('mktnb-pending');
    this.note = el('div', 'mktnb-note');
    this.status = el('div', 'mktnb-status');
    this.status.setAttribute('role', 'status');
    const footer = el('div', 'mktnb-footer');
    footer.append(this.note, this.status, bar);
    this.root.append(this.plotEl, footer);
    element.replaceChildren(this.root);
    this.prepare();
    this.exporter = new ChartExport({
      id,
      output,
      plotEl: this.plotEl,
      layout: this.layout,
      plotly: P,
      pending,
      get post() {
        return ctxRef?.postMessage ? post : undefined;
      },
      width: () => this.width(),
      say: (m, e) => this.say(m, e),
      ensureDrawn: () => (this.drawn ? Promise.resolve() : this.draw()),
    });
  }

  /** Sanitizes the figure and finds the traces to decimate. */
  private prepare(): void {
    const f = this.output.figure;
    // attribute allowlist + text that cannot compose markup (src/shared/sanitize.ts, docs/security.md)
    const { figure, dropped } = sanitizeFigureReport(f);
    this.data = (figure.data as Record<string, unknown>[]).map((t) => ({ ...t }));
    this.layout = { ...((figure.layout ?? {}) as Record<string, unknown>) };
    this.config = sanitizeConfig(f.config);
    const why = droppedNote(dropped);
    this.frames =
      Array.isArray(figure.frames) && figure.frames.length ? (figure.frames as Record<string, unknown>[]) : undefined;
    // an animated figure keeps its fixed ranges (the frames are drawn against them)
    this.timeY = this.frames ? new Map() : timeSeriesAxes(this.data, this.layout);
    this.hover = hoverFormats(this.data, this.layout);
    const notes = storedPointsNotes(this.output, this.data);
    const liveTraces = liveTracesOf(this.output, this.data);
    const asks = liveTraces.length > 0 && !!ctxRef?.postMessage;
    this.root.dataset.live = String(liveTraces.length);
    const storedNote = [
      notes.length
        ? `Reduced for storage — ${notes.join('; ')}. ${asks ? 'Zoom asks the kernel for full detail.' : 'Zoom shows the stored points only.'}`
        : '',
      why ?? '',
    ]
      .filter(Boolean)
      .join(' ');
    this.setNote(storedNote);
    if (asks) {
      this.live = new LiveDetail(liveTraces, storedNote, {
        id: this.id,
        root: this.root,
        plotEl: this.plotEl,
        data: this.data,
        plotly: P,
        width: () => this.width(),
        say: (m, e) => this.say(m, e),
        setNote: (t) => this.setNote(t),
        fitY: () => {
          if (this.timeY.size && !this.boxZoom) this.fitY();
        },
        post: (m) => post(m),
        pending: kernelPending,
      });
    }
    if (why) this.root.dataset.sanitized = '1';
  }

  private setNote(text: string): void {
    this.note.textContent = text;
    this.note.hidden = text === '';
  }

  start(): void {
    if (!(rendererOptions.lazy && drawWhenVisible(this, this.root, rendererOptions.lazyMargin))) schedule(this);
  }

  private width(): number {
    return this.plotEl.clientWidth || this.element.clientWidth || 600;
  }

  private fullLayout(): Record<string, unknown> {
    return fullLayout({
      layout: this.layout,
      theme: theme(),
      narrow: this.narrow,
      width: this.width(),
      timeY: this.timeY,
      hover: this.hover,
      boxZoom: this.boxZoom,
    });
  }

  private fullConfig(): Record<string, unknown> {
    return fullConfig(this.config, this.timeY.size > 0, this.boxZoom, P.Icons, () => this.toggleBoxZoom());
  }

  /** Data to draw: big traces decimated for the current view. */
  private drawData(): Record<string, unknown>[] {
    if (!rendererOptions.decimate) return this.data;
    const cols = Math.max(200, Math.round(this.width()));
    this.lastRange = `${-Infinity}:${Infinity}:${cols}`;
    return decimatedData(this.data, this.big, cols);
  }

  async draw(): Promise<void> {
    if (this.drawn || this.disposed) return;
    this.drawn = true;
    this.t0 = performance.now();
    try {
      watchTheme(() => views.values());
      this.narrow = this.width() < rendererOptions.narrowWidth;
      if (rendererOptions.decimate) {
        this.big = [];
        this.data.forEach((t, i) => {
          const b = prepareBigTrace(t, i, rendererOptions.decimateAbove);
          if (b) this.big.push(b);
        });
      }
      await P.newPlot(this.plotEl, this.figure(this.drawData(), this.fullLayout()));
      if (this.disposed) {
        P.purge(this.plotEl);
        return;
      }
      this.plotEl.classList.remove('mktnb-pending');
      this.plotEl.style.minHeight = '';
      this.gd.on?.('plotly_relayout', (ev: PlotRelayoutEvent) => this.onRelayout(ev));
      scrubSvgText(this.plotEl);
      this.gd.on?.('plotly_afterplot', () => scrubSvgText(this.plotEl));
      if (typeof ResizeObserver !== 'undefined') {
        this.ro = new ResizeObserver(() => this.onResize());
        this.ro.observe(this.root);
      }
      const ms = performance.now() - this.t0;
      this.root.dataset.renderMs = ms.toFixed(1);
      this.root.dispatchEvent(
        new CustomEvent('mktnb-chart-rendered', {
          bubbles: true,
          detail: { ms, traces: this.data.length, decimated: this.big.length },
        }),
      );
    } catch (e) {
      showError(this.element, 'Plotly could not draw this chart', [String((e as Error)?.message ?? e)]);
    }
  }

  /**
   * Re-decimates big traces for the x range now shown (after a zoom, a pan, an autorange reset or
   * a resize). The range is read from Plotly's resolved axis, so events arriving in any order
   * (a resize's {autosize} after a zoom) end with the right points.
   */
  private onRelayout(ev: PlotRelayoutEvent): void {
    if (this.disposed) return;
    const keys = Object.keys(ev);
    if (!keys.some((k) => k.startsWith('xaxis') || k === 'autosize' || k === 'width')) return;
    if (this.big.length) this.redecimate();
    const asks = this.live?.active() ?? false;
    // with kernel detail on its way, y is fitted to it when it arrives (one redraw less)
    if (this.timeY.size && !this.boxZoom && keys.some((k) => k.startsWith('xaxis')) && (!asks || !this.live!.zoomed()))
      this.fitY();
    if (asks) this.live!.schedule(rendererOptions.zoomDebounceMs);
  }

  private redecimate(): void {
    const [a, z] = xRangeShown(this.plotEl, this.big[0].isDate);
    const cols = Math.max(200, Math.round(this.width()));
    const key = `${a}:${z}:${cols}`;
    if (key === this.lastRange) return;
    this.lastRange = key;
    const { xs, ys, traces } = decimatedXY(this.big, cols, a, z);
    // x: the big traces' own x values (numbers or date strings), in the columns kept
    void P.restyle(this.plotEl, { x: xs as Datum[][], y: ys }, traces);
    this.root.dataset.visiblePoints = String(ys.reduce((k, y) => k + y.length, 0));
  }

  /** Fits each time-series y axis to the points a zoom of the dates shows (chartFigure.ts). */
  private fitY(): void {
    const update = fittedY(this.plotEl, this.timeY);
    // attribute strings ('yaxis2.range'), which relayout takes and its d.ts does not spell out
    if (Object.keys(update).length) void P.relayout(this.plotEl, update as Partial<Layout>);
  }

  /** The modebar button: box zoom (x and y) on, or back to dates-only zoom with y fitted. */
  private toggleBoxZoom(): void {
    this.boxZoom = !this.boxZoom;
    this.root.dataset.boxZoom = String(this.boxZoom);
    // keep the x zoom; y: free in box mode, fitted again when leaving it
    const l = keepZoom(this.fullLayout(), this.gd.layout, /^xaxis\d*$/);
    l.dragmode = 'zoom';
    void P.react(this.plotEl, this.figure(this.currentData(), l)).then(() => {
      if (!this.boxZoom) this.fitY();
    });
    this.say(
      this.boxZoom
        ? 'Box zoom: drag to zoom dates and values'
        : 'Zoom: drag to zoom the dates; the values axis follows',
    );
  }

  private onResize(): void {
    if (this.resizeTimer || this.disposed) return;
    this.resizeTimer = requestAnimationFrame(() => {
      this.resizeTimer = 0;
      if (this.disposed || !this.drawn) return;
      const narrow = this.width() < rendererOptions.narrowWidth;
      if (narrow !== this.narrow) {
        this.narrow = narrow;
        void P.react(this.plotEl, this.figure(this.currentData(), this.fullLayout()));
      } else P.Plots.resize(this.plotEl);
    });
  }

  /**
   * The figure object Plotly takes: with the frames, so the figure's Play button and slider animate.
   * The figure is the output's JSON, checked (validateChart) and sanitized (prepare): Plotly's types
   * name its attributes.
   */
  private figure(data: Record<string, unknown>[] | Data[], layout: Record<string, unknown>): PlotlyDataLayoutConfig {
    return {
      data: data as Data[],
      layout: layout as Partial<Layout>,
      config: this.fullConfig() as Partial<Config>,
      ...(this.frames ? { frames: this.frames as unknown as Frame[] } : {}),
    };
  }

  /** The plot element, which Plotly's newPlot made its graph div (event methods, data, layout). */
  private get gd(): Partial<PlotlyHTMLElement> {
    return this.plotEl;
  }

  /** What is drawn now (keeps the zoomed decimation). */
  private currentData(): Record<string, unknown>[] | Data[] {
    const gd = this.gd;
    return Array.isArray(gd.data) ? gd.data : this.drawData();
  }

  retheme(): void {
    if (!this.drawn || this.disposed) return;
    // keep the user's zoom: copy the current axis ranges into the new layout
    const l = keepZoom(this.fullLayout(), this.gd.layout, /^[xy]axis\d*$/);
    void P.react(this.plotEl, this.figure(this.currentData(), l));
    this.root.dataset.theme = theme().kind;
  }

  say(msg: string, error = false): void {
    this.status.textContent = msg;
    this.status.classList.toggle('mktnb-status-error', error);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    unschedule(this, this.root);
    this.ro?.disconnect();
    if (this.resizeTimer) cancelAnimationFrame(this.resizeTimer);
    this.live?.dispose();
    try {
      P.purge(this.plotEl);
    } catch {
      /* already gone */
    }
    this.big = [];
    this.element.replaceChildren();
  }
}

function post(m: RendererToExtension): void {
  ctxRef?.postMessage?.(m);
}

function parseOutput(item: OutputItem): { chart?: ChartOutput; problems: string[] } {
  let v: unknown;
  try {
    v = item.json();
  } catch (e) {
    return { problems: [`the output is not valid JSON: ${(e as Error).message}`] };
  }
  const problems = validateChart(v);
  if (!problems.length) {
    const c = v as ChartOutput;
    c.figure.data.forEach((t, i) => {
      if (typeof t.type === 'string' && MAP_TRACE.test(t.type))
        problems.push(
          `figure.data[${i}]: "${t.type}" traces need map data from the internet, which this renderer does not load`,
        );
    });
    if (c.figure.data.length === 0) problems.push('figure.data is empty: there is nothing to draw');
  }
  return problems.length ? { problems } : { chart: v as ChartOutput, problems };
}

export const activate: ActivationFunction = (ctx) => {
  ctxRef = ctx;
  installStyle();
  ctx.onDidReceiveMessage?.((m: unknown) => {
    if (!isExtensionToRenderer(m)) return;
    if (m.type === 'kernel-reply') {
      const k = kernelPending.get(m.requestId);
      kernelPending.delete(m.requestId);
      k?.reply(m.requestId, m.reply);
      return;
    }
    const v = pending.get(m.requestId);
    pending.delete(m.requestId);
    v?.reply(m);
  });
  return {
    renderOutputItem(item, element) {
      views.get(item.id)?.dispose();
      views.delete(item.id);
      const { chart, problems } = parseOutput(item);
      if (!chart) {
        showError(element, 'This chart output cannot be shown:', problems);
        return;
      }
      const v = new ChartView(item.id, element, chart);
      views.set(item.id, v);
      v.start();
    },
    disposeOutputItem(id) {
      if (id === undefined) {
        for (const v of views.values()) v.dispose();
        views.clear();
        return;
      }
      views.get(id)?.dispose();
      views.delete(id);
    },
  };
};

/** For tests and the benchmark: the live views' count and a hook on the theme. */
export const debug = {
  liveViews: () => views.size,
  themeNow: () => theme(),
  withAlpha,
  /** the bundled Plotly (tests drive zoom with Plotly.relayout, as a drag-zoom does) */
  plotly: P,
};
