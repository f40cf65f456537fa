// The fuzz's shrinker keeps a smaller file only if it still fails the same way when run as the fuzz
// runs it. Loops are shrunk against a small event limit, so a shrunk file may merely make many events:
// fuzz seed 2431 (a zero-wait fetch storm) was shrunk to a file that ran to its end under the real
// limit and was still printed as "still fails the same way".
import { describe, it, expect } from 'vitest';
import { failureOf } from './oracle.ts';
import { shrinkConfirmed } from './shrink.ts';

const BUSY = `name: busy
title: A producer, three brokers, ten seconds
duration: 10s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 2, replication.factor: 3 }
producers:
  - { id: checkout, topic: orders, rate: 100/s }
consumers:
  - { id: billing-1, group: billing, topics: [orders] }
timeline:
  - { at: 2s, note: nothing happens }
expect:
  - lost: 0
`;

const SMALL_LIMIT = { eventLimit: 2_000, keepTrace: false };
const REAL_LIMIT = { eventLimit: 1_000_000, keepTrace: false };

describe('shrinkConfirmed', () => {
  const wanted = failureOf(BUSY, SMALL_LIMIT)!.signature;

  it('the case: a busy scenario fails a small event limit, and runs to its end under the real one', () => {
    expect(wanted).toMatch(/EventLimitExceeded/);
    expect(failureOf(BUSY, REAL_LIMIT)).toBeUndefined();
  });

  it('keeps the shrunk file when it fails the same way under the options the fuzz ran it with', () => {
    const r = shrinkConfirmed(BUSY, wanted, { search: SMALL_LIMIT, confirm: () => SMALL_LIMIT, maxAttempts: 30 });
    expect(r.confirmed).toBe(true);
    expect(r.text.length).toBeLessThan(BUSY.length);
    expect(failureOf(r.text, SMALL_LIMIT)?.signature).toBe(wanted);
  });

  it('returns the original, and says why, when the shrunk file no longer fails under those options', () => {
    const r = shrinkConfirmed(BUSY, wanted, { search: SMALL_LIMIT, confirm: () => REAL_LIMIT, maxAttempts: 30 });
    expect(r.confirmed).toBe(false);
    expect(r.text).toBe(BUSY);
    if (r.confirmed) return;
    expect(r.rejected.length).toBeLessThan(BUSY.length);
    expect(r.why).toBe('runs cleanly');
  });
});
