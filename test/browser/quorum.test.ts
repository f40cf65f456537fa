// The page draws a controller quorum and a reassignment (issue 18): the voters above the brokers with
// the active one and its quorum epoch, the gap without an active controller (a banner on the cluster,
// a strip on the timeline), and a partition being reassigned (the replicas added and removed, marked
// in its card), in normal mode and in presentation mode at 1024×768.
import { describe, it, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useBrowser, openAt as open, haveChromium, CHROMIUM, newPage, waitReady, seek, shot } from './helpers.ts';

if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const tag = (page: Page, node: string) => page.locator(`g.node[data-node="${node}"] text.state-tag`).textContent();

describe.skipIf(!haveChromium)('a controller quorum and a reassignment on the page', () => {
  let url: string;
  let browser: Browser;

  useBrowser((web) => ({ url, browser } = web));

  it('controller-failover-delays-election: the voters, the gap without an active controller, the new active one', async () => {
    const page = await newPage(browser);
    // 11 s: controller-1 crashed at 10 s; the others notice 1.5–2 s after their last fetch
    await open(page, url, 'scenario=controller-failover-delays-election', 11_000_000);
    expect(await tag(page, 'controller-1')).toBe('CRASHED');
    expect(await tag(page, 'controller-2')).toBe('follower');
    expect(await page.locator('[data-testid="quorum-gap"]').textContent()).toMatch(/^NO ACTIVE CONTROLLER · 1(\.0+)? s$/);
    const strips = await page.locator('[data-testid="timeline"]').textContent();
    expect(strips).toContain('no active contr');
    await shot(page, 'quorum-gap');
    await seek(page, 21_000_000);
    await page.waitForTimeout(300);
    const active = await page.locator('g.node.controller[data-status="active"]').getAttribute('data-node');
    expect(['controller-2', 'controller-3']).toContain(active);
    expect(await tag(page, active!)).toBe('ACTIVE · epoch 2');
    expect(await page.locator('[data-testid="quorum-gap"]').textContent()).toBe('');
    await page.close();
  });

  it('reassignment-under-replication-window at 1024×768 in presentation mode: the card marks the replicas added and removed', async () => {
    const page = await newPage(browser, 1024, 768);
    await open(page, url, 'scenario=reassignment-under-replication-window&present=1', 50_000_000);
    const card = page.locator('.pcard[data-partition="orders-0"]');
    expect(await card.locator('[data-testid="reassigning"]').textContent()).toBe('reassigning: adding {4}, removing {3}');
    expect(await card.locator('g.replica[data-broker="4"] text[data-move]').getAttribute('data-move')).toBe('+');
    expect(await card.locator('g.replica[data-broker="3"] text[data-move]').getAttribute('data-move')).toBe('−');
    // nothing sticks out sideways
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await shot(page, 'reassignment-present-1024');
    await seek(page, 90_000_000);
    await page.waitForTimeout(300);
    expect(await card.locator('[data-testid="reassigning"]').count()).toBe(0);
    expect(await card.locator('g.replica[data-broker="3"] text[data-move]').getAttribute('data-move')).toBe('(gone)');
    await page.close();
  });
});
