// The trace's SHA-256 for the command: node:crypto's, native, several times faster than the
// @noble/hashes the engine uses by default (which the page's worker needs). Same bytes, same hex:
// test/cli/native-hash.test.ts holds the two to each other.
import { createHash } from 'node:crypto';
import type { HashFactory } from '../../sim/engine/index.ts';

export const nodeSha256: HashFactory = () => {
  const h = createHash('sha256');
  return { update: (bytes) => void h.update(bytes), hex: () => h.copy().digest('hex') };
};
