// AlterPartition (KIP-497): how a partition leader asks the controller to change the ISR (or to mark
// the partition recovered after an unclean election, KIP-704), and how it takes the answer. At most
// one change per partition is in flight (Partition.partitionState: PendingExpandIsr /
// PendingShrinkIsr); the ISR the leader works with changes only when the controller has committed it
// (Partition.handleAlterPartitionUpdate); what is not answered is sent again (AlterPartitionManager).

import type { BrokerServices } from './broker-services.ts';
import { msToUs } from './effective-config.ts';
import type { PartitionRegistration } from './metadata-image.ts';
import type { Envelope } from './network.ts';
import type { Partition } from './partition.ts';
import type { AlterPartitionResponse } from './protocol.ts';

export interface AlterItem {
  p: Partition;
  isr: number[];
  expand: boolean;
  recovery: PartitionRegistration['leaderRecoveryState'];
}

/**
 * Sends one AlterPartition for the items; each partition's change stays pending until answered.
 * A resend carries the same proposed state under the same correlation id, so an answer to any copy
 * applies, as Partition.handleAlterPartitionUpdate matches the proposed state, not the request.
 * `partitions` is the broker's partition map, to tell a partition it no longer holds.
 */
export function submitAlterPartition(b: BrokerServices, partitions: ReadonlyMap<number, Partition>, items: AlterItem[], resendOf?: number): void {
  const correlationId = resendOf ?? b.correlationId();
  for (const it of items) {
    it.p.pendingIsr = { isr: it.isr, expand: it.expand, correlationId, leaderRecoveryState: it.recovery };
  }
  b.send(b.controllerNode(), {
    kind: 'alter-partition', correlationId, brokerId: b.id, brokerEpoch: b.brokerEpoch,
    partitions: items.map(({ p, isr }) => ({
      topic: p.topic, partition: p.partition, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch,
      newIsrWithEpochs: isr.map((id) => ({ brokerId: id, brokerEpoch: id === b.id ? b.brokerEpoch : (p.follower(id)?.brokerEpoch ?? -1) })),
    })),
  });
  // AlterPartitionManager resends what the controller did not answer; a timeout of 0 still waits a
  // millisecond, so the resend loop lets simulated time pass (fuzz: controller-socket-timeout-0)
  b.ctx.after(Math.max(msToUs(b.num('controller.socket.timeout.ms')), msToUs(1)), () => {
    const still = items.filter(({ p }) => p.isLeader && p.pendingIsr?.correlationId === correlationId && partitions.get(p.idx) === p);
    if (still.length > 0) {
      submitAlterPartition(b, partitions, still.map(({ p }) => ({ p, isr: p.pendingIsr!.isr, expand: p.pendingIsr!.expand, recovery: p.pendingIsr!.leaderRecoveryState })), correlationId);
    }
  });
}

type AnsweredItem = AlterPartitionResponse['partitions'][number];

/**
 * Partition.handleAlterPartitionUpdate for one partition of an answer: the pending change is over;
 * the committed state the controller returns becomes the partition's (true), unless the answer is an
 * error or older than what the partition knows (false; the change is retried by the next fetch or
 * expiration check).
 */
export function applyAlterPartitionAnswer(p: Partition, resp: AlterPartitionResponse, item: AnsweredItem): boolean {
  if (p.pendingIsr === null || p.pendingIsr.correlationId !== resp.correlationId) return false;
  p.pendingIsr = null;
  if (resp.error !== 'NONE' || item.error !== 'NONE') return false;
  if (item.partitionEpoch <= p.partitionEpoch || item.leaderEpoch !== p.leaderEpoch) return false;
  p.isr = [...item.isr];
  p.partitionEpoch = item.partitionEpoch;
  p.leaderRecoveryState = 'RECOVERED';
  return true;
}

/** A request-level error (STALE_BROKER_EPOCH): every change it carried is no longer pending. */
export function dropPendingAfterError(partitions: ReadonlyMap<number, Partition>, msg: Envelope<AlterPartitionResponse>): void {
  const resp = msg.body;
  if (resp.error === 'NONE') return;
  for (const p of partitions.values()) {
    if (p.pendingIsr?.correlationId === resp.correlationId) p.pendingIsr = null;
  }
}
