/**
 * Named connections of a notebook (docs/data.md, "Connections"): what `.mktnb` metadata may say
 * about a database a SQL cell runs on, read the same way by the extension, the CLI and the kernel.
 *
 *   "metadata": { "connections": [
 *     { "name": "desk", "engine": "clickhouse", "url": "http://ch.desk:8123", "database": "market",
 *       "user": "analyst", "passwordEnv": "MKTNB_DESK_PASSWORD" } ] }
 *
 * Never a password: a notebook is shared. The password comes from the environment variable
 * `passwordEnv` names (which must start with MKTNB_, so a shared notebook cannot make the kernel
 * send an unrelated secret such as a cloud key to a server it names), or from VS Code's
 * SecretStorage. Browser-safe: no Node, no vscode.
 */

export type ConnectionEngine = 'clickhouse' | 'duckdb';

export interface ConnectionSpec {
  /** the name cells use (`-- on desk`, sql.on('desk')): a JavaScript identifier */
  name: string;
  engine: ConnectionEngine;
  /** ClickHouse: the HTTP(S) endpoint (http://host:8123); DuckDB: unused (see database) */
  url?: string;
  /** ClickHouse: the default database; DuckDB: a .duckdb file relative to the notebook (unset: in memory) */
  database?: string;
  /** ClickHouse user (default "default") */
  user?: string;
  /** environment variable holding the password (default MKTNB_<NAME>_PASSWORD) */
  passwordEnv?: string;
}

/** What the client hands the kernel (environment variable KERNEL_ENV.connections): specs plus resolved credentials. */
export interface ResolvedConnection extends ConnectionSpec {
  /** the password found for the connection (undefined: none; the server may not need one) */
  password?: string;
  /** where the password came from, for error messages ("MKTNB_DESK_PASSWORD", "SecretStorage") */
  passwordSource?: string;
  /** result-size cap in rows (the setting marketNotebooks.sql.maxResultRows) */
  maxRows?: number;
}

const NAME = /^[A-Za-z_$][\w$]*$/;
const ENV = /^MKTNB_[A-Za-z0-9_]+$/;
/** keys a connection may carry; anything else (a password above all) is refused */
const KEYS = new Set(['name', 'engine', 'url', 'database', 'user', 'passwordEnv']);

/** The environment variable a connection's password is read from. */
export function passwordEnvName(spec: Pick<ConnectionSpec, 'name' | 'passwordEnv'>): string {
  return spec.passwordEnv ?? `MKTNB_${spec.name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}_PASSWORD`;
}

/**
 * The connections of a notebook's metadata, checked: throws an Error naming the connection and
 * field for a bad entry (a password, an unknown engine, a name that is not an identifier, …).
 */
export function notebookConnections(metadata: Record<string, unknown> | undefined): ConnectionSpec[] {
  const raw = metadata?.connections;
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new Error('metadata.connections must be a list of connections ({ name, engine, url, database })');
  const seen = new Set<string>();
  return raw.map((c, i) => {
    const where = `metadata.connections[${i}]`;
    if (!c || typeof c !== 'object' || Array.isArray(c))
      throw new Error(`${where} must be an object { name, engine, url, database }`);
    const o = c as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (/pass(word)?$|secret|token/i.test(k))
        throw new Error(
          `${where}.${k}: a notebook never carries a password; name an environment variable in "passwordEnv" or let VS Code ask for it`,
        );
      if (!KEYS.has(k))
        throw new Error(`${where}.${k}: unknown field (expected name, engine, url, database, user, passwordEnv)`);
    }
    const str = (k: string): string | undefined => {
      const v = o[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || !v.trim()) throw new Error(`${where}.${k} must be a non-empty string`);
      return v.trim();
    };
    const name = str('name');
    if (!name || !NAME.test(name))
      throw new Error(
        `${where}.name must be an identifier (letters, digits, _ or $, not starting with a digit), got ${JSON.stringify(o.name)}`,
      );
    if (seen.has(name)) throw new Error(`${where}.name: a second connection named "${name}"`);
    seen.add(name);
    const engine = str('engine');
    if (engine !== 'clickhouse' && engine !== 'duckdb')
      throw new Error(`${where}.engine must be "clickhouse" or "duckdb", got ${JSON.stringify(o.engine)}`);
    const url = str('url');
    if (engine === 'clickhouse') {
      if (!url)
        throw new Error(
          `${where}.url: a ClickHouse connection needs the server's HTTP address, e.g. "http://localhost:8123"`,
        );
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        throw new Error(`${where}.url is not a URL: ${JSON.stringify(url)}`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        throw new Error(`${where}.url must be http:// or https://, got ${u.protocol}`);
      if (u.password || u.username)
        throw new Error(
          `${where}.url: a notebook never carries credentials; put the user in "user" and the password in an environment variable ("passwordEnv")`,
        );
    }
    const passwordEnv = str('passwordEnv');
    if (passwordEnv !== undefined && !ENV.test(passwordEnv)) {
      throw new Error(
        `${where}.passwordEnv must name a variable starting with MKTNB_ (e.g. "MKTNB_${name.toUpperCase()}_PASSWORD"), got ${JSON.stringify(passwordEnv)}: ` +
          'a shared notebook may not send any other variable of your environment to a server it names',
      );
    }
    const spec: ConnectionSpec = { name, engine };
    const database = str('database'),
      user = str('user');
    if (url) spec.url = url;
    if (database) spec.database = database;
    if (user) spec.user = user;
    if (passwordEnv) spec.passwordEnv = passwordEnv;
    return spec;
  });
}

/** The connections with the passwords found in `env` (the CLI, and the extension before SecretStorage). */
export function resolveFromEnv(
  specs: ConnectionSpec[],
  env: Record<string, string | undefined>,
  maxRows?: number,
): ResolvedConnection[] {
  return specs.map((s) => {
    const r: ResolvedConnection = { ...s };
    if (maxRows) r.maxRows = maxRows;
    if (s.engine !== 'clickhouse') return r;
    const v = passwordEnvName(s);
    if (env[v] !== undefined) {
      r.password = env[v];
      r.passwordSource = v;
    }
    return r;
  });
}

/** Settings that travel with the connections to the kernel. */
export interface ConnectionSettings {
  maxRows?: number;
  timeoutSeconds?: number;
}

/**
 * The kernel's environment entry for a notebook's connections (KERNEL_ENV.connections), with the
 * passwords found in `env` plus those `extra` supplies (the extension's SecretStorage). Empty when
 * the notebook has none.
 */
export function connectionsJson(
  specs: ConnectionSpec[],
  env: Record<string, string | undefined>,
  settings: ConnectionSettings = {},
  extra: Record<string, { password: string; source: string }> = {},
): string {
  return JSON.stringify(
    resolveFromEnv(specs, env, settings.maxRows).map((c) => {
      const x = extra[c.name];
      const r: ResolvedConnection & { timeoutMs?: number } =
        c.password === undefined && x ? { ...c, password: x.password, passwordSource: x.source } : c;
      if (settings.timeoutSeconds) r.timeoutMs = settings.timeoutSeconds * 1000;
      return r;
    }),
  );
}
