/**
 * The library's WebAssembly modules (hand-written .wat, embedded as bytes by scripts/wasm.mjs):
 * compiled once each where the runtime has WebAssembly with SIMD, null elsewhere (the callers
 * then run their plain-JS passes, which give identical results). The one owner of the
 * WebAssembly API the library uses: this library's TypeScript lib has no DOM types, and the
 * library also runs outside Node.
 */

/** A module's exported memory. */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const api = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
const compiled = new Map<Uint8Array, object | null>();

/** The compiled module of these bytes, or null where WebAssembly (with SIMD) is missing. */
export function wasmModule(bytes: Uint8Array): object | null {
  let mod = compiled.get(bytes);
  if (mod === undefined) {
    mod = null;
    const wa = api();
    try {
      if (wa && wa.validate(bytes)) mod = new wa.Module(bytes);
    } catch {
      mod = null;
    }
    compiled.set(bytes, mod);
  }
  return mod;
}

/** A new instance of a module from wasmModule (its own memory), as its exports. */
export function wasmInstance<E>(mod: object): E {
  return new (api() as WasmApi).Instance(mod, {}).exports as E;
}

/** Grows a module's memory to at least `bytes`; returns its buffer (growing detaches the old one). */
export function ensureMemory(memory: WasmMemory, bytes: number): ArrayBuffer {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
  return memory.buffer;
}
