/**
 * What the Variables view shows of a name a cell declared: its type, its shape and a one-line
 * summary, as Jupyter's variable explorer does. Runs in the kernel (the values live there); the
 * extension only receives these strings, so a huge Frame costs a few lines, never its data.
 */
import { inspect } from 'node:util';
import { Frame, Series, formatTime } from '../market/series';
import type { VariableInfo } from './protocol';

const MAX_SUMMARY = 120;

const clip = (s: string): string => {
  const one = s.replace(/\s*\n\s*/g, ' ');
  return one.length > MAX_SUMMARY ? `${one.slice(0, MAX_SUMMARY - 1)}…` : one;
};

/** A number as a person reads it in a summary: 4 significant digits, no exponent for usual sizes. */
function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) return x.toPrecision(4);
  return Number(x.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: a >= 100 ? 2 : 6 });
}

function range(index: Float64Array): string {
  return index.length ? `${formatTime(index[0])} .. ${formatTime(index[index.length - 1])}` : 'empty';
}

function className(v: object): string {
  const c = (v as { constructor?: { name?: unknown } }).constructor;
  return typeof c?.name === 'string' && c.name ? c.name : 'Object';
}

export function describeValue(name: string, value: unknown): VariableInfo {
  const info = (type: string, shape: string, summary: string): VariableInfo => ({
    name,
    type,
    shape,
    summary: clip(summary),
  });
  try {
    if (value instanceof Series) {
      const last = value.length ? num(value.values[value.length - 1]) : '';
      return info(
        'Series',
        String(value.length),
        `${value.name}, ${range(value.index)}${last ? `, last ${last}` : ''}`,
      );
    }
    if (value instanceof Frame) {
      return info(
        'Frame',
        `${value.length} × ${value.names.length}`,
        `${value.names.join(', ')}; ${range(value.index)}`,
      );
    }
    switch (typeof value) {
      case 'number':
        return info('number', '', num(value));
      case 'bigint':
        return info('bigint', '', `${value}n`);
      case 'string':
        return info('string', String(value.length), JSON.stringify(value));
      case 'boolean':
        return info('boolean', '', String(value));
      case 'undefined':
        return info('undefined', '', 'undefined');
      case 'symbol':
        return info('symbol', '', value.toString());
      case 'function': {
        const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
        return info(
          isClass ? 'class' : 'function',
          '',
          `${isClass ? 'class' : 'function'} ${value.name || name}${isClass ? '' : `(${value.length} argument${value.length === 1 ? '' : 's'})`}`,
        );
      }
    }
    if (value === null) return info('null', '', 'null');
    const inspected = () =>
      inspect(value, {
        colors: false,
        depth: 1,
        maxArrayLength: 8,
        maxStringLength: 60,
        breakLength: Infinity,
        compact: true,
      });
    if (Array.isArray(value)) return info('Array', String(value.length), inspected());
    if (ArrayBuffer.isView(value)) {
      const n = (value as unknown as { length?: number }).length ?? value.byteLength;
      return info(className(value), String(n), inspected());
    }
    if (value instanceof Map || value instanceof Set) return info(className(value), String(value.size), inspected());
    if (value instanceof Date)
      return info('Date', '', Number.isFinite(value.getTime()) ? value.toISOString() : 'Invalid Date');
    if (value instanceof Promise) return info('Promise', '', inspected());
    if (value instanceof Error) return info(className(value), '', `${value.name}: ${value.message}`);
    const keys = Object.keys(value as object);
    return info(className(value as object), `${keys.length} key${keys.length === 1 ? '' : 's'}`, inspected());
  } catch (e) {
    // a getter or a proxy that throws must not break the view
    return info('unknown', '', `(cannot be shown: ${(e as Error)?.message ?? e})`);
  }
}

/** The variables among `names` (in declaration order) that still exist on `scope`. */
export function listVariables(names: Iterable<string>, scope: Record<string, unknown>): VariableInfo[] {
  const out: VariableInfo[] = [];
  for (const n of names) {
    if (!Object.prototype.hasOwnProperty.call(scope, n)) continue;
    let v: unknown;
    try {
      v = scope[n];
    } catch (e) {
      out.push({ name: n, type: 'unknown', shape: '', summary: `(cannot be read: ${(e as Error)?.message ?? e})` });
      continue;
    }
    out.push(describeValue(n, v));
  }
  return out;
}
