/**
 * What a notebook's kernel starts with, from the notebook and the settings: its folder (an
 * untitled notebook's is the workspace's), heap limit, the DuckDB file of its SQL cells, the
 * environment variables it may see, the size of its output cache. The controller adds the
 * kernel script and the connections' environment (src/notebook/connections.ts).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { KernelOptions } from '../kernel/client';
import { notebookDatabase } from '../kernel/protocol';

/** The kernel options of `nb` (without kernelScript and env). */
export function kernelOptions(nb: vscode.NotebookDocument): KernelOptions {
  const notebookPath = nb.uri.scheme === 'file' ? nb.uri.fsPath : undefined;
  // an untitled notebook is in no folder: its paths resolve from the (first) workspace folder,
  // as the quick analyses write them, until it is saved
  const folder = (vscode.workspace.getWorkspaceFolder(nb.uri) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath;
  const cwd = notebookPath ? path.dirname(notebookPath) : (folder ?? process.cwd());
  const config = vscode.workspace.getConfiguration('marketNotebooks', nb.uri);
  const maxOldSpaceMb = config.get<number>('kernel.memoryLimitMb', 4096);
  const database = notebookDatabase(nb.metadata) ?? (config.get<string>('sql.database', '') || undefined);
  // scope "machine": a workspace's .vscode/settings.json cannot widen what cells see
  const passEnv = config.get<string[]>('kernel.env', []).filter((n) => typeof n === 'string');
  return {
    cwd,
    notebookPath,
    maxOldSpaceMb,
    passEnv,
    database,
    outputCacheMb: config.get<number>('kernel.outputCacheMB', 1024),
  };
}
