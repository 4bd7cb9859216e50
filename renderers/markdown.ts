/**
 * Extends VS Code's markdown renderer (vscode.markdown-it-renderer, which draws markdown cells
 * and text/markdown outputs): raw HTML in a markdown cell read from a .mktnb file is shown as
 * text. In a trusted workspace that renderer runs markdown-it with `html: true` and inserts the
 * result unsanitized, so an `<img onerror>` in a shared notebook's markdown cell ran script on
 * open (docs/security.md). Only cells the serializer marked (metadata.mktnb.inertHtml, set for
 * markdown cells read from a file) are affected; cells typed in this session, and other notebook
 * types, render as VS Code renders them.
 */

interface MarkdownItLike {
  renderer: {
    rules: Record<
      string,
      | ((tokens: { content: string }[], idx: number, options: unknown, env: unknown, self: unknown) => string)
      | undefined
    >;
  };
  utils: { escapeHtml(s: string): string };
}

/** Whether markdown-it's env belongs to a markdown cell (or output) read from a .mktnb file. */
export function fromNotebookFile(env: unknown): boolean {
  const m = (env as { outputItem?: { metadata?: unknown } } | undefined)?.outputItem?.metadata as
    { mktnb?: { inertHtml?: unknown } | null } | undefined;
  return !!m && typeof m === 'object' && typeof m.mktnb === 'object' && m.mktnb !== null && m.mktnb.inertHtml === true;
}

/** Makes html_block / html_inline tokens of marked cells render as escaped text. */
export function guardMarkdownIt(md: MarkdownItLike): void {
  for (const rule of ['html_block', 'html_inline']) {
    const orig = md.renderer.rules[rule];
    md.renderer.rules[rule] = (tokens, idx, options, env, self) => {
      if (fromNotebookFile(env)) return md.utils.escapeHtml(tokens[idx].content);
      return orig ? orig(tokens, idx, options, env, self) : tokens[idx].content;
    };
  }
}

/** Renderer entry (no DOM here: this file is also imported by unit tests in plain Node). */
export async function activate(ctx: {
  getRenderer?(id: string): Promise<{ extendMarkdownIt(f: (md: MarkdownItLike) => void): void } | undefined>;
}): Promise<{ renderOutputItem(): void }> {
  const base = await ctx.getRenderer?.('vscode.markdown-it-renderer');
  base?.extendMarkdownIt(guardMarkdownIt);
  return {
    renderOutputItem() {
      /* extends only: it draws no mime of its own */
    },
  };
}
