/**
 * The complete-data rolling passes of rollingComplete.ts (Pearson, beta, covariance) in
 * WebAssembly SIMD (rollingComplete.wat): the JS pass restarts its sums every L = RESTART·w
 * outputs, so its blocks are independent, and the two f64 lanes of a vector run two neighbouring
 * blocks at once, each lane doing exactly the JS operations in the JS order: the outputs are bit
 * for bit the JS pass's.
 *
 * Why: the JS Pearson pass costs ~20 ns a point in V8 (bench/data.mjs, 10^8 points: 1.9 s of user
 * CPU), most of it the division and square root of each output, which V8 does not vectorise; two
 * lanes halve them, and the loop keeps its sums in registers (0.9 s). The data are copied into the module's
 * memory a chunk of blocks at a time (~2^16 outputs: x, y and the outputs stay in L2), so
 * memory beside the output stays small whatever the length.
 */
import { ROLLING_COMPLETE_WASM } from './rollingComplete.wasm';
import { ensureMemory, wasmInstance, wasmModule, type WasmMemory } from './wasm';

interface RollExports {
  memory: WasmMemory;
  /** kind: RollKind.Corr (0), Beta (1) or Cov (2) */
  roll(x: number, y: number, out: number, st: number, w: number, L: number, pairs: number, kind: number): void;
}

/** Outputs per call into the module (a chunk): its x, y and outputs are ~1.5 MB in all. */
const CHUNK = 1 << 16;
/** Largest 2·L + w - 1 (values of x per pair of blocks) the pass takes: 32 MB per input. */
export const WASM_MAX_VALUES = 1 << 22;

/** Block status the pass reports: its outputs are final. */
export const BLOCK_DONE = 0;
/** Block status: some window is (near-)constant; redo the block with the check on every window. */
export const BLOCK_CONSTANT = 1;
/** Block status: a NaN or ±Infinity reached the sums (the general kernel must run). */
export const BLOCK_NONFINITE = 2;

/** True when the WebAssembly pass can run windows of w (SIMD present, a pair of blocks fits). */
export function rollWasmAvailable(w: number, L: number): boolean {
  return 2 * L + w - 1 <= WASM_MAX_VALUES && wasmModule(ROLLING_COMPLETE_WASM) !== null;
}

/** Memory the kept instance may grow to (chunks of usual windows need ~1.5 MB). */
const KEEP_BYTES = 1 << 25;
let kept: RollExports | undefined;

/**
 * The module's instance for a pass needing `bytes` of memory: one instance is kept and reused
 * (a new instance and its memory cost ~1 ms, more than the whole pass on 10^4 points; the pass
 * is synchronous, so no two calls share it at once); a pass needing more than KEEP_BYTES gets an
 * instance of its own, so that the kept one never holds on to a large memory.
 */
function instance(bytes: number): RollExports {
  if (bytes > KEEP_BYTES) return wasmInstance<RollExports>(wasmModule(ROLLING_COMPLETE_WASM)!);
  return (kept ??= wasmInstance<RollExports>(wasmModule(ROLLING_COMPLETE_WASM)!));
}

/**
 * The outputs of the first 2·pairs whole blocks of the complete-data pass of `kind` (RollKind
 * Corr, Beta or Cov) into out
 * (block b: outputs w-1+b·L .. w-1+(b+1)·L-1); returns each block's status (BLOCK_*). The
 * caller checks rollWasmAvailable first.
 */
export function rollPairsWasm(
  x: Float64Array,
  y: Float64Array,
  w: number,
  L: number,
  pairs: number,
  out: Float64Array,
  kind: number,
): Int32Array {
  const per = Math.min(pairs, Math.max(1, Math.floor(CHUNK / (2 * L)))); // pairs per chunk
  const M = 2 * per * L + w - 1; // input values per chunk
  const xOff = 0,
    yOff = 8 * M,
    oOff = 16 * M,
    sOff = oOff + 16 * per * L;
  const e = instance(sOff + 8 * per);
  const buf = ensureMemory(e.memory, sOff + 8 * per);
  const mx = new Float64Array(buf, xOff, M),
    my = new Float64Array(buf, yOff, M),
    mo = new Float64Array(buf, oOff, 2 * per * L),
    ms = new Int32Array(buf, sOff, 2 * per);
  const status = new Int32Array(2 * pairs);
  for (let c = 0; c < pairs; c += per) {
    const pc = Math.min(per, pairs - c);
    const row = 2 * c * L; // the chunk's first window starts here; its first output is row + w - 1
    const m = 2 * pc * L + w - 1;
    mx.set(x.subarray(row, row + m));
    my.set(y.subarray(row, row + m));
    e.roll(xOff, yOff, oOff, sOff, w, L, pc, kind);
    out.set(mo.subarray(0, 2 * pc * L), row + w - 1);
    status.set(ms.subarray(0, 2 * pc), 2 * c);
  }
  return status;
}
