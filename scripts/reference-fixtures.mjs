#!/usr/bin/env node
// Regenerates the committed reference values: runs test/reference/reference.py (which imports
// reference_stats.py) with Debian's python3 + pandas/statsmodels/scipy on samples/data and writes
//   test/reference/fixtures/reference.json  the values, one top-level key per line, keys sorted
//                                           at every depth, floats as Python's repr (shortest
//                                           round-trip text: full precision, -0.0 kept)
//   test/reference/fixtures/sources.json    sha256 of the two .py files the values came from
// so `npm run test:unit` needs no Python (test/unit/market/referenceData.ts reads the JSON and
// fails when the .py files changed since). .ci/run reruns this and fails on any difference.
//
//   node scripts/reference-fixtures.mjs            (PYTHON=/path/to/python3 to override)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REF = path.join(ROOT, 'test/reference');
const OUT = path.join(REF, 'fixtures');
const SOURCES = ['reference.py', 'reference_stats.py'];
const python = process.env.PYTHON || '/usr/bin/python3';

// Canonical text written by Python's own json module, so every float is exactly the double
// pandas computed (JSON.parse/stringify in Node would turn -0.0 into 0).
const CANONICAL = `
import json, sys
d = json.load(open(sys.argv[1]))
lines = ['%s:%s' % (json.dumps(k), json.dumps(d[k], sort_keys=True, separators=(',', ':'), allow_nan=False)) for k in sorted(d)]
sys.stdout.write('{\\n' + ',\\n'.join(lines) + '\\n}\\n')
`;

function run(args, what) {
  const r = spawnSync(python, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error || r.status !== 0) {
    console.error(
      `reference-fixtures: ${what} failed with ${python} (needs Debian's python3-pandas, python3-statsmodels, python3-scipy):\n${r.error ?? r.stderr}`,
    );
    process.exit(1);
  }
  return r.stdout;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'mktnb-ref-'));
try {
  const raw = path.join(tmp, 'reference.json');
  run([path.join(REF, 'reference.py'), raw], 'test/reference/reference.py');
  const text = run(['-c', CANONICAL, raw], 'writing the canonical JSON');
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'reference.json'), text);
  const sha = Object.fromEntries(
    SOURCES.map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(path.join(REF, f)))
        .digest('hex'),
    ]),
  );
  writeFileSync(
    path.join(OUT, 'sources.json'),
    JSON.stringify({ generator: 'scripts/reference-fixtures.mjs', sha256: sha }, null, 2) + '\n',
  );
  console.log(
    `reference-fixtures: wrote ${path.relative(ROOT, OUT)}/reference.json (${text.length} bytes) and sources.json`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
