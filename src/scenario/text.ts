// The scenario file as text: how large it may be, and bytes → text with invalid UTF-8 refused where it
// stands instead of silently replaced by U+FFFD. Browser-safe (TextDecoder is in Node and browsers):
// the CLI decodes the bytes it reads with decodeScenarioBytes, and parseScenario refuses an oversized
// text before the YAML parser sees it (that costs about 90 MB of memory per MB of input).

import type { ScenarioError, SourcePos } from './errors.ts';

/** 4 MiB: the largest library scenario is a few kB; a file this large is a mistake or an attack. */
export const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;

/**
 * Whether `text` takes more than `limit` bytes in UTF-8 (a lone surrogate counts 3 bytes, as U+FFFD
 * would be written): undefined if not, else a lower bound of its size (exact when it had to be counted).
 */
export function utf8LengthAbove(text: string, limit: number): number | undefined {
  if (text.length > limit) return text.length; // every code unit takes at least one byte
  if (text.length * 3 <= limit) return undefined; // and at most three
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes > limit ? bytes : undefined;
}

/** Refusal of a file over MAX_SCENARIO_BYTES, of at least `bytes` bytes. */
export function tooLargeMessage(bytes: number): string {
  const mib = (bytes / (1024 * 1024)).toFixed(1);
  return `the file is too large (at least ${bytes} bytes, ${mib} MiB): a scenario file may be at most 4 MiB (${MAX_SCENARIO_BYTES} bytes)`;
}

export type DecodeResult = { text: string } | { error: ScenarioError };

/**
 * A scenario file's bytes as text. Invalid UTF-8 is an error at the line and column of its first
 * invalid byte (not U+FFFD: a file may hold U+FFFD on purpose, so the text alone cannot tell). A
 * byte-order mark is kept, as Node's readFileSync(…, 'utf8') keeps it; parseScenario ignores it.
 */
export function decodeScenarioBytes(bytes: Uint8Array, fileName: string): DecodeResult {
  const error = (pos: SourcePos, message: string): DecodeResult => ({ error: { file: fileName, line: pos.line, column: pos.column, path: '', message } });
  if (bytes.length > MAX_SCENARIO_BYTES) return error({ line: 1, column: 1 }, tooLargeMessage(bytes.length));
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      return error({ line: 1, column: 1 }, 'the file is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8');
    }
    const at = firstInvalidUtf8(bytes);
    const shown = `0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')}`;
    return error(positionOf(bytes, at), `invalid UTF-8 (byte ${shown} at byte offset ${at}): a scenario file must be UTF-8 text; was it saved as Latin-1 or Windows-1252?`);
  }
}

/** Offset of the first byte that starts no valid UTF-8 sequence (the WHATWG decoder's rules); length if none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  const cont = (i: number, lo = 0x80, hi = 0xbf): boolean => i < n && bytes[i] >= lo && bytes[i] <= hi;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) i += 1;
    else if (b >= 0xc2 && b <= 0xdf) {
      if (!cont(i + 1)) return i;
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return i;
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const [lo, hi] = b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return i;
      i += 4;
    } else return i;
  }
  return n;
}

/**
 * Line and column of a byte offset, counted as the YAML reader counts them (lines end at \n; the
 * column is in UTF-16 code units of the text, 1-based). The bytes before `offset` are valid UTF-8.
 */
function positionOf(bytes: Uint8Array, offset: number): SourcePos {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // a byte-order mark is not a column, as parseScenario ignores it
  const bom = line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const before = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(lineStart + bom, offset));
  return { line, column: before.length + 1 };
}
