// The trace event types an `event:` expectation may count (docs/scenario-format.md): the named events of the
// trace's catalog (sim/kafka/trace-events.ts) a scenario's story is told with. A type missing here
// would make a misspelt expectation count nothing and pass silently, so names are checked; every name
// is one of the catalog's types, which the compiler checks here and a test checks again.

import type { TraceEventType } from '../../sim/kafka/trace-events.ts';

const COUNTABLE = [
  'broker-crashed', 'broker-restarted', 'broker-shutdown', 'broker-fenced', 'broker-unfenced',
  'leader-elected', 'unclean-election', 'isr-shrink', 'isr-expand', 'truncated', 'hw-advanced',
  'produce-acked', 'produce-failed', 'metadata-refreshed', 'rebalance', 'offset-committed',
  'network-fault', 'note', 'step-resolved', 'step-skipped',
  // what consumers and producers live through (issue 14): resets by reason, errors, rebalances' effects
  'offset-reset', 'consumer-error', 'partitions-revoked', 'partitions-lost', 'member-removed', 'poll-timeout',
  'commit-failed', 'producer-epoch-bumped', 'client-crashed', 'client-restarted', 'partition-change', 'leader-none',
  'disk-lost', 'broker-paused', 'broker-resumed', 'fetch-timeout',
  // consumers that take time (issue 17): polls, processing, a crash in the middle of a batch
  'records-polled', 'records-processed', 'processing-interrupted',
  // the controller quorum and reassignments (issue 18)
  'controller-activated', 'controller-inactive', 'controller-crashed', 'controller-restarted', 'quorum-election', 'quorum-leader', 'quorum-resigned',
  'reassignment-started', 'reassignment-completed', 'replica-deleted', 'admin-error',
] as const satisfies readonly TraceEventType[];

export const EVENT_TYPES: readonly string[] = COUNTABLE;
