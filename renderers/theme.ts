/**
 * The VS Code theme, read from the webview's CSS variables, as a Plotly template. Charts carry
 * no colors of their own (the cell API leaves them out); this supplies background, fonts, grid,
 * hover labels and the trace colorway, and is re-applied when the theme changes.
 */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  kind: ThemeKind;
  background: string;
  foreground: string;
  fontFamily: string;
  fontSize: number;
  grid: string;
  zeroLine: string;
  hoverBackground: string;
  hoverForeground: string;
  hoverBorder: string;
  accent: string;
  colorway: string[];
}

const DEFAULT_COLORWAY = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

function cssVar(styles: CSSStyleDeclaration[], name: string): string {
  for (const s of styles) {
    const v = s.getPropertyValue(name).trim();
    if (v) return v;
  }
  return '';
}

let probe: HTMLSpanElement | undefined;
/** Any CSS color → 'rgb(…)'/'rgba(…)' as the browser computes it ('' when invalid). */
export function resolveColor(c: string): string {
  if (!c) return '';
  if (!probe) {
    probe = document.createElement('span');
    probe.style.display = 'none';
    document.documentElement.appendChild(probe);
  }
  probe.style.color = '';
  probe.style.color = c;
  if (!probe.style.color) return '';
  return getComputedStyle(probe).color;
}

/** rgba() with the given alpha from any CSS color. */
export function withAlpha(c: string, alpha: number): string {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(resolveColor(c));
  return m ? `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${alpha})` : c;
}

export function themeKind(): ThemeKind {
  const b = document.body.classList;
  const k = document.body.dataset.vscodeThemeKind;
  if (b.contains('vscode-high-contrast-light') || k === 'vscode-high-contrast-light') return 'high-contrast-light';
  if (b.contains('vscode-high-contrast') || k === 'vscode-high-contrast') return 'high-contrast';
  if (b.contains('vscode-dark') || k === 'vscode-dark') return 'dark';
  if (b.contains('vscode-light') || k === 'vscode-light') return 'light';
  return matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function readTheme(): Theme {
  const styles = [getComputedStyle(document.body), getComputedStyle(document.documentElement)];
  const kind = themeKind();
  const dark = kind === 'dark' || kind === 'high-contrast';
  const v = (n: string) => resolveColor(cssVar(styles, n));
  const background =
    v('--vscode-notebook-outputContainerBackgroundColor') ||
    v('--vscode-editor-background') ||
    (dark ? 'rgb(30, 30, 30)' : 'rgb(255, 255, 255)');
  const foreground =
    v('--vscode-editor-foreground') || v('--vscode-foreground') || (dark ? 'rgb(204, 204, 204)' : 'rgb(51, 51, 51)');
  const hc = kind.startsWith('high-contrast');
  const charts = ['blue', 'orange', 'green', 'red', 'purple', 'yellow']
    .map((c) => v(`--vscode-charts-${c}`))
    .filter(Boolean);
  const fontSize = parseFloat(cssVar(styles, '--vscode-font-size')) || 13;
  return {
    kind,
    background,
    foreground,
    fontFamily:
      cssVar(styles, '--vscode-font-family') || '-apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, sans-serif',
    fontSize,
    grid: v('--vscode-charts-lines')
      ? withAlpha(v('--vscode-charts-lines'), hc ? 0.6 : 0.25)
      : withAlpha(foreground, hc ? 0.5 : 0.15),
    zeroLine: withAlpha(foreground, hc ? 0.9 : 0.4),
    hoverBackground: v('--vscode-editorHoverWidget-background') || background,
    hoverForeground: v('--vscode-editorHoverWidget-foreground') || foreground,
    hoverBorder: v('--vscode-editorHoverWidget-border') || v('--vscode-contrastBorder') || withAlpha(foreground, 0.4),
    accent: v('--vscode-focusBorder') || v('--vscode-charts-blue') || '#0078d4',
    colorway: charts.length >= 4 ? [...charts, ...DEFAULT_COLORWAY.slice(6)] : DEFAULT_COLORWAY,
  };
}

/** A key that changes when anything the charts use changes. */
export function themeKey(t: Theme): string {
  return JSON.stringify(t);
}

function axis(t: Theme, narrow: boolean): Record<string, unknown> {
  const hc = t.kind.startsWith('high-contrast');
  return {
    gridcolor: t.grid,
    zerolinecolor: t.zeroLine,
    linecolor: withAlpha(t.foreground, hc ? 1 : 0.4),
    tickcolor: withAlpha(t.foreground, 0.4),
    automargin: true,
    title: { font: { color: t.foreground } },
    ...(narrow ? { nticks: 5 } : {}),
  };
}

/** Plotly template for the theme; `narrow` for outputs under 520 px. */
export function plotlyTemplate(t: Theme, narrow: boolean): Record<string, unknown> {
  const hc = t.kind.startsWith('high-contrast');
  return {
    layout: {
      paper_bgcolor: t.background,
      plot_bgcolor: t.background,
      font: { family: t.fontFamily, size: narrow ? Math.max(10, t.fontSize - 2) : t.fontSize, color: t.foreground },
      colorway: t.colorway,
      xaxis: axis(t, narrow),
      yaxis: axis(t, false),
      yaxis2: axis(t, false),
      legend: { bgcolor: 'rgba(0,0,0,0)', font: { color: t.foreground } },
      hoverlabel: {
        bgcolor: t.hoverBackground,
        bordercolor: t.hoverBorder,
        font: { color: t.hoverForeground, family: t.fontFamily },
      },
      modebar: { bgcolor: 'rgba(0,0,0,0)', color: withAlpha(t.foreground, 0.55), activecolor: t.accent },
      annotationdefaults: {
        font: { color: t.foreground },
        arrowcolor: withAlpha(t.foreground, 0.7),
        bgcolor: withAlpha(t.background, 0.7),
      },
      shapedefaults: { line: { color: withAlpha(t.foreground, 0.5) } },
      colorscale: { diverging: 'RdBu' },
    },
    data: {
      scatter: [{ line: { width: hc ? 2.5 : 1.6 } }],
      scattergl: [{ line: { width: hc ? 2.5 : 1.6 } }],
      bar: [{ marker: { line: { width: hc ? 1 : 0, color: t.foreground } } }],
    },
  };
}
