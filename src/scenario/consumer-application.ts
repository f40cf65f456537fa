// A consumer's `processing:` and `commit:`: how long its application takes over the records each
// poll() returns, and when it commits (sim/kafka/clients/consumer-application.ts, commit-mode.ts).
//
//   processing: 5ms                               every record takes 5 ms
//   processing: { min: 2ms, max: 20ms }           each record's time drawn uniformly (the consumer's own stream)
//   processing: { per-record: 1ms, per-poll: 50ms }   50 ms per poll() (before its records), 1 ms per record
//   commit: auto | sync | async | before-processing | none
//
// `commit: auto` is enable.auto.commit=true; the other modes commit by hand, so they need
// enable.auto.commit false (implied when the config does not set it; a config that says true is an
// error, as it would commit behind the application's back). Without `commit:`, the config decides:
// auto when enable.auto.commit is true (Kafka's default), none otherwise.

import { configBoolean, type ConfigMap } from '../../sim/kafka/config.ts';
import { COMMIT_MODES, type CommitMode, type ConsumerApplicationSpec, type ProcessingSpec } from '../../sim/kafka/spec.ts';
import type { Problems } from './errors.ts';
import { asMap, key, keysOf, readDuration, readEnum } from './reader.ts';
import type { YEntry, YNode } from './tree.ts';

/** The application model, or undefined when the consumer has neither `processing:` nor `commit:` (instant, as always). */
export function readApplication(p: Problems, k: Record<string, YEntry>, path: string, config: ConfigMap, configNode: YNode | undefined): ConsumerApplicationSpec | undefined {
  if (!k.processing && !k.commit) return undefined;
  const processing = k.processing ? readProcessing(p, k.processing.value, key(path, 'processing')) : { perRecord: { minUs: 0, maxUs: 0 }, perPollUs: 0 };
  const commit = k.commit ? readEnum(p, k.commit.value, key(path, 'commit'), COMMIT_MODES) : defaultCommit(config);
  if (commit !== undefined && k.commit) checkAutoCommit(p, commit, config, configNode, k.commit.value, path);
  return processing === undefined || commit === undefined ? undefined : { processing, commit };
}

function defaultCommit(config: ConfigMap): CommitMode {
  return configBoolean('consumer', 'enable.auto.commit', config) ? 'auto' : 'none';
}

function checkAutoCommit(p: Problems, commit: CommitMode, config: ConfigMap, configNode: YNode | undefined, commitNode: YNode, path: string): void {
  if (!Object.prototype.hasOwnProperty.call(config, 'enable.auto.commit')) return;
  const auto = config['enable.auto.commit'] === true;
  if (auto === (commit === 'auto')) return;
  const entry = configNode?.kind === 'map' ? configNode.entries.find((e) => e.key === 'enable.auto.commit') : undefined;
  const why = commit === 'auto'
    ? 'commit: auto is enable.auto.commit=true, but the config sets it to false'
    : `commit: ${commit} commits by hand, so enable.auto.commit must be false (or left out); the config sets it to true`;
  p.add((entry?.value ?? commitNode).pos, entry ? key(key(path, 'config'), 'enable.auto.commit') : key(path, 'commit'), why);
}

const WHAT = 'a duration per record (5ms), a range {min: 2ms, max: 20ms}, or {per-record: 1ms, per-poll: 50ms}';

function readProcessing(p: Problems, node: YNode, path: string): ProcessingSpec | undefined {
  if (node.kind !== 'map') {
    const us = readDuration(p, node, path);
    return us === undefined ? undefined : { perRecord: { minUs: us, maxUs: us }, perPollUs: 0 };
  }
  const map = asMap(p, node, path, WHAT);
  if (!map) return undefined;
  const isRange = map.entries.some((e) => e.key === 'min' || e.key === 'max');
  if (isRange) {
    const perRecord = readRange(p, node, path);
    return perRecord === undefined ? undefined : { perRecord, perPollUs: 0 };
  }
  const k = keysOf(p, map, path, ['per-record', 'per-poll']);
  if (!k['per-record'] && !k['per-poll']) {
    p.add(map.pos, path, `expected ${WHAT}`);
    return undefined;
  }
  const perRecord = k['per-record'] ? readPerRecord(p, k['per-record'].value, key(path, 'per-record')) : { minUs: 0, maxUs: 0 };
  const perPollUs = k['per-poll'] ? readDuration(p, k['per-poll'].value, key(path, 'per-poll')) : 0;
  return perRecord === undefined || perPollUs === undefined ? undefined : { perRecord, perPollUs };
}

function readPerRecord(p: Problems, node: YNode, path: string): { minUs: number; maxUs: number } | undefined {
  if (node.kind === 'map') return readRange(p, node, path);
  const us = readDuration(p, node, path);
  return us === undefined ? undefined : { minUs: us, maxUs: us };
}

function readRange(p: Problems, node: YNode, path: string): { minUs: number; maxUs: number } | undefined {
  const map = asMap(p, node, path, 'a range {min: 2ms, max: 20ms}');
  if (!map) return undefined;
  const k = keysOf(p, map, path, ['min', 'max'], { required: ['min', 'max'] });
  const minUs = k.min && readDuration(p, k.min.value, key(path, 'min'));
  const maxUs = k.max && readDuration(p, k.max.value, key(path, 'max'));
  if (minUs === undefined || maxUs === undefined) return undefined;
  if (maxUs < minUs) {
    p.add(k.max!.value.pos, key(path, 'max'), `max (${maxUs / 1000}ms) must not be below min (${minUs / 1000}ms)`);
    return undefined;
  }
  return { minUs, maxUs };
}
