// .mktnb fixtures are imported as JSON (esbuild loader in build.mjs)
declare module '*.mktnb' {
  const notebook: { format: 'mktnb'; version: string; cells: unknown[] };
  export default notebook;
}
