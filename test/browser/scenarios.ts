// Scenarios the browser tests use: a classroom one from the library (the first whose story has a
// crash and an election), and a generated 30-broker × 1,000-partition cluster for the overview.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseScenario } from '../../src/scenario/index.ts';
import { repo } from './helpers.ts';

export interface LibraryScenario {
  name: string;
  /** How the page's picker and URL name it (the name, or the path when two files share a name). */
  key: string;
  /** Relative to the repository. */
  path: string;
  fileName: string;
  text: string;
  seed: number;
  partition: string;
  /** Play at least this far (past the first crash and its election). */
  playToUs: number;
  screenshotUs: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

export function loadLibraryFile(path: string): string {
  return readFileSync(join(repo, path), 'utf8');
}

const PREFERRED = ['unclean-election-loses-acked-writes', 'acks-1-leader-crash', 'quickstart'];

export function pickClassroomScenario(): LibraryScenario {
  const files = walk(join(repo, 'scenarios'));
  const parsed = files
    .map((f) => ({ f, text: readFileSync(f, 'utf8') }))
    .map(({ f, text }) => ({ f, text, r: parseScenario(text, relative(repo, f)) }))
    .filter((x) => x.r.ok);
  const byName = (n: string) =>
    parsed.find((x) => x.r.ok && x.r.scenario.name === n && x.f.includes('/library/')) ?? parsed.find((x) => x.r.ok && x.r.scenario.name === n);
  const pick = PREFERRED.map(byName).find((x) => x !== undefined) ?? parsed[0];
  if (!pick || !pick.r.ok) throw new Error('no valid scenario in scenarios/');
  const { scenario, spec } = pick.r;
  const crash = spec.timeline.find((s) => s.action && ['crash', 'shutdown', 'power-loss'].includes(s.action.type));
  const crashUs = crash?.atUs ?? Math.floor(spec.durationUs / 3);
  const topic = spec.topics[0];
  const shared = parsed.filter((x) => x.r.ok && x.r.scenario.name === scenario.name).length > 1;
  return {
    name: scenario.name,
    key: shared ? relative(join(repo, 'scenarios'), pick.f).replace(/\.(ya?ml|json)$/, '') : scenario.name,
    path: relative(repo, pick.f),
    fileName: pick.f.split('/').pop()!,
    text: pick.text,
    seed: spec.seed,
    partition: `${topic.name}-0`,
    playToUs: Math.min(spec.durationUs - 1, crashUs + 12_000_000),
    screenshotUs: Math.min(spec.durationUs, crashUs + 12_000_000),
  };
}

/** 30 brokers, 1,000 partitions (RF 3), steady load, a broker crash and restart. */
export function bigClusterScenario(): string {
  return `name: big-cluster
title: 30 brokers, 1,000 partitions
description: An overview-scale cluster; broker 7 crashes and comes back.
duration: 20s
cluster:
  brokers: 30
topics:
  - name: events
    partitions: 1000
    replication.factor: 3
producers:
  - id: ingest
    topic: events
    rate: 1000/s
    keys: { random: 5000 }
timeline:
  - at: 5s
    crash: 7
    note: Broker 7 dies; about a hundred partitions lose a replica, a third of them their leader.
  - at: 15s
    restart: 7
`;
}
