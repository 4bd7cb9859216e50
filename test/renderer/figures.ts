/** Chart outputs made by the library from the real sample data, as notebook cells make them (renderer and export tests). */
import * as path from 'node:path';
import { buildBook, cascade, load, plot, type Frame } from '../../src/market/index';
import { setRuntime } from '../../src/market/context';
import { CHART_MIME, DISPLAY } from '../../src/shared/schemas';

const chartJson = (c: { [DISPLAY](): { mime: string; data: unknown }[] }) =>
  JSON.parse(JSON.stringify(c[DISPLAY]().find((i) => i.mime === CHART_MIME)!.data));

export function sampleFigures() {
  setRuntime({ baseDir: path.resolve(__dirname, '../..') });
  const ohlc = load('samples/data/BTC-USD.csv') as Frame;
  const book = buildBook({
    path: ohlc.slice('2025-10-17', '2026-01-14'),
    totalOI: 8e9,
    leverageMix: { 5: 0.3, 10: 0.3, 25: 0.25, 50: 0.15 },
    longShare: 0.65,
    seed: 1,
  });
  const impact = { model: 'sqrt' as const, sigma: 0.03, volume: 10e9, halfLife: 1, permanent: 0.5 };
  const r = cascade({ book, mode: 'replay', path: ohlc.slice('2026-01-15', '2026-02-28'), feedback: true, impact });
  const btc = ohlc.get('close').rename('BTC');
  return {
    replay: chartJson(r.charts.replay),
    path: chartJson(r.charts.path),
    line: chartJson(
      plot.line(btc, {
        title:
          'BTC close (USD), daily, from the first day of the sample file to its last, as loaded from samples/data/BTC-USD.csv',
      }),
    ),
  };
}
