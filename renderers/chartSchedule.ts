/**
 * When the chart renderer draws and re-colors: charts draw when they scroll into view
 * (IntersectionObserver), one at a time with a painted frame in between, and every drawn chart
 * re-colors when the VS Code theme changes (MutationObserver on body class / html style).
 */
import { readTheme, themeKey, type Theme } from './theme';

/** What the schedule drives: a chart view (chart.ts). */
export interface Scheduled {
  draw(): Promise<void>;
  retheme(): void;
}

let currentTheme: Theme | undefined;
let themeTimer = 0;
let themeObserver: MutationObserver | undefined;

/** The theme read from the webview's CSS variables (read once, then kept current by watchTheme). */
export function theme(): Theme {
  if (!currentTheme) currentTheme = readTheme();
  return currentTheme;
}

/** Starts watching the theme (once); on a change, each of `views()` re-colors. */
export function watchTheme(views: () => Iterable<Scheduled>): void {
  if (themeObserver) return;
  themeObserver = new MutationObserver(() => {
    if (themeTimer) return;
    themeTimer = requestAnimationFrame(() => {
      themeTimer = 0;
      const next = readTheme();
      if (currentTheme && themeKey(next) === themeKey(currentTheme)) return;
      currentTheme = next;
      for (const v of views()) v.retheme();
    });
  });
  const opts = { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind'] };
  themeObserver.observe(document.body, opts);
  themeObserver.observe(document.documentElement, opts);
}

/** the view each observed element draws */
const watched = new WeakMap<Element, Scheduled>();
let io: IntersectionObserver | undefined;

/**
 * Draws `v` when `root` comes within `margin` of the viewport. Returns false where there is no
 * IntersectionObserver (the caller then schedules it at once).
 */
export function drawWhenVisible(v: Scheduled, root: Element, margin: string): boolean {
  if (typeof IntersectionObserver === 'undefined') return false;
  io ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        const w = watched.get(e.target);
        io!.unobserve(e.target);
        if (w) schedule(w);
      }
    },
    { rootMargin: margin },
  );
  watched.set(root, v);
  io.observe(root);
  return true;
}

/**
 * Charts are drawn one at a time with a painted frame in between, so a notebook whose outputs
 * all become visible at once (opening, fast scrolling) stays responsive.
 */
const queue: Scheduled[] = [];
let pumping = false;

export function schedule(v: Scheduled): void {
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
  } finally {
    pumping = false;
  }
}

/** Forgets a disposed view: no longer observed, no longer queued. */
export function unschedule(v: Scheduled, root: Element): void {
  io?.unobserve(root);
  watched.delete(root);
  const q = queue.indexOf(v);
  if (q >= 0) queue.splice(q, 1);
}
