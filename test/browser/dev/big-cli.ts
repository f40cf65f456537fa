import { parseScenario } from '../../../src/scenario/index.ts';
import { runScenario } from '../../../src/scenario/run.ts';
import { bigClusterScenario } from '../scenarios.ts';
const p = parseScenario(bigClusterScenario(), 'big.yaml');
if (!p.ok) throw new Error('bad');
const t0 = performance.now();
const r = runScenario(p.scenario, p.spec);
console.log(`cli path ${Math.round(performance.now() - t0)} ms, trace ${r.sim.trace.count}, heap MB ${Math.round(process.memoryUsage().heapUsed / 1e6)}`);
