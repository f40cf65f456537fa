// Output helpers for the CLI: colour only on a terminal and never when NO_COLOR is set
// (https://no-color.org).

export interface Out {
  out(line: string): void;
  err(line: string): void;
  color: boolean;
  /** stderr is a terminal: progress may draw a bar there. */
  stderrTTY?: boolean;
}

export function processOut(): Out {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  // `kafkasim run FILE | head`: the reader left; stop quietly instead of dying on EPIPE with a stack trace
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    color,
    stderrTTY: Boolean(process.stderr.isTTY),
  };
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function paint(o: Out, colour: Colour, text: string): string {
  return o.color ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}
