// The application thread of a consumer that takes time over its records (`processing:`): the loop
// `while (running) { records = poll(); [commitSync()]; process(records); [commitSync() | commitAsync()] }`
// of a KafkaConsumer user, in simulated time (ClassicKafkaConsumer.poll, ConsumerCoordinator,
// AbstractCoordinator.HeartbeatThread).
//
// - poll() returns at most max.poll.records of the fetched records (fetch-buffer.ts) and moves the
//   positions past them; the next fetches go out before it returns (pipelining), and what they bring
//   waits in the buffer while the application processes.
// - Processing one poll's records takes per-poll + Σ per-record time (each record's drawn from the
//   consumer's own `consumer:<id>:processing` stream when it is a range). Meanwhile the application
//   is not in poll(): no rejoin, no auto-commit, no new fetch — but the heartbeat thread runs, so the
//   member stays in the group past session.timeout.ms as long as it polls within max.poll.interval.ms.
// - max.poll.interval.ms is enforced on the client: the heartbeat thread sees the poll timer expire
//   (Heartbeat.pollTimeoutExpired) and leaves the group (maybeLeaveGroup: LeaveGroup, generation reset;
//   modelled at the exact moment, where Kafka's thread notices within retry.backoff.ms). The batch is
//   still processed; its commit then fails (generationIfStable() is null: CommitFailedException) and
//   the next poll() rejoins.
// - commits follow the consumer's commit mode (commit-mode.ts).
// - A crash in the middle of a batch leaves the records after the last processed one unprocessed
//   (traced, and told to the ledger); a stop lets the batch finish and commit, then closes.

import type { EventId, Rng } from '../../engine/index.ts';
import type { ClientObserver } from '../client-observer.ts';
import type { NodeContext } from '../network.ts';
import type { ConsumerApplicationSpec } from '../spec.ts';
import { commitBlocks, commitsAt } from './commit-mode.ts';
import type { ConsumerSettings } from './consumer-config.ts';
import type { ConsumerCoordinator } from './consumer-coordinator.ts';
import { FetchBuffer, type PolledChunk } from './fetch-buffer.ts';
import type { SubscriptionState } from './subscription-state.ts';

/** What the application needs of its KafkaConsumer. */
export interface ApplicationHost {
  readonly ctx: NodeContext;
  readonly clientId: string;
  readonly groupId: string;
  readonly settings: ConsumerSettings;
  readonly subscriptions: SubscriptionState;
  readonly coordinator: ConsumerCoordinator;
  readonly observer: ClientObserver | undefined;
  /** Run the consumer's poll loop (the application is back in poll()). */
  wake(atUs: number): void;
  /** KafkaConsumer.close(), once the last batch is done. */
  closeNow(): void;
  /** Records returned to the application, counted. */
  countConsumed(n: number): void;
}

type AppState = 'polling' | 'processing' | 'committing';

/** default.api.timeout.ms (ConsumerConfig, 60000; not a scenario setting): how long commitSync() tries. */
const DEFAULT_API_TIMEOUT_US = 60_000_000;

const parts = (chunks: readonly { key: string; from: number; to: number }[]): [string, number, number][] =>
  chunks.filter((c) => c.to > c.from).map((c) => [c.key, c.from, c.to]);

export class ConsumerApplication {
  readonly buffer = new FetchBuffer();
  private state: AppState = 'polling';
  private chunks: PolledChunk[] = [];
  /** Per record of the batch, when its processing ends (µs offsets from the start). */
  private doneAt: number[] = [];
  private startUs = 0;
  private timer: EventId = 0;
  private pollTimer: EventId = 0;
  private lastPollUs = 0;
  private stopRequested = false;
  private readonly rng: Rng;

  constructor(
    private readonly host: ApplicationHost,
    readonly spec: ConsumerApplicationSpec,
  ) {
    this.rng = host.ctx.rng(`consumer:${host.clientId}:processing`);
  }

  /** The application thread is outside poll(): processing, or blocked in commitSync. */
  get busy(): boolean {
    return this.state !== 'polling';
  }

  /** The records of the batch being processed (none while polling), for queries. */
  get inFlight(): readonly PolledChunk[] {
    return this.state === 'polling' ? [] : this.chunks;
  }

