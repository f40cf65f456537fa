// The scenario editor (issue 13, point 7): CodeMirror 6 with line numbers, wrapped lines that keep
// their indentation, the CLI's messages in place (lint gutter and underline), completion from the
// JSON Schema, and Run ▶ with errors saying so. Then the same from `vite build`'s output, served with
// every request off the machine refused: the editor needs nothing from the network.
import { describe, it, expect } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { useBrowser, haveChromium, CHROMIUM, newPage, waitReady, repo } from './helpers.ts';
import { editorText, setEditorText } from './editor-helpers.ts';
import { parseScenario, formatError } from '../../src/scenario/index.ts';

if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const status = (page: Page) => page.locator('[data-testid="editor-status"]').textContent();

async function openEditor(page: Page, base: string): Promise<void> {
  await page.goto(`${base}?scenario=acks-1-leader-crash`);
  expect(await waitReady(page)).toBe('ready');
  await page.keyboard.press('e');
  await page.locator('[data-testid="editor"]').waitFor({ state: 'visible', timeout: 5000 });
}

/** Type at the end of a fresh document and ask for completion; the labels offered. */
async function complete(page: Page, text: string): Promise<string[]> {
  await page.locator('[data-testid="editor"]').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Space');
  await page.locator('.cm-tooltip-autocomplete').waitFor({ state: 'visible', timeout: 5000 });
  const labels = await page.locator('.cm-tooltip-autocomplete li').allTextContents();
  await page.keyboard.press('Escape'); // closes the list, not the editor
  expect(await page.locator('#editor-pane').isVisible()).toBe(true);
  return labels;
}

async function checkEditor(page: Page): Promise<void> {
  // Line numbers, one per line of the scenario.
  const text = await editorText(page);
  expect(text).toMatch(/^name: acks-1-leader-crash/m);
  expect(await page.locator('.cm-lineNumbers').count()).toBe(1);
  expect(await page.locator('.cm-gutters').isVisible()).toBe(true);
  // Break it: the CLI's message, in place (gutter marker on its line, the word underlined) and listed.
  const broken = text.replace(/^duration:.*$/m, 'duration: soon');
  await setEditorText(page, broken);
  await page.waitForFunction(() => /error/.test(document.querySelector('[data-testid="editor-status"]')?.textContent ?? ''), undefined, { timeout: 10_000 });
  const parsed = parseScenario(broken, 'acks-1-leader-crash.yaml');
  if (parsed.ok) throw new Error('expected an invalid scenario');
  const err = parsed.errors[0];
  expect(await page.locator('[data-testid="editor-errors"] li').first().textContent()).toBe(formatError({ ...err, file: 'acks-1-leader-crash.yaml' }));
  await page.locator('.cm-lint-marker-error').first().waitFor({ state: 'visible', timeout: 5000 });
  const markerLine = await page.evaluate(() => {
    const m = document.querySelector('.cm-lint-marker-error')!.getBoundingClientRect();
    const lines = [...document.querySelectorAll('.cm-lineNumbers .cm-gutterElement')];
    const hit = lines.find((l) => {
      const r = l.getBoundingClientRect();
      return r.height > 0 && m.top + m.height / 2 >= r.top && m.top + m.height / 2 <= r.bottom;
    });
    return Number(hit?.textContent);
  });
  expect(markerLine).toBe(err.line);
  expect(await page.locator('.cm-lintRange-error').first().textContent()).toBe('soon');
  // Run ▶ with errors says so, and puts the cursor on the first.
  const before = await page.evaluate(() => (window as unknown as { kafkasim: { probe(): { runs: { traceHash: string }[] } } }).kafkasim.probe().runs[0].traceHash);
  await page.locator('[data-testid="editor-run"]').click();
  await page.waitForFunction(() => /not run/.test(document.querySelector('[data-testid="editor-status"]')?.textContent ?? ''), undefined, { timeout: 10_000 });
  expect(await status(page)).toBe(`✕ not run: 1 error to fix first (line ${err.line}:${err.column})`);
  expect(await page.locator('.cm-activeLine').textContent()).toBe('duration: soon');
  expect(await page.evaluate(() => (window as unknown as { kafkasim: { probe(): { runs: { traceHash: string }[] } } }).kafkasim.probe().runs[0].traceHash)).toBe(before);
  // Completion from the schema: top-level keys, a topic's keys in a flow map, enum values.
  expect(await complete(page, 'name: x\ndur')).toContain('duration');
  const topic = await complete(page, 'topics:\n  - { name: t, partitions: 1, rep');
  expect(topic).toEqual(expect.arrayContaining(['replicas', 'replication.factor']));
  expect(await complete(page, 'producers:\n  - id: p\n    config:\n      acks: ')).toEqual(expect.arrayContaining(['all', '0', '1']));
}

describe.skipIf(!haveChromium)('the scenario editor', () => {
  let url: string;
  let browser: Browser;

  useBrowser((web) => ({ url, browser } = web));

  it('line numbers, messages in place, Run with errors says so, schema completion', async () => {
    const page = await newPage(browser, 1440, 900);
    await openEditor(page, url);
    await checkEditor(page);
    await page.close();
  });

  it('wrapped lines keep their indentation', async () => {
    const page = await newPage(browser, 1024, 768);
    await openEditor(page, url);
    const long = `timeline:\n  - at: 5s\n    note: ${'A long caption that wraps onto more than one line of the editor, '.repeat(3)}end.\n`;
    await setEditorText(page, long);
    await page.waitForTimeout(300);
    const geo = await page.evaluate(() => {
      const line = [...document.querySelectorAll('.cm-line')].find((l) => l.textContent?.includes('note:')) as HTMLElement;
      const range = document.createRange();
      range.selectNodeContents(line);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const tops = [...new Set(rects.map((r) => Math.round(r.top)))];
      const firstLeft = Math.min(...rects.filter((r) => Math.round(r.top) === tops[0]).map((r) => r.left));
      const contLeft = Math.min(...rects.filter((r) => Math.round(r.top) === tops[1]).map((r) => r.left));
      const ch = parseFloat(getComputedStyle(line).fontSize) * 0.6;
      return { lines: tops.length, firstLeft, contLeft, ch };
    });
    expect(geo.lines).toBeGreaterThan(1);
    // The continuation starts under "note:" (4 spaces in), not at the margin.
    expect(geo.contLeft - geo.firstLeft).toBeGreaterThan(3 * geo.ch);
    await page.close();
  });

  it('works from the vite build with no network (CodeMirror is bundled)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kafkasim-viz-'));
    let http: Server | undefined;
    try {
      await build({ configFile: join(repo, 'vite.config.ts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
      expect(existsSync(join(out, 'favicon.ico'))).toBe(true);
      const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.json': 'application/json' };
      http = createServer((req, res) => {
        const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
        const file = join(out, path === '/' ? 'index.html' : path);
        if (!file.startsWith(out) || !existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      });
      await new Promise<void>((r) => http!.listen(0, '127.0.0.1', () => r()));
      const port = (http.address() as { port: number }).port;
      const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const refused: string[] = [];
      await ctx.route('**/*', (route) => {
        const u = new URL(route.request().url());
        if (u.hostname !== '127.0.0.1') {
          refused.push(u.href);
          return route.abort();
        }
        return route.continue();
      });
      const page = await ctx.newPage();
      page.setDefaultTimeout(60_000);
      await openEditor(page, `http://127.0.0.1:${port}/`);
      await checkEditor(page);
      expect(refused).toEqual([]);
      await ctx.close();
    } finally {
      http?.close();
      rmSync(out, { recursive: true, force: true });
    }
  });
});
