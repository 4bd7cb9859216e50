/**
 * The in-extension-host suite: mocha tests that use the `vscode` API. Bundled by build.mjs into
 * .vscode-test/exthost/suite.js and run two ways (docs/testing.md):
 *  - inside code-server: a test-only runner extension (build.mjs writeRunnerExtension) requires
 *    it on startup and writes `await run()` to a result file (test/e2e/scenarios/01-exthost.mjs);
 *  - inside a downloaded VS Code: @vscode/test-electron's extensionTestsPath (test/electron).
 */
import Mocha from 'mocha';

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  failures: string[];
  tests: { title: string; state: string; ms?: number }[];
}

export function run(): Promise<SuiteResult> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // Register the bdd globals (describe/it), then evaluate the test modules: they are bundled,
  // so they are required here rather than loaded from files.
  mocha.suite.emit('pre-require', globalThis, 'exthost-suite', mocha);
  require('./notebook.test');
  const result: SuiteResult = { passed: 0, failed: 0, pending: 0, failures: [], tests: [] };
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve(result));
    runner.on('pass', (t) => {
      result.passed++;
      result.tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration });
    });
    runner.on('pending', (t) => {
      result.pending++;
      result.tests.push({ title: t.fullTitle(), state: 'pending' });
    });
    runner.on('fail', (t, err) => {
      result.failed++;
      result.tests.push({ title: t.fullTitle(), state: 'failed' });
      result.failures.push(`${t.fullTitle()}: ${err?.stack ?? err}`);
    });
  });
}
