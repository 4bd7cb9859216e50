/**
 * Sanitizing Plotly figures from an untrusted notebook, shared by the chart renderer (webview)
 * and the HTML export, so both draw exactly the same safe figure. Pure: no DOM, no Node.
 *
 * Text from a shared notebook is untrusted. Plotly renders its own small HTML-like markup in
 * titles, labels, hover and annotation text (b, i, sup, sub, br, span, a …). We keep a few
 * formatting tags with every attribute removed, and escape everything else as entities, which
 * Plotly then shows literally: `<script>` appears as text and never becomes an element.
 */
const KEEP = new Set(['b', 'i', 'em', 'sup', 'sub', 'br', 's']);
const TAG = /<(\/?)([a-zA-Z][\w:-]*)([^<>]*)>|<(?=[\/!?a-zA-Z])/g;

export function sanitizeText(s: string): string {
  if (s.indexOf('<') < 0) return s;
  return s.replace(TAG, (m, slash: string | undefined, tag: string | undefined) => {
    if (tag && KEEP.has(tag.toLowerCase())) return `<${slash ?? ''}${tag.toLowerCase()}>`;
    return m.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  });
}

/** Config keys a notebook may set; the rest (server URLs, link text, topojson URLs …) is dropped. */
const CONFIG_KEYS = new Set([
  'displayModeBar', 'scrollZoom', 'doubleClick', 'showAxisDragHandles', 'showAxisRangeEntryBoxes',
  'showTips', 'staticPlot', 'editable', 'modeBarButtonsToRemove', 'displaylogo', 'responsive', 'frameMargins',
]);

export function sanitizeConfig(c: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof c !== 'object' || c === null) return out;
  for (const [k, v] of Object.entries(c)) {
    if (!CONFIG_KEYS.has(k)) continue;
    if (k === 'modeBarButtonsToRemove') { if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string'); continue; }
    if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') out[k] = v;
  }
  return out;
}

/**
 * A deep copy of a figure part with every string sanitized. Arrays of numbers are shared, not
 * copied (they can be a million points long); `images` keep only inline data: sources.
 */
export function sanitizeDeep(v: unknown, key = ''): unknown {
  if (typeof v === 'string') return sanitizeText(v);
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    // numbers, and strings without '<' (dates), need nothing: share the array, do not copy it
    let work = false;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if ((typeof x === 'string' && x.indexOf('<') >= 0) || (typeof x === 'object' && x !== null)) { work = true; break; }
    }
    if (!work) return v;
    return v.map((x) => sanitizeDeep(x));
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    if (k === 'images' && Array.isArray(x)) {
      out[k] = x.filter((im) => typeof im?.source === 'string' && /^data:image\/(png|jpeg|gif|webp);/i.test(im.source)).map((im) => sanitizeDeep(im));
      continue;
    }
    out[k] = sanitizeDeep(x, k);
  }
  return out;
}

/** A sanitized copy of a whole figure (data, layout, frames, config). */
export function sanitizeFigure<F extends { data: unknown[]; layout?: unknown; frames?: unknown[]; config?: unknown }>(f: F): F {
  const out = { ...f, data: sanitizeDeep(f.data) } as F;
  if (f.layout !== undefined) out.layout = sanitizeDeep(f.layout);
  if (f.frames !== undefined) out.frames = sanitizeDeep(f.frames) as unknown[];
  if (f.config !== undefined) out.config = sanitizeConfig(f.config);
  return out;
}
