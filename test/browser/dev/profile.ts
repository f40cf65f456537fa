// Development aid: CPU-profile the page while it plays the big cluster; print the top functions.
import { startServer, launch, newPage, waitReady } from '../helpers.ts';
import { bigClusterScenario } from '../scenarios.ts';
import { writeUrlState } from '../../../viz/lib/url-state.ts';
const { server, url } = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, 1600, 1000);
  const { search, hash } = writeUrlState({ scenario: 'big-cluster', text: bigClusterScenario(), tUs: 5_000_000 });
  await page.goto(`${url}${search}${hash}`);
  await waitReady(page, 240_000);
  await page.locator('[data-testid="speed"]').fill('8');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  await page.evaluate(() => (window as any).kafkasim.play());
  await page.waitForTimeout(4000);
  await page.evaluate(() => (window as any).kafkasim.pause());
  const { profile } = (await cdp.send('Profiler.stop')) as any;
  const self = new Map<string, number>();
  const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
  const dt: number[] = profile.timeDeltas;
  profile.samples.forEach((id: number, i: number) => {
    const n = byId.get(id);
    const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((100 * v) / total).toFixed(1)}%  ${k}`);
} finally {
  await browser.close();
  await server.close();
}
