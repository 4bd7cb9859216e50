/**
 * The kernel gets an allowlisted environment (issue 10): cells of a shared notebook cannot read
 * the editor's cloud keys, VS Code's IPC handles or NODE_OPTIONS; the user names what to pass
 * (setting marketNotebooks.kernel.env, CLI --env NAME). Runs the real kernel and the real CLI.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { KernelClient } from '../../../src/kernel/client';
import { kernelEnv } from '../../../src/kernel/env';
import { parseNotebook, serializeNotebook } from '../../../src/format/serialize';
import { CLI, ensureBuilt, KERNEL } from '../helpers';

const SECRETS = {
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
  VSCODE_IPC_HOOK_CLI: '/tmp/vscode-ipc.sock',
  NODE_OPTIONS: '--require /tmp/evil.js',
  GITHUB_TOKEN: 'ghp_x',
  MY_DATA_DIR: '/data',
};
const CELL = `console.log(JSON.stringify(Object.fromEntries(['AWS_SECRET_ACCESS_KEY', 'VSCODE_IPC_HOOK_CLI', 'NODE_OPTIONS', 'GITHUB_TOKEN', 'MY_DATA_DIR', 'PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'HTTPS_PROXY'].map((k) => [k, process.env[k] ?? null]))))`;

describe('security: kernel environment allowlist', function () {
  this.timeout(120_000);
  const saved: Record<string, string | undefined> = {};
  before(() => {
    ensureBuilt();
    for (const [k, v] of Object.entries({
      ...SECRETS,
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      HTTPS_PROXY: 'http://proxy:3128',
    })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('passes only the allowlist and the names asked for', () => {
    const env = kernelEnv(
      { PATH: '/bin', HOME: '/h', LC_TIME: 'de_DE', 'LC_X-Y': 'bad', ...SECRETS, npm_config_token: 't' },
      ['MY_DATA_DIR', 'bad name', ''],
    );
    assert.deepEqual(env, { PATH: '/bin', HOME: '/h', LC_TIME: 'de_DE', MY_DATA_DIR: '/data' });
  });

  it('a cell in the real kernel sees no secret, NODE_OPTIONS or VS Code handle', async () => {
    const run = async (passEnv?: string[]) => {
      const k = await KernelClient.start({ cwd: os.tmpdir(), kernelScript: KERNEL, passEnv });
      try {
        let text = '';
        const r = await k.execute(CELL, 'typescript', {
          cellLabel: 'cell 1',
          onOutput: (e) => {
            if (e.kind === 'stream') text += e.text;
          },
        });
        assert.ok(r.ok, JSON.stringify(r.error));
        return JSON.parse(text);
      } finally {
        await k.dispose();
      }
    };
    const seen = await run();
    for (const k of Object.keys(SECRETS)) assert.equal(seen[k], null, `${k} reached the cell`);
    assert.equal(seen.PATH, process.env.PATH);
    assert.equal(seen.LC_ALL, 'C.UTF-8');
    assert.equal(seen.TZ, 'UTC');
    assert.equal(seen.HTTPS_PROXY, 'http://proxy:3128');
    const asked = await run(['MY_DATA_DIR']);
    assert.equal(asked.MY_DATA_DIR, '/data');
    assert.equal(asked.AWS_SECRET_ACCESS_KEY, null);
  });

  it('the CLI passes what --env names, nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-env-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'e.mktnb'),
        serializeNotebook({
          format: 'mktnb',
          version: '1.0',
          cells: [{ kind: 'code', language: 'typescript', source: [CELL] }],
        }),
      );
      const r = spawnSync(
        process.execPath,
        [CLI, 'run', 'e.mktnb', '--env', 'GITHUB_TOKEN', '--out', 'o.mktnb', '--quiet'],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--no-deprecation' } },
      );
      assert.equal(r.status, 0, r.stderr);
      const out = parseNotebook(fs.readFileSync(path.join(dir, 'o.mktnb'), 'utf8'));
      const seen = JSON.parse(String(out.cells[0].outputs![0].items[0].data));
      assert.equal(seen.GITHUB_TOKEN, 'ghp_x');
      assert.equal(seen.AWS_SECRET_ACCESS_KEY, null);
      assert.equal(seen.NODE_OPTIONS, null);
      const bad = spawnSync(process.execPath, [CLI, 'run', 'e.mktnb', '--env', 'A=B'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--env takes a variable name/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
