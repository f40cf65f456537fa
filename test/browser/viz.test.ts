// The front end in a real browser (Debian's chromium via playwright-core): it opens, runs the same
// simulator as the CLI (same trace hash), shows what the simulator's own queries say at the moment
// the playhead is on, forwards and backwards, reports an invalid scenario with the parser's message,
// and plays the classroom and big-cluster views (frame times are printed, not asserted).
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { useBrowser, haveChromium, CHROMIUM, newPage, waitReady, seek, shot, repo } from './helpers.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { assembleSimulation } from '../../sim/kafka/index.ts';
import { standardParts } from '../../src/scenario/standard-parts.ts';
import { bigClusterScenario, pickClassroomScenario } from './scenarios.ts';
import { editorText } from './editor-helpers.ts';

if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

interface Probe {
  state: string;
  tUs: number;
  playing: boolean;
  durationUs: number;
  runs: { name: string; seed: number; traceHash: string; traceEvents: number; lost: number }[];
  frameTimes: number[];
  renderTimes: number[];
}

const probe = (page: Page) => page.evaluate(() => (window as unknown as { kafkasim: { probe(): Probe } }).kafkasim.probe());

/** What the simulator's own queries say at time t, computed here in Node. */
function truthAt(text: string, fileName: string, tUs: number, partition: string) {
  const parsed = parseScenario(text, fileName);
  if (!parsed.ok) throw new Error(`invalid scenario ${fileName}`);
  const sim = assembleSimulation(parsed.spec, standardParts());
  sim.runUntil(tUs);
  const p = sim.partition(partition)!;
  return { leader: p.leader, isr: [...p.isr].sort((a, b) => a - b), lost: sim.ledgerSummary().lost, hw: p.highWatermark };
}

/** What the page shows for a partition and the ledger. */
async function shown(page: Page, partition: string) {
  const card = page.locator(`.pcard[data-partition="${partition}"]`).first();
  const leader = await card.locator('[data-testid="leader"]').getAttribute('data-value');
  const isr = await card.locator('[data-testid="isr"]').getAttribute('data-value');
  const lost = await page.locator('[data-testid="lost-count"]').first().textContent();
  return {
    leader: leader === 'none' ? null : Number(leader),
    isr: isr ? isr.split(',').map(Number) : [],
    lost: Number(lost),
  };
}

