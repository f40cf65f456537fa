// What operators would have seen: Kafka's own metrics, computed from the model's state and its
// events (never estimated), as time series. A part of its own (the metrics part, assembleSimulation's
// `metrics`), installed only when asked for (`kafkasim run --metrics`, a `metric:` expectation, a
// sweep's latency columns), so a run without it pays nothing.
//
// Sampling: every metric is sampled at a fixed simulated interval (1 s by default), at t = 0, 1 s,
// 2 s, … up to the end of the run; the state gauges (ISR counts, leaders, partitions, offline
// partitions, brokers) are sampled at every change as well, at the simulated moment of the event that
// changed them. A rate (Kafka's `…PerSec` meters and the clients' `-rate` sensors) is the events in
// the interval ending at the sample, per second: Kafka's Meter also reports exponentially weighted
// 1-, 5- and 15-minute rates, which smooth the same counts. Latencies are over the interval too
// (NaN: none in it). Broker metrics are the sums over the brokers whose process runs (a crashed
// broker reports nothing: its JMX is gone), MaxLag the largest; producer and consumer metrics are
// over every client (sums of rates, max of maxima and lags).
//
// Each sample reads the model as it is after the events of its moment. Values come from the brokers'
// own partition state (the ISR as the leader knows it, Partition.isUnderReplicated and friends), the
// controller's committed metadata, the brokers' BrokerTopicStats counters, the followers' fetch
// lags, and the clients' reports on batches (client-observer.ts).

import type { ClientObserver } from './client-observer.ts';
import type { MetricSeries, MetricsPort, MetricsResult, MetricsSummary } from './metrics-port.ts';
import type { ModelObserver } from './cluster.ts';
import { effectiveMinIsr } from './high-watermark.ts';
import type { PartBuilder, SimulationPart } from './parts.ts';
import { NO_LEADER } from './protocol.ts';
import type { Simulation } from './simulation.ts';
import { partitionName } from './spec.ts';

export type MetricKind = 'gauge' | 'rate' | 'latency';

export interface MetricDef {
  /** Kafka's name: the MBean's `name=` or the client sensor's metric name. */
  readonly name: string;
  /** Where Kafka defines it (the MBean or the metric group, and the class). */
  readonly source: string;
  readonly kind: MetricKind;
  readonly unit: string;
  /** The name in the OpenMetrics file (the JMX exporter's usual spelling). */
  readonly prom: string;
  readonly doc: string;
  /** Sampled at every change as well as every interval. */
  readonly onChange?: boolean;
  /** The usual alert: fires while the value is above this. */
  readonly alertAbove?: number;
  /** One series per label set (consumer-group-lag: per group and partition). */
  readonly labels?: readonly string[];
}

const d = (name: string, source: string, kind: MetricKind, unit: string, prom: string, doc: string, extra: Partial<MetricDef> = {}): MetricDef =>
  ({ name, source, kind, unit, prom, doc, ...extra });

