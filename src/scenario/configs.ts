// Kafka configs in a scenario (cluster.config, topics[].config, producers[].config, consumers[].config,
// alter-config): checked against the catalog in sim/kafka/config.ts for the right scope, type and
// range, as Kafka's ConfigDef would, and normalised (acks: -1 → all, "30000" → 30000). A misplaced or
// unmodelled name gets a message that says where it belongs or why kafkasim does not simulate it.

import { configIntroducedAfter, type KafkaVersion } from '../../sim/kafka/versions.ts';
import {
  CONFIGS, LONG_MAX, UNMODELED, normalizeConfigValue,
  type ConfigDef, type ConfigMap, type ConfigScope, type ConfigValue,
} from '../../sim/kafka/config.ts';
import type { Problems, SourcePos } from './errors.ts';
import { own } from './own.ts';
import { asMap, describe, isEmpty, key, scalar } from './reader.ts';
import { didYouMean } from './suggest.ts';
import type { YNode } from './tree.ts';

const SCOPES: readonly ConfigScope[] = ['broker', 'topic', 'producer', 'consumer'];

const WHERE: Readonly<Record<ConfigScope, string>> = {
  broker: 'cluster.config, or alter-config with broker:',
  topic: 'topics[].config, or alter-config with topic:',
  producer: 'producers[].config',
  consumer: 'consumers[].config',
};

/** Topic configs and the broker-wide default each overrides (Kafka's ServerTopicConfigSynonyms). */
const TOPIC_TO_BROKER: Readonly<Record<string, string>> = {
  'flush.messages': 'log.flush.interval.messages',
  'flush.ms': 'log.flush.interval.ms',
  'retention.ms': 'log.retention.ms',
  'retention.bytes': 'log.retention.bytes',
  'segment.bytes': 'log.segment.bytes',
  'cleanup.policy': 'log.cleanup.policy',
  'max.message.bytes': 'message.max.bytes',
};
const BROKER_TO_TOPIC: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(TOPIC_TO_BROKER).map(([t, b]) => [b, t]));

/** Java's Long.MAX_VALUE, which people write to mean "never"; it stands for LONG_MAX here. */
const JAVA_LONG_MAX = 9223372036854775807;

/** Reads a mapping of config names to values for one scope. */
export function readConfigMap(p: Problems, node: YNode, path: string, scope: ConfigScope, version?: KafkaVersion): ConfigMap {
  const configs: ConfigMap = {};
  if (isEmpty(node)) return configs;
  const map = asMap(p, node, path, `a mapping of ${scope} config names to values`);
  for (const entry of map?.entries ?? []) {
    // a config the scenario's Kafka version did not have yet (versions.ts)
    const later = version === undefined ? undefined : configIntroducedAfter(version, scope, entry.key);
    if (later) {
      p.add(entry.keyPos, key(path, entry.key), `${entry.key} appeared in Kafka ${later.since} (${later.source}); this scenario runs Kafka ${version} (cluster.kafka.version)`);
      continue;
    }
    const def = configDef(p, entry.keyPos, key(path, entry.key), scope, entry.key);
    const value = def && readConfigValue(p, entry.value, key(path, entry.key), entry.key, def);
    if (value !== undefined) configs[entry.key] = value;
  }
  return configs;
}

/** The definition of a config name in a scope, or undefined after saying why the name is refused. */
export function configDef(p: Problems, pos: SourcePos, path: string, scope: ConfigScope, name: string): ConfigDef | undefined {
  const def = own(CONFIGS[scope], name);
  if (def) return def;
  p.add(pos, path, refusal(scope, name));
  return undefined;
}

function refusal(scope: ConfigScope, name: string): string {
  const unmodelled = own(UNMODELED[scope], name);
  if (unmodelled !== undefined) return `"${name}" is a real ${scope} config that kafkasim does not model: ${unmodelled}`;
  const topicName = own(BROKER_TO_TOPIC, name);
  if (scope === 'topic' && topicName) return `"${name}" is a broker config; its topic-level override is "${topicName}"`;
  const brokerName = own(TOPIC_TO_BROKER, name);
  if (scope === 'broker' && brokerName) return `"${name}" is a topic config; the broker-wide default is "${brokerName}"`;
  const others = SCOPES.filter((s) => s !== scope && (own(CONFIGS[s], name) || own(UNMODELED[s], name) !== undefined));
  if (others.length > 0) {
    return `"${name}" is a ${others.join(' and ')} config, not a ${scope} config (set it in ${others.map((s) => WHERE[s]).join('; ')})`;
  }
  return `unknown ${scope} config "${name}"${didYouMean(name, Object.keys(CONFIGS[scope]))}`;
}

