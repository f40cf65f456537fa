// Topic names as Kafka allows them (Topic.validate: 1–249 of [a-zA-Z0-9._-], not "." or ".."), and
// the names Kafka keeps for itself (org.apache.kafka.common.internals.Topic): a scenario topic called
// __consumer_offsets used to be accepted as an ordinary topic beside the group coordinators' own
// __consumer_offsets, which kafkasim models apart; Kafka's brokers refuse clients' writes to it and
// the controller refuses to create __cluster_metadata.

import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/index.ts';

const errors = (name: string): string[] => {
  const r = parseScenario(`name: names
duration: 1s
cluster: { brokers: 1 }
topics:
  - { name: "${name}", partitions: 1 }
`, 'n.yaml');
  return r.ok ? [] : r.errors.map(formatError);
};

describe('topic names', () => {
  it('accepts 249 characters, dots, underscores and dashes', () => {
    expect(errors('a'.repeat(249))).toEqual([]);
    expect(errors('page.views_v2-eu')).toEqual([]);
    expect(errors('-')).toEqual([]);
  });

  it('refuses 250 characters, ".", ".." and characters outside [a-zA-Z0-9._-]', () => {
    for (const bad of ['a'.repeat(250), '.', '..', 'ordérs', 'a b', '']) {
      expect(errors(bad).join('\n'), bad).toMatch(/^n\.yaml:5:13 {2}topics\[0\]\.name {2}/);
    }
  });

  it('refuses Kafka\'s internal topics, saying why', () => {
    for (const internal of ['__consumer_offsets', '__transaction_state', '__share_group_state', '__cluster_metadata']) {
      expect(errors(internal), internal).toEqual([
        `n.yaml:5:13  topics[0].name  "${internal}" is a topic Kafka keeps for itself (org.apache.kafka.common.internals.Topic: the controller refuses to create __cluster_metadata, and brokers refuse clients' writes to the internal ones), not a scenario's: kafkasim models __consumer_offsets by itself (offsets.topic.num.partitions)`,
      ]);
    }
    expect(errors('__consumer_offsets2')).toEqual([]);
  });
});
