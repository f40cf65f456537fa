// kafka-configs --alter on a broker: Kafka changes only its dynamic configs (KIP-226,
// DynamicBrokerConfig.validateConfigs) and refuses a request naming any other one, whole, with
// INVALID_REQUEST "Cannot update these configs dynamically: Set(…)".
import { describe, it, expect } from 'vitest';
import { SEC } from '../../sim/engine/index.ts';
import type { Action, TimelineStep } from '../../sim/kafka/index.ts';
import { assembleSimulation } from '../../sim/kafka/index.ts';
import { dynamicBrokerConfigError } from '../../sim/kafka/dynamic-broker-config.ts';
import { brokerNumber } from '../../sim/kafka/effective-config.ts';
import { spec } from './support/cluster.ts';
import { clusterParts, events } from './support/sim.ts';

const at = (atUs: number, action: Action): TimelineStep => ({ atUs, action });

describe('which broker configs kafka-configs may change', () => {
  it('the first broker synonym of a topic config, num.replica.fetchers and the throttle rates', () => {
    // ServerTopicConfigSynonyms.TOPIC_CONFIG_SYNONYMS maps retention.ms to log.retention.ms only, segment.ms to log.roll.ms
    expect(dynamicBrokerConfigError(['log.retention.ms', 'log.roll.ms', 'min.insync.replicas', 'unclean.leader.election.enable', 'num.replica.fetchers', 'follower.replication.throttled.rate'])).toBeUndefined();
    expect(dynamicBrokerConfigError(['log.retention.hours'])).toEqual({ code: 'INVALID_REQUEST', message: 'Cannot update these configs dynamically: Set(log.retention.hours)' });
    expect(dynamicBrokerConfigError(['log.retention.ms', 'replica.lag.time.max.ms', 'log.retention.check.interval.ms'])?.message)
      .toBe('Cannot update these configs dynamically: Set(replica.lag.time.max.ms, log.retention.check.interval.ms)');
    expect(dynamicBrokerConfigError(['auto.leader.rebalance.enable'])?.code).toBe('INVALID_REQUEST');
  });
});

describe('alter-config on a broker', () => {
  const run = () => {
    const sim = assembleSimulation({
      ...spec({
        timeline: [
          at(1 * SEC, { type: 'alter-config', broker: 1, set: { 'log.retention.ms': 1000, 'replica.lag.time.max.ms': 5000 }, delete: [] }),
          at(2 * SEC, { type: 'alter-config', broker: 1, set: { 'min.insync.replicas': 2 }, delete: ['replica.lag.time.max.ms'] }),
        ],
      }),
    }, clusterParts());
    sim.runUntil(3 * SEC);
    const read = (name: string) => brokerNumber(name, sim.controller.image, 1, sim.spec.brokerConfig);
    return { sim, read };
  };

  it('a request naming a read-only config fails whole: traced as the tool\'s error, nothing changes', () => {
    const { sim, read } = run();
    expect(events(sim, 'admin-error')).toEqual([expect.objectContaining({
      t: 1 * SEC, action: 'alter-config', tool: 'kafka-configs', code: 'INVALID_REQUEST',
      message: 'Cannot update these configs dynamically: Set(replica.lag.time.max.ms)',
    })]);
    // neither config of the refused request took effect: Kafka's defaults (7 days from log.retention.hours; 30 s)
    expect(sim.controller.image.dynamicBrokerLayers(1)[0]).toEqual({ 'min.insync.replicas': 2 });
    expect(read('replica.lag.time.max.ms')).toBe(30000);
    // the second request sets a dynamic config and deletes a read-only one, which the check allows
    expect(events(sim, 'config-altered')).toHaveLength(1);
    expect(read('min.insync.replicas')).toBe(2);
  });

});
