// Start/stop code-server (a real VS Code: server + web workbench) on 127.0.0.1 with a free port.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CS_ENTRY } from '../setup.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** User settings that keep the workbench quiet and deterministic for screenshots. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Light Modern',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
  'notebook.confirmDeleteRunningCell': false,
  'window.restoreWindows': 'none',
  'workbench.editor.restoreViewState': false,
};

/**
 * @param {object} o
 * @param {string} o.userDataDir fresh dir (User/settings.json written here)
 * @param {string} o.extensionsDir dir holding the unpacked extension
 * @param {boolean} o.trust true: --disable-workspace-trust (everything trusted)
 * @param {Record<string,string>} [o.env] extra environment (inherited by the extension host)
 * @param {object} [o.settings] extra user settings
 * @param {string} o.logFile where code-server's stdout/stderr go
 */
export async function startCodeServer(o) {
  fs.mkdirSync(path.join(o.userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(o.userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...o.settings }, null, 2),
  );
  const config = path.join(o.userDataDir, 'code-server.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  let lastErr;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = [
      CS_ENTRY,
      '--config',
      config,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--user-data-dir',
      o.userDataDir,
      '--extensions-dir',
      o.extensionsDir,
      ...(o.trust ? ['--disable-workspace-trust'] : []),
    ];
    const out = fs.openSync(o.logFile, 'a');
    fs.writeSync(out, `\n# node ${args.join(' ')}\n`);
    const child = spawn(process.execPath, args, {
      detached: true, // own process group: stop() ends code-server and the processes it forked
      stdio: ['ignore', out, out],
      env: { ...process.env, ...o.env, PASSWORD: undefined, HASHED_PASSWORD: undefined, VSCODE_PROXY_URI: undefined },
    });
    fs.closeSync(out);
    let exited = null;
    child.on('exit', (code, sig) => (exited = code ?? sig));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    while (exited === null && Date.now() < deadline) {
      try {
        const r = await fetch(`${url}/healthz`);
        if (r.ok) {
          return {
            url,
            port,
            pid: child.pid,
            logFile: o.logFile,
            async stop() {
              if (exited !== null) return;
              const gone = new Promise((res) => child.once('exit', res));
              try {
                process.kill(-child.pid, 'SIGTERM');
              } catch {
                /* already gone */
              }
              const t = setTimeout(() => {
                try {
                  process.kill(-child.pid, 'SIGKILL');
                } catch {
                  /* gone */
                }
              }, 5000);
              await gone;
              clearTimeout(t);
            },
          };
        }
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200)); // poll interval, not a wait-for-time
    }
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    lastErr = new Error(`code-server did not become healthy on port ${port} (exit: ${exited}); see ${o.logFile}`);
  }
  throw lastErr;
}
