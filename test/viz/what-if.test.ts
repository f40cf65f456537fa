// What-if overrides reach every level Kafka reads a config from; divergence finds the first
// differing trace event.
import { describe, it, expect } from 'vitest';
import { applyWhatIf, parseConfigValue, whatIfErrors, writtenValue, type OverridableSpec } from '../../viz/lib/what-if.ts';
import { firstDivergence, fnv1a } from '../../viz/lib/run-data.ts';

describe('what if', () => {
  const spec: OverridableSpec = {
    brokerConfig: { 'unclean.leader.election.enable': false },
    topics: [{ config: { 'unclean.leader.election.enable': true } }, { config: {} }],
    producers: [{ config: { acks: '1' } }, { config: {} }],
  };

  it('sets a broker config, and the topic overrides that would win over it', () => {
    const s = applyWhatIf(spec, { 'unclean.leader.election.enable': 'false' });
    expect(s.brokerConfig['unclean.leader.election.enable']).toBe(false);
    expect(s.topics[0].config['unclean.leader.election.enable']).toBe(false);
    expect(s.topics[1].config).toEqual({});
    expect(spec.topics[0].config['unclean.leader.election.enable']).toBe(true);
  });

  it('sets a producer config on every producer', () => {
    const s = applyWhatIf(spec, { acks: 'all' });
    expect(s.producers.map((p) => p.config.acks)).toEqual(['all', 'all']);
  });

  it('types values the way the validator does', () => {
    expect(parseConfigValue('min.insync.replicas', '2')).toBe(2);
    expect(parseConfigValue('unclean.leader.election.enable', 'true')).toBe(true);
    expect(parseConfigValue('acks', '-1')).toBe('all');
    expect(parseConfigValue('acks', '1')).toBe('1');
  });
});

describe('first divergence', () => {
  const run = (lines: string[]) => ({ fingerprints: Uint32Array.from(lines, fnv1a), rawTimes: Float64Array.from(lines, (_, i) => i * 10) });
  it('is the first differing event, or the first extra one, or none', () => {
    expect(firstDivergence(run(['a', 'b', 'c']), run(['a', 'b', 'c']))).toBeUndefined();
    expect(firstDivergence(run(['a', 'b', 'c']), run(['a', 'x', 'c']))).toEqual({ index: 1, tUs: 10 });
    expect(firstDivergence(run(['a', 'b']), run(['a', 'b', 'c']))).toEqual({ index: 2, tUs: 20 });
  });
});

describe('as written', () => {
  it('reads the value a what-if key has in the scenario, through topic, broker and default', () => {
    const spec: OverridableSpec = {
      brokerConfig: { 'unclean.leader.election.enable': true },
      topics: [{ config: {} }, { config: {} }],
      producers: [{ config: { acks: '1' } }, { config: { acks: '1' } }],
    };
    expect(writtenValue(spec, 'acks')).toBe('1');
    expect(writtenValue(spec, 'unclean.leader.election.enable')).toBe('true');
    expect(writtenValue(spec, 'min.insync.replicas')).toBe('1');
    expect(writtenValue(spec, 'replica.lag.time.max.ms')).toBe('30000');
    expect(writtenValue({ ...spec, producers: [{ config: { acks: '1' } }, { config: {} }] }, 'acks')).toBeUndefined();
    expect(writtenValue({ ...spec, topics: [{ config: { 'min.insync.replicas': 2 } }] }, 'min.insync.replicas')).toBe('2');
    expect(writtenValue({ ...spec, producers: [] }, 'acks')).toBeUndefined();
  });

  it('refuses a link\'s what-if it cannot run, saying which and why (an unknown key used to run the scenario unchanged)', () => {
    expect(whatIfErrors({ acks: 'all', 'kafka.version': '2.4' })).toEqual([]);
    expect(whatIfErrors({ 'producer.checkout.acks': 'all' })).toEqual(['what-if on producer.checkout.acks, not a setting the what-if changes (What if… lists them): the scenario runs as written']);
    expect(whatIfErrors({ 'min.insync.replicas': '7' })).toEqual(['what-if min.insync.replicas=7, not one of its values (1, 2, 3): the scenario runs as written']);
  });
});
