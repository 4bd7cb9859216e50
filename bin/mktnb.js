#!/usr/bin/env node
'use strict';
// The headless runner: built by `npm run build` into dist/cli.js.
const path = require('path');
const fs = require('fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('mktnb: dist/cli.js is missing; run `npm run build` first\n');
  process.exit(2);
}
require(cli).main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`mktnb: ${(e && e.stack) || e}\n`);
  process.exitCode = 2;
});
