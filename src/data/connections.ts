/**
 * A process's named connections (docs/data.md, "Connections"): the notebook's metadata names them
 * (src/shared/connections.ts), the client (extension or CLI) adds the credentials it found and
 * hands them to the kernel, and SQL cells (`-- on desk`) and sql.on('desk')`…` run here.
 * ClickHouse connections go through src/data/clickhouse.ts; a DuckDB connection is a database of
 * its own (its `database` file, else in memory) beside the kernel's default one.
 */
import type { Frame } from '../market/series';
import type { ResolvedConnection } from '../shared/connections';
import { ClickHouse, type ClickHouseQueryOptions } from './clickhouse';
import { bindValues } from './clickhouseLiterals';
import { Engine, toParam, type QueryOptions } from './engine';

let specs = new Map<string, ResolvedConnection & { timeoutMs?: number }>();
const open = new Map<string, ClickHouse | Promise<Engine>>();

/** Sets the process's connections (the kernel: from the client; a Node program: its own list). Open ones that changed are closed. */
export function configureConnections(list: Array<ResolvedConnection & { timeoutMs?: number }>): void {
  const next = new Map(list.map((c) => [c.name, c]));
  for (const [name, c] of open) {
    if (JSON.stringify(next.get(name)) === JSON.stringify(specs.get(name))) continue;
    open.delete(name);
    if (c instanceof ClickHouse) void c.close();
    else
      void c.then(
        (e) => e.close(),
        () => undefined,
      );
  }
  specs = next;
}

/** The names of the process's connections. */
export function connectionNames(): string[] {
  return [...specs.keys()];
}

/** The connection's spec; throws an error listing the known names for an unknown one. */
export function connectionSpec(name: string): ResolvedConnection {
  const s = specs.get(name);
  if (!s) {
    const known = connectionNames();
    throw new Error(
      `no connection named "${name}": ${known.length ? `this notebook has ${known.map((k) => `"${k}"`).join(', ')}` : 'this notebook has none'} ` +
        '(add one with "Market Notebooks: Add Connection…", which writes it to the notebook\'s metadata)',
    );
  }
  return s;
}

/** The open ClickHouse connection of that name (opened on first use). */
export function clickhouse(name: string): ClickHouse {
  const s = connectionSpec(name);
  if (s.engine !== 'clickhouse') throw new Error(`connection "${name}" is a ${s.engine} connection, not ClickHouse`);
  let c = open.get(name);
  if (!c) {
    c = new ClickHouse(s);
    open.set(name, c);
  }
  return c as ClickHouse;
}

/** The DuckDB database of a duckdb connection (opened on first use). */
export function duckdbConnection(name: string): Promise<Engine> {
  const s = connectionSpec(name);
  if (s.engine !== 'duckdb') throw new Error(`connection "${name}" is a ${s.engine} connection, not DuckDB`);
  let c = open.get(name);
  if (!c) {
    const p = Engine.open(s.database ? { path: s.database } : {});
    p.catch(() => open.delete(name));
    c = p;
    open.set(name, c);
  }
  return c as Promise<Engine>;
}

/**
 * The tagged template of a named connection: `await sql.on('desk')\`SELECT … WHERE ts >= ${from}\``
 * resolves to a Frame. Values are bound by the server where it can (ClickHouse 19.x and later, DuckDB), else
 * written as typed literals by chLiteral (ClickHouse 18.x); never spliced in as raw text.
 */
export function on(
  name: string,
  opts: ClickHouseQueryOptions & QueryOptions = {},
): (strings: TemplateStringsArray, ...values: unknown[]) => Promise<Frame> {
  return async (strings, ...values) => {
    const spec = connectionSpec(name);
    if (!Array.isArray(strings) || !Array.isArray((strings as TemplateStringsArray).raw)) {
      throw new TypeError(
        `sql.on('${name}') is a tagged template: write sql.on('${name}')\`SELECT …\` (values go in \${}, bound as parameters)`,
      );
    }
    if (spec.engine === 'duckdb') {
      let text = strings[0];
      for (let i = 1; i < strings.length; i++) text += `$${i}` + strings[i];
      return (await duckdbConnection(name)).query(text, values.map(toParam), opts);
    }
    const ch = clickhouse(name);
    const { text, params } = bindValues(strings, values, await ch.supportsParams());
    return ch.query(text, params, opts);
  };
}

/** Stops every running query of every connection (kernel interrupt). */
export function interruptConnections(): void {
  for (const c of open.values()) {
    if (c instanceof ClickHouse) c.interrupt();
    else
      void c.then(
        (e) => e.interrupt(),
        () => undefined,
      );
  }
}

/** Closes every open connection. */
export async function closeConnections(): Promise<void> {
  const all = [...open.values()];
  open.clear();
  await Promise.all(
    all.map((c) =>
      c instanceof ClickHouse
        ? c.close()
        : c.then(
            (e) => e.close(),
            () => undefined,
          ),
    ),
  );
}
