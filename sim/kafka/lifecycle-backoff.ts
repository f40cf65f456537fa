// How a KRaft broker paces its registration attempts (core/…/server/BrokerLifecycleManager.scala):
// after a failed attempt it tries again after ExponentialBackoff(100 ms, ×2, broker.session.timeout.ms,
// jitter 0.02).backoff(failedAttempts), failedAttempts counting the failures before this one (0 first).
// An attempt fails when the controller refuses it (DuplicateBrokerRegistration while the previous
// process's session lives) or when its lifecycle channel gives up on an unanswered request after
// broker.session.timeout.ms / 2 (BrokerServer builds that NodeToControllerChannelManager with it,
// KAFKA-14392).

import type { Rng } from '../engine/index.ts';

export const LIFECYCLE_BACKOFF_INITIAL_US = 100_000;

/**
 * ExponentialBackoff.backoff(failedAttempts): 100 ms doubled per earlier failure up to the session
 * timeout, times a factor uniform in [0.98, 1.02), capped at the session timeout again.
 */
export function lifecycleResendBackoffUs(failedAttempts: number, sessionTimeoutUs: number, rng: Rng): number {
  let term = LIFECYCLE_BACKOFF_INITIAL_US;
  if (sessionTimeoutUs <= term) return sessionTimeoutUs;
  for (let i = 0; i < failedAttempts && term < sessionTimeoutUs; i++) term *= 2;
  if (term > sessionTimeoutUs) term = sessionTimeoutUs;
  const low = Math.floor((term * 49) / 50);
  const span = Math.floor(term / 25);
  const value = span > 0 ? low + rng.int(span) : term;
  return value > sessionTimeoutUs ? sessionTimeoutUs : value;
}

/** The lifecycle channel's retryTimeoutMs: an unanswered registration fails after half the session timeout. */
export function lifecycleRequestTimeoutUs(sessionTimeoutUs: number): number {
  return Math.floor(sessionTimeoutUs / 2);
}
