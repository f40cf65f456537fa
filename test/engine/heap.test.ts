// The heap alone: whatever mix of pushes and pops, it hands entries back in exact (time, seq)
// order, across growth and after retain().
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Heap } from '../../sim/engine/heap.ts';

interface Entry {
  id: number;
  time: number;
  seq: number;
}

const byKey = (a: Entry, b: Entry): number => a.time - b.time || a.seq - b.seq;

function popAll(heap: Heap): number[] {
  const out: number[] = [];
  while (heap.length > 0) out.push(heap.pop());
  return out;
}

describe('Heap', () => {
  it('pops in (time, seq) order, FIFO on equal times', () => {
    const heap = new Heap(2);
    const times = [5, 1, 5, 3, 1, 5, 0, 3];
    times.forEach((t, i) => heap.push(i, t, i));
    expect(popAll(heap)).toEqual([6, 1, 4, 3, 7, 0, 2, 5]);
  });

  it('matches a sorted reference under random pushes and pops (property)', () => {
    const op = fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 20 }) }), fc.constant({ pop: true as const }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const heap = new Heap(2);
        const model: Entry[] = [];
        let seq = 0;
        for (const o of ops) {
          if ('push' in o) {
            const entry = { id: seq, time: o.push, seq: seq++ };
            heap.push(entry.id, entry.time, entry.seq);
            model.push(entry);
          } else if (model.length > 0) {
            model.sort(byKey);
            const expected = model.shift() as Entry;
            expect(heap.topTime()).toBe(expected.time);
            expect(heap.topSeq()).toBe(expected.seq);
            expect(heap.pop()).toBe(expected.id);
          }
          expect(heap.length).toBe(model.length);
        }
        expect(popAll(heap)).toEqual(model.sort(byKey).map((e) => e.id));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('retain() drops entries and keeps the order of the rest (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), fc.integer({ min: 2, max: 5 }), (times, modulus) => {
        const heap = new Heap(2);
        times.forEach((t, i) => heap.push(i, t, i));
        heap.retain((id) => id % modulus !== 0);
        const expected = times
          .map((time, i) => ({ id: i, time, seq: i }))
          .filter((e) => e.id % modulus !== 0)
          .sort(byKey)
          .map((e) => e.id);
        expect(popAll(heap)).toEqual(expected);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('orders large times and seqs exactly (no float shortcuts)', () => {
    const heap = new Heap();
    const big = Number.MAX_SAFE_INTEGER;
    heap.push(0, big, 2);
    heap.push(1, big - 1, 3);
    heap.push(2, big, 1);
    expect(popAll(heap)).toEqual([1, 2, 0]);
  });
});
