// A scenario of the library, parsed as `kafkasim run` parses it, and the ledger's counts checked
// against the brokers' logs themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, type Scenario } from '../../../src/scenario/index.ts';
import type { ClusterSpec, LedgerSummary, Simulation } from '../../../sim/kafka/index.ts';
import { REPO } from '../../cli/support.ts';

export function libraryScenario(name: string): { scenario: Scenario; spec: ClusterSpec } {
  const rel = `scenarios/library/${name}.yaml`;
  const r = parseScenario(readFileSync(join(REPO, rel), 'utf8'), rel);
  if (!r.ok) throw new Error(`${rel} does not parse: ${JSON.stringify(r.errors)}`);
  return { scenario: r.scenario, spec: r.spec };
}

/** produced − (acked + failed + pending + inFlight): 0 when the four states account for every record. */
export function unaccounted(s: LedgerSummary): number {
  return s.produced - (s.acked + s.failed + s.pending + s.inFlight);
}

/** Extra copies of an identity in the current leaders' logs, counted from the logs. */
export function duplicatesInLeaderLogs(sim: Simulation): number {
  let extra = 0;
  for (const t of sim.topics()) {
    for (const p of t.partitions) {
      if (p.leader === null) continue;
      const log = sim.broker(p.leader).disk.get(sim.cluster.names.find(p.topic, p.partition));
      const seen = new Set<string>();
      for (let i = 0; log !== undefined && i < log.batchCount; i++) {
        for (let k = 0; k < log.counts[i]; k++) {
          const id = `${log.producerIds[i]}:${log.baseSequences[i] + k}`;
          if (seen.has(id)) extra++;
          else seen.add(id);
        }
      }
    }
  }
  return extra;
}
