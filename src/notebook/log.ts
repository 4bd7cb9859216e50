/**
 * The extension's one output channel, "Market Notebooks" (a log channel: levels, timestamps):
 * kernel starts and ends, saved-as moves, refused renderer messages. Every adapter logs through
 * extensionLog(); a second createOutputChannel anywhere in src/ is a lint error (eslint.config.mjs),
 * so the Output view never lists two channels of the same name.
 */
import * as vscode from 'vscode';

/** The channel's name, as the Output view lists it. */
export const OUTPUT_CHANNEL_NAME = 'Market Notebooks';

let channel: vscode.LogOutputChannel | undefined;

/** The channel, created on the first call and disposed with the extension (`context`'s subscriptions). */
export function extensionLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  if (channel) return channel;
  const c = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  channel = c;
  context.subscriptions.push({
    dispose: () => {
      c.dispose();
      if (channel === c) channel = undefined;
    },
  });
  return c;
}
