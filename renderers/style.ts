import css from './style.css';

/** Adds the renderers' stylesheet to the document once. */
export function installStyle(): void {
  if (document.getElementById('mktnb-renderer-style')) return;
  const s = document.createElement('style');
  s.id = 'mktnb-renderer-style';
  s.textContent = css;
  document.head.append(s);
}
