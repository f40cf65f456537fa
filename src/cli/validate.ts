// `kafkasim validate FILE…`: parse and validate scenario files, printing every error as
// `file:line:column  path  message`; exit 2 if any file is invalid.
import { parseCommandArgs, UsageError } from './args.ts';
import { readScenarioFile, expandScenarioPaths, paint, type Out } from './io.ts';
import { parseScenario, formatError } from '../scenario/index.ts';
import type { Command } from './main.ts';

export const validateCommand: Command = {
  summary: 'Parse and validate scenario files without running them.',
  usage: 'kafkasim validate FILE… | DIR',
  run(argv: string[], o: Out): number {
    const { positionals } = parseCommandArgs('validate', argv, {});
    if (positionals.length === 0) throw new UsageError('kafkasim validate: name at least one scenario file');
    let bad = 0;
    for (const file of expandScenarioPaths(positionals)) {
      const result = parseScenario(readScenarioFile(file), file);
      if (result.ok) {
        o.out(`${paint(o, 'green', 'ok')}  ${file}  ${result.scenario.name}`);
      } else {
        bad++;
        for (const e of result.errors) o.err(formatError(e));
      }
    }
    return bad === 0 ? 0 : 2;
  },
};
