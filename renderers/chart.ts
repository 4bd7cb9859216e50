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
 *  - Strings are sanitized (renderers/sanitize.ts); DOM text outside Plotly uses textContent.
 *  - A toolbar (PNG, SVG, JSON) asks the extension to save images (a download does not work in
 *    a webview) and copies the figure JSON; messages are in src/shared/renderer-messages.ts.
 */
import Plotly from 'plotly.js-dist-min';
import { validateChart, type ChartOutput, type LiveTrace } from '../src/shared/schemas';
import { isOutputHandle, type OutputReply } from '../src/shared/output-requests';
import { isExtensionToRenderer, safeFileName, type ExtensionToRenderer, type ImageFormat, type RendererToExtension } from '../src/shared/renderer-messages';
import type { ActivationFunction, OutputItem, RendererContext } from 'vscode-notebook-renderer';
import { minMaxColumns, pointsFor, prepareBigTrace, type BigTrace } from './decimate';
import { droppedNote, sanitizeConfig, sanitizeFigureReport } from '../src/shared/sanitize';
import { plotlyTemplate, readTheme, themeKey, withAlpha, type Theme } from './theme';
import { installStyle } from './style';
import { hoverFormats } from '../src/shared/format';

const P = Plotly as any;

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

const DEFAULT_HEIGHT = 420;
const MAP_TRACES = /^(scattergeo|choropleth|scattermap|choroplethmap|densitymap|scattermapbox|choroplethmapbox|densitymapbox)$/;

let ctxRef: RendererContext<unknown> | undefined;
const views = new Map<string, ChartView>();
const pending = new Map<string, ChartView>();
/** kernel requests in flight: request id -> the chart that asked */
const kernelPending = new Map<string, ChartView>();
let seq = 0;

let currentTheme: Theme | undefined;
let themeTimer = 0;
let themeObserver: MutationObserver | undefined;

function theme(): Theme {
  if (!currentTheme) currentTheme = readTheme();
  return currentTheme;
}

function watchTheme(): void {
  if (themeObserver) return;
  themeObserver = new MutationObserver(() => {
    if (themeTimer) return;
    themeTimer = requestAnimationFrame(() => {
      themeTimer = 0;
      const next = readTheme();
      if (currentTheme && themeKey(next) === themeKey(currentTheme)) return;
      currentTheme = next;
      for (const v of views.values()) v.retheme();
    });
  });
  const opts = { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind'] };
  themeObserver.observe(document.body, opts);
  themeObserver.observe(document.documentElement, opts);
}

let io: IntersectionObserver | undefined;
function visibility(): IntersectionObserver | undefined {
  if (typeof IntersectionObserver === 'undefined') return undefined;
  io ??= new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      const v = (e.target as any).__mktnbView as ChartView | undefined;
      io!.unobserve(e.target);
      if (v) schedule(v);
    }
  }, { rootMargin: rendererOptions.lazyMargin });
  return io;
}

/**
 * Charts are drawn one at a time with a painted frame in between, so a notebook whose outputs
 * all become visible at once (opening, fast scrolling) stays responsive.
 */
