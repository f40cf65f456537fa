// What a lesson shows at each moment (issue 13, points 2, 3, 4, 5 and 8): the log strips follow the
// story (the new leader's row at the unclean election, the HWs, the range broker 1 loses), consumers
// are visible (their offsets on the strips, a lag chart, ownership and rebalances on the cluster,
// in presentation mode too), nothing is spoiled before it happens (unless "show the ending"),
// captions come with the event they explain, and a what-if labels A and B everywhere. Layout and DOM
// assertions; the screenshots it takes (test/browser/screenshots/lesson-*.png) are for people.
import { describe, it, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openAt as open, haveChromium, CHROMIUM, newPage, waitReady, seek, shot, repo } from './helpers.ts';
import { simulate } from '../../viz/run/simulate.ts';

/** Where the closing note's screenshots go too (SHOTS_DIR=/tmp/shots). */
async function keep(page: Page, name: string, fullPage = false): Promise<void> {
  const path = await shot(page, name);
  if (!fullPage && process.env.SHOTS_DIR) {
    mkdirSync(process.env.SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: join(process.env.SHOTS_DIR, `${name}.png`) });
  } else if (process.env.SHOTS_DIR) copyFileSync(path, join(process.env.SHOTS_DIR, `${name}.png`));
}

const libText = (n: string) => readFileSync(join(repo, `scenarios/library/${n}.yaml`), 'utf8');

/** Is the element entirely inside the viewport? */
function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left >= -1 && r.top >= -1 && r.right <= innerWidth + 1 && r.bottom <= innerHeight + 1;
  }, selector);
}

if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const UNCLEAN = 'unclean-election-loses-acked-writes';
/** The unclean election of broker 2 (the CLI's story prints 68.76344s). */
const ELECTION_US = 68_763_440;
const CONSUMER = 'consumer-crash-rebalance-lag';

/** The offsets a card draws cells for (data-spans on its body), as [from, to) pairs. */
function spans(page: Page, partition: string, run = 'run'): Promise<[number, number][]> {
  return page.evaluate(
    ([p, r]) => JSON.parse(document.querySelector(`.run-partitions[data-run="${r}"] .pcard[data-partition="${p}"] g.body`)?.getAttribute('data-spans') ?? '[]') as [number, number][],
    [partition, run],
  );
}
const inSpans = (sp: [number, number][], o: number) => sp.some(([a, b]) => o >= a && o < b);

function viewAt(page: Page, tUs: number) {
  return page.evaluate((t) => (window as unknown as { kafkasim: { viewAt(t: number): { state: { partitions: Record<string, { leader: number; logs: Record<string, { leo: number; hw: number; ghosts: { from: number; to: number }[] }> }> } } } }).kafkasim.viewAt(t), tUs);
}

