/** Running one cell in a real kernel for tests: its text and table outputs and progress collected. */
import * as assert from 'node:assert/strict';
import type { ExecuteResult, KernelClient, KernelOutputEvent } from '../../../src/kernel/client';
import { TABLE_MIME, TEXT_MIME, type TableOutput } from '../../../src/shared/schemas';

export interface Ran extends ExecuteResult {
  text: string;
  tables: TableOutput[];
  progress: Array<[number, number | undefined]>;
}

/** Runs `code` as a cell labelled `label`; `onProgress` also sees each progress report. */
export async function runCell(
  k: KernelClient,
  code: string,
  language: 'typescript' | 'sql',
  label: string,
  onProgress?: (p: number, rows?: number) => void,
): Promise<Ran> {
  const out: KernelOutputEvent[] = [];
  const progress: Array<[number, number | undefined]> = [];
  const r = await k.execute(code, language, {
    cellLabel: label,
    onOutput: (e) => out.push(e),
    onProgress: (p, rows) => {
      progress.push([p, rows]);
      onProgress?.(p, rows);
    },
  });
  const items = out.flatMap((e) => (e.kind === 'display' ? e.items : []));
  return {
    ...r,
    progress,
    text: items
      .filter((i) => i.mime === TEXT_MIME)
      .map((i) => String(i.data))
      .join('\n'),
    tables: items.filter((i) => i.mime === TABLE_MIME).map((i) => i.data as TableOutput),
  };
}

/** As runCell, failing the test (with the cell's stack) when the cell fails. */
export async function okCell(
  k: KernelClient,
  code: string,
  language: 'typescript' | 'sql',
  label: string,
): Promise<Ran> {
  const r = await runCell(k, code, language, label);
  assert.equal(r.ok, true, `cell failed: ${r.error?.stack}`);
  return r;
}
