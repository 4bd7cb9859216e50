/**
 * What a Jupyter user looks for around a running notebook:
 *  - a Variables view (name, type, shape, one-line summary of every name the cells declared),
 *    fed by a `variables` request to the kernel. VS Code 1.100's own "Notebook: Variables" view
 *    is fed through NotebookController.variableProvider, which is a proposed API there
 *    (notebookVariableProvider) that a published extension cannot use, so the extension
 *    contributes its own tree view in the panel;
 *  - a kernel status item in the status bar (not started, starting, idle, busy).
 */
import * as vscode from 'vscode';
import type { KernelState, MarketController } from './controller';
import { NOTEBOOK_TYPE } from './controller';
import type { VariableInfo } from '../kernel/protocol';

export const VARIABLES_VIEW = 'mktnb.variables';

const activeNotebook = (): vscode.NotebookDocument | undefined => {
  const nb = vscode.window.activeNotebookEditor?.notebook;
  return nb?.notebookType === NOTEBOOK_TYPE ? nb : undefined;
};

/** The text of a variable's row: type and shape, then the summary ("Series 731 · BTC-USD, …"). */
export function variableDescription(v: VariableInfo): string {
  const head = v.shape ? `${v.type} ${v.shape}` : v.type;
  return v.summary ? `${head} · ${v.summary}` : head;
}

class VariablesProvider implements vscode.TreeDataProvider<VariableInfo> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  items: VariableInfo[] = [];
  view?: vscode.TreeView<VariableInfo>;
  private seq = 0;

  constructor(private readonly controller: MarketController) {}

  async refresh(): Promise<void> {
    const my = ++this.seq;
    const nb = activeNotebook();
    const state = nb ? this.controller.state(nb) : 'none';
    let items: VariableInfo[] | undefined = [];
    let message: string | undefined;
    if (!nb) message = 'Open a Market Notebook to see its variables.';
    else if (state === 'none' || state === 'starting') message = 'Run a cell: the names it declares appear here.';
    else {
      items = await this.controller.variables(nb);
      if (items === undefined) {
        if (my === this.seq)
          this.view && (this.view.message = 'The kernel is busy; the list updates when the cell ends.');
        return;
      }
      if (!items.length) message = 'No variables yet: names a cell declares at its top level appear here.';
    }
    if (my !== this.seq) return;
    this.items = items;
    if (this.view) {
      this.view.message = message;
      this.view.description = nb ? (nb.isUntitled ? nb.uri.path : vscode.workspace.asRelativePath(nb.uri)) : undefined;
    }
    this.changed.fire();
  }

  getChildren(el?: VariableInfo): VariableInfo[] {
    return el ? [] : this.items;
  }

  getTreeItem(v: VariableInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(v.name, vscode.TreeItemCollapsibleState.None);
    item.description = variableDescription(v);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${v.name}**: \`${v.type}\`${v.shape ? ` (${v.shape})` : ''}\n\n`);
    md.appendText(v.summary);
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(
      v.type === 'function'
        ? 'symbol-method'
        : v.type === 'class'
          ? 'symbol-class'
          : v.type === 'Series' || v.type === 'Frame'
            ? 'graph-line'
            : 'symbol-variable',
    );
    item.contextValue = 'mktnbVariable';
    return item;
  }
}

const STATUS: Record<KernelState, { text: string; tip: string }> = {
  none: { text: '$(circle-slash) Kernel: not started', tip: 'The kernel starts when a cell first runs.' },
  starting: { text: '$(loading~spin) Kernel: starting', tip: 'The kernel process is starting.' },
  idle: {
    text: '$(circle-large-outline) Kernel: idle',
    tip: 'The kernel is idle; its variables are kept until it restarts.',
  },
  busy: { text: '$(loading~spin) Kernel: busy', tip: 'A cell is running (or queued).' },
};

export function registerKernelViews(context: vscode.ExtensionContext, controller: MarketController): void {
  const provider = new VariablesProvider(controller);
  const view = vscode.window.createTreeView(VARIABLES_VIEW, { treeDataProvider: provider, showCollapseAll: false });
  provider.view = view;

  const status = vscode.window.createStatusBarItem('mktnb.kernelStatus', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Market Notebooks Kernel';
  status.command = 'mktnb.showVariables';
  const update = () => {
    const nb = activeNotebook();
    if (!nb) {
      status.hide();
      return;
    }
    const st = STATUS[controller.state(nb)];
    status.text = st.text;
    status.tooltip = `Market Notebooks kernel of ${nb.isUntitled ? nb.uri.path : vscode.workspace.asRelativePath(nb.uri)}: ${st.tip} Click to show its variables.`;
    status.accessibilityInformation = { label: st.text.replace(/\$\([^)]*\)\s*/, '') };
    status.show();
  };

  let pending: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      if (view.visible) void provider.refresh();
    }, 50);
  };
  context.subscriptions.push(
    view,
    status,
    { dispose: () => clearTimeout(pending) },
    controller.onDidChangeKernel(() => {
      update();
      refreshSoon();
    }),
    vscode.window.onDidChangeActiveNotebookEditor(() => {
      update();
      refreshSoon();
    }),
    view.onDidChangeVisibility((e) => {
      if (e.visible) void provider.refresh();
    }),
    vscode.commands.registerCommand('mktnb.showVariables', async () => {
      await vscode.commands.executeCommand(`${VARIABLES_VIEW}.focus`);
      await provider.refresh();
    }),
    vscode.commands.registerCommand('mktnb.refreshVariables', () => provider.refresh()),
  );
  update();
}
