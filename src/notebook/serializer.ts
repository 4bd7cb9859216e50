/**
 * VS Code adapter for the .mktnb format: NotebookData <-> MktnbFile (src/format).
 * Fields this version does not know are carried in metadata so they survive a round trip.
 */
import * as vscode from 'vscode';
import {
  decodeNotebookBytes,
  fromSourceLines,
  NotebookFormatError,
  parseNotebook,
  serializeNotebook,
  toSourceLines,
} from '../format/serialize';
import { itemFromBytes, itemToBytes, storedOutputForDisplay } from '../format/items';
import {
  FORMAT_NAME,
  FORMAT_VERSION,
  NOTEBOOK_TYPE,
  type MktnbCell,
  type MktnbFile,
  type MktnbOutput,
} from '../format/types';

const KNOWN_TOP = new Set(['format', 'version', 'metadata', 'cells']);
const KNOWN_CELL = new Set(['kind', 'language', 'source', 'metadata', 'outputs', 'execution']);
const KNOWN_OUTPUT = new Set(['kind', 'items', 'metadata']);

/** Keys under which the adapter keeps the file's own fields in VS Code metadata. */
const M = 'mktnb';

function pickUnknown(o: Record<string, unknown>, known: Set<string>): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!known.has(k)) extra[k] = v;
  return Object.keys(extra).length ? extra : undefined;
}

export function fileToNotebookData(nb: MktnbFile): vscode.NotebookData {
  const cells = nb.cells.map((c) => {
    const kind = c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
    const cell = new vscode.NotebookCellData(
      kind,
      fromSourceLines(c.source),
      c.language || (kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'typescript'),
    );
    cell.metadata = { ...(c.metadata ?? {}) };
    const extra = pickUnknown(c, KNOWN_CELL);
    // markdown cells from a file: raw HTML in them is shown as text (renderers/markdown.ts)
    if (extra || kind === vscode.NotebookCellKind.Markup)
      cell.metadata[M] = {
        ...(extra ? { extra } : {}),
        ...(kind === vscode.NotebookCellKind.Markup ? { inertHtml: true } : {}),
      };
    cell.outputs = (c.outputs ?? []).map((o) => {
      const metadata: Record<string, unknown> = { ...(o.metadata ?? {}) };
      const oextra = pickUnknown(o, KNOWN_OUTPUT);
      // Only allowlisted mimes reach VS Code as they are; errors are re-created as inert text and
      // anything else becomes a text note (src/format/items.ts). The stored items are kept aside
      // and written back unchanged on save.
      const shown = storedOutputForDisplay(o.items);
      const held = shown.rewritten;
      const items = shown.items.map((it) => new vscode.NotebookCellOutputItem(itemToBytes(it), it.mime));
      if (o.kind || oextra || held)
        metadata[M] = { kind: o.kind, extra: oextra, ...(held ? { heldItems: o.items } : {}) };
      return new vscode.NotebookCellOutput(items, metadata);
    });
    if (c.execution && kind === vscode.NotebookCellKind.Code) {
      cell.executionSummary = {
        executionOrder: c.execution.order,
        success: c.execution.success,
        timing: c.execution.durationMs !== undefined ? { startTime: 0, endTime: c.execution.durationMs } : undefined,
      };
    }
    return cell;
  });
  const data = new vscode.NotebookData(cells);
  data.metadata = { ...(nb.metadata ?? {}) };
  const extra = pickUnknown(nb, KNOWN_TOP);
  data.metadata[M] = { version: nb.version, ...(extra ? { extra } : {}) };
  return data;
}

