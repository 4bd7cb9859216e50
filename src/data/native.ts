/**
 * DuckDB's packages, loaded on first use (the native addon is large; a kernel that runs no SQL
 * never loads it). The bundles keep @duckdb/node-bindings-<platform> external: it is found in
 * node_modules next to the bundle (dist/node_modules in the VSIX, see scripts/package.mjs).
 */
import type * as Bindings from '@duckdb/node-bindings';
import type * as NodeApi from '@duckdb/node-api';

let b: typeof Bindings | undefined;
let api: typeof NodeApi | undefined;

function explain(e: unknown): Error {
  const msg = (e as Error)?.message ?? String(e);
  return new Error(
    `DuckDB could not be loaded for this platform (${process.platform}-${process.arch}): ${msg.split('\n')[0]}. ` +
      'The VSIX of another platform was perhaps installed; install the one for this machine.',
  );
}

export function bindings(): typeof Bindings {
  if (!b) {
    try {
      b = require('@duckdb/node-bindings') as typeof Bindings;
    } catch (e) {
      throw explain(e);
    }
    // the CommonJS module's default export under esModuleInterop
    const m = b as typeof Bindings & { default?: typeof Bindings };
    if (m.default && !m.query) b = m.default;
  }
  return b!;
}

export function nodeApi(): typeof NodeApi {
  if (!api) {
    bindings();
    api = require('@duckdb/node-api') as typeof NodeApi;
  }
  return api;
}
