// "Did you mean": close names are offered, far ones are not, and very short names get no guess.

import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/scenario/suggest.ts';

describe('did you mean', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('lsot', 'lost')).toBe(1);
    expect(editDistance('tiemline', 'timeline')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('offers the closest known name', () => {
    expect(closest('min.insync.replica', ['min.insync.replicas', 'num.partitions'])).toBe('min.insync.replicas');
    expect(closest('Crash', ['crash', 'restart'])).toBe('crash');
    expect(didYouMean('crsh', ['crash', 'restart'])).toBe(' (did you mean "crash"?)');
  });

  it('offers nothing for a different word or a very short one', () => {
    expect(closest('banana', ['crash', 'restart'])).toBeUndefined();
    expect(closest('2', ['all', '0', '1'])).toBeUndefined();
    expect(didYouMean('zzz', ['crash'])).toBe('');
  });
});
