/**
 * The notebook controller "Market Notebooks (TypeScript)": one kernel process per notebook,
 * started on first run, stopped when the notebook closes. Streams outputs while a cell runs,
 * numbers executions, stops Run All at the first failing cell, and runs nothing in a
 * restricted (untrusted) workspace.
 *
 * Saving an untitled notebook under a name keeps its kernel: VS Code closes the untitled document
 * and opens the saved file as a new one (two separate events, in either order), so a closing
 * untitled notebook's session is held for a few seconds and handed to the file notebook that
 * opens with the same cells (see SessionHandover).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { KernelClient, type KernelOutputEvent, type VariableInfo } from '../kernel/client';
import { splitOutputs, STDERR_MIME, STDOUT_MIME } from '../shared/schemas';
import { cellLabel } from '../shared/protocol';
import { isJsonMime } from '../format/items';
import { SessionHandover, cellsSignature } from './handover';

export const CONTROLLER_ID = 'mktnb-typescript';
export const NOTEBOOK_TYPE = 'mktnb';

interface Session {
  client: Promise<KernelClient>;
  order: number;
  /** the notebook's current URI (changes when an untitled notebook is saved) */
  key: string;
  /** cells running or queued */
  running: number;
}

export type KernelState = 'none' | 'starting' | 'idle' | 'busy';

