// Time without a leader: how long each partition had no leader able to serve it, either none in the
// controller's committed metadata (OfflinePartitionsCount) or one whose process had crashed, stopped
// or frozen (the controller has not fenced it yet, but nobody can produce to it). This is the
// unavailability a producer sees after a leader dies, until the controller elects another. An
// end-of-run measure for experiments, kept by watching the named trace events: an observer handed to
// assembleSimulation (`observers: [(sim) => new LeaderlessTime(() => sim.now)]`).

import type { TraceEvent } from '../engine/index.ts';
import type { ModelObserver } from '../kafka/index.ts';

export class LeaderlessTime implements ModelObserver {
  /** Partition → its leader in the committed metadata (null: none). */
  private readonly leader = new Map<string, number | null>();
  /** Brokers whose process is down or frozen. */
  private readonly down = new Set<number>();
  /** Partition → since when it has had no serving leader, while it has none. */
  private readonly since = new Map<string, number>();
  /** Partition → leaderless microseconds already closed. */
  private readonly total = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  event(e: TraceEvent): void {
    switch (e.type) {
      case 'partition-change':
        this.leader.set(String(e.partition), (e.leader as number | null) ?? null);
        return this.update(String(e.partition), e.t);
      case 'broker-crashed':
      case 'broker-stopped':
      case 'broker-paused':
        this.down.add(e.broker as number);
        return this.updateLedBy(e.broker as number, e.t);
      case 'broker-restarted':
      case 'broker-resumed':
        this.down.delete(e.broker as number);
        return this.updateLedBy(e.broker as number, e.t);
    }
  }

  private updateLedBy(broker: number, t: number): void {
    for (const [p, l] of this.leader) if (l === broker) this.update(p, t);
  }

  private update(p: string, t: number): void {
    const l = this.leader.get(p);
    const served = l !== null && l !== undefined && !this.down.has(l);
    const from = this.since.get(p);
    if (!served && from === undefined) this.since.set(p, t);
    else if (served && from !== undefined) {
      this.since.delete(p);
      this.total.set(p, (this.total.get(p) ?? 0) + (t - from));
    }
  }

  /** Leaderless microseconds of one partition up to now (an open stretch counts until now). */
  of(partition: string): number {
    const open = this.since.get(partition);
    return (this.total.get(partition) ?? 0) + (open === undefined ? 0 : this.now() - open);
  }

  /** The worst partition's leaderless microseconds up to now (0 if every partition always had a leader). */
  worst(): number {
    let worst = 0;
    for (const p of this.leader.keys()) worst = Math.max(worst, this.of(p));
    return worst;
  }
}
