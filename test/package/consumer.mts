// Someone embedding kafkasim: run a scenario from its text and read the verdict and the ledger, typed.
import { readFileSync } from 'node:fs';
import { runScenarioText, type RunVerdict } from 'kafkasim';

const r = runScenarioText(readFileSync('my.yaml', 'utf8'), { fileName: 'my.yaml', seed: 3 });
if (!r.ok) throw new Error(r.errors.join('\n'));
const v: RunVerdict = r;
const lost: number = v.ledger.lost;
if (!v.passed || lost !== 0 || v.seed !== 3 || !/^[0-9a-f]{64}$/.test(v.traceHash)) throw new Error(`unexpected verdict: ${JSON.stringify({ passed: v.passed, lost })}`);
const bad = runScenarioText('name: x\nduration: -1s\n', { fileName: 'x.yaml' });
if (bad.ok || !bad.errors[0].startsWith('x.yaml:')) throw new Error('an invalid scenario should come back with located errors');
console.log(`api: ${v.scenario.name} passed, ${v.ledger.acked} acked, ${v.events} events`);
