// kafkasim sweep and merge as a user runs them: keys and values checked against the scenario, the same
// report whatever the number of workers, and shards that merge into exactly what one machine prints.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from '../cli/support.ts';

const ACKS1 = join(REPO, 'scenarios/library/acks-1-leader-crash.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'kafkasim-sweep-'));
const read = (f: string) => readFileSync(f, 'utf8');

describe('sweep: keys and values', () => {
  it.each([
    ['producer.nobody.acks=1', 'producer.nobody.acks', 'no producer in the scenario matches (producers: checkout)'],
    ['topic.orders.min.insync.replica=2', 'topic.orders.min.insync.replica', 'did you mean "min.insync.replicas"'],
    ['producer.checkout.acks=2', 'producer.checkout.acks=2', 'expected one of all, 0, 1'],
    ['network.latency=fast', 'network.latency=fast', 'network.latency'],
    ['timeline.9.at=1s', 'timeline.9.at', 'step(s), numbered 0 to'],
    ['broker.7.replica.lag.time.max.ms=10000', 'broker.7', 'no broker 7'],
    ['wal.size=3', 'wal.size', 'unknown key'],
    ['producer.checkout.acks', 'producer.checkout.acks', 'expected KEY=V1,V2'],
    // the file's own path instead of the key: named as the key to write
    ['topic.orders.config.min.insync.replicas=2', 'topic.orders.config.min.insync.replicas', 'the key is topic.orders.min.insync.replicas (a config is named without config.)'],
    ['producers.checkout.acks=1', 'producers.checkout.acks', 'the key is producer.checkout.acks (producer, not producers)'],
    ['cluster.config.unclean.leader.election.enable=true', 'cluster.config.unclean.leader.election.enable', 'a broker config on every broker is broker.unclean.leader.election.enable'],
  ])('--set %s is a usage error (exit 2) naming the key', async (set, named, why) => {
    const r = await cli('sweep', ACKS1, '--set', set, '--seeds', '2', '--workers', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(named);
    expect(r.stderr).toContain(why);
    expect(r.stdout).toBe('');
  });

  it('a bad scenario file is reported as itself, and --seeds is required', async () => {
    expect((await cli('sweep', join(REPO, 'nope.yaml'), '--seeds', '2')).stderr).toContain('nope.yaml: cannot read scenario');
    const r = await cli('sweep', ACKS1, '--set', 'producer.checkout.acks=1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seeds N is required');
  });

  it('reaches every kind of key: producer, topic, broker (all and one), network, timeline, cluster', async () => {
    const r = await cli(
      'sweep', ACKS1, '--seeds', '1', '--workers', '1',
      '--set', 'producer.checkout.linger.ms=0,5', '--set', 'topic.orders.min.insync.replicas=1',
      '--set', 'broker.replica.lag.time.max.ms=30000', '--set', 'broker.2.replica.lag.time.max.ms=10000',
      '--set', 'network.latency={min: 1ms, max: 2ms}', '--set', 'timeline.1.at=11s', '--set', 'cluster.controller=kraft,zookeeper',
    );
    expect(r.stderr).not.toContain('rejected');
    expect(r.stdout).toContain('4 cell(s) × seed 1, 4 runs');
    expect([0, 1]).toContain(r.code);
  });
});

describe('sweep --metrics', () => {
  it('reports produce latency and time under min ISR per cell: what acks=all costs, and what it buys', async () => {
    const dir = tmp();
    const r = await cli('sweep', ACKS1, '--set', 'producer.checkout.acks=1,all', '--seeds', '3', '--workers', '1', '--metrics', '--out', join(dir, 'r.json'), '--out', join(dir, 'r.csv'));
    expect(r.stdout).toMatch(/latency p50 +p99 +under min ISR/);
    const [acks1, acksAll] = JSON.parse(read(join(dir, 'r.json'))).cells;
    expect(acks1.produceLatencyMs.p50).toBeGreaterThan(0);
    // acks=all waits for the followers: a round trip more than acks=1 for the median record
    expect(acksAll.produceLatencyMs.p50).toBeGreaterThan(acks1.produceLatencyMs.p50);
    expect(acksAll.lossRuns).toBe(0);
    expect(acks1.lossRuns).toBe(3);
    expect(acks1.underMinIsrSeconds).toEqual({ mean: 0, max: 0 });
    expect(read(join(dir, 'r.csv')).split('\r\n')[0]).toMatch(/,produce_latency_p50_ms,produce_latency_p99_ms,under_min_isr_s_mean,under_min_isr_s_max$/);
    // without --metrics, no latency (and no cost)
    const plain = await cli('sweep', ACKS1, '--set', 'producer.checkout.acks=1', '--seeds', '1', '--workers', '1');
    expect(plain.stdout).not.toMatch(/latency p50/);
  });
});

describe('sweep over Kafka versions', () => {
  it('cluster.kafka.version is an axis: the same crash loses acked records on 2.4 (acks=1 by default) and not on 4.0', async () => {
    const dir = tmp();
    const file = join(dir, 'v.yaml');
    // ACKS1 without its explicit acks: the version's default decides
    writeFileSync(file, read(ACKS1).replace(/acks: '?1'?,? ?/, '').replace(/\nexpect:[\s\S]*$/, '\n'));
    const r = await cli('sweep', file, '--set', 'cluster.kafka.version=2.4,4.0', '--seeds', '3', '--workers', '1', '--out', join(dir, 'r.json'));
    expect(r.stderr).not.toMatch(/rejected|error/i);
    const [v24, v40] = JSON.parse(read(join(dir, 'r.json'))).cells;
    expect(v24.settings).toEqual([{ key: 'cluster.kafka.version', value: '2.4' }]);
    expect(v24.lossRuns).toBe(3);
    expect(v40.lossRuns).toBe(0);
    expect((await cli('sweep', file, '--set', 'cluster.kafka.version=2.4,9.9', '--seeds', '1')).stderr).toMatch(/cluster\.kafka\.version.*9\.9/);
  });
});

describe('sweep: the report', () => {
  it('acks=1 loses acknowledged records where acks=all does not, under the same crash', async () => {
    const dir = tmp();
    const r = await cli('sweep', ACKS1, '--set', 'producer.checkout.acks=1,all', '--seeds', '3', '--workers', '1', '--out', join(dir, 'r.json'));
    const report = JSON.parse(read(join(dir, 'r.json')));
    const [acks1, acksAll] = report.cells;
    expect(acks1.settings).toEqual([{ key: 'producer.checkout.acks', value: '1' }]);
    expect(acks1.lossRuns).toBe(3);
    expect(acks1.lost.p50).toBeGreaterThan(0);
    expect(acksAll.lossRuns).toBe(0);
    expect(acksAll.lossInterval[0]).toBe(0);
    expect(acksAll.lossInterval[1]).toBeGreaterThan(0.5); // 0 of 3 is no proof of safety
    // the file says acks=1 loses data; with acks=all that expectation breaks, and the exit code names the cell
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/cell 2 \(producer\.checkout\.acks=all\)/);
    expect(acksAll.problems.join('\n')).toMatch(/expect\[\d+\] lost/);
    // time without a leader: broker 1 crashed at 10 s and was replaced only after broker.session.timeout.ms
    // (9 s) from its last heartbeat (every 2 s)
    expect(acks1.leaderlessMs.mean).toBeGreaterThan(6000);
    expect(acks1.leaderlessMs.max).toBeLessThan(12000);
  });

  it('is the same, byte for byte, with 1 worker and with 4', async () => {
    const dir = tmp();
    const args = ['sweep', ACKS1, '--set', 'producer.checkout.acks=1,all', '--set', 'timeline.1.at=9s,10s', '--seeds', '5'];
    const one = await cli(...args, '--workers', '1', '--out', join(dir, '1.json'), '--out', join(dir, '1.csv'));
    const four = await cli(...args, '--workers', '4', '--out', join(dir, '4.json'), '--out', join(dir, '4.csv'));
    expect(four.stdout).toBe(one.stdout);
    expect(read(join(dir, '4.json'))).toBe(read(join(dir, '1.json')));
    expect(read(join(dir, '4.csv'))).toBe(read(join(dir, '1.csv')));
    expect(four.stderr).toContain('on 4 worker(s)');
  }, 120_000);

  it('shards merge into exactly what one machine writes: table, CSV, JSON and HTML', async () => {
    const dir = tmp();
    const args = ['sweep', ACKS1, '--set', 'producer.checkout.acks=1,all', '--seeds', '5', '--workers', '1'];
    const whole = await cli(...args, '--out', join(dir, 'whole.csv'), '--out', join(dir, 'whole.json'), '--html', join(dir, 'whole.html'));
    for (const i of [1, 2, 3]) {
      const s = await cli(...args, '--shard', `${i}/3`, '--out', join(dir, `shard-${i}.json`));
      expect(s.code).toBe(0);
      expect(s.stdout).toContain(`shard ${i}/3`);
    }
    const shards = [3, 1, 2].map((i) => join(dir, `shard-${i}.json`));
    const merged = await cli('merge', ...shards, '--out', join(dir, 'merged.csv'), '--out', join(dir, 'merged.json'), '--html', join(dir, 'merged.html'));
    expect(merged.code).toBe(whole.code);
    expect(merged.stdout).toBe(whole.stdout);
    for (const ext of ['csv', 'json', 'html']) expect(read(join(dir, `merged.${ext}`))).toBe(read(join(dir, `whole.${ext}`)));
    // no wall-clock time or host in what is merged
    expect(read(join(dir, 'shard-1.json'))).not.toMatch(/"(time|host|hostname|started|wall)/);
  }, 120_000);

  it('merge refuses a missing, doubled or foreign shard', async () => {
    const dir = tmp();
    const args = ['sweep', ACKS1, '--set', 'producer.checkout.acks=1,all', '--seeds', '2', '--workers', '1'];
    await cli(...args, '--shard', '1/2', '--out', join(dir, 'a.json'));
    await cli(...args.map((a) => (a === '2' ? '3' : a)), '--shard', '2/2', '--out', join(dir, 'other.json'));
    const missing = await cli('merge', join(dir, 'a.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard(s) 2/2 missing');
    expect((await cli('merge', join(dir, 'a.json'), join(dir, 'a.json'))).stderr).toContain('are both shard 1/2');
    expect((await cli('merge', join(dir, 'a.json'), join(dir, 'other.json'))).stderr).toContain('a different sweep');
    expect((await cli('merge', ACKS1)).stderr).toContain('not JSON');
  });

  it('without a terminal, progress is a plain line per 10% on stderr; stdout holds only the table', async () => {
    const r = await cli('sweep', ACKS1, '--set', 'producer.checkout.acks=1,all', '--seeds', '5', '--workers', '1');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('sweep: '));
    expect(lines).toEqual(['sweep: 10% (1/10 runs)', ...[20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => `sweep: ${p}% (${p / 10}/10 runs)`)]);
    expect(r.stdout).not.toContain('%)\n'.repeat(2));
    expect(r.stderr).toMatch(/10 runs in [\d.]+ s on 1 worker/);
  });
});

describe('sweep: Ctrl-C', () => {
  // SIGTERM is what a cancelled CI job or an evicted Kubernetes pod gets: the same as Ctrl-C
  it.each(['SIGINT', 'SIGTERM'] as const)('%s stops the workers and reports the runs that finished (exit 130), writing no file', async (signal) => {
    const { spawn } = await import('node:child_process');
    const dir = tmp();
    const child = spawn(process.execPath, [join(REPO, 'bin/kafkasim.js'), 'sweep', ACKS1, '--set', 'producer.checkout.acks=1,all', '--seeds', '1000', '--workers', '2', '--out', join(dir, 'r.csv')], {
      cwd: REPO, env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/sweep: 10%/.test(stderr) && !child.killed) child.kill(signal);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const m = /interrupted: (\d+) of 2000 runs finished/.exec(stderr);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(200);
    expect(Number(m![1])).toBeLessThan(2000);
    expect(stdout).toContain(`${m![1]} runs`);
    // stdout (often redirected to a file) says it too, above the table
    expect(stdout.split('\n')[0]).toBe(`INTERRUPTED: only ${m![1]} of the sweep's 2000 runs finished; the table counts those alone`);
    expect(() => readFileSync(join(dir, 'r.csv'))).toThrow();
  }, 120_000);
});
