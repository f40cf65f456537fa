// `kafkasim validate FILE…`: parse and validate scenario files, printing every error as
// `file:line:column  path  message`; exit 2 if any file is invalid.
import { parseCommandArgs, UsageError } from './args.ts';
import { paint, type Out } from './io.ts';
import { BadScenario, expandScenarioPaths, readScenarioFile } from './inputs.ts';
import { parseScenario, formatError } from '../scenario/index.ts';
import type { Command } from './main.ts';

export const validateCommand: Command = {
  summary: 'Parse and validate scenario files without running them.',
  usage: 'kafkasim validate FILE… | DIR',
  run(argv: string[], o: Out): number {
    const { positionals } = parseCommandArgs('validate', argv, {});
    if (positionals.length === 0) throw new UsageError('kafkasim validate: name at least one scenario file');
    let bad = 0;
    for (const { path: file, unreadable } of expandScenarioPaths(positionals)) {
      if (unreadable !== undefined) {
        bad++;
        o.err(unreadable);
        continue;
      }
      let text: string;
      try {
        text = readScenarioFile(file);
      } catch (err) {
        if (!(err instanceof BadScenario || err instanceof UsageError)) throw err;
        bad++;
        o.err(err.message); // the rest still run
        continue;
      }
      const result = parseScenario(text, file);
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
