// Packages the extension as a platform-specific VSIX (vsce --target).
//
// Why platform-specific: the kernel compiles TypeScript cells with esbuild, whose compiler is a
// native binary per platform. VS Code's answer for native dependencies is one VSIX per target;
// the @esbuild/<platform> packages come from the npm registry, so any target can be built here.
// (esbuild-wasm was tried as a universal fallback: its Node API spawns `node` from PATH, which
// VS Code users need not have, since the extension host is Electron.)
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
  'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'linux-armhf': 'linux-arm', 'alpine-x64': 'linux-x64', 'alpine-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-x64', 'darwin-arm64': 'darwin-arm64', 'win32-x64': 'win32-x64', 'win32-arm64': 'win32-arm64',
}[target];
if (!esbuildPkg) { console.error(`package: unknown target ${target}`); process.exit(2); }

const version = require('esbuild/package.json').version;
const out = path.join('dist', 'node_modules');
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'esbuild', 'lib'), { recursive: true });
const esbuildDir = path.dirname(require.resolve('esbuild/package.json'));
for (const f of ['package.json', 'LICENSE.md', 'lib/main.js']) if (existsSync(path.join(esbuildDir, f))) cpSync(path.join(esbuildDir, f), path.join(out, 'esbuild', f));

let platformDir = path.join('node_modules', '@esbuild', esbuildPkg);
if (!existsSync(platformDir) || require(path.resolve(platformDir, 'package.json')).version !== version) {
  // another platform: fetch its package from the npm registry
  const cache = path.join('.cache', 'esbuild', `${esbuildPkg}-${version}`);
  if (!existsSync(path.join(cache, 'package', 'package.json'))) {
    mkdirSync(cache, { recursive: true });
    const tgz = execFileSync('npm', ['pack', `@esbuild/${esbuildPkg}@${version}`, '--silent', '--pack-destination', cache], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', path.join(cache, tgz), '-C', cache]);
  }
  platformDir = path.join(cache, 'package');
}
cpSync(platformDir, path.join(out, '@esbuild', esbuildPkg), { recursive: true });

const vsix = path.join('dist', target === here ? 'market-notebooks.vsix' : `market-notebooks-${target}.vsix`);
// No --no-dependencies: it would drop node_modules/mktnb-tsserver-plugin whatever
// .vscodeignore says; its whitelist also keeps the runtime dependency esbuild out (the VSIX
// carries its own copy in dist/node_modules, for the target platform).
// package.json's "files" is the npm package's list (CLI, kernel, library, types); the VSIX has its
// own whitelist in .vscodeignore, and vsce refuses a manifest with both. So vsce sees the manifest
// without "files" while it packages, and the original is put back whatever happens.
const manifest = readFileSync('package.json', 'utf8');
const forVsce = JSON.parse(manifest);
delete forVsce.files;
const restore = () => writeFileSync('package.json', manifest);
const onSignal = (sig) => { restore(); process.exit(sig === 'SIGINT' ? 130 : 143); };
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
writeFileSync('package.json', JSON.stringify(forVsce, null, 2) + '\n');
try {
  execFileSync('npx', ['vsce', 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--target', target, '-o', vsix], { stdio: 'inherit' });
} finally {
  restore();
}
console.log(`package: ${vsix} (${target}, esbuild ${version})`);
