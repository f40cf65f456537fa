// What the schedules an exploration ran covered, for the report when nothing was found: how many
// faults of each kind, which nodes they touched, and when they started and ended. A budget that
// "found nothing" means little until one sees what it tried.

import type { NodeName } from '../../../sim/kafka/spec.ts';
import { formatDuration } from '../../scenario/index.ts';
import { FAULT_KINDS, compareNodes, endUs, nodeText, nodesOf, type Fault, type FaultKind } from './schedule.ts';

export interface Coverage {
  schedules: number;
  faults: number;
  byKind: Record<FaultKind, number>;
  nodes: NodeName[];
  firstStartUs?: number;
  lastEndUs?: number;
  shortestUs?: number;
  longestUs?: number;
}

export function emptyCoverage(): Coverage {
  const byKind = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  return { schedules: 0, faults: 0, byKind, nodes: [] };
}

export function addSchedule(c: Coverage, faults: readonly Fault[]): void {
  c.schedules++;
  const nodes = new Set(c.nodes);
  for (const f of faults) {
    c.faults++;
    c.byKind[f.kind]++;
    for (const n of nodesOf(f)) nodes.add(n);
    c.firstStartUs = Math.min(c.firstStartUs ?? f.atUs, f.atUs);
    c.lastEndUs = Math.max(c.lastEndUs ?? endUs(f), endUs(f));
    if (f.kind !== 'disk-loss') {
      c.shortestUs = Math.min(c.shortestUs ?? f.forUs, f.forUs);
      c.longestUs = Math.max(c.longestUs ?? f.forUs, f.forUs);
    }
  }
  c.nodes = [...nodes].sort(compareNodes);
}

/** The report's lines: kinds, nodes, times. */
export function coverageLines(c: Coverage): string[] {
  const kinds = FAULT_KINDS.filter((k) => c.byKind[k] > 0).map((k) => `${k} ${c.byKind[k]}`);
  const lines = [`  ${c.faults} faults: ${kinds.length ? kinds.join(', ') : 'none'}`];
  if (c.nodes.length) lines.push(`  nodes touched: ${c.nodes.map(nodeText).join(', ')}`);
  if (c.firstStartUs !== undefined && c.lastEndUs !== undefined) {
    const lasting = c.shortestUs === undefined ? '' : `, each lasting ${formatDuration(c.shortestUs)} to ${formatDuration(c.longestUs!)}`;
    lines.push(`  faults between ${formatDuration(c.firstStartUs)} and ${formatDuration(c.lastEndUs)}${lasting}`);
  }
  return lines;
}
