/**
 * Quick analyses on crafted file names (issue 10): a path with a backtick and `](…)` adds no
 * link or image to the markdown cell, names enter code only as identifiers that are not reserved
 * words or globals, paths only as JSON string literals.
 */
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import * as acorn from 'acorn';
import * as market from '../../../src/market/index';
import { generateCells, mdCode, mdText, QUICK_TITLES, type QuickKind } from '../../../src/quick/cells';
import { identifier, isReservedName, LIBRARY_GLOBALS } from '../../../src/quick/names';

const EVIL_PATH =
  'data/x`](http://127.0.0.1:9/a) ![t](http://127.0.0.1:9/p.png) <img src=x onerror=alert(1)> ``` $x$ "\\\';alert(1)//.csv';
const md = new MarkdownIt({ html: true, linkify: false });

describe('security: quick analyses escape names and paths', () => {
  it('a crafted path adds no link, image or HTML to the markdown, and stays exact in code', () => {
    for (const kind of Object.keys(QUICK_TITLES) as QuickKind[]) {
      const series = [
        { name: 'A', path: EVIL_PATH },
        { name: 'B', path: `../b\`\`\`](javascript:alert(1)).csv` },
      ];
      const cells = generateCells({
        kind,
        series: kind === 'analyze' || kind === 'cascade' ? series.slice(0, 1) : series,
        window: 30,
        maxLag: 5,
      });
      for (const c of cells) {
        if (c.kind === 'markdown') {
          const out = md.render(c.source);
          assert.ok(!/<a[\s>]|<img|<script/i.test(out), `${kind}: ${out}`);
          assert.ok(out.includes('x`](http://127.0.0.1:9/a)'), `${kind}: the path is shown as text: ${out}`);
        } else {
          // the code parses, and every path appears only inside a string literal
          const js = c.source.replace(/ as const/g, '');
          const ast = acorn.parse(js, {
            ecmaVersion: 2022,
            sourceType: 'module',
            allowAwaitOutsideFunction: true,
            allowReturnOutsideFunction: true,
          });
          const strings: string[] = [];
          (function walk(n: any) {
            if (!n || typeof n !== 'object') return;
            if (n.type === 'Literal' && typeof n.value === 'string') strings.push(n.value);
            for (const v of Object.values(n))
              if (Array.isArray(v)) v.forEach(walk);
              else if (v && typeof (v as any).type === 'string') walk(v);
          })(ast);
          if (c.source.includes('load('))
            assert.ok(
              strings.includes(EVIL_PATH) || strings.some((s) => s.startsWith('../b')),
              `${kind}: path as a literal`,
            );
        }
      }
    }
  });

  it('generated names avoid reserved words, literals and globals', () => {
    const taken = new Set<string>();
    for (const w of [
      'this',
      'true',
      'await',
      'eval',
      'data',
      'null',
      'undefined',
      'arguments',
      'load',
      'plot',
      'console',
      'process',
      'Math',
      'globalThis',
      'constructor',
      'toString',
      '__proto__',
      'prices',
      'cc',
    ]) {
      const id = identifier(w, taken);
      assert.notEqual(id, w);
      assert.ok(!isReservedName(id), id);
      assert.doesNotThrow(() => acorn.parse(`const ${id} = 1; ${id}`, { ecmaVersion: 2022, sourceType: 'module' }), id);
    }
    // a name handed to generateCells that is not an identifier is made one
    const cells = generateCells({
      kind: 'correlation',
      series: [
        { name: 'this', path: 'a.csv' },
        { name: 'x); alert(1); (', path: 'b.csv' },
      ],
    });
    assert.match(cells[1].source, /const \[this_, x_alert_1\] = aligned;/);
  });

  it('every name the analysis library exports is treated as a global', () => {
    for (const k of Object.keys(market))
      assert.ok(LIBRARY_GLOBALS.has(k) || isReservedName(k), `${k} is missing from LIBRARY_GLOBALS`);
  });

  it('markdown helpers: text escaped, code spans that nothing can close', () => {
    assert.equal(md.renderInline(mdText('[a](http://x) *b* <i>')), '[a](http://x) *b* &lt;i&gt;');
    for (const s of ['a`b', '``', '`x', 'x`', ' y '])
      assert.equal(
        md.renderInline(mdCode(s)).replace(/^<code>|<\/code>$/g, ''),
        md.utils.escapeHtml(s.trim() === s ? s : s),
      );
  });
});
