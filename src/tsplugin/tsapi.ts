/**
 * The TypeScript API the plugin is written against: TypeScript's own declarations
 * (typescript/lib/tsserverlibrary, the `typescript` devDependency), imported for their types only.
 * At run time the plugin uses the `typescript` module that VS Code's tsserver hands it
 * (`modules.typescript`, TypeScript 5.x): a plugin must not load a second copy of the compiler,
 * so nothing here (nor in any file of src/tsplugin) imports `typescript` as a value.
 *
 * The few internals of tsserver the plugin touches (a source file's parse diagnostics, a project's
 * markAsDirty) are declared below as optional members, next to the reason they are needed.
 */
import type * as tss from 'typescript/lib/tsserverlibrary';

/** The `typescript` module as tsserver passes it to a plugin. */
export type TS = typeof tss;

export type PluginCreateInfo = tss.server.PluginCreateInfo;
export type PluginModule = tss.server.PluginModule;
export type Project = tss.server.Project;
export type {
  BindingName,
  CompilerOptions,
  Diagnostic,
  FileTextChanges,
  IScriptSnapshot,
  LanguageService,
  LanguageServiceHost,
  NavigationBarItem,
  NavigationTree,
  Node,
  ResolvedModuleWithFailedLookupLocations,
  ScriptKind,
  SourceFile,
  StringLiteralLike,
  SymbolDisplayPart,
  SyntaxKind,
  TextSpan,
  UserPreferences,
} from 'typescript/lib/tsserverlibrary';

/**
 * A project with tsserver's internal `markAsDirty` (public API has only `refreshDiagnostics`): after
 * new settings, the project's program must be rebuilt for the footers to change.
 */
export type DirtyableProject = Project & { markAsDirty?(): void };

/**
 * A source file with the diagnostics its parser reported (an internal field of ts.SourceFile): the
 * syntax errors of a cell's own text, without building a program for it.
 */
export type ParsedSourceFile = tss.SourceFile & { parseDiagnostics?: tss.DiagnosticWithLocation[] };
