// A consumer's application in the scenario format (`processing:`, `commit:`, `start: never`, and the
// start-/stop-/crash-consumer steps): what each form means, and a located error for what cannot be.
import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/index.ts';

const scenario = (consumer: string, extra = '') => `name: app
duration: 60s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 2, replication.factor: 3 }
consumers:
  - { id: billing-1, group: billing, topics: [orders], ${consumer} }
${extra}`;

const parse = (consumer: string, extra = '') => parseScenario(scenario(consumer, extra), 'c.yaml');
const errors = (consumer: string, extra = '') => {
  const r = parse(consumer, extra);
  return r.ok ? [] : r.errors.map(formatError);
};
const app = (consumer: string) => {
  const r = parse(consumer);
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.scenario.consumers[0].application;
};

describe('processing: and commit:', () => {
  it('reads each form of processing, in µs', () => {
    expect(app('processing: 5ms')).toEqual({ processing: { perRecord: { minUs: 5000, maxUs: 5000 }, perPollUs: 0 }, commit: 'auto' });
    expect(app('processing: { min: 2ms, max: 20ms }')?.processing).toEqual({ perRecord: { minUs: 2000, maxUs: 20000 }, perPollUs: 0 });
    expect(app('processing: { per-record: 1ms, per-poll: 50ms }')?.processing).toEqual({ perRecord: { minUs: 1000, maxUs: 1000 }, perPollUs: 50000 });
    expect(app('processing: { per-record: { min: 1ms, max: 3ms }, per-poll: 1s }')?.processing).toEqual({ perRecord: { minUs: 1000, maxUs: 3000 }, perPollUs: 1_000_000 });
  });

  it('without either key the consumer is instant, as before; commit alone takes no time', () => {
    expect(app('config: {}')).toBeUndefined();
    expect(app('commit: sync')).toEqual({ processing: { perRecord: { minUs: 0, maxUs: 0 }, perPollUs: 0 }, commit: 'sync' });
  });

  it('the commit mode follows enable.auto.commit when not given', () => {
    expect(app('processing: 1ms, config: { enable.auto.commit: false }')?.commit).toBe('none');
    expect(app('processing: 1ms, commit: before-processing, config: { enable.auto.commit: false }')?.commit).toBe('before-processing');
  });

  it('refuses what cannot be, at the key', () => {
    expect(errors('processing: { min: 20ms, max: 2ms }')).toEqual(['c.yaml:7:86  consumers[0].processing.max  max (2ms) must not be below min (20ms)']);
    expect(errors('processing: fast')[0]).toContain('consumers[0].processing');
    expect(errors('processing: { per-poll: 1ms, per-record: 1ms, each: 2ms }')[0]).toContain('consumers[0].processing.each');
    expect(errors('processing: {}')[0]).toContain('expected a duration per record');
    expect(errors('commit: sometimes')[0]).toContain('expected one of auto, sync, async, before-processing, none');
    expect(errors('commit: sync, config: { enable.auto.commit: true }')).toEqual([
      'c.yaml:7:100  consumers[0].config.enable.auto.commit  commit: sync commits by hand, so enable.auto.commit must be false (or left out); the config sets it to true',
    ]);
    expect(errors('commit: auto, config: { enable.auto.commit: false }')[0]).toContain('commit: auto is enable.auto.commit=true, but the config sets it to false');
  });
});

describe('scaling a group from the timeline', () => {
  it('start: never waits for start-consumer; the steps name a consumer', () => {
    const r = parse('start: never', 'timeline:\n  - { at: 10s, start-consumer: billing-1 }\n  - { at: 20s, stop-consumer: billing-1 }\n  - { at: 30s, crash-consumer: billing-1 }\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.consumers[0].startUs).toBe(Number.MAX_SAFE_INTEGER);
    expect(r.scenario.timeline.map((s) => s.action)).toEqual([
      { type: 'start-consumer', consumer: 'billing-1' }, { type: 'stop-consumer', consumer: 'billing-1' }, { type: 'crash-consumer', consumer: 'billing-1' },
    ]);
  });

  it('refuses a stop: with start: never, and a step naming no consumer', () => {
    expect(errors('start: never, stop: 5s')[0]).toContain('consumers[0].stop  a consumer with start: never is stopped by a stop-consumer step, not stop:');
    expect(errors('config: {}', 'timeline:\n  - { at: 10s, start-consumer: billing-9 }\n')[0]).toContain('timeline[0].start-consumer');
  });
});
