/**
 * Command-palette quick analyses: ask through quick picks which series (price files in the
 * workspace, recognised by their header, plus the bundled samples), window, method and dates;
 * check the choice with the analysis library itself (so a file without a date column, or too
 * little overlap for the window, gets a clear message before anything runs); then open a new
 * untitled notebook of readable cells and run it with progress that can be cancelled.
 * The VS Code side only: what the choices need, loading and checking them, and the cells they
 * make live in src/quick (no vscode, unit-tested).
 *
 * (Over 300 lines on purpose: most of it is one dialog, quickAnalysis, a sequence of quick picks in
 * which each step's choices depend on the ones before; the rest is done in src/quick already.)
 */
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CASCADE_BOOK_DAYS,
  datePresets,
  generateCells,
  QUICK_TITLES,
  shiftDate,
  type QuickChoices,
  type QuickKind,
  type QuickSeries,
} from '../quick/cells';
import { identifier } from '../quick/names';
import { codeCell, markdownCell, openNewNotebook } from './commands';
import { CONTROLLER_ID } from './controller';
import { loadChosen, looksLikePriceFile, quickNeeds, sharedRange, unionRange, validateChoice } from '../quick/choices';
// Only the core types: the extension host does not need the rest of the library.
import { Frame } from '../market/series';

interface PriceFile {
  label: string;
  uri: vscode.Uri;
  description: string;
  bundled: boolean;
}

const STATE_KEY = 'mktnb.quick.last';
interface Remembered {
  files?: string[];
  window?: number;
  method?: 'pearson' | 'spearman';
  range?: string;
  on?: 'returns' | 'levels';
  maxLag?: number;
}

export function registerQuickAnalyses(context: vscode.ExtensionContext): void {
  const kinds: Array<[string, QuickKind]> = [
    ['mktnb.quick.correlation', 'correlation'],
    ['mktnb.quick.rollingCorrelation', 'rolling'],
    ['mktnb.quick.beta', 'beta'],
    ['mktnb.quick.leadLag', 'leadlag'],
    ['mktnb.quick.drawdowns', 'drawdown'],
    ['mktnb.quick.cascade', 'cascade'],
  ];
  for (const [id, kind] of kinds) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, () => quickAnalysis(context, kind).catch(showError)),
    );
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('mktnb.analyzeFile', (uri?: vscode.Uri) =>
      quickAnalysis(context, 'analyze', uri).catch(showError),
    ),
  );
}

function showError(e: unknown): void {
  void vscode.window.showErrorMessage(`Market Notebooks: ${(e as Error).message ?? e}`);
}

async function findPriceFiles(context: vscode.ExtensionContext): Promise<PriceFile[]> {
  const out: PriceFile[] = [];
  const found = await vscode.workspace.findFiles(
    '**/*.{csv,json,parquet}',
    '{**/node_modules/**,**/.git/**,**/.vscode-test/**,**/dist/**}',
    500,
  );
  const bundledDir = vscode.Uri.joinPath(context.extensionUri, 'samples', 'data');
  let bundled: vscode.Uri[] = [];
  try {
    bundled = (await vscode.workspace.fs.readDirectory(bundledDir))
      .filter(([n]) => n.endsWith('.csv'))
      .map(([n]) => vscode.Uri.joinPath(bundledDir, n));
  } catch {
    /* none */
  }
  const seen = new Set<string>();
  for (const uri of [...found, ...bundled]) {
    if (seen.has(uri.fsPath)) continue;
    seen.add(uri.fsPath);
    const isBundled = uri.fsPath.startsWith(bundledDir.fsPath);
    if (!(await isPriceFile(uri))) continue;
    out.push({
      label: path.basename(uri.fsPath),
      uri,
      bundled: isBundled,
      description: isBundled ? 'bundled sample data' : vscode.workspace.asRelativePath(uri),
    });
  }
  return out.sort((a, b) => Number(a.bundled) - Number(b.bundled) || a.label.localeCompare(b.label));
}

async function isPriceFile(uri: vscode.Uri): Promise<boolean> {
  try {
    // a Parquet file is listed as such: its columns are checked when it is chosen (validateChoice loads it)
    if (/\.parquet$/i.test(uri.fsPath)) return (await vscode.workspace.fs.stat(uri)).size > 12;
    const bytes = await vscode.workspace.fs.readFile(uri);
    return looksLikePriceFile(uri.fsPath, new TextDecoder().decode(bytes.subarray(0, 4096)));
  } catch {
    return false;
  }
}

