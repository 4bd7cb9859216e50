/**
 * Runs a notebook headlessly with the same kernel the VS Code controller uses.
 * Plain Node: used by the mktnb CLI and by tests.
 */
import { KernelClient, type KernelOutputEvent } from '../kernel/client';
import { fromSourceLines } from '../format/serialize';
import type { MktnbCell, MktnbFile, MktnbOutput } from '../format/types';
import { ERROR_MIME, splitOutputs, STDERR_MIME, STDOUT_MIME } from '../shared/schemas';
import { notebookDatabase } from '../shared/protocol';

export interface RunOptions {
  cwd: string;
  notebookPath?: string;
  kernelScript?: string;
  maxOldSpaceMb?: number;
  /** called after each code cell */
  onCell?: (info: CellReport) => void;
}

export interface CellReport {
  index: number;
  /** 1-based number among all cells, as shown in the editor */
  number: number;
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
}

/** Executes all code cells in order; stops at the first failing cell (later cells keep no outputs). */
export async function runNotebook(nb: MktnbFile, opts: RunOptions): Promise<RunResult> {
  const client = await KernelClient.start({ cwd: opts.cwd, notebookPath: opts.notebookPath, kernelScript: opts.kernelScript, maxOldSpaceMb: opts.maxOldSpaceMb, database: notebookDatabase(nb.metadata) });
  const cells: MktnbCell[] = nb.cells.map((c) => ({ ...c }));
  let order = 0, cellsRun = 0;
  let failedCell: CellReport | undefined;
  try {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell.kind !== 'code') continue;
      if (failedCell) { delete cell.outputs; delete cell.execution; continue; }
      const code = fromSourceLines(cell.source);
      const outputs: MktnbOutput[] = [];
      const onOutput = (e: KernelOutputEvent): void => {
        if (e.kind === 'stream') {
          const mime = e.name === 'stdout' ? STDOUT_MIME : STDERR_MIME;
          const last = outputs[outputs.length - 1];
          if (last?.kind === 'stream' && last.items[0]?.mime === mime) last.items[0].data = String(last.items[0].data) + e.text;
          else outputs.push({ kind: 'stream', items: [{ mime, data: e.text }] });
        } else {
          for (const group of splitOutputs(e.items)) outputs.push({ kind: 'display', items: group.map((it) => ({ mime: it.mime, data: it.data })) });
        }
      };
      const lang = cell.language === 'javascript' || cell.language === 'sql' ? cell.language : 'typescript';
      const res = code.trim() === ''
        ? { ok: true, durationMs: 0 }
        : await client.execute(code, lang, { cellLabel: `cell ${i + 1}`, onOutput });
      cellsRun++;
      const error = 'error' in res && res.error ? { name: res.error.name, message: res.error.message, stack: res.error.stack } : undefined;
      if (error) outputs.push({ kind: 'error', items: [{ mime: ERROR_MIME, data: error }] });
      if ('restarted' in res && res.restarted) outputs.push({ kind: 'stream', items: [{ mime: STDERR_MIME, data: res.restarted }] });
      cell.outputs = outputs;
      cell.execution = { order: ++order, success: res.ok, durationMs: Math.round(res.durationMs) };
      const report: CellReport = { index: i, number: i + 1, ok: res.ok, durationMs: res.durationMs, outputs, error };
      opts.onCell?.(report);
      if (!res.ok) failedCell = report;
    }
  } finally {
    client.dispose();
  }
  return { notebook: { ...nb, cells }, ok: !failedCell, failedCell, cellsRun };
}
