// The story's lines for consumer groups (rebalance phases, evictions, offset resets, client faults,
// poll timeouts, application commits, duplicates and skips explained),
// and the command stopping quietly when its reader goes away (`kafkasim run FILE | head`).
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TraceEvent } from '../../sim/engine/index.ts';
import { tellStory } from '../../src/cli/story.ts';
import { REPO, STACK_TRACE, cli } from './support.ts';

const M1 = 'billing-1-34ed2352-a6fa-94cc-6213-9df264096b9a';
const M2 = 'billing-2-81f7449a-d5d1-d2f0-0c54-70ed2e5b6a5d';

describe('story of a controller quorum', () => {
  it('tells the gap and folds a voter\'s repeated candidacies without a majority into one line', () => {
    const events = [
      { t: 10_000_000, type: 'controller-crashed', node: 'controller-2' },
      { t: 12_500_000, type: 'controller-inactive', node: 'controller-1', epoch: 1, reason: 'check-quorum' },
      { t: 14_000_000, type: 'quorum-election', node: 'controller-1', epoch: 2, retries: 1, timeoutUs: 1_500_000 },
      { t: 15_600_000, type: 'quorum-election', node: 'controller-1', epoch: 3, retries: 2, timeoutUs: 1_200_000 },
      { t: 17_000_000, type: 'quorum-election', node: 'controller-1', epoch: 4, retries: 3, timeoutUs: 1_100_000 },
      { t: 30_436_000, type: 'quorum-leader', node: 'controller-1', epoch: 4 },
      { t: 30_440_000, type: 'controller-activated', node: 'controller-1', epoch: 4, gapUs: 20_440_000 },
      { t: 40_000_000, type: 'quorum-election', node: 'controller-3', epoch: 5, retries: 1, timeoutUs: 1_100_000 },
    ] as TraceEvent[];
    expect(tellStory(events).map((l) => l.text)).toEqual([
      'controller-2 crashed',
      'controller-1 is no longer the active controller (check-quorum): no metadata changes until another is active',
      'controller-1 stood for election 3 times, quorum epochs 2 to 4, last at 17s',
      'controller-1 won quorum epoch 4',
      "controller-1 is the active controller, quorum epoch 4 (after 20.44s without one); every broker's session starts afresh",
      'controller-3 stands for election in quorum epoch 5',
    ]);
  });
});

describe('story of a family of failures', () => {
  it('says which broker a step chose and from what, when its moment was drawn, and why a step was skipped', () => {
    const events = [
      { t: 14_589_775, type: 'step-resolved', step: 0, action: 'crash', between: [10_000_000, 20_000_000], choice: 'leader-of', partition: 'orders-0', brokers: [1] },
      { t: 20_000_000, type: 'step-resolved', step: 1, action: 'power-loss', choice: 'any-of', among: [2, 3], brokers: [3] },
      { t: 30_000_000, type: 'step-skipped', step: 2, action: 'restart', choice: 'crashed', reason: 'no broker is crashed or stopped' },
      { t: 31_000_000, type: 'step-resolved', step: 3, action: 'crash', between: [30_000_000, 32_000_000] },
      { t: 40_000_000, type: 'step-skipped', step: 4, action: 'crash', broker: 2, reason: 'broker 2 is already crashed' },
    ] as TraceEvent[];
    expect(tellStory(events).map((l) => l.text)).toEqual([
      'timeline[0] crash leader-of orders-0 → broker 1 (moment drawn in [10s, 20s])',
      'timeline[1] power-loss any-of [2, 3] → broker 3',
      'timeline[2] restart crashed skipped: no broker is crashed or stopped',
      'timeline[3] crash (moment drawn in [30s, 32s])',
      'timeline[4] crash broker 2 skipped: broker 2 is already crashed',
    ]);
  });
});