describe.skipIf(!haveChromium)('kafkasim in the browser', () => {
  let url: string;
  let browser: Browser;
  let page: Page;

  useBrowser((web) => ({ url, browser } = web));

  beforeAll(async () => {
    page = await newPage(browser, 1600, 1000);
  });

  it('opens a default scenario with no URL parameters', async () => {
    await page.goto(url);
    expect(await waitReady(page)).toBe('ready');
    const p = await probe(page);
    expect(p.runs).toHaveLength(1);
    expect(p.tUs).toBe(0);
    expect(await page.locator('[data-testid="scenario-title"]').textContent()).not.toBe('');
    expect(await page.locator('.pcard').count()).toBeGreaterThan(0);
  });

  it('picks a scenario, plays to a time, and shows the leader, ISR and lost count the simulator gives; then scrubs back', async () => {
    const sc = pickClassroomScenario();
    await page.goto(url);
    await waitReady(page);
    await page.selectOption('[data-testid="scenario-picker"]', sc.key);
    await page.waitForFunction((n) => new URL(location.href).searchParams.get('scenario') === n, sc.key, { timeout: 10_000 });
    expect(await waitReady(page)).toBe('ready');
    // Play until the playhead passes the scenario's last fault, then pause: from 6 s before it at 3×,
    // so the end of the run stays seconds of wall time away (at 100× it was 0.2 s away, and on a busy
    // machine the run could end, pause itself, and the Space meant to pause it started it again)
    await page.evaluate((t) => (window as unknown as { kafkasim: { seek(t: number): void } }).kafkasim.seek(t), Math.max(0, sc.playToUs - 6_000_000));
    await page.locator('[data-testid="speed"]').fill('9'); // 3×
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Space'); // the presenter's key
    await page.waitForFunction((t) => Number(document.body.dataset.t) >= t, sc.playToUs, { timeout: 30_000 });
    await page.keyboard.press('Space');
    const played = await probe(page);
    expect(played.playing).toBe(false);
    const t1 = played.tUs;
    await page.waitForFunction((t) => document.body.dataset.t === String(t), t1, { timeout: 5000 });
    const want1 = truthAt(sc.text, sc.fileName, t1, sc.partition);
    expect(await shown(page, sc.partition)).toEqual({ leader: want1.leader, isr: want1.isr, lost: want1.lost });
    await shot(page, 'played');
    // Scrub back by dragging on the timeline to a quarter of the run.
    await page.locator('[data-testid="timeline"]').scrollIntoViewIfNeeded();
    const box = (await page.locator('[data-testid="timeline"]').boundingBox())!;
    const vb = await page.locator('[data-testid="timeline"]').evaluate((el) => (el as SVGSVGElement).viewBox.baseVal.width);
    const labelW = (await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))) * 9;
    const xFor = (frac: number) => box.x + ((labelW + frac * (vb - 10 - labelW)) / vb) * box.width;
    await page.mouse.move(xFor(0.6), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(xFor(0.25), box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const back = await probe(page);
    expect(back.tUs).toBeLessThan(t1);
    await page.waitForFunction((t) => document.body.dataset.t === String(t), back.tUs, { timeout: 5000 });
    const want2 = truthAt(sc.text, sc.fileName, back.tUs, sc.partition);
    expect(await shown(page, sc.partition)).toEqual({ leader: want2.leader, isr: want2.isr, lost: want2.lost });
    // The presenter's keys: Home goes to the start, n jumps to the first notable event (a fault,
    // election, ISR change, truncation or note).
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.body.dataset.t === '0', undefined, { timeout: 5000 });
    await page.keyboard.press('n');
    await page.waitForFunction(() => Number(document.body.dataset.t) > 0, undefined, { timeout: 5000 });
    const firstNotable = Number(await page.evaluate(() => document.body.dataset.t));
    const parsedSc = parseScenario(sc.text, sc.fileName);
    if (!parsedSc.ok) throw new Error('invalid');
    const firstStep = parsedSc.spec.timeline[0]?.atUs ?? Infinity;
    expect(firstNotable).toBeGreaterThan(0);
    expect(firstNotable).toBeLessThanOrEqual(firstStep);
    // And the URL holds the moment: a link reproduces it.
    const link = page.url();
    expect(new URL(link).searchParams.get('t')).not.toBeNull();
    const other = await newPage(browser, 1600, 1000);
    await other.goto(link);
    await waitReady(other);
    expect((await probe(other)).tUs).toBe(firstNotable);
    expect(await shown(other, sc.partition)).toEqual(await shown(page, sc.partition));
    await other.close();
  });

  it('computes the same trace hash as the CLI (kafkasim run --json) for the same scenario and seed', async () => {
    const sc = pickClassroomScenario();
    for (const seed of [sc.seed, sc.seed + 1]) {
      await page.goto(`${url}?scenario=${encodeURIComponent(sc.key)}&seed=${seed}`);
      expect(await waitReady(page)).toBe('ready');
      const p = await probe(page);
      const cli = spawnSync(process.execPath, [join(repo, 'bin/kafkasim.js'), 'run', sc.path, '--json', '--seed', String(seed)], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
      const cliHash = (JSON.parse(cli.stdout) as { traceHash: string }).traceHash;
      // and the same in this process, through src/scenario's run (what the CLI calls)
      const parsed = parseScenario(sc.text, sc.fileName);
      if (!parsed.ok) throw new Error('invalid');
      const node = runScenario(parsed.scenario, parsed.spec, { seed });
      expect(p.runs[0].seed).toBe(seed);
      expect(p.runs[0].traceHash).toBe(cliHash);
      expect(node.sim.trace.hash()).toBe(cliHash);
      expect(await page.locator('[data-testid="trace-hash"]').getAttribute('data-hash')).toBe(cliHash);
    }
  });

  it('shows the parser\'s error when the scenario is edited into an invalid one', async () => {
    await page.goto(url);
    await waitReady(page);
    await page.keyboard.press('e');
    const editor = page.locator('[data-testid="editor"]');
    await editor.waitFor({ state: 'visible', timeout: 5000 });
    const text = await editorText(page);
    const broken = text.replace(/^duration:.*$/m, 'duration: soon');
    await editor.fill(broken);
    await page.waitForFunction(() => document.querySelector('[data-testid="editor-status"]')?.textContent?.includes('error'), undefined, { timeout: 5000 });
    const errors = await page.locator('[data-testid="editor-errors"] li').allTextContents();
    const parsed = parseScenario(broken, 'x.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const line = parsed.errors[0];
    expect(errors[0]).toContain(`:${line.line}:${line.column}`);
    expect(errors[0]).toContain(line.message);
    await shot(page, 'editor-error');
    await page.keyboard.press('Escape');
  });

  it('opens a local scenario file, and a link to it carries the text', async () => {
    const sc = pickClassroomScenario();
    await page.goto(url);
    await waitReady(page);
    const text = sc.text.replace(/^title:.*$/m, 'title: Opened from my disk');
    await page.setInputFiles('#file-input', { name: 'mine.yaml', mimeType: 'text/yaml', buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]')?.textContent === 'Opened from my disk', undefined, { timeout: 10_000 });
    expect(await waitReady(page)).toBe('ready');
    await page.waitForFunction(() => location.hash.startsWith('#text='), undefined, { timeout: 5000 });
    const link = page.url();
    const other = await newPage(browser, 1200, 800);
    await other.goto(link);
    expect(await waitReady(other)).toBe('ready');
    expect(await other.locator('[data-testid="scenario-title"]').textContent()).toBe('Opened from my disk');
    expect((await probe(other)).runs[0].traceHash).toBe((await probe(page)).runs[0].traceHash);
    await other.close();
  });

  it('plays a what-if side by side with the first divergence marked', async () => {
    const sc = pickClassroomScenario();
    await page.goto(`${url}?scenario=${encodeURIComponent(sc.key)}`);
    expect(await waitReady(page)).toBe('ready');
    // The presenter opens the what-if panel, flips unclean election, and re-runs the same seed.
    await page.keyboard.press('w');
    await page.selectOption('[data-testid="whatif-key"]', 'unclean.leader.election.enable');
    const parsed = parseScenario(sc.text, sc.fileName);
    if (!parsed.ok) throw new Error('invalid');
    const unclean = parsed.spec.brokerConfig['unclean.leader.election.enable'] === true;
    await page.selectOption('[data-testid="whatif-value"]', unclean ? 'false' : 'true');
    await page.click('[data-testid="whatif-run"]');
    await page.waitForFunction(() => document.querySelectorAll('.run').length === 2 && document.body.dataset.state === 'ready', undefined, { timeout: 60_000 });
    const p = await probe(page);
    expect(p.runs).toHaveLength(2);
    expect(new URL(page.url()).searchParams.getAll('whatif')).toEqual([`unclean.leader.election.enable=${unclean ? 'false' : 'true'}`]);
    const divergence = await page.locator('[data-testid="divergence"]').textContent();
    if (p.runs[0].traceHash !== p.runs[1].traceHash) {
      expect(divergence).toMatch(/first diverge at/);
      expect(await page.locator('[data-testid="divergence-marker"]').count()).toBe(1);
    } else {
      expect(divergence).toMatch(/identical/);
    }
    await seek(page, Math.round(p.durationUs * 0.75));
    await shot(page, 'what-if');
  });

  it('plays the classroom scenario and the 30-broker × 1,000-partition overview, and reports frame times', async () => {
    const results: Record<string, string> = {};
    const measure = async (label: string, gotoUrl: string, speedIndex: string) => {
      await page.goto(gotoUrl);
      expect(await waitReady(page, 240_000)).toBe('ready');
      await page.locator('[data-testid="speed"]').fill(speedIndex);
      await page.evaluate(() => {
        const k = (window as unknown as { kafkasim: { clearFrameTimes(): void; play(): void } }).kafkasim;
        k.clearFrameTimes();
        k.play();
      });
      await page.waitForTimeout(4000);
      await page.evaluate(() => (window as unknown as { kafkasim: { pause(): void } }).kafkasim.pause());
      const pr = await probe(page);
      const ft = pr.frameTimes.slice(5);
      const stats = (xs: number[]) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const q = (x: number) => sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))] ?? NaN;
        const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
        return { mean, median: q(0.5), p95: q(0.95), max: q(1) };
      };
      const f = stats(ft);
      const r = stats(pr.renderTimes.slice(5));
      results[label] =
        `${ft.length} frames, mean ${f.mean.toFixed(1)} ms (${(1000 / f.mean).toFixed(0)} fps), median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(1)} ms; ` +
        `our render() mean ${r.mean.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms`;
      expect(ft.length).toBeGreaterThan(10);
      await shot(page, `frames-${label.replace(/\W+/g, '-')}`);
    };
    const sc = pickClassroomScenario();
    await measure('classroom', `${url}?scenario=${encodeURIComponent(sc.key)}&t=${sc.playToUs / 2 / 1e6}`, '8');
    const big = bigClusterScenario();
    const { writeUrlState } = await import('../../viz/lib/url-state.ts');
    const { search, hash } = writeUrlState({ scenario: 'big-cluster', text: big, tUs: 5_000_000 });
    await measure('big overview', `${url}${search}${hash}`, '8');
    console.log('frame times while playing (headless chromium, software rendering):');
    for (const [k, v] of Object.entries(results)) console.log(`  ${k}: ${v}`);
  });

  it('takes the main-view screenshot for the README', async () => {
    const sc = pickClassroomScenario();
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${url}?scenario=${encodeURIComponent(sc.key)}`);
    await waitReady(page);
    await seek(page, sc.screenshotUs);
    // Open the story of the first lost record, if the run lost any: the ledger made visible.
    const lost = page.locator('[data-testid="lost-list"] li');
    if ((await lost.count()) > 0) {
      await lost.first().click();
      await page.locator('[data-testid="story"]').waitFor({ state: 'visible', timeout: 5000 });
    }
    const path = await shot(page, 'main-view');
    expect(readFileSync(path).length).toBeGreaterThan(10_000);
    // UPDATE_SCREENSHOT=1 npm run test:browser refreshes the README's picture.
    if (process.env.UPDATE_SCREENSHOT) {
      mkdirSync(join(repo, 'docs'), { recursive: true });
      copyFileSync(path, join(repo, 'docs/screenshot.png'));
    }
  });
});

