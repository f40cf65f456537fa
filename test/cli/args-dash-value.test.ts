// A flag's value that starts with '-' (`--seed -3`) is read by node's parseArgs as another flag, and
// its own message ("argument is ambiguous") does not say what to do: the usage error names the flag
// and the value and says to write `--seed=-3`, which then gets the flag's own check.
import { describe, expect, it } from 'vitest';
import { parseCommandArgs, parseSeedFlag, UsageError } from '../../src/cli/args.ts';

describe('a value starting with a dash', () => {
  const flags = { seed: { type: 'string' as const }, 'shrink-runs': { type: 'string' as const } };

  it('is refused with the way to write it', () => {
    expect(() => parseCommandArgs('explore', ['f.yaml', '--seed', '-3'], flags)).toThrow(UsageError);
    expect(() => parseCommandArgs('explore', ['f.yaml', '--seed', '-3'], flags)).toThrow(/^kafkasim explore: --seed -3: a value starting with '-' reads as a flag; write --seed=-3\n/);
    expect(() => parseCommandArgs('explore', ['f.yaml', '--shrink-runs', '-1'], flags)).toThrow(/--shrink-runs -1: .* write --shrink-runs=-1/);
  });

  it('written with =, reaches the flag\'s own check', () => {
    const { values } = parseCommandArgs('explore', ['f.yaml', '--seed=-3'], flags);
    expect(values.seed).toBe('-3');
    expect(() => parseSeedFlag(values.seed as string)).toThrow(/--seed expects a non-negative integer seed/);
  });
});
