// "How often?" in a real browser: the panel runs the scenario on screen (with the editor's changes)
// over N seeds in a pool of workers, draws a histogram whose bars add up to N and match the same
// runs done here in Node, shows the share with its interval, runs a what-if pair side by side, and
// a bar opens its lowest seed in the player with the URL to match. Playback keeps going meanwhile.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useBrowser, haveChromium, CHROMIUM, newPage, waitReady, seek, shot } from './helpers.ts';
import { loadLibraryFile } from './scenarios.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { applyWhatIf } from '../../viz/lib/what-if.ts';
import { sharedHistograms, summarize, wilson, formatInterval, formatShare, type RunOutcome } from '../../viz/lib/how-often.ts';

if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const N = 30;
const SCENARIO = 'acks-1-leader-crash';
/** The library file with a jittery network: loss then varies from seed to seed. */
const JITTER = 'latency: { min: 1ms, max: 20ms }';

interface HowOftenProbe {
  state: string;
  started: number;
  seeds: number[];
  sides: { label: string; overrides?: Record<string, string>; outcomes: RunOutcome[] }[];
  stats?: { runs: number; workers: number; wallMs: number; runMs: number };
}
interface Probe {
  tUs: number;
  durationUs: number;
  playing: boolean;
  runs: { seed: number; traceHash: string }[];
  frameTimes: number[];
  howOften: HowOftenProbe;
}
type K = { kafkasim: { probe(): Probe; howOften: { workerCount: number | undefined }; clearFrameTimes(): void; play(): void; pause(): void } };
const probe = (page: Page) => page.evaluate(() => (window as unknown as K).kafkasim.probe());

/** The same runs in Node: what the panel must show. */
function nodeOutcomes(text: string, seeds: number[], overrides?: Record<string, string>): RunOutcome[] {
  const parsed = parseScenario(text, `${SCENARIO}.yaml`);
  if (!parsed.ok) throw new Error('invalid');
  const spec = overrides ? applyWhatIf(parsed.spec, overrides) : parsed.spec;
  return seeds.map((seed) => {
    const r = runScenario(parsed.scenario, spec, { seed, trace: false, checkInvariants: false });
    const s = r.sim.ledgerSummary();
    return { seed, lost: s.lost, acked: s.acked, duplicates: s.duplicates, unavailable: s.unavailable, passed: r.passed };
  });
}

async function bars(page: Page, side: number): Promise<{ label: string; count: number }[]> {
  return page.locator(`[data-testid="ho-bar"][data-side="${side}"]`).evaluateAll((els) => els.map((e) => ({ label: e.getAttribute('data-label') ?? '', count: Number(e.getAttribute('data-count')) })));
}

async function runPanel(page: Page, timeoutMs = 60_000): Promise<void> {
  const before = (await probe(page)).howOften.started;
  await page.click('[data-testid="ho-run"]');
  expect((await probe(page)).howOften.started).toBe(before + 1);
  await page.waitForFunction(() => ['done', 'error', 'cancelled'].includes(document.querySelector<HTMLElement>('[data-testid="howoften-panel"]')?.dataset.state ?? ''), undefined, { timeout: timeoutMs });
  expect(await page.locator('[data-testid="howoften-panel"]').getAttribute('data-state')).toBe('done');
}

