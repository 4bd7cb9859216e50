// Shared state of one e2e run: the installed extension, the browser, code-server instances
// (started lazily, one per kind) and fresh workspace copies. Set up by run.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer } from './codeserver.mjs';
import { openWorkbench, screenshot } from './workbench.mjs';
import { launchChromium } from '../../lib/chromium.mjs';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'e2e', 'fixtures');

export const ctx = {
  /** temp root of this run: workspaces, user-data dirs, logs */
  tmp: '',
  extensionsDir: '',
  /** the installed extension's package.json (to detect which features have landed) */
  manifest: /** @type {any} */ (null),
  browser: /** @type {import('playwright-core').Browser|null} */ (null),
  servers: /** @type {Record<string, any>} */ ({}),
  /** the page of the running test (for the afterEach screenshot) */
  page: /** @type {import('playwright-core').Page|null} */ (null),
  contexts: /** @type {import('playwright-core').BrowserContext[]} */ ([]),
};

export async function browser() {
  ctx.browser ??= await launchChromium();
  return ctx.browser;
}

/**
 * A code-server instance by kind: 'trusted' (--disable-workspace-trust), 'untrusted' (trust on,
 * the user is asked), or any other name with options (e.g. the exthost suite's env).
 */
export async function server(kind, opts = {}) {
  if (ctx.servers[kind]) return ctx.servers[kind];
  const dir = path.join(ctx.tmp, `server-${kind}`);
  fs.mkdirSync(dir, { recursive: true });
  ctx.servers[kind] = await startCodeServer({
    userDataDir: path.join(dir, 'user-data'),
    extensionsDir: ctx.extensionsDir,
    trust: kind !== 'untrusted',
    logFile: path.join(ctx.tmp, `code-server-${kind}.log`),
    ...opts,
  });
  return ctx.servers[kind];
}

/**
 * A fresh copy of the workspace for one scenario: the repo's samples/ (when present) and the
 * e2e fixtures. Tests never touch the repo's own files: saving would modify them.
 */
export function workspace(name) {
  const ws = path.join(ctx.tmp, 'workspaces', name);
  fs.mkdirSync(ws, { recursive: true });
  const samples = path.join(ROOT, 'samples');
  if (fs.existsSync(samples)) {
    fs.cpSync(samples, path.join(ws, 'samples'), { recursive: true, filter: (src) => !src.includes(`${path.sep}out`) });
  }
  fs.cpSync(FIXTURES, path.join(ws, 'fixtures'), { recursive: true });
  return ws;
}

/** Opens the workbench for a workspace in a new browser context; remembered for screenshots. */
export async function openWindow(serverKind, ws, opts) {
  const srv = await server(serverKind);
  const win = await openWorkbench(await browser(), srv, ws, opts);
  ctx.contexts.push(win.context);
  ctx.page = win.page;
  return win;
}

export async function closeWindows() {
  for (const c of ctx.contexts.splice(0)) await c.close().catch(() => {});
  ctx.page = null;
}

/** Samples shipped in the repo (samples/*.mktnb), relative to a workspace copy. */
export function sampleNotebooks() {
  const dir = path.join(ROOT, 'samples');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.mktnb'))
    .sort()
    .map((f) => `samples/${f}`);
}

export function hasCommand(id) {
  return (ctx.manifest?.contributes?.commands ?? []).some((c) => c.command === id);
}

export function commandByTitle(title) {
  return (ctx.manifest?.contributes?.commands ?? []).find(
    (c) => `${c.category ? `${c.category}: ` : ''}${c.title}` === title,
  );
}

export async function shot(name) {
  if (ctx.page && !ctx.page.isClosed()) return screenshot(ctx.page, name);
  return undefined;
}
