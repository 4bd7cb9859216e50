/**
 * `_mktnb.cellDiagnostics` (src/shared/tsplugin-protocol.ts): the semantic diagnostics of one cell
 * from its project's language service (this plugin's wrapper), for the extension to show.
 */
import { parseCellFileName } from './cells';
import type { PluginCreateInfo, TS } from './tsapi';
import {
  CELL_DIAGNOSTICS_COMMAND,
  type CellDiagnostic,
  type CellDiagnosticsArgs,
  type CellDiagnosticsResponse,
} from '../shared/tsplugin-protocol';

const sessionsWithHandler = new WeakSet<object>();

/** Registers the request handler once per tsserver session, and only in the semantic server. */
export function registerDiagnosticsHandler(ts: TS, info: PluginCreateInfo): void {
  const session = info.session;
  const service = info.project?.projectService;
  if (!session?.addProtocolHandler || !service || sessionsWithHandler.has(session)) return;
  const mode = service.serverMode;
  if (mode !== undefined && mode !== (ts.LanguageServiceMode?.Semantic ?? 0)) return;
  sessionsWithHandler.add(session);
  const category = (c: number): CellDiagnostic['category'] =>
    c === ts.DiagnosticCategory.Error
      ? 'error'
      : c === ts.DiagnosticCategory.Warning
        ? 'warning'
        : c === ts.DiagnosticCategory.Suggestion
          ? 'suggestion'
          : 'message';
  session.addProtocolHandler(CELL_DIAGNOSTICS_COMMAND, (request) => {
    const answer = (body: CellDiagnosticsResponse) => ({ response: body, responseRequired: true });
    const file: unknown = (request.arguments as Partial<CellDiagnosticsArgs> | undefined)?.file;
    if (typeof file !== 'string' || !parseCellFileName(file)) return answer({ known: false, diagnostics: [] });
    const name = ts.server?.toNormalizedPath
      ? ts.server.toNormalizedPath(file)
      : (file as ReturnType<TS['server']['toNormalizedPath']>);
    const project = service.getDefaultProjectForFile?.(name, false);
    if (!project) return answer({ known: false, diagnostics: [] });
    const ls = project.getLanguageService();
    const sf = ls.getProgram?.()?.getSourceFile(name);
    if (!sf) return answer({ known: false, diagnostics: [] });
    const diagnostics: CellDiagnostic[] = [];
    for (const d of ls.getSemanticDiagnostics(name)) {
      if (d.start === undefined) continue;
      const a = ts.getLineAndCharacterOfPosition(sf, d.start);
      const b = ts.getLineAndCharacterOfPosition(sf, d.start + (d.length ?? 0));
      diagnostics.push({
        line: a.line,
        character: a.character,
        endLine: b.line,
        endCharacter: b.character,
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
        code: d.code,
        category: category(d.category),
        ...(d.reportsUnnecessary ? { unnecessary: true } : {}),
        ...(d.reportsDeprecated ? { deprecated: true } : {}),
      });
    }
    return answer({ known: true, diagnostics });
  });
}
