/**
 * A kernel's parent for the signal tests (test/unit/kernel/faults.test.ts): starts a kernel with
 * the real client, runs a cell that starts a child process and then stays busy, and prints
 * {"kernel": pid, "child": pid, "helpers": [esbuild's service]} once the cell is busy. The test then kills this process.
 *   node -r tsx/cjs parent-fixture.ts KERNEL_SCRIPT CWD [busy|idle]
 */
import { KernelClient } from '../../../src/kernel/client';

async function main(): Promise<void> {
  const [kernelScript, cwd, mode = 'busy'] = process.argv.slice(2);
  const k = await KernelClient.start({ cwd, kernelScript });
  let printed = false;
  const code = [
    "const { spawn } = require('node:child_process');",
    "const child = spawn('sleep', ['1000'], { stdio: 'ignore' });",
    'console.log(JSON.stringify({ kernel: process.pid, child: child.pid }));',
    mode === 'busy' ? 'await new Promise((r) => setTimeout(r, 50));\nwhile (true) {}' : '',
  ].join('\n');
  void k.execute(code, 'javascript', {
    cellLabel: 'cell 1',
    onOutput: (e) => {
      if (e.kind !== 'stream' || printed) return;
      printed = true;
      const pids = JSON.parse(e.text) as object;
      // the kernel reports its esbuild service soon after it is ready
      const t = setInterval(() => {
        if (!k.helperPids.length) return;
        clearInterval(t);
        process.stdout.write(JSON.stringify({ ...pids, helpers: k.helperPids }) + '\n');
      }, 10);
    },
  });
  setInterval(() => undefined, 1000);
}
void main();
