/**
 * mktnb-tsserver-plugin: IntelliSense for the TypeScript cells of Market Notebooks (.mktnb).
 *
 * VS Code's TypeScript extension checks every notebook cell as a file of its own, so on its own
 * a cell knows neither the library's globals (load, plot, display, …), nor `import … from 'mktnb'`,
 * nor the names earlier cells declared. This plugin, loaded by VS Code's tsserver through the
 * extension's `contributes.typescriptServerPlugins`, patches the language service host of every
 * project that holds cells of a .mktnb notebook, and wraps its language service. The rooms:
 *
 *  - cells.ts        pure logic: cell file names, a cell's top-level names, the footer appended to it;
 *  - host.ts         the host: the globals file, module resolution of 'mktnb' and of sibling cells,
 *                    every cell's text + footer, and where a cell's own text ends;
 *  - service.ts      the language service: nothing of the footer reaches the editor (diagnostics,
 *                    navigation, classifications, references, renames, edits);
 *  - hover.ts        hovers and completions: a name from another cell shows its declaration, not
 *                    the footer's synthetic import; no auto-imports from cells;
 *  - diagnostics.ts  the `_mktnb.cellDiagnostics` request the extension sends;
 *  - state.ts        the settings the extension sends (configurePlugin), shared by all projects;
 *  - tsapi.ts        TypeScript's own types (type-only: at run time the plugin uses tsserver's module).
 *
 * Only files named ^/vscode-notebook-cell/…/<name>.mktnb#… are touched; other files of the same
 * project (loose .ts files) see no change but the added globals file, which is only added while
 * the project holds a notebook cell.
 */
import { registerDiagnosticsHandler } from './diagnostics';
import { patchHost } from './host';
import { wrapHoverAndCompletions } from './hover';
import { wrapLanguageService } from './service';
import { configure, shared, type PluginConfiguration } from './state';
import type { LanguageService, PluginCreateInfo, PluginModule, TS } from './tsapi';

export { registerDiagnosticsHandler } from './diagnostics';
export { GLOBALS_NAMESPACE } from './hover';
export type { PluginConfiguration } from './state';

/** The language service of a project with cells: host patched, service wrapped. */
export function createLanguageService(ts: TS, info: PluginCreateInfo): LanguageService {
  configure(info.config as PluginConfiguration | undefined);
  if (info.project) shared.projects.add(info.project);
  const cells = patchHost(ts, info);
  const { proxy, guard } = wrapLanguageService(ts, info.languageService, cells);
  wrapHoverAndCompletions(info.languageService, proxy, cells, guard);
  cells.log('language service wrapped');
  return proxy;
}

function init(modules: { typescript: TS }): PluginModule {
  const ts = modules.typescript;
  return {
    create(info) {
      try {
        registerDiagnosticsHandler(ts, info);
        return createLanguageService(ts, info);
      } catch (e) {
        info.project?.projectService?.logger?.info?.(`[mktnb] plugin failed to start: ${(e as Error)?.stack ?? e}`);
        return info.languageService;
      }
    },
    onConfigurationChanged(config: PluginConfiguration) {
      configure(config);
      for (const p of shared.projects) {
        try {
          p.markAsDirty?.();
          p.refreshDiagnostics?.();
        } catch {
          /* project closed */
        }
      }
    },
  };
}

export default init;
