// Brokers a timeline step chooses when it runs, instead of ids written in the file, so one scenario
// describes a family of failures: `{any-of: [1, 2, 3]}` (one broker drawn uniformly from the list,
// from the step's own random stream), `leader-of orders-0` or `{leader-of: orders-0}` (the broker
// leading that partition in the controller's committed metadata at that moment) and, for restart
// only, `crashed` (every broker then crashed or stopped). Read into sim/kafka/spec.ts's BrokerChoice.

import type { BrokerChoice } from '../../sim/kafka/spec.ts';
import type { Context } from './context.ts';
import { asSeq, exactlyOne, expected, item, key, keysOf, refuse, scalar, unknownKey } from './reader.ts';
import type { YMap, YNode } from './tree.ts';

/** Which choices an action takes: any-of always; leader-of and crashed as given. */
export interface ChoiceRules {
  leaderOf: boolean;
  crashed: boolean;
}

const LEADER_OF = /^leader-of(?:\s+(\S.*))?$/;

/** True when the value is written as a choice (a mapping, `leader-of …`, `any-of …`, `crashed`), not as ids. */
export function writtenAsChoice(node: YNode): boolean {
  if (node.kind === 'map') return true;
  const v = scalar(node);
  return typeof v === 'string' && (v === 'crashed' || LEADER_OF.test(v) || /^any-of(\s|$)/.test(v));
}

export function readBrokerChoice(ctx: Context, node: YNode, path: string, atUs: number | undefined, action: string, rules: ChoiceRules): BrokerChoice | undefined {
  if (node.kind === 'map') return readChoiceMap(ctx, node, path, atUs, action, rules);
  const text = scalar(node) as string;
  if (text === 'crashed') {
    return rules.crashed ? { choose: 'crashed' } : refuse(ctx.p, node, path, `crashed chooses the brokers to restart; ${action} takes ${choicesText(rules)}`);
  }
  const leaderOf = LEADER_OF.exec(text);
  if (leaderOf) {
    if (!rules.leaderOf) return refuse(ctx.p, node, path, `${action} takes ${choicesText(rules)}, not leader-of`);
    if (leaderOf[1] === undefined) return expected(ctx.p, node, path, 'a partition after leader-of, like leader-of orders-0');
    // the partition is checked as if written alone; messages point at the value as a whole
    return leaderOfChoice(ctx, { kind: 'scalar', pos: node.pos, value: leaderOf[1].trim() }, path, atUs);
  }
  return refuse(ctx.p, node, path, `write any-of as a mapping with a list: {any-of: [1, 2, 3]}`);
}

function readChoiceMap(ctx: Context, node: YMap, path: string, atUs: number | undefined, action: string, rules: ChoiceRules): BrokerChoice | undefined {
  const known = rules.leaderOf ? ['any-of', 'leader-of'] : ['any-of'];
  const unknown = (name: string): string => (name === 'leader-of' ? `${action} takes ${choicesText(rules)}, not leader-of` : unknownKey(name, known));
  const k = keysOf(ctx.p, node, path, known, { unknown });
  if (node.entries.some((e) => !known.includes(e.key))) return undefined;
  const which = exactlyOne(ctx.p, node, path, k, known);
  if (which === 'leader-of') return leaderOfChoice(ctx, k['leader-of'].value, key(path, 'leader-of'), atUs);
  return which === 'any-of' ? readAnyOf(ctx, k['any-of'].value, key(path, 'any-of')) : undefined;
}

function leaderOfChoice(ctx: Context, node: YNode, path: string, atUs: number | undefined): BrokerChoice | undefined {
  const partition = ctx.partition(node, path, atUs);
  return partition === undefined ? undefined : { choose: 'leader-of', partition };
}

/** A list of distinct existing broker ids, at least one. */
function readAnyOf(ctx: Context, node: YNode, path: string): BrokerChoice | undefined {
  const list = asSeq(ctx.p, node, path, 'a list of broker ids to draw one from, like [1, 2, 3]');
  if (!list) return undefined;
  if (list.items.length === 0) return expected(ctx.p, node, path, 'at least one broker id to draw from');
  const brokers: number[] = [];
  const seen = new Set<number>();
  list.items.forEach((n, i) => {
    const id = ctx.broker(n, item(path, i));
    if (id !== undefined && seen.has(id)) ctx.p.add(n.pos, item(path, i), `broker ${id} is listed twice`);
    else if (id !== undefined) {
      brokers.push(id);
      seen.add(id);
    }
  });
  return brokers.length === list.items.length ? { choose: 'any-of', brokers } : undefined;
}

/** "ids, {any-of: [...]} or crashed", for messages. */
function choicesText(rules: ChoiceRules): string {
  const forms = ['ids', '{any-of: [...]}', ...(rules.leaderOf ? ['leader-of <partition>'] : []), ...(rules.crashed ? ['crashed'] : [])];
  return `${forms.slice(0, -1).join(', ')} or ${forms[forms.length - 1]}`;
}
