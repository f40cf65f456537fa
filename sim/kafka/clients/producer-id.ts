// InitProducerId (InitProducerIdRequest.json): an idempotent producer asks any broker for a producer
// id before its first batch (TransactionManager). Kafka's brokers take ids in blocks of 1000 from the
// controller (ProducerIdManager, AllocateProducerIds, KIP-730); here a block is handed out at once
// from one counter for the whole cluster, which keeps ids unique and in request order without
// modelling the controller round trip. Producers without idempotence get a local identity far above
// the cluster's range, only so the ledger can tell their records apart (Kafka sends −1).

export const INIT_PRODUCER_ID = 'init-producer-id';
export const INIT_PRODUCER_ID_RESPONSE = 'init-producer-id-response';

export interface InitProducerIdRequest {
  kind: typeof INIT_PRODUCER_ID;
  correlationId: number;
  transactionalId: null;
}

export interface InitProducerIdResponse {
  kind: typeof INIT_PRODUCER_ID_RESPONSE;
  correlationId: number;
  error: string;
  producerId: number;
  producerEpoch: number;
}

/** ProducerIdManager blocks (PRODUCER_ID_BLOCK_SIZE = 1000). */
const BLOCK_SIZE = 1000;
/** First identity given to a producer without idempotence. */
const LOCAL_ID_BASE = 1_000_000_000;

export class ProducerIds {
  private nextBlock = 0;
  private readonly brokerBlocks = new Map<number, { next: number; end: number }>();
  private nextLocal = LOCAL_ID_BASE;

  /** The next id from `broker`'s current block, taking a new block when it runs out. */
  allocate(broker: number): number {
    let block = this.brokerBlocks.get(broker);
    if (block === undefined || block.next >= block.end) {
      block = { next: this.nextBlock, end: this.nextBlock + BLOCK_SIZE };
      this.nextBlock += BLOCK_SIZE;
      this.brokerBlocks.set(broker, block);
    }
    return block.next++;
  }

  /** A broker that restarts forgets its block (ProducerIdManager is in memory). */
  forget(broker: number): void {
    this.brokerBlocks.delete(broker);
  }

  localId(): number {
    return this.nextLocal++;
  }
}
