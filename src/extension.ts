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
  registerRendererMessaging(context);
  registerQuickAnalyses(context);
  registerCellOrder(context);
  registerCellDiagnostics(context);
  registerKernelViews(context, controller);
  runExtensionHostSuiteIfAsked();
}

export function deactivate(): void { /* subscriptions dispose the kernels */ }

/**
 * Test hook (see docs/testing.md): when MKTNB_EXTHOST_SUITE names a bundled mocha suite, run it
 * inside this extension host and write its result to MKTNB_EXTHOST_RESULT. Used to run the
 * in-extension-host suite inside code-server, where --extensionTestsPath is not wired through.
 * The suite itself is never part of the published package.
 */
function runExtensionHostSuiteIfAsked(): void {
  const suite = process.env.MKTNB_EXTHOST_SUITE;
  const out = process.env.MKTNB_EXTHOST_RESULT;
  if (!suite || !out) return;
  const fs = require('fs') as typeof import('fs');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(suite) as { run(): Promise<unknown> };
  mod.run().then(
    (r) => fs.writeFileSync(out, JSON.stringify(r)),
    (e) => fs.writeFileSync(out, JSON.stringify({ passed: 0, failed: 1, failures: [String(e?.stack ?? e)] })),
  );
}