/** Every metric the part records, in the order of the CSV's columns. */
export const METRIC_DEFS: readonly MetricDef[] = [
  // kafka.server:type=ReplicaManager (core/…/server/ReplicaManager.scala; Partition.isUnderReplicated, isUnderMinIsr, isAtMinIsr)
  d('UnderReplicatedPartitions', 'kafka.server:type=ReplicaManager (ReplicaManager, Partition.isUnderReplicated)', 'gauge', 'partitions', 'kafka_server_replicamanager_underreplicatedpartitions',
    'partitions a running broker leads whose ISR (as the leader knows it) is smaller than the replication factor', { onChange: true, alertAbove: 0 }),
  d('UnderMinIsrPartitionCount', 'kafka.server:type=ReplicaManager (ReplicaManager, Partition.isUnderMinIsr)', 'gauge', 'partitions', 'kafka_server_replicamanager_underminisrpartitioncount',
    'partitions a running broker leads whose ISR is below min.insync.replicas (capped at the replication factor): acks=all produce fails', { onChange: true, alertAbove: 0 }),
  d('AtMinIsrPartitionCount', 'kafka.server:type=ReplicaManager (ReplicaManager, Partition.isAtMinIsr)', 'gauge', 'partitions', 'kafka_server_replicamanager_atminisrpartitioncount',
    'partitions a running broker leads whose ISR is exactly min.insync.replicas: one more loss and acks=all stops', { onChange: true }),
  d('IsrShrinksPerSec', 'kafka.server:type=ReplicaManager (ReplicaManager.isrShrinkRate, marked by Partition on an AlterPartition that removes replicas)', 'rate', 'shrinks/s', 'kafka_server_replicamanager_isrshrinkspersec',
    'ISR shrinks a leader asked for (AlterPartition) and the controller committed, per second'),
  d('IsrExpandsPerSec', 'kafka.server:type=ReplicaManager (ReplicaManager.isrExpandRate)', 'rate', 'expands/s', 'kafka_server_replicamanager_isrexpandspersec',
    'ISR expansions a leader asked for (AlterPartition) and the controller committed, per second'),
  d('LeaderCount', 'kafka.server:type=ReplicaManager (ReplicaManager)', 'gauge', 'partitions', 'kafka_server_replicamanager_leadercount',
    'partitions the running brokers lead, as each broker believes', { onChange: true }),
  d('PartitionCount', 'kafka.server:type=ReplicaManager (ReplicaManager)', 'gauge', 'partitions', 'kafka_server_replicamanager_partitioncount',
    'replicas the running brokers hold', { onChange: true }),
  // kafka.server:type=BrokerTopicMetrics (storage/…/log/metrics/BrokerTopicMetrics.java, marked in ReplicaManager.appendToLocalLog)
  d('MessagesInPerSec', 'kafka.server:type=BrokerTopicMetrics (BrokerTopicMetrics, ReplicaManager.appendToLocalLog)', 'rate', 'records/s', 'kafka_server_brokertopicmetrics_messagesinpersec',
    'records leaders appended from producers, per second'),
  d('BytesInPerSec', 'kafka.server:type=BrokerTopicMetrics (BrokerTopicMetrics)', 'rate', 'bytes/s', 'kafka_server_brokertopicmetrics_bytesinpersec',
    'bytes of those records, per second'),
  d('FailedProduceRequestsPerSec', 'kafka.server:type=BrokerTopicMetrics (BrokerTopicMetrics, ReplicaManager.processFailedRecord)', 'rate', 'requests/s', 'kafka_server_brokertopicmetrics_failedproducerequestspersec',
    'partitions of Produce requests refused (NOT_ENOUGH_REPLICAS, sequence errors; not NOT_LEADER_OR_FOLLOWER), per second'),
  // kafka.server:type=ReplicaFetcherManager,name=MaxLag,clientId=Replica (core/…/server/AbstractFetcherManager.scala)
  d('MaxLag', 'kafka.server:type=ReplicaFetcherManager,clientId=Replica (AbstractFetcherManager, AbstractFetcherThread.FetcherLagMetrics)', 'gauge', 'records', 'kafka_server_replicafetchermanager_maxlag',
    'the largest lag of a follower behind its leader\'s HW, as its last fetch response showed'),
  // controller (metadata/…/controller/metrics/ControllerMetadataMetrics.java, QuorumControllerMetrics.java; ZK: KafkaController, ControllerStats)
  d('OfflinePartitionsCount', 'kafka.controller:type=KafkaController (ControllerMetadataMetrics)', 'gauge', 'partitions', 'kafka_controller_kafkacontroller_offlinepartitionscount',
    'partitions without a leader in the controller\'s committed metadata', { onChange: true, alertAbove: 0 }),
  d('ActiveControllerCount', 'kafka.controller:type=KafkaController (QuorumControllerMetrics)', 'gauge', 'controllers', 'kafka_controller_kafkacontroller_activecontrollercount',
    'the active controller: 1 (the model has one controller, which never fails over)', { onChange: true }),
  d('FencedBrokerCount', 'kafka.controller:type=KafkaController (ControllerMetadataMetrics)', 'gauge', 'brokers', 'kafka_controller_kafkacontroller_fencedbrokercount',
    'registered brokers the controller has fenced (ZooKeeper mode: brokers without a session)', { onChange: true }),
  d('ActiveBrokerCount', 'kafka.controller:type=KafkaController (ControllerMetadataMetrics)', 'gauge', 'brokers', 'kafka_controller_kafkacontroller_activebrokercount',
    'registered brokers that are not fenced', { onChange: true }),
  d('UncleanLeaderElectionsPerSec', 'kafka.controller:type=ControllerStats (ControllerMetadataMetrics, ZK: ControllerStats)', 'rate', 'elections/s', 'kafka_controller_controllerstats_uncleanleaderelectionspersec',
    'leaders elected from outside the ISR, per second'),
  d('LeaderElectionRateAndTimeMs', 'kafka.controller:type=ControllerStats (ControllerState.ControllerChange, ControllerStats)', 'rate', 'elections/s', 'kafka_controller_controllerstats_leaderelectionrateandtimems',
    'leader elections committed, per second (the rate part; the controller\'s processing time is zero in the model)'),
  // producer (clients/…/producer/internals/SenderMetricsRegistry.java, Sender.SenderMetrics)
  d('record-send-rate', 'producer-metrics (SenderMetricsRegistry)', 'rate', 'records/s', 'kafka_producer_record_send_rate',
    'records sent to brokers per second, retries included'),
  d('record-error-rate', 'producer-metrics (SenderMetricsRegistry)', 'rate', 'records/s', 'kafka_producer_record_error_rate',
    'records whose send failed for good (the callback got an exception), per second'),
  d('record-retry-rate', 'producer-metrics (SenderMetricsRegistry)', 'rate', 'records/s', 'kafka_producer_record_retry_rate',
    'records queued again after a retriable error, per second'),
  d('request-latency-avg', 'producer-metrics (SenderMetricsRegistry, Sender.handleProduceResponse)', 'latency', 'ms', 'kafka_producer_request_latency_avg',
    'Produce request to its answer, the mean over the interval'),
  d('request-latency-max', 'producer-metrics (SenderMetricsRegistry)', 'latency', 'ms', 'kafka_producer_request_latency_max',
    'Produce request to its answer, the longest in the interval'),
  d('produce-latency-p50', 'the application: send() to its callback (successes)', 'latency', 'ms', 'kafka_producer_application_produce_latency_p50',
    'median send() to acknowledgement of the records acknowledged in the interval'),
  d('produce-latency-p99', 'the application: send() to its callback (successes)', 'latency', 'ms', 'kafka_producer_application_produce_latency_p99',
    '99th percentile of the same'),
  // consumer (clients/…/consumer/internals/FetchMetricsManager.java, ConsumerCoordinator.ConsumerCoordinatorMetrics)
  d('records-lag-max', 'consumer-fetch-manager-metrics (FetchMetricsManager)', 'gauge', 'records', 'kafka_consumer_records_lag_max',
    'the largest HW − position over the partitions a consumer is assigned'),
  d('records-consumed-rate', 'consumer-fetch-manager-metrics (FetchMetricsManager)', 'rate', 'records/s', 'kafka_consumer_records_consumed_rate',
    'records poll() returned, per second'),
  d('commit-rate', 'consumer-coordinator-metrics (ConsumerCoordinator)', 'rate', 'commits/s', 'kafka_consumer_commit_rate',
    'offset commits the coordinators stored, per second'),
  d('consumer-group-lag', 'kafka-consumer-groups --describe LAG (ConsumerGroupCommand)', 'gauge', 'records', 'kafka_consumergroup_lag',
    'per group and partition: the HW − the committed offset', { labels: ['group', 'partition'] }),
];

