// Development aid: runs/second of "How often?" in the browser (1 worker, then the default pool)
// against the same runs in this Node process.
// npx tsx test/browser/dev/how-often-bench.ts [scenario=acks-1-leader-crash] [runs=200]
import { startServer, launch, newPage, waitReady } from '../helpers.ts';
import { loadLibraryFile } from '../scenarios.ts';
import { parseScenario } from '../../../src/scenario/index.ts';
import { runScenario } from '../../../src/scenario/run.ts';

const name = process.argv[2] ?? 'acks-1-leader-crash';
const runs = Number(process.argv[3] ?? 200);
const text = loadLibraryFile(`scenarios/library/${name}.yaml`);
const parsed = parseScenario(text, `${name}.yaml`);
if (!parsed.ok) throw new Error('invalid');
for (let s = 1; s <= 20; s++) runScenario(parsed.scenario, parsed.spec, { seed: s, trace: false, checkInvariants: false }); // warm up
const t0 = performance.now();
for (let s = 1; s <= runs; s++) runScenario(parsed.scenario, parsed.spec, { seed: s, trace: false, checkInvariants: false });
const nodeMs = performance.now() - t0;
console.log(`node, one thread: ${runs} runs in ${(nodeMs / 1000).toFixed(2)} s = ${(runs / (nodeMs / 1000)).toFixed(0)} runs/s (${(nodeMs / runs).toFixed(1)} ms per run)`);

const { server, url } = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, 1440, 900);
  await page.goto(`${url}?scenario=${name}`);
  await waitReady(page);
  await page.keyboard.press('h');
  await page.selectOption('[data-testid="ho-runs"]', String(runs));
  type K = { kafkasim: { howOften: { workerCount?: number; probe(): { stats?: { runs: number; workers: number; wallMs: number; runMs: number } } } } };
  for (const workers of [1, undefined, 1, undefined]) {
    await page.evaluate((w) => ((window as unknown as K).kafkasim.howOften.workerCount = w), workers);
    await page.click('[data-testid="ho-run"]');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="howoften-panel"]')?.dataset.state === 'done', undefined, { timeout: 300_000 });
    const st = await page.evaluate(() => (window as unknown as K).kafkasim.howOften.probe().stats!);
    console.log(`browser, ${st.workers} worker(s): ${st.runs} runs in ${(st.wallMs / 1000).toFixed(2)} s = ${(st.runs / (st.wallMs / 1000)).toFixed(0)} runs/s (${(st.runMs / st.runs).toFixed(1)} ms per run inside a worker)`);
  }
} finally {
  await browser.close();
  await server.close();
}
