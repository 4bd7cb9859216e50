/**
 * The npm package on its own, as a user or a CI job gets it: `npm pack` (prepack builds), then
 * `npm install <tarball>` into a fresh project (dependencies come from the registry, or its
 * local cache), then `npx mktnb run` on a shipped sample, `import { corr, load } from
 * 'market-notebooks'` from ESM and CommonJS, and its type declarations checked by tsc.
 * Slow (a full build and an install): about a minute.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, ...opts });
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

describe('npm package: packed, installed into a fresh project, used', function () {
  this.timeout(600_000);
  let tmp: string;
  let project: string;
  let tarball: string;
  let files: string[];

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-pack-'));
    const packed = sh('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT });
    assert.equal(packed.status, 0, `npm pack failed:\n${packed.stderr.slice(-3000)}`);
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0];
    tarball = path.join(tmp, info.filename);
    files = info.files.map((f: { path: string }) => f.path);
    project = path.join(tmp, 'user-project');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }),
    );
    const inst = sh('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: project,
    });
    assert.equal(inst.status, 0, `npm install of the tarball failed:\n${inst.stderr.slice(-3000)}`);
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('ships what runs (CLI, kernel, library, types, samples) and no sources or tests', () => {
    for (const f of [
      'bin/mktnb.js',
      'dist/cli.js',
      'dist/kernel.js',
      'dist/mktnb.js',
      'dist/plotly.min.js',
      'dist/types/market/index.d.ts',
      'samples/01-gold-miners-and-bitcoin.mktnb',
      'samples/data/BTC-USD.csv',
      'package.json',
      'README.md',
    ]) {
      assert.ok(files.includes(f), `${f} is in the package`);
    }
    assert.ok(
      !files.some((f) => /^(src|test|bench|scripts)\//.test(f) || f.endsWith('.map')),
      `no sources, tests or maps: ${files.filter((f) => /^(src|test|bench|scripts)\/|\.map$/.test(f)).slice(0, 5)}`,
    );
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.ok(
      pkg.dependencies?.esbuild,
      'esbuild (the kernel compiles TypeScript cells with it) is a runtime dependency',
    );
    assert.ok(fs.existsSync(path.join(project, 'node_modules', 'esbuild')), 'and is installed with the package');
  });

  it('npx mktnb run runs a shipped sample and writes its outputs', () => {
    const sample = path.join(
      project,
      'node_modules',
      'market-notebooks',
      'samples',
      '01-gold-miners-and-bitcoin.mktnb',
    );
    const out = path.join(project, 'out.mktnb');
    const r = sh('npx', ['--no-install', 'mktnb', 'run', sample, '--out', out, '--quiet'], { cwd: project });
    assert.equal(r.status, 0, `mktnb run failed:\n${r.stderr.slice(-3000)}`);
    assert.doesNotMatch(r.stderr, /dist\/cli\.js is missing/);
    const nb = JSON.parse(fs.readFileSync(out, 'utf8'));
    const code = nb.cells.filter((c: any) => c.kind === 'code');
    assert.ok(code.length > 0 && code.every((c: any) => c.execution?.success === true), 'every code cell ran');
  });

  it("import { corr, load } from 'market-notebooks' works from ESM and CommonJS", () => {
    const data = path.join(project, 'node_modules', 'market-notebooks', 'samples', 'data');
    const script = (
      mod: 'esm' | 'cjs',
    ) => `${mod === 'esm' ? "import { corr, load, returns } from 'market-notebooks';" : "const { corr, load, returns } = require('market-notebooks');"}
const px = (f) => { const x = load(${JSON.stringify(data)} + '/' + f); return x.get ? x.get('close') : x; };
const c = corr(returns(px('GLD.csv'), 'log'), returns(px('GDX.csv'), 'log'));
console.log(JSON.stringify({ r: c.r, n: c.n }));`;
    fs.writeFileSync(path.join(project, 'a.mjs'), script('esm'));
    fs.writeFileSync(path.join(project, 'a.cjs'), script('cjs'));
    const esm = sh(process.execPath, ['a.mjs'], { cwd: project });
    const cjs = sh(process.execPath, ['a.cjs'], { cwd: project });
    assert.equal(esm.status, 0, esm.stderr);
    assert.equal(cjs.status, 0, cjs.stderr);
    const a = JSON.parse(esm.stdout),
      b = JSON.parse(cjs.stdout);
    assert.deepEqual(a, b);
    assert.ok(a.n > 100 && a.r > 0 && a.r < 1, `gold miners move with gold: ${esm.stdout}`);
  });

  it('its type declarations type-check a user program, and catch a wrong call', () => {
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['ok.ts'],
      }),
    );
    fs.writeFileSync(
      path.join(project, 'ok.ts'),
      "import { corr, load, type CorrResult } from 'market-notebooks';\nconst x = load('a.csv');\nconst c: CorrResult = corr(x, x);\nconst r: number = c.r;\nexport { r };\n",
    );
    fs.writeFileSync(
      path.join(project, 'bad.ts'),
      "import { corr, load } from 'market-notebooks';\nconst x = load('a.csv');\nexport const c = corr(x);\n",
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const ok = sh(process.execPath, [tsc, '-p', '.'], { cwd: project });
    assert.equal(ok.status, 0, `a correct program type-checks:\n${ok.stdout}${ok.stderr}`);
    const bad = sh(
      process.execPath,
      [
        tsc,
        '--ignoreConfig',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--noEmit',
        'bad.ts',
      ],
      { cwd: project },
    );
    assert.notEqual(bad.status, 0, 'a wrong call is an error');
    assert.match(bad.stdout + bad.stderr, /bad\.ts\(3,\d+\).*Expected 2-3 arguments, but got 1/);
  });
});
