/** Every `// →` example of the statistics section of docs/analysis.md gives the value written there. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { setRuntime } from '../../../src/market/context';
import { runDocExamples, tolerance } from './docExamples';

const ROOT = path.resolve(__dirname, '../../..');

describe('docs/analysis.md statistics examples', function () {
  this.timeout(60_000);
  it('each example evaluates to the value the doc states, to the digits written', () => {
    setRuntime({ baseDir: path.join(ROOT, 'samples') });
    const ex = runDocExamples(ROOT);
    assert.ok(ex.length >= 15, `only ${ex.length} examples found`);
    for (const e of ex) {
      assert.ok(
        e.expected !== '?',
        `docs/analysis.md:${e.line}: ${e.expr} has no value written (it evaluates to ${e.value})`,
      );
      assert.ok(
        Math.abs(e.value - Number(e.expected)) <= tolerance(e.expected) * (1 + 1e-12),
        `docs/analysis.md:${e.line}: ${e.expr} evaluates to ${e.value}, the doc says ${e.expected}`,
      );
    }
  });
});
