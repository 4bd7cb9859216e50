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
 *
 * (Over 300 lines on purpose: ChartView is one object's lifecycle — draw, zoom, theme, resize, export, dispose — and reads best whole; its parts without state live in dom.ts, chartLayout.ts, decimate.ts, liveDetail.ts, theme.ts.)
 */
import Plotly from 'plotly.js-dist-min';
import { validateChart, type ChartOutput } from '../src/shared/schemas';
import { LiveDetail, liveTracesOf } from './liveDetail';
import { isExtensionToRenderer, safeFileName, type ExtensionToRenderer, type ImageFormat, type RendererToExtension } from '../src/shared/renderer-messages';
import type { ActivationFunction, OutputItem, RendererContext } from 'vscode-notebook-renderer';
import { minMaxColumns, pointsFor, prepareBigTrace, type BigTrace } from './decimate';
import { droppedNote, sanitizeConfig, sanitizeFigureReport } from '../src/shared/sanitize';
import { plotlyTemplate, readTheme, themeKey, withAlpha, type Theme } from './theme';
import { installStyle } from './style';
import { el, button, showError, scrubSvgText } from './dom';
import { axisRef, fitTitle, mergeDeep, timeSeriesAxes, titleText, toNumber } from './chartLayout';

export { el, showError, scrubSvgText } from './dom';
export { isoTime, timeSeriesAxes } from './chartLayout';
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
const kernelPending = new Map<string, LiveDetail>();
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
  /** kernel detail for traces whose full data the kernel keeps (renderers/liveDetail.ts) */
  private live?: LiveDetail;

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
    const liveTraces = liveTracesOf(this.output, this.data);
    const asks = liveTraces.length > 0 && !!ctxRef?.postMessage;
    this.root.dataset.live = String(liveTraces.length);
    const storedNote = [notes.length ? `Reduced for storage — ${notes.join('; ')}. ${asks ? 'Zoom asks the kernel for full detail.' : 'Zoom shows the stored points only.'}` : '', why ?? ''].filter(Boolean).join(' ');
    this.setNote(storedNote);
    if (asks) {
      this.live = new LiveDetail(liveTraces, storedNote, {
        id: this.id, root: this.root, plotEl: this.plotEl, data: this.data, plotly: P,
        width: () => this.width(), say: (m, e) => this.say(m, e), setNote: (t) => this.setNote(t),
        fitY: () => { if (this.timeY.size && !this.boxZoom) this.fitY(); },
        post: (m) => post(m), pending: kernelPending,
      });
    }
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
    const asks = this.live?.active() ?? false;
    // with kernel detail on its way, y is fitted to it when it arrives (one redraw less)
    if (this.timeY.size && !this.boxZoom && keys.some((k) => k.startsWith('xaxis')) && (!asks || !this.live!.zoomed())) this.fitY();
    if (asks) this.live!.schedule(rendererOptions.zoomDebounceMs);
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
    this.live?.dispose();
    try { P.purge(this.plotEl); } catch { /* already gone */ }
    this.big = [];
    this.element.replaceChildren();
  }
}

function post(m: RendererToExtension): void { ctxRef?.postMessage?.(m); }

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
