// Installs what the end-to-end tests need, idempotently, from the npm registry and Debian
// packages only (see docs/testing.md and ../shared/recipes/vscode-e2e.md):
//   - Debian: chromium (the browser), ripgrep (fed to @vscode/ripgrep's download cache),
//     libkrb5-dev (code-server's `kerberos` native module compiles against it)
//   - npm: code-server@CODE_SERVER_VERSION into .vscode-test/code-server (ignored, cached)
// Run directly (`node test/e2e/setup.mjs`) or imported by run.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM } from '../lib/chromium.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3'; // VS Code 1.100.3, runs on Node 20
// MKTNB_CODE_SERVER_DIR: install elsewhere (e.g. to try a fresh install without touching the cache)
export const CS_DIR = process.env.MKTNB_CODE_SERVER_DIR
  ? path.resolve(process.env.MKTNB_CODE_SERVER_DIR)
  : path.join(ROOT, '.vscode-test', 'code-server');
export const CS_PKG = path.join(CS_DIR, 'node_modules', 'code-server');
export const CS_ENTRY = path.join(CS_PKG, 'out', 'node', 'entry.js');
const RIPGREP_VERSION = '1.15.11'; // @vscode/ripgrep pinned by VS Code 1.100
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const log = (...a) => console.log('[e2e setup]', ...a);

function sh(cmd, args, opts = {}) {
  log('$', cmd, args.join(' '));
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Debian packages; installs missing ones when root (CI) or when MKTNB_E2E_APT=1. */
export function ensureAptPackages({ needBuildDeps }) {
  const wanted = ['chromium', 'ripgrep', ...(needBuildDeps ? ['libkrb5-dev'] : [])];
  const missing = have('dpkg-query') ? wanted.filter((p) => !dpkgInstalled(p)) : [];
  if (!fs.existsSync(CHROMIUM) && !missing.includes('chromium') && !process.env.MKTNB_CHROMIUM)
    missing.push('chromium');
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot && !process.env.MKTNB_E2E_APT) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')} (run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')})`,
    );
  }
  const pre = isRoot ? [] : ['sudo'];
  const apt = (args) =>
    sh(pre[0] ?? 'apt-get', [...(pre.length ? ['apt-get'] : []), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...missing]);
}

function installedCodeServerVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(CS_PKG, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** code-server's postinstall builds VS Code's own node_modules; check that it really ran. */
function codeServerComplete() {
  const vs = path.join(CS_PKG, 'lib', 'vscode');
  return (
    installedCodeServerVersion() === CODE_SERVER_VERSION &&
    fs.existsSync(CS_ENTRY) &&
    fs.existsSync(path.join(vs, 'node_modules.asar')) &&
    fs.existsSync(path.join(vs, 'node_modules', 'node-pty')) &&
    fs.existsSync(path.join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'))
  );
}

/** @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the archive. */
function seedRipgrepCache() {
  const cache = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_VERSION}`);
  const archive = path.join(cache, RIPGREP_ASSET);
  if (fs.existsSync(archive)) return;
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('ripgrep (rg) not found; install the Debian package ripgrep');
  fs.mkdirSync(cache, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-'));
  fs.copyFileSync(rg, path.join(tmp, 'rg'));
  fs.chmodSync(path.join(tmp, 'rg'), 0o755);
  sh('tar', ['czf', archive, '-C', tmp, 'rg']);
  fs.rmSync(tmp, { recursive: true, force: true });
}

export function ensureCodeServer() {
  if (codeServerComplete()) {
    log(`code-server ${CODE_SERVER_VERSION} already installed (cached in .vscode-test/code-server)`);
    return;
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node 20 (this is ${process.version})`);
  seedRipgrepCache();
  fs.mkdirSync(CS_DIR, { recursive: true });
  const pkgJson = path.join(CS_DIR, 'package.json');
  if (!fs.existsSync(pkgJson)) {
    fs.writeFileSync(
      pkgJson,
      JSON.stringify({ name: 'mktnb-e2e-code-server', private: true, version: '0.0.0' }, null, 2),
    );
  }
  // code-server's postinstall refuses root without unsafe-perm; node-pty's postinstall calls
  // npx, which needs --yes without a terminal. Several minutes: node-gyp builds native modules.
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  const started = Date.now();
  sh('npm', ['install', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: CS_DIR, env });
  if (!codeServerComplete()) {
    // newer npm versions may skip install scripts; run code-server's postinstall ourselves
    log('code-server postinstall did not complete; running it explicitly');
    const agent = `npm/? node/${process.version} linux x64`;
    sh('sh', ['./postinstall.sh'], { cwd: CS_PKG, env: { ...env, npm_config_user_agent: agent } });
  }
  if (!codeServerComplete()) throw new Error('code-server install is incomplete (see the log above)');
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

export function ensureSetup() {
  ensureAptPackages({ needBuildDeps: !codeServerComplete() });
  ensureCodeServer();
  const v = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error(`${CHROMIUM} --version failed: ${v.stderr}`);
  log('browser:', v.stdout.trim());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureSetup();
  } catch (e) {
    console.error('[e2e setup] FAILED:', e.message);
    process.exit(1);
  }
}
