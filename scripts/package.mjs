// Packages the extension as a platform-specific VSIX (vsce --target).
//
// Why platform-specific: the kernel compiles TypeScript cells with esbuild, whose compiler is a
// native binary per platform. VS Code's answer for native dependencies is one VSIX per target;
// the @esbuild/<platform> packages come from the npm registry, so any target can be built here.
// (esbuild-wasm was tried as a universal fallback: its Node API spawns `node` from PATH, which
// VS Code users need not have, since the extension host is Electron.)
// DuckDB (SQL cells, Parquet) is the same case: its JS is bundled into dist/*.js, its native addon
// is one @duckdb/node-bindings-<platform> package, the only one the VSIX carries.
//
//   node scripts/package.mjs                     → dist/market-notebooks.vsix for this machine
//   node scripts/package.mjs --target darwin-arm64 → dist/market-notebooks-darwin-arm64.vsix
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const here = `${process.platform}-${process.arch}`;
const ti = process.argv.indexOf('--target');
const target = ti > 0 ? process.argv[ti + 1] : here;
// VS Code target → esbuild platform package (alpine uses the static linux binaries)
const esbuildPkg = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'linux-armhf': 'linux-arm',
  'alpine-x64': 'linux-x64',
  'alpine-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
}[target];
if (!esbuildPkg) {
  console.error(`package: unknown target ${target}`);
  process.exit(2);
}
// VS Code target → DuckDB's native package (alpine: the musl builds; no DuckDB build for 32-bit ARM)
const duckdbPkg = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'alpine-x64': 'linux-x64-musl',
  'alpine-arm64': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
}[target];
if (!duckdbPkg) {
  console.error(`package: DuckDB has no native build for ${target}; SQL cells and Parquet need one`);
  process.exit(2);
}

/** A platform package from node_modules when it is the right version, else from the npm registry (cached in .cache/). */
function platformPackage(name, version) {
  const local = path.join('node_modules', ...name.split('/'));
  if (existsSync(local) && require(path.resolve(local, 'package.json')).version === version) return local;
  const cache = path.join('.cache', name.replace('/', '+') + `-${version}`);
  if (!existsSync(path.join(cache, 'package', 'package.json'))) {
    mkdirSync(cache, { recursive: true });
    const tgz = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', cache], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['xzf', path.join(cache, tgz), '-C', cache]);
  }
  return path.join(cache, 'package');
}

const version = require('esbuild/package.json').version;
const out = path.join('dist', 'node_modules');
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'esbuild', 'lib'), { recursive: true });
const esbuildDir = path.dirname(require.resolve('esbuild/package.json'));
for (const f of ['package.json', 'LICENSE.md', 'lib/main.js'])
  if (existsSync(path.join(esbuildDir, f))) cpSync(path.join(esbuildDir, f), path.join(out, 'esbuild', f));

const platformDir = platformPackage(`@esbuild/${esbuildPkg}`, version);
cpSync(platformDir, path.join(out, '@esbuild', esbuildPkg), { recursive: true });

const duckdbVersion = require('@duckdb/node-bindings/package.json').version;
const duckdbDir = platformPackage(`@duckdb/node-bindings-${duckdbPkg}`, duckdbVersion);
// the addon, its shared library (linux/mac: libduckdb.so/.dylib next to it), license and package.json
cpSync(duckdbDir, path.join(out, '@duckdb', `node-bindings-${duckdbPkg}`), {
  recursive: true,
  filter: (f) => !/README\.md$/.test(f),
});

const vsix = path.join('dist', target === here ? 'market-notebooks.vsix' : `market-notebooks-${target}.vsix`);
// No --no-dependencies: it would drop node_modules/mktnb-tsserver-plugin whatever
// .vscodeignore says; its whitelist also keeps the runtime dependencies (esbuild, DuckDB) out: the
// VSIX carries its own copies for the target platform, copied above.
// package.json's "files" is the npm package's list (CLI, kernel, library, types); the VSIX has its
// own whitelist in .vscodeignore, and vsce refuses a manifest with both. So vsce sees the manifest
// without "files" while it packages, and the original is put back whatever happens.
const manifest = readFileSync('package.json', 'utf8');
const forVsce = JSON.parse(manifest);
delete forVsce.files;
const restore = () => writeFileSync('package.json', manifest);
const onSignal = (sig) => {
  restore();
  process.exit(sig === 'SIGINT' ? 130 : 143);
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
writeFileSync('package.json', JSON.stringify(forVsce, null, 2) + '\n');
try {
  execFileSync(
    'npx',
    ['vsce', 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--target', target, '-o', vsix],
    { stdio: 'inherit' },
  );
} finally {
  restore();
}
console.log(`package: ${vsix} (${target}, esbuild ${version}, DuckDB ${duckdbVersion} ${duckdbPkg})`);