async function quickAnalysis(context: vscode.ExtensionContext, kind: QuickKind, fileArg?: vscode.Uri): Promise<void> {
  const title = kind === 'analyze' ? 'Analyze Price File' : `Quick Analysis: ${QUICK_TITLES[kind]}`;
  const last = context.globalState.get<Remembered>(STATE_KEY) ?? {};
  const need = quickNeeds(kind);

  // 1. Series
  let chosen: PriceFile[];
  if (fileArg) {
    chosen = [{ label: path.basename(fileArg.fsPath), uri: fileArg, bundled: false, description: '' }];
  } else {
    const files = await findPriceFiles(context);
    if (!files.length)
      throw new Error(
        'no price files found: the workspace has no .csv/.json file with a date column nor a .parquet file, and the bundled samples are missing.',
      );
    chosen = [];
    const count = need.count === 'many' ? 1 : need.count;
    for (let i = 0; i < count; i++) {
      const role =
        count === 1
          ? 'Series'
          : i === 0
            ? kind === 'beta'
              ? 'Asset (y)'
              : 'First series'
            : kind === 'beta'
              ? 'Benchmark (x)'
              : 'Second series';
      const items = files
        .filter((f) => !chosen.includes(f))
        .map((f) => ({ ...f, picked: last.files?.[i] === f.uri.toString() }));
      items.sort((a, b) => Number(b.picked) - Number(a.picked));
      // no "(1/2)": more prompts (method, window, dates) follow, so a count would mislead
      const pick = await vscode.window.showQuickPick(items, {
        title: `${title}: ${role.toLowerCase()}`,
        placeHolder: role,
        matchOnDescription: true,
      });
      if (!pick) return;
      chosen.push(pick);
    }
    if (need.count === 'many') {
      const more = await vscode.window.showQuickPick(
        files
          .filter((f) => !chosen.includes(f))
          .map((f) => ({ ...f, picked: !!last.files?.includes(f.uri.toString()) })),
        {
          title: `${title}: more series (optional)`,
          placeHolder: 'Add series to compare, or press Enter',
          canPickMany: true,
        },
      );
      if (!more) return;
      chosen.push(...more);
    }
  }

  // 2. Parameters
  const choices: Partial<QuickChoices> = {};
  if (need.on) {
    const items = [
      { label: 'Daily log returns', value: 'returns' as const, detail: 'co-movement day to day (recommended)' },
      { label: 'Price levels', value: 'levels' as const, detail: 'shared trends dominate: often misleading' },
    ];
    if (last.on === 'levels') items.reverse();
    const p = await vscode.window.showQuickPick(items, { title, placeHolder: 'Correlate what?' });
    if (!p) return;
    choices.on = p.value;
  }
  if (need.method) {
    const items = [
      { label: 'pearson', detail: 'linear correlation' },
      { label: 'spearman', detail: 'rank correlation: robust to outliers' },
    ];
    if (last.method === 'spearman') items.reverse();
    const p = await vscode.window.showQuickPick(items, { title, placeHolder: 'Method' });
    if (!p) return;
    choices.method = p.label as 'pearson' | 'spearman';
  }
  if (need.window) {
    const def = kind === 'beta' ? 63 : 30;
    const options = [30, 63, 90, 252].map((w) => ({
      label: String(w),
      description:
        w === 30
          ? 'about a month'
          : w === 63
            ? 'a quarter of trading days'
            : w === 90
              ? 'three months (crypto days)'
              : 'a trading year',
    }));
    const lastW = String(last.window ?? def);
    options.sort((a, b) => Number(b.label === lastW) - Number(a.label === lastW));
    const p = await vscode.window.showQuickPick([...options, { label: 'Other…', description: 'type a window' }], {
      title,
      placeHolder: 'Rolling window (observations)',
    });
    if (!p) return;
    let w = Number(p.label);
    if (p.label === 'Other…') {
      const s = await vscode.window.showInputBox({
        title,
        prompt: 'Rolling window in observations (an integer of 2 or more)',
        value: lastW,
        validateInput: (v) => (/^\d+$/.test(v.trim()) && +v >= 2 ? undefined : 'an integer of 2 or more'),
      });
      if (!s) return;
      w = Number(s);
    }
    choices.window = w;
  }
  if (need.lag) {
    const s = await vscode.window.showInputBox({
      title,
      prompt: 'Largest lead/lag in days',
      value: String(last.maxLag ?? 10),
      validateInput: (v) => (/^\d+$/.test(v.trim()) && +v >= 1 && +v <= 120 ? undefined : 'an integer from 1 to 120'),
    });
    if (!s) return;
    choices.maxLag = Number(s);
  }
  // Dates: presets from the chosen files' own range (the dates they share, for pairs), plus custom.
  const loaded = loadChosen(
    chosen.map((f) => ({ label: f.label, path: f.uri.fsPath })),
    vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(),
  );
  const range = kind === 'drawdown' ? unionRange(loaded) : sharedRange(loaded, chosen);
  if (kind === 'cascade') {
    const v = loaded[0].raw;
    if (!(v instanceof Frame) || !v.names.includes('high') || !v.names.includes('low'))
      throw new Error(`${chosen[0].label} has no high and low columns: a cascade replay needs daily OHLC prices.`);
    if (shiftDate(range.first, CASCADE_BOOK_DAYS) >= range.last)
      throw new Error(
        `${chosen[0].label} runs ${range.first} .. ${range.last}: a cascade replay needs more than ${CASCADE_BOOK_DAYS} days (they build the position book) before the days it replays.`,
      );
  }
  const presets = datePresets(
    kind === 'cascade' ? { first: shiftDate(range.first, CASCADE_BOOK_DAYS), last: range.last } : range,
  );
  if (kind === 'cascade')
    presets[0] = {
      label: 'All dates',
      description: `${shiftDate(range.first, CASCADE_BOOK_DAYS)} .. ${range.last} (the first ${CASCADE_BOOK_DAYS} days build the position book)`,
    };
  const rangeItems = [
    ...presets.map((p) => ({ ...p })),
    { label: 'Custom…', description: `any dates within ${range.first} .. ${range.last}` } as {
      label: string;
      from?: string;
      to?: string;
      description?: string;
    },
  ];
  rangeItems.sort((a, b) => Number(b.label === last.range) - Number(a.label === last.range));
  const r = await vscode.window.showQuickPick(rangeItems, {
    title,
    placeHolder: `Dates (the data: ${range.first} .. ${range.last})`,
  });
  if (!r) return;
  if (r.label === 'Custom…') {
    const isDate = (v: string) => {
      const t = v.trim();
      if (t === '') return undefined;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(t) || Number.isNaN(Date.parse(t))) return 'a date as YYYY-MM-DD, or empty';
      return t < range.first || t > range.last ? `the data runs ${range.first} .. ${range.last}` : undefined;
    };
    const from = await vscode.window.showInputBox({
      title,
      prompt: `First date (YYYY-MM-DD, empty for the start: ${range.first})`,
      value: range.first,
      validateInput: isDate,
    });
    if (from === undefined) return;
    const to = await vscode.window.showInputBox({
      title,
      prompt: `Last date (YYYY-MM-DD, empty for the end: ${range.last})`,
      value: range.last,
      validateInput: (v) =>
        isDate(v) ?? (v.trim() && from.trim() && v.trim() < from.trim() ? `on or after ${from.trim()}` : undefined),
    });
    if (to === undefined) return;
    choices.from = from.trim() && from.trim() !== range.first ? from.trim() : undefined;
    choices.to = to.trim() && to.trim() !== range.last ? to.trim() : undefined;
  } else {
    choices.from = r.from;
    choices.to = r.to;
    // the cascade's "All dates" replays everything after the book's 90 days (its default is the last 45 days)
    if (kind === 'cascade' && r.label === 'All dates') choices.from = shiftDate(range.first, CASCADE_BOOK_DAYS);
  }
  choices.dataRange = range;

  await context.globalState.update(STATE_KEY, {
    files: chosen.map((f) => f.uri.toString()),
    window: choices.window ?? last.window,
    method: choices.method ?? last.method,
    range: r.label,
    on: choices.on ?? last.on,
    maxLag: choices.maxLag ?? last.maxLag,
  } satisfies Remembered);

  // 3. Check the choice with the library itself, then generate and run.
  const taken = new Set<string>();
  const series: QuickSeries[] = chosen.map((f) => ({
    name: identifier(f.label.replace(/\.(csv|json|parquet)$/i, ''), taken),
    path: pathForCode(f.uri),
  }));
  const full: QuickChoices = { kind, series, ...choices };
  validateChoice(full, chosen, loaded);

  const cells = generateCells(full).map((c) => (c.kind === 'markdown' ? markdownCell(c.source) : codeCell(c.source)));
  const editor = await openNewNotebook(cells);
  await runWithProgress(editor, title);
}

/** Paths inside the workspace are written relative to it (an untitled notebook's folder); others absolute. */
function pathForCode(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/') : uri.fsPath;
}

async function runWithProgress(editor: vscode.NotebookEditor, title: string): Promise<void> {
  await vscode.commands.executeCommand('notebook.selectKernel', {
    notebookEditor: editor,
    id: CONTROLLER_ID,
    extension: 'market-notebooks.market-notebooks',
  });
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${title}: running`, cancellable: true },
    async (_p, token) => {
      const sub = token.onCancellationRequested(
        () => void vscode.commands.executeCommand('notebook.cancelExecution', editor.notebook.uri),
      );
      try {
        await vscode.commands.executeCommand('notebook.execute', editor.notebook.uri);
      } finally {
        sub.dispose();
      }
    },
  );
}
