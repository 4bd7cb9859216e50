/**
 * Screenshots of the renderers in the harness (light and dark), for docs/charts.md:
 *   npx tsx test/renderer/screenshots.ts [outDir]   (default docs/screenshots)
 * Charts come from the cell API (src/market/plot) on the sample data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DISPLAY, CHART_MIME, TABLE_MIME } from '../../src/shared/schemas';
import { Series } from '../../src/market/series';
import { plot } from '../../src/market/plot';

function csv(file: string, col: string, name: string): Series {
  const [head, ...lines] = fs
    .readFileSync(path.resolve(__dirname, '../../samples/data', file), 'utf8')
    .trim()
    .split(/\r?\n/);
  const cols = head.split(',');
  const ci = cols.indexOf(col);
  const idx: number[] = [],
    val: number[] = [];
  for (const l of lines) {
    const f = l.split(',');
    idx.push(Date.parse(f[0] + 'T00:00:00Z'));
    val.push(f[ci] === '' ? NaN : Number(f[ci]));
  }
  return new Series(idx, val, name);
}

async function main() {
  const outDir = path.resolve(process.argv[2] ?? path.resolve(__dirname, '../../docs/screenshots'));
  fs.mkdirSync(outDir, { recursive: true });
  const btc = csv('BTC-USD.csv', 'close', 'BTC');
  const amd = csv('AMD.csv', 'close', 'AMD');
  const ret = (s: Series) => s.map((v, _t, i) => (i ? v / s.values[i - 1] - 1 : NaN), s.name);
  const data = (c: { [DISPLAY](): { mime: string; data: unknown }[] }, mime: string) =>
    JSON.parse(JSON.stringify(c[DISPLAY]().find((i) => i.mime === mime)!.data));
  const charts = [
    data(
      plot.line([btc, amd], {
        title: 'BTC and AMD <script>alert(1)</script>',
        secondary: ['AMD'],
        yTitle: 'BTC (USD)',
        y2Title: 'AMD (USD)',
      }),
      CHART_MIME,
    ),
    data(plot.scatter(ret(amd), ret(btc), { fit: true, title: 'Daily returns: AMD vs BTC' }), CHART_MIME),
    data(
      plot.heatmap({
        names: ['BTC', 'AMD', 'SPY', 'DXY'],
        values: [
          [1, 0.41, 0.38, -0.22],
          [0.41, 1, 0.72, -0.18],
          [0.38, 0.72, 1, -0.25],
          [-0.22, -0.18, -0.25, 1],
        ],
      }),
      CHART_MIME,
    ),
    data(plot.drawdown(btc), CHART_MIME),
  ];
  const table = data(btc.toTable(), TABLE_MIME);
  const { startHarness } = await import('./harness.mjs');
  const h = await startHarness();
  try {
    for (const theme of ['light', 'dark']) {
      const page = await h.newPage(theme, { width: 1000, height: 800 });
      await page.evaluate(
        ({ charts, table }) => {
          (window as any).chartModule.rendererOptions.lazy = false;
          charts.forEach((c: unknown, i: number) => (window as any).renderChart(`s${i}`, c));
          (window as any).renderChart('bad', { kind: 'chart', version: 1, figure: { data: 'oops' } });
          (window as any).renderTable('tbl', table);
        },
        { charts, table },
      );
      await page.waitForFunction(
        (n) => document.querySelectorAll('.mktnb-plot:not(.mktnb-pending)').length === n,
        charts.length,
        { timeout: 60_000 },
      );
      await page.waitForTimeout(300);
      const file = path.join(outDir, `renderer-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
      await page.close();
    }
  } finally {
    await h.close();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
