/**
 * What the controller tells the user in notifications: why nothing runs in Restricted Mode (an
 * untrusted folder: notebooks open and show their saved outputs, no cell runs), and a kernel's
 * end that no cell output reports.
 */
import * as vscode from 'vscode';
import type { KernelExitInfo } from '../kernel/client';

let warnedAt = 0;
/** Tells the user why nothing runs in Restricted Mode (at most once a minute unless they tried to run). */
export function warnRestricted(tried: boolean): void {
  if (!tried && Date.now() - warnedAt < 60_000) return;
  warnedAt = Date.now();
  const msg = tried
    ? 'Market Notebooks runs no cells in Restricted Mode: running code from an untrusted folder could harm your machine. Saved outputs stay visible. Trust the folder to run cells.'
    : 'This folder is in Restricted Mode: the notebook shows its saved outputs, but Market Notebooks will not run its cells until you trust the folder.';
  void vscode.window.showWarningMessage(msg, 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}

/**
 * A kernel of notebook `key` ended: the processes its cells had started that were ended with it,
 * and, when no cell was running (`busy` false), a crash or out-of-memory end, which no cell's
 * output would report (a timer a cell left behind ran out of memory, say). Returns whether it was
 * such an unreported crash.
 */
export function noticeKernelExit(key: string, info: KernelExitInfo, busy: boolean): boolean {
  if (info.endedProcesses.length) {
    const n = info.endedProcesses.length;
    void vscode.window.showInformationMessage(
      `Market Notebooks: ${n} process${n === 1 ? '' : 'es'} that cells had started (pid ${info.endedProcesses.join(', ')}) ${n === 1 ? 'was' : 'were'} ended with the kernel.`,
    );
  }
  if ((info.kind !== 'oom' && info.kind !== 'crash') || busy) return false;
  const uri = vscode.Uri.parse(key);
  const name = uri.scheme === 'untitled' ? 'an untitled notebook' : vscode.workspace.asRelativePath(uri);
  void vscode.window.showWarningMessage(
    `Market Notebooks: the kernel of ${name} stopped while no cell was running: ${info.reason}`,
  );
  return true;
}
