// Development aid: open a scenario, go to a time, click the first lost record, screenshot.
import { startServer, launch, newPage, shot, seek, waitReady } from '../helpers.ts';
const [query, t, name] = process.argv.slice(2);
const { server, url } = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, 1600, 1000);
  await page.goto(`${url}?${query}`);
  await waitReady(page);
  await seek(page, Math.round(Number(t) * 1e6));
  await page.locator('[data-testid="lost-list"] li').first().click();
  await page.waitForTimeout(300);
  console.log(await shot(page, name ?? 'story'));
} finally {
  await browser.close();
  await server.close();
}
