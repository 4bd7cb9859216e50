/**
 * Sanitizing a Plotly figure from an untrusted notebook before it is drawn (HTML export side;
 * renderers/sanitize.ts does the same in the webview — the renderer bundle may not import
 * extension-side code, so the two small functions are kept in step by their tests).
 *
 * Plotly renders a small HTML-like markup in text (b, i, sup, sub, br, span, a …). We keep a few
 * formatting tags without attributes and escape every other tag as entities, which Plotly then
 * shows as literal text. Config keeps only harmless display switches.
 */
import type { PlotlyFigure } from '../shared/schemas';

const KEEP = new Set(['b', 'i', 'em', 'sup', 'sub', 'br', 's']);
const TAG = /<(\/?)([a-zA-Z][\w:-]*)([^<>]*)>|<(?=[\/!?a-zA-Z])/g;

export function sanitizePlotlyText(s: string): string {
  if (s.indexOf('<') < 0) return s;
  return s.replace(TAG, (m, slash: string | undefined, tag: string | undefined) => {
    if (tag && KEEP.has(tag.toLowerCase())) return `<${slash ?? ''}${tag.toLowerCase()}>`;
    return m.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  });
}

const CONFIG_KEYS = new Set(['displayModeBar', 'scrollZoom', 'doubleClick', 'showAxisDragHandles', 'showTips', 'staticPlot', 'displaylogo', 'responsive']);

function deep(v: unknown): unknown {
  if (typeof v === 'string') return sanitizePlotlyText(v);
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.some((x) => typeof x === 'string' || (typeof x === 'object' && x !== null)) ? v.map(deep) : v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    if (k === 'images' && Array.isArray(x)) { out[k] = x.filter((im) => typeof im?.source === 'string' && /^data:image\/(png|jpeg|gif|webp);/i.test(im.source)).map(deep); continue; }
    out[k] = deep(x);
  }
  return out;
}

export function sanitizeFigure(f: PlotlyFigure): PlotlyFigure {
  const out: PlotlyFigure = { data: deep(f.data) as PlotlyFigure['data'] };
  if (f.layout) out.layout = deep(f.layout) as Record<string, unknown>;
  if (f.frames) out.frames = deep(f.frames) as PlotlyFigure['frames'];
  if (f.config) {
    const c: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(f.config)) if (CONFIG_KEYS.has(k) && (typeof x === 'boolean' || typeof x === 'number' || typeof x === 'string')) c[k] = x;
    out.config = c;
  }
  return out;
}
