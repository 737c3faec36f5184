import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium: the browser tests never download one. */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'artifacts', 'browser');

/**
 * Headless Debian chromium with a fresh temporary profile and none of its background traffic
 * (this machine has no network). Missing chromium is a failure that says how to install it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Debian's chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` (.ci/run does).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot as artifacts/browser/<name>.png (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const DOCS = join(__dirname, '..', '..', '..', 'docs');

/** Saves the page as the README shows it: docs/<name>.png, the viewport at 1280x800. */
export async function docScreenshot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  // docs/ is committed: only `DOC_SCREENSHOTS=1 npx jest test/browser` rewrites it; a plain run
  // leaves the tree clean and writes the same shots to artifacts/.
  await page.screenshot({
    path: join(process.env.DOC_SCREENSHOTS === '1' ? DOCS : SCREENSHOTS, `${name}.png`),
  });
}
