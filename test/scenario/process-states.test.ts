// Steps the timeline alone shows to do nothing are located errors (issue 10, point 10): crashing a
// broker that is already down, restarting one that is running, shutting down one that is down or
// already shutting down, pausing one that is down or paused, and a client's crash or restart twice.
// Only what is certain: a drawn moment or a drawn broker leaves the state open, and the run reports
// the step as skipped instead (test/faults/skipped.test.ts).

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';

const HEAD = 'name: x\nduration: 60s\ncluster: { brokers: 3 }\ntopics: [{ name: orders, replication.factor: 3 }]\n' +
  'producers: [{ id: checkout, topic: orders, rate: 1/s }]\ntimeline:\n';

/** `line:column path  message` of each error of a file with these timeline steps (one per line, flow style). */
function errorsOf(...steps: string[]): string[] {
  const r = parseScenario(`${HEAD}${steps.map((s) => `  - { ${s} }\n`).join('')}`, 'states.yaml');
  return r.ok ? [] : r.errors.map((e) => `${e.line - 6}:${e.column} ${e.path}  ${e.message}`);
}

describe('certainly nothing: located errors', () => {
  it('a crash of a broker that is down, with no restart between', () => {
    expect(errorsOf('at: 10s, crash: 1', 'at: 20s, crash: 1')).toEqual([
      '2:23 timeline[1].crash  broker 1 is down at 20s (it crashed at 10s, timeline[0]), so this crash would do nothing',
    ]);
  });

  it('in any order in the file: the timeline is followed in time order', () => {
    expect(errorsOf('at: 20s, crash: [2, 1]', 'at: 10s, power-loss: 1')).toEqual([
      '1:27 timeline[0].crash[1]  broker 1 is down at 20s (it lost power at 10s, timeline[1]), so this crash would do nothing',
    ]);
  });

  it('a restart of a broker never down, or already restarted', () => {
    expect(errorsOf('at: 5s, restart: 2')).toEqual([
      '1:24 timeline[0].restart  broker 2 is running at 5s (running since the run started), so this restart would do nothing',
    ]);
    expect(errorsOf('at: 5s, crash: 2', 'at: 6s, restart: 2', 'at: 7s, restart: 2')).toEqual([
      '3:24 timeline[2].restart  broker 2 is running at 7s (it restarted at 6s, timeline[1]), so this restart would do nothing',
    ]);
  });

  it('ZooKeeper mode: a restart may fail (the old session still holds the id), so a second restart is allowed', () => {
    const zk = (...steps: string[]): string[] => {
      const head = HEAD.replace('cluster: { brokers: 3 }', 'cluster: { brokers: 3, controller: zookeeper, kafka.version: "3.9" }');
      const r = parseScenario(`${head}${steps.map((s) => `  - { ${s} }\n`).join('')}`, 'states.yaml');
      return r.ok ? [] : r.errors.map((e) => e.message);
    };
    expect(zk('at: 5s, crash: 2', 'at: 6s, restart: 2', 'at: 40s, restart: 2')).toEqual([]);
    expect(zk('at: 5s, disk-loss: 2', 'at: 40s, restart: 2')).toEqual([]);
    // still certain: a broker never down
    expect(zk('at: 5s, restart: 2')).toHaveLength(1);
  });

  it('a shutdown of a broker that is down or already shutting down', () => {
    expect(errorsOf('at: 5s, crash: 3', 'at: 6s, shutdown: 3')[0]).toContain('timeline[1].shutdown  broker 3 is down at 6s (it crashed at 5s, timeline[0])');
    expect(errorsOf('at: 5s, shutdown: 3', 'at: 9s, shutdown: 3')).toEqual([
      '2:25 timeline[1].shutdown  broker 3 is shutting down or down at 9s (it was shut down at 5s, timeline[0]), so this shutdown would do nothing',
    ]);
  });

  it('a pause of a broker that is down, or still paused', () => {
    expect(errorsOf('at: 5s, crash: 1', 'at: 6s, pause: { broker: 1, for: 1s }')[0]).toContain('timeline[1].pause.broker  broker 1 is down at 6s');
    expect(errorsOf('at: 5s, pause: { broker: 1, for: 10s }', 'at: 15s, pause: { node: 1, for: 1s }', 'at: 15001ms, pause: { node: 1, for: 1s }')).toEqual([
      '2:31 timeline[1].pause.node  broker 1 is paused at 15s (it was paused at 5s, timeline[0] for 10s), so this pause would do nothing',
    ]);
  });

  it('a client crashed twice, or restarted while running', () => {
    expect(errorsOf('at: 5s, crash: checkout', 'at: 6s, crash: [2, checkout]', 'at: 7s, restart: checkout', 'at: 8s, restart: checkout')).toEqual([
      '2:26 timeline[1].crash[1]  client checkout is down at 6s (it crashed at 5s, timeline[0]), so this crash would do nothing',
      '4:24 timeline[3].restart  client checkout is running at 8s (it restarted at 7s, timeline[2]), so this restart would do nothing',
    ]);
  });

  it('restart: crashed with no broker down, and an any-of whose every broker is down', () => {
    expect(errorsOf('at: 5s, restart: crashed')).toEqual([
      '1:24 timeline[0].restart  no broker is down at 5s (1 is running, 2 is running, 3 is running), so this restart would do nothing',
    ]);
    expect(errorsOf('at: 5s, crash: [1, 2]', 'at: 6s, crash: { any-of: [1, 2] }')).toEqual([
      '2:22 timeline[1].crash  this crash would do nothing to any broker it may draw at 6s (1 is down, 2 is down)',
    ]);
  });
});

