// The ledger's side of the trace: its counts as they change (`ledger`) and, at the end of the run,
// each lost record with the chain of events that lost it (`record-lost`). The model's own events
// say what happened to every log; these say what it meant for the records, so that a trace file is
// the whole run: the page draws the ledger card, the lost-records list and the charts from the
// trace alone, whether it ran the scenario itself or opened a file `kafkasim run --trace` wrote.
//
// A part of its own (the journal), installed after the checks that keep the ledger: it reads the
// ledger (LedgerPort), never changes it, and writes nothing when the simulation has no trace (a
// sweep), so it costs nothing there. The counts are written at once after a change of leadership, a
// truncation or a crash, or an acknowledgement from a broker that no longer leads (a zombie's: lost
// the moment it is given) — whenever records may become lost or unavailable — otherwise at most once
// a second of simulated time, and only when they changed, so a busy run's trace grows by a line a second.

import type { ClientObserver } from './client-observer.ts';
import type { ModelObserver } from './cluster.ts';
import type { LedgerSummary } from './ledger-port.ts';
import type { SimulationPart } from './parts.ts';
import type { Simulation } from './simulation.ts';
import type { EventOf, TraceEventType } from './trace-events.ts';

/** Named events after which the counts are written at once: what moves `lost` and `unavailable`. */
const AT_ONCE: ReadonlySet<TraceEventType> = new Set(['partition-change', 'truncated', 'broker-crashed', 'broker-restarted', 'disk-lost', 'log-start-advanced']);

const SAMPLE_EVERY_US = 1_000_000;

type Counts = Omit<EventOf<'ledger'>, 't' | 'type'>;

function countsOf(s: LedgerSummary): Counts {
  const c: Counts = { produced: s.produced, acked: s.acked, lost: s.lost, unavailable: s.unavailable, duplicates: s.duplicates };
  // only once retention has touched the run, so a run without it writes the lines it always did
  if (s.deleted > 0) c.deleted = s.deleted;
  if (s.outOfRangeSkipped > 0) c.outOfRangeSkipped = s.outOfRangeSkipped;
  return c;
}

function same(a: Counts | undefined, b: Counts): boolean {
  return a !== undefined && a.produced === b.produced && a.acked === b.acked && a.lost === b.lost && a.unavailable === b.unavailable && a.duplicates === b.duplicates
    && a.deleted === b.deleted && a.outOfRangeSkipped === b.outOfRangeSkipped;
}

export class Journal implements SimulationPart {
  readonly observers: readonly ModelObserver[];
  readonly clientObservers: readonly ClientObserver[];
  readonly afterEachEvent: (() => void) | undefined;
  readonly atEnd: readonly (() => void)[];
  private last: Counts | undefined;
  private due = 0;
  private atOnce = false;

  constructor(private readonly sim: Simulation) {
    const traced = sim.options.trace !== false;
    this.observers = traced ? [{ event: (e) => void (AT_ONCE.has(e.type as TraceEventType) && (this.atOnce = true)) }] : [];
    this.clientObservers = traced ? [{ batchAcked: (ref, ackedBy) => void (this.leaderOf(ref.topic, ref.partition) !== ackedBy && (this.atOnce = true)) }] : [];
    this.afterEachEvent = traced ? () => this.afterEvent() : undefined;
    this.atEnd = traced ? [() => this.writeEnd()] : [];
  }

  /** The leader of a partition in the controller's committed metadata (−1: none). */
  private leaderOf(topic: string, partition: number): number {
    return this.sim.controller.image.partition(this.sim.cluster.names.find(topic, partition))?.leader ?? -1;
  }

  private afterEvent(): void {
    const now = this.sim.now;
    if (!this.atOnce && now < this.due) return;
    this.atOnce = false;
    this.due = now + SAMPLE_EVERY_US;
    this.write(false);
  }

  private write(always: boolean): void {
    const counts = countsOf(this.sim.ledgerSummary());
    if (!always && same(this.last, counts)) return;
    this.last = counts;
    this.sim.cluster.record({ t: this.sim.now, type: 'ledger', ...counts });
  }

  /** The run reached its end: the final counts, then every lost record with its story. */
  private writeEnd(): void {
    this.write(true);
    const t = this.sim.now;
    for (const r of this.sim.lostRecords()) {
      this.sim.cluster.record({
        t, type: 'record-lost', partition: r.partition, producer: r.producer ?? String(r.producerId), sequence: r.sequence,
        offset: r.ack.offset, epoch: r.ack.epoch, acked: r.ack.t, broker: r.ack.broker, lostAt: r.lostAt,
        story: r.explanation.map((s): [number, string, number | null] => [s.t, s.text, s.broker ?? null]),
      });
    }
  }
}

/** The journal part, for assembleSimulation. */
export function journal(sim: Simulation): Journal {
  return new Journal(sim);
}
