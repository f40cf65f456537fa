// The page's first frame for the reference workload (scenarios/bench/reference.yaml): Chromium opens
// the page (Vite's dev server, as `npm start` serves it) with the scenario's text in the link, and the
// time from navigation to the cluster drawn is measured (the page marks it with body[data-state=ready]
// once its first frame is on screen). The first load is a warm-up (Vite compiles the modules on first
// request), then the median of three loads. Skipped with a message where Chromium is missing.
// `npx tsx test/bench/page.ts`; prints one line, and `--json` prints {firstFrameMs, simulatedMs}.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, haveChromium, launch, repo, startServer } from '../browser/helpers.ts';

export interface PageFigures {
  /** Navigation start to the cluster drawn, ms (median of three). */
  firstFrameMs: number;
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
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      page.setDefaultTimeout(120_000);
      await page.goto(link);
      await page.waitForFunction(() => ['ready', 'invalid', 'error'].includes(document.body.dataset.state ?? ''), undefined, { timeout: 120_000 });
      const state = await page.evaluate(() => document.body.dataset.state);
      if (state !== 'ready') {
        const status = await page.evaluate(() => document.getElementById('run-status')?.textContent ?? '');
        await page.close();
        // the warm-up load may race Vite's first compile of the page's modules
        if (i === 0) continue;
        throw new Error(`the page ended in state ${String(state)}, not ready: ${status}`);
      }
      // the frame after the one that set the state: the cluster is on screen
      const firstFrameMs = await page.evaluate(() => new Promise<number>((done) => requestAnimationFrame(() => done(performance.now()))));
      const status = await page.evaluate(() => document.body.innerText.match(/simulated in ([\d,]+) ms/)?.[1] ?? 'NaN');
      await page.close();
      if (i > 0) samples.push({ firstFrameMs, simulatedMs: Number(status.replace(/,/g, '')) });
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
    else console.log(`page first frame (reference workload): ${r.firstFrameMs.toFixed(0)} ms from navigation (the simulation ${r.simulatedMs} ms of it), target <= 1000 ms`);
  }
}