  /**
   * The application is in poll(): its poll timer is fresh; if records are buffered for fetchable
   * partitions, poll() returns them and processing starts. True when it did.
   */
  poll(now: number, fetchable = true): boolean {
    if (this.busy) return false;
    this.lastPollUs = now;
    this.host.ctx.cancel(this.pollTimer);
    this.pollTimer = 0;
    // an eager member's partitions pending revocation (the commit before a rebalance): poll() returns nothing
    if (!fetchable) return false;
    const subs = this.host.subscriptions;
    const chunks = this.buffer.collect(this.host.settings.maxPollRecords, (key) => {
      const p = subs.assigned.find((x) => x.key === key);
      return p !== undefined && p.state === 'FETCHING' ? p.position : undefined;
    });
    if (chunks.length === 0) return false;
    let records = 0;
    for (const c of chunks) {
      const p = subs.get(c.topic, c.partition);
      if (p === undefined) continue;
      p.position = c.to;
      p.offsetEpoch = c.batches[c.batches.length - 1].leaderEpoch;
      for (const b of c.batches) records += b.count;
      this.host.observer?.consumed?.(this.host.groupId, this.host.clientId, c.topic, c.partition, c.batches, now);
    }
    this.host.countConsumed(records);
    this.chunks = chunks;
    this.drawTimes(records);
    const total = this.doneAt.length === 0 ? this.spec.processing.perPollUs : this.doneAt[this.doneAt.length - 1];
    this.host.ctx.trace({ t: now, type: 'records-polled', client: this.host.clientId, group: this.host.groupId, parts: parts(chunks), records, until: now + total });
    // the heartbeat thread watches the time since this poll (Heartbeat.poll / pollTimeoutExpired)
    this.pollTimer = this.host.ctx.after(this.host.settings.maxPollIntervalUs, () => this.pollTimerExpired());
    if (commitsAt(this.spec.commit, 'before-processing')) this.commit('before-processing', () => this.startProcessing());
    else this.startProcessing();
    return true;
  }

  /** Each record's processing time, cumulative from the batch's start (per-poll first). */
  private drawTimes(records: number): void {
    const { perRecord, perPollUs } = this.spec.processing;
    const fixed = perRecord.minUs === perRecord.maxUs;
    const out: number[] = new Array<number>(records);
    let t = perPollUs;
    for (let i = 0; i < records; i++) {
      t += fixed ? perRecord.minUs : this.rng.between(perRecord.minUs, perRecord.maxUs);
      out[i] = t;
    }
    this.doneAt = out;
  }

  private startProcessing(): void {
    if (this.state === 'polling' && this.chunks.length === 0) return;
    this.state = 'processing';
    this.startUs = this.host.ctx.now;
    const total = this.doneAt.length === 0 ? this.spec.processing.perPollUs : this.doneAt[this.doneAt.length - 1];
    this.timer = this.host.ctx.after(total, () => this.finishBatch());
  }

  private finishBatch(): void {
    this.timer = 0;
    const now = this.host.ctx.now;
    const generation = this.host.coordinator.generation;
    for (const c of this.chunks) this.host.observer?.processed?.(this.host.groupId, this.host.clientId, c.topic, c.partition, c.from, c.to, generation, now);
    this.host.ctx.trace({ t: now, type: 'records-processed', client: this.host.clientId, group: this.host.groupId, parts: parts(this.chunks) });
    // processed: a crash during the commit that follows leaves nothing unprocessed
    this.chunks = [];
    this.doneAt = [];
    if (commitsAt(this.spec.commit, 'after-processing')) {
      if (commitBlocks(this.spec.commit, 'after-processing')) {
        this.state = 'committing';
        this.commit('sync', () => this.backToPoll());
        return;
      }
      this.commit('async');
    }
    this.backToPoll();
  }

  private backToPoll(): void {
    this.state = 'polling';
    this.chunks = [];
    this.doneAt = [];
    if (this.stopRequested) return this.host.closeNow();
    this.host.wake(this.host.ctx.now);
  }

