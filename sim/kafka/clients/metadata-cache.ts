// A client's view of the cluster (clients/…/Metadata.java, Cluster.java): per partition the leader
// and the leader epoch it believes in, and when to ask again. This is what the producer *thinks* —
// it can be wrong, and the front end draws it beside the truth. Rules kept from Metadata.java:
// - an update is due when one was requested (an error, a disconnect, a new topic) or the last
//   successful refresh is older than metadata.max.age.ms;
// - refreshes are spaced by ExponentialBackoff over failed attempts and over "equivalent" responses
//   that taught nothing new (KIP-580, 3.7), so a client hammering a cluster with no leader backs off
//   from retry.backoff.ms to retry.backoff.max.ms;
// - a partition whose leader epoch in the response is older than the one already known keeps the
//   cached entry (KIP-320: "Not replacing existing epoch").

import type { MetadataResponse } from '../protocol.ts';
import { NO_LEADER, UNKNOWN } from '../protocol.ts';
import type { ExponentialBackoff } from './backoff.ts';

/** metadata.recovery.rebootstrap.trigger.ms (CommonClientConfigs default, KIP-1102). */
const REBOOTSTRAP_TRIGGER_US = 300_000_000;

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface PartitionView {
  leaderId: number;
  leaderEpoch: number;
}

export interface TopicView {
  /** UNKNOWN_TOPIC_OR_PARTITION until the cluster knows the topic. */
  error: string;
  partitions: PartitionView[];
}

/** One partition whose believed leader changed, as traced in `metadata-refreshed`. */
export interface LeaderChange {
  topic: string;
  partition: number;
  leaderId: number;
  leaderEpoch: number;
}

export class MetadataCache {
  readonly topics = new Map<string, TopicView>();
  /** Live brokers as of the last response, sorted; starts as the bootstrap list. */
  brokers: number[];
  lastRefreshUs = Number.MIN_SAFE_INTEGER;
  lastSuccessfulRefreshUs = Number.MIN_SAFE_INTEGER;
  private updateRequested = true;
  private attempts = 0;
  private equivalentResponseCount = 0;

  /** The topics asked for and kept (a consumer group's leader adds its members' topics). */
  private names: string[];

  constructor(
    private readonly bootstrap: readonly number[],
    topicNames: readonly string[],
    private readonly maxAgeUs: number,
    private readonly backoff: ExponentialBackoff,
  ) {
    this.brokers = [...bootstrap];
    this.names = [...topicNames];
  }

  get topicNames(): readonly string[] {
    return this.names;
  }

  /**
   * Metadata.requestUpdateForNewTopics: the topics to keep become `names` (SubscriptionState's
   * metadataTopics: its own subscription, and the group's while it leads the group); an update is
   * requested when one is new. True if one was new.
   */
  setTopics(names: readonly string[]): boolean {
    const next = [...new Set(names)].sort();
    const added = next.some((n) => !this.names.includes(n));
    for (const n of this.names) if (!next.includes(n)) this.topics.delete(n);
    this.names = next;
    if (added) this.requestUpdate(true);
    return added;
  }

  /** Metadata.requestUpdate(resetEquivalentResponseBackoff). */
  requestUpdate(resetEquivalentResponseBackoff = false): void {
    this.updateRequested = true;
    if (resetEquivalentResponseBackoff) this.equivalentResponseCount = 0;
  }

  get updateIsRequested(): boolean {
    return this.updateRequested;
  }

  /** Metadata.timeToNextUpdate: 0 when an update is due now. Draws jitter, so call it once per decision. */
  timeToNextUpdate(nowUs: number): number {
    const expired = this.lastSuccessfulRefreshUs + this.maxAgeUs <= nowUs;
    const timeToExpire = this.updateRequested || expired ? 0 : this.lastSuccessfulRefreshUs + this.maxAgeUs - nowUs;
    return Math.max(timeToExpire, this.timeToAllowUpdate(nowUs, expired));
  }

  private timeToAllowUpdate(nowUs: number, expired: boolean): number {
    if (this.lastRefreshUs === Number.MIN_SAFE_INTEGER) return 0;
    // a periodic refresh on expiry is not an error: it resets the equivalent-response backoff
    if (expired) this.equivalentResponseCount = 0;
    // Metadata.timeToAllowUpdate: every refresh, successful or not, is followed by at least
    // backoff(attempts - 1), retry.backoff.ms (±20%) after a success. (A draw that could not matter,
    // the last refresh being older than the longest such backoff, is not made.)
    const failures = this.attempts === 0 && nowUs - this.lastRefreshUs >= this.backoff.longest(0)
      ? 0
      : this.lastRefreshUs + this.backoff.backoff(this.attempts > 0 ? this.attempts - 1 : 0) - nowUs;
    const equivalent = this.equivalentResponseCount > 0 ? this.lastRefreshUs + this.backoff.backoff(this.equivalentResponseCount - 1) - nowUs : 0;
    return Math.max(0, failures, equivalent);
  }

