// Captions on time (issue 13, point 5): a note explains the event the scenario links it to. A note on
// a step with an action explains the action; a note with `explains:` moves to the matching event
// nearest its `at` (the unclean lesson's note written at 70 s comes with the election at 68.763 s).
// The scenario format's `explains:` is read and checked by the validator.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { simulate } from '../../viz/run/simulate.ts';
import { formatError, parseScenario } from '../../src/scenario/index.ts';
import { introOf } from '../../viz/app/app.ts';

const repo = resolve(__dirname, '../..');
const UNCLEAN = 'unclean-election-loses-acked-writes';
const text = readFileSync(resolve(repo, `scenarios/library/${UNCLEAN}.yaml`), 'utf8');

describe('captions key to the event they explain', () => {
  it('the unclean lesson: the 70 s note comes with the election at 68.763 s and names it; a crash step\'s note names the crash', async () => {
    const data = await simulate({ text, fileName: `${UNCLEAN}.yaml` });
    const note = data.events.find((e) => e.type === 'note' && e.text.startsWith('No ISR member is alive'));
    expect(note?.tUs).toBe(68_763_440);
    expect(note?.type === 'note' && note.atUs).toBe(70_000_000);
    const target = note?.type === 'note' && note.explains !== undefined ? data.events[note.explains] : undefined;
    expect(target?.tUs).toBe(68_763_440);
    expect(target?.type === 'other' && target.name).toBe('unclean-election');
    // the events are still in time order
    for (let i = 1; i < data.events.length; i++) expect(data.events[i].tUs).toBeGreaterThanOrEqual(data.events[i - 1].tUs);
    const crash = data.events.find((e) => e.type === 'note' && e.text.startsWith('Broker 1, the only ISR member'));
    expect(crash?.tUs).toBe(60_000_000);
    const crashed = crash?.type === 'note' && crash.explains !== undefined ? data.events[crash.explains] : undefined;
    expect(crashed).toMatchObject({ type: 'broker', broker: 1, change: 'crashed' });
    // the ISR note (written at 50 s) comes with the shrink it describes, before 50 s
    const isr = data.events.find((e) => e.type === 'note' && e.text.startsWith('Both followers'));
    expect(isr!.tUs).toBeLessThan(50_000_000);
    expect(isr!.type === 'note' && isr!.explains !== undefined && data.events[isr!.explains].type).toBe('isr');
  });

  it('before the first note the caption is the description\'s first paragraph (or the title)', () => {
    expect(introOf('T', 'The **classic** `acks=1` story.\nSecond line.\n\nMore.')).toBe('The classic acks=1 story. Second line.');
    expect(introOf('Title only', '')).toBe('Title only');
  });
});

describe('explains: in the scenario format', () => {
  const base = (step: string) => `name: x\nduration: 10s\ncluster: { brokers: 3 }\ntopics: [{ name: orders, partitions: 1, replication.factor: 3 }]\ntimeline:\n${step}`;
  const errors = (t: string) => {
    const r = parseScenario(t, 'x.yaml');
    return r.ok ? [] : r.errors.map(formatError);
  };
  it('takes an event type or {type, partition, broker}', () => {
    const a = parseScenario(base('  - { at: 5s, note: "an election", explains: leader-elected }\n'), 'x.yaml');
    expect(a.ok && a.scenario.timeline[0].explains).toEqual({ type: 'leader-elected' });
    const b = parseScenario(base('  - { at: 5s, note: "n", explains: { type: truncated, partition: orders-0, broker: 1 } }\n'), 'x.yaml');
    expect(b.ok && b.scenario.timeline[0].explains).toEqual({ type: 'truncated', partition: 'orders-0', broker: 1 });
  });
  it('refuses an unknown type (with a suggestion), a missing type, and explains without a note', () => {
    expect(errors(base('  - { at: 5s, note: "n", explains: leader-elcted }\n')).join('\n')).toMatch(/unknown event type "leader-elcted".*leader-elected/);
    expect(errors(base('  - { at: 5s, note: "n", explains: { partition: orders-0 } }\n')).join('\n')).toMatch(/type/);
    expect(errors(base('  - { at: 5s, crash: 1, explains: broker-crashed }\n')).join('\n')).toMatch(/explains: names the event a note explains; this step has no note/);
  });
});