describe.skipIf(!haveChromium)('How often? in the browser', () => {
  let url: string;
  let browser: Browser;
  let page: Page;
  const library = loadLibraryFile(`scenarios/library/${SCENARIO}.yaml`);
  const edited = library.replace(/latency: 2ms/, JITTER);
  const seeds = Array.from({ length: N }, (_, i) => i + 1);
  let expected: RunOutcome[];

  useBrowser((web) => ({ url, browser } = web));

  beforeAll(async () => {
    expect(edited).not.toBe(library);
    expected = nodeOutcomes(edited, seeds);
    page = await newPage(browser, 1440, 900);
  });

  it('runs the edited scenario over N seeds, draws bars that add up to N, the share and its interval, and a bar opens its lowest seed', async () => {
    await page.goto(`${url}?scenario=${SCENARIO}`);
    expect(await waitReady(page)).toBe('ready');
    // The teacher edits the network to be jittery but does not re-run: the panel takes the text as it is.
    await page.keyboard.press('e');
    const editor = page.locator('[data-testid="editor"]');
    await editor.waitFor({ state: 'visible', timeout: 5000 });
    await editor.fill(edited);
    await page.waitForFunction(() => document.querySelector('[data-testid="editor-status"]')?.textContent?.includes('valid'), undefined, { timeout: 5000 });
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    // h opens the panel; the keys are listed in the help.
    const keys = await page.locator('#help dt').allTextContents();
    expect(await page.locator('#help dd').nth(keys.indexOf('h')).textContent()).toMatch(/how often/);
    await page.keyboard.press('h');
    await page.locator('[data-testid="howoften-panel"]').waitFor({ state: 'visible', timeout: 5000 });
    await page.selectOption('[data-testid="ho-runs"]', String(N));
    expect(await page.locator('[data-testid="ho-from"] option:checked').textContent()).toBe(`1–${N}`);
    await runPanel(page);
    const p = await probe(page);
    expect(p.howOften.seeds).toEqual(seeds);
    expect(p.howOften.sides).toHaveLength(1);
    expect(p.howOften.sides[0].outcomes).toEqual(expected);
    // The histogram: bars add up to N and are the bins of the Node runs.
    const got = await bars(page, 0);
    expect(got.reduce((s, b) => s + b.count, 0)).toBe(N);
    const want = sharedHistograms([expected]).counts[0].map((b) => ({ label: b.label, count: b.count }));
    expect(got).toEqual(want);
    expect(got.filter((b) => b.count > 0).length).toBeGreaterThan(1);
    // The share and its Wilson interval.
    const s = summarize(expected);
    const card = page.locator('[data-testid="ho-share"]');
    expect(await card.getAttribute('data-k')).toBe(String(s.withLoss));
    expect(await card.getAttribute('data-n')).toBe(String(N));
    expect(await card.locator('[data-testid="ho-share-value"]').textContent()).toBe(formatShare(s.withLoss / N, N));
    const w = wilson(s.withLoss, N);
    expect(await card.locator('[data-testid="ho-ci"]').textContent()).toBe(`95% interval ${formatInterval(w)}`);
    console.log(`how often: ${await page.locator('[data-testid="ho-progress-text"]').textContent()} (${N} seeds of ${SCENARIO} with a jittery network)`);
    await shot(page, 'how-often-1440');

    // The same histogram with one worker or four as with the pool (results filed by seed, not arrival).
    for (const workers of [1, 4]) {
      await page.evaluate((w) => ((window as unknown as K).kafkasim.howOften.workerCount = w), workers);
      await runPanel(page);
      expect((await probe(page)).howOften.stats?.workers).toBe(workers);
      expect(await bars(page, 0)).toEqual(got);
    }
    await page.evaluate(() => ((window as unknown as K).kafkasim.howOften.workerCount = undefined));

    // Click the tallest loss bar: the player loads that bin's lowest seed, and the URL says so.
    const lossBins = want.map((b, i) => ({ ...b, i })).filter((b) => b.i > 0 && b.count > 0);
    const target = lossBins.sort((a, b) => b.count - a.count)[0];
    const bins = sharedHistograms([expected]).bins;
    const lowest = Math.min(...expected.filter((o) => o.lost >= bins[target.i].lo && o.lost <= bins[target.i].hi).map((o) => o.seed));
    const hit = page.locator(`[data-testid="ho-hit"][data-side="0"][data-bin="${target.i}"]`);
    expect(await hit.getAttribute('data-seed')).toBe(String(lowest));
    await hit.click();
    await page.waitForFunction((seed) => new URL(location.href).searchParams.get('seed') === String(seed) && document.body.dataset.state === 'ready', lowest, { timeout: 30_000 });
    const after = await probe(page);
    expect(after.runs[0].seed).toBe(lowest);
    expect(await page.locator('[data-testid="seed-input"]').inputValue()).toBe(String(lowest));
    expect(await page.locator('[data-testid="run-run"] .run-head').textContent()).toContain(`seed ${lowest}`);
    // The edited text is what ran, so the link carries it, and reproduces the run.
    expect(page.url()).toContain('#text=');
    const other = await newPage(browser, 1200, 800);
    await other.goto(page.url());
    expect(await waitReady(other)).toBe('ready');
    expect((await probe(other)).runs[0]).toEqual(after.runs[0]);
    // and at its end the ledger shows the loss the sweep counted for that seed
    const lostThere = expected.find((o) => o.seed === lowest)!.lost;
    await seek(other, (await probe(other)).durationUs);
    expect(Number(await other.locator('[data-testid="lost-count"]').first().textContent())).toBe(lostThere);
    await other.close();

    // Seeds from the player's seed: the panel offers them when the player is not on seed 1.
    const start = 11;
    await page.locator('[data-testid="seed-input"]').fill(String(start));
    await page.locator('[data-testid="seed-input"]').dispatchEvent('change');
    await page.waitForFunction((seed) => new URL(location.href).searchParams.get('seed') === String(seed) && document.body.dataset.state === 'ready', start, { timeout: 30_000 });
    await page.selectOption('[data-testid="ho-from"]', 'current');
    expect(await page.locator('[data-testid="ho-from"] option:checked').textContent()).toBe(`${start}–${start + N - 1} (from this run's seed)`);
    await runPanel(page);
    const from = await probe(page);
    const fromSeeds = Array.from({ length: N }, (_, i) => start + i);
    expect(from.howOften.seeds).toEqual(fromSeeds);
    expect(from.howOften.sides[0].outcomes).toEqual(nodeOutcomes(edited, fromSeeds));
    expect((await bars(page, 0)).reduce((n, b) => n + b.count, 0)).toBe(N);
  });

  it('runs a what-if pair on the same seeds: two series, two shares; a side opens with its config', async () => {
    const { writeUrlState } = await import('../../viz/lib/url-state.ts');
    const { search, hash } = writeUrlState({ scenario: SCENARIO, text: edited });
    await page.goto(`${url}${search}${hash}`);
    expect(await waitReady(page)).toBe('ready');
    await page.keyboard.press('h');
    await page.selectOption('[data-testid="ho-runs"]', String(N));
    await page.selectOption('[data-testid="ho-key"]', 'acks');
    expect(await page.locator('[data-testid="ho-a"] option:checked').textContent()).toBe('as written (1)');
    expect(await page.locator('[data-testid="ho-b"]').inputValue()).toBe('all');
    await runPanel(page);
    const p = await probe(page);
    expect(p.howOften.sides.map((s) => s.overrides)).toEqual([undefined, { acks: 'all' }]);
    expect(p.howOften.sides[0].outcomes).toEqual(expected);
    const wantAll = nodeOutcomes(edited, seeds, { acks: 'all' });
    expect(p.howOften.sides[1].outcomes).toEqual(wantAll);
    const a = await bars(page, 0);
    const b = await bars(page, 1);
    expect(a.length).toBeGreaterThan(1);
    expect(b.map((x) => x.label)).toEqual(a.map((x) => x.label));
    expect(a.reduce((s, x) => s + x.count, 0)).toBe(N);
    expect(b.reduce((s, x) => s + x.count, 0)).toBe(N);
    expect(await page.locator('[data-testid="ho-share"]').count()).toBe(2);
    expect(await page.locator('[data-testid="ho-share"][data-side="1"]').getAttribute('data-k')).toBe(String(summarize(wantAll).withLoss));
    await shot(page, 'how-often-pair-1440');
    // acks=all's "lost nothing" bar opens seed 1 with acks=all as the what-if beside the scenario.
    await page.click('[data-testid="ho-hit"][data-side="1"][data-bin="0"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.getAll('whatif').join() === 'acks=all' && document.body.dataset.state === 'ready' && document.querySelectorAll('.run').length === 2, undefined, { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('seed')).toBe(String(wantAll.find((o) => o.lost === 0)!.seed));
    expect(await page.locator('[data-testid="run-B"] .run-head').textContent()).toContain('acks=all');
  });

  it('keeps playing while a sweep runs, cancels, and fits 1024×768 in presentation mode', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    const { writeUrlState } = await import('../../viz/lib/url-state.ts');
    const { search, hash } = writeUrlState({ scenario: SCENARIO, text: edited, present: true });
    await page.goto(`${url}${search}${hash}`);
    expect(await waitReady(page)).toBe('ready');
    await page.keyboard.press('h');
    await page.selectOption('[data-testid="ho-runs"]', '200');
    await page.evaluate(() => {
      const k = (window as unknown as K).kafkasim;
      k.clearFrameTimes();
      k.play();
    });
    const t0 = (await probe(page)).tUs;
    await runPanel(page, 120_000);
    const p = await probe(page);
    expect(p.playing || p.tUs > t0).toBe(true);
    expect(p.tUs).toBeGreaterThan(t0);
    const ft = p.frameTimes.slice(3).sort((x, y) => x - y);
    const st = p.howOften.stats!;
    console.log(
      `how often: ${st.runs} runs in ${(st.wallMs / 1000).toFixed(2)} s on ${st.workers} workers = ${(st.runs / (st.wallMs / 1000)).toFixed(0)} runs/s ` +
        `(${(st.runMs / st.runs).toFixed(1)} ms per run in a worker); meanwhile ${ft.length} frames played, median ${ft[Math.floor(ft.length / 2)]?.toFixed(1)} ms, p95 ${ft[Math.floor(ft.length * 0.95)]?.toFixed(1)} ms`,
    );
    expect(ft.length).toBeGreaterThan(10);
    await page.evaluate(() => (window as unknown as K).kafkasim.pause());
    await page.evaluate(() => window.scrollTo(0, 0));
    // No horizontal overflow: the page is no wider than the window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.locator('[data-testid="howoften-panel"]').screenshot({ path: (await import('node:path')).join((await import('./helpers.ts')).screenshots, 'how-often-1024-present-panel.png') });
    await shot(page, 'how-often-1024-present');
    // The pair at 1024 too.
    await page.selectOption('[data-testid="ho-runs"]', String(N));
    await page.selectOption('[data-testid="ho-key"]', 'acks');
    await runPanel(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await shot(page, 'how-often-pair-1024-present');
    // Cancel part-way: the state says so and the Run button comes back.
    await page.selectOption('[data-testid="ho-runs"]', '2000');
    await page.click('[data-testid="ho-run"]');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid="ho-progress"]')?.dataset.done) > 0, undefined, { timeout: 30_000 });
    await page.click('[data-testid="ho-cancel"]');
    expect(await page.locator('[data-testid="howoften-panel"]').getAttribute('data-state')).toBe('cancelled');
    expect(await page.locator('[data-testid="ho-progress-text"]').textContent()).toMatch(/^cancelled after \d+ of 4,000 runs$/);
    expect(await page.locator('[data-testid="ho-run"]').isEnabled()).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
