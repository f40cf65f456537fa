// When a ZooKeeper session expires (ZooKeeper mode). The ZooKeeper server does not expire a session
// at its last touch + its timeout, but in buckets of its tickTime: SessionTrackerImpl keeps sessions
// in an ExpiryQueue whose roundToNextInterval puts each expiry on the next multiple of the tick after
// that moment, and expires a bucket when its time comes. Kafka's config/zookeeper.properties sets no
// tickTime, so it is ZooKeeperServer.DEFAULT_TICK_TIME, 3000 ms; the negotiated timeout is clamped to
// [2, 20] ticks (ZooKeeperServer.getMinSessionTimeout / getMaxSessionTimeout). So a broker that stops
// pinging is declared dead zookeeper.session.timeout.ms to that plus a tick after its last ping.

export const ZK_TICK_MS = 3000;

/** The first µs at which a session last touched at `lastTouchUs` has expired (the server's clock starts with the run). */
export function zkSessionExpiryUs(lastTouchUs: number, sessionTimeoutMs: number): number {
  const timeoutMs = Math.min(20 * ZK_TICK_MS, Math.max(2 * ZK_TICK_MS, sessionTimeoutMs));
  const tickUs = ZK_TICK_MS * 1000;
  // ExpiryQueue.roundToNextInterval: (time / expirationInterval + 1) * expirationInterval, in whole ms
  const atMs = Math.floor(lastTouchUs / 1000) + timeoutMs;
  return (Math.floor(atMs / ZK_TICK_MS) + 1) * tickUs;
}
