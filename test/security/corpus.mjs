// The hostile-file corpus (issue 10, docs/security.md): crafted .mktnb and CSV files, each saying
// in a "comment" field (or in its own text) what it tries. Used by three suites, none skipping:
//   test/renderer/security.test.ts   the chart/table renderers in Chromium
//   test/renderer/security.test.ts   the HTML export of every notebook, opened in Chromium
//   test/e2e/scenarios/07-security.mjs  code-server, trusted workspace
// Files hold the placeholder __LISTENER__ where a payload would send a request; materialize()
// replaces it with the URL of a listener on 127.0.0.1 that records every request it gets.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PLACEHOLDER = '__LISTENER__';
/** The files of the corpus (not this helper). */
export const CORPUS_FILES = fs.readdirSync(CORPUS_DIR).filter((f) => /\.(mktnb|csv)$/.test(f)).sort();
/** Notebooks that open (the invalid-UTF-8 one must be refused instead). */
export const OPENING_NOTEBOOKS = CORPUS_FILES.filter((f) => f.endsWith('.mktnb') && !f.includes('invalid-utf8'));
export const INVALID_UTF8 = '05-invalid-utf8.mktnb';

/** Copies the corpus into dir with the listener's URL in place of the placeholder (bytes kept otherwise). */
export function materialize(dir, listenerUrl) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of CORPUS_FILES) {
    const bytes = fs.readFileSync(path.join(CORPUS_DIR, f));
    const out = Buffer.from(bytes.toString('latin1').split(PLACEHOLDER).join(listenerUrl), 'latin1');
    fs.writeFileSync(path.join(dir, f), out);
  }
  return dir;
}

/** A listener on 127.0.0.1 that records every request: { url, requests, close() }. */
export async function startListener() {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(204, { 'access-control-allow-origin': '*' });
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
  return { url, requests, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}
