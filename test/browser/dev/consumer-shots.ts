// Development aid (issue 17): the four consumer lessons in presentation mode at 1024×768, on a running
// vite (PORT, default 5203), at the moments given: npx tsx test/browser/dev/consumer-shots.ts NAME T1 T2 …
import { launch, newPage, seek, waitReady } from '../helpers.ts';

const port = process.env.PORT ?? '5203';
const name = process.argv[2];
const times = process.argv.slice(3).map(Number);
const present = process.env.PRESENT !== '0';
const [w, h] = (process.env.SIZE ?? '1024x768').split('x').map(Number);
const browser = await launch();
try {
  const page = await newPage(browser, w, h);
  page.on('console', (m) => { if (m.type() === 'error') console.log('[console]', m.text().slice(0, 300)); });
  await page.goto(`http://localhost:${port}/?scenario=${name}${present ? '&present=1' : ''}`);
  console.log('state', await waitReady(page));
  for (const t of times) {
    await seek(page, Math.round(t * 1e6));
    await page.waitForTimeout(400);
    const path = `/tmp/cons/shot-${name}-${t}${present ? '-p' : ''}-${w}.png`;
    await page.screenshot({ path });
    console.log(path);
  }
} finally {
  await browser.close();
}
