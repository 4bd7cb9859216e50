/**
 * What the kernel sends to its client, made from parts a cell cannot reach.
 *
 * Cells run in the kernel's own realm and may change any built-in prototype
 * (`Object.prototype.toJSON = …`, `Object.prototype.cmd = 'NODE_…'`, `Array.prototype.map = …`).
 * Protocol messages therefore
 *  - travel with Node's 'advanced' IPC serialization (V8's structured clone, which reads own
 *    properties only and never calls toJSON) instead of JSON.stringify;
 *  - are null-prototype objects, so a polluted Object.prototype adds nothing Node's channel
 *    code looks up (`cmd`, `keepOpen`, …);
 *  - carry output data copied by toWire(), which uses only the built-ins captured below (taken
 *    when this module loads, before any cell runs) and yields plain JSON values: what a saved
 *    notebook can hold. toWire also measures the copy, for the per-cell output cap.
 */

// captured before any cell can replace them
const ObjectProto = Object.prototype;
const objectKeys = Object.keys;
const getProto = Object.getPrototypeOf;
const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty) as (o: object, k: PropertyKey) => boolean;
const isArray = Array.isArray;
const ArrayCtor = Array;
const isView = ArrayBuffer.isView;
const numberIsFinite = Number.isFinite;
const StringCtor = String;
const create = Object.create;
const defineProperty = Object.defineProperty;
const DateProto = Date.prototype;
const dateToISO = Function.prototype.call.bind(Date.prototype.toISOString) as (d: Date) => string;
const dateValue = Function.prototype.call.bind(Date.prototype.getTime) as (d: Date) => number;
const call = Function.prototype.call.bind(Function.prototype.call) as (
  f: Function,
  self: unknown,
  ...a: unknown[]
) => unknown;

/** A null-prototype copy of a flat record (protocol messages are built with it). */
export function record<T extends object>(fields: T): T {
  const out = create(null);
  for (const k of objectKeys(fields))
    defineProperty(out, k, {
      value: (fields as Record<string, unknown>)[k],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/** The options object Node's process.send reads (null prototype: nothing inherited). */
export const SEND_OPTIONS: object = create(null);

export interface WireResult {
  value: unknown;
  size: number;
}

/** Depth beyond which toWire stops (a cyclic or absurdly deep value); JSON.stringify would throw. */
const MAX_DEPTH = 2000;

/**
 * A plain-JSON copy of value, as JSON.stringify would write it (toJSON of the value's own class
 * honoured, undefined and functions dropped, non-finite numbers as null, typed arrays as
 * arrays), without calling anything a cell could have planted on Object.prototype. Cycles
 * throw a TypeError, as in JSON.stringify. size: about the length of the JSON text.
 */
export function toWire(value: unknown): WireResult {
  const stack: unknown[] = [];
  let depth = 0;
  let size = 0;
  const walk = (v: unknown, inArray: boolean): unknown => {
    switch (typeof v) {
      case 'string':
        size += v.length + 2;
        return v;
      case 'number':
        size += 8;
        return numberIsFinite(v) ? v : null;
      case 'boolean':
        size += 5;
        return v;
      case 'bigint': {
        const s = StringCtor(v);
        size += s.length;
        return s;
      }
      case 'undefined':
      case 'function':
      case 'symbol':
        size += inArray ? 4 : 0;
        return inArray ? null : undefined;
    }
    if (v === null) {
      size += 4;
      return null;
    }
    const o = v as Record<string, unknown>;
    // toJSON of the value's own class (Date, Chart, …), never one planted on Object.prototype
    let tj: unknown;
    try {
      tj = o.toJSON;
    } catch {
      tj = undefined;
    }
    if (
      typeof tj === 'function' &&
      !(hasOwn(ObjectProto, 'toJSON') && tj === (ObjectProto as Record<string, unknown>).toJSON)
    ) {
      if (getProto(o) === DateProto) {
        const date = v as Date;
        const t = dateValue(date);
        size += 26;
        return numberIsFinite(t) ? dateToISO(date) : null;
      }
      return walk(call(tj as Function, o, ''), inArray);
    }
    for (let i = 0; i < depth; i++) if (stack[i] === o) throw new TypeError('Converting circular structure to JSON');
    if (depth >= MAX_DEPTH) throw new RangeError(`the value is nested more than ${MAX_DEPTH} levels deep`);
    stack[depth++] = o;
    try {
      if (isArray(o) || (isView(o) && typeof (o as { length?: unknown }).length === 'number')) {
        const arr = v as ArrayLike<unknown>;
        const n = arr.length;
        const out = new ArrayCtor(n);
        for (let i = 0; i < n; i++) out[i] = walk(arr[i], true);
        size += 2 + n;
        return out;
      }
      const out = create(null);
      size += 2;
      for (const k of objectKeys(o)) {
        const w = walk(o[k], false);
        if (w === undefined) continue;
        defineProperty(out, k, { value: w, enumerable: true, writable: true, configurable: true });
        size += k.length + 4;
      }
      return out;
    } finally {
      depth--;
    }
  };
  return { value: walk(value, false), size };
}
