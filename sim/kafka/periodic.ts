// A node's periodic task: the broker's isr-expiration, HW checkpoint, log flusher, heartbeats and ZK
// pings, the controller's unclean-election and leader-rebalance checks. Each period runs through the
// node's own timers (NodeContext.after), not Scheduler.every: a node's timers die with its process
// and wait out a pause, which the engine's scheduler knows nothing of. The next run is scheduled after
// the task has run, as the simulator always has (the order of same-instant events depends on it).

import type { NodeContext } from './network.ts';
import { NEVER_US } from './never.ts';

/** Runs `task` every `intervalUs`, the first time after `firstUs`; an interval of 0 or NEVER_US never. */
export function every(ctx: NodeContext, intervalUs: number, task: () => void, firstUs = intervalUs): void {
  if (intervalUs <= 0 || intervalUs >= NEVER_US) return;
  const tick = (): void => {
    task();
    ctx.after(intervalUs, tick);
  };
  ctx.after(firstUs, tick);
}
