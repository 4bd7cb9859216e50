/** Saved outputs show file paths relative to the notebook, never "/home/<user>/…". */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load, runtime, type Frame } from '../../../src/market/index';
import { setRuntime } from '../../../src/market/context';
import { displayPath } from '../../../src/market/context';
import { DISPLAY, TABLE_MIME, TEXT_MIME } from '../../../src/shared/schemas';
import { withTempDir } from '../helpers';

describe('paths in outputs', () => {
  const saved = { ...runtime };
  afterEach(() => setRuntime(saved));

  it('displayPath: relative to the notebook folder, "/" separators, nothing above two levels up', () => {
    setRuntime({ baseDir: '/home/alice/research/notebooks' });
    assert.equal(displayPath('/home/alice/research/notebooks/data/BTC.csv'), 'data/BTC.csv');
    assert.equal(displayPath('/home/alice/research/data/BTC.csv'), '../data/BTC.csv');
    assert.equal(displayPath('/home/alice/other/x/BTC.csv'), '../../other/x/BTC.csv');
    assert.equal(displayPath('/opt/shared/market/BTC.csv'), 'BTC.csv');
    assert.equal(displayPath('data/BTC.csv'), 'data/BTC.csv');
    setRuntime({ baseDir: 'C:\\Users\\alice\\nb' });
    assert.equal(displayPath('C:\\Users\\alice\\nb\\data\\BTC.csv'), 'data/BTC.csv');
    assert.equal(displayPath('D:\\data\\BTC.csv'), 'BTC.csv');
  });

  it('a loaded Frame and Series are shown "from data/…", and load errors name the file the same way', () =>
    withTempDir('mktnb-paths-', (root) => {
      fs.mkdirSync(path.join(root, 'data'));
      fs.writeFileSync(
        path.join(root, 'data', 'px.csv'),
        'date,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n2024-01-02,1.5,2,1,1.8\n',
      );
      fs.writeFileSync(path.join(root, 'data', 'one.csv'), 'date,value\n2024-01-01,1\n2024-01-02,2\n');
      fs.writeFileSync(path.join(root, 'data', 'bad.csv'), 'date,value\n2024-01-02,1\n2024-01-01,2\n2024-01-03,2\n');
      setRuntime({ baseDir: root, notebookPath: path.join(root, 'a.mktnb') });
      for (const v of [load('data/px.csv') as Frame, load('data/one.csv')]) {
        const items = (v as any)[DISPLAY]() as { mime: string; data: any }[];
        const title = items.find((i) => i.mime === TABLE_MIME)!.data.title as string;
        const text = items.find((i) => i.mime === TEXT_MIME)!.data as string;
        assert.match(title, / from data\/(px|one)\.csv$/);
        assert.ok(!title.includes(root) && !text.includes(root), `${title}\n${text}`);
      }
      assert.throws(
        () => load('data/bad.csv'),
        (e: Error) => /^data\/bad\.csv: dates are not in ascending order/.test(e.message) && !e.message.includes(root),
      );
    }));
});
