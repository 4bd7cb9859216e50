/**
 * Named connections in VS Code (docs/data.md, "Connections"): the command "Market Notebooks: Add
 * Connection…" writes one to the notebook's metadata (never its password), the kernel gets the
 * notebook's connections with the credentials found for them, and the status bar shows which
 * connection the selected SQL cell runs on.
 *
 * Credentials: the environment variable the connection names (passwordEnv, default
 * MKTNB_<NAME>_PASSWORD) wins; else VS Code's SecretStorage, filled by asking once per connection
 * (name, URL and user: a notebook that points the name elsewhere asks again).
 */
import * as vscode from 'vscode';
import { KERNEL_ENV } from '../kernel/protocol';
import { connectionsJson, notebookConnections, passwordEnvName, type ConnectionSpec } from '../shared/connections';
import { sqlConnection } from '../shared/sqlcell';
import { activeMarketNotebook } from './commands';
import type { MarketController } from './controller';
import { NOTEBOOK_TYPE } from './controller';

const secretKey = (c: ConnectionSpec): string => `mktnb.connection:${c.name}|${c.url ?? ''}|${c.user ?? 'default'}`;
/** connections whose password prompt the user dismissed in this window: not asked again until reload */
const declined = new Set<string>();

function settings(nb: vscode.NotebookDocument): { maxRows: number; timeoutSeconds: number } {
  const config = vscode.workspace.getConfiguration('marketNotebooks', nb.uri);
  return {
    maxRows: config.get<number>('sql.maxResultRows', 10_000_000),
    timeoutSeconds: config.get<number>('sql.timeoutSeconds', 300),
  };
}

/** Asks for a connection's password (once; kept in SecretStorage), unless its environment variable has it. */
async function passwordFor(
  context: vscode.ExtensionContext,
  c: ConnectionSpec,
  ask: boolean,
): Promise<string | undefined> {
  const key = secretKey(c);
  const kept = await context.secrets.get(key);
  if (kept !== undefined || !ask || declined.has(key)) return kept;
  const pw = await vscode.window.showInputBox({
    title: `Password for the ClickHouse connection "${c.name}"`,
    prompt:
      `User "${c.user ?? 'default'}" at ${c.url}. Kept in VS Code's SecretStorage on this machine, never in the notebook. ` +
      `(To use an environment variable instead, set ${passwordEnvName(c)}; leave empty for a user without a password.)`,
    password: true,
    ignoreFocusOut: true,
  });
  if (pw === undefined) {
    declined.add(key);
    return undefined;
  }
  await context.secrets.store(key, pw);
  return pw;
}

/**
 * The kernel's environment entry for the notebook's connections (empty without any), asking for a
 * password the environment does not have. A bad metadata.connections is reported and left out.
 */
export async function kernelConnectionEnv(
  context: vscode.ExtensionContext,
  nb: vscode.NotebookDocument,
): Promise<Record<string, string>> {
  let specs: ConnectionSpec[];
  try {
    specs = notebookConnections(nb.metadata);
  } catch (e) {
    void vscode.window.showErrorMessage(
      `Market Notebooks: ${(e as Error).message} (in ${vscode.workspace.asRelativePath(nb.uri)}); SQL cells run without its connections.`,
    );
    return {};
  }
  if (!specs.length) return {};
  const extra: Record<string, { password: string; source: string }> = {};
  for (const c of specs) {
    if (c.engine !== 'clickhouse' || process.env[passwordEnvName(c)] !== undefined) continue;
    const pw = await passwordFor(context, c, true);
    if (pw !== undefined) extra[c.name] = { password: pw, source: "VS Code's SecretStorage" };
  }
  return { [KERNEL_ENV.connections]: connectionsJson(specs, process.env, settings(nb), extra) };
}

async function input(
  title: string,
  prompt: string,
  value = '',
  validate?: (s: string) => string | undefined,
): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    ...(validate ? { validateInput: validate } : {}),
  });
}

