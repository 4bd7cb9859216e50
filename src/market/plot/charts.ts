/**
 * The chart helpers behind `plot.*`. Each returns a Chart (src/market/output.ts) wrapping a
 * plain Plotly figure. Conventions:
 *  - dates go to Plotly as ISO strings (formatTime), numbers are rounded to 8 significant digits;
 *  - long lines are reduced with LTTB to `maxPoints` per trace (DecimationNote records the
 *    original size), so a saved notebook stays small;
 *  - no colors, fonts or backgrounds: the renderer applies the VS Code theme.
 * No DOM, no Node, no vscode. One file per chart kind; this module gathers them.
 */
export * from './common';
export * from './line';
export * from './scatter';
export * from './heatmap';
export * from './drawdown';
export * from './event';
export * from './bar';
export * from './figure';