describe.skipIf(!haveChromium)('what a lesson shows at each moment', () => {
  let url: string;
  let browser: Browser;

  useBrowser((web) => ({ url, browser } = web));

  it('no spoilers: at t = 0 of the unclean lesson no lost count, list or badge; "show the ending" shows them, and turns off again', async () => {
    const page = await newPage(browser, 1440, 900);
    await open(page, url, `scenario=${UNCLEAN}`, 0);
    expect(await page.locator('[data-testid="lost-count"]').textContent()).toBe('0');
    expect(await page.locator('[data-testid="lost-list"]').count()).toBe(0);
    const ledger = (await page.locator('[data-testid="ledger"]').textContent()) ?? '';
    expect(ledger).not.toMatch(/will be lost|1100/);
    expect(await page.locator('.pcard .unclean').count()).toBe(0);
    expect(await page.locator('.pcard [data-state="lost"], .pcard [data-state="lost-truncated"]').count()).toBe(0);
    // the event log says nothing of what comes later
    const times = await page.locator('[data-testid="event-log"] li .t').allTextContents();
    for (const t of times) expect(t).toBe('0.000 s');
    expect(await page.locator('[data-testid="event-log"] li.future').count()).toBe(0);
    // the timeline shows nothing after the playhead: no fault strip's name, no chart drawn past it
    expect(await page.locator('[data-testid="timeline"]').getAttribute('data-shown-to')).toBe('0');
    expect(await page.locator('[data-testid="timeline"] text.strip-label:not(.later)').count()).toBe(0);
    await keep(page, 'lesson-t0-no-spoiler');
    // the presenter asks for the ending
    await page.locator('[data-testid="show-ending"]').click();
    await page.waitForTimeout(300);
    expect(Number(await page.locator('[data-testid="lost-count"]').textContent())).toBeGreaterThanOrEqual(900);
    expect(await page.locator('[data-testid="lost-list"] li').count()).toBeGreaterThan(100);
    expect(await page.locator('[data-testid="timeline"]').getAttribute('data-shown-to')).toBe('end');
    await page.locator('[data-testid="show-ending"]').click();
    await page.waitForTimeout(300);
    expect(await page.locator('[data-testid="lost-count"]').textContent()).toBe('0');
    // and just before the election nothing is lost yet; at it, the records are
    await seek(page, ELECTION_US - 1);
    await page.waitForTimeout(300);
    expect(await page.locator('[data-testid="lost-count"]').textContent()).toBe('0');
    await seek(page, ELECTION_US + 1000);
    await page.waitForTimeout(300);
    expect(Number(await page.locator('[data-testid="lost-count"]').textContent())).toBeGreaterThanOrEqual(900);
    expect(await page.locator('.pcard .unclean').count()).toBe(1);
    await page.close();
  });

  it('consumers are visible: in presentation mode at 1024×768 mid-lag, each group\'s position, committed offset and lag on the strips, a lag chart, ownership on the cluster; a rebalance shows', async () => {
    const data = await simulate({ text: libText(CONSUMER), fileName: `${CONSUMER}.yaml` });
    const rebalance = data.events.find((e) => e.type === 'rebalance' && e.phase !== 'stable' && e.tUs > 20_000_000);
    expect(rebalance, 'the lesson has a rebalance after the crash').toBeDefined();
    const page = await newPage(browser, 1024, 768);
    await open(page, url, `scenario=${CONSUMER}&present=1`, 40_000_000);
    // the lagging partitions' cards, on screen, with the group's row: position, committed, lag
    const rows = await page.locator('.pcard:not(.fit-hidden) g.group-row').evaluateAll((els) =>
      els.map((e) => ({ lag: Number(e.getAttribute('data-lag') || 0), committed: e.getAttribute('data-committed'), position: e.getAttribute('data-position'), marks: e.querySelectorAll('.position-mark, .committed-mark').length })),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(Math.max(...rows.map((r) => r.lag))).toBeGreaterThan(50);
    expect(rows.every((r) => r.committed !== '' && r.marks >= 1)).toBe(true);
    expect(await inView(page, '.pcard:not(.fit-hidden) g.group-row')).toBe(true);
    expect(await page.locator('.pcard:not(.fit-hidden) g.group-row [data-state="group-lag"]').count()).toBeGreaterThan(10);
    // the lag over time, in the timeline, in presentation mode
    expect(await inView(page, '[data-testid="timeline"] [data-chart="consumer lag"]')).toBe(true);
    // who owns what, on the cluster
    const owns = await page.locator('[data-testid="cluster"] g.node.consumer').evaluateAll((els) => els.map((e) => [e.getAttribute('data-node'), e.querySelector('[data-testid="owns"]')?.getAttribute('data-owns') ?? '']));
    expect(owns.some(([, o]) => o !== '')).toBe(true);
    await keep(page, 'lesson-consumer-mid-lag-1024x768-present');
    // the rebalance: the consumers say so, and the group's row too
    await seek(page, rebalance!.tUs);
    await page.waitForTimeout(400);
    expect(await page.locator('[data-testid="cluster"] g.node.consumer[data-group-state="rebalancing"]').count()).toBeGreaterThan(0);
    expect((await page.locator('[data-testid="cluster"] g.node.consumer text.node-sub').allTextContents()).some((t) => /rebalancing/.test(t))).toBe(true);
    await page.close();
  });

  it('captions on time: before the first note the scenario says what it is about; the note about the election comes with it, and the event log marks the event', async () => {
    const page = await newPage(browser, 1440, 900);
    await open(page, url, `scenario=${UNCLEAN}`, 0);
    const cap = page.locator('[data-testid="caption"]');
    expect(await cap.getAttribute('data-kind')).toBe('intro');
    expect(((await cap.textContent()) ?? '').length).toBeGreaterThan(20);
    await seek(page, ELECTION_US - 1);
    await page.waitForTimeout(300);
    expect(await cap.textContent()).not.toMatch(/No ISR member is alive/);
    await seek(page, ELECTION_US);
    await page.waitForTimeout(300);
    expect(await cap.textContent()).toMatch(/68\.763 s.*No ISR member is alive/);
    expect(await cap.getAttribute('data-explains')).not.toBeNull();
    expect(await page.locator('[data-testid="event-log"] [data-testid="explained"]').textContent()).toMatch(/unclean/i);
    await page.close();
  });

  it('what-if: the first re-run changes the run (not the scenario\'s own value); A and B are labelled on the runs, the charts (a legend) and the ledgers; the event log switches between them', async () => {
    const page = await newPage(browser, 1440, 900);
    await open(page, url, `scenario=${UNCLEAN}`, 0);
    await page.click('[data-testid="whatif-toggle"]');
    await page.selectOption('[data-testid="whatif-key"]', 'unclean.leader.election.enable');
    // the scenario enables unclean election: the value offered first is the other one
    expect(await page.locator('[data-testid="whatif-value"]').inputValue()).toBe('false');
    await page.click('[data-testid="whatif-run"]');
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.querySelectorAll('.run').length === 2, undefined, { timeout: 60_000 });
    await seek(page, ELECTION_US + 5_000_000);
    await page.waitForTimeout(600);
    expect(await page.locator('[data-testid="divergence"]').textContent()).toMatch(/first diverge/);
    expect(await page.locator('[data-testid="run-A"] .label').textContent()).toBe('A');
    expect(await page.locator('[data-testid="run-B"] .run-head').textContent()).toMatch(/B.*unclean\.leader\.election\.enable=false/);
    const legend = await page.locator('[data-testid="run-legend"]').textContent();
    expect(legend).toMatch(/A · as written/);
    expect(legend).toMatch(/B · unclean\.leader\.election\.enable=false/);
    const ledgers = await page.locator('[data-testid="ledger"] h2, [data-testid="ledger"]').evaluateAll((els) => els.map((e) => e.closest('.card')?.querySelector('h2')?.textContent ?? ''));
    expect(ledgers.some((t) => /run A/.test(t)) && ledgers.some((t) => /run B/.test(t))).toBe(true);
    // the event log tells A, says so, and switches to B (where there is no unclean election)
    const log = page.locator('[data-testid="event-log"]');
    expect(await log.getAttribute('data-run')).toBe('A');
    expect(await page.locator('[data-testid="event-log-A"]').getAttribute('aria-pressed')).toBe('true');
    const linesA = (await log.locator('li').allTextContents()).join('\n');
    await page.click('[data-testid="event-log-B"]');
    await page.waitForTimeout(300);
    expect(await log.getAttribute('data-run')).toBe('B');
    const linesB = (await log.locator('li').allTextContents()).join('\n');
    expect(linesB).not.toBe(linesA);
    expect(linesA).toMatch(/unclean/i);
    expect(linesB).not.toMatch(/UNCLEAN election/);
    await keep(page, 'lesson-what-if-a-b', true);
    await page.close();
  });
});
