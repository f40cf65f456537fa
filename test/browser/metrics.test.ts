// The page's metrics panel (issue 16): Kafka's metrics as the model's metrics part recorded them during
// the page's own run, not estimated by the page. On metrics-isr-shrink-alerts, one page load: the
// trace hash is the CLI's golden one (the metrics part watches, never acts); the panel lists every
// metric the recorder has, and at a moment each sparkline's value is the one the recorder gives in
// Node (runScenario({ metrics: true }), the same scenario and seed); nothing after the playhead is
// drawn; the mark on UnderMinIsrPartitionCount's jump seeks to the event that caused it; in
// presentation mode at 1024×768 the panel fits with the cluster, collapsed to the lesson's metrics,
// and opens on demand. Then a trace file of the same run gets the same values (its scenario is run
// again), and an edited trace file says why it has none.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, haveChromium, CHROMIUM, newPage, repo, seek, shot, waitReady } from './helpers.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { METRIC_DEFS } from '../../sim/kafka/metrics.ts';
import type { MetricsResult } from '../../sim/kafka/metrics-port.ts';

if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const NAME = 'metrics-isr-shrink-alerts';
const FILE = join(repo, 'scenarios/library', `${NAME}.yaml`);
/** Broker 2 is down (15 s) and not yet back (30 s): under min ISR, at 20 s. */
const AT_US = 20_000_000;

/** The value a dashboard shows at t: the recorder's last sample at or before t. */
function valueAt(s: { t: number[]; v: number[] }, tUs: number): number {
  let v = NaN;
  for (let i = 0; i < s.t.length && s.t[i] <= tUs; i++) v = s.v[i];
  return v;
}

