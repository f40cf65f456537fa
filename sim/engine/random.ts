// Every random draw in the simulator comes from here: named streams derived from the run's seed.
// Each stream is its own seedrandom generator seeded from (run seed, stream name), so creating or
// drawing from one stream never shifts another's draws. That is what lets two runs that differ in
// one setting (a new consumer, acks=all instead of acks=1) still see the same network delays and
// the same failure timings: common random numbers.
//
// Only exactly specified arithmetic is used (a multiply and Math.floor), so the CLI and a browser
// replay draw the same values.
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1), 53 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n); n is a positive integer. */
  int(n: number): number;
  /** Uniform integer in [min, max], both ends included. */
  between(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
  /** Shuffles xs in place (Fisher-Yates) and returns it. */
  shuffle<T>(xs: T[]): T[];
}

/** One named stream. */
class SeededRng implements Rng {
  private readonly draw: () => number;

  constructor(seedText: string) {
    // xor4096 (Brent's xorgens): long period, fast, integer-only state updates.
    const prng = seedrandom.xor4096(seedText);
    this.draw = prng.double;
  }

  next(): number {
    return this.draw();
  }

  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new RangeError(`Rng.int(n) needs a positive integer n, got ${String(n)}`);
    }
    return Math.floor(this.draw() * n);
  }

  between(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new RangeError(`Rng.between(min, max) needs integers min <= max, got ${String(min)}, ${String(max)}`);
    }
    return min + this.int(max - min + 1);
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('Rng.pick() of an empty array');
    return xs[this.int(xs.length)];
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const x = xs[i];
      xs[i] = xs[j];
      xs[j] = x;
    }
    return xs;
  }
}

export class RandomStreams {
  readonly seed: number | string;
  private readonly streams = new Map<string, Rng>();

  constructor(seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new RangeError(`RandomStreams needs a finite seed, got ${String(seed)}`);
    }
    this.seed = seed;
  }

  /** The stream called `name`; asking twice returns the same object, mid-sequence. */
  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new SeededRng(streamSeed(this.seed, name));
      this.streams.set(name, rng);
    }
    return rng;
  }
}

/**
 * The text a stream is seeded from. A JSON pair cannot be ambiguous the way "seed/name" would be
 * (seed "a/b" + name "c" versus seed "a" + name "b/c"). The seed goes through String() so that
 * 7 and "7" (a number from a scenario file, a string from a command line) give the same run.
 */
export function streamSeed(seed: number | string, name: string): string {
  return JSON.stringify([String(seed), name]);
}
