/**
 * The notebook controller "Market Notebooks (TypeScript)": one kernel process per notebook,
 * started on first run, stopped when the notebook closes. Streams outputs while a cell runs,
 * numbers executions, stops Run All at the first failing cell, and runs nothing in a
 * restricted (untrusted) workspace.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { KernelClient, type KernelOutputEvent } from '../kernel/client';
import { splitOutputs, STDERR_MIME, STDOUT_MIME } from '../shared/schemas';
import { isJsonMime } from '../format/items';
import { notebookDatabase } from '../shared/protocol';

export const CONTROLLER_ID = 'mktnb-typescript';
export const NOTEBOOK_TYPE = 'mktnb';

interface Session {
  client: Promise<KernelClient>;
  order: number;
}

export class MarketController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<string, Session>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Market Notebooks (TypeScript)');
    this.controller.description = 'TypeScript and JavaScript cells with the market analysis library';
    this.controller.supportedLanguages = ['typescript', 'javascript', 'sql'];
    this.controller.supportsExecutionOrder = true;
    this.controller.executeHandler = (cells, nb) => this.execute(cells, nb);
    this.controller.interruptHandler = (nb) => this.interrupt(nb);
    this.disposables.push(
      this.controller,
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.onOpen(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.shutdown(nb)),
    );
    for (const nb of vscode.workspace.notebookDocuments) this.onOpen(nb);
  }

  private onOpen(nb: vscode.NotebookDocument): void {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    // The only kernel for this notebook type, so a new user never sees a kernel picker.
    this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
    if (!vscode.workspace.isTrusted) warnRestricted(false);
  }

  private session(nb: vscode.NotebookDocument): Session {
    const key = nb.uri.toString();
    let s = this.sessions.get(key);
    if (!s) {
      const notebookPath = nb.uri.scheme === 'file' ? nb.uri.fsPath : undefined;
      const folder = vscode.workspace.getWorkspaceFolder(nb.uri)?.uri.fsPath;
      const cwd = notebookPath ? path.dirname(notebookPath) : folder ?? process.cwd();
      const config = vscode.workspace.getConfiguration('marketNotebooks', nb.uri);
      const memory = config.get<number>('kernel.memoryLimitMb', 4096);
      const database = notebookDatabase(nb.metadata) ?? (config.get<string>('sql.database', '') || undefined);
      const client = KernelClient.start({ cwd, notebookPath, kernelScript: this.context.asAbsolutePath('dist/kernel.js'), maxOldSpaceMb: memory, database });
      s = { client, order: 0 };
      this.sessions.set(key, s);
      const session = s;
      client.then((c) => c.onDidExit((info) => {
        // A cell that was running reports this in its own output; an idle kernel (a timer a cell
        // left behind ran out of memory, say) would otherwise restart without a word.
        if ((info.kind === 'oom' || info.kind === 'crash') && !c.busy) {
          session.order = 0;
          const name = nb.isUntitled ? 'an untitled notebook' : vscode.workspace.asRelativePath(nb.uri);
          void vscode.window.showWarningMessage(`Market Notebooks: the kernel of ${name} stopped while no cell was running: ${info.reason}`);
        }
      }), () => this.sessions.delete(key));
    }
    return s;
  }

  private async execute(cells: vscode.NotebookCell[], nb: vscode.NotebookDocument): Promise<void> {
    if (!vscode.workspace.isTrusted) { warnRestricted(true); return; }
    const s = this.session(nb);
    for (const cell of cells) {
      const ok = await this.runCell(cell, s);
      if (!ok) break; // Run All stops at the first failing cell, as Jupyter does
    }
  }

  private async runCell(cell: vscode.NotebookCell, s: Session): Promise<boolean> {
    const exec = this.controller.createNotebookCellExecution(cell);
    exec.executionOrder = ++s.order;
    exec.start(Date.now());
    await exec.clearOutput();
    const code = cell.document.getText();
    if (code.trim() === '') { exec.end(true, Date.now()); return true; }
    let client: KernelClient;
    try {
      client = await s.client;
    } catch (e) {
      await exec.appendOutput(errorOutput('KernelError', `The kernel could not start: ${(e as Error).message}`, ''));
      exec.end(false, Date.now());
      return false;
    }
    // Consecutive stdout (or stderr) chunks go into one output, as in Jupyter.
    let lastStream: { name: string; output: vscode.NotebookCellOutput } | undefined;
    const onOutput = (e: KernelOutputEvent): void => {
      if (e.kind === 'stream') {
        const mime = e.name === 'stdout' ? STDOUT_MIME : STDERR_MIME;
        const item = vscode.NotebookCellOutputItem.text(e.text, mime);
        if (lastStream && lastStream.name === e.name) void exec.appendOutputItems(item, lastStream.output);
        else { const output = new vscode.NotebookCellOutput([item], { mktnb: { kind: 'stream' } }); lastStream = { name: e.name, output }; void exec.appendOutput(output); }
      } else {
        lastStream = undefined;
        const outputs = splitOutputs(e.items).map((group) => new vscode.NotebookCellOutput(group.map((it) => isJsonMime(it.mime)
          ? vscode.NotebookCellOutputItem.json(it.data, it.mime)
          : vscode.NotebookCellOutputItem.text(String(it.data), it.mime)), { mktnb: { kind: 'display' } }));
        void exec.appendOutput(outputs);
      }
    };
    const languageId = cellLanguage(cell.document.languageId);
    const label = `cell ${cell.index + 1}`;
    // DuckDB's progress of a long query (SQL cells, sql``) in the status bar while the cell runs
    let status: vscode.Disposable | undefined;
    const onProgress = (percent: number): void => { status?.dispose(); status = vscode.window.setStatusBarMessage(`$(database) ${label}: query ${percent}% done`); };
    const res = await client.execute(code, languageId, { cellLabel: label, onOutput, onProgress }).finally(() => status?.dispose());
    if (res.error) await exec.appendOutput(errorOutput(res.error.name, res.error.message, res.error.stack));
    if (res.restarted) {
      s.order = 0;
      await exec.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(res.restarted, STDERR_MIME)], { mktnb: { kind: 'stream' } }));
    }
    exec.end(res.ok, Date.now());
    return res.ok;
  }

  private async interrupt(nb: vscode.NotebookDocument): Promise<void> {
    const s = this.sessions.get(nb.uri.toString());
    if (s) (await s.client).interrupt();
  }

  async restart(nb: vscode.NotebookDocument): Promise<void> {
    const s = this.sessions.get(nb.uri.toString());
    if (!s) return;
    s.order = 0;
    await (await s.client).restart();
  }

  private shutdown(nb: vscode.NotebookDocument): void {
    const key = nb.uri.toString();
    const s = this.sessions.get(key);
    this.sessions.delete(key);
    s?.client.then((c) => c.dispose(), () => undefined);
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.client.then((c) => c.dispose(), () => undefined);
    this.sessions.clear();
    for (const d of this.disposables) d.dispose();
  }
}

/** The language a cell runs as (anything but JavaScript and SQL runs as TypeScript). */
export function cellLanguage(languageId: string): 'typescript' | 'javascript' | 'sql' {
  return languageId === 'javascript' || languageId === 'sql' ? languageId : 'typescript';
}

function errorOutput(name: string, message: string, stack: string): vscode.NotebookCellOutput {
  const item = vscode.NotebookCellOutputItem.error({ name, message, stack });
  return new vscode.NotebookCellOutput([item], { mktnb: { kind: 'error' } });
}

let warnedAt = 0;
/** Tells the user why nothing runs in Restricted Mode (at most once a minute unless they tried to run). */
function warnRestricted(tried: boolean): void {
  if (!tried && Date.now() - warnedAt < 60_000) return;
  warnedAt = Date.now();
  const msg = tried
    ? 'Market Notebooks runs no cells in Restricted Mode: running code from an untrusted folder could harm your machine. Saved outputs stay visible. Trust the folder to run cells.'
    : 'This folder is in Restricted Mode: the notebook shows its saved outputs, but Market Notebooks will not run its cells until you trust the folder.';
  void vscode.window.showWarningMessage(msg, 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}

