/**
 * The part of the TypeScript API the plugin uses. The plugin runs inside VS Code's own tsserver
 * (TypeScript 5.x, a JavaScript module handed to the plugin as `modules.typescript`), while this
 * repository compiles with TypeScript 7 (native), whose npm package has no JavaScript language
 * service API and so no typings for it. Hence these loose local types.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export type TS = any;

export interface LanguageServiceHost {
  getScriptFileNames(): string[];
  getScriptVersion(fileName: string): string;
  getScriptSnapshot(fileName: string): ScriptSnapshot | undefined;
  getScriptKind?(fileName: string): number;
  getCompilationSettings(): any;
  resolveModuleNameLiterals?(literals: readonly any[], containingFile: string, redirectedReference: any, options: any, containingSourceFile: any, reusedNames: any): readonly any[];
  [k: string]: any;
}

export interface ScriptSnapshot {
  getText(start: number, end: number): string;
  getLength(): number;
  getChangeRange(old: ScriptSnapshot): any;
}

export interface PluginCreateInfo {
  project: any;
  languageService: any;
  languageServiceHost: LanguageServiceHost;
  serverHost?: any;
  /** tsserver's session (TypeScript 4+): addProtocolHandler for the plugin's own requests */
  session?: { addProtocolHandler(command: string, handler: (request: any) => { response?: unknown; responseRequired: boolean }): void };
  config?: any;
}
