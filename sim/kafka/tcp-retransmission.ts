// When TCP sends again what a network fault swallowed (Linux tcp_retransmit_timer, RFC 6298). A cut
// (iptables DROP, a partition, a dead switch port) loses packets, not connections: the sender's
// kernel retransmits the oldest unacknowledged segment after the retransmission timeout, doubling it
// each time (exponential backoff) up to TCP_RTO_MAX, and aborts the connection after tcp_retries2
// retransmissions. So a request sent across a cut that heals arrives at the first retransmission
// after the heal, with everything sent behind it on that connection; Kafka's clients and brokers
// see a slow request, not a lost one, unless the cut outlasts their own timeouts.

/** TCP_RTO_MIN: on a LAN (round trips far below it) the computed timeout is this floor, 200 ms. */
export const TCP_RTO_MIN_US = 200_000;
/** TCP_RTO_MAX: the backoff stops doubling at 120 s. */
export const TCP_RTO_MAX_US = 120_000_000;
/** net.ipv4.tcp_retries2 (default 15): retransmissions before the connection is given up (≈ 924.6 s). */
export const TCP_RETRIES2 = 15;

/**
 * The moment of the first retransmission after `nowUs` of a segment first sent at `firstSentUs`
 * (the k-th at firstSent + Σ_{i<k} min(RTO_MIN·2^i, RTO_MAX)); after the last one, the moment the
 * connection is given up (giveUpUs).
 */
export function nextRetransmissionUs(firstSentUs: number, nowUs: number): number {
  let t = firstSentUs;
  let rto = TCP_RTO_MIN_US;
  for (let k = 1; k <= TCP_RETRIES2; k++) {
    t += rto;
    if (t > nowUs) return t;
    rto = Math.min(rto * 2, TCP_RTO_MAX_US);
  }
  return giveUpUs(firstSentUs);
}

/** When the connection is given up: the timeout after the last retransmission (≈ 924.6 s after the first send). */
export function giveUpUs(firstSentUs: number): number {
  let t = firstSentUs;
  let rto = TCP_RTO_MIN_US;
  for (let k = 0; k <= TCP_RETRIES2; k++) {
    t += rto;
    rto = Math.min(rto * 2, TCP_RTO_MAX_US);
  }
  return t;
}