const queue: ChartView[] = [];
let pumping = false;
function schedule(v: ChartView): void {
  if (!queue.includes(v)) queue.push(v);
  if (!pumping) void pump();
}
async function pump(): Promise<void> {
  pumping = true;
  try {
    while (queue.length) {
      const v = queue.shift()!;
      await v.draw();
      if (queue.length) await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
  } finally { pumping = false; }
}

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
  /** traces whose full data the kernel keeps (valid handles only) */
  private live: LiveTrace[] = [];
  /** the kernel answered 'gone' / 'no-kernel' once: zoom uses the stored points from then on */
  private liveGone = false;
  private zoomTimer = 0;
  /** the latest kernel request: replies to older ones are ignored */
  private liveReq: string | undefined;
  private storedNote = '';
  /** the stored x/y of the live traces (Plotly's restyle replaces them in the trace objects it was given) */
  private stored = new Map<number, { x: unknown; y: unknown }>();

  constructor(readonly id: string, readonly element: HTMLElement, readonly output: ChartOutput) {
    this.root = el('div', 'mktnb-chart');
    const bar = el('div', 'mktnb-toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.append(
      button('PNG', 'Save the chart as a PNG image', () => this.saveImage('png')),
      button('SVG', 'Save the chart as an SVG image', () => this.saveImage('svg')),
      button('JSON', 'Copy the figure JSON to the clipboard', () => this.copyJson()),
    );
    this.plotEl = el('div', 'mktnb-plot');
    const h = Number((output.figure.layout as any)?.height) || DEFAULT_HEIGHT;
    this.plotEl.style.minHeight = `${h}px`;
    this.plotEl.classList.add('mktnb-pending');
    this.note = el('div', 'mktnb-note');
    this.status = el('div', 'mktnb-status');
    this.status.setAttribute('role', 'status');
    const footer = el('div', 'mktnb-footer');
    footer.append(this.note, this.status, bar);
    this.root.append(this.plotEl, footer);
    (this.root as any).__mktnbView = this;
    element.replaceChildren(this.root);
    this.prepare();
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
    this.frames = Array.isArray(figure.frames) && figure.frames.length ? (figure.frames as Record<string, unknown>[]) : undefined;
    // an animated figure keeps its fixed ranges (the frames are drawn against them)
    this.timeY = this.frames ? new Map() : timeSeriesAxes(this.data, this.layout);
    this.hover = hoverFormats(this.data, this.layout);
    const notes: string[] = [];
    for (const d of this.output.decimation ?? []) {
      const name = (this.data[d.trace] as any)?.name;
      notes.push(`${typeof name === 'string' ? name.replace(/<[^>]*>/g, '') : `trace ${d.trace + 1}`}: ${d.storedPoints.toLocaleString('en-US')} of ${d.originalPoints.toLocaleString('en-US')} points stored (${d.method.toUpperCase()})`);
    }
    this.live = (Array.isArray(this.output.live) ? this.output.live : []).filter((l) => l && isOutputHandle(l.handle) && Number.isInteger(l.trace) && l.trace >= 0 && l.trace < this.data.length && Array.isArray(this.data[l.trace].y));
    for (const l of this.live) this.stored.set(l.trace, { x: this.data[l.trace].x, y: this.data[l.trace].y });
    const asks = this.live.length > 0 && !!ctxRef?.postMessage;
    this.root.dataset.live = String(this.live.length);
    this.storedNote = [notes.length ? `Reduced for storage — ${notes.join('; ')}. ${asks ? 'Zoom asks the kernel for full detail.' : 'Zoom shows the stored points only.'}` : '', why ?? ''].filter(Boolean).join(' ');
    this.setNote(this.storedNote);
    if (why) this.root.dataset.sanitized = '1';
  }

  private setNote(text: string): void {
    this.note.textContent = text;
    this.note.hidden = text === '';
  }

  start(): void {
    const obs = rendererOptions.lazy ? visibility() : undefined;
    if (obs) obs.observe(this.root);
    else schedule(this);
  }

  private width(): number {
    return this.plotEl.clientWidth || this.element.clientWidth || 600;
  }

  /** Layout = figure layout + theme template (the figure's own settings win). */
  private fullLayout(): Record<string, unknown> {
    const t = theme();
    const tpl = plotlyTemplate(t, this.narrow);
    const userTpl = this.layout.template;
    const template = typeof userTpl === 'object' && userTpl !== null ? mergeDeep(tpl, userTpl as Record<string, unknown>) : tpl;
    const l: Record<string, unknown> = { ...this.layout, template, autosize: true };
    delete l.width;
    l.height = Number(this.layout.height) || DEFAULT_HEIGHT;
    // time series: a drag zooms the dates only and the y axis follows what is visible
    for (const y of this.timeY.keys()) l[y] = { ...(l[y] as object ?? {}), fixedrange: !this.boxZoom };
    for (const [y, f] of Object.entries(this.hover)) l[y] = { ...(l[y] as object ?? {}), hoverformat: f };
    if (this.timeY.size && l.dragmode === undefined) l.dragmode = 'zoom';
    fitTitle(l, this.width());
    if (this.narrow) {
      const m = (this.layout.margin ?? {}) as Record<string, unknown>;
      l.margin = { ...m, l: Math.min(Number(m.l ?? 48), 44), r: Math.min(Number(m.r ?? 16), 16) };
      if (this.layout.showlegend !== false) l.legend = { ...(this.layout.legend as object ?? {}), orientation: 'h', y: -0.25, x: 0 };
    }
    return l;
  }

  private fullConfig(): Record<string, unknown> {
    const add = this.timeY.size ? [{
      name: this.boxZoom ? 'Zoom dates only (y follows the data)' : 'Box zoom (dates and values)',
      title: this.boxZoom ? 'Zoom dates only (y follows the data)' : 'Box zoom (dates and values)',
      icon: this.boxZoom ? P.Icons?.zoom_plus ?? P.Icons?.zoombox : P.Icons?.zoombox,
      click: () => this.toggleBoxZoom(),
    }] : [];
    return {
      displaylogo: false, displayModeBar: 'hover', responsive: false, typesetMath: false,
      modeBarButtonsToRemove: ['toImage', 'sendDataToCloud', 'editInChartStudio'],
      ...(add.length ? { modeBarButtonsToAdd: add } : {}),
      ...this.config,
      showLink: false, showSendToCloud: false, showEditInChartStudio: false,
    };
  }

  /** Data to draw: big traces decimated for the current view. */
  private drawData(): Record<string, unknown>[] {
    if (!rendererOptions.decimate) return this.data;
    const cols = Math.max(200, Math.round(this.width()));
    this.lastRange = `${-Infinity}:${Infinity}:${cols}`;
    const out = this.data.slice();
    for (const b of this.big) {
      const pts = pointsFor(b, minMaxColumns(b, cols));
      // a few thousand points draw fast in SVG; keeping WebGL would only use up contexts
      const type = out[b.trace].type === 'scattergl' ? 'scatter' : out[b.trace].type;
      out[b.trace] = { ...out[b.trace], type, x: pts.x, y: pts.y };
    }
    return out;
  }

  async draw(): Promise<void> {
    if (this.drawn || this.disposed) return;
    this.drawn = true;
    this.t0 = performance.now();
    try {
      watchTheme();
      this.narrow = this.width() < rendererOptions.narrowWidth;
      if (rendererOptions.decimate) {
        this.big = [];
        this.data.forEach((t, i) => { const b = prepareBigTrace(t, i, rendererOptions.decimateAbove); if (b) this.big.push(b); });
      }
      await P.newPlot(this.plotEl, this.figure(this.drawData(), this.fullLayout()));
      if (this.disposed) { P.purge(this.plotEl); return; }
      this.plotEl.classList.remove('mktnb-pending');
      this.plotEl.style.minHeight = '';
      (this.plotEl as any).on?.('plotly_relayout', (ev: Record<string, unknown>) => this.onRelayout(ev));
      scrubSvgText(this.plotEl);
      (this.plotEl as any).on?.('plotly_afterplot', () => scrubSvgText(this.plotEl));
      if (typeof ResizeObserver !== 'undefined') {
        this.ro = new ResizeObserver(() => this.onResize());
        this.ro.observe(this.root);
      }
      const ms = performance.now() - this.t0;
      this.root.dataset.renderMs = ms.toFixed(1);
      this.root.dispatchEvent(new CustomEvent('mktnb-chart-rendered', { bubbles: true, detail: { ms, traces: this.data.length, decimated: this.big.length } }));
    } catch (e) {
      showError(this.element, 'Plotly could not draw this chart', [String((e as Error)?.message ?? e)]);
    }
  }

  /**
   * Re-decimates big traces for the x range now shown (after a zoom, a pan, an autorange reset or
   * a resize). The range is read from Plotly's resolved axis, so events arriving in any order
   * (a resize's {autosize} after a zoom) end with the right points.
   */
  private onRelayout(ev: Record<string, unknown>): void {
    if (this.disposed) return;
    const keys = Object.keys(ev);
    if (!keys.some((k) => k.startsWith('xaxis') || k === 'autosize' || k === 'width')) return;
    if (this.big.length) this.redecimate();
    const asks = this.live.length > 0 && !this.liveGone && !!ctxRef?.postMessage;
    // with kernel detail on its way, y is fitted to it when it arrives (one redraw less)
    if (this.timeY.size && !this.boxZoom && keys.some((k) => k.startsWith('xaxis')) && (!asks || !this.zoomedX())) this.fitY();
    if (asks) this.scheduleKernelZoom();
  }

  /** The first live trace's x axis is zoomed (not autoranged). */
  private zoomedX(): boolean {
    const fl = (this.plotEl as unknown as { _fullLayout?: Record<string, { autorange?: unknown } | undefined> })._fullLayout;
    return fl?.[`xaxis${String(this.data[this.live[0].trace].xaxis ?? 'x').slice(1)}`]?.autorange === false;
  }

  /**
   * Asks the kernel for the visible x range of the live traces, at the plot's pixel width:
   * debounced (a drag or a wheel fires many relayouts), and superseding (the previous request is
   * cancelled and its answer ignored). An autorange (double-click) restores the stored points.
   */
  private scheduleKernelZoom(): void {
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    this.zoomTimer = window.setTimeout(() => { this.zoomTimer = 0; this.askKernel(); }, rendererOptions.zoomDebounceMs);
  }

  private askKernel(): void {
    if (this.disposed || this.liveGone) return;
    const fl = (this.plotEl as unknown as { _fullLayout?: Record<string, { autorange?: unknown; range?: unknown[]; r2l(v: unknown): number } | undefined> })._fullLayout;
    const ax = fl?.[`xaxis${String(this.data[this.live[0].trace].xaxis ?? 'x').slice(1)}`];
    if (this.liveReq) { post({ type: 'kernel-cancel', requestId: this.liveReq }); kernelPending.delete(this.liveReq); this.liveReq = undefined; }
    if (!ax || ax.autorange === true || !Array.isArray(ax.range)) { this.restoreStored(); return; }
    const a = Number(ax.r2l(ax.range[0])), z = Number(ax.r2l(ax.range[1]));
    if (!Number.isFinite(a) || !Number.isFinite(z)) return;
    const requestId = `${this.id}:k${++seq}`;
    this.liveReq = requestId;
    kernelPending.set(requestId, this);
    this.root.dataset.detail = 'asking';
    post({ type: 'kernel-request', requestId, request: { op: 'series-range', handles: this.live.map((l) => l.handle), x0: Math.min(a, z), x1: Math.max(a, z), columns: Math.max(200, Math.round(this.width())) } });
  }

  /** The kernel's answer for the latest range: redraw the live traces with it, or fall back to the stored points. */
  kernelReply(requestId: string, reply: OutputReply): void {
    if (requestId !== this.liveReq || this.disposed) return;
    this.liveReq = undefined;
    if (!reply.ok) {
      if (reply.error.code === 'cancelled') return;
      if (reply.error.code === 'gone' || reply.error.code === 'no-kernel') {
        this.liveGone = true;
        this.root.dataset.detail = 'stored';
        this.setNote(`${this.storedNote.replace(' Zoom asks the kernel for full detail.', '')} The kernel that drew this chart no longer has its data (${reply.error.code === 'no-kernel' ? 'no kernel is running' : 'restarted or released'}): zoom shows the stored points.`.trim());
        if (this.timeY.size && !this.boxZoom) this.fitY();
        return;
      }
      if (this.timeY.size && !this.boxZoom) this.fitY();
      this.root.dataset.detail = 'error';
      this.say(`Could not get detail from the kernel: ${reply.error.message}`, true);
      return;
    }
    if (reply.result.op !== 'series-range' || reply.result.traces.length !== this.live.length) return;
    const xs: unknown[][] = [], ys: unknown[][] = [];
    let shown = 0, visible = 0, raw = true;
    reply.result.traces.forEach((t) => {
      xs.push(t.time ? t.x.map(isoTime) : t.x);
      ys.push(t.y);
      shown += t.y.length; visible += t.visible; raw &&= t.raw;
    });
    P.restyle(this.plotEl, { x: xs, y: ys }, this.live.map((l) => l.trace));
    if (this.timeY.size && !this.boxZoom) this.fitY();
    this.root.dataset.detail = raw ? 'raw' : 'kernel';
    this.root.dataset.visiblePoints = String(shown);
    this.root.dispatchEvent(new CustomEvent('mktnb-chart-detail', { bubbles: true, detail: { points: shown, visible, raw } }));
    this.say(raw ? `All ${visible.toLocaleString('en-US')} points in view, from the kernel` : `${visible.toLocaleString('en-US')} points in view, drawn as ${shown.toLocaleString('en-US')} (min/max per pixel) from the kernel`);
  }

  /** Back to what the output stored (the whole range is shown). */
  private restoreStored(): void {
    if (!Array.isArray((this.plotEl as unknown as { data?: unknown }).data)) return;
    const idx = this.live.map((l) => l.trace);
    if (this.root.dataset.detail === undefined) return;
    P.restyle(this.plotEl, { x: idx.map((i) => this.stored.get(i)!.x), y: idx.map((i) => this.stored.get(i)!.y) }, idx);
    delete this.root.dataset.detail;
    this.say('');
  }

  private redecimate(): void {
    const ax = (this.plotEl as any)._fullLayout?.xaxis;
    let a = -Infinity, z = Infinity;
    if (ax && ax.autorange !== true && Array.isArray(ax.range)) {
      const conv = typeof ax.r2l === 'function' ? (v: unknown) => ax.r2l(v) : (v: unknown) => toNumber(v, this.big[0].isDate);
      a = Number(conv(ax.range[0])); z = Number(conv(ax.range[1]));
      if (!Number.isFinite(a) || !Number.isFinite(z)) { a = -Infinity; z = Infinity; }
    }
    const cols = Math.max(200, Math.round(this.width()));
    const key = `${Math.min(a, z)}:${Math.max(a, z)}:${cols}`;
    if (key === this.lastRange) return;
    this.lastRange = key;
    const xs: unknown[][] = [], ys: unknown[][] = [], idx: number[] = [];
    for (const b of this.big) {
      const pts = pointsFor(b, minMaxColumns(b, cols, Math.min(a, z), Math.max(a, z)));
      xs.push(pts.x); ys.push(pts.y); idx.push(b.trace);
    }
    P.restyle(this.plotEl, { x: xs, y: ys }, idx);
    this.root.dataset.visiblePoints = String(ys.reduce((k, y) => k + y.length, 0));
  }

  /**
   * After a zoom or pan of the dates: each time-series y axis is set to the range of the points
   * now visible (bars and filled areas include zero), so the line stays in view and fills the
   * plot; an autorange of x (double-click, "reset axes") gives y its autorange back.
   */
  private fitY(): void {
    const gd = this.plotEl as any;
    const fl = gd._fullLayout;
    if (!fl) return;
    const update: Record<string, unknown> = {};
    for (const [yId, xId] of this.timeY) {
      const xa = fl[xId], ya = fl[yId];
      if (!xa || !ya) continue;
      if (xa.autorange === true || !Array.isArray(xa.range)) { update[`${yId}.autorange`] = true; continue; }
      const lo = Math.min(xa.r2l(xa.range[0]), xa.r2l(xa.range[1])), hi = Math.max(xa.r2l(xa.range[0]), xa.r2l(xa.range[1]));
      const log = ya.type === 'log';
      let min = Infinity, max = -Infinity;
      for (const t of gd._fullData ?? []) {
        if (t.visible !== true || (t.yaxis ?? 'y') !== axisRef(yId) || (t.xaxis ?? 'x') !== axisRef(xId)) continue;
        const x = t.x, y = t.y;
        if (!x || !y) continue;
        const zero = t.type === 'bar' || t.fill === 'tozeroy';
        let any = false;
        for (let i = 0; i < y.length; i++) {
          const xv = xa.d2l(x[i]);
          if (!(xv >= lo && xv <= hi)) continue;
          const v = Number(y[i]);
          if (!Number.isFinite(v) || (log && v <= 0)) continue;
          const u = log ? Math.log10(v) : v;
          if (u < min) min = u; if (u > max) max = u;
          any = true;
        }
        if (any && zero && !log) { min = Math.min(min, 0); max = Math.max(max, 0); }
      }
      if (!(max >= min)) continue;
      const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 1;
      update[`${yId}.range`] = [min - (min === 0 && !log ? 0 : pad), max + pad];
    }
    if (Object.keys(update).length) void P.relayout(this.plotEl, update);
  }

  /** The modebar button: box zoom (x and y) on, or back to dates-only zoom with y fitted. */
  private toggleBoxZoom(): void {
    this.boxZoom = !this.boxZoom;
    this.root.dataset.boxZoom = String(this.boxZoom);
    const gd = this.plotEl as any;
    const l = this.fullLayout();
    // keep the x zoom; y: free in box mode, fitted again when leaving it
    for (const k of Object.keys(gd.layout ?? {})) if (/^xaxis\d*$/.test(k) && gd.layout[k]?.range && gd.layout[k]?.autorange === false) l[k] = { ...(l[k] as object ?? {}), range: gd.layout[k].range, autorange: false };
    l.dragmode = 'zoom';
    void P.react(this.plotEl, this.figure(this.currentData(), l)).then(() => { if (!this.boxZoom) this.fitY(); });
    this.say(this.boxZoom ? 'Box zoom: drag to zoom dates and values' : 'Zoom: drag to zoom the dates; the values axis follows');
  }

  private onResize(): void {
    if (this.resizeTimer || this.disposed) return;
    this.resizeTimer = requestAnimationFrame(() => {
      this.resizeTimer = 0;
      if (this.disposed || !this.drawn) return;
      const narrow = this.width() < rendererOptions.narrowWidth;
      if (narrow !== this.narrow) { this.narrow = narrow; void P.react(this.plotEl, this.figure(this.currentData(), this.fullLayout())); }
      else P.Plots.resize(this.plotEl);
    });
  }

  /** The figure object Plotly takes: with the frames, so the figure's Play button and slider animate. */
  private figure(data: Record<string, unknown>[], layout: Record<string, unknown>): Record<string, unknown> {
    return { data, layout, config: this.fullConfig(), ...(this.frames ? { frames: this.frames } : {}) };
  }

  /** What is drawn now (keeps the zoomed decimation). */
  private currentData(): Record<string, unknown>[] {
    const gd = this.plotEl as any;
    return Array.isArray(gd.data) ? gd.data : this.drawData();
  }

  retheme(): void {
    if (!this.drawn || this.disposed) return;
    const gd = this.plotEl as any;
    // keep the user's zoom: copy the current axis ranges into the new layout
    const l = this.fullLayout();
    for (const k of Object.keys(gd.layout ?? {})) if (/^[xy]axis\d*$/.test(k) && gd.layout[k]?.range && gd.layout[k]?.autorange === false) l[k] = { ...(l[k] as object ?? {}), range: gd.layout[k].range, autorange: false };
    void P.react(this.plotEl, this.figure(this.currentData(), l));
    this.root.dataset.theme = theme().kind;
  }

  private async saveImage(format: ImageFormat): Promise<void> {
    if (!this.drawn) await this.draw();
    try {
      const w = this.width(), h = Number(this.layout.height) || DEFAULT_HEIGHT;
      const dataUrl: string = await P.toImage(this.plotEl, { format, width: w, height: h, scale: format === 'png' ? 2 : 1 });
      const suggestedName = safeFileName(this.output.title ?? titleText(this.layout), format);
      if (ctxRef?.postMessage) {
        const requestId = `${this.id}:${++seq}`;
        pending.set(requestId, this);
        post({ type: 'save-image', requestId, format, dataUrl, suggestedName });
        this.say(`Saving ${format.toUpperCase()}…`);
      } else {
        const a = document.createElement('a');
        a.href = dataUrl; a.download = suggestedName; a.click();
        this.say(`Downloaded ${suggestedName}`);
      }
    } catch (e) {
      this.say(`Could not export ${format.toUpperCase()}: ${(e as Error).message}`, true);
    }
  }

  private async copyJson(): Promise<void> {
    const text = JSON.stringify(this.output.figure, null, 1);
    try {
      await navigator.clipboard.writeText(text);
      this.say('Copied the figure JSON');
    } catch {
      if (ctxRef?.postMessage) {
        const requestId = `${this.id}:${++seq}`;
        pending.set(requestId, this);
        post({ type: 'copy-text', requestId, what: 'figure-json', text });
        this.say('Copying the figure JSON…');
      } else this.say('The clipboard is not available here', true);
    }
  }

  say(msg: string, error = false): void {
    this.status.textContent = msg;
    this.status.classList.toggle('mktnb-status-error', error);
  }

  reply(m: ExtensionToRenderer): void {
    if (m.type === 'save-image-result') this.say(m.ok ? `Saved ${m.path ?? ''}`.trim() : m.cancelled ? '' : `Could not save: ${m.error ?? 'unknown error'}`, !m.ok && !m.cancelled);
    else if (m.type === 'copy-text-result') this.say(m.ok ? 'Copied the figure JSON' : `Could not copy: ${m.error ?? 'unknown error'}`, !m.ok);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    io?.unobserve(this.root);
    const q = queue.indexOf(this);
    if (q >= 0) queue.splice(q, 1);
    this.ro?.disconnect();
    if (this.resizeTimer) cancelAnimationFrame(this.resizeTimer);
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    if (this.liveReq) { post({ type: 'kernel-cancel', requestId: this.liveReq }); kernelPending.delete(this.liveReq); }
    try { P.purge(this.plotEl); } catch { /* already gone */ }
    this.big = [];
    this.element.replaceChildren();
  }
}