describe('valid: the state follows the timeline', () => {
  it.each([
    ['crash, restart, crash again', ['at: 10s, crash: 1', 'at: 20s, restart: 1', 'at: 30s, crash: 1']],
    ['a crash and its restart at the same moment, in file order', ['at: 10s, crash: 1', 'at: 10s, restart: 1']],
    ['power and disk loss do something to a machine whose broker is down', ['at: 10s, crash: 1', 'at: 11s, power-loss: 1', 'at: 12s, disk-loss: 1', 'at: 13s, restart: 1']],
    ['disk loss restarts the broker', ['at: 10s, disk-loss: 1', 'at: 20s, crash: 1']],
    ['a pause ends', ['at: 10s, pause: { broker: 1, for: 5s }', 'at: 15001ms, pause: { broker: 1, for: 5s }']],
    ['a crash during a pause', ['at: 10s, pause: { broker: 1, for: 5s }', 'at: 12s, crash: 1', 'at: 13s, restart: 1']],
    ['a shutdown may have finished: restart and crash may act', ['at: 10s, shutdown: 1', 'at: 11s, restart: 1', 'at: 40s, crash: 1']],
    ['a paused client (a node) is no process state of ours', ['at: 10s, crash: checkout', 'at: 11s, pause: { node: checkout, for: 1s }', 'at: 12s, restart: checkout']],
    ['restart: crashed restarts what is down', ['at: 10s, crash: [1, 3]', 'at: 20s, restart: crashed', 'at: 30s, crash: [1, 3]']],
    ['restart: crashed with one broker possibly stopped', ['at: 10s, shutdown: 2', 'at: 20s, restart: crashed']],
  ])('%s', (_, steps) => {
    expect(errorsOf(...steps)).toEqual([]);
  });

  it.each([
    ['a crash in a window may come after the restart', ['at: { between: [5s, 15s] }, crash: 1', 'at: 10s, restart: 1']],
    ['a restart in a window may come before the crash', ['at: 10s, crash: 1', 'at: { between: [5s, 15s] }, restart: 1', 'at: 12s, crash: 1']],
    ['after a window closes the state is still unknown but for what a crash makes certain', ['at: { between: [5s, 6s] }, crash: 1', 'at: 10s, restart: 1']],
    ['any-of may draw the other broker', ['at: 5s, crash: 1', 'at: 6s, crash: { any-of: [1, 2] }', 'at: 7s, crash: 2', 'at: 8s, restart: 1']],
    ['leader-of may name any broker', ['at: 5s, crash: 1', 'at: 6s, crash: leader-of orders-0', 'at: 7s, restart: 2']],
    ['restart: crashed in a window', ['at: 5s, crash: 1', 'at: { between: [6s, 9s] }, restart: crashed', 'at: 8s, crash: 1']],
  ])('uncertain, so not flagged: %s', (_, steps) => {
    expect(errorsOf(...steps)).toEqual([]);
  });

  it('after an uncertain stretch a crash makes the state certain again', () => {
    expect(errorsOf('at: { between: [5s, 6s] }, crash: 1', 'at: 10s, crash: 1', 'at: 11s, crash: 1')).toEqual([
      '3:23 timeline[2].crash  broker 1 is down at 11s (it crashed at 10s, timeline[1]), so this crash would do nothing',
    ]);
  });

  it('a step whose broker does not exist is reported once, for that', () => {
    expect(errorsOf('at: 10s, crash: 7', 'at: 11s, crash: 7')).toEqual([
      '1:23 timeline[0].crash  broker 7 does not exist (brokers are 1, 2, 3)',
      '2:23 timeline[1].crash  broker 7 does not exist (brokers are 1, 2, 3)',
    ]);
  });
});

describe('linear in the timeline', () => {
  it('20,000 crash and restart steps', () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => [`at: ${2 * i}ms, crash: [1, 2]`, `at: ${2 * i + 1}ms, restart: crashed`]).flat();
    expect(errorsOf(...steps)).toEqual([]);
  });
});