describe('story of a consumer group', () => {
  it('tells each rebalance phase, eviction and offset reset by client id', () => {
    const events = [
      { t: 5000, type: 'rebalance', group: 'billing', generation: 0, phase: 'prepare', reason: `member ${M1} joined` },
      { t: 6_005_000, type: 'rebalance', group: 'billing', generation: 1, phase: 'join', members: [M1, M2], protocol: 'range' },
      { t: 6_007_000, type: 'rebalance', group: 'billing', generation: 1, phase: 'stable', assignment: { [M1]: ['orders-0'], [M2]: ['orders-1'] } },
      { t: 6_012_000, type: 'offset-reset', client: 'billing-1', group: 'billing', partition: 'orders-0', from: -1, to: 0, reason: 'no-committed-offset', strategy: 'earliest' },
      { t: 20_000_000, type: 'node-paused', node: 'billing-2', forUs: 15_000_000 },
      { t: 28_007_000, type: 'member-removed', group: 'billing', member: M2, client: 'billing-2', reason: 'session timeout' },
      { t: 40_000_000, type: 'client-crashed', client: 'billing-1', group: 'billing' },
    ] as TraceEvent[];
    expect(tellStory(events).map((l) => l.text)).toEqual([
      'group billing: rebalance started (member billing-1 joined)',
      'group billing: generation 1, members [billing-1, billing-2], range assignor',
      'group billing: generation 1 assigned: billing-1 [orders-0], billing-2 [orders-1]',
      'consumer billing-1 reset orders-0 to offset 0 (no committed offset, auto.offset.reset=earliest)',
      'billing-2 paused for 15s',
      'group billing: member billing-2 removed (session timeout)',
      'client billing-1 crashed',
    ]);
  });

  it('tells a consumer error about no partition (the coordinator refused the member) without an offset', () => {
    const events = [
      { t: 4000, type: 'consumer-error', client: 'billing-1', group: 'billing', error: 'INVALID_SESSION_TIMEOUT' },
      { t: 5000, type: 'consumer-error', client: 'billing-2', group: 'billing', partition: 'orders-0', error: 'NoOffsetForPartitionException', offset: -1 },
    ] as TraceEvent[];
    expect(tellStory(events).map((l) => l.text)).toEqual([
      'consumer billing-1: poll() threw INVALID_SESSION_TIMEOUT (group billing); the application stops',
      'consumer billing-2: NoOffsetForPartitionException on orders-0 at offset -1',
    ]);
  });
});

describe('a reader that goes away', () => {
  it('ends the command quietly, without an EPIPE stack trace', async () => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'kafkasim.js'), 'run', 'scenarios/library/unclean-election-enabled.yaml'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(stderr).not.toMatch(/EPIPE/);
    expect(code).toBe(0);
  }, 60_000);
});

describe('story of leadership and the ISR', () => {
  it('an unclean election that swaps the ISR in one change tells it in one line', () => {
    const events = [
      { t: 17_000_000, type: 'leader-elected', partition: 'orders-0', leader: 2, epoch: 1, clean: false, previous: null },
      { t: 17_000_000, type: 'isr-shrink', partition: 'orders-0', isr: [2], removed: [1] },
      { t: 17_000_000, type: 'isr-expand', partition: 'orders-0', isr: [2], added: [2] },
      { t: 30_000_000, type: 'isr-expand', partition: 'orders-0', isr: [2, 1], added: [1] },
    ] as TraceEvent[];
    const lines = tellStory(events);
    expect(lines.map((l) => l.text)).toEqual([
      'orders-0: UNCLEAN election of broker 2, epoch 1 (it was not in the ISR)',
      'orders-0: ISR changed to [2] (removed [1], added [2])',
      'orders-0: ISR grew to [2, 1] (added [1])',
    ]);
    expect(lines.every((l) => l.isrShrink === undefined)).toBe(true);
  });

  it('a shrink and an expansion of different partitions stay two lines', () => {
    const events = [
      { t: 1, type: 'isr-shrink', partition: 'orders-0', isr: [2], removed: [1] },
      { t: 1, type: 'isr-expand', partition: 'orders-1', isr: [1, 2], added: [1] },
    ] as TraceEvent[];
    expect(tellStory(events)).toHaveLength(2);
  });
});

