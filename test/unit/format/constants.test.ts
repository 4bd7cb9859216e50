/** The names the manifest and the code share: the notebook type and the file format's name. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FORMAT_NAME, NOTEBOOK_TYPE } from '../../../src/format/types';
import { serializeNotebook } from '../../../src/format/serialize';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

describe('NOTEBOOK_TYPE and FORMAT_NAME', () => {
  it('package.json registers NOTEBOOK_TYPE and every when-clause and activation event names it', () => {
    assert.deepEqual(
      manifest.contributes.notebooks.map((n: { type: string }) => n.type),
      [NOTEBOOK_TYPE],
    );
    assert.ok(manifest.activationEvents.includes(`onNotebook:${NOTEBOOK_TYPE}`));
    const whens = Object.values<Array<{ when?: string }>>(manifest.contributes.menus)
      .flat()
      .map((m) => m.when ?? '')
      .filter((w) => w.includes('notebookType'));
    assert.ok(whens.length > 0);
    for (const w of whens) assert.match(w, new RegExp(`^notebookType == ${NOTEBOOK_TYPE}$`));
  });

  it('a written notebook names FORMAT_NAME', () => {
    assert.equal(JSON.parse(serializeNotebook({ format: FORMAT_NAME, version: '1.0', cells: [] })).format, FORMAT_NAME);
  });
});
