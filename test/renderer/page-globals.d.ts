/**
 * What the renderer test page (test/renderer/harness.mjs) puts on `window` for the tests and
 * bench/render.mjs that drive it through Playwright's page.evaluate. Loose on purpose: the
 * values are the renderer modules and harness hooks, checked by the tests that use them.
 */
export {};
declare global {
  interface Window {
    chartModule: any;
    tableModule: any;
    outputEl: any;
    renderChart(id: string, json: string, ...rest: unknown[]): any;
    renderTable(id: string, json: string, ...rest: unknown[]): any;
    disposeChart(id: string): void;
    disposeTable(id: string): void;
    setTheme(theme: string): void;
    sendToRenderer(message: unknown): void;
    harnessReady: boolean;
    __messages: any[];
    __toExtension: any;
    __delays: any;
    __name: any;
    __pwned: unknown;
  }
}
