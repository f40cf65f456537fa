// An invariant violation names where it happened: the time, the event number and the last event
// traced before it, described from that event (kept as the event, so a run that never fails pays for
// no string per event).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { startScenario } from '../../src/scenario/run.ts';
import { InvariantViolation } from '../../sim/check/violation.ts';

const yaml = `
name: broken-hw
title: a high watermark above the log end, put there by hand
duration: 5s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 1, replication.factor: 3 }
producers:
  - { id: p, topic: orders, rate: 100/s }
`;

describe('an invariant violation', () => {
  it('names the last traced event, as its type and fields', () => {
    const parsed = parseScenario(yaml, 'broken-hw.yaml');
    if (!parsed.ok) throw new Error('invalid scenario');
    const run = startScenario(parsed.scenario, parsed.spec, { checkInvariants: true });
    run.sim.runUntil(2_000_000);
    const leader = run.sim.metadata.partition(0)!.leader;
    const log = run.sim.brokerNodes.get(leader)!.disk.get(0)!;
    log.highWatermark = log.logEndOffset + 5; // no broker would: the end-of-run check must catch it
    let thrown: unknown;
    try {
      run.sim.run();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvariantViolation);
    const v = thrown as InvariantViolation;
    expect(v.invariant).toBe('hw-within-log');
    // "event #N, last traced: <type> key=value…", never "none" once events were traced
    expect(v.event).toMatch(/^event #\d+, last traced: [a-z-]+( [a-z]+=\S+)*$/);
    expect(v.event).not.toContain('none');
  });
});
