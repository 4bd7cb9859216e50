// Root hooks: a screenshot after every scenario (failed ones marked), windows closed per file.
import { closeWindows, shot } from '../lib/context.mjs';

afterEach(async function () {
  const t = this.currentTest;
  const file = await shot(`${t.parent.title}--${t.title}${t.state === 'failed' ? '--FAILED' : ''}`.slice(0, 120));
  if (file && t.state === 'failed') console.log(`      screenshot: ${file}`);
});

after(async function () {
  await closeWindows();
});
