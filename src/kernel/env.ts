/**
 * The kernel's environment: an allowlist, not the editor's whole environment (docs/kernel.md,
 * docs/security.md). Cells run code from shared notebooks; the extension host's environment
 * holds cloud keys, VS Code's IPC handles (VSCODE_IPC_HOOK_CLI …) and NODE_OPTIONS, none of which
 * a cell needs. A cell sees the variables below, plus the names the user lists in the
 * `marketNotebooks.kernel.env` setting (CLI: `--env NAME`).
 */

/** Passed when set: what programs need to find tools, files, the locale, the time zone and the network. */
export const KERNEL_ENV_ALLOWLIST: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  // Windows: a process cannot start sockets or find its profile without these
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'WINDIR',
  'ComSpec',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'HOMEDRIVE',
  'HOMEPATH',
  'SystemDrive',
];
/** Prefixes passed when set: the locale categories. */
const PREFIXES = ['LC_'];
/** A name the user may list: letters, digits and underscores, not starting with a digit. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The environment for a kernel process: allowlisted variables of `parent`, plus `extra` names. */
export function kernelEnv(
  parent: Record<string, string | undefined>,
  extra: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  const allowed = new Set([...KERNEL_ENV_ALLOWLIST, ...extra.filter((n) => ENV_NAME.test(n))]);
  for (const [k, v] of Object.entries(parent)) {
    if (v === undefined) continue;
    if (allowed.has(k) || PREFIXES.some((p) => k.startsWith(p) && ENV_NAME.test(k))) out[k] = v;
  }
  return out;
}
