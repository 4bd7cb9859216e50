// Types of scripts/wasm.mjs for the TypeScript that imports it (the rolling Spearman test).
export interface WasmSource {
  wat: string;
  out: string;
  name: string;
}
export const WASM_SOURCES: WasmSource[];
export function compileWat(path: string): Promise<Uint8Array>;
export function moduleText(src: WasmSource, bytes: Uint8Array): string;