export const METRIC_NAMES: readonly string[] = METRIC_DEFS.map((m) => m.name);
const DEF_BY_NAME = new Map(METRIC_DEFS.map((m) => [m.name, m]));
export function metricDef(name: string): MetricDef | undefined {
  return DEF_BY_NAME.get(name);
}

export interface MetricsOptions {
  /** The sampling interval, µs (default 1 s). */
  intervalUs?: number;
}

const STATE_GAUGES = ['UnderReplicatedPartitions', 'UnderMinIsrPartitionCount', 'AtMinIsrPartitionCount', 'LeaderCount', 'PartitionCount',
  'OfflinePartitionsCount', 'ActiveControllerCount', 'FencedBrokerCount', 'ActiveBrokerCount'] as const;
const RATES = ['IsrShrinksPerSec', 'IsrExpandsPerSec', 'MessagesInPerSec', 'BytesInPerSec', 'FailedProduceRequestsPerSec',
  'UncleanLeaderElectionsPerSec', 'LeaderElectionRateAndTimeMs', 'record-send-rate', 'record-error-rate', 'record-retry-rate',
  'records-consumed-rate', 'commit-rate'] as const;
type RateName = (typeof RATES)[number];

/**
 * The nearest-rank percentile of an ascending array (Kafka's Percentiles reads a histogram; this is exact).
 * NaN for an empty one.
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** A histogram of whole-µs values: exact below 2,048 µs, within 1/1,024 of the value above. */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  total = 0;

  add(us: number): void {
    const v = Math.max(0, Math.round(us));
    // keep the top 11 bits: exact halvings, no logarithm (test/architecture.test.ts: no inexact maths)
    let top = v;
    let scale = 1;
    while (top >= 2048) {
      top = Math.floor(top / 2);
      scale *= 2;
    }
    const key = top * scale;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
  }

  /** Nearest rank, µs (the bucket's lower bound); NaN when empty. */
  percentile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const k of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(k)!;
      if (seen >= rank) return k;
    }
    return NaN;
  }
}

