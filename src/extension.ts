/**
 * Activation wires the pieces together and does nothing heavy: the kernel process starts only
 * when a cell first runs.
 */
import * as vscode from 'vscode';
import { MarketController, NOTEBOOK_TYPE } from './notebook/controller';
import { MktnbSerializer } from './notebook/serializer';
import { registerCommands } from './notebook/commands';
import { registerRendererMessaging } from './notebook/rendererMessaging';
import { registerQuickAnalyses } from './notebook/quick';
import { registerCellOrder } from './notebook/intellisense';
import { registerCellDiagnostics } from './notebook/diagnostics';
import { registerKernelViews } from './notebook/kernelViews';
import { registerConnections } from './notebook/connections';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new MktnbSerializer(), {
      transientOutputs: false,
      transientDocumentMetadata: {},
    }),
  );
  const controller = new MarketController(context);
  context.subscriptions.push(controller);
  registerCommands(context, controller);
  registerRendererMessaging(context, controller);
  registerQuickAnalyses(context);
  registerCellOrder(context);
  registerCellDiagnostics(context);
  registerKernelViews(context, controller);
  registerConnections(context, controller);
}

export function deactivate(): void {
  /* subscriptions dispose the kernels */
}
