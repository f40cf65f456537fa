// Kafka's ActionQueue (core/…/server/ActionQueue.scala, DelayedActionQueue): work that a step of
// request handling sets off but must not do itself. An append or a high-watermark move makes waiting
// requests completable; completing a parked fetch reads partitions again, and a follower's read can
// move another high watermark. Done by direct calls, that is a read inside a read inside a read. Here
// the step only queues the follow-up, and the replica manager runs the queue when the step is done
// (KafkaApis.handle → replicaManager.tryCompleteActions()), in the same simulated instant.
//
// The order is depth first: what an action queues runs right after it, before the actions queued
// earlier, in the order it was queued; and a handler's own next step waits for the follow-ups of the
// one before (runSteps). So an HW move completes what waits for it before the next partition is read,
// which is where Kafka's Partition.updateFollowerFetchState completes delayed requests
// (tryCompleteDelayedRequests, at once), and the order the simulator has always traced.

export type Action = () => void;

export class ActionQueue {
  /** The actions to run, the next one last. */
  private readonly stack: Action[] = [];
  /** Queued by the running step (or action), in order. */
  private readonly added: Action[] = [];
  private running = false;

  /** Queues `action` to run after the running step, before anything queued earlier. */
  add(action: Action): void {
    this.added.push(action);
  }

  /** True once the running step has queued follow-ups (runSteps then queues the remaining steps behind them). */
  hasQueued(): boolean {
    return this.added.length > 0;
  }

  /**
   * Runs step(from), step(from + 1), … step(count − 1): at once while they queue nothing, and once
   * one has queued follow-ups, the remaining steps are queued behind them, so each step's follow-ups
   * still run before the next step (and nothing queued earlier is overtaken).
   */
  runSteps(count: number, step: (i: number) => void, from = 0): void {
    for (let i = from; i < count; i++) {
      if (this.added.length > 0) {
        this.add(() => this.runSteps(count, step, i));
        return;
      }
      step(i);
    }
  }

  /**
   * Runs the queued actions, and those they queue, until none is left. From inside an action it
   * does nothing: the loop already running gets to what was queued.
   */
  tryCompleteActions(): void {
    if (this.running || this.added.length === 0) return;
    this.running = true;
    try {
      this.pushAdded();
      for (let action = this.stack.pop(); action !== undefined; action = this.stack.pop()) {
        action();
        this.pushAdded();
      }
    } finally {
      this.running = false;
      if (this.stack.length > 0) this.stack.length = 0;
      if (this.added.length > 0) this.added.length = 0;
    }
  }

  private pushAdded(): void {
    const added = this.added;
    const n = added.length;
    if (n === 0) return;
    for (let i = n - 1; i >= 0; i--) this.stack.push(added[i]);
    added.length = 0;
  }
}
