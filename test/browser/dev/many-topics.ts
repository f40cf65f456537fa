// Dev probe (not a test): open a scenario with N single-partition topics as a file and report how
// long the page takes to check, run and show it, and the longest main-thread gap meanwhile.
// npx tsx test/browser/dev/many-topics.ts [N]
import { launch, newPage, startServer } from '../helpers.ts';

const n = Number(process.argv[2] ?? 10_000);
const lines = [`name: many-${n}`, 'duration: 2s', 'cluster: { brokers: 3 }', 'topics:'];
for (let i = 0; i < n; i++) lines.push(`  - { name: topic-${i}, partitions: 1, replication.factor: 1 }`);
const text = lines.join('\n') + '\n';

const { server, url } = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, 1400, 900);
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  // a string: tsx's helpers (__name) do not exist in the page
  await page.evaluate(`(() => {
    const g = { max: 0, last: performance.now() };
    window.__g = g;
    const tick = () => { const now = performance.now(); g.max = Math.max(g.max, now - g.last); g.last = now; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await page.evaluate(`(() => {
    const k = window.kafkasim;
    const orig = k.showRuns.bind(k);
    k.showRuns = (runs, t) => { const a = performance.now(); orig(runs, t); window.__show = performance.now() - a; };
  })()`);
  const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  await page.evaluate(() => (document.body.dataset.state = 'test-pending'));
  const t0 = Date.now();
  await page.setInputFiles('#file-input', { name: 'many.yaml', mimeType: 'text/yaml', buffer: Buffer.from(text) });
  const seen = new Set<string>();
  for (;;) {
    const st = await page.evaluate(() => `${document.body.dataset.state} ${document.getElementById('run-status')?.textContent}`);
    if (!seen.has(st)) (seen.add(st), console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s  ${st}`));
    if (/^(ready|invalid|error)/.test(st) || Date.now() - t0 > 300_000) break;
    await page.waitForTimeout(250);
  }
  await page.waitForTimeout(1000);
  if (cdp) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[]; samples: number[]; timeDeltas: number[] } };
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = new Map<number, number>();
    profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const [id, us] of dt) {
      const n = byId.get(id)!;
      const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/(viz|src|sim|node_modules)\//, '$1/').replace(/\?.*$/, '')}:${n.callFrame.lineNumber + 1}`;
      self.set(k, (self.get(k) ?? 0) + us);
    }
    console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
  }
  console.log('showRuns', await page.evaluate(() => Math.round((window as unknown as { __show: number }).__show)), 'ms');
  console.log('longest frame gap', await page.evaluate(() => Math.round((window as unknown as { __g: { max: number } }).__g.max)), 'ms');
} finally {
  await browser.close();
  await server.close();
}
