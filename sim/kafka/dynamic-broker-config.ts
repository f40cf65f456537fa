// Which broker configs `kafka-configs --alter --entity-type brokers` may change on a running cluster.
// From Kafka 1.1 (KIP-226) DynamicBrokerConfig.validateConfigs refuses every config outside
// DynamicConfig.Broker (nonDynamicProps) with "Cannot update these configs dynamically: Set(…)",
// which ConfigAdminManager answers as INVALID_REQUEST, and nothing of the request is applied. Of the
// broker configs kafkasim knows, the dynamic ones are the first broker synonym of each topic config
// (DynamicLogConfig.ReconfigurableConfigs = ServerTopicConfigSynonyms.TOPIC_CONFIG_SYNONYMS: so
// log.retention.ms but not log.retention.minutes/hours, log.roll.ms but not log.roll.hours,
// log.flush.interval.ms but not log.flush.scheduler.interval.ms), num.replica.fetchers
// (DynamicThreadPool) and the replication quotas (QuotaConfig.brokerQuotaConfigs). Everything else —
// replica.lag.time.max.ms, the retention check interval, the auto-rebalance settings, the session
// timeouts — is read from server.properties at start only. Deleting a config is never refused: the
// check looks at the configs the request leaves set.
// Before 1.1, DynamicConfig.Broker held the two replication throttle rates alone (KIP-73); kafkasim
// applies the 1.1 rule to older versions too, because a step on one broker is a scenario's only way to
// give that broker a setting of its own (what server.properties did then).

/** DynamicConfig.Broker ∩ kafkasim's broker configs (Kafka 1.1 on). */
const DYNAMIC_BROKER_CONFIGS: ReadonlySet<string> = new Set([
  // DynamicLogConfig.ReconfigurableConfigs: the first synonym of each topic config
  'log.segment.bytes', 'log.roll.ms', 'log.flush.interval.messages', 'log.flush.interval.ms', 'log.retention.bytes', 'log.retention.ms',
  'unclean.leader.election.enable', 'min.insync.replicas',
  // DynamicThreadPool.ReconfigurableConfigs
  'num.replica.fetchers',
  // QuotaConfig.brokerQuotaConfigs
  'leader.replication.throttled.rate', 'follower.replication.throttled.rate',
]);

/** The tool's error for setting `names` on a broker, or undefined when Kafka accepts them all. */
export function dynamicBrokerConfigError(names: readonly string[]): { code: 'INVALID_REQUEST'; message: string } | undefined {
  const refused = names.filter((n) => !DYNAMIC_BROKER_CONFIGS.has(n));
  if (refused.length === 0) return undefined;
  return { code: 'INVALID_REQUEST', message: `Cannot update these configs dynamically: Set(${refused.join(', ')})` };
}
