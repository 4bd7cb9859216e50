// Scenario 4: a restricted (untrusted) workspace. code-server runs WITH workspace trust here; the
// user answers the trust prompt with "No, I don't trust the authors". The notebook opens with its
// saved outputs drawn; Run All asks for trust (VS Code's prompt), the user cancels, nothing runs.
import assert from 'node:assert/strict';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  clickRunAll,
  codeCell,
  drawnCharts,
  notebookEditor,
  openNotebook,
  outputFrame,
  runCommand,
  textOutputs,
  waitForCharts,
  waitForTextOutput,
} from '../lib/workbench.mjs';

describe('Restricted Mode (untrusted workspace)', function () {
  after(closeWindows);

  it('opens a notebook with its saved outputs and runs nothing', async function () {
    const { page } = await openWindow('untrusted', workspace('restricted'), { trustPrompt: 'dont' });
    await page.locator('.statusbar', { hasText: 'Restricted Mode' }).waitFor();
    await openNotebook(page, 'fixtures/saved-outputs.mktnb');

    // saved outputs render: the stream text and the chart with its three traces
    await waitForTextOutput(page, 'saved answer 42');
    await waitForCharts(page, 1);
    const charts = await drawnCharts(page);
    assert.equal(charts.length, 1);
    assert.equal(charts[0].svgTraces, 3, `the saved chart is drawn with 3 traces: ${JSON.stringify(charts[0])}`);

    // the extension says why nothing will run (a notification mentioning Restricted Mode)
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Restricted Mode/ }).first();
    if (!(await toast.isVisible())) {
      await runCommand(page, 'Notifications: Show Notifications');
    }
    await page
      .locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item', {
        hasText: /Restricted Mode/,
      })
      .first()
      .waitFor();
    await shot('restricted-opened');

    // Run All: VS Code asks to trust the folder; the user cancels
    await clickRunAll(page);
    const dialog = page.locator('.monaco-dialog-box', {
      hasText: 'Executing a notebook cell will run code from this workspace',
    });
    await dialog.waitFor();
    await shot('restricted-run-all-asks-trust');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    assert.equal(
      await notebookEditor(page).locator('.codicon-notebook-state-executing, .codicon-notebook-state-pending').count(),
      0,
      'no cell is running or queued',
    );
    assert.equal(
      await codeCell(page, 2).locator('.codicon-notebook-state-success, .codicon-notebook-state-error').count(),
      0,
      'the cell without saved outputs did not run',
    );
    const texts = await textOutputs(page);
    assert.ok(
      !texts.some((t) => t.includes('ran in restricted mode?')),
      `the unsaved cell produced no output: ${JSON.stringify(texts)}`,
    );
    assert.ok(
      texts.some((t) => t.includes('saved answer 42')),
      'saved outputs are still shown',
    );
    assert.equal(await outputFrame(page).locator('.js-plotly-plot').count(), 1, 'the saved chart is still shown');
    assert.ok(await page.locator('.statusbar', { hasText: 'Restricted Mode' }).isVisible(), 'still in Restricted Mode');
  });
});
