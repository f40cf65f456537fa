// The consumer groups as `kafka-consumer-groups --describe` shows them: the one contract the
// expectations (src/scenario), the CLI's describe and the front end read groups through. The clients
// part answers it (clients/runtime.ts); a simulation without clients has no groups.

/** One row of `kafka-consumer-groups --describe`: the committed offset and the HW of a partition. */
export interface GroupOffsetRow {
  topic: string;
  partition: number;
  committed: number | undefined;
  /** The partition leader's HW (ListOffsets latest, READ_UNCOMMITTED). */
  logEndOffset: number | undefined;
  consumerId: string | undefined;
  host: string | undefined;
  clientId: string | undefined;
}

export interface GroupQueries {
  /** Every group with members or committed offsets, sorted. */
  groups(): string[];
  groupOffsets(group: string): GroupOffsetRow[];
  /** The group's state as DescribeGroups answers it (Empty, Stable, PreparingRebalance, CompletingRebalance, Dead). */
  groupState?(group: string): string;
  /**
   * A consumer's position in a partition it is assigned (SubscriptionState: the offset of the next record
   * it will fetch); undefined when it has no position there (not assigned, not running, or still
   * looking its offset up).
   */
  position(consumer: string, topic: string, partition: number): number | undefined;
}

/** The answer of a simulation without clients. */
export const NO_GROUPS: GroupQueries = { groups: () => [], groupOffsets: () => [], position: () => undefined };
