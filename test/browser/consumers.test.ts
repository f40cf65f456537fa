// The consumer lessons of issue 17 in the page, in presentation mode at 1024×768: a batch in
// processing on the partition strips, an idle third consumer marked idle, the client boxes of four
// consumers not overlapping, and each group's records processed twice and skipped on the ledger card
// as the ledger counts them (the numbers come from the run, not from this file).
import { describe, it, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useBrowser, openAt as open, haveChromium, newPage, waitReady, seek, shot } from './helpers.ts';

describe.skipIf(!haveChromium)('consumers that take time, in the page', () => {
  let url: string;
  let browser: Browser;

  useBrowser((web) => ({ url, browser } = web));

  it('more consumers than partitions: the third is idle, the others process a batch shown on the strip', async () => {
    const page = await newPage(browser, 1024, 768);
    await open(page, url, 'scenario=consumer-more-consumers-than-partitions&present=1', 50_000_000);
    await page.locator('[data-testid="cluster"] g.node.consumer[data-idle="1"]').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    const consumers = await page.locator('[data-testid="cluster"] g.node.consumer').evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('data-node'), idle: e.getAttribute('data-idle'), sub: e.querySelector('text.node-sub')?.textContent ?? '' })));
    expect(consumers.find((c) => c.id === 'billing-3')).toMatchObject({ idle: '1' });
    expect(consumers.find((c) => c.id === 'billing-3')?.sub).toMatch(/IDLE/);
    expect(consumers.filter((c) => c.idle === '1')).toHaveLength(1);
    // a batch between the committed offset and the position, on a partition kept on screen
    // the strips redraw on the next frames after a seek: wait for them rather than a fixed time
    await page.locator('.pcard:not(.fit-hidden) g.group-row [data-state="group-processing"]').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    const states = await page.locator('.pcard').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-partition')} ${e.className}: ${[...new Set([...e.querySelectorAll('g.group-row [data-state]')].map((x) => x.getAttribute('data-state')))].join(',')}`));
    expect(await page.locator('.pcard:not(.fit-hidden) g.group-row [data-state="group-processing"]').count(), states.join('; ')).toBeGreaterThan(0);
    await shot(page, 'consumers-idle-third-1024x768-present');
    await page.close();
  });

  it('duplicates vs skips: four consumer boxes apart, and each group\'s processed-twice and skipped counts on the ledger card after the crash', async () => {
    const page = await newPage(browser, 1024, 768);
    await open(page, url, 'scenario=consumer-crash-duplicates-vs-skips&present=1', 89_000_000);
    const boxes = await page.locator('[data-testid="cluster"] g.node.consumer rect.body').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.top, r.bottom]));
    expect(boxes).toHaveLength(4);
    const sorted = boxes.sort((a, b) => a[0] - b[0]);
    // (a box's bounds include half its 2.5 px stroke on each side)
    for (let i = 1; i < sorted.length; i++) expect(sorted[i][0]).toBeGreaterThanOrEqual(sorted[i - 1][1] - 2.5);
    const rows = await page.locator('.processing-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid'), Number(e.getAttribute('data-duplicates')), Number(e.getAttribute('data-skipped'))]));
    const replay = rows.find(([id]) => id === 'processing-replay');
    const drop = rows.find(([id]) => id === 'processing-drop');
    // commit after processing: processed twice, nothing skipped; commit before processing: the reverse
    expect(replay?.[1]).toBeGreaterThan(0);
    expect(replay?.[2]).toBe(0);
    expect(drop?.[1]).toBe(0);
    expect(drop?.[2]).toBeGreaterThan(0);
    // before the crash at 25.5 s, neither
    await seek(page, 20_000_000);
    await page.waitForTimeout(300);
    const before = await page.locator('.processing-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-duplicates')) + Number(e.getAttribute('data-skipped'))));
    expect(before).toEqual([0, 0]);
    await shot(page, 'consumers-duplicates-vs-skips-1024x768-present');
    await page.close();
  });
});
