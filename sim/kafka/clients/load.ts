// The application in front of a producer: it calls send() at ProducerSpec.ratePerSec, evenly spaced,
// from startUs until stopUs (or a stop-producer action), with keys per KeysSpec. Record i of a run of
// the load falls at from + floor(i · 10^6 / rate) µs, so the spacing never drifts. Random keys come
// from the producer's own `producer:<id>:keys` stream.

import type { Rng } from '../../engine/index.ts';
import type { KeysSpec } from '../spec.ts';

export class LoadGenerator {
  /** Start of the current run of the load, and records sent in it. */
  private fromUs = 0;
  private index = 0;
  private keyCursor = 0;
  private readonly randomKeys: string[] = [];

  constructor(
    private readonly ratePerSec: number,
    private readonly keys: KeysSpec,
    private readonly rng: Rng,
  ) {
    if (keys.kind === 'random') for (let i = 0; i < keys.count; i++) this.randomKeys.push(`key-${i}`);
  }

  /** Starts (or restarts) the evenly spaced schedule at `fromUs`. */
  restart(fromUs: number): void {
    this.fromUs = fromUs;
    this.index = 0;
  }

  /** When the next record is due. */
  nextDueUs(): number {
    return this.fromUs + Math.floor((this.index * 1_000_000) / this.ratePerSec);
  }

  /** Moves past one record; returns the index of its key in `keyNames`, or −1 for a null key. */
  take(): number {
    this.index++;
    switch (this.keys.kind) {
      case 'none':
        return -1;
      case 'list': {
        const i = this.keyCursor % this.keys.keys.length;
        this.keyCursor++;
        return i;
      }
      default:
        return this.rng.int(this.randomKeys.length);
    }
  }

  /** Every key the load uses, by index. */
  get keyNames(): readonly string[] {
    return this.keys.kind === 'list' ? this.keys.keys : this.randomKeys;
  }

  /** The application was blocked in send() until `nowUs`: the schedule resumes from there. */
  resumeAfterBlock(nowUs: number): void {
    if (this.nextDueUs() < nowUs) this.restart(nowUs);
  }
}