/** Seconds over [0, endUs] during which a step series (each value holding until the next sample) is above `above`. */
export function secondsAbove(s: Pick<MetricSeries, 't' | 'v'>, above: number, endUs: number): number {
  let us = 0;
  for (let i = 0; i < s.t.length; i++) {
    const until = i + 1 < s.t.length ? s.t[i + 1] : endUs;
    if (s.v[i] > above && until > s.t[i]) us += Math.min(until, endUs) - s.t[i];
  }
  return us / 1e6;
}

/** Each moment an alert (value > above) fired and cleared, in µs; `clearedUs` undefined if it still fires at the end. */
export function alertSpans(s: Pick<MetricSeries, 't' | 'v'>, above: number): { firedUs: number; clearedUs: number | undefined; peak: number }[] {
  const spans: { firedUs: number; clearedUs: number | undefined; peak: number }[] = [];
  let open: { firedUs: number; clearedUs: number | undefined; peak: number } | undefined;
  for (let i = 0; i < s.t.length; i++) {
    const v = s.v[i];
    if (v > above) {
      if (open === undefined) spans.push((open = { firedUs: s.t[i], clearedUs: undefined, peak: v }));
      else open.peak = Math.max(open.peak, v);
    } else if (open !== undefined) {
      open.clearedUs = s.t[i];
      open = undefined;
    }
  }
  return spans;
}

interface Pending {
  t: number;
  v: number;
}

export class MetricsRecorder implements SimulationPart, MetricsPort {
  readonly observers: readonly ModelObserver[];
  readonly clientObservers: readonly ClientObserver[];
  readonly afterEachEvent: () => void;
  readonly atEnd: readonly (() => void)[];
  readonly keepSendTimes = true;
  readonly metrics: MetricsPort = this;
  readonly intervalUs: number;
  private readonly series = new Map<string, MetricSeries>();
  private readonly order: string[] = [];
  private nextTickUs = 0;
  /** Cumulative counts behind each rate: live, and as they were after the previous event. */
  private readonly live = new Map<RateName, number>(RATES.map((r) => [r, 0]));
  private readonly atLastTick = new Map<RateName, number>(RATES.map((r) => [r, 0]));
  /** The state gauges after the previous event. */
  private readonly gauges = new Map<string, number>();
  private readonly fresh = new Map<string, number>();
  private readonly requestLatencies: Pending[] = [];
  private readonly produceLatencies: Pending[] = [];
  private readonly runLatency = new LatencyHistogram();
  /** Consumer → its assigned partitions (topic, partition). */
  private readonly assignments = new Map<string, readonly { topic: string; partition: number }[]>();
  /** Batch key → when its attempt in flight was sent, and to whom. */
  private readonly inFlight = new Map<string, number>();
  /** Requests already timed (producer, broker, sent, answered): one latency per request, not per batch. */
  private lastRequestKey = '';
  private finishedAtUs = -1;