function post(m: RendererToExtension): void { ctxRef?.postMessage?.(m); }

/**
 * Second layer behind the sanitizer: in the SVG Plotly drew, text holds no links and no styles
 * that load anything. <a> elements are replaced by their children; tspans keep only the
 * properties Plotly's own b/i/sup/sub/s markup sets; a declaration holding url() is removed.
 */
export function scrubSvgText(root: Element): number {
  let changed = 0;
  for (const a of Array.from(root.querySelectorAll('svg text a, svg a'))) { a.replaceWith(...Array.from(a.childNodes)); changed++; }
  for (const t of Array.from(root.querySelectorAll<SVGElement>('svg text, svg tspan'))) {
    const style = t.getAttribute('style');
    if (!style) continue;
    const keep = style.split(';').map((d) => d.trim()).filter((d) => d && !/url\s*\(|expression|@import|image|behavior|binding/i.test(d))
      .filter((d) => t.tagName.toLowerCase() !== 'tspan' || /^(font-weight|font-style|font-size|baseline-shift|text-decoration|dy|fill|white-space)\s*:/i.test(d));
    const next = keep.join('; ');
    if (next !== style.trim().replace(/;\s*$/, '')) { if (next) t.setAttribute('style', next); else t.removeAttribute('style'); changed++; }
  }
  return changed;
}

/** Epoch ms as Plotly date text: 'YYYY-MM-DD' at UTC midnight, else 'YYYY-MM-DD HH:MM:SS.sss' (UTC wall time, as stored charts hold). */
export function isoTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 86_400_000 === 0 ? iso.slice(0, 10) : iso.slice(0, 23).replace('T', ' ');
}

