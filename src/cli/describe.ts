// `kafkasim describe FILE --at T`: the cluster at time T as `kafka-topics --describe` and
// `kafka-consumer-groups --describe` print it.

import { formatTime } from '../../sim/engine/index.ts';
import { runScenario } from '../scenario/run.ts';
import { parseCommandArgs, parseDurationFlag, parseSeedFlag, UsageError } from './args.ts';
import type { Out } from './io.ts';
import { loadScenario } from './load.ts';
import { describeGroups, describeTopics, topicDescribeStyleOf } from './report.ts';
import { formatQuorumStatus } from './kafka-format.ts';
import type { Command } from './main.ts';
import { CURRENT_VERSION } from '../../sim/kafka/versions.ts';
import { versionLines } from './versions.ts';

export const describeCommand: Command = {
  summary: 'Print the cluster at a moment of a scenario, as kafka-topics and kafka-consumer-groups --describe print it.',
  usage: 'kafkasim describe FILE [--at T] [--seed N]   (T defaults to the end of the run)',
  run(argv: string[], o: Out): number {
    const { values, positionals } = parseCommandArgs('describe', argv, { at: { type: 'string' }, seed: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('kafkasim describe: name exactly one scenario file');
    const { scenario, spec } = loadScenario(positionals[0]);
    const atUs = values.at === undefined ? spec.durationUs : parseDurationFlag('at', values.at as string);
    if (atUs > spec.durationUs) throw new UsageError(`--at ${values.at} is after the end of the scenario (${formatTime(spec.durationUs)})`);
    const seed = values.seed === undefined ? undefined : parseSeedFlag(values.seed as string);
    // no trace: describe prints the state at T, and a kept trace would grow with T
    const { sim } = runScenario({ ...scenario, expect: [] }, spec, { seed, untilUs: atUs, trace: false, keepTrace: false });
    o.out(`# ${scenario.name} at ${formatTime(atUs)}, seed ${sim.spec.seed}, Kafka ${scenario.cluster.kafkaVersion}`);
    // the defaults and behaviours that came from an older version rather than today's
    if (scenario.cluster.kafkaVersion !== CURRENT_VERSION) for (const l of versionLines(scenario.cluster.kafkaVersion).slice(1)) o.out(`#${l.slice(1)}`);
    for (const l of describeTopics(sim.topics(), topicDescribeStyleOf(sim.spec))) o.out(l);
    const quorum = sim.quorumView();
    if (quorum) {
      o.out('# the controller quorum (kafka-metadata-quorum describe --status)');
      for (const l of formatQuorumStatus(quorum)) o.out(l);
    }
    const groups = describeGroups(sim);
    for (const l of groups) o.out(l);
    return 0;
  },
};
