// `cluster.racks`: each broker's broker.rack, written as rack name → broker ids
// (`racks: { a: [1, 2], b: [3, 4], c: [5, 6] }`), and `{ rack: a }` wherever a fault takes brokers
// (crash, restart, shutdown, power-loss, disk-loss, isolate). A broker has one rack, so a broker in two
// racks is an error; as in AdminUtils' rack-aware assignment ("Not all brokers have rack
// information"), once racks are given every broker must have one.

import type { Context } from './context.ts';
import { asMap, expected, item, key, oneOrMany, refuse, scalar } from './reader.ts';
import { didYouMean } from './suggest.ts';
import type { YNode } from './tree.ts';

/** Kafka's broker.rack is any text; here a rack name is also a word a fault can name. */
const RACK_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function readRacks(ctx: Context, node: YNode, path: string): Record<string, number[]> | undefined {
  const p = ctx.p;
  const map = asMap(p, node, path, 'a mapping of rack names to broker ids, like { a: [1, 2], b: [3, 4] }');
  if (!map) return undefined;
  if (map.entries.length === 0) return expected(p, node, path, 'at least one rack');
  const racks: Record<string, number[]> = {};
  const rackOf = new Map<number, string>();
  let ok = true;
  for (const entry of map.entries) {
    const rackPath = key(path, entry.key);
    if (!RACK_NAME.test(entry.key)) {
      p.add(entry.keyPos, rackPath, `a rack name is 1 to 64 letters, digits, ".", "_" or "-", got "${entry.key}"`);
      ok = false;
      continue;
    }
    const items = oneOrMany(entry.value);
    if (items.length === 0 || (entry.value.kind === 'scalar' && scalar(entry.value) === null)) {
      p.add(entry.value.pos, rackPath, `rack ${entry.key} has no brokers: list its broker ids, like [1, 2]`);
      ok = false;
      continue;
    }
    const ids: number[] = [];
    items.forEach((n, i) => {
      const itemPath = entry.value.kind === 'seq' ? item(rackPath, i) : rackPath;
      const id = ctx.broker(n, itemPath);
      if (id === undefined) {
        ok = false;
        return;
      }
      const other = rackOf.get(id);
      if (other === entry.key) {
        p.add(n.pos, itemPath, `broker ${id} is listed twice in rack ${entry.key}`);
        ok = false;
      } else if (other !== undefined) {
        p.add(n.pos, itemPath, `broker ${id} is already in rack ${other}: a broker has one broker.rack`);
        ok = false;
      } else {
        rackOf.set(id, entry.key);
        ids.push(id);
      }
    });
    racks[entry.key] = ids.sort((a, b) => a - b);
  }
  const missing = (ctx.brokers ?? []).filter((id) => !rackOf.has(id));
  if (ok && missing.length > 0) {
    const which = missing.length === 1 ? `broker ${missing[0]} has` : `brokers ${missing.join(', ')} have`;
    return refuse(p, node, path, `${which} no rack: once racks are given every broker needs one (Kafka's rack-aware assignment refuses "Not all brokers have rack information")`);
  }
  return ok ? racks : undefined;
}

/** `{ rack: a }`: the brokers of a rack, named as a target of `action`. */
export function readRackTarget(ctx: Context, node: YNode, path: string, action: string): number[] | undefined {
  const rack = scalar(node);
  const name = typeof rack === 'number' ? String(rack) : rack;
  if (typeof name !== 'string' || name === '') return expected(ctx.p, node, path, 'a rack name');
  if (ctx.racks === undefined) return refuse(ctx.p, node, path, `${action} names rack ${name}, but the cluster has no racks (cluster.racks)`);
  const brokers = ctx.racks[name];
  if (brokers === undefined) {
    const known = Object.keys(ctx.racks);
    return refuse(ctx.p, node, path, `rack ${name} does not exist (racks are ${known.join(', ')})${didYouMean(name, known)}`);
  }
  return brokers;
}