  /**
   * commitSync()/commitAsync() of every consumed position. ConsumerCoordinator.sendOffsetCommitRequest
   * fails it without sending when the member is not in a stable generation: RebalanceInProgressException
   * during a rebalance, CommitFailedException when it was kicked out (a poll timeout, a lost session).
   */
  private commit(why: 'sync' | 'async' | 'before-processing', then?: () => void): void {
    if (why !== 'async') this.state = 'committing';
    const c = this.host.coordinator;
    const offsets = this.host.subscriptions.allConsumed();
    const failed = (error: string): void => {
      this.host.ctx.trace({
        t: this.host.ctx.now, type: 'commit-failed', client: this.host.clientId, group: this.host.groupId, why, error,
        offsets: offsets.map((o): [string, number] => [`${o.topic}-${o.partition}`, o.offset]),
      });
      then?.();
    };
    if (offsets.length === 0) return then?.();
    if (why === 'async') {
      if (c.state !== 'STABLE') return failed(c.state === 'UNJOINED' ? 'CommitFailedException' : 'RebalanceInProgressException');
      if (c.coordinator < 0) return failed('COORDINATOR_NOT_AVAILABLE');
      return c.commit(offsets, why, then);
    }
    // commitSync: ConsumerCoordinator.commitOffsetsSync waits for a coordinator and retries retriable
    // failures every retry.backoff.ms until default.api.timeout.ms, then throws TimeoutException; the
    // heartbeat thread looks the coordinator up meanwhile
    const deadlineUs = this.host.ctx.now + DEFAULT_API_TIMEOUT_US;
    const attempt = (): void => {
      if (c.state !== 'STABLE') return failed(c.state === 'UNJOINED' ? 'CommitFailedException' : 'RebalanceInProgressException');
      const retry = (): boolean => {
        if (this.host.ctx.now + this.host.settings.retryBackoffUs >= deadlineUs) return false;
        this.host.ctx.after(this.host.settings.retryBackoffUs, attempt);
        return true;
      };
      if (c.coordinator < 0) {
        if (!retry()) failed('TimeoutException');
        return;
      }
      c.commit(offsets, why, (outcome) => {
        if (outcome !== 'retriable') return then?.();
        if (!retry()) failed('TimeoutException');
      });
    };
    attempt();
  }

  /** The heartbeat thread: max.poll.interval.ms since the last poll() while the application processes. */
  private pollTimerExpired(): void {
    this.pollTimer = 0;
    if (!this.busy) return;
    const c = this.host.coordinator;
    if (c.state === 'STABLE' || c.state === 'COMPLETING_REBALANCE') c.leaveOnPollTimeout();
  }

  /** stop-consumer: finish the batch (and its commit), then close. */
  requestStop(): boolean {
    if (!this.busy) return false;
    this.stopRequested = true;
    return true;
  }

  /** The process died: what was processed is told, the rest is not; nothing more happens. */
  crashed(): void {
    const ctx = this.host.ctx;
    ctx.cancel(this.timer);
    ctx.cancel(this.pollTimer);
    this.timer = 0;
    this.pollTimer = 0;
    if (this.state === 'polling' || this.chunks.length === 0) return;
    // processing had not started (before-processing's commit in flight): nothing processed
    const elapsed = this.state === 'processing' ? ctx.now - this.startUs : -1;
    let i = 0;
    while (i < this.doneAt.length && this.doneAt[i] <= elapsed) i++;
    const processed: PolledChunk[] = [];
    const unprocessed: PolledChunk[] = [];
    let k = 0;
    for (const c of this.chunks) {
      const n = c.to - c.from;
      const done = Math.max(0, Math.min(n, i - k));
      k += n;
      if (done > 0) processed.push({ ...c, to: c.from + done });
      if (done < n) unprocessed.push({ ...c, from: c.from + done });
    }
    const generation = this.host.coordinator.generation;
    for (const c of processed) this.host.observer?.processed?.(this.host.groupId, this.host.clientId, c.topic, c.partition, c.from, c.to, generation, ctx.now);
    ctx.trace({ t: ctx.now, type: 'processing-interrupted', client: this.host.clientId, group: this.host.groupId, processed: parts(processed), unprocessed: parts(unprocessed) });
    this.state = 'polling';
    this.chunks = [];
  }
}
