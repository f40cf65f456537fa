// The event log's sentences (viz/views/prose.ts): trace events the viz has no type for are said in
// words, never as `name key=value`; bookkeeping is left out of the log.
import { describe, it, expect } from 'vitest';
import { isLogged, logLine, rawFields } from '../../viz/views/prose.ts';
import type { VizEvent } from '../../viz/lib/events.ts';

const other = (name: string, text: string): VizEvent => ({ tUs: 1, type: 'other', name, text });

describe('event log prose', () => {
  it('reads the raw fields back, values with spaces and JSON included', () => {
    expect(rawFields('client-disconnect client=checkout broker=1 why=timeout', 'client-disconnect')).toEqual({ client: 'checkout', broker: '1', why: 'timeout' });
    expect(rawFields('rejoin-requested client=billing-1 group=billing reason=the group is rebalancing', 'rejoin-requested')).toEqual({ client: 'billing-1', group: 'billing', reason: 'the group is rebalancing' });
    expect(rawFields('assignment client=b group=g partitions=["orders-0","orders-1"]', 'assignment')!.partitions).toBe('["orders-0","orders-1"]');
  });

  it('says the issue\'s example, and others, in words', () => {
    expect(logLine(other('client-disconnect', 'client-disconnect client=checkout broker=1 why=timeout'))).toBe('checkout loses its connection to broker 1 (the request timed out)');
    expect(logLine(other('assignment', 'assignment client=billing-1 group=billing generation=2 protocol=range partitions=["orders-0","orders-1"]'))).toBe('billing-1 is given orders-0, orders-1 (generation 2)');
    expect(logLine(other('elect-leaders', 'elect-leaders electionType=preferred results=[{"partition":"orders-0","error":"NONE"},{"partition":"orders-1","error":"ELECTION_NOT_NEEDED"}]'))).toBe('an operator runs a preferred leader election: orders-0 moved, 1 not needed or refused');
    // normalize.ts's own sentence with an empty field: tidied.
    expect(logLine(other('offset-reset', 'billing-1 resets its position on  from -1 to 0 (no committed offset)'))).toBe('billing-1 resets its position from -1 to 0 (no committed offset)');
    // An unknown trace event: a phrase, not key=value.
    const unknown = logLine(other('some-new-thing', 'some-new-thing client=a brokers=[1,2]'))!;
    expect(unknown).toBe('some new thing: client a, brokers 1, 2');
    expect(unknown).not.toMatch(/=/);
  });

  it('leaves bookkeeping out: the ledger\'s counts, lost-record lines, per-record and per-fetch events', () => {
    expect(isLogged(other('ledger', 'ledger produced=1 acked=1 lost=0 unavailable=0 duplicates=0'))).toBe(false);
    expect(isLogged(other('record-lost', 'record-lost partition=orders-0 offset=3'))).toBe(false);
    expect(isLogged({ tUs: 1, type: 'hw', partition: 'p-0', broker: 1, hw: 3 })).toBe(false);
    expect(isLogged({ tUs: 1, type: 'broker', broker: 1, change: 'crashed' })).toBe(true);
    expect(isLogged(other('client-disconnect', 'client-disconnect client=c broker=1 why=disconnect'))).toBe(true);
  });
});
