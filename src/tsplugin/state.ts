/**
 * What the extension tells the plugin (configurePlugin) and what every project of one tsserver
 * shares: tsserver creates the plugin once per project, the settings are per session.
 */
import type { DirtyableProject } from './tsapi';

/** Settings the extension may send with the TS extension API's configurePlugin. */
export interface PluginConfiguration {
  /** notebook path (the cell URI's path) -> fragments of its code cells, in notebook order */
  cellOrder?: Record<string, string[]>;
  /** where the generated declarations are (default: ./types next to the plugin's index.js) */
  typesDir?: string;
  /** notebook path -> names its SQL cells bind (`-- as NAME`): declared as Frames in its cells */
  sqlNames?: Record<string, string[]>;
}

/** Shared by every project the plugin is created for. */
export const shared = {
  cellOrder: new Map<string, string[]>(),
  sqlNames: new Map<string, string[]>(),
  typesDir: undefined as string | undefined,
  projects: new Set<DirtyableProject>(),
};

/** Takes the settings that are there and well-formed (the extension is trusted, its JSON is not typed). */
export function configure(config: PluginConfiguration | undefined): void {
  if (!config) return;
  if (config.cellOrder) {
    shared.cellOrder.clear();
    for (const [nb, frags] of Object.entries(config.cellOrder))
      if (Array.isArray(frags)) shared.cellOrder.set(nb, frags.map(String));
  }
  if (typeof config.typesDir === 'string') shared.typesDir = config.typesDir;
  if (config.sqlNames) {
    shared.sqlNames.clear();
    for (const [nb, names] of Object.entries(config.sqlNames))
      if (Array.isArray(names))
        shared.sqlNames.set(
          nb,
          names.map(String).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n)),
        );
  }
}
