// Watches the model while it runs in the page, through the model's observer hooks (appends,
// truncations, HW changes, leadership), and turns what it sees into the viz's events. Observers do
// not write to the trace, so watching changes neither the run nor its hash.

import type { ModelObserver, PartitionNames } from '../../sim/kafka/cluster.ts';
import type { ReplicaLog } from '../../sim/kafka/log.ts';
import type { RecordBatch } from '../../sim/kafka/protocol.ts';
import type { VizEvent } from '../lib/events.ts';

export class ReplicaCollector implements ModelObserver {
  constructor(
    private readonly names: PartitionNames,
    private readonly now: () => number,
    /** The run's event list, shared with the normalised trace. */
    readonly events: VizEvent[],
    /** Called before each push, to bring the trace's events in first (exact interleaving). */
    private readonly beforePush: () => void = () => {},
    /** Partitions to record replica detail for. */
    private readonly detail: (pidx: number) => boolean = () => true,
  ) {}

  appended(broker: number, pidx: number, batch: RecordBatch, _asLeader: boolean, log: ReplicaLog): void {
    if (!this.detail(pidx)) return;
    const to = log.logEndOffset;
    const last = log.epochs.length - 1;
    const epoch = last >= 0 ? log.epochs[last] : batch.leaderEpoch;
    this.beforePush();
    this.events.push({ tUs: this.now(), type: 'append', partition: this.names.names[pidx], broker, from: to - batch.count, to, epoch });
  }

  truncated(broker: number, pidx: number, newEnd: number, oldEnd: number, _removed: RecordBatch[], reason: string): void {
    if (!this.detail(pidx)) return;
    this.beforePush();
    this.events.push({ tUs: this.now(), type: 'truncate', partition: this.names.names[pidx], broker, from: oldEnd, to: newEnd, records: oldEnd - newEnd, reason });
  }

  highWatermark(broker: number, pidx: number, hw: number): void {
    if (!this.detail(pidx)) return;
    this.beforePush();
    this.events.push({ tUs: this.now(), type: 'hw', partition: this.names.names[pidx], broker, hw });
  }
}
