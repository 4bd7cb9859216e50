/**
 * In-extension-host tests: drive the extension through the `vscode` API (open, execute, save)
 * and assert on the notebook model. The UI-level checks (what is drawn) are in test/e2e.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import basic from '../e2e/fixtures/basic.mktnb';
import interrupt from '../e2e/fixtures/interrupt.mktnb';
import saved from '../e2e/fixtures/saved-outputs.mktnb';

const EXT_ID = 'market-notebooks.market-notebooks';
const CHART_MIME = 'application/vnd.mktnb.chart+json';
const STDOUT_MIME = 'application/vnd.code.notebook.stdout';

const dec = new TextDecoder();

/** A scratch folder: inside the workspace when there is one (so trust applies), else tmp. */
function scratchDir(): string {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  const base = ws?.scheme === 'file' ? ws.fsPath : os.tmpdir();
  return fs.mkdtempSync(path.join(base, 'exthost-'));
}

function writeFixture(dir: string, name: string, content: unknown): vscode.Uri {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(content, null, 1));
  return vscode.Uri.file(file);
}

/** Resolves when `cond()` holds, re-checking on every notebook change (and on a slow poll). */
function until<T>(what: string, cond: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      let v: T | undefined | false;
      try {
        v = cond();
      } catch {
        v = undefined;
      }
      if (v) {
        done();
        resolve(v);
        return true;
      }
      return false;
    };
    const sub = vscode.workspace.onDidChangeNotebookDocument(() => check());
    const poll = setInterval(check, 250);
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    function done() {
      sub.dispose();
      clearInterval(poll);
      clearTimeout(timer);
    }
    check();
  });
}

function codeCells(nb: vscode.NotebookDocument): vscode.NotebookCell[] {
  return nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
}

function texts(cell: vscode.NotebookCell): string[] {
  return cell.outputs.flatMap((o) => o.items.filter((i) => !i.mime.includes('+json')).map((i) => dec.decode(i.data)));
}

function chartOf(cell: vscode.NotebookCell): any | undefined {
  for (const o of cell.outputs)
    for (const i of o.items) if (i.mime === CHART_MIME) return JSON.parse(dec.decode(i.data));
  return undefined;
}

async function open(uri: vscode.Uri): Promise<vscode.NotebookDocument> {
  const nb = await vscode.workspace.openNotebookDocument(uri);
  await vscode.window.showNotebookDocument(nb);
  return nb;
}

async function runCells(nb: vscode.NotebookDocument, start: number, end: number): Promise<void> {
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: nb.uri });
}

