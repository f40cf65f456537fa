// Development aid (not a test): run a scenario in Node with every part (clients included), inject
// the result into the page and take screenshots at the given times.
// npx tsx test/browser/dev/inject-shot.ts FILE t1 t2 … [--whatif key=value] [--present]
import { readFileSync } from 'node:fs';
import { simulate } from '../../../viz/run/simulate.ts';
import { startServer, launch, newPage, shot, seek } from '../helpers.ts';

const args = process.argv.slice(2);
const file = args[0];
const wi = args.indexOf('--whatif');
const overrides = wi >= 0 ? Object.fromEntries([args[wi + 1].split('=') as [string, string]]) : undefined;
const present = args.includes('--present');
const times = args.slice(1).filter((a, i, all) => /^[\d.]+$/.test(a) && all[i - 1] !== '--whatif').map(Number);
const text = readFileSync(file, 'utf8');
const runs = [await simulate({ text, fileName: file }, undefined, () => performance.now())];
if (overrides) runs.push(await simulate({ text, fileName: file, overrides }, undefined, () => performance.now()));
const { server, url } = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, 1600, 1000);
  await page.goto(`${url}?scenario=${runs[0].name}${present ? '&present=1' : ''}`);
  await page.waitForFunction(() => ['ready', 'invalid', 'error'].includes(document.body.dataset.state ?? ''), undefined, { timeout: 60_000 });
  await page.evaluate((rs) => {
    const data = (rs as any[]).map((r: any) => ({ ...r, fingerprints: Uint32Array.from(r.fingerprints as unknown as number[]), rawTimes: Float64Array.from(r.rawTimes as unknown as number[]) }));
    (window as any).kafkasim.showRuns(data, 0);
  }, runs.map((r) => ({ ...r, fingerprints: [...r.fingerprints], rawTimes: [...r.rawTimes] })) as any);
  for (const t of times) {
    await seek(page, Math.round(t * 1e6));
    console.log(await shot(page, `inject-${runs[0].name}${overrides ? '-whatif' : ''}${present ? '-present' : ''}-${t}`));
  }
} finally {
  await browser.close();
  await server.close();
}
