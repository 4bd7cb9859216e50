/**
 * Outputs as VS Code holds them: a stored output (src/kernel/outputs.ts, the form the CLI saves)
 * turned into a NotebookCellOutput through the same inert text as outputs read from a file, and
 * the changes of a running cell's outputs mirrored into its execution. Used by the controller.
 */
import * as vscode from 'vscode';
import { ERROR_MIME } from '../shared/schemas';
import type { OutputChange } from '../kernel/outputs';
import type { MktnbOutput } from '../format/types';
import { displayItem, isJsonMime, recreateError } from '../format/items';

/**
 * A stored output (src/kernel/outputs.ts) as VS Code's, through the same inert text as outputs
 * read from a file (markdown, errors: src/format/items.ts).
 */
export function cellOutput(o: MktnbOutput): vscode.NotebookCellOutput {
  const meta = { mktnb: { kind: o.kind } };
  if (o.kind === 'error') {
    const { name, message, stack } = o.items[0].data as { name: string; message: string; stack: string };
    return new vscode.NotebookCellOutput(
      [
        vscode.NotebookCellOutputItem.json(
          recreateError({ name, message, stack: stack || `${name}: ${message}` }),
          ERROR_MIME,
        ),
      ],
      meta,
    );
  }
  if (o.kind === 'stream')
    return new vscode.NotebookCellOutput(
      o.items.map((it) => vscode.NotebookCellOutputItem.text(String(it.data), it.mime)),
      meta,
    );
  return new vscode.NotebookCellOutput(
    o.items
      .map(displayItem)
      .map((it) =>
        isJsonMime(it.mime)
          ? vscode.NotebookCellOutputItem.json(it.data, it.mime)
          : vscode.NotebookCellOutputItem.text(String(it.data), it.mime),
      ),
    meta,
  );
}

/** Mirrors what an event changed into the running cell: joined stream text, new outputs in one edit. */
export function showChanges(
  exec: vscode.NotebookCellExecution,
  shown: vscode.NotebookCellOutput[],
  changes: OutputChange[],
): Thenable<void> {
  const added: vscode.NotebookCellOutput[] = [];
  let last: Thenable<void> = Promise.resolve();
  for (const c of changes) {
    if (c.type === 'extend')
      last = exec.appendOutputItems(vscode.NotebookCellOutputItem.text(c.text, c.mime), shown[c.index]);
    else {
      const o = cellOutput(c.output);
      shown.push(o);
      added.push(o);
    }
  }
  return added.length ? exec.appendOutput(added) : last;
}
