/**
 * The export's escaping (docs/security.md): one template tag, `html`, through which the page
 * is assembled, escaping every interpolation that is not Markup the exporter built; JSON safe
 * inside a <script> element; a script text safe to inline.
 */

/** Escapes text for HTML element content and attribute values (any value: numbers, null, objects). */
export function escapeHtml(v: unknown): string {
  const s =
    typeof v === 'string'
      ? v
      : v === undefined || v === null
        ? ''
        : typeof v === 'object'
          ? (JSON.stringify(v) ?? '')
          : String(v);
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Markup the exporter built itself (never text from the notebook). */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/**
 * The one way the page is assembled: a template whose interpolations are escaped, unless they
 * are Markup (built by this tag, by markdown-it with html off, or by the exporter's own code)
 * or arrays of Markup. A notebook field can therefore never become markup by accident.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0];
  values.forEach((v, i) => {
    out += piece(v) + strings[i + 1];
  });
  return new Markup(out);
}
function piece(v: unknown): string {
  if (v instanceof Markup) return v.html;
  if (Array.isArray(v)) return v.map(piece).join('');
  if (v === false || v === undefined || v === null) return '';
  return escapeHtml(v);
}

/** JSON safe inside a <script> element: no '<', '>', '&' or line separators left. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A script's text safe to inline: '</script' cannot close the element early. */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}
