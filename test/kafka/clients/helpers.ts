// Small builders for client tests: specs with Kafka's defaults and a producer plugged into a network.
import type { ProducerSpec, ConsumerSpec } from '../../../sim/kafka/spec.ts';
import type { ConfigMap } from '../../../sim/kafka/config.ts';
import type { Network } from '../../../sim/kafka/network.ts';
import { KafkaProducer } from '../../../sim/kafka/clients/producer.ts';
import type { ClientObserver } from '../../../sim/kafka/client-observer.ts';
import { ProducerIds } from '../../../sim/kafka/clients/producer-id.ts';

export function producerSpec(over: Partial<ProducerSpec> & { config?: ConfigMap } = {}): ProducerSpec {
  return {
    id: 'checkout', topic: 'orders', ratePerSec: 1000, keys: { kind: 'none' }, startUs: 0,
    partitioner: 'uniform-sticky', recordSizeBytes: 100, config: {}, ...over,
  };
}

export function consumerSpec(over: Partial<ConsumerSpec> = {}): ConsumerSpec {
  return { id: 'billing-1', group: 'billing', topics: ['orders'], startUs: 0, config: {}, ...over };
}

const localIds = new ProducerIds();

export function attachProducer(network: Network, spec: ProducerSpec, bootstrap: number[], observer?: ClientObserver): KafkaProducer {
  let producer: KafkaProducer | undefined;
  const ctx = network.attach(spec.id, (msg) => producer?.handle(msg));
  producer = new KafkaProducer(spec, { ctx, bootstrap, observer, localProducerId: () => localIds.localId() });
  producer.boot();
  producer.start();
  return producer;
}
