// When a consumer's application commits its offsets (the `commit:` of a consumer with `processing:`),
// as the usual KafkaConsumer loops do:
// - auto: enable.auto.commit; ConsumerCoordinator commits every consumed position from poll() once
//   auto.commit.interval.ms has passed, before a rebalance (onJoinPrepare) and on close;
// - sync: `process(records); commitSync()` (at least once: a crash after processing and before the
//   commit processes the records again);
// - async: `process(records); commitAsync()`: the application polls again without waiting;
// - before-processing: `commitSync(); process(records)` (at most once: a crash after the commit skips
//   what was not yet processed);
// - none: never commits (enable.auto.commit=false and no commit call).
// commitSync() and commitAsync() without arguments commit SubscriptionState.allConsumed(): the
// positions after the records poll() returned.

import type { CommitMode } from '../spec.ts';

/** The application thread waits for the commit's answer (commitSync). */
export function commitBlocks(mode: CommitMode, when: 'before-processing' | 'after-processing'): boolean {
  return when === 'before-processing' ? mode === 'before-processing' : mode === 'sync';
}

/** Does the application commit at this point of its loop? */
export function commitsAt(mode: CommitMode, when: 'before-processing' | 'after-processing'): boolean {
  return when === 'before-processing' ? mode === 'before-processing' : mode === 'sync' || mode === 'async';
}

/** enable.auto.commit as the commit mode implies it (the config, if set, must agree: the validator checks). */
export function autoCommitEnabled(mode: CommitMode): boolean {
  return mode === 'auto';
}