function toNumber(v: unknown, isDate: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (isDate) { const s = v.replace(' ', 'T'); const t = Date.parse(/Z|[+-]\d\d:?\d\d$/.test(s) || s.length === 10 ? s : s + 'Z'); return t; }
    return Number(v);
  }
  return NaN;
}

/** 'yaxis2' -> 'y2', 'xaxis' -> 'x' (how traces name their axes). */
function axisRef(id: string): string { return id.replace('axis', ''); }

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?$/;

/**
 * The y axes of time-series panes (their x axis is a date axis: type 'date', or dates as x
 * values), each with its x axis: 'yaxis2' -> 'xaxis'. Line and bar traces only; a scatter of
 * points against dates is a time series too.
 */
export function timeSeriesAxes(data: Record<string, unknown>[], layout: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of data) {
    if (t.type !== undefined && t.type !== 'scatter' && t.type !== 'scattergl' && t.type !== 'bar') continue;
    if (t.orientation === 'h') continue;
    const xId = `xaxis${String(t.xaxis ?? 'x').slice(1)}`, yId = `yaxis${String(t.yaxis ?? 'y').slice(1)}`;
    const xa = (layout[xId] ?? {}) as Record<string, unknown>;
    const x = t.x as unknown[] | undefined;
    const first = Array.isArray(x) ? x.find((v) => v !== null && v !== undefined) : undefined;
    const isDate = xa.type === 'date' || (xa.type === undefined && typeof first === 'string' && ISO_DATE.test(first));
    if (isDate && !out.has(yId)) out.set(yId, xId);
  }
  // an overlaying axis (yaxis2 over yaxis) shares its x axis
  return out;
}

