// KafkaProducer.ensureValidRecordSize: a record larger than max.request.size (1048576 by default) or
// than buffer.memory fails every send() with RecordTooLargeException, so a scenario whose producer
// could send no record at all is refused where the offending number is written.
import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/index.ts';

const scenario = (extra: string): string => `name: r
duration: 2s
cluster: { brokers: 1 }
topics:
  - { name: orders, partitions: 1, replication.factor: 1 }
producers:
  - { id: p, topic: orders, rate: 10/s, ${extra} }
`;

const errors = (text: string): string[] => {
  const parsed = parseScenario(text, 'r.yaml');
  return parsed.ok ? [] : parsed.errors.map(formatError);
};

describe('a record the producer could never send', () => {
  it('record-size above max.request.size is an error at record-size', () => {
    expect(errors(scenario('record-size: 1048577'))).toEqual([
      expect.stringMatching(/r\.yaml:7:54 +producers\[0\]\.record-size +a record of 1048577 bytes is larger than max\.request\.size \(1048576\)/),
    ]);
    expect(errors(scenario('record-size: 1048576'))).toEqual([]);
  });

  it('buffer.memory below the record size is an error where the smaller number is written', () => {
    expect(errors(scenario('record-size: 5000, config: { buffer.memory: 4000 }'))[0]).toMatch(/producers\[0\]\.record-size +a record of 5000 bytes is larger than buffer\.memory \(4000\)/);
    // the default record size (100 bytes) and a buffer.memory of 10: said at buffer.memory
    expect(errors(scenario('config: { buffer.memory: 10 }'))[0]).toMatch(/r\.yaml:7:66 +producers\[0\]\.config\.buffer\.memory +a record of 100 bytes is larger than buffer\.memory \(10\)/);
  });
});