  /**
   * metadata.recovery.strategy=rebootstrap (KIP-899; the default since 4.0, KIP-1102): when none of
   * the brokers the client knows can be reached, or no refresh succeeded for
   * metadata.recovery.rebootstrap.trigger.ms (300000, not a scenario setting), it starts over from
   * bootstrap.servers. Returns true if it did.
   */
  maybeRebootstrap(nowUs: number, noNodeAvailable: boolean): boolean {
    const stale = this.lastSuccessfulRefreshUs !== Number.MIN_SAFE_INTEGER && nowUs - this.lastSuccessfulRefreshUs >= REBOOTSTRAP_TRIGGER_US;
    if (!noNodeAvailable && !(stale && this.attempts > 0)) return false;
    if (sameList(this.brokers, this.bootstrap) && !stale) return false;
    this.brokers = [...this.bootstrap];
    this.lastSuccessfulRefreshUs = nowUs; // the trigger restarts
    return true;
  }

  /** Metadata.failedUpdate: the request timed out or its connection closed. */
  failedUpdate(nowUs: number): void {
    this.lastRefreshUs = nowUs;
    this.attempts++;
    this.equivalentResponseCount = 0;
  }

  /** Metadata.update: applies a response and returns the partitions whose believed leader changed. */
  update(resp: MetadataResponse, nowUs: number): LeaderChange[] {
    const changes: LeaderChange[] = [];
    if (resp.brokers.length > 0) this.brokers = [...resp.brokers];
    for (const t of resp.topics) {
      if (!this.names.includes(t.name)) continue;
      this.updateTopic(t, changes);
    }
    this.lastRefreshUs = nowUs;
    this.lastSuccessfulRefreshUs = nowUs;
    this.attempts = 0;
    this.updateRequested = false;
    // a response that changes nothing is "equivalent": the next one waits longer (KIP-580)
    if (changes.length === 0) this.equivalentResponseCount++;
    else this.equivalentResponseCount = 0;
    return changes;
  }

  private updateTopic(t: MetadataResponse['topics'][number], changes: LeaderChange[]): void {
    let view = this.topics.get(t.name);
    if (view === undefined) {
      view = { error: t.error, partitions: [] };
      this.topics.set(t.name, view);
    }
    view.error = t.error;
    for (const p of t.partitions) {
      const old = view.partitions[p.partition];
      // Metadata.updateLatestMetadata (KIP-320): never go back to an older leader epoch
      if (old !== undefined && p.leaderEpoch !== UNKNOWN && p.leaderEpoch < old.leaderEpoch) continue;
      if (old !== undefined && old.leaderId === p.leaderId && old.leaderEpoch === p.leaderEpoch) continue;
      view.partitions[p.partition] = { leaderId: p.leaderId, leaderEpoch: p.leaderEpoch };
      changes.push({ topic: t.name, partition: p.partition, leaderId: p.leaderId, leaderEpoch: p.leaderEpoch });
    }
  }

  /**
   * KIP-951 (3.7): a NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH response may name the new leader;
   * Metadata.updatePartitionLeadership applies it when its epoch is newer. Returns the change, if any.
   */
  updateLeader(topic: string, partition: number, leaderId: number, leaderEpoch: number): LeaderChange | undefined {
    const view = this.topics.get(topic);
    const old = view?.partitions[partition];
    if (view === undefined || old === undefined || leaderEpoch <= old.leaderEpoch) return undefined;
    view.partitions[partition] = { leaderId, leaderEpoch };
    return { topic, partition, leaderId, leaderEpoch };
  }

  /** The partition count the client believes, or 0 if the topic is unknown to it. */
  partitionCount(topic: string): number {
    const view = this.topics.get(topic);
    return view === undefined || view.error !== 'NONE' ? 0 : view.partitions.length;
  }

  leaderFor(topic: string, partition: number): number {
    return this.topics.get(topic)?.partitions[partition]?.leaderId ?? NO_LEADER;
  }

  leaderEpochFor(topic: string, partition: number): number {
    return this.topics.get(topic)?.partitions[partition]?.leaderEpoch ?? UNKNOWN;
  }

  /** Cluster.availablePartitionsForTopic: partitions with a leader, in partition order. */
  availablePartitions(topic: string): number[] {
    const out: number[] = [];
    const view = this.topics.get(topic);
    if (view === undefined) return out;
    for (let p = 0; p < view.partitions.length; p++) {
      if (view.partitions[p] !== undefined && view.partitions[p].leaderId !== NO_LEADER) out.push(p);
    }
    return out;
  }
}
