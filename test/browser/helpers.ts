// Shared plumbing of the browser tests: the page from the shared Vite server (global-setup.ts), and Debian's
// chromium driven by playwright-core. Every wait has a timeout; nothing waits open-endedly.
import { beforeAll, afterAll, inject } from 'vitest';
import type { ViteDevServer } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repo, startServer } from './server.ts';

export { repo, startServer };
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const screenshots = join(repo, 'test/browser/screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * The page's address and a Chromium for the enclosing describe block, handed to `ready` before its
 * tests and closed after them (so a test file says `useBrowser((web) => ({ url, browser } = web))`).
 * The server is the one the browser project's global setup started for every file (global-setup.ts);
 * outside it (a script), one of its own.
 */
export function useBrowser(ready: (web: { url: string; browser: Browser }) => void): void {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    let url = inject('viteUrl');
    if (url === undefined) ({ server, url } = await startServer());
    browser = await launch();
    ready({ url, browser });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}

export async function newPage(browser: Browser, width = 1600, height = 1000): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  return page;
}

/** Wait until the page has finished running its scenario (or failed to). */
export async function waitReady(page: Page, timeoutMs = 90_000): Promise<string> {
  await page.waitForFunction(() => ['ready', 'invalid', 'error'].includes(document.body.dataset.state ?? ''), undefined, { timeout: timeoutMs });
  return page.evaluate(() => document.body.dataset.state ?? '');
}

/** Seek the playhead (through the page's own API, as the timeline would) and wait for the render. */
export async function seek(page: Page, tUs: number): Promise<void> {
  await page.evaluate((t) => (window as unknown as { kafkasim: { seek(t: number): void } }).kafkasim.seek(t), tUs);
  await page.waitForFunction((t) => document.body.dataset.t === String(t), tUs, { timeout: 10_000 });
}

/**
 * Open the page at `query`, wait for its run, seek to `tUs` and let the layout settle (the app lays
 * out on resize after 150 ms, and presentation mode's fitting follows it).
 */
export async function openAt(page: Page, url: string, query: string, tUs: number): Promise<void> {
  await page.goto(`${url}?${query}`);
  const state = await waitReady(page);
  if (state !== 'ready') throw new Error(`the page is ${state}, not ready, for ?${query}`);
  await seek(page, tUs);
  await page.waitForTimeout(700);
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshots, { recursive: true });
  const path = join(screenshots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
