// `kafkasim run FILE --set KEY=VALUE …`: the scenario with a sweep cell's settings written in, so the
// run a sweep reports ("cell 2, first at seed 17") replays as it ran: the keys and the rule for values
// are the sweep's (src/experiments/set-keys.ts), one value per key.

import { checkKeys, parseCell, parseSetFlag, SetKeyError } from '../experiments/set-keys.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { UsageError } from './args.ts';
import { readScenarioFile } from './inputs.ts';
import { loadScenario } from './load.ts';

export function loadWithSettings(file: string, sets: readonly string[]): { scenario: Scenario; spec: ClusterSpec; text: string } {
  const plain = loadScenario(file); // a bad file is reported as itself (exit 2), before any key
  if (sets.length === 0) return plain;
  try {
    const axes = sets.map(parseSetFlag);
    for (const a of axes) if (a.values.length !== 1) throw new SetKeyError(`--set ${a.key}: run takes one value per key (a sweep takes several)`);
    const text = readScenarioFile(file);
    checkKeys(text, axes);
    const cell = parseCell(text, file, axes.map((a) => ({ key: a.key, value: a.values[0] })));
    return { scenario: cell.scenario, spec: cell.spec, text: cell.text };
  } catch (e) {
    if (e instanceof SetKeyError) throw new UsageError(e.message);
    throw e;
  }
}
