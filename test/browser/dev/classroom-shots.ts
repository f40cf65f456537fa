// Development aid: the lessons a teacher shows, at projector sizes, in presentation or normal mode,
// screenshotted at a moment (viewport only: what the room sees without scrolling).
// npx tsx test/browser/dev/classroom-shots.ts OUTDIR 'scenario=unclean-election-loses-acked-writes' 68.76344 1024x768 present [1920x1080 ...]
import { startServer, launch, newPage, seek, waitReady } from '../helpers.ts';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

const [outDir = '/tmp/shots', query = '', at = '0', ...rest] = process.argv.slice(2);
const present = rest.includes('present');
const sizes = rest.filter((s) => /^\d+x\d+$/.test(s)).map((s) => s.split('x').map(Number) as [number, number]);
mkdirSync(outDir, { recursive: true });
const { server, url } = await startServer();
const browser = await launch();
try {
  for (const [w, h] of sizes.length ? sizes : [[1440, 900] as [number, number]]) {
    const page = await newPage(browser, w, h);
    page.on('console', (m) => m.type() === 'error' && console.log('[console]', m.text().slice(0, 300)));
    await page.goto(`${url}?${query}${present ? '&present=1' : ''}`);
    console.log(w, h, 'state', await waitReady(page));
    await seek(page, Math.round(Number(at) * 1e6));
    await page.waitForTimeout(1200);
    const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight }));
    const name = `${query.replace(/.*scenario=([^&]+).*/, '$1')}-${at}s-${w}x${h}${present ? '-present' : ''}.png`;
    const path = join(outDir, name);
    await page.screenshot({ path });
    console.log(path, `scrollWidth ${m.sw} scrollHeight ${m.sh}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