/** The command's steps: name, engine, URL, database, user, where the password comes from. */
async function askConnection(
  nb: vscode.NotebookDocument,
  context: vscode.ExtensionContext,
): Promise<ConnectionSpec | undefined> {
  const title = 'Add Connection';
  const existing = notebookConnections(nb.metadata);
  const name = await input(
    title,
    'Name the SQL cells use ("-- on desk") and TypeScript cells too (sql.on(\'desk\')`…`)',
    existing.length ? '' : 'desk',
    (s) =>
      /^[A-Za-z_$][\w$]*$/.test(s.trim()) ? undefined : 'a name is letters, digits, _ or $, not starting with a digit',
  );
  if (name === undefined) return undefined;
  const engine = await vscode.window.showQuickPick(
    [
      {
        label: 'ClickHouse',
        description: 'a server (its HTTP interface, port 8123 by default)',
        engine: 'clickhouse' as const,
      },
      { label: 'DuckDB', description: "a .duckdb file beside the kernel's own database", engine: 'duckdb' as const },
    ],
    { title, placeHolder: 'Engine' },
  );
  if (!engine) return undefined;
  const spec: ConnectionSpec = { name: name.trim(), engine: engine.engine };
  if (engine.engine === 'duckdb') {
    const db = await input(
      title,
      "The .duckdb file, relative to the notebook's folder (created when missing); empty: in memory",
      'data/research.duckdb',
    );
    if (db === undefined) return undefined;
    if (db.trim()) spec.database = db.trim();
    return spec;
  }
  const url = await input(title, "The server's HTTP address", 'http://localhost:8123', (s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:'
        ? u.username || u.password
          ? 'no credentials in the URL: the notebook is shared'
          : undefined
        : 'http:// or https://';
    } catch {
      return 'not a URL';
    }
  });
  if (url === undefined) return undefined;
  spec.url = url.trim();
  const database = await input(title, "Database (empty: the user's default)", 'default');
  if (database === undefined) return undefined;
  if (database.trim()) spec.database = database.trim();
  const user = await input(title, 'User', 'default');
  if (user === undefined) return undefined;
  if (user.trim() && user.trim() !== 'default') spec.user = user.trim();
  const envName = passwordEnvName(spec);
  const how = await vscode.window.showQuickPick(
    [
      { label: "Ask me now, keep it in VS Code's SecretStorage", how: 'secret' as const },
      {
        label: `From an environment variable (${envName} or another MKTNB_… name)`,
        description: 'also what `mktnb run` reads',
        how: 'env' as const,
      },
    ],
    { title, placeHolder: 'The password (never written to the notebook)' },
  );
  if (!how) return undefined;
  if (how.how === 'env') {
    const v = await input(title, 'Environment variable holding the password (must start with MKTNB_)', envName, (s) =>
      /^MKTNB_[A-Za-z0-9_]+$/.test(s.trim()) ? undefined : 'a name starting with MKTNB_',
    );
    if (v === undefined) return undefined;
    if (v.trim() !== envName) spec.passwordEnv = v.trim();
  } else {
    await context.secrets.delete(secretKey(spec));
    declined.delete(secretKey(spec));
    if ((await passwordFor(context, spec, true)) === undefined) return undefined;
  }
  return spec;
}

/** The connection the selected cell of the active notebook runs on, when it is a SQL cell. */
function cellConnection(): { text: string; tooltip: string } | undefined {
  const editor = vscode.window.activeNotebookEditor;
  if (editor?.notebook.notebookType !== NOTEBOOK_TYPE || editor.notebook.cellCount === 0) return undefined;
  const cell = editor.notebook.cellAt(editor.selection.start);
  if (!cell || cell.kind !== vscode.NotebookCellKind.Code || cell.document.languageId !== 'sql') return undefined;
  const on = sqlConnection(cell.document.getText());
  if (!on)
    return {
      text: '$(database) DuckDB (kernel)',
      tooltip:
        'This SQL cell runs on the kernel\'s DuckDB database. A first line "-- on NAME" runs it on a named connection.',
    };
  let specs: ConnectionSpec[] = [];
  try {
    specs = notebookConnections(editor.notebook.metadata);
  } catch {
    /* reported when the kernel starts */
  }
  const spec = specs.find((s) => s.name === on.name);
  if (!spec)
    return {
      text: `$(warning) ${on.name}: no such connection`,
      tooltip: `The notebook has no connection "${on.name}". Run "Market Notebooks: Add Connection…".`,
    };
  return {
    text: `$(database) ${spec.name} (${spec.engine === 'clickhouse' ? 'ClickHouse' : 'DuckDB'})`,
    tooltip:
      spec.engine === 'clickhouse'
        ? `ClickHouse at ${spec.url}, database ${spec.database ?? 'default'}, user ${spec.user ?? 'default'}`
        : `DuckDB ${spec.database ?? 'in memory'}`,
  };
}

/** Registers the Add Connection command and the status bar item of the selected SQL cell's connection. */
export function registerConnections(context: vscode.ExtensionContext, controller: MarketController): void {
  const item = vscode.window.createStatusBarItem('mktnb.connection', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Market Notebooks: SQL connection';
  item.command = 'mktnb.addConnection';
  const update = (): void => {
    const c = cellConnection();
    if (!c) {
      item.hide();
      return;
    }
    item.text = c.text;
    item.tooltip = c.tooltip;
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveNotebookEditor(update),
    vscode.window.onDidChangeNotebookEditorSelection(update),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.languageId === 'sql') update();
    }),
    vscode.workspace.onDidChangeNotebookDocument(update),
    vscode.commands.registerCommand('mktnb.addConnection', async () => {
      const nb = activeMarketNotebook();
      if (!nb) {
        void vscode.window.showInformationMessage('Open a Market Notebook to add a connection to it.');
        return;
      }
      let spec: ConnectionSpec | undefined;
      try {
        spec = await askConnection(nb, context);
      } catch (e) {
        void vscode.window.showErrorMessage(`Market Notebooks: ${(e as Error).message}`);
        return;
      }
      if (!spec) return;
      const list = notebookConnections(nb.metadata).filter((c) => c.name !== spec!.name);
      const edit = new vscode.WorkspaceEdit();
      edit.set(nb.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...nb.metadata, connections: [...list, spec] })]);
      await vscode.workspace.applyEdit(edit);
      await controller.connectionsChanged(nb);
      update();
      void vscode.window.setStatusBarMessage(
        `Market Notebooks: connection "${spec.name}" added; SQL cells use it with a first line "-- on ${spec.name}"`,
        6000,
      );
    }),
  );
  update();
}
