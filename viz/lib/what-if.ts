// What if: the same scenario and seed with one config changed. The override is applied to the
// parsed simulation input, at every level where Kafka would read it (a topic-level setting wins over
// the broker's, so a broker config is also set on each topic that overrides it).

import { CONFIGS, configValue, normalizeConfigValue, type ConfigMap, type ConfigValue } from '../../sim/kafka/config.ts';
import { CURRENT_VERSION } from '../../sim/kafka/versions.ts';

/** The what-if that runs the same scenario on another Kafka release's defaults (cluster.kafka.version). */
export const VERSION_KEY = 'kafka.version';

export const WHAT_IF_KEYS: readonly { key: string; scope: 'broker+topic' | 'producer' | 'version'; values: readonly string[]; doc: string }[] = [
  { key: 'unclean.leader.election.enable', scope: 'broker+topic', values: ['true', 'false'], doc: 'elect an out-of-sync replica rather than stay leaderless' },
  { key: 'min.insync.replicas', scope: 'broker+topic', values: ['1', '2', '3'], doc: 'ISR size acks=all needs' },
  { key: 'acks', scope: 'producer', values: ['0', '1', 'all'], doc: 'acknowledgements the producers wait for' },
  { key: 'enable.idempotence', scope: 'producer', values: ['true', 'false'], doc: 'producer ids and sequences: no duplicates on retry' },
  { key: 'replica.lag.time.max.ms', scope: 'broker+topic', values: ['10000', '30000'], doc: 'how long a lagging follower stays in the ISR' },
  // today's scenarios compare with 2.4 first, old ones with 4.0
  { key: VERSION_KEY, scope: 'version', values: ['2.4', '4.0', '3.0', '3.6', '0.10'], doc: 'the same run on another Kafka release\'s defaults and behaviours (kafkasim versions lists what changed when)' },
];

/** The subset of the simulation input an override touches (structurally, ClusterSpec). */
export interface OverridableSpec {
  kafkaVersion?: string;
  brokerConfig: ConfigMap;
  topics: { config: ConfigMap }[];
  producers: { config: ConfigMap }[];
}

/** A config value as the validator normalises it, through the catalog (acks "-1" → "all", "2" → 2). */
export function parseConfigValue(key: string, text: string): ConfigValue {
  const def = CONFIGS.producer[key] ?? CONFIGS.topic[key] ?? CONFIGS.broker[key];
  if (!def) return text;
  return normalizeConfigValue(def, text);
}

/** Broker configs a topic can override (the topic's value wins). */
const TOPIC_LEVEL = new Set(['min.insync.replicas', 'unclean.leader.election.enable']);

/**
 * The value the scenario itself gives a what-if key ("as written"), as the value lists spell it;
 * undefined when producers (or topics) disagree, or there are none to ask.
 */
export function writtenValue(spec: OverridableSpec, key: string): string | undefined {
  const def = WHAT_IF_KEYS.find((k) => k.key === key);
  if (!def) return undefined;
  if (def.scope === 'version') return spec.kafkaVersion ?? CURRENT_VERSION;
  let values: string[];
  if (def.scope === 'producer') values = spec.producers.map((p) => String(configValue('producer', key, p.config)));
  else if (TOPIC_LEVEL.has(key) && spec.topics.length) values = spec.topics.map((t) => String(configValue('broker', key, t.config, spec.brokerConfig)));
  else values = [String(configValue('broker', key, spec.brokerConfig))];
  return values.length && values.every((v) => v === values[0]) ? values[0] : undefined;
}

/**
 * Why overrides cannot run, one line each: a key the what-if does not change, or a value outside its
 * list (a link can say anything; without this an unknown key ran the scenario unchanged, unsaid).
 */
export function whatIfErrors(overrides: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [key, text] of Object.entries(overrides)) {
    const def = WHAT_IF_KEYS.find((k) => k.key === key);
    if (!def) out.push(`what-if on ${key}, not a setting the what-if changes (What if… lists them): the scenario runs as written`);
    else if (def.scope !== 'version' && !def.values.includes(text)) out.push(`what-if ${key}=${text}, not one of its values (${def.values.join(', ')}): the scenario runs as written`);
  }
  return out;
}

/** A copy of the spec with the overrides applied. */
export function applyWhatIf<S extends OverridableSpec>(spec: S, overrides: Record<string, string>): S {
  const out = structuredClone(spec);
  for (const [key, text] of Object.entries(overrides)) {
    const def = WHAT_IF_KEYS.find((k) => k.key === key);
    if (def?.scope === 'version') continue; // a version is applied to the scenario's text (textWithVersion)
    const value = parseConfigValue(key, text);
    if (def?.scope === 'producer') {
      for (const p of out.producers) p.config[key] = value;
    } else {
      out.brokerConfig[key] = value;
      if (TOPIC_LEVEL.has(key)) for (const t of out.topics) if (key in t.config) t.config[key] = value;
    }
  }
  return out;
}

