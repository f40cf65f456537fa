// A metadata image: the cluster state that the __cluster_metadata records describe (broker
// registrations, topics, partition registrations, dynamic configs), built by replaying records
// (metadata/…/image/MetadataImage.java, MetadataDelta.java). The controller keeps the authoritative
// one; every broker keeps its own copy, learnt by message, which answers client Metadata requests and
// drives the broker's leader and follower roles. Partition records are immutable full states, so an
// image stores the record object itself.

import type { ConfigMap } from './config.ts';
import type { MetadataRecord } from './protocol.ts';
import type { PartitionNames } from './cluster.ts';

export type PartitionRegistration = Extract<MetadataRecord, { type: 'partition' }>;

export interface BrokerRegistration {
  id: number;
  epoch: number;
  incarnationId: number;
  fenced: boolean;
  inControlledShutdown: boolean;
}

export interface TopicImage {
  name: string;
  /** Partition indexes (PartitionNames) in partition order. */
  partitions: number[];
  /** Dynamic topic configs (kafka-configs --alter) on top of the scenario's. */
  config: ConfigMap;
}

/** What a batch of records changed, for the broker's applyDelta. */
export interface MetadataDelta {
  partitions: number[];
  brokers: number[];
  configs: boolean;
}

export class MetadataImage {
  /** Offset of the last record applied; −1 before any. */
  offset = -1;
  readonly brokers = new Map<number, BrokerRegistration>();
  /** By partition index; undefined where this image knows no such partition. */
  readonly partitions: (PartitionRegistration | undefined)[] = [];
  readonly topics = new Map<string, TopicImage>();
  /** Dynamic broker configs: '' is the cluster-wide default, 'N' broker N's own. */
  readonly brokerConfigs = new Map<string, ConfigMap>();

  constructor(private readonly names: PartitionNames) {}

  /** Applies records starting at `baseOffset`, skipping any already applied. */
  apply(records: readonly MetadataRecord[], baseOffset: number): MetadataDelta {
    const delta: MetadataDelta = { partitions: [], brokers: [], configs: false };
    for (let i = 0; i < records.length; i++) {
      const offset = baseOffset + i;
      if (offset <= this.offset) continue;
      this.applyOne(records[i], delta);
      this.offset = offset;
    }
    return delta;
  }

  private applyOne(r: MetadataRecord, delta: MetadataDelta): void {
    switch (r.type) {
      case 'register-broker':
        this.brokers.set(r.brokerId, { id: r.brokerId, epoch: r.brokerEpoch, incarnationId: r.incarnationId, fenced: r.fenced, inControlledShutdown: false });
        delta.brokers.push(r.brokerId);
        return;
      case 'broker-change': {
        const b = this.brokers.get(r.brokerId);
        if (!b || b.epoch !== r.brokerEpoch) return;
        this.brokers.set(r.brokerId, {
          ...b,
          fenced: r.fenced ?? b.fenced,
          inControlledShutdown: r.inControlledShutdown ?? (r.fenced === true ? false : b.inControlledShutdown),
        });
        delta.brokers.push(r.brokerId);
        return;
      }
      case 'topic':
        if (!this.topics.has(r.name)) this.topics.set(r.name, { name: r.name, partitions: [], config: {} });
        return;
      case 'partition': {
        const idx = this.names.index(r.topic, r.partition);
        const topic = this.topics.get(r.topic);
        if (topic && topic.partitions[r.partition] === undefined) topic.partitions[r.partition] = idx;
        this.partitions[idx] = r;
        delta.partitions.push(idx);
        return;
      }
      case 'config': {
        const map = r.resource === 'topic' ? this.topics.get(r.name)?.config : this.brokerConfigFor(r.name);
        if (!map) return;
        if (r.value === null) delete map[r.key];
        else map[r.key] = r.value;
        delta.configs = true;
        return;
      }
    }
  }

  private brokerConfigFor(name: string): ConfigMap {
    let m = this.brokerConfigs.get(name);
    if (!m) {
      m = {};
      this.brokerConfigs.set(name, m);
    }
    return m;
  }

  partition(idx: number): PartitionRegistration | undefined {
    return this.partitions[idx];
  }

  /** KRaft ClusterControlManager.isActive: registered, unfenced, not in controlled shutdown. */
  isActive(brokerId: number): boolean {
    const b = this.brokers.get(brokerId);
    return b !== undefined && !b.fenced && !b.inControlledShutdown;
  }

  isUnfenced(brokerId: number): boolean {
    const b = this.brokers.get(brokerId);
    return b !== undefined && !b.fenced;
  }

  /** The config layers of a broker, most specific first: its own dynamic, cluster dynamic. */
  dynamicBrokerLayers(brokerId: number): (ConfigMap | undefined)[] {
    return [this.brokerConfigs.get(String(brokerId)), this.brokerConfigs.get('')];
  }

  /** Every partition index this image knows, ascending. */
  partitionIndexes(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.partitions.length; i++) if (this.partitions[i] !== undefined) out.push(i);
    return out;
  }
}
