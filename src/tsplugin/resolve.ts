/**
 * Module resolution in a cell, patched into the language service host (host.ts calls this):
 * 'mktnb' resolves to types/market/index.d.ts (declarations emitted by tsc from src/market),
 * 'mktnb-cell:<fragment>' to the sibling cell with that fragment; every other name, and every
 * name in a file that is not a cell, resolves as the host (or TypeScript's default) resolves it.
 */
import { CELL_SPECIFIER_PREFIX, LIBRARY_MODULE, parseCellFileName } from './cells';
import type { LanguageServiceHost, ResolvedModuleWithFailedLookupLocations, StringLiteralLike, TS } from './tsapi';

type Literals = readonly StringLiteralLike[];
type Resolved = ResolvedModuleWithFailedLookupLocations;

const resolved = (resolvedFileName: string, extension: string, isExternalLibraryImport: boolean): Resolved => ({
  resolvedModule: { resolvedFileName, extension, isExternalLibraryImport, resolvedUsingTsExtension: false },
});

/** Sets `host.resolveModuleNameLiterals`, keeping the host's own for the names it does not handle. */
export function patchModuleResolution(
  ts: TS,
  host: LanguageServiceHost,
  libraryEntry: string,
  readFile: (fileName: string) => string | undefined,
): void {
  const orig = host.resolveModuleNameLiterals?.bind(host);
  host.resolveModuleNameLiterals = (
    literals,
    containingFile,
    redirectedReference,
    options,
    containingSourceFile,
    reusedNames,
  ) => {
    const resolveRest = (lits: Literals): readonly Resolved[] =>
      orig
        ? orig(lits, containingFile, redirectedReference, options, containingSourceFile, reusedNames)
        : lits.map((lit) =>
            ts.resolveModuleName(lit.text, containingFile, options, {
              fileExists: (f: string) => (host.fileExists ? host.fileExists(f) : ts.sys.fileExists(f)),
              readFile,
            }),
          );
    const ref = parseCellFileName(containingFile);
    if (!ref) return resolveRest(literals);
    const out: Resolved[] = new Array<Resolved>(literals.length);
    const rest: StringLiteralLike[] = [];
    const restIdx: number[] = [];
    literals.forEach((lit, i) => {
      const name = lit.text;
      if (name === LIBRARY_MODULE) out[i] = resolved(libraryEntry, '.d.ts', true);
      else if (name.startsWith(CELL_SPECIFIER_PREFIX))
        out[i] = resolved(ref.base + name.slice(CELL_SPECIFIER_PREFIX.length), '.ts', false);
      else {
        rest.push(lit);
        restIdx.push(i);
      }
    });
    if (rest.length)
      resolveRest(rest).forEach((r, k) => {
        out[restIdx[k]] = r;
      });
    return out;
  };
}
