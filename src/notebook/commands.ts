/**
 * Commands that build or act on notebooks: New Notebook, Restart Kernel, Export as HTML,
 * Open Sample Notebook, Save a Copy without Outputs.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { notebookToHtml } from '../export/html';
import { serializeNotebook } from '../format/serialize';
import { documentCells, notebookDataToFile } from './serializer';
import type { MarketController } from './controller';
import { copySample, freshFolder, SampleCopyError } from './samples';
import { NOTEBOOK_TYPE } from './controller';

export function activeMarketNotebook(): vscode.NotebookDocument | undefined {
  const nb = vscode.window.activeNotebookEditor?.notebook;
  return nb?.notebookType === NOTEBOOK_TYPE ? nb : undefined;
}

/** Opens a new untitled Market Notebook with the given cells and shows it. */
export async function openNewNotebook(cells: vscode.NotebookCellData[]): Promise<vscode.NotebookEditor> {
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new vscode.NotebookData(cells));
  return vscode.window.showNotebookDocument(doc);
}

export function markdownCell(text: string): vscode.NotebookCellData {
  return new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, text, 'markdown');
}
export function codeCell(text: string): vscode.NotebookCellData {
  return new vscode.NotebookCellData(vscode.NotebookCellKind.Code, text, 'typescript');
}