  constructor(private readonly sim: Simulation, opts: MetricsOptions = {}) {
    this.intervalUs = opts.intervalUs ?? 1_000_000;
    if (!(this.intervalUs > 0)) throw new Error('the metrics interval must be positive');
    const bump = (r: RateName, n = 1): void => void this.live.set(r, this.live.get(r)! + n);
    this.observers = [{
      event: (e) => {
        switch (e.type) {
          case 'isr-shrink': if (e.reason === 'alter-partition') bump('IsrShrinksPerSec'); break;
          case 'isr-expand': if (e.reason === 'alter-partition') bump('IsrExpandsPerSec'); break;
          case 'leader-elected': bump('LeaderElectionRateAndTimeMs'); break;
          case 'unclean-election': bump('UncleanLeaderElectionsPerSec'); break;
          case 'offset-committed': if (e.admin !== true) bump('commit-rate'); break;
        }
      },
    }];
    const key = (r: { producer: string; topic: string; partition: number; baseSequence: number }): string => `${r.producer}\u0000${r.topic}\u0000${r.partition}\u0000${r.baseSequence}`;
    const answered = (ref: { producer: string; topic: string; partition: number; baseSequence: number }, broker: number, now: number): void => {
      const k = key(ref);
      const sent = this.inFlight.get(k);
      this.inFlight.delete(k);
      if (sent === undefined || broker < 0) return;
      const request = `${ref.producer}\u0000${broker}\u0000${sent}\u0000${now}`;
      if (request === this.lastRequestKey) return; // another batch of the same Produce request
      this.lastRequestKey = request;
      this.requestLatencies.push({ t: now, v: (now - sent) / 1000 });
    };
    this.clientObservers = [{
      batchSent: (ref, _broker, _attempt, _acks, now) => {
        bump('record-send-rate', ref.count);
        this.inFlight.set(key(ref), now);
      },
      batchAcked: (ref, broker, _offset, now) => {
        answered(ref, broker, now);
        const times = ref.sendTimesUs;
        if (times === undefined) return;
        for (const sentUs of times) {
          this.produceLatencies.push({ t: now, v: (now - sentUs) / 1000 });
          this.runLatency.add(now - sentUs);
        }
      },
      batchFailed: (ref, broker, code, final, now) => {
        // a timeout or a dead connection is no answer: Sender times only the responses it gets
        if (code !== 'REQUEST_TIMED_OUT' && code !== 'NETWORK_EXCEPTION' && code !== 'PRODUCER_CRASHED') answered(ref, broker, now);
        else this.inFlight.delete(key(ref));
        if (code === 'PRODUCER_CRASHED') return;
        bump(final ? 'record-error-rate' : 'record-retry-rate', ref.count);
      },
      consumed: (_group, _consumer, _topic, _partition, batches) => {
        let n = 0;
        for (const b of batches) n += b.count;
        bump('records-consumed-rate', n);
      },
      assignmentChanged: (_group, consumer, partitions) => void this.assignments.set(consumer, partitions),
    }];
    this.afterEachEvent = () => this.afterEvent();
    this.atEnd = [() => this.finish()];
    for (const m of METRIC_DEFS) if (m.labels === undefined) this.seriesFor(m.name);
    this.readGauges(this.gauges);
  }

  private seriesFor(name: string, labels?: Record<string, string>): MetricSeries {
    const k = labels === undefined ? name : `${name}{${Object.entries(labels).map(([a, b]) => `${a}=${b}`).join(',')}}`;
    let s = this.series.get(k);
    if (s === undefined) {
      s = { name, labels, t: [], v: [] };
      this.series.set(k, s);
      this.order.push(k);
    }
    return s;
  }

