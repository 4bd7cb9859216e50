/**
 * The exported page's own style and script (html.ts inlines both): light and dark colors from
 * prefers-color-scheme; charts drawn with Plotly when they scroll into view and re-themed when
 * the scheme changes; tables sortable by a click on a header.
 */

export const CSS = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #656d76; --border: #d0d7de; --code-bg: #f6f8fa; --err: #cf222e; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --border: #30363d; --code-bg: #161b22; --err: #ff7b72; --accent: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 64px; }
header.doc { border-bottom: 1px solid var(--border); margin-bottom: 20px; }
header.doc .meta { color: var(--muted); font-size: 13px; margin: -8px 0 12px; }
.cell { margin: 18px 0; }
.cell.markdown img { max-width: 100%; }
a { color: var(--accent); }
.source { position: relative; }
.prompt { display: block; color: var(--muted); font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 0 0 2px 2px; }
pre { margin: 0; padding: 10px 12px; overflow-x: auto; background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.outputs { margin-top: 6px; display: flex; flex-direction: column; gap: 8px; }
pre.output { background: transparent; border: none; border-left: 3px solid var(--border); border-radius: 0; }
pre.output.error, pre.output.stderr { border-left-color: var(--err); color: var(--err); }
.output.invalid { border-left: 3px solid var(--err); padding: 6px 10px; }
figure.chart { margin: 0; }
figure.chart figcaption { color: var(--muted); font-size: 12px; }
iframe.output.html { width: 100%; min-height: 200px; border: 1px solid var(--border); border-radius: 6px; background: #fff; }
img.output { max-width: 100%; }
.output.table { overflow-x: auto; }
.table-title { font-weight: 600; margin-bottom: 4px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--border); white-space: nowrap; text-align: left; }
th.num, td.num { text-align: right; }
tr.gap td { text-align: center; font-style: italic; color: var(--muted); }
th.sortable { cursor: pointer; } th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
.table-footer { color: var(--muted); font-size: 12px; margin-top: 4px; }
@media (max-width: 700px) { main { padding: 12px; } }
`;

/** Runs in the exported page: draws charts when visible, themed by prefers-color-scheme; sortable tables. */
export const PAGE_SCRIPT = `(() => {
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const css = (n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim();
  const template = () => {
    const fg = css('--fg'), bg = css('--bg'), grid = dark.matches ? 'rgba(230,237,243,0.14)' : 'rgba(31,35,40,0.12)';
    const axis = { gridcolor: grid, zerolinecolor: dark.matches ? 'rgba(230,237,243,0.4)' : 'rgba(31,35,40,0.4)', linecolor: grid, automargin: true };
    return { layout: { paper_bgcolor: bg, plot_bgcolor: bg, font: { color: fg, family: getComputedStyle(document.body).fontFamily, size: 13 },
      colorway: dark.matches ? ['#4493f8','#f0883e','#3fb950','#f85149','#a371f7','#d29922','#39c5cf','#db61a2'] : ['#0969da','#bc4c00','#1a7f37','#cf222e','#8250df','#9a6700','#1b7c83','#bf3989'],
      xaxis: axis, yaxis: axis, yaxis2: axis, legend: { bgcolor: 'rgba(0,0,0,0)' },
      hoverlabel: { bgcolor: bg, font: { color: fg } }, annotationdefaults: { font: { color: fg } },
      modebar: { bgcolor: 'rgba(0,0,0,0)', color: css('--muted'), activecolor: css('--accent') } } };
  };
  const drawn = new Set();
  const draw = (el) => {
    if (drawn.has(el)) return;
    drawn.add(el);
    if (typeof Plotly === 'undefined') { el.style.minHeight = ''; el.textContent = 'This export does not include plotly.js, so its charts cannot be drawn.'; return; }
    const data = el.parentElement && el.parentElement.querySelector(':scope > script.figure-data');
    if (!data) { el.textContent = 'This chart has no data.'; return; }
    const fig = JSON.parse(data.textContent);
    const layout = Object.assign({}, fig.layout || {}, { template: template(), autosize: true });
    layout.height = Number(layout.height) || 420;
    delete layout.width;
    // frames too (the cascade replay): without them Play and the slider do nothing
    Plotly.newPlot(el, { data: fig.data, layout, frames: fig.frames || [], config: { responsive: true, displaylogo: false, typesetMath: false, showLink: false } })
      .then(() => { el.style.minHeight = ''; el.dataset.rendered = '1'; })
      .catch((e) => { el.textContent = 'Plotly could not draw this chart: ' + (e && e.message || e); });
  };
  const plots = Array.from(document.querySelectorAll('figure.chart .plot'));
  if ('IntersectionObserver' in window) {
    const io = new IntersectionObserver((es) => es.forEach((e) => { if (e.isIntersecting) { io.unobserve(e.target); draw(e.target); } }), { rootMargin: '400px 0px' });
    plots.forEach((p) => io.observe(p));
  } else plots.forEach(draw);
  const retheme = () => drawn.forEach((el) => Plotly.relayout(el, { template: template() }));
  dark.addEventListener ? dark.addEventListener('change', retheme) : dark.addListener(retheme);
  window.addEventListener('beforeprint', () => plots.forEach(draw));
  document.querySelectorAll('.output.table table').forEach((table) => {
    const body = table.tBodies[0];
    const original = Array.from(body.rows);
    table.querySelectorAll('th').forEach((th, col) => {
      th.classList.add('sortable'); th.tabIndex = 0; th.setAttribute('aria-sort', 'none');
      const key = (tr) => { const c = tr.cells[col]; if (!c) return null; const t = c.textContent.replace(/[,%]/g, ''); const n = parseFloat(t); return c.classList.contains('num') ? (isNaN(n) ? null : n) : t; };
      const sort = () => {
        const cur = th.getAttribute('aria-sort');
        const dir = cur === 'none' ? 1 : cur === 'ascending' ? -1 : 0;
        table.querySelectorAll('th').forEach((h) => h.setAttribute('aria-sort', 'none'));
        let rows = original;
        if (dir) {
          th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
          rows = original.filter((r) => !r.classList.contains('gap')).slice().sort((a, b) => {
            const x = key(a), y = key(b);
            if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
            return dir * (x < y ? -1 : x > y ? 1 : 0);
          });
        }
        body.replaceChildren(...rows);
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
  });
})();`;