export function registerCommands(context: vscode.ExtensionContext, controller: MarketController): void {
  const reg = (id: string, fn: Parameters<typeof vscode.commands.registerCommand>[1]) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  reg('mktnb.newNotebook', () =>
    openNewNotebook([
      markdownCell(
        "# Market notebook\n\nCells are TypeScript. The analysis library is available as globals and as `import { … } from 'mktnb'`.",
      ),
      codeCell("// Paths resolve against this notebook's folder once it is saved.\nconst x = 1 + 1;\nx"),
    ]),
  );

  reg('mktnb.restartKernel', async (arg?: { notebookEditor?: { notebookUri: vscode.Uri } } | vscode.Uri) => {
    const uri = arg instanceof vscode.Uri ? arg : arg?.notebookEditor?.notebookUri;
    const nb =
      (uri && vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString())) ??
      activeMarketNotebook();
    if (!nb) {
      void vscode.window.showInformationMessage('Open a Market Notebook to restart its kernel.');
      return;
    }
    if (!controller.hasKernel(nb)) {
      void vscode.window.setStatusBarMessage(
        'Market Notebooks: the kernel is not running; it starts when a cell runs',
        4000,
      );
      return;
    }
    if (!(await confirmRestart(nb))) return;
    await controller.restart(nb);
    void vscode.window.setStatusBarMessage('Market Notebooks: kernel restarted; variables cleared', 4000);
  });

  reg('mktnb.exportHtml', async () => {
    const nb = activeMarketNotebook();
    if (!nb) {
      void vscode.window.showInformationMessage('Open a Market Notebook to export it.');
      return;
    }
    const base = nb.isUntitled ? 'notebook' : path.basename(nb.uri.path, '.mktnb');
    const defaultUri = nb.isUntitled ? undefined : vscode.Uri.joinPath(nb.uri, '..', `${base}.html`);
    const target = await vscode.window.showSaveDialog({
      defaultUri,
      filters: { HTML: ['html'] },
      title: 'Export notebook as HTML',
    });
    if (!target) return;
    const file = notebookDataToFile({ metadata: nb.metadata, cells: documentCells(nb) });
    const plotly = await vscode.workspace.fs.readFile(
      vscode.Uri.joinPath(context.extensionUri, 'dist', 'plotly.min.js'),
    );
    const html = notebookToHtml(file, { title: base, plotlySource: new TextDecoder().decode(plotly) });
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(html));
    const pick = await vscode.window.showInformationMessage(
      `Exported ${vscode.workspace.asRelativePath(target)}`,
      'Open in Browser',
    );
    if (pick) void vscode.env.openExternal(target);
  });

  reg('mktnb.openSample', async () => {
    const samplesDir = vscode.Uri.joinPath(context.extensionUri, 'samples');
    const entries = await vscode.workspace.fs.readDirectory(samplesDir);
    const items = await Promise.all(
      entries
        .filter(([n]) => n.endsWith('.mktnb'))
        .sort()
        .map(async ([n]) => {
          const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(samplesDir, n)));
          const title = /"#\s+([^"\\]+)/.exec(text)?.[1] ?? n;
          return { label: title, description: n, file: n };
        }),
    );
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Open Sample Notebook',
      placeHolder: 'Samples run on bundled real daily data (2024-01 .. 2026-02)',
    });
    if (!pick) return;
    // Samples are copied out of the extension so they can be edited, saved and rerun; their data
    // comes along. A folder holding other files of the same names (a cloned repository can plant
    // them) is never opened as the sample: src/notebook/samples.ts.
    const root = vscode.workspace.workspaceFolders?.[0]?.uri ?? context.globalStorageUri;
    if (root.scheme !== 'file' || samplesDir.scheme !== 'file') {
      void vscode.window.showErrorMessage('Market Notebooks: samples can only be copied into a local folder.');
      return;
    }
    const show = (p: string) => vscode.workspace.asRelativePath(p);
    let dest = path.join(root.fsPath, 'market-notebooks-samples');
    let target: string | undefined;
    for (;;) {
      try {
        target = copySample(samplesDir.fsPath, dest, pick.file, show);
        break;
      } catch (e) {
        if (!(e instanceof SampleCopyError)) throw e;
        const fresh = freshFolder(path.join(root.fsPath, 'market-notebooks-samples'));
        const again = await vscode.window.showWarningMessage(
          `Market Notebooks did not open the sample: ${e.message}. It copies samples only into a folder that holds nothing else under their names.`,
          { modal: true },
          `Copy into ${path.basename(fresh)}/`,
        );
        if (!again) return;
        dest = fresh;
      }
    }
    const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(target));
    await vscode.window.showNotebookDocument(doc);
  });

  reg('mktnb.saveWithoutOutputs', async () => {
    const nb = activeMarketNotebook();
    if (!nb) {
      void vscode.window.showInformationMessage('Open a Market Notebook first.');
      return;
    }
    const file = notebookDataToFile({ metadata: nb.metadata, cells: documentCells(nb) });
    const folder = nb.isUntitled ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(nb.uri, '..');
    const base = nb.isUntitled ? 'notebook' : path.basename(nb.uri.path, '.mktnb');
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder && vscode.Uri.joinPath(folder, `${base}.clean.mktnb`),
      filters: { 'Market Notebook': ['mktnb'] },
      title: 'Save a Copy without Outputs',
    });
    if (!target) return;
    // the copy must never replace the notebook itself: that would throw its saved outputs away
    if (target.toString() === nb.uri.toString()) {
      void vscode.window.showWarningMessage(
        'A copy without outputs cannot replace the notebook itself (its saved outputs would be lost). Choose another name.',
      );
      return;
    }
    try {
      await vscode.workspace.fs.writeFile(
        target,
        new TextEncoder().encode(serializeNotebook(file, { saveOutputs: false })),
      );
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Market Notebooks: could not save ${vscode.workspace.asRelativePath(target)}: ${(e as Error).message}`,
      );
      return;
    }
    const code = file.cells.filter((c) => c.kind === 'code').length;
    const pick = await vscode.window.showInformationMessage(
      `Saved a copy without outputs: ${vscode.workspace.asRelativePath(target)} (${code} code cell${code === 1 ? '' : 's'}, no outputs). This notebook keeps its outputs.`,
      'Open Copy',
    );
    if (pick) await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(target));
  });
}

/** Asks before a restart throws away a kernel's variables (unless the user said not to ask). */
async function confirmRestart(nb: vscode.NotebookDocument): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('marketNotebooks');
  if (!config.get<boolean>('kernel.confirmRestart', true)) return true;
  const name = nb.isUntitled ? nb.uri.path : path.basename(nb.uri.path);
  const RESTART = 'Restart',
    ALWAYS = "Restart and Don't Ask Again";
  const pick = await vscode.window.showWarningMessage(
    `Restart the kernel of ${name}?`,
    {
      modal: true,
      detail: 'All variables of the cells run so far are lost; outputs stay. Cells need to run again.',
    },
    RESTART,
    ALWAYS,
  );
  if (pick === ALWAYS) await config.update('kernel.confirmRestart', false, vscode.ConfigurationTarget.Global);
  return pick === RESTART || pick === ALWAYS;
}
