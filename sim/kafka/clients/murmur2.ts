// Kafka's murmur2 hash, byte-exact with clients/…/common/utils/Utils.java (murmur2, toPositive), so a
// key lands on the same partition here as on a real cluster. 32-bit signed arithmetic throughout:
// Math.imul for the multiplications and `| 0` / `>>>` exactly where Java's int ops would wrap.

const SEED = 0x9747b28c | 0;
const M = 0x5bd1e995;
const R = 24;

/** Utils.murmur2(byte[]): a signed 32-bit hash of the bytes. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i << 2;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // the tail falls through like Java's switch on length % 4
  const tail = length & ~3;
  const rest = length % 4;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) {
    h ^= data[tail];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Utils.toPositive: clears the sign bit (not Math.abs, which differs for negative numbers). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The UTF-8 bytes of a string, as Java's String.getBytes(UTF_8) (StringSerializer) gives them. */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else {
        c = 0x3f; // String.getBytes(UTF_8) replaces a lone surrogate with '?'
      }
    }
    pushCodePoint(out, c);
  }
  return Uint8Array.from(out);
}

function pushCodePoint(out: number[], c: number): void {
  if (c < 0x80) out.push(c);
  else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
  else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
}

/** BuiltInPartitioner.partitionForKey: toPositive(murmur2(key)) % numPartitions, over all partitions. */
export function partitionForKey(key: string, numPartitions: number): number {
  return toPositive(murmur2(utf8(key))) % numPartitions;
}
