// The trace event types an `event:` expectation may count (design.md §5). A type missing here would
// make a misspelt expectation count nothing and pass silently, so names are checked; extend the list
// when the trace gains a type.

export const EVENT_TYPES: readonly string[] = [
  'broker-crashed', 'broker-restarted', 'broker-shutdown', 'broker-fenced', 'broker-unfenced',
  'leader-elected', 'unclean-election', 'isr-shrink', 'isr-expand', 'truncated', 'hw-advanced',
  'produce-acked', 'produce-failed', 'metadata-refreshed', 'rebalance', 'offset-committed',
  'network-fault', 'note', 'step-resolved', 'step-skipped',
];