/**
 * A title that would run under the modebar (top right, shown on hover) is wrapped at a word
 * break, and the top margin grows for the extra line. Width per character is estimated from
 * the font size; the modebar is given 190 px.
 */
function fitTitle(l: Record<string, unknown>, width: number): void {
  const raw = l.title as any;
  const text = typeof raw === 'string' ? raw : typeof raw?.text === 'string' ? raw.text : undefined;
  if (!text || text.includes('<br>')) return;
  const size = Number(raw?.font?.size) || 17;
  // Plotly centres a title unless it says otherwise (x 0.5)
  const centered = raw?.x === undefined || raw?.x === 0.5 || raw?.xanchor === 'center';
  const room = Math.max(160, width - (centered ? 2 * 190 : 190) - 16);
  const perLine = Math.max(16, Math.floor(room / (size * 0.56)));
  if (text.replace(/<[^>]*>/g, '').length <= perLine) return;
  const words = text.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && (cur + ' ' + w).replace(/<[^>]*>/g, '').length > perLine) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  l.title = { ...(typeof raw === 'object' ? raw : {}), text: lines.join('<br>') };
  const m = (l.margin ?? {}) as Record<string, unknown>;
  l.margin = { ...m, t: Math.max(Number(m.t ?? 80), 48) + (lines.length - 1) * Math.round(size * 1.25) };
}

