/**
 * Plotly figures from a file cannot compose markup or reach the network (issue 10). The drawn
 * result of the same figures is checked in Chromium (test/renderer/security.test.ts).
 */
import assert from 'node:assert/strict';
import { droppedNote, sanitizeFigureReport, sanitizeText } from '../../../src/shared/sanitize';

const URL = 'http://127.0.0.1:9/x';

describe('security: Plotly sanitizer', () => {
  it('escapes every "<" that does not begin an allowed tag, so template expansion cannot form one', () => {
    assert.equal(sanitizeText('<%{meta[0]}>'), '&lt;%{meta[0]}>');
    assert.equal(sanitizeText('<%{text}'), '&lt;%{text}');
    assert.equal(sanitizeText('< a href=x>'), '&lt; a href=x>');
    assert.equal(sanitizeText('<b %{meta[0]}>x</b>'), '<b>x</b>');
    assert.equal(
      sanitizeText('<span style="background:url(x)">y</span>'),
      '&lt;span style="background:url(x)">y&lt;/span>',
    );
    assert.equal(
      sanitizeText('<sub>1</sub><s>2</s><sup>3</sup><script>'),
      '<sub>1</sub><s>2</s><sup>3</sup>&lt;script>',
    );
    // whatever a template inserts, no '<' survives but the allowed tags themselves
    for (const t of ['<%{meta[0]}>', '%{meta[0]}', '<%{customdata[0]}%{customdata[1]}>', '<a%{meta}>']) {
      const { figure } = sanitizeFigureReport({
        data: [
          {
            type: 'scatter',
            y: [1],
            texttemplate: t,
            hovertemplate: t,
            meta: ['a href="http://x" style="x"', '<a href=x>'],
            customdata: [['<a', ' href=x>']],
          },
        ],
      });
      const tr = figure.data[0] as Record<string, any>;
      const expand = (s: string) =>
        s
          .replace(/%\{meta\[0\]\}/g, tr.meta[0])
          .replace(/%\{meta\}/g, tr.meta.join(','))
          .replace(/%\{customdata\[(\d)\]\}/g, (_m, i) => tr.customdata[0][i]);
      assert.ok(!/<(?!\/?(b|i|em|sup|sub|br|s)>)/i.test(expand(tr.texttemplate)), expand(tr.texttemplate));
    }
  });

  it('drops button args that set images, map styles, geojson, templates or a map trace type', () => {
    const { figure, dropped } = sanitizeFigureReport({
      data: [{ type: 'scatter', y: [1, 2] }],
      layout: {
        updatemenus: [
          {
            buttons: [
              { label: 'img', method: 'relayout', args: [{ 'images[0].source': URL, 'title.text': 'ok' }] },
              {
                label: 'to a map',
                method: 'restyle',
                args: [{ type: 'scattermapbox' }, [0]],
                args2: [{ type: ['scatter', 'choroplethmap'] }],
              },
              {
                label: 'style',
                method: 'relayout',
                args: [
                  {
                    'mapbox.style': URL,
                    'map.style': URL,
                    geo: { showland: true },
                    template: { layout: { images: [{ source: URL }] } },
                    images: [{ source: URL }],
                  },
                ],
              },
              { label: 'geojson', method: 'restyle', args: [{ geojson: URL, 'marker.color': 'red' }] },
            ],
          },
        ],
        sliders: [{ steps: [{ method: 'relayout', args: [{ 'images[1].source': URL }], label: '<img src=x>' }] }],
        images: [{ source: URL }, { source: 'data:image/png;base64,iVBORw0KGgo=' }],
        template: {
          layout: { images: [{ source: URL }], mapbox: { style: URL }, title: { text: '<%{meta}>' } },
          data: { scatter: [{ marker: { color: 'red' } }], choropleth: [{ geojson: URL }] },
        },
        mapbox: { style: URL },
        geo: {},
        map: { style: URL },
        somethingNew: URL,
      },
      frames: [
        { name: 'f', data: [{ type: 'scattergeo' }], layout: { images: [{ source: URL }], mapbox: { style: URL } } },
      ],
    });
    const text = JSON.stringify(figure);
    assert.ok(!text.includes(URL), text);
    assert.ok(!/"(geojson|mapbox|geo|map)":|scattermapbox|choroplethmap|scattergeo/.test(text), text);
    const l = figure.layout as Record<string, any>;
    assert.deepEqual(l.updatemenus[0].buttons[0].args, [{ 'title.text': 'ok' }]);
    assert.deepEqual(l.updatemenus[0].buttons[1].args, [{}, [0]]);
    assert.deepEqual(l.updatemenus[0].buttons[3].args, [{ 'marker.color': 'red' }]);
    assert.equal(l.sliders[0].steps[0].label, '&lt;img src=x>');
    assert.deepEqual(l.images, [{ source: 'data:image/png;base64,iVBORw0KGgo=' }]);
    assert.equal(l.template.layout.title.text, '&lt;%{meta}>');
    assert.equal('somethingNew' in l, false);
    assert.ok(dropped.length >= 5, dropped.join('\n'));
    assert.match(droppedNote(dropped)!, /^Not drawn from this notebook file/);
  });

  it('changes nothing (and says nothing) for the figures the library draws', () => {
    const f = {
      data: [
        {
          type: 'scatter',
          mode: 'lines',
          name: 'BTC',
          x: ['2024-01-01'],
          y: [1],
          hovertemplate: '%{x|%Y-%m-%d}<br>%{y:,.2f}<extra></extra>',
        },
      ],
      layout: {
        title: { text: '<b>BTC</b> vs ETH' },
        xaxis: { type: 'date' },
        yaxis2: { overlaying: 'y' },
        hovermode: 'x unified',
        margin: { l: 40 },
      },
    };
    const { figure, dropped } = sanitizeFigureReport(f);
    assert.deepEqual(dropped, []);
    assert.equal(droppedNote(dropped), undefined);
    assert.equal((figure.data[0] as any).hovertemplate, '%{x|%Y-%m-%d}<br>%{y:,.2f}&lt;extra>&lt;/extra>');
    assert.deepEqual(figure.layout, f.layout);
  });
});
