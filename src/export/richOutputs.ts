/**
 * The export's rich outputs, charts and tables (html.ts picks the item and calls these): each
 * is checked against its shared schema first and shown as the list of its problems when it does
 * not pass; a chart's figure is sanitized as the renderer sanitizes it, and numbers in hover
 * labels and table cells follow the renderers' shared formatting rules.
 */
import { validateChart, validateTable, type ChartOutput, type TableOutput } from '../shared/schemas';
import { sanitizeFigure } from '../shared/sanitize';
import { hoverFormats, tableFormatters } from '../shared/format';
import { html, jsonForScript, Markup } from './markup';

/** Output data as text: strings as they are, anything else as indented JSON. */
export function asText(d: unknown): string {
  return typeof d === 'string' ? d : d === undefined ? '' : (JSON.stringify(d, null, 2) ?? String(d));
}

function invalid(what: string, errs: string[]): Markup {
  return html`<div class="output invalid" role="alert"><b>This ${what} output cannot be shown:</b><ul>${errs.map((e) => html`<li>${e}</li>`)}</ul></div>`;
}

/** A chart output: its figure sanitized (the renderer's code), data inlined as JSON, drawn by the page script. */
export function chartHtml(v: unknown): Markup {
  const errs = validateChart(v);
  if (errs.length) return invalid('chart', errs);
  const c = v as ChartOutput;
  const fig = sanitizeFigure(c.figure);
  // hover numbers as the renderer shows them (the shared per-column rules)
  const hover = hoverFormats(fig.data, (fig.layout ?? {}) as Record<string, unknown>);
  if (Object.keys(hover).length)
    fig.layout = {
      ...fig.layout,
      ...Object.fromEntries(
        Object.entries(hover).map(([k, f]) => [k, { ...(fig.layout?.[k] as object | undefined), hoverformat: f }]),
      ),
    };
  const h = Math.min(Math.max(Number(fig.layout?.height) || 420, 100), 4000);
  const notes = (Array.isArray(c.decimation) ? c.decimation : []).map(
    (d) =>
      `${asText(d?.storedPoints)} of ${asText(d?.originalPoints)} points stored (${asText(d?.method).toUpperCase()})`,
  );
  // the page script finds a chart's data as the <script> child of its own <figure>, never by a global id
  return html`<figure class="output chart"><div class="plot" style="min-height:${h}px" aria-label="${asText(c.title ?? 'chart')}"></div>${''}<script type="application/json" class="figure-data">${new Markup(jsonForScript(fig))}</script>${''}${notes.length ? html`<figcaption>Reduced for storage: ${notes.join('; ')}</figcaption>` : ''}</figure>`;
}

/** A table output: numbers formatted by the shared per-column rules, the omitted middle rows noted. */
export function tableHtml(v: unknown): Markup {
  const errs = validateTable(v);
  if (errs.length) return invalid('table', errs);
  const t = v as TableOutput;
  const num = (j: number) => t.columns[j]?.type === 'number';
  const head = t.columns.map((c, j) => html`<th${num(j) ? new Markup(' class="num"') : ''}>${c?.name}</th>`);
  const rows: Markup[] = [];
  const total = Number.isFinite(t.totalRows) ? t.totalRows : t.rows.length;
  const fmt = tableFormatters(t.columns, t.rows);
  t.rows.forEach((r, k) => {
    if (t.headRows !== undefined && k === t.headRows && t.rows.length < total) {
      rows.push(
        html`<tr class="gap"><td colspan="${t.columns.length}">… ${(total - t.rows.length).toLocaleString('en-US')} rows …</td></tr>`,
      );
    }
    rows.push(
      html`<tr>${r.map((x, j) => html`<td${num(j) ? new Markup(' class="num"') : ''}>${fmt[j](x)}</td>`)}</tr>`,
    );
  });
  const foot = `${total.toLocaleString('en-US')} row${total === 1 ? '' : 's'}${t.footer ? ` · ${asText(t.footer)}` : ''}`;
  return html`<div class="output table">${t.title ? html`<div class="table-title">${asText(t.title)}</div>` : ''}${''}<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table><div class="table-footer">${foot}</div></div>`;
}
