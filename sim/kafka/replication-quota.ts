// The replication throttle (core/…/server/ReplicationQuotaManager.scala, KIP-73): a broker's
// follower.replication.throttled.rate caps the bytes/s it fetches for the replicas listed, for it, in
// a topic's follower.replication.throttled.replicas (`partition:broker` entries, or `*`), while such a
// replica is not caught up; kafka-reassign-partitions --throttle sets both for the replicas a
// reassignment adds. The rate is Kafka's Rate over replication.quota.window.num samples of
// replication.quota.window.size.seconds (metrics/stats/Rate.java, SampledStat.java): while fewer than
// num − 1 whole windows have passed, the elapsed time counts as num − 1 windows, so the first
// seconds are not throttled at once. A throttled partition whose quota is exceeded is left out of
// the follower's fetch (ReplicaFetcherThread.buildFetch, shouldFollowerThrottle).

import type { ConfigValue } from './config.ts';

/** The partitions of a topic a throttled-replicas list names for `brokerId` (ReplicationQuotaManager.parseThrottledPartitions). */
export function throttledPartitions(value: ConfigValue | null | undefined, brokerId: number): ReadonlySet<number> | 'all' {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const out = new Set<number>();
  for (const raw of items) {
    const item = raw.trim();
    if (item === '*') return 'all';
    const m = /^(\d+):(\d+)$/.exec(item);
    if (m && Number(m[2]) === brokerId) out.add(Number(m[1]));
  }
  return out;
}

export function isThrottled(set: ReadonlySet<number> | 'all', partition: number): boolean {
  return set === 'all' || set.has(partition);
}

interface Sample {
  startUs: number;
  lastUs: number;
  bytes: number;
}

/** One broker's replication quota sensor: a Rate of bytes over sampled windows. */
export class ReplicationQuota {
  private readonly samples: Sample[] = [];
  private current = 0;

  constructor(
    private readonly windows: number,
    private readonly windowUs: number,
  ) {}

  /** SampledStat.record: bytes fetched now for throttled replicas. */
  record(bytes: number, nowUs: number): void {
    let s = this.currentSample(nowUs);
    if (nowUs >= s.startUs + this.windowUs) {
      // advance: keep one extra sample for the overlapping window, as SampledStat does
      this.current = (this.current + 1) % (this.windows + 1);
      if (this.current >= this.samples.length) this.samples.push((s = { startUs: nowUs, lastUs: nowUs, bytes: 0 }));
      else {
        s = this.samples[this.current];
        s.startUs = nowUs;
        s.bytes = 0;
      }
    }
    s.bytes += bytes;
    s.lastUs = nowUs;
  }

  /** Rate.measure in bytes/s. */
  rate(nowUs: number): number {
    if (this.samples.length === 0) return 0;
    const expireUs = this.windows * this.windowUs;
    let total = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (const s of this.samples) {
      // purgeObsoleteSamples: a sample whose last event is a whole window-set old starts again, empty
      if (nowUs - s.lastUs >= expireUs) {
        s.startUs = nowUs;
        s.lastUs = nowUs;
        s.bytes = 0;
      }
      total += s.bytes;
      if (s.startUs < oldest) oldest = s.startUs;
    }
    let elapsedUs = nowUs - oldest;
    const full = Math.floor(elapsedUs / this.windowUs);
    if (full < this.windows - 1) elapsedUs += (this.windows - 1 - full) * this.windowUs;
    return (total * 1_000_000) / Math.max(elapsedUs, 1000);
  }

  /** Sensor.checkQuotas: the measured rate is above the bound. */
  exceeded(nowUs: number, bytesPerSec: number): boolean {
    return this.rate(nowUs) > bytesPerSec;
  }

  private currentSample(nowUs: number): Sample {
    if (this.samples.length === 0) this.samples.push({ startUs: nowUs, lastUs: nowUs, bytes: 0 });
    return this.samples[this.current];
  }
}
