/**
 * Layout decisions of the chart renderer that need no DOM: which panes are time series, titles
 * wrapped clear of the modebar, date text for Plotly, template merging.
 */

/** Epoch ms as Plotly date text: 'YYYY-MM-DD' at UTC midnight, else 'YYYY-MM-DD HH:MM:SS.sss' (UTC wall time, as stored charts hold). */
export function isoTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 86_400_000 === 0 ? iso.slice(0, 10) : iso.slice(0, 23).replace('T', ' ');
}

export function toNumber(v: unknown, isDate: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (isDate) {
      const s = v.replace(' ', 'T');
      const t = Date.parse(/Z|[+-]\d\d:?\d\d$/.test(s) || s.length === 10 ? s : s + 'Z');
      return t;
    }
    return Number(v);
  }
  return NaN;
}

/** 'yaxis2' -> 'y2', 'xaxis' -> 'x' (how traces name their axes). */
export function axisRef(id: string): string {
  return id.replace('axis', '');
}

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
    const xId = `xaxis${String(t.xaxis ?? 'x').slice(1)}`,
      yId = `yaxis${String(t.yaxis ?? 'y').slice(1)}`;
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
export function fitTitle(l: Record<string, unknown>, width: number): void {
  const text = titleText(l);
  if (!text || text.includes('<br>')) return;
  const raw = titleObject(l.title);
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
    if (cur && (cur + ' ' + w).replace(/<[^>]*>/g, '').length > perLine) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  l.title = { ...raw, text: lines.join('<br>') };
  const m = (l.margin ?? {}) as Record<string, unknown>;
  l.margin = { ...m, t: Math.max(Number(m.t ?? 80), 48) + (lines.length - 1) * Math.round(size * 1.25) };
}

/** Plotly's title object ({ text, font, x, xanchor }) of a layout's `title`; undefined for a string or nothing. */
function titleObject(
  title: unknown,
): { text?: unknown; font?: { size?: unknown } | null; x?: unknown; xanchor?: unknown } | undefined {
  return typeof title === 'object' && title !== null ? title : undefined;
}

/** The text of a layout's title: the string, or the title object's `text`. */
export function titleText(layout: Record<string, unknown>): string | undefined {
  const t = layout.title;
  if (typeof t === 'string') return t;
  const text = titleObject(t)?.text;
  return typeof text === 'string' ? text : undefined;
}

export function mergeDeep(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? mergeDeep(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
