// Fetch from the closest replica (KIP-392): with replica.selector.class = RackAwareReplicaSelector a
// leader answers a consumer that sent its client.rack with the replica it should read from instead
// (ReplicaManager.findPreferredReadReplica): among the in-sync followers that hold the fetch offset,
// and the leader itself, those in the consumer's rack; the leader if it is one of them, else the most
// caught-up (RackAwareReplicaSelector, ReplicaView.comparator: the largest log end offset, then the
// shortest time since caught up). No rack, or no replica in it: the leader (no preferred replica).

import type { BrokerServices } from './broker-services.ts';
import type { Partition } from './partition.ts';
import { rackOfBroker } from './spec.ts';

export const RACK_AWARE_REPLICA_SELECTOR = 'org.apache.kafka.common.replica.RackAwareReplicaSelector';

/** The broker a consumer in `rackId` should fetch `p` from, when it is not this leader; undefined: the leader. */
export function findPreferredReadReplica(b: BrokerServices, p: Partition, rackId: string | undefined, fetchOffset: number): number | undefined {
  if (rackId === undefined || rackId === '' || b.value('replica.selector.class') !== RACK_AWARE_REPLICA_SELECTOR) return undefined;
  const racks = rackOfBroker(b.cluster.spec);
  if (racks.get(b.id) === rackId) return undefined; // the leader is in the consumer's rack
  // a follower's log start follows the leader's (the leader does not track it here): below it, no follower has the offset
  if (fetchOffset < p.log.logStartOffset) return undefined;
  let best: { id: number; leo: number; sinceCaughtUpUs: number } | undefined;
  for (const f of p.followers) {
    // followers out of the ISR may lag behind; the fetch offset must be in the follower's log
    if (!p.isr.includes(f.brokerId) || f.logEndOffset < fetchOffset || racks.get(f.brokerId) !== rackId) continue;
    const c = { id: f.brokerId, leo: f.logEndOffset, sinceCaughtUpUs: b.now - f.lastCaughtUpTimeUs };
    // ReplicaView.comparator, max: larger log end offset, then shorter time since caught up, then the endpoint ("id:host:port")
    if (best === undefined || c.leo > best.leo || (c.leo === best.leo && (c.sinceCaughtUpUs < best.sinceCaughtUpUs || (c.sinceCaughtUpUs === best.sinceCaughtUpUs && String(c.id) > String(best.id))))) best = c;
  }
  return best?.id;
}
