// Hand-written ClusterSpecs for the model's tests: Kafka 4.0 defaults unless a test says otherwise.
import type { ClusterSpec, TopicSpec, TimelineStep } from '../../../sim/kafka/spec.ts';
import type { ConfigMap } from '../../../sim/kafka/config.ts';
import { MS, SEC } from '../../../sim/engine/index.ts';

export interface SpecOptions {
  seed?: number;
  brokers?: number[];
  controller?: 'kraft' | 'zookeeper';
  protocol?: 'leader-epoch' | 'high-watermark';
  brokerConfig?: ConfigMap;
  topics?: TopicSpec[];
  latencyUs?: number | { minUs: number; maxUs: number };
  durationUs?: number;
  timeline?: TimelineStep[];
  pageCacheWritebackUs?: number;
}

export function spec(o: SpecOptions = {}): ClusterSpec {
  const lat = o.latencyUs ?? 1 * MS;
  return {
    name: 'test',
    seed: o.seed ?? 1,
    durationUs: o.durationUs ?? 60 * SEC,
    brokers: o.brokers ?? [1, 2, 3],
    controller: o.controller ?? 'kraft',
    replicationProtocol: o.protocol ?? 'leader-epoch',
    pageCacheWritebackUs: o.pageCacheWritebackUs ?? 30 * SEC,
    brokerConfig: o.brokerConfig ?? {},
    network: { latency: typeof lat === 'number' ? { minUs: lat, maxUs: lat } : lat },
    topics: o.topics ?? [{ name: 'orders', partitions: 1, replicationFactor: 3, replicas: [[1, 2, 3]], config: {} }],
    producers: [],
    consumers: [],
    timeline: o.timeline ?? [],
  };
}

export function topic(name: string, replicas: number[][], config: ConfigMap = {}): TopicSpec {
  return { name, partitions: replicas.length, replicationFactor: replicas[0].length, replicas, config };
}
