/**
 * Runs a notebook headlessly with the same kernel the VS Code controller uses.
 * Plain Node: used by the mktnb CLI and by tests.
 */
import { KernelClient, type BackgroundEvent, type KernelOutputEvent } from '../kernel/client';
import { fromSourceLines } from '../format/serialize';
import type { MktnbCell, MktnbFile, MktnbOutput } from '../format/types';
import { OutputAccumulator } from '../kernel/outputs';
import { cellLabel, cellLanguage } from '../kernel/protocol';
import { notebookDatabase } from '../kernel/protocol';
import { KERNEL_ENV } from '../kernel/protocol';
import { connectionsJson, notebookConnections } from '../shared/connections';

export interface RunOptions {
  cwd: string;
  notebookPath?: string;
  kernelScript?: string;
  maxOldSpaceMb?: number;
  /** environment variable names passed to the kernel besides the allowlist (src/kernel/env.ts) */
  passEnv?: readonly string[];
  /** time limit per cell in seconds (0 or undefined: none); a cell over it fails with "timed out after N s" */
  timeoutSeconds?: number;
  /** called after each code cell */
  onCell?: (info: CellReport) => void;
  /** output or an error of a cell that had already finished (a timer, an un-awaited promise); number 0: no known cell */
  onLate?: (info: { number: number; event: BackgroundEvent }) => void;
}

export interface CellReport {
  index: number;
  /** 1-based number among all cells (position in the file) */
  number: number;
  /** how errors name the cell: its execution count, "cell [3]" (saved with the outputs, shown beside the cell) */
  label: string;
  ok: boolean;
  durationMs: number;
  outputs: MktnbOutput[];
  error?: { name: string; message: string; stack: string };
}

export interface RunResult {
  notebook: MktnbFile;
  ok: boolean;
  failedCell?: CellReport;
  cellsRun: number;
  /** errors raised by cells after they had finished (each is also in its cell's outputs, when known) */
  lateErrors: number;
  /** processes the cells had started that were still running at the end, and were ended */
  endedProcesses: number[];
}

/**
 * Executes all code cells in order and stops at the first failing cell. The cells after it keep
 * the outputs they were saved with (a failed run never destroys results; their `execution`
 * still tells which run made them). Output a cell produces after it finished (a timer) is added
 * to that cell; an error it raises then is also counted in `lateErrors`.
 */
export async function runNotebook(nb: MktnbFile, opts: RunOptions): Promise<RunResult> {
  // named connections: passwords from the environment variables they name, as in VS Code (docs/data.md)
  const specs = notebookConnections(nb.metadata);
  const env = specs.length ? { [KERNEL_ENV.connections]: connectionsJson(specs, process.env) } : undefined;
  const client = await KernelClient.start({
    cwd: opts.cwd,
    notebookPath: opts.notebookPath,
    kernelScript: opts.kernelScript,
    maxOldSpaceMb: opts.maxOldSpaceMb,
    passEnv: opts.passEnv,
    database: notebookDatabase(nb.metadata),
    ...(env ? { env } : {}),
  });
  const cells: MktnbCell[] = nb.cells.map((c) => ({ ...c }));
  let order = 0,
    cellsRun = 0,
    lateErrors = 0;
  let failedCell: CellReport | undefined;
  const byCellId = new Map<number, { outputs: OutputAccumulator; number: number }>();
  client.onBackgroundOutput((event) => {
    const cell = byCellId.get(event.cellId);
    if (event.kind === 'error') lateErrors++;
    cell?.outputs.add(event);
    opts.onLate?.({ number: cell?.number ?? 0, event });
  });
  const timeoutMs = opts.timeoutSeconds && opts.timeoutSeconds > 0 ? opts.timeoutSeconds * 1000 : undefined;
  let endedProcesses: number[] = [];
  try {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell.kind !== 'code') continue;
      if (failedCell) continue;
      const code = fromSourceLines(cell.source);
      const acc = new OutputAccumulator();
      const onOutput = (e: KernelOutputEvent): void => {
        acc.add(e);
      };
      const lang = cellLanguage(cell.language);
      const label = cellLabel(order + 1);
      const res =
        code.trim() === ''
          ? { ok: true, durationMs: 0 }
          : await client.execute(code, lang, { cellLabel: label, onOutput, timeoutMs });
      if ('cellId' in res && res.cellId) byCellId.set(res.cellId, { outputs: acc, number: order + 1 });
      cellsRun++;
      const error =
        'error' in res && res.error
          ? { name: res.error.name, message: res.error.message, stack: res.error.stack }
          : undefined;
      if (error) acc.error(error);
      if ('restarted' in res && res.restarted) acc.note(res.restarted);
      const outputs = acc.outputs;
      cell.outputs = outputs;
      cell.execution = { order: ++order, success: res.ok, durationMs: Math.round(res.durationMs) };
      const report: CellReport = {
        index: i,
        number: i + 1,
        label,
        ok: res.ok,
        durationMs: res.durationMs,
        outputs,
        error,
      };
      opts.onCell?.(report);
      if (!res.ok) failedCell = report;
    }
  } finally {
    endedProcesses = (await client.dispose())?.endedProcesses ?? [];
  }
  return {
    notebook: { ...nb, cells },
    ok: !failedCell && lateErrors === 0,
    failedCell,
    cellsRun,
    lateErrors,
    endedProcesses,
  };
}
