/**
 * A real browser for tests of pages and drawings: headless Chromium from Debian's `chromium` package
 * (`.ci/run` installs it when missing), driven by playwright-core with that executable. One browser
 * per test file (closed when the file ends); each page records its console errors, page errors and
 * every request that leaves the page for the network, so a test can assert a self-contained page
 * asked nothing of anyone.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll } from 'vitest';

/** Where Debian puts Chromium; `CHROMIUM_PATH` overrides it (another distribution, a local build). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Promise<Browser> | undefined;
afterAll(async () => {
  const open = browser;
  browser = undefined;
  if (open) await (await open).close();
});

/** The shared browser of this test file; a clear error when Chromium is not installed. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
  browser ??= chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  return browser;
}

export interface WatchedPage {
  page: Page;
  /** console.error messages and uncaught exceptions, in order. */
  errors: string[];
  /** URLs the page asked for other than its own document (`about:`, `data:` and `blob:` URLs are not network). */
  requests: string[];
}

/** A new page (its own context) in the shared browser, watched for errors and network requests. */
export async function newWatchedPage(viewport = { width: 1400, height: 900 }): Promise<WatchedPage> {
  const context = await (await launchBrowser()).newContext({ viewport });
  const page = await context.newPage();
  const watched: WatchedPage = { page, errors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    if (!/^(about|data|blob):/.test(url) && !url.startsWith('file:')) watched.requests.push(url);
  });
  return watched;
}

/**
 * True when a PNG screenshot shows more than one colour: a blank (all-white or all-one-colour) page
 * fails. Counts distinct colours over the decoded pixels, sampled, through the browser itself (no
 * image library needed): the screenshot is drawn on a canvas and read back.
 */
export async function isNonBlank(page: Page, png: Buffer, minColours = 3): Promise<boolean> {
  const colours = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    if (!context) return 0;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 37)
      seen.add(((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0));
    return seen.size;
  }, png.toString('base64'));
  return colours >= minColours;
}
