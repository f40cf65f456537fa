// The loss explanation the story prints: records sharing a chain fold into one line, and each step of
// the chain says its time once ("broker 1 crashed at 10s", never "… at 10s at 10s").
import { describe, it, expect } from 'vitest';
import { formatLossGroup, groupLosses } from '../../src/cli/report.ts';
import type { LostRecord } from '../../sim/kafka/index.ts';

function lost(offset: number, ackUs: number): LostRecord {
  return {
    partition: 'orders-0', producerId: 1, sequence: offset, producer: 'checkout',
    ack: { t: ackUs, broker: 1, offset, acks: 1 },
    explanation: [
      { t: ackUs, kind: 'acked', broker: 1, text: `acked by leader 1 at offset ${offset} with acks=1` },
      { t: 10_000_000, kind: 'crashed', broker: 1, text: 'broker 1 crashed at 10s' },
      { t: 18_500_000, kind: 'elected', broker: 2, text: 'broker 2 elected at 18.5s, epoch 1 without the record' },
      { t: 25_000_000, kind: 'truncated', broker: 1, text: 'broker 1 truncated offsets 7–8 at 25s (diverging-epoch)' },
    ],
    text: '',
  } as LostRecord;
}

describe('loss groups', () => {
  it('fold records with one chain into a line whose steps each say their time once', () => {
    const groups = groupLosses([lost(7, 9_999_000), lost(8, 9_999_500)]);
    expect(groups).toHaveLength(1);
    expect(formatLossGroup(groups[0])).toBe(
      'orders-0: 2 records (offsets 7–8) acked by broker 1 with acks=1 between 9.999s and 9.9995s; ' +
        'broker 1 crashed at 10s; broker 2 elected at 18.5s, epoch 1 without the record; ' +
        'broker 1 truncated offsets 7–8 at 25s (diverging-epoch)',
    );
  });
});
