// Scenario 11 (issue 13): a notebook's SQL cell runs on a ClickHouse server. The user adds the
// connection with "Market Notebooks: Add Connection…" (name, engine, URL, database, user, the
// password asked once and kept in SecretStorage), the status bar names the selected SQL cell's
// connection, the "-- as h on desk" cell shows the server's result as a table and binds a Frame,
// and a TypeScript cell goes on with it. The server is Debian's clickhouse-server, started for the
// test as the unit tests start it (test/unit/data/clickhouse-server.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  answerInput,
  answerKernelPickerIfShown,
  codeCell,
  notebookEditor,
  openNotebook,
  outputFrame,
  pickItem,
  runCellFromUi,
  runCommand,
  waitForCellState,
  waitForTextOutput,
} from '../lib/workbench.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** the unit tests' server helper, bundled for this .mjs scenario */
async function serverHelper() {
  const dir = fs.mkdtempSync(path.join(root, 'node_modules', '.cache-e2e-ch-'));
  const out = path.join(dir, 'server.cjs');
  await build({
    entryPoints: [path.join(root, 'test/unit/data/clickhouse-server.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    outfile: out,
    logLevel: 'error',
  });
  const mod = (await import(pathToFileURL(out).href)).default;
  return { ...mod, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function notebook(cells) {
  return JSON.stringify(
    {
      format: 'mktnb',
      version: '1.0',
      metadata: {},
      cells: cells.map(([language, source]) => ({
        kind: 'code',
        language,
        source: source.split('\n'),
        metadata: {},
        outputs: [],
      })),
    },
    null,
    1,
  );
}

describe('ClickHouse connections', function () {
  this.timeout(420_000);
  let helper, server;
  before(async () => {
    helper = await serverHelper();
    server = await helper.startClickHouse();
    await helper.loadBars(server, 'bars', 100_000);
  });
  after(async () => {
    await closeWindows();
    await server?.stop();
    helper?.cleanup();
  });

  it('Add Connection writes the connection, asks the password once; a "-- on desk" cell runs on the server and a TypeScript cell uses its Frame', async function () {
    const ws = workspace('clickhouse');
    fs.writeFileSync(
      path.join(ws, 'desk.mktnb'),
      notebook([
        [
          'sql',
          '-- as h on desk\nSELECT toStartOfHour(ts) AS hour, max(high) AS hi, sum(volume) AS vol\nFROM bars GROUP BY hour ORDER BY hour',
        ],
        ['typescript', '`h has ${h.length} hours from ClickHouse`'],
      ]),
    );
    const { page } = await openWindow('trusted', ws);
    await openNotebook(page, 'desk.mktnb');

    await runCommand(page, 'Market Notebooks: Add Connection…');
    await answerInput(page, 'desk');
    await pickItem(page, 'ClickHouse');
    await answerInput(page, server.url);
    await answerInput(page, 'default');
    await answerInput(page, helper.CH_USER);
    await pickItem(page, "Ask me now, keep it in VS Code's SecretStorage");
    const pw = page.locator('.quick-input-widget .quick-input-box input[type="password"]');
    await pw.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(
      await page.locator('.quick-input-widget').textContent(),
      /Password for the ClickHouse connection "desk"/,
    );
    await answerInput(page, helper.CH_PASSWORD);
    await shot('clickhouse-connection-added');

    await runCellFromUi(page, 0);
    await answerKernelPickerIfShown(page);
    assert.equal(
      await waitForCellState(page, 0, ['success', 'error'], 120_000),
      'success',
      'the SQL cell runs on the server',
    );
    const table = outputFrame(page).locator('.mktnb-table-wrap', { hasText: 'h: Frame' }).first();
    await table.waitFor({ state: 'attached', timeout: 60_000 });
    assert.match(
      await table.locator('.mktnb-table-title').textContent(),
      /^h: Frame \[1667 rows x 2 columns\], indexed by hour \(on desk\)/,
    );
    assert.match(await table.locator('tbody tr').first().textContent(), /2024-01-01/);

    // the status bar names the selected SQL cell's connection
    await codeCell(page, 0).locator('.monaco-editor').first().click();
    const item = page.locator('.statusbar-item', { hasText: 'desk (ClickHouse)' });
    await item.first().waitFor({ state: 'visible', timeout: 60_000 });
    await shot('clickhouse-sql-cell');

    await runCellFromUi(page, 1);
    assert.equal(await waitForCellState(page, 1, ['success', 'error']), 'success');
    await waitForTextOutput(page, /h has 1667 hours from ClickHouse/);
    // the password is nowhere in the notebook: the metadata holds name, engine, url, database, user
    const text = await notebookEditor(page).textContent();
    assert.ok(!text.includes(helper.CH_PASSWORD));
  });
});
