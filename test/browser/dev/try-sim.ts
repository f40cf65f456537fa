// Development aid: run the page's simulate() in Node on library scenarios and compare its trace hash
// with the CLI's path (src/scenario/run.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { simulate } from '../../../viz/run/simulate.ts';
import { parseScenario } from '../../../src/scenario/index.ts';
import { runScenario } from '../../../src/scenario/run.ts';

const files = process.argv.slice(2).length ? process.argv.slice(2) : readdirSync('scenarios/examples').map((f) => `scenarios/examples/${f}`);
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const t0 = performance.now();
  try {
    const d = await simulate({ text, fileName: f }, undefined, () => performance.now());
    const t1 = performance.now();
    const p = parseScenario(text, f);
    if (!p.ok) throw new Error('invalid');
    const r = runScenario(p.scenario, p.spec);
    const t2 = performance.now();
    const counts: Record<string, number> = {};
    for (const e of d.events) counts[e.type] = (counts[e.type] ?? 0) + 1;
    console.log(f, d.traceHash === r.sim.trace.hash() ? 'HASH OK' : `HASH DIFFERS ${d.traceHash} vs ${r.sim.trace.hash()}`, `viz ${Math.round(t1 - t0)} ms, cli ${Math.round(t2 - t1)} ms`, `trace ${d.traceEvents}, flights ${d.flights.length}, lost ${d.lost.length}`, JSON.stringify(counts), JSON.stringify(d.final));
    if (d.lost.length) console.log('  lost[0]', JSON.stringify(d.lost[0]).slice(0, 600));
  } catch (e) {
    console.log(f, 'FAILED', e instanceof Error ? e.stack : e);
  }
}
