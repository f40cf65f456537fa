// `kafkasim run --trace OUT`: the run's journal as a file the front end opens. The header line comes
// first (trace-events.ts TraceHeader: the scenario's name, file and full text, the seed, the format
// and the version), then every event line as the run records it; OUT ending in `.gz` is gzipped as
// one stream, which the browser's DecompressionStream reads. The header is not hashed: the hash a run
// prints is of the event lines alone (docs/trace-format.md).
//
// Written whole or not at all, as every output of the command (outputs.ts): a run that fails or is
// interrupted leaves no file.

import { createGzip, type Gzip } from 'node:zlib';
import { TRACE_FORMAT, type TraceHeader } from '../../sim/kafka/trace-events.ts';
import { OutputFile, type OutputOptions } from './outputs.ts';

/** The version a trace header names; test/cli/trace-file.test.ts keeps it equal to package.json's. */
export const KAFKASIM_VERSION = '0.1.0';

/** Event lines are handed to the gzip stream in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 18;

export function traceHeader(fields: Omit<TraceHeader, 'type' | 'format' | 'kafkasim'>): TraceHeader {
  return { type: 'kafkasim-trace', format: TRACE_FORMAT, kafkasim: KAFKASIM_VERSION, ...fields };
}

export class TraceFile {
  private readonly gzip: Gzip | undefined;
  private readonly gzipped: Promise<void> | undefined;
  private chunk = '';

  private constructor(private readonly out: OutputFile, header: TraceHeader) {
    if (out.path.endsWith('.gz')) {
      const gzip = createGzip();
      this.gzip = gzip;
      this.gzipped = new Promise<void>((resolve, reject) => {
        gzip.on('data', (bytes: Buffer) => out.writeBytes(bytes));
        gzip.on('end', resolve);
        gzip.on('error', reject);
      });
    }
    this.write(JSON.stringify(header));
  }

  static open(path: string, header: TraceHeader, opts: OutputOptions = {}): TraceFile {
    return new TraceFile(OutputFile.open(path, opts), header);
  }

  /** One line, without its newline. */
  write(line: string): void {
    if (this.gzip === undefined) return this.out.write(line + '\n');
    this.chunk += line + '\n';
    if (this.chunk.length >= CHUNK_CHARS) this.flushChunk();
  }

  private flushChunk(): void {
    if (this.chunk.length === 0) return;
    this.gzip!.write(this.chunk);
    this.chunk = '';
  }

  /** Everything written: the file goes into place. */
  async commit(): Promise<void> {
    if (this.gzip !== undefined) {
      this.flushChunk();
      this.gzip.end();
      await this.gzipped;
    }
    this.out.commit();
  }

  abort(): void {
    this.gzip?.destroy();
    this.out.abort();
  }
}
