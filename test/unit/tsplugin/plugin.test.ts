/**
 * The built plugin (node_modules/mktnb-tsserver-plugin, rebuilt here into a temp dir) on a real
 * TypeScript 5 language service whose host mimics tsserver's inferred project for notebook cells:
 * cells are open files named ^/vscode-notebook-cell/<authority>/<path>#<fragment>, with VS Code's
 * compiler options for inferred projects.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTs5 } from './ts5';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NB = '^/vscode-notebook-cell/127.0.0.1:8080/ws/study.mktnb#';
const cellOf = (fileName: string) => Number(fileName.split('#')[1][1]);
const frag = (i: number) => `W${i}sdnNjb2RlLXJlbW90ZQ==`;
const cellName = (i: number) => NB + frag(i);

// the options VS Code sends for inferred projects (compilerOptionsForInferredProjects)
const INFERRED = {
  module: 'ESNext',
  moduleResolution: 'Bundler',
  target: 'ES2022',
  jsx: 'react-jsx',
  allowImportingTsExtensions: true,
  strictNullChecks: true,
  strictFunctionTypes: true,
  sourceMap: true,
  allowJs: true,
  allowSyntheticDefaultImports: true,
  allowNonTsExtensions: true,
  resolveJsonModule: true,
};

class Host {
  files = new Map<string, { text: string; version: number }>();
  projectVersion = 0;
  constructor(
    private ts: any,
    private options: any,
  ) {}
  set(name: string, text: string) {
    const old = this.files.get(name);
    this.files.set(name, { text, version: (old?.version ?? 0) + 1 });
    this.projectVersion++;
  }
  remove(name: string) {
    this.files.delete(name);
    this.projectVersion++;
  }
  getProjectVersion() {
    return String(this.projectVersion);
  }
  getScriptFileNames() {
    return [...this.files.keys()];
  }
  getScriptVersion(f: string) {
    return String(this.files.get(f)?.version ?? (fs.existsSync(f) ? 'disk' : ''));
  }
  getScriptSnapshot(f: string) {
    const m = this.files.get(f);
    if (m) return this.ts.ScriptSnapshot.fromString(m.text);
    return fs.existsSync(f) ? this.ts.ScriptSnapshot.fromString(fs.readFileSync(f, 'utf8')) : undefined;
  }
  // tsserver takes the kind from the open request (VS Code sends "TS" for TypeScript cells)
  getScriptKind(f: string) {
    return this.files.has(f) && f.includes('#') ? this.ts.ScriptKind.TS : (this.ts.getScriptKindFromFileName?.(f) ?? 0);
  }
  getCompilationSettings() {
    return this.options;
  }
  getCurrentDirectory() {
    return '/ws';
  }
  getDefaultLibFileName(o: any) {
    return this.ts.getDefaultLibFilePath(o);
  }
  fileExists(f: string) {
    return this.files.has(f) || fs.existsSync(f);
  }
  readFile(f: string) {
    return this.files.get(f)?.text ?? (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
  }
  directoryExists(d: string) {
    return fs.existsSync(d);
  }
  getDirectories(d: string) {
    return fs.existsSync(d)
      ? fs
          .readdirSync(d, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
      : [];
  }
}

describe('tsplugin: language service with the plugin', function () {
  this.timeout(60_000);
  const ts = loadTs5();
  let pluginDir: string;
  let factory: any;

  before(async function () {
    if (!ts) throw new Error("these tests need TypeScript's JS API (npm ci installs the typescript5 devDependency)");
    pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-tsplugin-test-'));
    const { buildTsPlugin } = await import(path.join(ROOT, 'scripts/build-tsplugin.mjs'));
    await buildTsPlugin({ outDir: pluginDir });
    factory = require(path.join(pluginDir, 'index.js'));
  });
  after(() => {
    if (pluginDir) fs.rmSync(pluginDir, { recursive: true, force: true });
  });

  function setup(cells: string[], { plugin = true, extra = {} as Record<string, string>, config = {} as any } = {}) {
    const host = new Host(ts, {
      ...INFERRED,
      ...ts.parseJsonConfigFileContent({ compilerOptions: INFERRED }, ts.sys, '/ws').options,
    });
    cells.forEach((src, i) => host.set(cellName(i), src));
    for (const [f, t] of Object.entries(extra)) host.set(f, t);
    let ls = ts.createLanguageService(host, ts.createDocumentRegistry());
    if (plugin) {
      const mod = factory({ typescript: ts });
      ls = mod.create({
        languageService: ls,
        languageServiceHost: host,
        project: undefined,
        config: { typesDir: path.join(pluginDir, 'types'), ...config },
      });
      if (config.cellOrder) mod.onConfigurationChanged(config);
    }
    const diags = (i: number | string) => {
      const f = typeof i === 'number' ? cellName(i) : i;
      return [...ls.getSyntacticDiagnostics(f), ...ls.getSemanticDiagnostics(f)].map((d: any) => ({
        code: d.code,
        start: d.start,
        text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      }));
    };
    const pos = (i: number, needle: string, offset = 0) => {
      const p = cells[i].indexOf(needle);
      assert.ok(p >= 0, `${needle} in cell ${i}`);
      return p + offset;
    };
    return { host, ls, diags, pos };
  }

  const CELLS = [
    "import { corr } from 'mktnb';\nconst btc = load('data/BTC-USD.csv');\nlet window = 30;\n",
    "const r = returns(btc);\ndisplay(corr(r, r), window);\ndisplay.markdown('# hi');\nplot.line(btc);\nconst c = new Chart({ data: [] } as any);\nwindow = 60;\n",
    'const btc = 1;\nconst s: string = r.name ?? "";\n',
  ];

  it('without the plugin: the problem (unknown globals, module and names of other cells)', () => {
    const { diags } = setup(CELLS, { plugin: false });
    const texts = [...diags(0), ...diags(1)].map((d) => d.text).join('\n');
    assert.match(texts, /Cannot find module 'mktnb'/);
    assert.match(texts, /Cannot find name 'load'/);
    assert.match(texts, /Cannot find name 'returns'/);
    assert.match(texts, /Cannot find name 'display'/);
  });

  it('with the plugin: no errors for globals, display, the mktnb module, names of other cells, redeclarations', () => {
    const { diags } = setup(CELLS);
    for (let i = 0; i < CELLS.length; i++) assert.deepEqual(diags(i), [], `cell ${i}`);
  });

  it('keeps real errors, at their positions in the cell', () => {
    const cells = ['const n: string = 1;\nnotDeclaredAnywhere();\nload(42);\n', 'const r = returns(load("x"));\nr.'];
    const { diags, pos } = setup(cells);
    const d0 = diags(0);
    assert.equal(d0.length, 3, JSON.stringify(d0));
    assert.ok(
      d0.some((d) => d.code === 2322 && d.start === pos(0, 'n:')),
      'type error reported at its place',
    );
    assert.ok(
      d0.some((d) => d.code === 2304 && d.start === pos(0, 'notDeclared') && /'notDeclaredAnywhere'/.test(d.text)),
    );
    assert.ok(
      d0.some((d) => d.start === pos(0, '42')),
      'a wrong argument to load is an error',
    );
    // `r.` at the end of a cell: exactly the syntax error the cell's text has, where it is
    const d1 = diags(1);
    assert.deepEqual(
      d1.map((d) => [d.code, d.start]),
      [[1003, cells[1].length]],
    );
  });

  it('types flow from earlier cells: hover and member completions', () => {
    const { ls, pos } = setup(CELLS);
    const qi = ls.getQuickInfoAtPosition(cellName(1), pos(1, 'btc'));
    const shown = ts.displayPartsToString(qi.displayParts);
    assert.match(shown, /btc: .*(Series|Frame|Loaded)/);
    assert.doesNotMatch(shown, /alias|import/, 'the synthetic import does not show');
    const qr = ts.displayPartsToString(ls.getQuickInfoAtPosition(cellName(2), CELLS[2].indexOf('r.name')).displayParts);
    assert.match(qr, /r: Series/);
    // the library's own docs come through the generated declarations
    const ql = ls.getQuickInfoAtPosition(cellName(0), pos(0, 'load'));
    assert.match(ts.displayPartsToString(ql.displayParts), /function load\(file: string/);
    assert.ok(ql.documentation.length > 0, 'JSDoc from src/market');
    assert.doesNotMatch(ts.displayPartsToString(ql.displayParts), /__mktnb|alias/);
    // own redeclaration wins in cell 2
    assert.match(
      ts.displayPartsToString(ls.getQuickInfoAtPosition(cellName(2), pos(2, 'btc')).displayParts),
      /const btc: 1/,
    );
  });

  it('completes globals and names of other cells', () => {
    const cells = [CELLS[0], 'lo', 'returns(btc).'];
    const { ls } = setup(cells);
    const names = ls.getCompletionsAtPosition(cellName(1), 2, {}).entries.map((e: any) => e.name);
    for (const n of ['load', 'corr', 'btc', 'window', 'returns', 'plot', 'display', 'Chart'])
      assert.ok(names.includes(n), `${n} completes`);
    const details = ls.getCompletionEntryDetails(cellName(1), 2, 'load', {}, undefined, {}, undefined);
    assert.match(ts.displayPartsToString(details.displayParts), /^function load\(file: string/);
    const btcDetails = ls.getCompletionEntryDetails(cellName(1), 2, 'btc', {}, undefined, {}, undefined);
    assert.doesNotMatch(ts.displayPartsToString(btcDetails.displayParts), /alias|import/);
    const members = ls
      .getCompletionsAtPosition(cellName(2), cells[2].length, { triggerCharacter: '.' })
      .entries.map((e: any) => e.name);
    for (const m of ['slice', 'dropna', 'last']) assert.ok(members.includes(m), `returns(btc).${m} completes`);
  });

  it("cross-cell navigation: definition, references and rename stay in the cells' text", () => {
    const { ls, pos } = setup(CELLS);
    const defs = ls.getDefinitionAtPosition(cellName(1), pos(1, 'btc'));
    assert.deepEqual(
      defs.map((d: any) => [d.fileName, d.textSpan.start]),
      [[cellName(0), pos(0, 'btc')]],
    );
    const refs = ls.findReferences(cellName(0), pos(0, 'btc')).flatMap((s: any) => s.references);
    const spots = refs.map((r: any) => `${cellOf(r.fileName)}:${r.textSpan.start}`).sort();
    assert.deepEqual(spots, [`0:${pos(0, 'btc')}`, `1:${pos(1, 'btc')}`, `1:${pos(1, 'line(btc', 5)}`].sort());
    const renames = ls.findRenameLocations(cellName(1), pos(1, 'btc'), false, false, {
      providePrefixAndSuffixTextForRename: true,
    });
    for (const r of renames)
      assert.ok(r.textSpan.start < CELLS[cellOf(r.fileName)].length, 'no rename inside a footer');
    assert.ok(
      renames.some((r: any) => r.fileName === cellName(0)),
      'rename reaches the declaring cell',
    );
    assert.ok(!renames.some((r: any) => r.fileName === cellName(2)), 'cell 2 has its own btc');
  });

  it('outline, folding and classifications show nothing of the footer', () => {
    const { ls } = setup(CELLS);
    const tree = ls.getNavigationTree(cellName(1));
    const names = (tree.childItems ?? []).map((c: any) => c.text);
    assert.deepEqual(names.sort(), ['c', 'r']);
    const cls = ls.getEncodedSemanticClassifications(
      cellName(1),
      { start: 0, length: 100000 },
      ts.SemanticClassificationFormat.TwentyTwenty,
    );
    for (let i = 0; i < cls.spans.length; i += 3) assert.ok(cls.spans[i] < CELLS[1].length);
    for (const s of ls.getOutliningSpans(cellName(1))) assert.ok(s.textSpan.start < CELLS[1].length);
  });

  it('follows edits: a name added to cell 0 appears in cell 1; removed, it is an error again', () => {
    const cells = ['const a = 1;', 'a + b;'];
    const { host, diags, ls } = setup(cells);
    assert.deepEqual(
      diags(1).map((d) => d.text),
      ["Cannot find name 'b'."],
    );
    host.set(cellName(0), 'const a = 1; const b = "x";');
    assert.deepEqual(diags(1), []);
    assert.match(ts.displayPartsToString(ls.getQuickInfoAtPosition(cellName(1), 4).displayParts), /b: "x"/);
    host.set(cellName(0), 'const a = 1;');
    assert.deepEqual(
      diags(1).map((d) => d.text),
      ["Cannot find name 'b'."],
    );
  });

  it('nearest declaration above wins; the reported cell order overrides handles', () => {
    const cells = ['const x = 1;', 'const x = "s";', 'x;'];
    const t = (ls: any) => ts.displayPartsToString(ls.getQuickInfoAtPosition(cellName(2), 0).displayParts);
    assert.match(t(setup(cells).ls), /x: "s"/);
    // the extension says cell 1 sits above cell 0: the nearest above cell 2 is then cell 0
    const reordered = setup(cells, { config: { cellOrder: { '/ws/study.mktnb': [frag(1), frag(0), frag(2)] } } });
    assert.match(t(reordered.ls), /x: 1/);
    setup([], { config: { cellOrder: {} } }); // reset the shared order for later tests
  });

  it('leaves other files alone: no footer, no module resolution of mktnb', () => {
    const { ls } = setup(CELLS, { extra: { '/ws/loose.ts': "import { load } from 'mktnb';\nconst v = 1;\n" } });
    const d = ls.getSemanticDiagnostics('/ws/loose.ts').map((x: any) => x.code);
    assert.deepEqual(d, [2307], 'mktnb is a cell-only module name');
    const tree = ls.getNavigationTree('/ws/loose.ts');
    assert.deepEqual(tree.childItems.map((c: any) => c.text).sort(), ['load', 'v']);
  });

  it('a cell ending inside a comment or template literal: no crash, no false "Cannot find name"', () => {
    const { diags, ls } = setup(['const a = 1;', 'a + 1; /* not closed', 'a + `not closed ${a}']);
    assert.deepEqual(
      diags(1).map((d) => d.code),
      [1010],
      "only '*/' expected",
    );
    assert.deepEqual(
      diags(2).map((d) => d.code),
      [1160],
      'only the unterminated template literal',
    );
    assert.ok(ls.getCompletionsAtPosition(cellName(2), 3, {}));
  });

  it("cells of another notebook do not see this notebook's names", () => {
    const other = '^/vscode-notebook-cell/127.0.0.1:8080/ws/other.mktnb#W0sZmlsZQ==';
    const { diags } = setup(CELLS, { extra: { [other]: 'btc;' } });
    assert.deepEqual(
      diags(other).map((d) => d.text),
      ["Cannot find name 'btc'."],
    );
  });

  // VS Code asks with auto-imports on: every cell is a module (its footer exports its names), so
  // without the plugin's filter another open notebook's `btcPeak` was offered "from" its cell
  const AUTO_IMPORTS = { includeCompletionsForModuleExports: true, includeCompletionsWithInsertText: true };

  it('completions offer no names of another notebook (no auto-import from its cells)', () => {
    const other = '^/vscode-notebook-cell/127.0.0.1:8080/ws/other.mktnb#W0sZmlsZQ==';
    const { ls } = setup(['const btcPeak = 1;\n', 'bt'], { extra: { [other]: 'const myOwn = 2;\nbt' } });
    const at = (f: string, text: string) => ls.getCompletionsAtPosition(f, text.length, AUTO_IMPORTS).entries;
    const inOther = at(other, 'const myOwn = 2;\nbt');
    assert.ok(
      !inOther.some((e: any) => e.name === 'btcPeak'),
      `btcPeak is not offered in another notebook: ${inOther
        .filter((e: any) => e.source)
        .map((e: any) => `${e.name} from ${e.source}`)
        .slice(0, 5)
        .join(', ')}`,
    );
    const inSame = at(cellName(1), 'bt');
    assert.equal(
      inSame.filter((e: any) => e.name === 'btcPeak').length,
      1,
      "the notebook's own cell offers it once (no auto-import duplicate)",
    );
    assert.ok(!inSame.some((e: any) => e.name === 'myOwn'), 'nor the other way round');
    assert.ok(
      inSame.some((e: any) => e.name === 'load'),
      'library globals still complete',
    );
  });

  it("answers _mktnb.cellDiagnostics with a cell's type errors (what the extension underlines before Run)", () => {
    const host = new Host(ts, {
      ...INFERRED,
      ...ts.parseJsonConfigFileContent({ compilerOptions: INFERRED }, ts.sys, '/ws').options,
    });
    const cells = ["const btc = load('BTC-USD.csv');\n", 'const r = returns(btc);\nconst c = corr(btc);\n'];
    cells.forEach((src, i) => host.set(cellName(i), src));
    const handlers: Record<string, (req: any) => any> = {};
    // eslint-disable-next-line prefer-const -- assigned below, read by the closure above it
    let proxy: any;
    const project = {
      projectService: {
        serverMode: 0,
        getDefaultProjectForFile: (f: string) => (host.files.has(f) ? project : undefined),
      },
      getLanguageService: () => proxy,
    };
    const session = {
      addProtocolHandler: (name: string, fn: (req: any) => any) => {
        assert.ok(!handlers[name], 'registered once');
        handlers[name] = fn;
      },
    };
    const mod = factory({ typescript: ts });
    const ls = ts.createLanguageService(host, ts.createDocumentRegistry());
    proxy = mod.create({
      languageService: ls,
      languageServiceHost: host,
      project,
      session,
      config: { typesDir: path.join(pluginDir, 'types') },
    });
    mod.create({
      languageService: ls,
      languageServiceHost: host,
      project,
      session,
      config: { typesDir: path.join(pluginDir, 'types') },
    });
    const handler = handlers['_mktnb.cellDiagnostics'];
    assert.ok(handler, 'the plugin registers its request');
    const r = handler({ arguments: { file: cellName(1) } });
    assert.equal(r.responseRequired, true);
    assert.equal(r.response.known, true);
    const ds = r.response.diagnostics;
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.match(ds[0].message, /Expected 2-3 arguments, but got 1|Expected 2 arguments, but got 1/);
    assert.deepEqual([ds[0].line, ds[0].category], [1, 'error']);
    assert.ok(ds[0].character >= 'const c = '.length && ds[0].endLine === 1, `at corr(btc): ${JSON.stringify(ds[0])}`);
    assert.deepEqual(
      handler({ arguments: { file: cellName(0) } }).response.diagnostics,
      [],
      'a correct cell: nothing (no "Cannot find name load")',
    );
    assert.deepEqual(
      handler({ arguments: { file: '/ws/loose.ts' } }).response,
      { known: false, diagnostics: [] },
      'only cells',
    );
  });

  it('untitled notebook in tsserver: one inferred project per cell, siblings found among the open files', () => {
    // tsserver gives dynamic files without a project root (untitled notebooks) a project each
    const base = '^/vscode-notebook-cell/ts-nul-authority/Untitled-1.mktnb#';
    const u = (i: number) => `${base}W${i}sdW50aXRsZWQ=`;
    const opts = {
      ...INFERRED,
      ...ts.parseJsonConfigFileContent({ compilerOptions: INFERRED }, ts.sys, '/ws').options,
    };
    const store = new Host(ts, opts); // tsserver's script infos, shared by all projects
    store.set(u(0), "const btcHere = load('BTC-USD.csv');\n");
    store.set(u(1), 'btcHere.');
    const service = {
      serverMode: 0,
      openFiles: { keys: () => [...store.files.keys()].values() },
      getScriptInfoForPath: (p: string) =>
        store.files.has(p) ? { fileName: p, getLatestVersion: () => String(store.files.get(p)!.version) } : undefined,
    };
    const projectFor = (root: string) => {
      const host = new Host(ts, opts);
      host.files = store.files; // reads go to the shared infos
      host.getScriptFileNames = () => [root];
      let version = 0;
      host.getProjectVersion = () => String(version); // changes only when its own root changes
      const mod = factory({ typescript: ts });
      const ls = mod.create({
        languageService: ts.createLanguageService(host, ts.createDocumentRegistry()),
        languageServiceHost: host,
        project: { projectService: service },
        config: { typesDir: path.join(pluginDir, 'types') },
      });
      return { ls, touch: () => version++ };
    };
    const p1 = projectFor(u(1));
    const members = p1.ls
      .getCompletionsAtPosition(u(1), 'btcHere.'.length, { triggerCharacter: '.' })
      .entries.map((e: any) => e.name);
    assert.ok(
      members.includes('slice'),
      `btcHere from the sibling cell has its type: ${members.slice(0, 8).join(', ')}`,
    );
    assert.deepEqual(
      p1.ls.getSemanticDiagnostics(u(1)).map((d: any) => d.code),
      [],
      'no "Cannot find name btcHere"',
    );
    // the sibling is edited (in its own project): this project follows without being touched
    store.set(u(0), "const btcHere = load('BTC-USD.csv');\nconst ethHere = 2;\n");
    store.set(u(1), 'ethHere.toFixed(1);\n');
    assert.deepEqual(
      p1.ls.getSemanticDiagnostics(u(1)).map((d: any) => d.code),
      [],
      'a name added to the sibling is seen',
    );
  });

  it('works the same in an untitled notebook (Untitled-1.mktnb, no authority)', () => {
    const base = '^/vscode-notebook-cell/ts-nul-authority/Untitled-1.mktnb#';
    const u = (i: number) => `${base}W${i}sdW50aXRsZWQ=`;
    const saved = '^/vscode-notebook-cell/127.0.0.1:8080/ws/sample.mktnb#W0sZmlsZQ==';
    const { ls, host } = setup([], {
      extra: { [u(0)]: "const btc = load('BTC-USD.csv');\n", [u(1)]: 'returns(btc).', [saved]: 'const btcPeak = 3;\n' },
    });
    const diags = [...ls.getSyntacticDiagnostics(u(0)), ...ls.getSemanticDiagnostics(u(0))];
    assert.deepEqual(
      diags.map((d: any) => d.messageText),
      [],
      'globals resolve in an untitled notebook',
    );
    const members = ls
      .getCompletionsAtPosition(u(1), 'returns(btc).'.length, { ...AUTO_IMPORTS, triggerCharacter: '.' })
      .entries.map((e: any) => e.name);
    assert.ok(members.includes('slice'), 'btc from the earlier untitled cell has its type');
    host.set(u(1), 'bt');
    const names = ls.getCompletionsAtPosition(u(1), 2, AUTO_IMPORTS).entries.map((e: any) => e.name);
    assert.ok(names.includes('btc'), "an earlier cell's name completes");
    assert.ok(!names.includes('btcPeak'), 'a name of another (saved) notebook does not');
  });

  it('Node built-ins are no error in a cell without @types/node (the kernel is Node), other missing modules are', () => {
    const cells = [
      "import { mkdirSync } from 'node:fs';\nimport * as os from 'os';\nmkdirSync('out', { recursive: true });\nconst cwd = process.cwd();\n",
      "import { x } from 'no-such-package';\n",
    ];
    const { diags } = setup(cells);
    assert.deepEqual(diags(0), [], 'node:fs, os and process are fine');
    assert.equal(diags(1).length, 1, 'a package that is not there still is');
  });

  it('names bound by SQL cells (-- as NAME) are Frames in the TypeScript cells of their notebook', () => {
    const cells = ['const n: number = bars.close.length;\nbars.names;', 'const bars2 = 1;'];
    const { diags, ls } = setup(cells, { config: { sqlNames: { '/ws/study.mktnb': ['bars', 'bars2'] } } });
    assert.deepEqual(diags(0), []);
    assert.match(
      ts.displayPartsToString(ls.getQuickInfoAtPosition(cellName(0), cells[0].indexOf('bars')).displayParts),
      /bars: Frame/,
    );
    // a TypeScript cell that declares the name keeps its own declaration (no duplicate)
    assert.deepEqual(diags(1), []);
    setup([], { config: { sqlNames: {} } }); // reset for later tests
  });

  it('a hover on a global shows its JSDoc: the summary, @param, @returns and the asserted @example', () => {
    const cells = ['const c = corr(returns(load("data/GDX.csv")), returns(load("data/GLD.csv")));\n'];
    const { ls } = setup(cells);
    const qi = ls.getQuickInfoAtPosition(cellName(0), cells[0].indexOf('corr'));
    assert.match(ts.displayPartsToString(qi.displayParts), /function corr\(a: SeriesLike, b: SeriesLike/);
    const doc = ts.displayPartsToString(qi.documentation);
    assert.match(doc, /the correlation of the aligned complete pairs/, 'the summary from src/market/corr.ts');
    assert.match(doc, /scipy\.stats\.pearsonr/, 'the pandas/scipy equivalent');
    const tags = new Map(qi.tags.map((t: any) => [t.name, ts.displayPartsToString(t.text)]));
    assert.match(String(tags.get('returns')), /CorrResult/);
    assert.match(String(tags.get('example')), /corr\(gdx, gld\) \/\/ => \{"r": 0\.8158/);
    assert.ok(
      qi.tags.some((t: any) => t.name === 'param' && /^options/.test(ts.displayPartsToString(t.text))),
      '@param options',
    );
  });
});
