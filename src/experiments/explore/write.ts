// The found scenario as a file a person reads: the minimal schedule as a timeline with captions, a
// description of how it was found and what was shrunk, the failing run's seed, and expectations that
// state what that run shows (the broken expectation restated as the fact found, the records lost,
// an unclean election, who leads a partition that lost records). Because the seed is pinned, these
// facts replay exactly: `kafkasim run` on the file exits 0, and the explorer checks that it does.

import { formatDuration, type Expectation } from '../../scenario/index.ts';
import type { ExpectationResult } from '../../scenario/verdict.ts';
import { scenarioText, type Base } from './document.ts';
import { noteFor } from './notes.ts';
import { observe, type EndFacts } from './observe.ts';
import { FAULT_KINDS, describeFault, scheduleSteps, type FaultKind } from './schedule.ts';
import type { Candidate, Workload } from './shrink.ts';

/** How a failure was found and shrunk: everything the file's description tells. */
export interface Finding {
  exploreSeed: number;
  /** The fault kinds drawn from (`--faults`): they shape the draws, so replaying the search needs them. */
  kinds: readonly FaultKind[];
  /** 1-based number of the schedule that failed. */
  schedule: number;
  runSeed: number;
  original: Candidate;
  minimal: Candidate;
  shrinkRuns: number;
  shrinkLimit: number;
  /** Shrinking spent every run it was allowed with candidates left untried: the schedule may shrink further. */
  shrinkCutShort?: boolean;
  /** Shrinking's last round still changed the schedule when its rounds ran out: it may shrink further. */
  shrinkUnsettled?: boolean;
  /** The broken expectation as the scenario wrote it, and as the minimal run checked it. */
  expectation: Expectation;
  result: ExpectationResult;
}

const WIDTH = 100;

export function foundScenarioText(base: Base, f: Finding): { text: string; facts: EndFacts } {
  const steps = scheduleSteps(f.minimal.faults);
  const seen = observe(base, f.minimal, f.runSeed, steps.map((s) => s.atUs));
  const notes = steps.map((s) => noteFor(s, seen.before.get(s.atUs)!));
  const text = scenarioText(base, f.minimal, {
    seed: f.runSeed,
    name: `${base.scenario.name}-found`,
    title: title(f, seen.end),
    description: description(base, f),
    notes,
    expect: expectations(f, seen.end),
  });
  return { text, facts: seen.end };
}

function title(f: Finding, end: EndFacts): string {
  const what = end.lost > 0 ? `${end.lost} acknowledged record${end.lost === 1 ? '' : 's'} lost` : `${f.result.check} ${f.result.actual}`;
  const kinds = [...new Set(f.minimal.faults.map((x) => x.kind))].map((k) => FAULT_NOUNS[k]);
  return `Found by explore: ${what} ${kinds.length ? `after ${listOf(kinds)}` : 'with no fault at all'}`;
}

const FAULT_NOUNS: Record<FaultKind, string> = {
  crash: 'a crash', shutdown: 'a controlled shutdown', 'power-loss': 'a power loss', 'disk-loss': 'a disk loss', pause: 'a pause',
  partition: 'a network partition', cut: 'a one-way cut', slow: 'a slow link', isolate: 'an isolated node',
};

function description(base: Base, f: Finding): string {
  const r = f.result;
  const when = r.atUs === undefined ? 'at the end' : `at ${formatDuration(r.atUs)}`;
  const paras = [
    `Found by \`kafkasim explore\` on \`${base.scenario.name}\` (explore seed ${f.exploreSeed}${kindsNote(f.kinds)}): schedule ${f.schedule}, ` +
      `run with seed ${f.runSeed}, broke \`${r.check}\` ${when} (expected ${r.expected}). Shrinking (the seed kept fixed) took ` +
      `${f.shrinkRuns} runs of at most ${f.shrinkLimit}, ${faultsShrunk(f.original.faults.length, f.minimal.faults.length)}` +
      (f.shrinkCutShort ? `; it stopped because those runs were spent, so this schedule may not be minimal (a larger \`--shrink-runs\` may shrink it further).`
        : f.shrinkUnsettled ? '; its last round of passes still made it smaller, so this schedule may not be minimal.' : '.'),
    `The original timeline's faults and captions were replaced by the minimal schedule below, and its ` +
      `expectations by what this run shows. ${workloadSentence(base, f.original.workload, f.minimal.workload)}`,
    `Replay it with \`npx kafkasim run\` on this file: the seed pins the run.`,
  ];
  const schedule = ['Schedule as drawn:', ...f.original.faults.map((x) => `- ${describeFault(x)}`)].join('\n');
  return [...paras.map(wrap), schedule].join('\n\n');
}