describe('Market Notebooks in the extension host', function () {
  let dir: string;

  before(async function () {
    dir = scratchDir();
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `extension ${EXT_ID} is installed`);
    await ext.activate();
  });

  after(async function () {
    await vscode.workspace.saveAll(false); // scratch files: saving avoids a "save changes?" prompt
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('contributes its commands', async function () {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['mktnb.newNotebook', 'mktnb.restartKernel', 'mktnb.exportHtml', 'mktnb.openSample']) {
      assert.ok(all.includes(id), `command ${id} is registered`);
    }
  });

  it('opens a .mktnb file as a Market Notebook with its saved outputs', async function () {
    const nb = await vscode.workspace.openNotebookDocument(writeFixture(dir, 'saved.mktnb', saved));
    assert.strictEqual(nb.notebookType, 'mktnb');
    const cells = codeCells(nb);
    assert.strictEqual(cells.length, 3);
    assert.deepStrictEqual(texts(cells[0]).join('').trim(), 'saved answer 42');
    const chart = chartOf(cells[1]);
    assert.ok(chart, 'the saved chart output is restored');
    assert.strictEqual(chart.figure.data.length, 3);
    assert.strictEqual(cells[2].outputs.length, 0);
  });

  it('refuses a broken file with its position and leaves it untouched', async function () {
    const file = path.join(dir, 'broken.mktnb');
    const text = '{\n  "format": "mktnb",\n  "version": "1.0",\n  "cells": [ oops ]\n}\n';
    fs.writeFileSync(file, text);
    await assert.rejects(
      Promise.resolve(vscode.workspace.openNotebookDocument(vscode.Uri.file(file))),
      (e: Error) => /not valid JSON at line 4, column 14/.test(e.message) && /not changed/.test(e.message),
    );
    assert.strictEqual(fs.readFileSync(file, 'utf8'), text);
  });

  it('shows a script-capable output as inert text, and writes it back unchanged on save', async function () {
    const html = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const content = {
      format: 'mktnb',
      version: '1.0',
      metadata: {},
      future: { kept: true },
      cells: [
        {
          kind: 'code',
          language: 'typescript',
          source: ['1'],
          outputs: [{ items: [{ mime: 'text/html', data: html }] }],
        },
      ],
    };
    const uri = writeFixture(dir, 'held.mktnb', content);
    const nb = await open(uri);
    const items = codeCells(nb)[0].outputs[0].items;
    assert.deepStrictEqual(
      items.map((i) => i.mime),
      ['text/plain'],
      'not handed to the HTML renderer',
    );
    assert.match(dec.decode(items[0].data), /not rendered because it could run script/);
    const edit = new vscode.WorkspaceEdit();
    edit.set(nb.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...nb.metadata, touched: 1 })]);
    await vscode.workspace.applyEdit(edit);
    await nb.save();
    const onDisk = JSON.parse(fs.readFileSync(uri.fsPath, 'utf8'));
    assert.deepStrictEqual(
      onDisk.cells[0].outputs[0].items,
      [{ mime: 'text/html', data: html }],
      'the original output is written back',
    );
    assert.deepStrictEqual(onDisk.future, { kept: true }, 'an unknown top-level field survives a save through VS Code');
    assert.strictEqual(onDisk.metadata.touched, 1);
  });

  it('runs all cells: a value, a chart and printed text', async function () {
    if (!vscode.workspace.isTrusted) this.skip(); // execution is disabled in Restricted Mode
    const nb = await open(writeFixture(dir, 'basic.mktnb', basic));
    await vscode.commands.executeCommand('notebook.execute', nb.uri);
    const cells = codeCells(nb);
    await until('all cells to finish', () => cells.every((c) => c.executionSummary?.success !== undefined));
    for (const c of cells)
      assert.strictEqual(c.executionSummary?.success, true, `cell ${c.index} succeeded: ${texts(c).join(' | ')}`);
    assert.ok(
      texts(cells[0]).some((t) => t.trim() === '2'),
      `x shows 2: ${JSON.stringify(texts(cells[0]))}`,
    );
    const chart = chartOf(cells[1]);
    assert.ok(chart, 'the chart cell has a chart output');
    assert.strictEqual(chart.kind, 'chart');
    assert.strictEqual(chart.figure.data.length, 2);
    assert.ok(texts(cells[2]).join('').includes('x times 21 = 42'), `printed text: ${JSON.stringify(texts(cells[2]))}`);
    const orders = cells.map((c) => c.executionSummary?.executionOrder ?? 0);
    assert.ok(orders[0] < orders[1] && orders[1] < orders[2], `execution order increases: ${orders}`);
  });

  it('saves outputs to the file and reads them back', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.fsPath.endsWith('basic.mktnb'));
    assert.ok(nb, 'basic.mktnb is open');
    await nb.save();
    const onDisk = JSON.parse(fs.readFileSync(nb.uri.fsPath, 'utf8'));
    assert.strictEqual(onDisk.format, 'mktnb');
    const chartItems = onDisk.cells
      .flatMap((c: any) => c.outputs ?? [])
      .flatMap((o: any) => o.items)
      .filter((i: any) => i.mime === CHART_MIME);
    assert.strictEqual(chartItems.length, 1, 'one chart output saved');
    assert.strictEqual(chartItems[0].data.figure.data.length, 2, 'saved as JSON, not base64');
  });

  it('interrupts a busy cell and keeps the variables of earlier cells', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const nb = await open(writeFixture(dir, 'interrupt.mktnb', interrupt));
    const [first, loop, last] = codeCells(nb);
    await runCells(nb, 0, 1);
    await until('cell 0 to finish', () => first.executionSummary?.success !== undefined);
    void runCells(nb, 1, 2);
    // the loop cell prints before spinning: its streamed output shows it is running
    await until('the loop to start', () =>
      loop.outputs.some((o) =>
        o.items.some((i) => i.mime === STDOUT_MIME && dec.decode(i.data).includes('loop started')),
      ),
    );
    await vscode.commands.executeCommand('notebook.cancelExecution', nb.uri);
    await until('the loop cell to end', () => loop.executionSummary?.success !== undefined, 30_000);
    assert.strictEqual(loop.executionSummary?.success, false, 'an interrupted cell is not a success');
    await runCells(nb, 2, 3);
    await until('the last cell to finish', () => last.executionSummary?.success !== undefined);
    assert.strictEqual(last.executionSummary?.success, true, texts(last).join(' | '));
    assert.ok(
      texts(last).some((t) => t.trim() === '42'),
      `base + 22 = 42 after the interrupt: ${JSON.stringify(texts(last))}`,
    );
  });
});
