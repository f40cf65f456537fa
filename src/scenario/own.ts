// Lookup of user-written names in plain-object tables. `table[name]` would find Object.prototype's
// members for names like `constructor` or `toString`, which a scenario file may well contain.

export function own<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}
