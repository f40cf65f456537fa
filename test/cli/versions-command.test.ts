// kafkasim versions: the table of what changed when, and what one release runs with; describe says
// which version a scenario runs and what came from it (issue 15).
import { describe, expect, it } from 'vitest';
import { cli } from './support.ts';
import { VERSION_TABLE } from '../../sim/kafka/versions.ts';

describe('kafkasim versions', () => {
  it('prints one line per row of the table, each with its version and KIP or issue', async () => {
    const r = await cli('versions');
    expect(r.code).toBe(0);
    for (const row of VERSION_TABLE) {
      const name = row.kind === 'behaviour' ? row.what : row.config;
      expect(r.stdout.split('\n').some((l) => l.startsWith(row.since) && l.includes(name) && l.includes(row.source)), `${row.since} ${name}`).toBe(true);
    }
  });

  it('--at V lists what a scenario of that release runs with, and refuses an unknown release', async () => {
    const r = await cli('versions', '--at', '2.4');
    expect(r.stdout).toContain('producer acks = 1  (all from 3.0, KIP-679)');
    expect(r.stdout).toContain('controller: zookeeper  (kraft from 4.0, KIP-500)');
    expect(r.stdout).not.toContain('unclean.leader.election.enable'); // 2.4 already had 0.11's default
    expect((await cli('versions', '--at', '4.0')).stdout).toContain('nothing differs');
    const bad = await cli('versions', '--at', '1.9');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--at expects a Kafka version from 0\.10 to 4\.0/);
  });

  it('describe names the version and the defaults that came from it', async () => {
    const r = await cli('describe', 'scenarios/library/kafka-2-4-leader-crash-loses-acks.yaml', '--at', '5s');
    expect(r.stdout).toMatch(/^# kafka-2-4-leader-crash-loses-acks at 5s, seed 1, Kafka 2\.4$/m);
    expect(r.stdout).toContain('# producer acks = 1');
    const now = await cli('describe', 'scenarios/library/leader-crash-kraft.yaml', '--at', '5s');
    expect(now.stdout).toMatch(/Kafka 4\.0$/m);
    expect(now.stdout).not.toContain('# producer acks');
  });
});