  /** Adds a sample; a second one at the same moment replaces the first (the state after all its events). */
  private push(s: MetricSeries, t: number, v: number): void {
    const n = s.t.length;
    if (n > 0 && s.t[n - 1] === t) s.v[n - 1] = v;
    else {
      s.t.push(t);
      s.v.push(v);
    }
  }

  /**
   * After each event: the state gauges that changed, sampled at its moment; then every interval sample
   * due before the next event (nothing changes until it runs), up to the scenario's end.
   */
  private afterEvent(): void {
    const now = this.sim.now;
    this.readGauges(this.fresh);
    for (const [name, v] of this.fresh) {
      if (this.gauges.get(name) !== v) {
        this.gauges.set(name, v);
        this.push(this.seriesFor(name), now, v);
      }
    }
    const next = this.sim.scheduler.peekTime() ?? Number.POSITIVE_INFINITY;
    const until = Math.min(next - 1, this.sim.spec.durationUs);
    while (this.nextTickUs <= until) this.tick(this.nextTickUs);
  }

  /** The BrokerTopicStats counters, summed over every broker (they count from the first start). */
  private brokerCount(r: RateName): number {
    if (r !== 'MessagesInPerSec' && r !== 'BytesInPerSec' && r !== 'FailedProduceRequestsPerSec') return 0;
    let n = 0;
    for (const b of this.sim.brokerNodes.values()) {
      const c = b.topicCounts;
      n += r === 'MessagesInPerSec' ? c.messagesIn : r === 'BytesInPerSec' ? c.bytesIn : c.failedProduceRequests;
    }
    return n;
  }

  /** The state gauges as the model has them now. */
  private readGauges(into: Map<string, number>): void {
    let urp = 0, underMin = 0, atMin = 0, leaders = 0, partitions = 0;
    for (const b of this.sim.brokerNodes.values()) {
      if (b.status !== 'running' && b.status !== 'paused') continue;
      for (const p of b.partitions.values()) {
        partitions++;
        if (!p.isLeader) continue;
        leaders++;
        const isr = p.isr.length;
        // Partition.isUnderReplicated: during a reassignment the replication factor leaves out the replicas being added
        const adding = b.image.partition(p.idx)?.addingReplicas?.length ?? 0;
        if (isr < p.replicas.length - adding) urp++;
        const min = effectiveMinIsr(b, p);
        if (isr < min) underMin++;
        else if (isr === min) atMin++;
      }
    }
    const image = this.sim.controller.image;
    let offline = 0;
    for (const idx of image.partitionIndexes()) if (image.partition(idx)!.leader === NO_LEADER) offline++;
    let fenced = 0, active = 0;
    for (const reg of image.brokers.values()) {
      if (reg.fenced) fenced++;
      else active++;
    }
    into.set('UnderReplicatedPartitions', urp);
    into.set('UnderMinIsrPartitionCount', underMin);
    into.set('AtMinIsrPartitionCount', atMin);
    into.set('LeaderCount', leaders);
    into.set('PartitionCount', partitions);
    into.set('OfflinePartitionsCount', offline);
    // a controller quorum has none while it elects a new active controller (summed over the controller nodes)
    into.set('ActiveControllerCount', this.sim.quorum && !this.sim.quorum.activeNode() ? 0 : 1);
    into.set('FencedBrokerCount', fenced);
    into.set('ActiveBrokerCount', active);
  }

