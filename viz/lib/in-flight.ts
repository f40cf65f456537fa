// Messages in flight at a moment, from their send and deliver times (as RaftScope draws them): a
// message sent at s and delivered at d is drawn at fraction (t − s)/(d − s) of its link. Messages are
// bucketed by time so a lookup touches only the messages whose flight overlaps t's bucket.

export interface Flight {
  from: string;
  to: string;
  sentUs: number;
  /** Undefined: the message was dropped (a cut); it is drawn until `dropUs`. */
  deliverUs: number;
  kind: string;
  /** Dropped by the network: drawn fading out and never arriving. */
  dropped?: boolean;
  /** Index into the run's message list, for tooltips. */
  index: number;
}

export interface FlightAt {
  flight: Flight;
  /** 0 at the sender, 1 at the receiver. */
  progress: number;
}

export class FlightIndex {
  private readonly buckets = new Map<number, number[]>();

  constructor(
    readonly flights: readonly Flight[],
    readonly bucketUs = 10_000,
  ) {
    flights.forEach((f, i) => {
      const end = Math.max(f.sentUs, f.deliverUs);
      const b0 = Math.floor(f.sentUs / bucketUs);
      const b1 = Math.floor(end / bucketUs);
      // Very long flights (a 40 s slow link) register in every bucket they span; they are rare.
      for (let b = b0; b <= b1; b++) {
        let list = this.buckets.get(b);
        if (!list) this.buckets.set(b, (list = []));
        list.push(i);
      }
    });
  }

  /** Messages sent at or before t and not yet delivered at t, in send order. */
  at(tUs: number, limit = Infinity): FlightAt[] {
    const list = this.buckets.get(Math.floor(tUs / this.bucketUs));
    if (!list) return [];
    const out: FlightAt[] = [];
    for (const i of list) {
      const f = this.flights[i];
      if (f.sentUs <= tUs && tUs < f.deliverUs) {
        const span = f.deliverUs - f.sentUs;
        out.push({ flight: f, progress: span > 0 ? (tUs - f.sentUs) / span : 1 });
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  /** How many messages are in flight at t on each directed link "from→to" (for aggregated views). */
  countsByLink(tUs: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { flight } of this.at(tUs)) {
      const k = `${flight.from}→${flight.to}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
  }
}
