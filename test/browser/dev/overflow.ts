// Development aid: which elements stick out past the window's right edge (horizontal overflow)?
// npx tsx test/browser/dev/overflow.ts 'scenario=acks-1-leader-crash&present=1' 1024 768 [h]
import { startServer, launch, newPage, waitReady } from '../helpers.ts';

const query = process.argv[2] ?? '';
const w = Number(process.argv[3] ?? 1024);
const h = Number(process.argv[4] ?? 768);
const keys = process.argv.slice(5);
const { server, url } = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, w, h);
  await page.goto(`${url}?${query}`);
  console.log('state', await waitReady(page));
  for (const k of keys) await page.keyboard.press(k);
  await page.waitForTimeout(500);
  const out = await page.evaluate((vw) => {
    const rows: string[] = [`scrollWidth ${document.documentElement.scrollWidth}`];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 0.5 && r.width > 0) {
        const parentOver = el.parentElement && el.parentElement.getBoundingClientRect().right > vw + 0.5;
        if (!parentOver) rows.push(`${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')} right=${Math.round(r.right)} width=${Math.round(r.width)}`);
      }
    }
    return rows;
  }, w);
  console.log(out.join('\n'));
} finally {
  await browser.close();
  await server.close();
}
