// Output helpers for the CLI: colour only on a terminal and never when NO_COLOR is set
// (https://no-color.org), and what happens when stdout cannot be written.
import { readlinkSync, writeSync } from 'node:fs';

export interface Out {
  out(line: string): void;
  err(line: string): void;
  color: boolean;
  /** stderr is a terminal: progress may draw a bar there. */
  stderrTTY?: boolean;
}

export function processOut(): Out {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  process.stdout.on('error', stdoutFailed);
  process.stderr.on('error', () => {}); // nowhere left to say anything; stdout and the exit code still work
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    color,
    stderrTTY: Boolean(process.stderr.isTTY),
  };
}

/**
 * stdout failed. `kafkasim run FILE | head`: the reader left, so stop quietly (exit 0), as a command
 * killed by SIGPIPE would; anything else (a full disk, /dev/full) is one line naming where stdout
 * went, exit 2. Output files not yet complete are removed on the way out (outputs.ts).
 */
function stdoutFailed(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  let where = '';
  try {
    const target = readlinkSync('/proc/self/fd/1');
    if (target.startsWith('/')) where = ` (${target})`;
  } catch {
    // not Linux, or no /proc: "stdout" alone
  }
  try {
    writeSync(2, `kafkasim: cannot write to stdout${where}: ${err.message.replace(/, write$/, '')}\n`);
  } catch {
    // stderr is gone too
  }
  process.exit(2);
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function paint(o: Out, colour: Colour, text: string): string {
  return o.color ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}
