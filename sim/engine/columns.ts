// Parallel typed arrays in one ArrayBuffer: one allocation per growth instead of one per column, which
// matters when a run has thousands of small tables (a partition each). Numbers in typed arrays cost
// their width and nothing for the garbage collector to trace, where a JS array costs 8 bytes a slot
// plus its growth slack: the logs and the ledger, which grow with every record, live here.

export type F64 = Float64Array<ArrayBuffer>;
export type I32 = Int32Array<ArrayBuffer>;
export type U16 = Uint16Array<ArrayBuffer>;
export type I16 = Int16Array<ArrayBuffer>;
export type I8 = Int8Array<ArrayBuffer>;
export type U8 = Uint8Array<ArrayBuffer>;
export type Column = F64 | I32 | U16 | I16 | I8 | U8;
type ColumnType = new (buffer: ArrayBuffer, byteOffset: number, length: number) => Column;

/**
 * `capacity` elements of each type, in one buffer, in the order given; widest types first, so each
 * view starts aligned.
 */
export function columns(capacity: number, types: readonly ColumnType[]): Column[] {
  const widths = types.map((T) => (T as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
  const buffer = new ArrayBuffer(capacity * widths.reduce((a, b) => a + b, 0));
  let offset = 0;
  return types.map((T, i) => {
    const view = new T(buffer, offset, capacity);
    offset += capacity * widths[i];
    return view;
  });
}

/** Copies `from` into the start of `to` and fills the rest with `fill`. */
export function carry(from: Column, to: Column, fill: number): void {
  to.set(from as never);
  to.fill(fill, from.length);
}