function titleText(layout: Record<string, unknown>): string | undefined {
  const t = layout.title as any;
  return typeof t === 'string' ? t : typeof t?.text === 'string' ? t.text : undefined;
}

function mergeDeep(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
      ? mergeDeep(cur as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
}

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', 'mktnb-button');
  b.type = 'button';
  b.textContent = label;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.addEventListener('click', (e) => { e.stopPropagation(); onClick(); });
  return b;
}

/** An error box (never a blank output). All text through textContent. */
export function showError(element: HTMLElement, headline: string, problems: string[]): void {
  const box = el('div', 'mktnb-error');
  box.setAttribute('role', 'alert');
  const h = el('div', 'mktnb-error-title');
  h.textContent = headline;
  const ul = el('ul');
  for (const p of problems) { const li = el('li'); li.textContent = p; ul.append(li); }
  box.append(h, ul);
  element.replaceChildren(box);
}

function parseOutput(item: OutputItem): { chart?: ChartOutput; problems: string[] } {
  let v: unknown;
  try { v = item.json(); } catch (e) { return { problems: [`the output is not valid JSON: ${(e as Error).message}`] }; }
  const problems = validateChart(v);
  if (!problems.length) {
    const c = v as ChartOutput;
    c.figure.data.forEach((t, i) => { if (typeof t.type === 'string' && MAP_TRACES.test(t.type)) problems.push(`figure.data[${i}]: "${t.type}" traces need map data from the internet, which this renderer does not load`); });
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
      k?.kernelReply(m.requestId, m.reply);
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
      if (!chart) { showError(element, 'This chart output cannot be shown:', problems); return; }
      const v = new ChartView(item.id, element, chart);
      views.set(item.id, v);
      v.start();
    },
    disposeOutputItem(id) {
      if (id === undefined) { for (const v of views.values()) v.dispose(); views.clear(); return; }
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
