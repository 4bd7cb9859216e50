/**
 * Growing typed arrays: the one helper for buffers the library fills without knowing their
 * final length (the cascade's checkpoints, liquidation events and per-round sinks). Doubling
 * keeps appends amortised O(1).
 */

/** The typed arrays grow() handles. */
export type GrowableArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int8Array | Uint8Array;

/**
 * `a` itself when it holds at least `min` elements, else a new array of the same type and
 * max(min, 2·a.length) elements starting with a copy of `a`.
 */
export function grow<T extends GrowableArray>(a: T, min: number): T {
  if (a.length >= min) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}

/** An append-only typed array: push() values, then done() returns them (a copy of that length). */
export class TypedList<T extends GrowableArray> {
  n = 0;
  constructor(private a: T) {}
  push(v: number): void {
    if (this.n === this.a.length) this.a = grow(this.a, this.n + 1);
    this.a[this.n++] = v;
  }
  done(): T {
    return this.a.slice(0, this.n) as T;
  }
}
