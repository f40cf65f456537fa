// How a client classifies Kafka's error codes (clients/…/common/protocol/Errors.java): which are
// retriable (their exception extends RetriableException) and which mean the client's metadata is
// stale (InvalidMetadataException), which makes it refresh at once (Sender.completeBatch,
// AbstractFetch.handleInitializeErrors).

const RETRIABLE = new Set([
  'NOT_LEADER_OR_FOLLOWER', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'REQUEST_TIMED_OUT',
  'UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH',
  'NETWORK_EXCEPTION', 'CORRUPT_MESSAGE', 'KAFKA_STORAGE_ERROR', 'OFFSET_NOT_AVAILABLE', 'BROKER_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'NOT_CONTROLLER',
  'REPLICA_NOT_AVAILABLE', 'UNSTABLE_OFFSET_COMMIT', 'THROTTLING_QUOTA_EXCEEDED',
]);

/** InvalidMetadataException and its subclasses (NotLeaderOrFollower, UnknownTopicOrPartition, …). */
const INVALID_METADATA = new Set([
  'NOT_LEADER_OR_FOLLOWER', 'UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH', 'KAFKA_STORAGE_ERROR', 'REPLICA_NOT_AVAILABLE', 'BROKER_NOT_AVAILABLE',
]);

export function isRetriable(code: string): boolean {
  return RETRIABLE.has(code);
}

export function isInvalidMetadata(code: string): boolean {
  return INVALID_METADATA.has(code);
}
