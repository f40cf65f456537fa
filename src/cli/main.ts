// The `kafkasim` command: dispatches to one module per subcommand and maps outcomes to the exit codes
// of the README (0 passed, 1 an expectation failed, 2 bad input or usage, 3 a simulator invariant broke),
// where 3 also covers a run that hit its event limit (its message says so) and 130 is Ctrl-C.
// Bad input never prints a stack trace: only an unexpected internal error does.
import { UsageError } from './args.ts';
import { BadScenario } from './load.ts';
import { simulatorFailure } from './failures.ts';
import { processOut, type Out } from './io.ts';
import { ReaderLeft } from './outputs.ts';
import { validateCommand } from './validate.ts';

export const EXIT = { passed: 0, failed: 1, badInput: 2, invariant: 3 } as const;

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[], o: Out): Promise<number> | number;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => validateCommand,
  run: async () => (await import('./run.ts')).runCommand,
  describe: async () => (await import('./describe.ts')).describeCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  sweep: async () => (await import('./sweep.ts')).sweepCommand,
  merge: async () => (await import('./merge.ts')).mergeCommand,
  explore: async () => (await import('./explore.ts')).exploreCommand,
  versions: async () => (await import('./versions.ts')).versionsCommand,
};

function mainHelp(): string {
  return [
    'kafkasim — a deterministic simulator of an Apache Kafka cluster',
    '',
    'usage: kafkasim <command> [options]',
    '',
    'commands:',
    '  run FILE [--seed N] [--json] [--trace OUT.jsonl] [--until T]   run one scenario and tell its story',
    '  check FILE… | DIR                                                 run scenarios and their expectations',
    '  describe FILE --at T                                              the cluster at time T',
    '  sweep FILE --set KEY=V1,V2 … --seeds N [--workers K] [--shard I/N] [--out F.csv|F.json] [--html F.html]',
    '                                                                    a config grid × N seeds: how often acked data is lost',
    '  merge SHARD… [--out F.csv|F.json] [--html F.html]                 combine the shards of a sweep run on several machines',
    '  explore FILE --budget N [--faults crash,partition,…] [--out F]    search fault schedules for a loss, shrink it to a minimal scenario',
    '  validate FILE…                                                    parse and validate only',
    '',
    "run 'kafkasim <command> --help' for a command's options.",
    'exit codes: 0 passed, 1 an expectation failed, 2 bad input or usage (or an output that cannot be written),',
    '            3 the simulator broke an invariant, or a run hit its event limit (the message says which), 130 interrupted',
  ].join('\n');
}

export async function main(argv: string[], o: Out = processOut()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    o.out(mainHelp());
    return name === undefined ? EXIT.badInput : EXIT.passed;
  }
  const load = COMMANDS[name];
  if (!load) {
    o.err(`kafkasim: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return EXIT.badInput;
  }
  try {
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      o.out(`${command.summary}\n\nusage: ${command.usage}`);
      return EXIT.passed;
    }
    return await command.run(rest, o);
  } catch (err) {
    if (err instanceof ReaderLeft) return EXIT.passed; // `--trace /dev/stdout | head`: quietly, as stdout does
    if (err instanceof UsageError || err instanceof BadScenario) {
      o.err(err.message);
      return EXIT.badInput;
    }
    const failure = simulatorFailure(err, rest.find((a) => !a.startsWith('-')) ?? '?');
    if (failure) {
      o.err(failure);
      return EXIT.invariant;
    }
    throw err;
  }
}
