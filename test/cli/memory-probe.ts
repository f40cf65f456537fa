// Run by long-runs.test.ts in a child process started with --expose-gc: runs a scenario as `kafkasim
// run --trace` does (the trace streamed, only the story's lines kept) and prints, at each checkpoint of
// simulated time, the JS heap in use and the bytes held in ArrayBuffers after a full collection.
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/index.ts';
import { startScenario } from '../../src/scenario/run.ts';
import { StoryTeller } from '../../src/cli/story.ts';

const [file, ...checkpoints] = process.argv.slice(2);
const parsed = parseScenario(readFileSync(file, 'utf8'), file);
if (!parsed.ok) throw new Error(`${file} does not parse`);
const story = new StoryTeller();
let bytes = 0;
const run = startScenario(parsed.scenario, parsed.spec, { keepTrace: false, traceSink: (line, e) => ((bytes += line.length), story.add(e)) });
const gc = (globalThis as { gc?: () => void }).gc!;
const out = [];
for (const s of checkpoints.map(Number)) {
  run.sim.runUntil(s * 1_000_000);
  // ArrayBuffers a collection found dead are freed by a background sweeper: on a busy machine one
  // gc() can leave them counted (one loaded run measured 465 bytes a record instead of ~250), so
  // collect again after a pause until the count stops falling (at most five times)
  let m = process.memoryUsage();
  for (let i = 0, before = Infinity; i < 5 && m.arrayBuffers < before; i++) {
    before = m.arrayBuffers;
    gc();
    await new Promise((done) => setTimeout(done, 50));
    m = process.memoryUsage();
  }
  out.push({ s, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, acked: run.sim.ledgerSummary().acked, traceBytes: bytes });
}
process.stdout.write(JSON.stringify(out));
