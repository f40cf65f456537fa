// Development aid: open the page on a scenario (URL query), wait for the run, screenshot at times.
// npx tsx test/browser/dev/page-shot.ts 'scenario=quickstart' 5 12 31
import { startServer, launch, newPage, shot, seek, waitReady } from '../helpers.ts';

const query = process.argv[2] ?? '';
const times = process.argv.slice(3).map(Number);
const { server, url } = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, 1600, 1000);
  page.on('console', (m) => console.log('[console]', m.type(), m.text().slice(0, 300)));
  await page.goto(`${url}?${query}`);
  console.log('state', await waitReady(page), await page.locator('#run-status').textContent());
  for (const t of times.length ? times : [0]) {
    await seek(page, Math.round(t * 1e6));
    console.log(await shot(page, `page-${query.replace(/[^a-z0-9]+/gi, '_')}-${t}`));
  }
} finally {
  await browser.close();
  await server.close();
}
