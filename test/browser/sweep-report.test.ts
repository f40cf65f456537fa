// The sweep's HTML report opened from disk in Chromium, as an engineer opens it: no server, no
// network, no script error; a loss bar with its interval per cell and a histogram per cell whose
// runs add up to the cell's runs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { haveChromium, launch, newPage, repo, shot } from './helpers.ts';
import { cli } from '../cli/support.ts';
import { aggregate, type SweepDefinition } from '../../src/experiments/aggregate.ts';
import { renderHtmlReport } from '../../src/experiments/report-html.ts';

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

  it('every cell\'s label in the loss chart is whole and inside the chart, however many keys the grid has', async () => {
    // three keys make labels of ~110 characters; one value is absurdly long and must end in '…'
    const keys = ['producer.checkout.acks', 'broker.replica.lag.time.max.ms', 'topic.orders.min.insync.replicas'];
    const values = [['0', '1', 'all'], ['10000', '30000'], ['1', 'x'.repeat(300)]];
    const combos: string[][] = [[]];
    for (const vs of values) combos.splice(0, combos.length, ...combos.flatMap((c) => vs.map((v) => [...c, v])));
    const def: SweepDefinition = {
      scenario: 'labels', file: 'labels.yaml', scenarioHash: 'ab'.repeat(32), seeds: { first: 1, count: 2 },
      axes: keys.map((key, i) => ({ key, values: values[i] })),
      cells: combos.map((vs, index) => {
        const settings = vs.map((value, i) => ({ key: keys[i], value }));
        return { index, label: settings.map((x) => `${x.key}=${x.value}`).join(' '), settings };
      }),
      expectations: [],
    };
    const outcomes = combos.flatMap((_, cell) => [1, 2].map((seed) => ({ cell, seed, acked: 9, lost: seed - 1, duplicates: 0, unavailable: 0, errors: {}, leaderlessMs: 8000, failed: [] })));
    const d3 = readFileSync(join(dirname(createRequire(import.meta.url).resolve('d3')), 'd3.min.js'), 'utf8');
    const html = join(mkdtempSync(join(tmpdir(), 'kafkasim-report-')), 'labels.html');
    writeFileSync(html, renderHtmlReport(aggregate(def, outcomes), d3));
    const page = await newPage(browser, 1280, 900);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('#loss-chart svg');
    expect(errors).toEqual([]);
    const labels = await page.$$eval('#loss-chart g.cell', (rows) => rows.map((g) => {
      const text = [...g.querySelectorAll('text')].find((t) => /^\d+\. /.test(t.textContent ?? ''))!;
      const box = (text as SVGTextElement).getBBox();
      const svg = (g as SVGGElement).ownerSVGElement!.getBoundingClientRect();
      return { text: text.textContent ?? '', left: box.x, right: box.x + box.width, width: svg.width };
    }));
    expect(labels).toHaveLength(12);
    labels.forEach((l, i) => {
      // the number is there (a label cut at the left lost it), and nothing reaches past the chart
      expect(l.text.startsWith(`${i + 1}. producer.checkout.acks=`)).toBe(true);
      expect(l.left).toBeGreaterThanOrEqual(0);
      expect(l.right).toBeLessThanOrEqual(l.width);
    });
    // the long value does not fit: its labels end in '…'; the short ones are whole
    expect(labels[0].text).toBe(`1. ${def.cells[0].label}`);
    expect(labels[1].text.endsWith('…')).toBe(true);
    await page.close();
  });

  it("marks the scenario's loss-probability bound across every cell's bar, with its value", async () => {
    const def: SweepDefinition = {
      scenario: 'bound', file: 'bound.yaml', scenarioHash: 'ab'.repeat(32), seeds: { first: 1, count: 4 },
      axes: [{ key: 'producer.p.acks', values: ['1', 'all'] }],
      cells: ['1', 'all'].map((value, index) => ({ index, label: `producer.p.acks=${value}`, settings: [{ key: 'producer.p.acks', value }] })),
      expectations: [], lossProbability: { path: 'expect[0]', bound: { max: 0.05 } },
    };
    const outcomes = [0, 1].flatMap((cell) => [1, 2, 3, 4].map((seed) => ({ cell, seed, acked: 9, lost: cell === 0 ? 1 : 0, duplicates: 0, unavailable: 0, errors: {}, leaderlessMs: 0, failed: [] })));
    const d3 = readFileSync(join(dirname(createRequire(import.meta.url).resolve('d3')), 'd3.min.js'), 'utf8');
    const html = join(mkdtempSync(join(tmpdir(), 'kafkasim-report-')), 'bound.html');
    writeFileSync(html, renderHtmlReport(aggregate(def, outcomes), d3));
    const page = await newPage(browser, 1280, 900);
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('#loss-chart svg');
    // at 5% of the axis: the bars' scale runs from x(0) to x(1), read off the ticks
    const geometry = await page.evaluate(() => {
      const ticks = [...document.querySelectorAll('#loss-chart .axis .tick')].map((t) => ({ text: t.textContent, x: Number(/translate\(([\d.]+)/.exec(t.getAttribute('transform') ?? '')![1]) }));
      const at = (label: string) => ticks.find((t) => t.text === label)!.x;
      return { x0: at('0%'), x1: at('100%'), bounds: [...document.querySelectorAll('#loss-chart line.bound')].map((l) => Number(l.getAttribute('x1'))) };
    });
    expect(geometry.bounds).toHaveLength(2);
    // (d3 draws ticks half a pixel over, for crisp lines)
    for (const x of geometry.bounds) expect(Math.abs(x - (geometry.x0 + 0.05 * (geometry.x1 - geometry.x0)))).toBeLessThanOrEqual(0.5);
    expect(await page.locator('#loss-chart .bound-label').textContent()).toBe('expected ≤ 5.0%');
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