/** Checks one value against its definition and returns it normalised. */
export function readConfigValue(p: Problems, node: YNode, path: string, name: string, def: ConfigDef): ConfigValue | undefined {
  if (node.kind === 'scalar' && node.broken) return undefined;
  const raw = rawValue(node);
  const result = raw === undefined ? { error: `expected a value for ${name}, got ${describe(node)}` } : checkValue(raw, name, def);
  if ('error' in result) {
    p.add(node.pos, path, result.error);
    return undefined;
  }
  return normalizeConfigValue(def, result.value);
}

/** A scalar, or a list of scalars (for list configs); anything else is not a config value. */
function rawValue(node: YNode): string | number | boolean | string[] | undefined {
  if (node.kind === 'seq') {
    const items = node.items.map(scalar);
    return items.every((v) => typeof v === 'string' || typeof v === 'number') ? items.map(String) : undefined;
  }
  const v = scalar(node);
  return v === null || v === undefined ? undefined : v;
}

type Checked = { value: ConfigValue } | { error: string };

function checkValue(raw: string | number | boolean | string[], name: string, def: ConfigDef): Checked {
  const invalid = (why: string): Checked => ({ error: `invalid value ${show(raw)} for ${name}: ${why}` });
  switch (def.type) {
    case 'int':
    case 'long':
    case 'short':
      return checkInteger(raw, def, invalid);
    case 'boolean':
      return checkBoolean(raw, invalid);
    case 'enum':
      return Array.isArray(raw) ? invalid(`expected one of ${allowed(def)}`) : checkChoice(String(raw), def, invalid);
    case 'list':
      return checkList(raw, def, invalid);
    case 'string':
      return typeof raw === 'string' ? { value: raw } : invalid('expected a text');
  }
}

function checkInteger(raw: string | number | boolean | string[], def: ConfigDef, invalid: (why: string) => Checked): Checked {
  // Kafka parses numbers given as text ("30000"), so a quoted number is accepted too.
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n)) return invalid(`expected ${def.type === 'int' ? 'an integer' : `a whole number (${def.type})`}`);
  const value = def.type === 'long' && n >= JAVA_LONG_MAX ? LONG_MAX : n;
  if (!Number.isSafeInteger(value)) return invalid('the number is too large');
  if (def.min !== undefined && value < def.min) return invalid(`value must be at least ${def.min}`);
  if (def.max !== undefined && value > def.max) return invalid(`value must be at most ${def.max}`);
  return { value };
}

function checkBoolean(raw: string | number | boolean | string[], invalid: (why: string) => Checked): Checked {
  if (typeof raw === 'boolean') return { value: raw };
  // Kafka's ConfigDef reads "true"/"false" in any case.
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return { value: raw.trim().toLowerCase() === 'true' };
  return invalid('expected true or false');
}

function checkChoice(value: string, def: ConfigDef, invalid: (why: string) => Checked): Checked {
  if (choices(def).includes(value)) return { value };
  return invalid(`expected one of ${allowed(def)}${didYouMean(value, choices(def))}`);
}

function checkList(raw: string | number | boolean | string[], def: ConfigDef, invalid: (why: string) => Checked): Checked {
  if (typeof raw === 'boolean') return invalid('expected a list');
  const items = Array.isArray(raw) ? raw : String(raw).split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (items.length === 0) return invalid('the list must not be empty');
  if (def.itemPattern) {
    const bad = items.find((x) => !def.itemPattern!.test(x));
    if (bad !== undefined) return invalid(`"${bad}" is not ${def.itemDoc}`);
  }
  if (def.values) {
    const bad = items.find((x) => !choices(def).includes(x));
    if (bad !== undefined) return invalid(`"${bad}" is not one of ${allowed(def)}${didYouMean(bad, choices(def))}`);
  }
  return { value: items };
}

function choices(def: ConfigDef): string[] {
  return [...(def.values ?? []), ...Object.keys(def.aliases ?? {})];
}

/** The canonical values only: aliases (-1, Java class names) are accepted but would crowd the message. */
function allowed(def: ConfigDef): string {
  return (def.values ?? []).join(', ');
}

function show(raw: string | number | boolean | string[]): string {
  return Array.isArray(raw) ? `[${raw.join(', ')}]` : typeof raw === 'string' ? `"${raw}"` : String(raw);
}
