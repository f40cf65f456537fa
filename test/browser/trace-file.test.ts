// A trace written by `kafkasim run --trace` opens in the page and plays exactly as the page's own run
// of the same scenario and seed (issue 11 part 3): the CLI writes the file (.jsonl.gz through Open
// file…, .jsonl dropped on the page), the page reads it in its worker, and its view state (the fold
// of the events: every replica's log, HW and epochs, leaders, ISRs, the ledger's counts, the groups'
// positions and commits, the lost records) equals the live run's at several moments, with the same
// trace hash and the scenario's title from the file's header.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, haveChromium, CHROMIUM, newPage, repo, waitReady } from './helpers.ts';
import { cli } from '../cli/support.ts';

if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

interface Probe {
  viewAt(t: number): unknown;
  probe(): { runs: { name: string; seed: number; traceHash: string; traceEvents: number; lost: number }[]; durationUs: number };
}
const app = (page: Page) => ({
  viewAt: (t: number) => page.evaluate((t) => (window as unknown as { kafkasim: Probe }).kafkasim.viewAt(t), t),
  probe: () => page.evaluate(() => (window as unknown as { kafkasim: Probe }).kafkasim.probe()),
});

/** The run on the page: its hash, title, and view state at fractions of its duration. */
async function snapshot(page: Page) {
  const a = app(page);
  const p = await a.probe();
  const views: unknown[] = [];
  for (const x of [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 1]) views.push(await a.viewAt(Math.round(p.durationUs * x)));
  return { run: p.runs[0], durationUs: p.durationUs, title: await page.locator('[data-testid="scenario-title"]').textContent(), views };
}

async function openedFromFile(page: Page, fileName: string) {
  await page.waitForFunction((f) => document.body.dataset.trace === f && document.body.dataset.state === 'ready', fileName, { timeout: 60_000 });
  return snapshot(page);
}

describe.skipIf(!haveChromium)('a trace file written by kafkasim run --trace plays in the page as the live run', () => {
  let url: string;
  let browser: Browser;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'kafkasim-browser-trace-'));

  useBrowser((web) => ({ url, browser } = web));

  beforeAll(async () => {
    page = await newPage(browser, 1400, 900);
  }, 120_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('unclean-election-loses-acked-writes, .jsonl.gz through Open file…', async () => {
    const name = 'unclean-election-loses-acked-writes';
    const out = join(dir, `${name}.jsonl.gz`);
    const r = await cli('run', join(repo, 'scenarios/library', `${name}.yaml`), '--trace', out);
    expect(r.code, r.stderr).toBeLessThan(2);
    await page.goto(`${url}?scenario=${name}`);
    expect(await waitReady(page)).toBe('ready');
    const live = await snapshot(page);
    expect(live.run.lost).toBeGreaterThan(0);
    expect(JSON.stringify(live.views.at(-1))).toMatch(/"logs":\{"1":\{"broker":1,"leo":[1-9]/);
    await page.setInputFiles('#file-input', { name: `${name}.jsonl.gz`, mimeType: 'application/gzip', buffer: readFileSync(out) });
    const file = await openedFromFile(page, `${name}.jsonl.gz`);
    expect(r.stdout).toContain(`trace ${live.run.traceHash}`);
    expect(file.run).toEqual(live.run);
    expect(file.title).toBe(live.title);
    expect(file.durationUs).toBe(live.durationUs);
    for (let i = 0; i < live.views.length; i++) expect(file.views[i], `view ${i}`).toEqual(live.views[i]);
  }, 180_000);

  it('consumer-crash-rebalance-lag with another seed, .jsonl dropped on the page', async () => {
    const name = 'consumer-crash-rebalance-lag';
    const out = join(dir, `${name}.jsonl`);
    const r = await cli('run', join(repo, 'scenarios/library', `${name}.yaml`), '--seed', '5', '--trace', out);
    expect(r.code, r.stderr).toBeLessThan(2);
    await page.goto(`${url}?scenario=${name}&seed=5`);
    expect(await waitReady(page)).toBe('ready');
    const live = await snapshot(page);
    expect(live.run.seed).toBe(5);
    const dropped = await page.evaluateHandle(
      ({ b64, fileName }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], fileName));
        return dt;
      },
      { b64: readFileSync(out).toString('base64'), fileName: `${name}.jsonl` },
    );
    await page.dispatchEvent('body', 'drop', { dataTransfer: dropped });
    const file = await openedFromFile(page, `${name}.jsonl`);
    expect(file.run).toEqual(live.run);
    for (let i = 0; i < live.views.length; i++) expect(file.views[i], `view ${i}`).toEqual(live.views[i]);
    // the header's scenario is the page's source now: the seed box shows the file's seed
    expect(await page.locator('[data-testid="seed-input"]').inputValue()).toBe('5');
  }, 180_000);
});
