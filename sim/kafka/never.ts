// "Never" as a simulated time, one constant for both directions. Kafka writes both as milliseconds
// since 1970: Long.MAX_VALUE for a deadline that never comes (a config of "never", which msToUs
// saturates to Number.MAX_SAFE_INTEGER, above this), and 0 for something that never happened
// (Replica.resetReplicaState's lastCaughtUpTimeMs = 0). Simulated time starts at 0, so here "never
// happened" must lie before the run, or a replica that never caught up would count as caught up for
// the first replica.lag.time.max.ms of every run.
//
// 10^15 µs is some 31 years: beyond any run, and small enough that a run's time plus or minus it is
// still an exact integer (below 2^53), so it can be scheduled against and subtracted safely.

/** A time no run reaches: a period or deadline this long (or longer) is never scheduled. */
export const NEVER_US = 1e15;

/** A time before every run: when something that never happened last happened. */
export const NEVER_HAPPENED_US = -NEVER_US;