export class MarketController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<string, Session>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly handover = new SessionHandover<Session>((s) => { this.log.info(`untitled notebook closed without being saved: kernel of ${s.key} stopped`); this.disposeSession(s); });
  /** "Market Notebooks" in the Output panel: kernels started, moved, restarted, stopped */
  readonly log = vscode.window.createOutputChannel('Market Notebooks', { log: true });
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** a notebook's kernel started, stopped, became busy or idle, or ran a cell (its variables may have changed) */
  readonly onDidChangeKernel = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Market Notebooks (TypeScript)');
    this.controller.description = 'TypeScript and JavaScript cells with the market analysis library';
    this.controller.supportedLanguages = ['typescript', 'javascript'];
    this.controller.supportsExecutionOrder = true;
    this.controller.executeHandler = (cells, nb) => this.execute(cells, nb);
    this.controller.interruptHandler = (nb) => this.interrupt(nb);
    this.disposables.push(
      this.controller,
      this.changed, this.log,
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.onOpen(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.shutdown(nb)),
      // a saved file's document may open empty and receive its cells just after
      vscode.workspace.onDidChangeNotebookDocument((e) => { if (e.contentChanges.length) this.claimSession(e.notebook); }),
      { dispose: () => this.handover.dispose() },
    );
    for (const nb of vscode.workspace.notebookDocuments) this.onOpen(nb);
  }

  private onOpen(nb: vscode.NotebookDocument): void {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    // The only kernel for this notebook type, so a new user never sees a kernel picker.
    this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
    if (!vscode.workspace.isTrusted) warnRestricted(false);
    this.claimSession(nb);
  }

  /** A file notebook without a kernel: is it an untitled notebook that was just saved? */
  private claimSession(nb: vscode.NotebookDocument): void {
    if (nb.notebookType !== NOTEBOOK_TYPE || nb.uri.scheme !== 'file' || this.sessions.has(nb.uri.toString())) return;
    const s = this.handover.opened(nb.uri.toString(), () => cellsSignature(nb));
    if (s) this.adopt(s, nb);
  }

  /** An untitled notebook was saved as `nb`: its session (variables, execution count) carries on. */
  private adopt(s: Session, nb: vscode.NotebookDocument): void {
    this.sessions.delete(s.key);
    this.log.info(`${s.key} was saved as ${nb.uri.toString()}: its kernel and variables carry on`);
    s.key = nb.uri.toString();
    this.sessions.set(s.key, s);
    s.client.then((c) => c.setNotebook(nb.uri.fsPath), () => undefined);
    this.changed.fire(nb.uri);
  }

  /** The kernel of a notebook: not started, starting, idle or running cells. */
  state(nb: vscode.NotebookDocument): KernelState {
    const s = this.sessions.get(nb.uri.toString());
    if (!s) return 'none';
    if (s.running > 0) return 'busy';
    return this.started.has(s) ? 'idle' : 'starting';
  }
  private readonly started = new WeakSet<Session>();

  /** The names the notebook's cells declared (undefined: no kernel, or it is busy). */
  async variables(nb: vscode.NotebookDocument): Promise<VariableInfo[] | undefined> {
    const s = this.sessions.get(nb.uri.toString());
    if (!s || !this.started.has(s)) return undefined;
    return (await s.client).variables();
  }

  /** Whether the notebook has a kernel process (which Restart would throw away). */
  hasKernel(nb: vscode.NotebookDocument): boolean { return this.sessions.has(nb.uri.toString()); }

  private session(nb: vscode.NotebookDocument): Session {
    const key = nb.uri.toString();
    let s = this.sessions.get(key);
    if (!s) {
      const notebookPath = nb.uri.scheme === 'file' ? nb.uri.fsPath : undefined;
      // an untitled notebook is in no folder: its paths resolve from the (first) workspace folder,
      // as the quick analyses write them, until it is saved
      const folder = (vscode.workspace.getWorkspaceFolder(nb.uri) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath;
      const cwd = notebookPath ? path.dirname(notebookPath) : folder ?? process.cwd();
      const memory = vscode.workspace.getConfiguration('marketNotebooks').get<number>('kernel.memoryLimitMb', 4096);
      const client = KernelClient.start({ cwd, notebookPath, kernelScript: this.context.asAbsolutePath('dist/kernel.js'), maxOldSpaceMb: memory });
      s = { client, order: 0, key, running: 0 };
      this.sessions.set(key, s);
      const session = s;
      this.log.info(`starting a kernel for ${key} in ${cwd}`);
      client.then((c) => {
        this.log.info(`kernel of ${session.key} started (pid ${c.pid})`);
        this.started.add(session);
        this.changed.fire(vscode.Uri.parse(session.key));
        c.onDidExit((info) => {
          this.log.info(`kernel of ${session.key} ended (${info.kind}): ${info.reason}`);
          this.changed.fire(vscode.Uri.parse(session.key));
          // A cell that was running reports this in its own output; an idle kernel (a timer a cell
          // left behind ran out of memory, say) would otherwise restart without a word.
          if ((info.kind === 'oom' || info.kind === 'crash') && !c.busy) {
            session.order = 0;
            const uri = vscode.Uri.parse(session.key);
            const name = uri.scheme === 'untitled' ? 'an untitled notebook' : vscode.workspace.asRelativePath(uri);
            void vscode.window.showWarningMessage(`Market Notebooks: the kernel of ${name} stopped while no cell was running: ${info.reason}`);
          }
        });
      }, () => { if (this.sessions.get(session.key) === session) this.sessions.delete(session.key); this.changed.fire(vscode.Uri.parse(session.key)); });
      this.changed.fire(nb.uri);
    }
    return s;
  }

  private async execute(cells: vscode.NotebookCell[], nb: vscode.NotebookDocument): Promise<void> {
    if (!vscode.workspace.isTrusted) { warnRestricted(true); return; }
    const s = this.session(nb);
    s.running += cells.length;
    this.changed.fire(nb.uri);
    try {
      for (let i = 0; i < cells.length; i++) {
        const ok = await this.runCell(cells[i], s);
        s.running--;
        if (i + 1 < cells.length) this.changed.fire(vscode.Uri.parse(s.key)); // the Variables view follows the run
        if (!ok) { s.running -= cells.length - i - 1; break; } // Run All stops at the first failing cell, as Jupyter does
      }
    } finally {
      if (s.running < 0) s.running = 0;
      this.changed.fire(vscode.Uri.parse(s.key));
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
    const languageId = cell.document.languageId === 'javascript' ? 'javascript' : 'typescript';
    // errors name the cell by the execution count shown beside it ([3]), not by its position
    // (which counts markdown cells nobody numbers); the headless runner does the same
    const label = cellLabel(exec.executionOrder!);
    const res = await client.execute(code, languageId, { cellLabel: label, onOutput });
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
    if (!s) return;
    this.sessions.delete(key);
    if (nb.uri.scheme === 'untitled') {
      // perhaps saved under a name: the file notebook may have opened already, or opens shortly
      const target = this.handover.closed(s, cellsSignature(nb));
      if (target) {
        const doc = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === target);
        if (doc && !this.sessions.has(target)) { this.adopt(s, doc); return; }
        this.disposeSession(s);
      }
    } else this.disposeSession(s);
    this.changed.fire(nb.uri);
  }

  private disposeSession(s: Session): void {
    s.client.then((c) => c.dispose(), () => undefined);
  }

  dispose(): void {
    for (const s of this.sessions.values()) this.disposeSession(s);
    this.sessions.clear();
    for (const d of this.disposables) d.dispose();
  }
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

