// Progress of a long command on stderr: a bar with the ETA when stderr is a terminal (cli-progress,
// the standard one), otherwise a plain line at every 10%, which CI logs and `2> file` read well, and
// one at least every minute in between (a sweep of hours would otherwise leave its log silent for
// many minutes, which reads as a hang). stdout stays clean for the results.
import cliProgress from 'cli-progress';
import type { Out } from './io.ts';

export interface Progress {
  /** `done` items of `total` are finished. */
  update(done: number): void;
  stop(): void;
}

/** Without a terminal: a line at least this often while work goes on, besides every 10%. */
export const QUIET_LINE_MS = 60_000;

export function startProgress(o: Out, label: string, total: number, unit: string, opts: { now?: () => number } = {}): Progress {
  if (o.stderrTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, etaBuffer: 50, fps: 5 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let shownTenth = 0;
  const now = opts.now ?? (() => performance.now());
  let lastLineMs = now();
  let shownDone = 0;
  return {
    update(done) {
      const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
      if (tenth > shownTenth) {
        shownTenth = tenth;
        o.err(`${label}: ${tenth * 10}% (${done}/${total} ${unit})`);
      } else if (done > shownDone && now() - lastLineMs >= QUIET_LINE_MS) {
        o.err(`${label}: ${Math.floor((done * 100) / total)}% (${done}/${total} ${unit})`);
      } else return;
      shownDone = done;
      lastLineMs = now();
    },
    stop() {},
  };
}

export interface RunProgressOptions {
  /** Wall-clock milliseconds before the bar appears: a short run draws nothing (default 2000). */
  afterMs?: number;
  /** The wall clock, in milliseconds. */
  now?: () => number;
  /** Starts the bar (startProgress; a test passes its own). */
  start?: typeof startProgress;
}

/**
 * Progress of one long run in simulated seconds, on stderr and only when stderr is a terminal (piped
 * or redirected, stderr stays quiet), and only once the run has lasted a couple of seconds.
 */
export function runProgress(o: Out, label: string, endUs: number, opts: RunProgressOptions = {}): Progress {
  if (!o.stderrTTY) return { update() {}, stop() {} };
  const now = opts.now ?? (() => performance.now());
  const startedMs = now();
  const afterMs = opts.afterMs ?? 2000;
  let bar: Progress | undefined;
  return {
    update(atUs) {
      if (bar === undefined) {
        if (now() - startedMs < afterMs) return;
        bar = (opts.start ?? startProgress)(o, label, Math.max(1, Math.ceil(endUs / 1e6)), 'simulated s');
      }
      bar.update(Math.floor(atUs / 1e6));
    },
    stop() {
      bar?.stop();
    },
  };
}