describe.skipIf(!haveChromium)('the metrics panel', () => {
  let url: string;
  let browser: Browser;
  let page: Page;
  let metrics: MetricsResult;
  const lines: string[] = [];
  const text = readFileSync(FILE, 'utf8');

  useBrowser((web) => ({ url, browser } = web));

  beforeAll(async () => {
    const parsed = parseScenario(text, FILE);
    if (!parsed.ok) throw new Error(`${NAME} is not valid`);
    const r = runScenario(parsed.scenario, parsed.spec, { metrics: true, keepTrace: false, traceSink: (l) => void lines.push(l) });
    metrics = r.sim.parts.metrics!.result();
    page = await newPage(browser, 1440, 900);
  }, 120_000);

  /** Each cell's metric key and its value at the playhead, as the page shows it. */
  const cellValues = () =>
    page.$$eval('[data-testid="metric"]', (els) => els.map((e) => [(e as HTMLElement).dataset.key!, (e as HTMLElement).dataset.value!] as [string, string]));

  it('shows the recorder\'s values, no further than the playhead; a jump\'s mark seeks to its cause; it fits presentation mode at 1024×768', async () => {
    await page.goto(`${url}?scenario=${NAME}`);
    expect(await waitReady(page)).toBe('ready');
    // the same run as the CLI's: the metrics part recorded alongside without changing the trace
    const golden = JSON.parse(readFileSync(join(repo, 'scenarios/golden/golden.json'), 'utf8')) as { scenarios?: Record<string, { hash: string }> } & Record<string, { hash: string }>;
    const want = (golden.scenarios ?? golden)[NAME].hash;
    expect(await page.locator('[data-testid="trace-hash"]').getAttribute('data-hash')).toBe(want);

    await seek(page, AT_US);
    // every metric the recorder has, under Kafka's name (no consumers here: no per-partition group lag)
    const values = new Map(await cellValues());
    const unlabelled = METRIC_DEFS.filter((m) => m.labels === undefined).map((m) => m.name);
    expect([...values.keys()].sort()).toEqual([...unlabelled].sort());
    expect(metrics.series.map((s) => s.name).sort()).toEqual([...unlabelled].sort());
    // the values at 20 s are the recorder's, every one (NaN: no request in that interval)
    for (const s of metrics.series) expect(values.get(s.name), s.name).toBe(String(valueAt(s, AT_US)));
    // ... and say what the lesson says: under min ISR (the alert fires), one broker left of three
    expect(values.get('UnderMinIsrPartitionCount')).toBe('1');
    expect(values.get('ActiveBrokerCount')).toBe('1');
    expect(await page.locator('[data-metric="UnderMinIsrPartitionCount"]').getAttribute('data-firing')).toBe('true');
    expect(await page.locator('[data-metric="OfflinePartitionsCount"]').getAttribute('data-firing')).toBe('false');

    // no spoilers: each sparkline is drawn up to the playhead only, its clip ending where its playhead is
    expect(await page.locator('[data-testid="metrics-panel"]').getAttribute('data-shown-to')).toBe(String(AT_US));
    const clips = await page.$$eval('svg.mp-spark', (svgs) =>
      svgs.map((s) => ({ clip: Number(s.querySelector('clipPath rect')!.getAttribute('width')), head: Number(s.querySelector('.mp-playhead')!.getAttribute('x1')), w: (s as SVGSVGElement).viewBox.baseVal.width })));
    for (const c of clips) {
      expect(Math.abs(c.clip - c.head)).toBeLessThan(1);
      expect(c.clip).toBeLessThan(c.w * 0.5); // 20 s of 50 s
    }
    // "show the ending" draws them whole, and back
    const clipWidths = () => page.$$eval('svg.mp-spark', (svgs) => svgs.map((s) => Number(s.querySelector('clipPath rect')!.getAttribute('width')) / (s as SVGSVGElement).viewBox.baseVal.width));
    await page.locator('[data-testid="show-ending"]').click();
    await expect.poll(() => page.locator('[data-testid="metrics-panel"]').getAttribute('data-shown-to')).toBe('end');
    for (const f of await clipWidths()) expect(f).toBe(1);
    await page.locator('[data-testid="show-ending"]').click();
    await expect.poll(() => page.locator('[data-testid="metrics-panel"]').getAttribute('data-shown-to')).toBe(String(AT_US));
    for (const f of await clipWidths()) expect(f).toBeLessThan(0.5);

    // the jump of UnderMinIsrPartitionCount: where the recorder has it go from 0 to 1, and its mark
    // seeks to its cause, the trace's last ISR shrink of orders-0 between the sample before and it
    const under = metrics.series.find((s) => s.name === 'UnderMinIsrPartitionCount')!;
    const i = under.v.findIndex((v, k) => k > 0 && v === 1 && under.v[k - 1] === 0);
    const jumpUs = under.t[i];
    const shrinks = lines.map((l) => JSON.parse(l) as { t: number; type: string; partition?: string })
      .filter((e) => e.type === 'isr-shrink' && e.t >= under.t[i - 1] && e.t <= jumpUs);
    expect(shrinks.length).toBeGreaterThan(0);
    const causeUs = shrinks.at(-1)!.t;
    const mark = page.locator(`[data-metric="UnderMinIsrPartitionCount"] [data-testid="metric-jump"][data-at="${jumpUs}"]`);
    expect(await mark.count()).toBe(1);
    expect(await mark.getAttribute('data-tip')).toMatch(/UnderMinIsrPartitionCount 0 → 1\ncaused by .*orders-0: ISR shrinks to \[1\]/);
    await mark.dispatchEvent('pointerdown');
    await page.waitForFunction((t) => document.body.dataset.t === String(t), causeUs, { timeout: 10_000 });
    // later jumps are not on the page yet (clipped away): the clear at 32 s waits for the playhead
    await shot(page, 'metrics-panel-1440x900');

    // presentation mode at 1024×768: the lesson's metrics (its expectations name them) on one line, fitting with the cluster
    await seek(page, AT_US);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.keyboard.press('p');
    await page.waitForTimeout(800);
    const fit = await page.evaluate(() => {
      const r = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
      return {
        panelBottom: r('#metrics-host').bottom, panelTop: r('#metrics-host').top, stage: r('#stage').height, vh: innerHeight,
        scrollW: document.documentElement.scrollWidth, vw: document.documentElement.clientWidth,
        shown: [...document.querySelectorAll<HTMLElement>('[data-testid="metric"]')].map((e) => e.dataset.metric),
      };
    });
    expect(fit.panelBottom).toBeLessThanOrEqual(fit.vh + 1);
    expect(fit.panelTop).toBeGreaterThan(fit.vh / 2);
    expect(fit.scrollW).toBeLessThanOrEqual(fit.vw);
    expect(fit.stage).toBeGreaterThan(fit.vh * 0.25); // the cluster keeps its room
    // the two alerts that fire, then what the expectations name; the timeline leaves its alert chart to the panel
    expect(fit.shown).toEqual(['UnderReplicatedPartitions', 'UnderMinIsrPartitionCount', 'AtMinIsrPartitionCount']);
    expect(await page.locator('[data-chart="Kafka alerts"]').count()).toBe(0);
    await shot(page, 'metrics-panel-present-1024x768');
    // every metric on demand (the page scrolls to them), and back
    await page.locator('[data-testid="metrics-toggle"]').click();
    expect(await page.locator('[data-testid="metric"]').count()).toBe(unlabelled.length);
    await page.locator('[data-testid="metrics-toggle"]').click();
    expect(await page.locator('[data-testid="metric"]').count()).toBe(3);
    await page.keyboard.press('p');
  }, 180_000);

  it('a trace file of the run gets the same values (its scenario run again); an edited one says why it has none', async () => {
    const header = JSON.stringify({ type: 'kafkasim-trace', format: 1, kafkasim: 'test', scenario: NAME, file: `${NAME}.yaml`, text, seed: 1 });
    await page.setInputFiles('#file-input', { name: `${NAME}.jsonl`, mimeType: 'application/x-ndjson', buffer: Buffer.from([header, ...lines].join('\n') + '\n') });
    await page.waitForFunction((f) => document.body.dataset.trace === f && document.body.dataset.state === 'ready', `${NAME}.jsonl`, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="metric"]').length > 0, undefined, { timeout: 60_000 });
    await seek(page, AT_US);
    const values = new Map(await cellValues());
    for (const s of metrics.series) expect(values.get(s.name), s.name).toBe(String(valueAt(s, AT_US)));

    // a note's text changed: the file's hash is no longer what the scenario gives, so no metrics
    const edited = lines.map((l) => (l.includes('"type":"note"') ? l.replace('Broker 3 leaves', 'Broker three leaves') : l));
    expect(edited).not.toEqual(lines);
    await page.setInputFiles('#file-input', { name: 'edited.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from([header, ...edited].join('\n') + '\n') });
    await page.waitForFunction(() => document.body.dataset.trace === 'edited.jsonl' && document.body.dataset.state === 'ready', undefined, { timeout: 60_000 });
    await expect.poll(() => page.locator('[data-testid="metrics-missing"]').textContent(), { timeout: 60_000 }).toMatch(/gives another trace .*edited/);
    expect(await page.locator('[data-testid="metric"]').count()).toBe(0);
  }, 120_000);
});
