/**
 * What a Plotly figure from a notebook may contain (sanitize.ts applies it): the config and
 * layout keys allowed, the keys and trace types that make Plotly load from the network, and the
 * attribute paths a button may not set. A Plotly attribute the export and the renderer should
 * draw is added here, deliberately (threat model: docs/security.md).
 */
/** Config keys a notebook may set; the rest (server URLs, link text, topojson URLs …) is dropped. */
export const CONFIG_KEYS = new Set([
  'displayModeBar',
  'scrollZoom',
  'doubleClick',
  'showAxisDragHandles',
  'showAxisRangeEntryBoxes',
  'showTips',
  'staticPlot',
  'editable',
  'modeBarButtonsToRemove',
  'displaylogo',
  'responsive',
  'frameMargins',
]);

/** Layout attributes a figure may set (Plotly's non-map layout). Numbered axes are matched by pattern. */
export const LAYOUT_KEYS = new Set([
  'title',
  'font',
  'height',
  'width',
  'autosize',
  'margin',
  'paper_bgcolor',
  'plot_bgcolor',
  'separators',
  'hidesources',
  'showlegend',
  'legend',
  'colorway',
  'colorscale',
  'coloraxis',
  'datarevision',
  'uirevision',
  'editrevision',
  'selectionrevision',
  'template',
  'modebar',
  'newshape',
  'activeshape',
  'newselection',
  'activeselection',
  'meta',
  'transition',
  'clickmode',
  'dragmode',
  'hovermode',
  'hoverdistance',
  'spikedistance',
  'hoverlabel',
  'selectdirection',
  'grid',
  'calendar',
  'xaxis',
  'yaxis',
  'ternary',
  'scene',
  'polar',
  'smith',
  'annotations',
  'shapes',
  'selections',
  'images',
  'updatemenus',
  'sliders',
  'barmode',
  'barnorm',
  'bargap',
  'bargroupgap',
  'boxmode',
  'boxgap',
  'boxgroupgap',
  'violinmode',
  'violingap',
  'violingroupgap',
  'waterfallmode',
  'waterfallgap',
  'waterfallgroupgap',
  'funnelmode',
  'funnelgap',
  'funnelgroupgap',
  'piecolorway',
  'extendpiecolors',
  'hiddenlabels',
  'sunburstcolorway',
  'extendsunburstcolors',
  'treemapcolorway',
  'extendtreemapcolors',
  'iciclecolorway',
  'extendiciclecolors',
  'funnelareacolorway',
  'extendfunnelareacolors',
  'minreducedwidth',
  'minreducedheight',
  'computed',
  'annotationdefaults',
  'shapedefaults',
]);

/** Numbered subplots and axes (xaxis2, scene3 …), allowed like their first one. */
export const NUMBERED = /^(xaxis|yaxis|scene|polar|ternary|smith|coloraxis)\d+$/;

/** Keys that make Plotly load from the network wherever they appear (subplots, styles, shapes from URLs). */
export const NETWORK_KEYS = new Set([
  'geo',
  'mapbox',
  'map',
  'geojson',
  'topojson',
  'topojsonURL',
  'mapboxAccessToken',
  'accesstoken',
  'layers',
]);

/** Trace types that draw map tiles or geography fetched from the internet. */
export const MAP_TRACE =
  /^(scattergeo|choropleth|scattermap|choroplethmap|densitymap|scattermapbox|choroplethmapbox|densitymapbox)$/;

/** Dotted attribute paths in button args ("images[0].source", "mapbox.style", "type") that may not be set. */
export const ARG_PATH =
  /(^|[.[\]])(images|geo\d*|mapbox\d*|map\d*|geojson|topojson|layers|template|source)($|[.[\]\d])/;
