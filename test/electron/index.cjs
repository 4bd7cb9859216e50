// --extensionTestsPath entry for @vscode/test-electron: runs the bundled in-extension-host suite
// (.vscode-test/exthost/suite.js, built by test/exthost/build.mjs) and fails when a test fails.
const path = require('path');

exports.run = async function run() {
  const suite = require(path.resolve(__dirname, '..', '..', '.vscode-test', 'exthost', 'suite.js'));
  const r = await suite.run();
  for (const t of r.tests) console.log(`${t.state.padEnd(7)} ${t.title}`);
  console.log(`${r.passed} passed, ${r.failed} failed`);
  if (r.failed > 0) throw new Error(`${r.failed} in-extension-host test(s) failed:\n${r.failures.join('\n')}`);
};
