// Development aid (not a test): open the page, inject the synthetic run, take screenshots.
// npx tsx test/browser/dev/synthetic-shot.ts [partitions]
import { startServer, launch, newPage, shot, seek } from '../helpers.ts';
import { syntheticRun } from '../../viz/synthetic.ts';

const parts = Number(process.argv[2] ?? 2);
const { server, url } = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, 1600, 1000);
  await page.goto(url);
  await page.waitForTimeout(1500);
  const run = syntheticRun(parts, parts > 12 ? Array.from({ length: 30 }, (_, i) => i + 1) : [1, 2, 3]);
  await page.evaluate((r) => {
    const d = { ...r, fingerprints: new Uint32Array(0), rawTimes: new Float64Array(0) };
    (window as any).kafkasim.showRuns([d], 0);
    document.body.dataset.state = 'ready';
  }, run as any);
  for (const t of [5_000_000, 10_040_000, 20_000_000, 27_000_000]) {
    await seek(page, t);
    console.log(await shot(page, `synthetic-${parts}-${t}`));
  }
  await page.locator('[data-testid="lost-list"] li').first().click();
  await page.waitForTimeout(300);
  console.log(await shot(page, `synthetic-${parts}-story`));
} finally {
  await browser.close();
  await server.close();
}