  /** One sample of every metric at `t`: the state now is the state at `t` (no event runs in between). */
  private tick(t: number): void {
    for (const name of STATE_GAUGES) this.push(this.seriesFor(name), t, this.gauges.get(name)!);
    const seconds = this.intervalUs / 1e6;
    for (const r of RATES) {
      const now = this.live.get(r)! + this.brokerCount(r);
      const rate = t === 0 ? 0 : (now - this.atLastTick.get(r)!) / seconds;
      this.atLastTick.set(r, now);
      this.push(this.seriesFor(r), t, rate);
    }
    const req = take(this.requestLatencies, t);
    let sum = 0, max = NaN;
    for (const x of req) {
      sum += x;
      if (!(x <= max)) max = x;
    }
    this.push(this.seriesFor('request-latency-avg'), t, req.length === 0 ? NaN : sum / req.length);
    this.push(this.seriesFor('request-latency-max'), t, max);
    const lat = take(this.produceLatencies, t).sort((a, b) => a - b);
    this.push(this.seriesFor('produce-latency-p50'), t, percentile(lat, 0.5));
    this.push(this.seriesFor('produce-latency-p99'), t, percentile(lat, 0.99));
    this.sampleLags(t);
    this.nextTickUs = t + this.intervalUs;
  }

  /** MaxLag, records-lag-max and each group's lag per partition, as they are now. */
  private sampleLags(t: number): void {
    const sim = this.sim;
    let maxLag = 0;
    for (const b of sim.brokerNodes.values()) {
      if (b.status !== 'running' && b.status !== 'paused') continue;
      maxLag = Math.max(maxLag, b.replicaManager.fetcherMaxLag());
    }
    this.push(this.seriesFor('MaxLag'), t, maxLag);
    let recordsLagMax = 0;
    const groups = sim.parts.groupQueries;
    for (const [consumer, parts] of this.assignments) {
      for (const tp of parts) {
        const position = groups.position(consumer, tp.topic, tp.partition);
        const hw = this.highWatermark(tp.topic, tp.partition);
        if (position !== undefined && hw !== undefined) recordsLagMax = Math.max(recordsLagMax, hw - position);
      }
    }
    this.push(this.seriesFor('records-lag-max'), t, recordsLagMax);
    for (const group of groups.groups()) {
      for (const row of groups.groupOffsets(group)) {
        const lag = row.committed === undefined || row.logEndOffset === undefined ? NaN : row.logEndOffset - row.committed;
        this.push(this.seriesFor('consumer-group-lag', { group, partition: partitionName(row.topic, row.partition) }), t, lag);
      }
    }
  }

  /** The leader's HW of a partition (undefined without a leader). */
  private highWatermark(topic: string, partition: number): number | undefined {
    const image = this.sim.controller.image;
    const idx = image.topics.get(topic)?.partitions[partition];
    const reg = idx === undefined ? undefined : image.partition(idx);
    if (reg === undefined || reg.leader === NO_LEADER) return undefined;
    return this.sim.brokerNodes.get(reg.leader)?.disk.get(idx!)?.highWatermark;
  }

  /** Samples up to and including now (the end of the run, or where runUntil stopped). */
  finish(): void {
    const now = this.sim.now;
    if (this.finishedAtUs === now) return;
    this.finishedAtUs = now;
    this.readGauges(this.gauges);
    while (this.nextTickUs <= now) this.tick(this.nextTickUs);
  }

  /** Every series, the unlabelled in METRIC_DEFS order, then the labelled ones as they appeared. */
  result(): MetricsResult {
    this.finish();
    return { intervalUs: this.intervalUs, endUs: this.sim.now, series: this.order.map((k) => this.series.get(k)!) };
  }

  summary(): MetricsSummary {
    const r = this.result();
    const underMin = r.series.find((s) => s.name === 'UnderMinIsrPartitionCount')!;
    return {
      produceLatencyP50Ms: this.runLatency.percentile(0.5) / 1000,
      produceLatencyP99Ms: this.runLatency.percentile(0.99) / 1000,
      underMinIsrSeconds: secondsAbove(underMin, 0, r.endUs),
    };
  }
}

/** Removes and returns the values of the samples at or before `t` (they are in time order). */
function take(pending: Pending[], t: number): number[] {
  let n = 0;
  while (n < pending.length && pending[n].t <= t) n++;
  return pending.splice(0, n).map((p) => p.v);
}

/** The metrics part, for assembleSimulation's `metrics` (install it before the clients). */
export function metrics(opts: MetricsOptions = {}): PartBuilder {
  return (sim) => new MetricsRecorder(sim, opts);
}
