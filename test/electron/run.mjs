#!/usr/bin/env node
// `npm run test:electron`: the standard extension integration test route. @vscode/test-electron
// downloads a VS Code build from Microsoft's update service (update.code.visualstudio.com), starts
// it with this repo as the extension under development, and runs the in-extension-host mocha
// suite (test/exthost) through --extensionTestsPath. Needs that download: on machines that reach
// only the npm registry use `npm run test:e2e`, which runs the same suite inside code-server.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from '../exthost/build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..', '..');

const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
await buildSuite();

// a copy of the fixtures as the workspace: the suite writes notebooks and saves them
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-electron-'));
fs.cpSync(path.join(ROOT, 'test', 'e2e', 'fixtures'), path.join(ws, 'fixtures'), { recursive: true });

let code = 0;
try {
  await runTests({
    version: process.env.MKTNB_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(here, 'index.cjs'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
  console.log('in-extension-host suite passed');
} catch (e) {
  console.error('test:electron failed:', e?.message ?? e);
  if (
    /getaddrinfo|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|update\.code\.visualstudio\.com|Failed to get JSON|download/i.test(
      String(e?.message ?? e),
    )
  ) {
    console.error(
      'VS Code could not be downloaded here. Run `npm run test:e2e` instead: it runs the same suite inside code-server.',
    );
  }
  code = 1;
} finally {
  fs.rmSync(ws, { recursive: true, force: true });
}
process.exit(code);
