/**
 * Sanitizing Plotly figures from an untrusted notebook, shared by the chart renderer (webview)
 * and the HTML export, so both draw exactly the same safe figure. Pure: no DOM, no Node.
 * Threat model and tests: docs/security.md.
 *
 * Text: Plotly renders its own small HTML-like markup in titles, labels, hover and annotation
 * text, and expands templates (`%{meta[0]}`, `%{customdata}` …) BEFORE it parses that markup.
 * So checking strings one by one is not enough: `<%{meta[0]}>` with meta `a href=… style=…`
 * composes a live link. We therefore keep only a few formatting tags, exactly as written and
 * without attributes, and escape EVERY other '<' (including '<%', '<' + space, a lone '<'), so
 * no expansion can ever form a tag. Plotly shows the escaped text literally.
 *
 * Attributes: the layout's top-level keys are allowlisted; anything that can make Plotly load
 * from the network is dropped wherever it appears (in traces, layout, frames, templates and in
 * the args of updatemenus/sliders buttons): map/geo/mapbox subplots and their styles, geojson,
 * non-data: images, and button args that set them or switch a trace to a map type.
 * sanitizeFigureReport says what it dropped, so the renderer can tell the user. The lists
 * themselves are plotlyAllowlist.ts.
 */
import { ARG_PATH, CONFIG_KEYS, LAYOUT_KEYS, MAP_TRACE, NETWORK_KEYS, NUMBERED } from './plotlyAllowlist';

export { MAP_TRACE };

const KEEP = new Set(['b', 'i', 'em', 'sup', 'sub', 'br', 's']);
/** An allowed tag (`<b>`, `</b>`, `<br/>`, `<B onclick=x>`), re-written without its attributes; any other '<' is escaped. */
const ALLOWED_TAG = /^<(\/?)(b|i|em|sup|sub|br|s)(?=[\s/>])[^<>]*>/i;

export function sanitizeText(s: string): string {
  if (s.indexOf('<') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '<') {
      const m = ALLOWED_TAG.exec(s.slice(i, i + 200));
      if (m && KEEP.has(m[2].toLowerCase())) {
        out += `<${m[1]}${m[2].toLowerCase()}>`;
        i += m[0].length - 1;
        continue;
      }
      out += '&lt;';
    } else out += ch;
  }
  return out;
}

export function sanitizeConfig(c: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof c !== 'object' || c === null) return out;
  for (const [k, v] of Object.entries(c)) {
    if (!CONFIG_KEYS.has(k)) continue;
    if (k === 'modeBarButtonsToRemove') {
      if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string');
      continue;
    }
    if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') out[k] = v;
  }
  return out;
}

/** What the sanitizer changed, in words for the note under a chart. */
type Report = Set<string>;

const isData = (src: unknown) =>
  typeof src === 'string' && /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/i.test(src);

/**
 * A deep copy of a figure part with every string sanitized and network attributes dropped.
 * Arrays of numbers are shared, not copied (they can be a million points long).
 */
export function sanitizeDeep(v: unknown, report: Report = new Set()): unknown {
  if (typeof v === 'string') return sanitizeText(v);
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    // numbers, and strings without '<' (dates), need nothing: share the array, do not copy it
    let work = false;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if ((typeof x === 'string' && x.indexOf('<') >= 0) || (typeof x === 'object' && x !== null)) {
        work = true;
        break;
      }
    }
    if (!work) return v;
    return v.map((x) => sanitizeDeep(x, report));
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    if (NETWORK_KEYS.has(k)) {
      report.add(`"${k}" (it loads map data from the internet)`);
      continue;
    }
    if (k === 'images' && Array.isArray(x)) {
      const kept = x.filter((im) => isData(im?.source));
      if (kept.length < x.length) report.add('images that are not inline data');
      out[k] = kept.map((im) => sanitizeDeep(im, report));
      continue;
    }
    if (k === 'type' && typeof x === 'string' && MAP_TRACE.test(x)) {
      report.add(`the "${x}" trace type (it loads map data from the internet)`);
      out[k] = 'scatter';
      continue;
    }
    if ((k === 'updatemenus' || k === 'sliders') && Array.isArray(x)) {
      out[k] = x.map((menu) => sanitizeMenu(menu, report));
      continue;
    }
    out[k] = sanitizeDeep(x, report);
  }
  return out;
}

