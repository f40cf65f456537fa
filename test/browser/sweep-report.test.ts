// The sweep's HTML report opened from disk in Chromium, as an engineer opens it: no server, no
// network, no script error; a loss bar with its interval per cell and a histogram per cell whose
// runs add up to the cell's runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { haveChromium, launch, newPage, repo, shot } from './helpers.ts';
import { cli } from '../cli/support.ts';

describe.skipIf(!haveChromium)('sweep --html in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => browser?.close());

  it('draws every cell offline, with no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkasim-report-'));
    const html = join(dir, 'report.html');
    const r = await cli('sweep', join(repo, 'scenarios/experiments/leader-crash-any-moment.yaml'), '--set', 'producer.checkout.acks=1,all',
      '--set', 'duration=24s', '--set', 'producer.checkout.stop=22s', '--set', 'timeline.1.at=23s', '--seeds', '12', '--workers', '1', '--html', html);
    expect(r.code).toBe(0);
    const page = await newPage(browser, 1280, 900);
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (q) => requests.push(q.url()));
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('#lost-charts svg');
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(await page.locator('#loss-chart rect.bar').count()).toBe(2);
    expect(await page.locator('#loss-chart line.ci').count()).toBe(2);
    // each cell's lost-records histogram counts all 12 runs
    const perCell = await page.$$eval('#lost-charts figure', (figs) =>
      figs.map((f) => [...f.querySelectorAll('rect.bin title')].reduce((n, t) => n + Number((t.textContent ?? '0').split(' ')[0]), 0)));
    expect(perCell).toEqual([12, 12]);
    expect(await page.locator('#leaderless-charts figure').count()).toBe(2);
    expect(await page.locator('#cells tbody tr').count()).toBe(2);
    expect(await page.locator('#verdict').textContent()).toContain('Every cell kept');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'sweep-report');
    await page.close();
  });

  it('with --metrics, the table gives each cell its produce latency and time under min ISR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkasim-report-'));
    const html = join(dir, 'report.html');
    await cli('sweep', join(repo, 'scenarios/experiments/leader-crash-any-moment.yaml'), '--set', 'producer.checkout.acks=1,all',
      '--seeds', '4', '--workers', '1', '--metrics', '--html', html);
    const page = await newPage(browser, 1280, 900);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('#cells tbody tr');
    expect(errors).toEqual([]);
    const heads = await page.$$eval('#cells thead th', (ths) => ths.map((t) => t.textContent));
    const col = heads.indexOf('latency p50');
    expect(col).toBeGreaterThan(0);
    const p50 = await page.$$eval('#cells tbody tr', (trs, i) => trs.map((tr) => parseFloat(tr.children[i].textContent ?? '')), col);
    // acks=all waits for the followers: its median record waits longer than acks=1's
    expect(p50[1]).toBeGreaterThan(p50[0]);
    expect(heads).toContain('under min ISR');
    await page.close();
  });
});
