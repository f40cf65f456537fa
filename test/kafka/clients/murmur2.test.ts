// Kafka's murmur2 must be byte-exact: a key has to land on the same partition as on a real cluster.
import { describe, it, expect } from 'vitest';
import { murmur2, toPositive, utf8, partitionForKey } from '../../../sim/kafka/clients/murmur2.ts';

describe('murmur2 (Utils.murmur2)', () => {
  it('reproduces the six vectors of UtilsTest.testMurmur2', () => {
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) expect(murmur2(utf8(key))).toBe(hash);
  });

  it('toPositive clears the sign bit rather than taking abs', () => {
    expect(toPositive(-973932308)).toBe(-973932308 & 0x7fffffff);
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });

  it('encodes UTF-8 as Java does', () => {
    expect([...utf8('é€😀')]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect([...utf8('\ud800x')]).toEqual([0x3f, 0x78]);
  });

  it('maps keys over all partitions, for any partition count', () => {
    // toPositive(-973932308) = 1173551340
    expect(partitionForKey('21', 1)).toBe(0);
    expect(partitionForKey('21', 3)).toBe(1173551340 % 3);
    expect(partitionForKey('21', 6)).toBe(1173551340 % 6);
    expect(partitionForKey('abc', 10)).toBe(479470107 % 10);
    for (let n = 1; n <= 50; n++) {
      for (const key of ['a', 'b', 'key-17', 'foobar']) {
        const p = partitionForKey(key, n);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThan(n);
        expect(p).toBe(toPositive(murmur2(utf8(key))) % n);
      }
    }
  });
});
