// The same scenario file gives the same answer in Node and in Chromium (issue 10, point 8): odd but
// valid files (anchors and aliases, flow style, quoted and hex numbers, unicode and emoji, CRLF, a
// byte-order mark, JSON, drawn latencies, keys, moments and brokers, long notes) run in Node as the
// CLI runs them (bytes decoded by decodeScenarioBytes, parseScenario, runScenario, the trace's hash)
// and in the page, opened as a file and run in its worker; odd and invalid ones (merge keys, quoted
// counts, invalid UTF-8, !!binary, !!timestamp and custom tags) must be refused by both with the same
// located messages (a !!binary note was traced as "hello" in Node and "104,101,…" in Chromium).
// Valid YAML cases are opened from a link as well.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useBrowser, haveChromium, CHROMIUM, newPage, waitReady } from './helpers.ts';
import { decodeScenarioBytes, formatError, parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { encodeBase64Url } from '../../viz/lib/url-state.ts';
import { BASE, FLOW, oddCases, type OddCase } from './odd-scenarios.ts';

if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

type Outcome = { ok: true; traceHash: string } | { ok: false; errors: string[] };

/** What the CLI does with the file's bytes, in this process. */
function nodeOutcome(c: OddCase): Outcome {
  const decoded = decodeScenarioBytes(c.bytes, c.fileName);
  if ('error' in decoded) return { ok: false, errors: [formatError(decoded.error)] };
  const parsed = parseScenario(decoded.text, c.fileName);
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map(formatError) };
  return { ok: true, traceHash: runScenario(parsed.scenario, parsed.spec).sim.trace.hash() };
}

const probe = (page: Page) => page.evaluate(() => (window as unknown as { kafkasim: { probe(): { runs: { name: string; traceHash: string }[] } } }).kafkasim.probe());

async function settled(page: Page): Promise<Outcome> {
  const state = await waitReady(page, 60_000);
  if (state === 'ready') return { ok: true, traceHash: (await probe(page)).runs[0].traceHash };
  if (state !== 'invalid') throw new Error(`the page says ${state}: ${await page.locator('[data-testid="run-status"]').textContent()}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="editor-status"]')?.textContent !== 'checking…', undefined, { timeout: 30_000 });
  return { ok: false, errors: await page.locator('[data-testid="editor-errors"] li').allTextContents() };
}

/** The page opens the file (Open file…) and runs it in its worker. */
async function pageOutcome(page: Page, c: OddCase): Promise<Outcome> {
  await page.evaluate(() => (document.body.dataset.state = 'test-pending'));
  await page.setInputFiles('#file-input', { name: c.fileName, mimeType: c.fileName.endsWith('.json') ? 'application/json' : 'text/yaml', buffer: Buffer.from(c.bytes) });
  return settled(page);
}

describe.skipIf(!haveChromium)('the same trace hash in Node and in Chromium for odd but valid files', () => {
  let url: string;
  let browser: Browser;
  let page: Page;
  const cases = oddCases();

  useBrowser((web) => ({ url, browser } = web));

  beforeAll(async () => {
    page = await newPage(browser, 1400, 900);
    await page.goto(url);
    await waitReady(page);
  });

  it('the corpus is what it says: the valid cases are valid in Node, flow and block style are one scenario', () => {
    for (const c of cases) expect({ id: c.id, ok: nodeOutcome(c).ok }).toEqual({ id: c.id, ok: c.valid });
    const utf8 = (s: string) => new TextEncoder().encode(s);
    const block = nodeOutcome({ id: 'block', fileName: 'a.yaml', bytes: utf8(BASE), valid: true });
    expect(block.ok).toBe(true);
    expect(nodeOutcome({ id: 'flow', fileName: 'a.yaml', bytes: utf8(FLOW), valid: true })).toEqual(block);
  });

  for (const c of cases) {
    it(`${c.id}: the same ${c.valid ? 'trace hash' : 'refusal'} in Node and in the page (opened as a file)`, async () => {
      const node = nodeOutcome(c);
      const inPage = await pageOutcome(page, c);
      expect(inPage).toEqual(node);
    });
  }

  it('the valid YAML cases give the same hash again when the page opens them from a link', async () => {
    const linkable = cases.filter((c) => c.valid && !c.fileName.endsWith('.json'));
    expect(linkable.length).toBeGreaterThan(5);
    for (const c of linkable) {
      const text = new TextDecoder().decode(c.bytes); // a link carries text; a BOM is dropped here, as the page's decoder drops it
      await page.goto('about:blank');
      await page.goto(`${url}?scenario=${encodeURIComponent(c.id)}#text=${encodeBase64Url(text)}`);
      expect({ id: c.id, ...(await settled(page)) }).toEqual({ id: c.id, ...nodeOutcome(c) });
    }
  });
});
