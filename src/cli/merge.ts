// `kafkasim merge SHARD… [--out F.csv|F.json] [--html F.html]`: combines the shard files of a sweep run
// across machines (`sweep --shard I/N --out shard-I.json`) into exactly the table and files one machine
// would have made. Exit codes as sweep's.

import { MergeError, mergeShards } from '../experiments/shard.ts';
import { parseCommandArgs, UsageError } from './args.ts';
import type { Out } from './io.ts';
import { readInputFile } from './inputs.ts';
import { checkWritableOutput } from './outputs.ts';
import type { Command } from './main.ts';
import { reportOutcome, writeReportFiles } from './sweep-output.ts';

export const mergeCommand: Command = {
  summary: "Combine the shard files of a sweep (sweep --shard I/N --out F.json) into the report one machine would have made.",
  usage: 'kafkasim merge SHARD.json… [--out F.csv|F.json] [--html F.html]',
  run(argv: string[], o: Out): number {
    const { values, positionals } = parseCommandArgs('merge', argv, { out: { type: 'string', multiple: true }, html: { type: 'string' } });
    if (positionals.length === 0) throw new UsageError('kafkasim merge: name the shard files');
    const out = (values.out as string[] | undefined) ?? [];
    for (const f of out) if (!/\.(csv|json)$/i.test(f)) throw new UsageError(`--out ${f}: the name must end in .csv or .json`);
    for (const f of out) checkWritableOutput(f, { flag: '--out', inputs: positionals });
    if (values.html !== undefined) checkWritableOutput(values.html as string, { flag: '--html', inputs: positionals });
    const files = positionals.map((name) => {
      const text = readInputFile(name);
      try {
        return { name, content: JSON.parse(text) as unknown };
      } catch (e) {
        throw new UsageError(`${name}: not JSON (${e instanceof Error ? e.message : String(e)}); expected a shard file from kafkasim sweep --shard`);
      }
    });
    let report;
    try {
      report = mergeShards(files);
    } catch (e) {
      if (e instanceof MergeError) throw new UsageError(e.message);
      throw e;
    }
    const code = reportOutcome(report, o);
    writeReportFiles(report, out, values.html as string | undefined, o, positionals);
    return code;
  },
};
