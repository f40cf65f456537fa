// `kafkasim versions`: the table of what changed when (sim/kafka/versions.ts), one row per default or
// behaviour the model follows by version, with the KIP or issue that changed it; `--at V` prints what
// a scenario with `kafka.version: V` runs with instead of today's defaults.

import { parseCommandArgs, UsageError } from './args.ts';
import type { Out } from './io.ts';
import type { Command } from './main.ts';
import { CURRENT_VERSION, isKafkaVersion, KAFKA_VERSIONS, VERSION_TABLE, versionDifferences, type KafkaVersion, type VersionRow } from '../../sim/kafka/versions.ts';

export const versionsCommand: Command = {
  summary: 'What changed in which Kafka version: the defaults and behaviours cluster.kafka.version selects.',
  usage: [
    'kafkasim versions [--at V]',
    '',
    'Without --at: every row of the table (since, what, before → after, source).',
    `--at V        what a scenario with cluster: { kafka.version: "V" } runs with (V from ${KAFKA_VERSIONS[0]} to ${CURRENT_VERSION})`,
  ].join('\n'),
  run(argv: string[], o: Out): number {
    const { values, positionals } = parseCommandArgs('versions', argv, { at: { type: 'string' } });
    if (positionals.length > 0) throw new UsageError('kafkasim versions: takes no file (did you mean --at V?)');
    if (values.at !== undefined) {
      const v = String(values.at).trim();
      if (!isKafkaVersion(v)) throw new UsageError(`--at expects a Kafka version from ${KAFKA_VERSIONS[0]} to ${CURRENT_VERSION}, like 2.4, got '${values.at}'`);
      for (const l of versionLines(v)) o.out(l);
      return 0;
    }
    o.out(`What changed when (the model follows Kafka ${CURRENT_VERSION} unless a scenario sets cluster.kafka.version)`);
    o.out('');
    const rows = VERSION_TABLE.map((r) => [r.since, what(r), change(r), r.source]);
    const widths = [5, 52, 34].map((w, i) => Math.max(w, ...rows.map((r) => r[i].length)));
    o.out(['since', 'what', 'before → from then on', 'source'].map((h, i) => (i < 3 ? h.padEnd(widths[i]) : h)).join('  '));
    for (const r of rows) o.out(r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  '));
    return 0;
  },
};

function what(r: VersionRow): string {
  if (r.kind === 'default') return `${r.scope} ${r.config} default`;
  if (r.kind === 'introduced') return `${r.scope} ${r.config} exists`;
  return r.what;
}

function change(r: VersionRow): string {
  if (r.kind === 'introduced') return 'not settable → settable';
  return `${String(r.before)} → ${String(r.after)}`;
}

/** What a scenario of version `v` runs with, where it differs from the current version (a heading line first). */
export function versionLines(v: KafkaVersion): string[] {
  return [`Kafka ${v}${v === CURRENT_VERSION ? ' (the current version: nothing differs)' : ''}`, ...versionDifferences(v).map((l) => `  ${l}`)];
}
