// The page's first frame for the reference workload (scenarios/bench/reference.yaml): Chromium opens
// the page (Vite's dev server, as `npm start` serves it) with the scenario's text in the link. The page
// marks its first frame with body[data-first-frame] (`partial`: drawn from the run so far, which the
// worker streams a simulated second past the playhead while the rest simulates; `whole`: the whole
// run) and the whole run with body[data-state=ready]. "First frame" counts from the page starting on
// the scenario (body[data-state=checking], what a pick from the library starts with), so the page's
// own start is apart; the time from navigation is given beside it. The first load is a warm-up (Vite
// compiles the modules on first request), then the median of three loads. Skipped with a message where
// Chromium is missing. `npx tsx test/bench/page.ts` prints one line; `--json` prints the figures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, haveChromium, launch, repo, startServer } from '../browser/helpers.ts';

export interface PageFigures {
  /** The page starting on the scenario (body[data-state=checking]) to the cluster drawn, ms (median of three loads). */
  firstFrameMs: number;
  /** Navigation start to the cluster drawn, ms, of the same load (the page's own start included). */
  fromNavigationMs: number;
  /** The page starting on the scenario to the whole run drawn (body[data-state=ready]), ms, of the same load. */
  wholeRunMs: number;
  /** What the page says the simulation took, ms (its status line). */
  simulatedMs: number;
}

const FILE = join(repo, 'scenarios/bench/reference.yaml');

function fragment(text: string): string {
  return 'text=' + Buffer.from(text, 'utf8').toString('base64url');
}

/** Undefined when there is no Chromium to run (the reason is printed). */
export async function measurePage(loads = 3): Promise<PageFigures | undefined> {
  if (!haveChromium) {
    console.log(`page first frame: skipped, no Chromium at ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium)`);
    return undefined;
  }
  const { server, url } = await startServer();
  const browser = await launch();
  try {
    const link = `${url}#${fragment(readFileSync(FILE, 'utf8'))}`;
    const samples: PageFigures[] = [];
    for (let i = 0; i <= loads; i++) {
      if (i === 0) {
        // warm-up: Vite compiles the page's modules (and may reload it once for its dependencies)
        const page = await browser.newPage();
        await page.goto(link);
        await page.waitForFunction(() => ['ready', 'invalid', 'error'].includes(document.body.dataset.state ?? ''), undefined, { timeout: 180_000 }).catch(() => undefined);
        await page.close();
        continue;
      }
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      page.setDefaultTimeout(120_000);
      // when the page starts on the scenario, as a pick from the library would: it checks the text first
      await page.addInitScript(() => {
        const w = window as unknown as { openedAt?: number };
        new MutationObserver(() => {
          if (w.openedAt === undefined && document.body?.dataset.state === 'checking') w.openedAt = performance.now();
        }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
      });
      await page.goto(link);
      await page.waitForFunction(() => document.body.dataset.firstFrame !== undefined || ['invalid', 'error'].includes(document.body.dataset.state ?? ''), undefined, { timeout: 120_000 });
      // the frame after the one that drew it: the cluster is on screen
      const fromNavigationMs = await page.evaluate(() => new Promise<number>((done) => requestAnimationFrame(() => done(performance.now()))));
      const openedAt = await page.evaluate(() => (window as unknown as { openedAt?: number }).openedAt ?? 0);
      await page.waitForFunction(() => ['ready', 'invalid', 'error'].includes(document.body.dataset.state ?? ''), undefined, { timeout: 120_000 });
      const state = await page.evaluate(() => document.body.dataset.state);
      if (state !== 'ready') {
        const status = await page.evaluate(() => document.getElementById('run-status')?.textContent ?? '');
        await page.close();
        throw new Error(`the page ended in state ${String(state)}, not ready: ${status}`);
      }
      const wholeRunMs = await page.evaluate(() => new Promise<number>((done) => requestAnimationFrame(() => done(performance.now()))));
      const status = await page.evaluate(() => document.body.innerText.match(/simulated in ([\d,]+) ms/)?.[1] ?? 'NaN');
      await page.close();
      samples.push({ firstFrameMs: fromNavigationMs - openedAt, fromNavigationMs, wholeRunMs: wholeRunMs - openedAt, simulatedMs: Number(status.replace(/,/g, '')) });
    }
    samples.sort((a, b) => a.firstFrameMs - b.firstFrameMs);
    return samples[samples.length >> 1];
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measurePage();
  if (r !== undefined) {
    if (process.argv.includes('--json')) console.log(JSON.stringify(r));
    else {
      console.log(`page first frame (reference workload): ${r.firstFrameMs.toFixed(0)} ms from the page starting on the scenario (target <= 1000 ms), ` +
        `${r.fromNavigationMs.toFixed(0)} ms from navigation; the whole run drawn at ${r.wholeRunMs.toFixed(0)} ms (simulating it ${r.simulatedMs} ms)`);
    }
  }
}
