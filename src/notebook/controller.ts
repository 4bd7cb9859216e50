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
 *
 * (Over 300 lines on purpose: one class, the controller, owning the sessions map that starting,
 * running, interrupting, restarting, closing and the untitled-to-saved handover all update.)
 */
import * as vscode from 'vscode';
import { OutputHandles } from './outputHandles';
import { KernelClient, type BackgroundEvent, type KernelOutputEvent, type VariableInfo } from '../kernel/client';
import { eventOutputs, OutputAccumulator } from '../kernel/outputs';
import { cellOutput, showChanges } from './cellOutputs';
import { noticeKernelExit, warnRestricted } from './notices';
import { kernelOptions } from './kernelOptions';
import { NOTEBOOK_TYPE } from '../format/types';
import { cellLabel, cellLanguage, KERNEL_ENV } from '../kernel/protocol';
import { SessionHandover, cellsSignature } from './handover';
import { kernelConnectionEnv } from './connections';
import { extensionLog } from './log';

export const CONTROLLER_ID = 'mktnb-typescript';
/** (defined with the file format; re-exported for the adapters that import it from here) */
export { NOTEBOOK_TYPE };

interface Session {
  client: Promise<KernelClient>;
  order: number;
  /** the cells the kernel ran, by the kernel's id of the execution: late output goes back to them */
  ran: Map<number, { cell: vscode.NotebookCell; index: number; order: number | undefined; ok: boolean }>;
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
  private readonly handover = new SessionHandover<Session>((s) => {
    this.log.info(`untitled notebook closed without being saved: kernel of ${s.key} stopped`);
    this.disposeSession(s);
  });
  /** "Market Notebooks" in the Output panel (src/notebook/log.ts): kernels started, moved, restarted, stopped */
  private readonly log: vscode.LogOutputChannel;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** a notebook's kernel started, stopped, became busy or idle, or ran a cell (its variables may have changed) */
  readonly onDidChangeKernel = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.log = extensionLog(context);
    this.controller = vscode.notebooks.createNotebookController(
      CONTROLLER_ID,
      NOTEBOOK_TYPE,
      'Market Notebooks (TypeScript)',
    );
    this.controller.description = 'TypeScript and JavaScript cells with the market analysis library';
    this.controller.supportedLanguages = ['typescript', 'javascript', 'sql'];
    this.controller.supportsExecutionOrder = true;
    this.controller.executeHandler = (cells, nb) => this.execute(cells, nb);
    this.controller.interruptHandler = (nb) => this.interrupt(nb);
    this.disposables.push(
      this.controller,
      this.changed,
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.onOpen(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.shutdown(nb)),
      // a saved file's document may open empty and receive its cells just after
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length) this.claimSession(e.notebook);
        if (e.contentChanges.length || e.cellChanges.some((c) => c.outputs)) this.releaseGoneOutputs(e.notebook);
      }),
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
    s.client.then(
      (c) => c.setNotebook(nb.uri.fsPath),
      () => undefined,
    );
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

  /** The notebook's started kernel, for outputs that ask it (zoom, table pages); undefined: none. */
  async runningKernel(nb: vscode.NotebookDocument): Promise<KernelClient | undefined> {
    const s = this.sessions.get(nb.uri.toString());
    return s && this.started.has(s) ? s.client : undefined;
  }

  /** The kernel drops the data of outputs no longer in the notebook ("Clear All Outputs", re-run or deleted cells). */
  private releaseGoneOutputs(nb: vscode.NotebookDocument): void {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    const gone = this.outputHandles.update(
      nb.uri.toString(),
      nb
        .getCells()
        .flatMap((c) => c.outputs)
        .flatMap((o) => o.items),
    );
    const s = this.sessions.get(nb.uri.toString());
    if (gone.length && s && this.started.has(s))
      void s.client.then(
        (c) => c.releaseOutputs(gone),
        () => undefined,
      );
  }
  private readonly outputHandles = new OutputHandles();

  /** Whether the notebook has a kernel process (which Restart would throw away). */
  hasKernel(nb: vscode.NotebookDocument): boolean {
    return this.sessions.has(nb.uri.toString());
  }

  private session(nb: vscode.NotebookDocument): Session {
    const key = nb.uri.toString();
    let s = this.sessions.get(key);
    if (!s) {
      const options = kernelOptions(nb);
      // named connections (metadata.connections) with the credentials found for them (src/notebook/connections.ts)
      const client = kernelConnectionEnv(this.context, nb).then((env) =>
        KernelClient.start({ ...options, kernelScript: this.context.asAbsolutePath('dist/kernel.js'), env }),
      );
      s = { client, order: 0, key, running: 0, ran: new Map() };
      this.sessions.set(key, s);
      const session = s;
      this.log.info(`starting a kernel for ${key} in ${options.cwd}`);
      client.then(
        (c) => {
          this.log.info(`kernel of ${session.key} started (pid ${c.pid})`);
          this.started.add(session);
          this.changed.fire(vscode.Uri.parse(session.key));
          c.onBackgroundOutput((e) => this.lateOutput(session, e));
          c.onDidExit((info) => {
            this.log.info(`kernel of ${session.key} ended (${info.kind}): ${info.reason}`);
            this.changed.fire(vscode.Uri.parse(session.key));
            if (noticeKernelExit(session.key, info, c.busy)) session.order = 0;
          });
        },
        () => {
          if (this.sessions.get(session.key) === session) this.sessions.delete(session.key);
          this.changed.fire(vscode.Uri.parse(session.key));
        },
      );
      this.changed.fire(nb.uri);
    }
    return s;
  }

  private async execute(cells: vscode.NotebookCell[], nb: vscode.NotebookDocument): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      warnRestricted(true);
      return;
    }
    const s = this.session(nb);
    s.running += cells.length;
    this.changed.fire(nb.uri);
    try {
      for (let i = 0; i < cells.length; i++) {
        const ok = await this.runCell(cells[i], s);
        s.running--;
        if (i + 1 < cells.length) this.changed.fire(vscode.Uri.parse(s.key)); // the Variables view follows the run
        if (!ok) {
          s.running -= cells.length - i - 1;
          break;
        } // Run All stops at the first failing cell, as Jupyter does
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
    if (code.trim() === '') {
      exec.end(true, Date.now());
      return true;
    }
    let client: KernelClient;
    try {
      client = await s.client;
    } catch (e) {
      await exec.appendOutput(
        cellOutput(
          new OutputAccumulator().error({
            name: 'KernelError',
            message: `The kernel could not start: ${(e as Error).message}`,
            stack: '',
          }).output,
        ),
      );
      exec.end(false, Date.now());
      return false;
    }
    // the cell's outputs as the CLI stores them (src/kernel/outputs.ts), mirrored into the cell
    const acc = new OutputAccumulator();
    const shown: vscode.NotebookCellOutput[] = [];
    const onOutput = (e: KernelOutputEvent): void => {
      void showChanges(exec, shown, acc.add(e));
    };
    const languageId = cellLanguage(cell.document.languageId);
    // errors name the cell by the execution count shown beside it ([3]), not by its position
    // (which counts markdown cells nobody numbers); the headless runner does the same
    const label = cellLabel(exec.executionOrder!);
    const timeoutSeconds = vscode.workspace
      .getConfiguration('marketNotebooks')
      .get<number>('kernel.cellTimeoutSeconds', 0);
    // DuckDB's progress of a long query (SQL cells, sql``) in the status bar while the cell runs
    let status: vscode.Disposable | undefined;
    const onProgress = (percent: number, rows?: number): void => {
      status?.dispose();
      status = vscode.window.setStatusBarMessage(
        `$(database) ${label}: ${rows !== undefined ? `${rows.toLocaleString('en-US')} rows read${percent ? ` (${percent}%)` : ''}` : `query ${percent}% done`}`,
      );
    };
    const res = await client
      .execute(code, languageId, {
        cellLabel: label,
        onOutput,
        onProgress,
        timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
      })
      .finally(() => status?.dispose());
    if (res.cellId) s.ran.set(res.cellId, { cell, index: cell.index, order: exec.executionOrder, ok: res.ok });
    if (res.error) await showChanges(exec, shown, [acc.error(res.error)]);
    if (res.restarted) {
      s.order = 0;
      await showChanges(exec, shown, [acc.note(res.restarted)]);
    }
    exec.end(res.ok, Date.now());
    return res.ok;
  }

  /**
   * Output or an error of a cell that had finished (a timer, an un-awaited promise): appended to
   * that cell (its run status and number stay; an error marks it failed), never to the cell
   * running now. When the cell is gone or busy again, a notification shows it instead.
   */
  private lateOutput(s: Session, e: BackgroundEvent): void {
    const ran = s.ran.get(e.cellId);
    // after an untitled notebook was saved the session lives on in the saved document (s.key),
    // whose cells are new objects in the same places
    let cell = ran && !ran.cell.notebook.isClosed && ran.cell.index >= 0 ? ran.cell : undefined;
    if (ran && !cell) {
      const doc = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === s.key && !d.isClosed);
      if (doc && ran.index < doc.cellCount) ran.cell = cell = doc.cellAt(ran.index);
    }
    const outputs = eventOutputs(e).map(cellOutput);
    if (cell && ran) {
      try {
        const exec = this.controller.createNotebookCellExecution(cell);
        exec.executionOrder = ran.order;
        exec.start();
        void exec.appendOutput(outputs).then(
          () => {
            if (e.kind === 'error') ran.ok = false;
            exec.end(ran.ok);
          },
          () => exec.end(ran.ok),
        );
        return;
      } catch {
        /* the cell is queued or running again: say it below */
      }
    }
    if (e.kind !== 'error') return;
    const where = ran?.order ? cellLabel(ran.order) : 'a cell that has finished';
    void vscode.window.showWarningMessage(
      `Market Notebooks: ${where} raised an error after it had finished (a timer or an un-awaited promise): ${e.error.stack.split('\n')[0]}`,
    );
  }

  private async interrupt(nb: vscode.NotebookDocument): Promise<void> {
    const s = this.sessions.get(nb.uri.toString());
    if (s) (await s.client).interrupt();
  }

  /** The notebook's connections changed (Add Connection): a running kernel gets them at once. */
  async connectionsChanged(nb: vscode.NotebookDocument): Promise<void> {
    const s = this.sessions.get(nb.uri.toString());
    if (!s) return;
    const env = await kernelConnectionEnv(this.context, nb);
    (await s.client).setConnections(env[KERNEL_ENV.connections] ?? '[]');
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
        if (doc && !this.sessions.has(target)) {
          this.adopt(s, doc);
          return;
        }
        this.disposeSession(s);
      }
    } else this.disposeSession(s);
    this.changed.fire(nb.uri);
  }

  private disposeSession(s: Session): void {
    s.client.then(
      (c) => c.dispose(),
      () => undefined,
    );
  }

  dispose(): void {
    for (const s of this.sessions.values()) this.disposeSession(s);
    this.sessions.clear();
    for (const d of this.disposables) d.dispose();
  }
}