function kindsNote(kinds: readonly FaultKind[]): string {
  return kinds.length === FAULT_KINDS.length ? '' : `, \`--faults=${kinds.join(',')}\``;
}

/** What the shrinker did to the workload, in one sentence. */
function workloadSentence(base: Base, from: Workload, to: Workload): string {
  const changes: string[] = [];
  for (const p of to.producers) {
    const was = from.producers.find((q) => q.id === p.id)!;
    if (was.ratePerSec !== p.ratePerSec) changes.push(`producer ${p.id} at ${p.ratePerSec}/s instead of ${was.ratePerSec}/s`);
  }
  const droppedProducers = from.producers.filter((p) => !to.producers.some((q) => q.id === p.id)).map((p) => p.id);
  if (droppedProducers.length) changes.push(`without producer${droppedProducers.length > 1 ? 's' : ''} ${listOf(droppedProducers)}`);
  const droppedConsumers = from.consumers.filter((c) => !to.consumers.includes(c));
  if (droppedConsumers.length) changes.push(`without consumer${droppedConsumers.length > 1 ? 's' : ''} ${listOf(droppedConsumers)}`);
  if (to.durationUs !== from.durationUs) changes.push(`a run of ${formatDuration(to.durationUs)} instead of ${formatDuration(from.durationUs)}`);
  const ops = base.keptSteps.length ? ' (with the original timeline\'s operations)' : '';
  return changes.length ? `The workload is the original's${ops}, made smaller: ${listOf(changes)}.` : `The workload is the original's${ops}.`;
}

/** The expectations the file states: each holds on replay because the seed is pinned. */
function expectations(f: Finding, end: EndFacts): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const restated = restate(f.expectation, f.result);
  if (restated) items.push(restated);
  if (end.lost > 0 && f.expectation.check !== 'lost') items.push({ lost: { min: end.lost } });
  if (end.uncleanElections > 0) items.push({ event: { type: 'unclean-election', min: 1 } });
  for (const p of end.lossByPartition) {
    const sameCheck = f.expectation.check === 'leader' && f.expectation.partition === p.partition && f.expectation.atUs === undefined;
    if (!sameCheck) items.push({ leader: { partition: p.partition, is: p.leader ?? 'none' } });
  }
  return items;
}

/** The broken expectation turned into the fact the run showed: `lost: 0` that got 312 becomes `lost: { min: 312 }`. */
export function restate(e: Expectation, r: ExpectationResult): Record<string, unknown> | undefined {
  const at = e.atUs === undefined ? {} : { at: formatDuration(e.atUs) };
  if (e.check === 'leader') return { ...at, leader: { partition: e.partition, is: r.actual === 'none' ? 'none' : Number(r.actual) } };
  if (e.check === 'isr' || e.check === 'replicas') {
    const m = /^\[(.*)\]$/.exec(r.actual);
    return m ? { ...at, [e.check]: { partition: e.partition, is: m[1] === '' ? [] : m[1].split(', ').map(Number) } } : undefined;
  }
  if (!/^\d+$/.test(r.actual)) return undefined;
  const n = Number(r.actual);
  const bound = above(e.bound, n) ? { min: n } : { max: n };
  const { check, bound: _bound, atUs: _at, source: _s, path: _p, ...filters } = e as Expectation & { bound: unknown };
  return { ...at, [check]: { ...filters, ...bound } };
}

function above(b: { is: number } | { min?: number; max?: number }, n: number): boolean {
  if ('is' in b) return n > b.is;
  return b.max !== undefined && n > b.max;
}

function faultsShrunk(from: number, to: number): string {
  return from === to ? `keeping ${from === 1 ? 'its one fault' : `all ${from} faults`}` : `from ${count(from, 'fault')} to ${to}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Folds a paragraph at spaces so the description reads well in an editor. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}
