/**
 * DOM pieces of the chart and table renderers: elements, buttons, the error box (all text
 * through textContent), and the second sanitizing layer over the SVG Plotly drew.
 */

/**
 * Second layer behind the sanitizer: in the SVG Plotly drew, text holds no links and no styles
 * that load anything. <a> elements are replaced by their children; tspans keep only the
 * properties Plotly's own b/i/sup/sub/s markup sets; a declaration holding url() is removed.
 */
export function scrubSvgText(root: Element): number {
  let changed = 0;
  for (const a of Array.from(root.querySelectorAll('svg text a, svg a'))) {
    a.replaceWith(...Array.from(a.childNodes));
    changed++;
  }
  for (const t of Array.from(root.querySelectorAll<SVGElement>('svg text, svg tspan'))) {
    const style = t.getAttribute('style');
    if (!style) continue;
    const keep = style
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d && !/url\s*\(|expression|@import|image|behavior|binding/i.test(d))
      .filter(
        (d) =>
          t.tagName.toLowerCase() !== 'tspan' ||
          /^(font-weight|font-style|font-size|baseline-shift|text-decoration|dy|fill|white-space)\s*:/i.test(d),
      );
    const next = keep.join('; ');
    if (next !== style.trim().replace(/;\s*$/, '')) {
      if (next) t.setAttribute('style', next);
      else t.removeAttribute('style');
      changed++;
    }
  }
  return changed;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
}

export function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', 'mktnb-button');
  b.type = 'button';
  b.textContent = label;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

/** An error box (never a blank output). All text through textContent. */
export function showError(element: HTMLElement, headline: string, problems: string[]): void {
  const box = el('div', 'mktnb-error');
  box.setAttribute('role', 'alert');
  const h = el('div', 'mktnb-error-title');
  h.textContent = headline;
  const ul = el('ul');
  for (const p of problems) {
    const li = el('li');
    li.textContent = p;
    ul.append(li);
  }
  box.append(h, ul);
  element.replaceChildren(box);
}
