/**
 * Runs a notebook headlessly with the same kernel the VS Code controller uses.
 * Plain Node: used by the mktnb CLI and by tests.
 */
import { KernelClient, type BackgroundEvent, type KernelOutputEvent } from '../kernel/client';
import { fromSourceLines } from '../format/serialize';
import type { MktnbCell, MktnbFile, MktnbOutput } from '../format/types';
import { ERROR_MIME, splitOutputs, STDERR_MIME, STDOUT_MIME } from '../shared/schemas';
import { cellLabel } from '../kernel/protocol';
import { notebookDatabase } from '../kernel/protocol';

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
  const client = await KernelClient.start({ cwd: opts.cwd, notebookPath: opts.notebookPath, kernelScript: opts.kernelScript, maxOldSpaceMb: opts.maxOldSpaceMb, passEnv: opts.passEnv, database: notebookDatabase(nb.metadata) });
  const cells: MktnbCell[] = nb.cells.map((c) => ({ ...c }));
  let order = 0, cellsRun = 0, lateErrors = 0;
  let failedCell: CellReport | undefined;
  const byCellId = new Map<number, { outputs: MktnbOutput[]; number: number }>();
  client.onBackgroundOutput((event) => {
    const cell = byCellId.get(event.cellId);
    if (event.kind === 'error') {
      lateErrors++;
      cell?.outputs.push({ kind: 'error', items: [{ mime: ERROR_MIME, data: { name: event.error.name, message: event.error.message, stack: event.error.stack } }] });
    } else if (cell) appendOutput(cell.outputs, event);
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
      const outputs: MktnbOutput[] = [];
      const onOutput = (e: KernelOutputEvent): void => appendOutput(outputs, e);
      const lang = cell.language === 'javascript' || cell.language === 'sql' ? cell.language : 'typescript';
      const label = cellLabel(order + 1);
      const res = code.trim() === ''
        ? { ok: true, durationMs: 0 }
        : await client.execute(code, lang, { cellLabel: label, onOutput, timeoutMs });
      if ('cellId' in res && res.cellId) byCellId.set(res.cellId, { outputs, number: order + 1 });
      cellsRun++;
      const error = 'error' in res && res.error ? { name: res.error.name, message: res.error.message, stack: res.error.stack } : undefined;
      if (error) outputs.push({ kind: 'error', items: [{ mime: ERROR_MIME, data: error }] });
      if ('restarted' in res && res.restarted) outputs.push({ kind: 'stream', items: [{ mime: STDERR_MIME, data: res.restarted }] });
      cell.outputs = outputs;
      cell.execution = { order: ++order, success: res.ok, durationMs: Math.round(res.durationMs) };
      const report: CellReport = { index: i, number: i + 1, label, ok: res.ok, durationMs: res.durationMs, outputs, error };
      opts.onCell?.(report);
      if (!res.ok) failedCell = report;
    }
  } finally {
    endedProcesses = (await client.dispose())?.endedProcesses ?? [];
  }
  return { notebook: { ...nb, cells }, ok: !failedCell && lateErrors === 0, failedCell, cellsRun, lateErrors, endedProcesses };
}

function appendOutput(outputs: MktnbOutput[], e: KernelOutputEvent): void {
  if (e.kind === 'stream') {
    const mime = e.name === 'stdout' ? STDOUT_MIME : STDERR_MIME;
    const last = outputs[outputs.length - 1];
    if (last?.kind === 'stream' && last.items[0]?.mime === mime) last.items[0].data = String(last.items[0].data) + e.text;
    else outputs.push({ kind: 'stream', items: [{ mime, data: e.text }] });
  } else {
    for (const group of splitOutputs(e.items)) outputs.push({ kind: 'display', items: group.map((it) => ({ mime: it.mime, data: it.data })) });
  }
}
