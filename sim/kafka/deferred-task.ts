// A KRaft controller task that schedules itself when there is work for it
// (QuorumController.maybeScheduleNextBalancePartitionLeaders and maybeScheduleNextElectUncleanLeaders,
// with their ImbalanceSchedule): after every controller write, a task not already scheduled is
// scheduled if its condition holds (a partition not led by its preferred replica; a partition without
// a leader): an interval later (DEFERRED), or 10 ms later (IMMEDIATELY) when its last run stopped at
// its limit of elections. So the first check comes an interval after the work appeared, not on a
// grid from the controller's start; a run that could do nothing comes again an interval later.

import type { EventId } from '../engine/index.ts';
import type { NodeContext } from './network.ts';

/** QuorumController: "delays them by a small amount of time" (10 ms) when rescheduled at once. */
const IMMEDIATELY_US = 10_000;

/** ReplicationControlManager.MAX_ELECTIONS_PER_IMBALANCE: elections per run. */
export const MAX_ELECTIONS_PER_RUN = 1000;

export class DeferredControllerTask {
  private state: 'DEFERRED' | 'SCHEDULED' | 'IMMEDIATELY' = 'DEFERRED';
  private timer: EventId = 0;

  constructor(
    private readonly ctx: NodeContext,
    /** The interval, or undefined when the task is off (QuorumController: leaderImbalanceCheckIntervalNs empty). */
    private readonly intervalUs: () => number | undefined,
    /** Whether there is work (arePartitionLeadersImbalanced, areSomePartitionsLeaderless). */
    private readonly needed: () => boolean,
    /** One run: how many elections it made (it commits them itself). */
    private readonly run: () => number,
  ) {}

  /** Called at the end of every controller write (ControllerWriteEvent.run) and on activation. */
  maybeSchedule(): void {
    if (this.state === 'SCHEDULED') return;
    const interval = this.intervalUs();
    if (interval === undefined || !this.needed()) return;
    this.timer = this.ctx.after(this.state === 'DEFERRED' ? interval : IMMEDIATELY_US, () => {
      this.timer = 0;
      // still SCHEDULED while it runs: its own write ends by scheduling the next run, DEFERRED
      // unless it hit its limit
      const elections = this.run();
      this.state = elections >= MAX_ELECTIONS_PER_RUN ? 'IMMEDIATELY' : 'DEFERRED';
      this.maybeSchedule();
    });
    this.state = 'SCHEDULED';
  }

  /** The controller renounced: nothing is scheduled (cancelMaybeBalancePartitionLeaders). */
  cancel(): void {
    this.ctx.cancel(this.timer);
    this.timer = 0;
    this.state = 'DEFERRED';
  }
}
