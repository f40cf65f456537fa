// What a scenario file did wrong, and where. Validation never stops at the first mistake: every
// problem is collected into a Problems list, so the user fixes a file in one pass, not one per run.

/** A place in the scenario file, 1-based like editors and compilers print it. */
export interface SourcePos {
  line: number;
  column: number;
}

export interface ScenarioError {
  file: string;
  line: number;
  column: number;
  /** Where in the document, as `timeline[3].crash`; empty for a problem of the file as a whole. */
  path: string;
  message: string;
}

/**
 * `file:line:column  path  message`, two spaces apart, the shape compilers use so editors can jump
 * to it. A file-level problem (syntax, empty file) has no path and prints `file:line:column  message`.
 */
export function formatError(e: ScenarioError): string {
  const where = `${e.file}:${e.line}:${e.column}`;
  return e.path === '' ? `${where}  ${e.message}` : `${where}  ${e.path}  ${e.message}`;
}

/**
 * Every error prints as one line: a line break or other control character that comes from the file
 * (a key, a quoted value) is shown escaped, the way JSON writes it, so it can't split the message.
 */
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The collector every validation step reports into. */
export class Problems {
  private readonly errors: ScenarioError[] = [];

  constructor(readonly file: string) {}

  add(pos: SourcePos, path: string, message: string): void {
    this.errors.push({ file: this.file, line: pos.line, column: pos.column, path: oneLine(path), message: oneLine(message) });
  }

  get count(): number {
    return this.errors.length;
  }

  /** In file order (stable for problems at the same place), as a reader goes through the file. */
  sorted(): ScenarioError[] {
    return this.errors
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.line - b.e.line || a.e.column - b.e.column || a.i - b.i)
      .map(({ e }) => e);
  }
}
