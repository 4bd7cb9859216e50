// The one place that launches Chromium for tests and scripts (renderer tests, the HTML-export
// checks, the e2e workbench, scripts/tsplugin-e2e.mjs): where the browser is and how it starts.
// Debian's chromium package is the browser (playwright-core downloads none); MKTNB_CHROMIUM
// points elsewhere.
import { chromium } from 'playwright-core';

/** Path of the Chromium executable: $MKTNB_CHROMIUM, else Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env.MKTNB_CHROMIUM || '/usr/bin/chromium';

/**
 * Flags for a headless Chromium in a container, with nothing fetched behind the tests' back:
 * no sandbox (runs as root), no GPU, no QUIC, no first-run/background/update/sync traffic (the
 * tests assert which requests a page makes), and /tmp instead of a small /dev/shm (the VS Code
 * workbench is a large page).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches headless Chromium with CHROMIUM_ARGS.
 * @returns {Promise<import('playwright-core').Browser>}
 */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