function sanitizeArgs(args: unknown, report: Report): unknown {
  if (!Array.isArray(args)) return sanitizeDeep(args, report);
  return args.map((a) => {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) return sanitizeDeep(a, report);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(a)) {
      if (ARG_PATH.test(k)) {
        report.add(`a button that sets "${k}"`);
        continue;
      }
      const base = k.replace(/^.*\./, '');
      if (
        base === 'type' &&
        (typeof x === 'string'
          ? MAP_TRACE.test(x)
          : Array.isArray(x) && x.some((t) => typeof t === 'string' && MAP_TRACE.test(t)))
      ) {
        report.add('a button that switches a trace to a map type');
        continue;
      }
      const clean = sanitizeDeep({ [k]: x }, report) as Record<string, unknown>;
      if (k in clean) out[k] = clean[k];
    }
    return out;
  });
}

function sanitizeMenu(menu: unknown, report: Report): unknown {
  if (typeof menu !== 'object' || menu === null || Array.isArray(menu)) return sanitizeDeep(menu, report);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(menu)) {
    if ((k === 'buttons' || k === 'steps') && Array.isArray(x)) {
      out[k] = x.map((b) => {
        if (typeof b !== 'object' || b === null) return b;
        const o: Record<string, unknown> = {};
        for (const [bk, bx] of Object.entries(b))
          o[bk] = bk === 'args' || bk === 'args2' ? sanitizeArgs(bx, report) : sanitizeDeep(bx, report);
        return o;
      });
    } else out[k] = sanitizeDeep(x, report);
  }
  return out;
}

/** The layout with only allowlisted top-level keys, each sanitized. */
export function sanitizeLayout(l: unknown, report: Report = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof l !== 'object' || l === null || Array.isArray(l)) return out;
  for (const [k, x] of Object.entries(l)) {
    if (!LAYOUT_KEYS.has(k) && !NUMBERED.test(k)) {
      report.add(`the layout attribute "${k}"`);
      continue;
    }
    if (k === 'template' && typeof x === 'object' && x !== null) {
      const t = x as Record<string, unknown>;
      out[k] = {
        ...(t.data !== undefined ? { data: sanitizeDeep(t.data, report) } : {}),
        ...(t.layout !== undefined ? { layout: sanitizeLayout(t.layout, report) } : {}),
      };
      continue;
    }
    const clean = sanitizeDeep({ [k]: x }, report) as Record<string, unknown>;
    if (k in clean) out[k] = clean[k];
  }
  return out;
}

function sanitizeFrames(frames: unknown[], report: Report): unknown[] {
  return frames.map((f) => {
    if (typeof f !== 'object' || f === null) return f;
    const out = sanitizeDeep({ ...(f as Record<string, unknown>), layout: undefined }, report) as Record<
      string,
      unknown
    >;
    delete out.layout;
    if ((f as Record<string, unknown>).layout !== undefined)
      out.layout = sanitizeLayout((f as Record<string, unknown>).layout, report);
    return out;
  });
}

/** A sanitized copy of a whole figure (data, layout, frames, config) and what was dropped. */
export function sanitizeFigureReport<
  F extends { data: unknown[]; layout?: unknown; frames?: unknown[]; config?: unknown },
>(f: F): { figure: F; dropped: string[] } {
  const report: Report = new Set();
  const out = { ...f, data: sanitizeDeep(f.data, report) } as F;
  if (f.layout !== undefined) out.layout = sanitizeLayout(f.layout, report);
  if (Array.isArray(f.frames)) out.frames = sanitizeFrames(f.frames, report);
  if (f.config !== undefined) out.config = sanitizeConfig(f.config);
  return { figure: out, dropped: [...report] };
}

/** A sanitized copy of a whole figure (data, layout, frames, config). */
export function sanitizeFigure<F extends { data: unknown[]; layout?: unknown; frames?: unknown[]; config?: unknown }>(
  f: F,
): F {
  return sanitizeFigureReport(f).figure;
}

/** The note shown under a chart the sanitizer changed (undefined when nothing was dropped). */
export function droppedNote(dropped: string[]): string | undefined {
  if (!dropped.length) return undefined;
  return `Not drawn from this notebook file (it could load from the internet or run script): ${dropped.slice(0, 4).join('; ')}${dropped.length > 4 ? `; and ${dropped.length - 4} more` : ''}.`;
}
