// Bundles the in-extension-host suite (test/exthost/index.ts + tests + mocha) into one file.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const SUITE_JS = path.join(ROOT, '.vscode-test', 'exthost', 'suite.js');

export async function buildSuite() {
  await esbuild.build({
    entryPoints: [path.join(here, 'index.ts')],
    outfile: SUITE_JS,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' }, // mocha's unused parallel mode
    loader: { '.mktnb': 'json' },
  });
  return SUITE_JS;
}

/**
 * A test-only extension that runs the suite in the extension host of code-server, where
 * --extensionTestsPath is not wired through. It lives next to the installed Market Notebooks
 * extension, activates on startup, runs the bundled suite against the installed (production)
 * extension through the vscode API and writes the result to `resultFile`. The published
 * extension has no test hook (issue 10: nothing in it require()s a path from the environment).
 * Returns the runner's folder name.
 */
export function writeRunnerExtension(extensionsDir, resultFile, extensionId) {
  const name = 'market-notebooks-tests.exthost-runner-0.0.1';
  const dir = path.join(extensionsDir, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'exthost-runner',
        publisher: 'market-notebooks-tests',
        version: '0.0.1',
        engines: { vscode: '^1.95.0' },
        main: './extension.js',
        activationEvents: ['onStartupFinished'],
        extensionDependencies: [extensionId],
        capabilities: { untrustedWorkspaces: { supported: true } },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(dir, 'extension.js'),
    `const fs = require('fs');
exports.activate = () => {
  const out = ${JSON.stringify(resultFile)};
  const mod = require(${JSON.stringify(SUITE_JS)});
  mod.run().then(
    (r) => fs.writeFileSync(out, JSON.stringify(r)),
    (e) => fs.writeFileSync(out, JSON.stringify({ passed: 0, failed: 1, failures: [String((e && e.stack) || e)] })),
  );
};
`,
  );
  // After a VSIX install the extensions dir lists its extensions in extensions.json, and VS Code
  // loads only those: add the runner as an entry shaped like the installed one.
  const manifest = path.join(extensionsDir, 'extensions.json');
  if (fs.existsSync(manifest)) {
    const list = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    const like = list.find((e) => e?.identifier?.id?.toLowerCase() === extensionId.toLowerCase()) ?? list[0];
    const entry = {
      ...(like ?? {}),
      identifier: { id: 'market-notebooks-tests.exthost-runner' },
      version: '0.0.1',
      location: { $mid: 1, path: dir, scheme: 'file' },
      relativeLocation: name,
      metadata: {
        ...(like?.metadata ?? {}),
        id: undefined,
        publisherId: undefined,
        publisherDisplayName: undefined,
        source: 'vsix',
        isPreReleaseVersion: false,
      },
    };
    fs.writeFileSync(
      manifest,
      JSON.stringify([...list.filter((e) => e?.identifier?.id !== entry.identifier.id), entry]),
    );
  }
  return name;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await buildSuite());
}