describe('story of consumers that take time', () => {
  it('tells poll timeouts, failed application commits and a batch cut short, each in a line', () => {
    const events = [
      { t: 36_014_000, type: 'poll-timeout', client: 'storm-1', group: 'storm', generation: 1 },
      { t: 38_514_000, type: 'commit-failed', client: 'storm-1', group: 'storm', why: 'sync', error: 'CommitFailedException', offsets: [['orders-0', 500]] },
      // an auto-commit's failure stays in the trace, as before
      { t: 39_000_000, type: 'commit-failed', client: 'billing-1', group: 'billing', why: 'auto', error: 'UNKNOWN_MEMBER_ID' },
      { t: 25_500_000, type: 'processing-interrupted', client: 'drop-2', group: 'drop', processed: [['orders-1', 946, 980]], unprocessed: [['orders-1', 980, 1042]] },
    ] as TraceEvent[];
    expect(tellStory(events).map((l) => l.text)).toEqual([
      'consumer storm-1: max.poll.interval.ms passed without a poll(); its heartbeat thread left group storm',
      'consumer storm-1: commit (sync) failed: CommitFailedException — offsets orders-0@500 not committed',
      'consumer drop-2 died processing: orders-1 946–979 processed, orders-1 980–1041 not',
    ]);
  });

  it('kafkasim run explains each run of offsets processed twice or skipped, per group', async () => {
    const r = await cli('run', join(REPO, 'scenarios/library/consumer-crash-duplicates-vs-skips.yaml'));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const drop = lines.find((l) => l.startsWith('Group drop'));
    const replay = lines.find((l) => l.startsWith('Group replay'));
    expect(drop).toMatch(/processed more than once 0, skipped [1-9]\d*/);
    expect(replay).toMatch(/processed more than once [1-9]\d*, skipped 0/);
    expect(lines.some((l) => /skipped by group drop: committed up to \d+ by drop-2 \(before-processing\) at [\d.]+s before they were processed; drop-2 crashed at 25\.5s without processing them/.test(l))).toBe(true);
    expect(lines.some((l) => /processed twice by group replay; by replay-2 at 25\.5s \(generation 1\); not committed .*; replay-2 crashed at 25\.5s; processed again by replay-1 at [\d.]+s after the rebalance to generation 2/.test(l))).toBe(true);
    expect(r.stdout).not.toMatch(STACK_TRACE);
  });
});

describe('story of the operator\'s tools', () => {
  it('says when a tool failed, and which partitions kafka-leader-election did not move', () => {
    const events = [
      { t: 20_000_000, type: 'elect-leaders', electionType: 'preferred', results: [
        { partition: 'orders-0', error: 'PREFERRED_LEADER_NOT_AVAILABLE' }, { partition: 'orders-1', error: 'ELECTION_NOT_NEEDED' },
        { partition: 'orders-2', error: 'NONE' }, { partition: 'orders-3', error: 'ELECTION_NOT_NEEDED' }] },
      { t: 21_000_000, type: 'elect-leaders', electionType: 'preferred', results: [{ partition: 'orders-0', error: 'NONE' }] },
      { t: 22_000_000, type: 'admin-error', action: 'alter-config', tool: 'kafka-configs', code: 'INVALID_REQUEST', message: 'Cannot update these configs dynamically: Set(replica.lag.time.max.ms)' },
      { t: 23_000_000, type: 'admin-error', action: 'alter-config', code: 'NOT_CONTROLLER' },
      { t: 24_000_000, type: 'admin-error', action: 'reset-offsets', tool: 'kafka-consumer-groups', message: 'Error: Assignments can only be reset if the group \'g\' is inactive, but the current state is Stable.' },
    ] as TraceEvent[];
    expect(tellStory(events).map((l) => l.text)).toEqual([
      'kafka-leader-election (PREFERRED): PREFERRED_LEADER_NOT_AVAILABLE for orders-0; valid replica already elected for orders-1, orders-3',
      'kafka-configs failed: INVALID_REQUEST (Cannot update these configs dynamically: Set(replica.lag.time.max.ms))',
      'alter-config failed: NOT_CONTROLLER',
      "kafka-consumer-groups failed: Error: Assignments can only be reset if the group 'g' is inactive, but the current state is Stable.",
    ]);
  });
});