/** Converts VS Code's notebook data (or a live document's cells) into the file model. */
export function notebookDataToFile(data: {
  metadata?: Record<string, unknown>;
  cells: ReadonlyArray<CellLike>;
}): MktnbFile {
  const meta = { ...(data.metadata ?? {}) };
  const own = meta[M] as { version?: string; extra?: Record<string, unknown> } | undefined;
  delete meta[M];
  const cells: MktnbCell[] = data.cells.map((c) => {
    const markdown = c.kind === vscode.NotebookCellKind.Markup;
    const cmeta = { ...(c.metadata ?? {}) };
    const cown = cmeta[M] as { extra?: Record<string, unknown> } | undefined;
    delete cmeta[M];
    const cell: MktnbCell = {
      ...(cown?.extra ?? {}),
      kind: markdown ? 'markdown' : 'code',
      language: c.languageId,
      source: toSourceLines(c.value),
      metadata: cmeta,
    };
    if (!markdown) {
      const outputs: MktnbOutput[] = (c.outputs ?? []).map((o) => {
        const ometa = { ...(o.metadata ?? {}) };
        const oown = ometa[M] as
          { kind?: string; extra?: Record<string, unknown>; heldItems?: MktnbOutput['items'] } | undefined;
        delete ometa[M];
        const items = oown?.heldItems ?? o.items.map((it) => itemFromBytes(it.mime, it.data));
        const out: MktnbOutput = { ...(oown?.extra ?? {}), items };
        if (oown?.kind) out.kind = oown.kind;
        if (Object.keys(ometa).length) out.metadata = ometa;
        return out;
      });
      if (outputs.length) cell.outputs = outputs;
      const s = c.executionSummary;
      if (s && (s.executionOrder !== undefined || s.success !== undefined)) {
        cell.execution = {
          order: s.executionOrder,
          success: s.success,
          durationMs: s.timing ? Math.round(s.timing.endTime - s.timing.startTime) : undefined,
        };
      }
    }
    return cell;
  });
  return { ...(own?.extra ?? {}), format: FORMAT_NAME, version: own?.version ?? FORMAT_VERSION, metadata: meta, cells };
}

export interface CellLike {
  kind: vscode.NotebookCellKind;
  value: string;
  languageId: string;
  metadata?: Record<string, unknown>;
  outputs?: ReadonlyArray<vscode.NotebookCellOutput>;
  executionSummary?: vscode.NotebookCellExecutionSummary;
}

/** Live document cells as CellLike (for export). */
export function documentCells(doc: vscode.NotebookDocument): CellLike[] {
  return doc.getCells().map((c) => ({
    kind: c.kind,
    value: c.document.getText(),
    languageId: c.document.languageId,
    metadata: c.metadata,
    outputs: c.outputs,
    executionSummary: c.executionSummary,
  }));
}

export class MktnbSerializer implements vscode.NotebookSerializer {
  async deserializeNotebook(content: Uint8Array): Promise<vscode.NotebookData> {
    try {
      const text = decodeNotebookBytes(content, 'this notebook');
      return fileToNotebookData(parseNotebook(text, 'this notebook'));
    } catch (e) {
      if (e instanceof NotebookFormatError) {
        // VS Code does not tell a serializer which file it reads; find it among the open tabs so
        // the message can name it. Throwing makes VS Code show the error instead of an empty
        // notebook, so the file is never overwritten.
        const uri = await findTabFor(content);
        const name = uri ? vscode.workspace.asRelativePath(uri) : 'this notebook';
        const msg = e.message.replace(/^this notebook/, name);
        void vscode.window.showErrorMessage(`Market Notebooks could not open ${name}: ${msg.slice(name.length + 2)}`);
        throw new Error(msg);
      }
      throw e;
    }
  }

  async serializeNotebook(data: vscode.NotebookData): Promise<Uint8Array> {
    const saveOutputs = vscode.workspace.getConfiguration('marketNotebooks').get<boolean>('saveOutputs', true);
    const cells: CellLike[] = data.cells.map((c) => ({
      kind: c.kind,
      value: c.value,
      languageId: c.languageId,
      metadata: c.metadata,
      outputs: c.outputs,
      executionSummary: c.executionSummary,
    }));
    return new TextEncoder().encode(
      serializeNotebook(notebookDataToFile({ metadata: data.metadata, cells }), { saveOutputs }),
    );
  }
}

async function findTabFor(content: Uint8Array): Promise<vscode.Uri | undefined> {
  const candidates: vscode.Uri[] = [];
  for (const g of vscode.window.tabGroups.all)
    for (const t of g.tabs) {
      if (t.input instanceof vscode.TabInputNotebook && t.input.notebookType === NOTEBOOK_TYPE)
        candidates.push(t.input.uri);
    }
  for (const uri of candidates) {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.length === content.length && bytes.every((b, i) => b === content[i])) return uri;
    } catch {
      /* not readable: not the one */
    }
  }
  return undefined;
}
