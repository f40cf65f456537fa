// "Never" as a simulated time, one spelling for each direction. Kafka writes both as numbers of
// milliseconds since 1970: Long.MAX_VALUE for a deadline that never comes, 0 for something that
// never happened (Replica.resetReplicaState's lastCaughtUpTimeMs = 0). Simulated time starts at 0,
// so the simulator's "never happened" must lie before any run, or a replica that never caught up
// would count as caught up for the first replica.lag.time.max.ms of every run.

/** A time no run reaches: a timer this far away is not scheduled at all (msToUs saturates here). */
export const NEVER_US = Number.MAX_SAFE_INTEGER;

/** A time before every run: when something that never happened last happened. */
export const NEVER_HAPPENED_US = -Number.MAX_SAFE_INTEGER;
