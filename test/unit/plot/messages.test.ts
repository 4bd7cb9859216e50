import { strict as assert } from 'node:assert';
import {
  dataUrlToBytes,
  isExtensionToRenderer,
  isRendererToExtension,
  safeFileName,
} from '../../../src/shared/renderer-messages';

describe('renderer messages', () => {
  it('decodes base64 and URI-encoded data URLs', () => {
    assert.deepEqual(Array.from(dataUrlToBytes('data:image/png;base64,iVBORw==')), [0x89, 0x50, 0x4e, 0x47]);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>é</text></svg>';
    assert.equal(new TextDecoder().decode(dataUrlToBytes('data:image/svg+xml,' + encodeURIComponent(svg))), svg);
    assert.throws(() => dataUrlToBytes('http://example.com/a.png'), /not a data: URL/);
  });

  it('validates incoming renderer messages', () => {
    assert.ok(
      isRendererToExtension({
        type: 'save-image',
        requestId: 'a:1',
        format: 'png',
        dataUrl: 'data:image/png;base64,AA==',
        suggestedName: 'x.png',
      }),
    );
    assert.ok(
      !isRendererToExtension({
        type: 'save-image',
        requestId: 'a:1',
        format: 'png',
        dataUrl: 'data:text/html,<script>',
        suggestedName: 'x.png',
      }),
    );
    assert.ok(
      !isRendererToExtension({
        type: 'save-image',
        requestId: 'a:1',
        format: 'gif',
        dataUrl: 'data:image/gif;base64,AA==',
        suggestedName: 'x.gif',
      }),
    );
    assert.ok(isRendererToExtension({ type: 'copy-text', requestId: 'b', what: 'figure-json', text: '{}' }));
    assert.ok(!isRendererToExtension({ type: 'copy-text', what: 'figure-json', text: '{}' }));
    assert.ok(isExtensionToRenderer({ type: 'save-image-result', requestId: 'a:1', ok: true, path: '/tmp/x.png' }));
    assert.ok(!isExtensionToRenderer({ type: 'other', requestId: 'a', ok: true }));
  });

  it('makes safe file names from titles', () => {
    assert.equal(safeFileName('BTC vs ETH <b>2024</b>', 'png'), 'BTC-vs-ETH-2024.png');
    assert.equal(safeFileName('../../etc/passwd', 'svg'), 'etc-passwd.svg');
    assert.equal(safeFileName(undefined, 'png'), 'chart.png');
    assert.equal(safeFileName('   ', 'png'), 'chart.png');
  });
});
