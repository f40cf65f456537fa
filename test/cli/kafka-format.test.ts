// kafka-topics and kafka-consumer-groups output, byte for byte as Kafka's tools print it.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { CURRENT_TOPIC_STYLE, formatTopicDescribe, formatGroupDescribe, groupLag } from '../../src/cli/kafka-format.ts';
import { REPO, cli } from './support.ts';
import { elrFieldsOf, topicDescribeStyleOf } from '../../src/cli/report.ts';

describe('kafka-topics --describe', () => {
  it('prints the topic line and tab-separated partition lines, `none` for no leader', () => {
    const lines = formatTopicDescribe({
      name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', replicationFactor: 3,
      configs: { 'unclean.leader.election.enable': true, 'min.insync.replicas': 2 },
      partitions: [
        { partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] },
        { partition: 1, leader: null, replicas: [2, 3, 1], isr: [2] },
      ],
    });
    expect(lines).toEqual([
      'Topic: orders\tTopicId: AAAAAAAAAAAAAAAAAAAAAA\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: min.insync.replicas=2,unclean.leader.election.enable=true',
      '\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\tElr: \tLastKnownElr: ',
      '\tTopic: orders\tPartition: 1\tLeader: none\tReplicas: 2,3,1\tIsr: 2\tElr: \tLastKnownElr: ',
    ]);
  });
});

describe('kafka-topics --describe, the ELR fields (KIP-966) by version and mode', () => {
  // TopicCommand prints them from 3.8 (KAFKA-15585): empty lists from KRaft brokers (ELR off by
  // default), N/A when the tool falls back to Metadata (ZooKeeper brokers have no DescribeTopicPartitions)
  const t = { name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', replicationFactor: 1, configs: {}, partitions: [{ partition: 0, leader: 1, replicas: [1], isr: [1] }] };
  it('prints none before 3.8, empty lists from KRaft, N/A from ZooKeeper', () => {
    expect(elrFieldsOf({ kafkaVersion: '3.7', controller: 'kraft' })).toBe('none');
    expect(elrFieldsOf({ kafkaVersion: '2.4', controller: 'zookeeper' })).toBe('none');
    expect(elrFieldsOf({ kafkaVersion: '3.8', controller: 'zookeeper' })).toBe('n/a');
    expect(elrFieldsOf({ kafkaVersion: '3.9', controller: 'kraft' })).toBe('empty');
    expect(elrFieldsOf({ controller: 'kraft' })).toBe('empty');
    expect(formatTopicDescribe(t, { ...CURRENT_TOPIC_STYLE, elr: 'none' })[1]).toBe('\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1');
    expect(formatTopicDescribe(t, { ...CURRENT_TOPIC_STYLE, elr: 'n/a' })[1]).toBe('\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A');
    expect(formatTopicDescribe(t, { ...CURRENT_TOPIC_STYLE, elr: 'empty' })[1]).toBe('\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: ');
  });
});

describe('kafka-topics --describe, the topic line and reassignments by version', () => {
  // TopicCommand at the release tags: `Topic:%s\tPartitionCount:%d…` until 2.3, `Topic: x\tPartitionCount: n`
  // from 2.4 (the AdminClient rewrite), TopicId from 2.8 (KIP-516), Adding/Removing Replicas from 2.6
  const t = {
    name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', replicationFactor: 3, configs: { 'retention.ms': 1000 },
    partitions: [{ partition: 0, leader: 1, replicas: [1, 2, 4, 3], isr: [1, 2], adding: [4], removing: [3] }],
  };
  const at = (kafkaVersion: '2.3' | '2.4' | '2.5' | '2.6' | '2.8') => formatTopicDescribe(t, topicDescribeStyleOf({ kafkaVersion, controller: 'zookeeper' }));
  it('prints each release\'s own lines', () => {
    expect(at('2.3')).toEqual([
      // partition 0's replicas, the one being added included, until 2.5's getReplicationFactor
      'Topic:orders\tPartitionCount:1\tReplicationFactor:4\tConfigs:retention.ms=1000',
      '\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,4,3\tIsr: 1,2',
    ]);
    expect(at('2.4')[0]).toBe('Topic: orders\tPartitionCount: 1\tReplicationFactor: 4\tConfigs: retention.ms=1000');
    expect(at('2.5')[0]).toBe('Topic: orders\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: retention.ms=1000');
    expect(at('2.4')[1]).toBe('\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,4,3\tIsr: 1,2');
    expect(at('2.6')[1]).toBe('\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,4,3\tIsr: 1,2\tAdding Replicas: 4\tRemoving Replicas: 3');
    expect(at('2.8')[0]).toBe('Topic: orders\tTopicId: AAAAAAAAAAAAAAAAAAAAAA\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: retention.ms=1000');
    expect(topicDescribeStyleOf({ controller: 'kraft' })).toEqual(CURRENT_TOPIC_STYLE);
  });
});

describe('kafka-consumer-groups --describe', () => {
  it('pads columns to at least 15 and prints - for missing values', () => {
    const lines = formatGroupDescribe([
      { group: 'billing', topic: 'orders', partition: 0, currentOffset: 90, logEndOffset: 100, consumerId: 'billing-1-0001', host: '/10.0.0.1', clientId: 'billing-1' },
      { group: 'billing', topic: 'orders', partition: 1, currentOffset: undefined, logEndOffset: 40, consumerId: undefined, host: undefined, clientId: undefined },
    ]);
    expect(lines[0]).toBe('');
    expect(lines[1]).toBe('GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID');
    expect(lines[2]).toBe('billing         orders          0          90              100             10              billing-1-0001  /10.0.0.1       billing-1');
    expect(lines[3]).toBe('billing         orders          1          -               40              -               -               -               -');
  });

  it('lag is LOG-END-OFFSET minus CURRENT-OFFSET', () => {
    expect(groupLag({ currentOffset: 5, logEndOffset: 12 })).toBe(7);
    expect(groupLag({ currentOffset: undefined, logEndOffset: 12 })).toBeUndefined();
  });
});

describe('kafka-consumer-groups --describe --all-groups', () => {
  it('prints each group as a table of its own, after an empty line (ConsumerGroupCommand.printOffsets per group)', async () => {
    // three groups, each alone on clicks-0, all crashed at 20 s: three tables of one row
    const r = await cli('describe', join(REPO, 'scenarios/library/retention-overtakes-slow-consumer.yaml'), '--at', '70s');
    const lines = r.stdout.split('\n');
    const headers = lines.flatMap((l, i) => (l.startsWith('GROUP ') ? [i] : []));
    expect(headers).toHaveLength(3);
    for (const i of headers) expect(lines[i - 1]).toBe('');
    expect(headers.map((i) => lines[i + 1].split(/\s+/)[0])).toEqual(['audit', 'billing', 'dashboard']);
    // their sessions ended at 65 s (45 s after the crash): each group is Empty, which the tool says first
    expect(headers.map((i) => lines[i - 2])).toEqual([
      "Consumer group 'audit' has no active members.", "Consumer group 'billing' has no active members.", "Consumer group 'dashboard' has no active members.",
    ]);
  });
});
