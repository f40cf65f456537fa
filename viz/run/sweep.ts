// One scenario over many seeds, cheaply: parsed once, then each seed is a run without a trace and
// without the per-event invariant checks (the page's normal player runs those), reporting only the
// ledger's end counts and whether the scenario's expectations held. Runs in the sweep workers.

import { parseScenario, formatError } from '../../src/scenario/index.ts';
import { runScenario, SimulationFailure } from '../../src/scenario/run.ts';
import type { ClusterSpec } from '../../sim/kafka/index.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import type { RunOutcome } from '../lib/how-often.ts';
import { buildSpec } from './trace-run.ts';
import { InvalidScenario } from './simulate.ts';

export interface SweepSetup {
  text: string;
  fileName: string;
  /** One entry per series: the what-if overrides of that side (undefined: the scenario as written). */
  sides: (Record<string, string> | undefined)[];
}

export interface PreparedSweep {
  run(side: number, seed: number): RunOutcome;
}

export function prepareSweep(setup: SweepSetup): PreparedSweep {
  const parsed = parseScenario(setup.text, setup.fileName);
  if (!parsed.ok) throw new InvalidScenario(parsed.errors.map(formatError));
  const scenario: Scenario = parsed.scenario;
  const specs: ClusterSpec[] = setup.sides.map((o) => (o && Object.keys(o).length ? buildSpec({ text: setup.text, fileName: setup.fileName, overrides: o }, parsed) : parsed.spec));
  return {
    run(side, seed) {
      const spec = specs[side];
      if (!spec) throw new RangeError(`no side ${side}`);
      try {
        const r = runScenario(scenario, spec, { seed, trace: false, checkInvariants: false });
        const s = r.sim.ledgerSummary();
        return { seed, lost: s.lost, acked: s.acked, duplicates: s.duplicates, unavailable: s.unavailable, passed: r.passed };
      } catch (e) {
        if (e instanceof SimulationFailure) return { seed, lost: 0, acked: 0, duplicates: 0, unavailable: 0, passed: false, error: e.message };
        throw e;
      }
    },
  };
}
