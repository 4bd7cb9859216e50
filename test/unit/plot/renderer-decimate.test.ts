// The renderer's drawing-time decimation is plain code (no DOM), so it is tested here too.
import { strict as assert } from 'node:assert';
import { minMaxColumns, parseDate, pointsFor, prepareBigTrace } from '../../../renderers/decimate';
import { sanitizeText } from '../../../src/shared/sanitize';

describe('renderer decimation (renderers/decimate.ts)', () => {
  it('parses Plotly date strings as UTC', () => {
    assert.equal(parseDate('2024-02-29'), Date.UTC(2024, 1, 29));
    assert.equal(parseDate('2020-03-10 10:40:00.123'), Date.UTC(2020, 2, 10, 10, 40, 0, 123));
    assert.equal(parseDate('2020-03-10T10:40'), Date.UTC(2020, 2, 10, 10, 40));
    assert.equal(parseDate('2024-01-01T00:00:00+02:00'), Date.UTC(2023, 11, 31, 22));
    assert.ok(Number.isNaN(parseDate('not a date')));
  });

  it('keeps min and max of every pixel column, and gaps', () => {
    const n = 100_000;
    const y = Array.from({ length: n }, (_, i) => (i >= 50_000 && i < 50_010 ? null : Math.sin(i / 50)));
    y[77_777] = 9;
    const b = prepareBigTrace({ type: 'scatter', mode: 'lines', y }, 0, 1000)!;
    const idx = minMaxColumns(b, 500);
    assert.ok(idx.length <= 2 * 500 + 2);
    assert.ok(idx.includes(77_777));
    assert.ok(idx.includes(-1), 'a gap');
    const pts = pointsFor(b, idx);
    assert.equal(pts.y.filter((v) => v === null).length, idx.filter((k) => k < 0).length);
    // zoomed to 300 points: all of them
    const z = minMaxColumns(b, 500, 1000, 1299);
    assert.equal(z[0], 999);
    assert.equal(z[z.length - 1], 1300);
    assert.equal(z.length, 302);
  });

  it('leaves markers-only and decreasing traces alone', () => {
    assert.equal(prepareBigTrace({ type: 'scatter', mode: 'markers', y: new Array(10_000).fill(1) }, 0, 1000), null);
    assert.equal(
      prepareBigTrace(
        { type: 'scatter', x: Array.from({ length: 5000 }, (_, i) => -i), y: new Array(5000).fill(1) },
        0,
        1000,
      ),
      null,
    );
    assert.equal(prepareBigTrace({ type: 'bar', y: new Array(10_000).fill(1) }, 0, 1000), null);
  });

  it('sanitizes text: formatting tags kept without attributes, every other tag escaped', () => {
    assert.equal(sanitizeText('<b>x</b><script>a()</script>'), '<b>x</b>&lt;script>a()&lt;/script>');
    assert.equal(sanitizeText('<img src=x onerror=y>'), '&lt;img src=x onerror=y>');
    assert.equal(sanitizeText('<BR/><SUP class=x>2</SUP>'), '<br><sup>2</sup>');
    assert.equal(sanitizeText('a<5 & b>3'), 'a&lt;5 & b>3');
    assert.equal(sanitizeText('<scr<script>ipt>'), '&lt;scr&lt;script>ipt>');
  });
});
