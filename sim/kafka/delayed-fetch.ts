// The fetch purgatory (DelayedFetch, ReplicaManager.delayedFetchPurgatory): a fetch with nothing to
// return waits here up to its maxWaitMs, until new data (a follower's, minBytes = 1), a higher HW (a
// consumer's) or a leadership change (both) may complete it. Only the bookkeeping is here; the replica
// manager reads and answers a fetch that completes.

import type { EventId } from '../engine/index.ts';
import type { Envelope, NodeContext } from './network.ts';
import type { FetchRequest } from './protocol.ts';

export interface ParkedFetch {
  msg: Envelope<FetchRequest>;
  follower: boolean;
  /** The partition indexes the request reads (a few per request: an array beats a Set here). */
  idxs: number[];
  timer: EventId;
}

/** What happened to a partition that may complete fetches waiting on it. */
export type FetchWakeReason = 'data' | 'hw' | 'leader';

export class FetchPurgatory {
  private parked: ParkedFetch[] = [];

  constructor(private readonly ctx: NodeContext) {}

  /** Parks a fetch; `expire` runs after `maxWaitUs` unless it completed before. */
  park(msg: Envelope<FetchRequest>, follower: boolean, idxs: number[], maxWaitUs: number, expire: (pf: ParkedFetch) => void): void {
    const pf: ParkedFetch = { msg, follower, idxs, timer: 0 };
    pf.timer = this.ctx.timeoutAfter(maxWaitUs, expire, pf);
    this.parked.push(pf);
  }

  /**
   * DelayedFetch.tryComplete's triggers for partition `idx`, in the order the fetches were parked:
   * new data completes follower fetches, a higher HW consumer fetches, a leadership change both.
   */
  due(idx: number, why: FetchWakeReason): ParkedFetch[] {
    if (this.parked.length === 0) return [];
    return this.parked.filter((pf) => pf.idxs.includes(idx) && (why === 'leader' || pf.follower === (why === 'data')));
  }

  /** Takes `pf` out of the purgatory to answer it; false if it was answered already. */
  take(pf: ParkedFetch): boolean {
    const at = this.parked.indexOf(pf);
    if (at < 0) return false;
    this.parked.splice(at, 1);
    this.ctx.cancel(pf.timer);
    return true;
  }
}
