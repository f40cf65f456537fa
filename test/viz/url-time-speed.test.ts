// The URL reproduces what the presenter shows; times survive the round trip to the microsecond.
import { describe, it, expect } from 'vitest';
import { encodeBase64Url, formatUrlTime, MAX_LINK_TEXT_BYTES, parseUrlTime, readUrlState, writeUrlState } from '../../viz/lib/url-state.ts';
import { formatSeconds, parseSecondsToUs, usToSecondsText, formatDuration } from '../../viz/lib/time.ts';
import { advance, nearestSpeedIndex, SPEED_STEPS, formatSpeed } from '../../viz/lib/speed.ts';

describe('time text', () => {
  it('round-trips microseconds through decimal seconds exactly', () => {
    for (const us of [0, 1, 999_999, 1_000_000, 12_500_000, 40_123_456, 3_600_000_001]) {
      expect(parseSecondsToUs(usToSecondsText(us))).toBe(us);
    }
    expect(usToSecondsText(12_500_000)).toBe('12.5');
    expect(parseSecondsToUs('0.1')).toBe(100_000);
    expect(parseSecondsToUs('abc')).toBeUndefined();
  });
  it('formats for people', () => {
    expect(formatSeconds(12_345_678)).toBe('12.345 s');
    expect(formatSeconds(12_345_678, 6)).toBe('12.345678 s');
    expect(formatDuration(250_000)).toBe('250 ms');
    expect(formatDuration(1_500_000)).toBe('1.5 s');
  });
});

describe('URL state', () => {
  it('round-trips scenario, seed, time, speed, presentation, what-if and edited text', () => {
    const s = { scenario: 'unclean-election', seed: 7, tUs: 31_000_250, speed: 0.1, present: true, whatIf: { 'unclean.leader.election.enable': 'false' }, text: 'name: x # é ✓\n' };
    const { search, hash } = writeUrlState(s);
    expect(search).toContain('t=31.00025s');
    expect(readUrlState(search, hash)).toEqual(s);
  });
  it("the time is a scenario duration (t=70s, t=1m10.5s, t=250ms); an old link's bare seconds still read", () => {
    expect(formatUrlTime(70_000_000)).toBe('70s');
    expect(formatUrlTime(68_763_440)).toBe('68.76344s');
    expect(formatUrlTime(250_000)).toBe('250ms');
    expect(formatUrlTime(0)).toBe('0s');
    expect(writeUrlState({ tUs: 70_000_000 }).search).toBe('?t=70s');
    expect(readUrlState('?t=70s', '').tUs).toBe(70_000_000);
    expect(readUrlState('?t=1m10.5s', '').tUs).toBe(70_500_000);
    expect(parseUrlTime('1h2m3s')).toBe(3_723_000_000);
    expect(parseUrlTime('250ms')).toBe(250_000);
    expect(parseUrlTime('12us')).toBe(12);
    // the numeric form links written before this change carry: seconds
    expect(readUrlState('?t=31.00025', '').tUs).toBe(31_000_250);
    expect(readUrlState('?t=70', '').tUs).toBe(70_000_000);
    for (const bad of ['soon', '70x', '-5s', '1m-2s', 's', '5s junk']) expect(parseUrlTime(bad), bad).toBeUndefined();
    for (const us of [0, 1, 999, 1_000_000, 12_500_000, 40_123_456, 3_600_000_001]) expect(parseUrlTime(formatUrlTime(us))).toBe(us);
  });
  it('no parameters means the default scenario at time zero', () => {
    expect(readUrlState('', '')).toEqual({});
  });
  it('ignores malformed values', () => {
    expect(readUrlState('?seed=x&t=soon&speed=-1', '#text=%%%')).toEqual({});
  });
});

describe('how much scenario text a link carries (issue 10, point 5)', () => {
  // UTF-8 bytes: 'é' is two, so the limit is about bytes after decoding, not characters.
  const sized = (bytes: number) => 'name: x\n#' + 'é'.repeat((bytes - 10) >> 1) + (bytes % 2 ? 'a' : '') + '\n';
  const bytesOf = (t: string) => new TextEncoder().encode(t).length;

  it('carries text up to MAX_LINK_TEXT_BYTES (256 KiB) after decoding', () => {
    expect(MAX_LINK_TEXT_BYTES).toBe(256 * 1024);
    const text = sized(MAX_LINK_TEXT_BYTES);
    expect(bytesOf(text)).toBe(MAX_LINK_TEXT_BYTES);
    const { hash } = writeUrlState({ text });
    expect(hash.startsWith('#text=')).toBe(true);
    expect(readUrlState('', hash)).toEqual({ text });
  });

  it('a longer text is not written into the link: the link says how large it was', () => {
    const text = sized(MAX_LINK_TEXT_BYTES + 1);
    const { hash } = writeUrlState({ scenario: 'big', text });
    expect(hash).toBe(`#too-large=${MAX_LINK_TEXT_BYTES + 1}`);
    expect(readUrlState('?scenario=big', hash)).toEqual({ scenario: 'big', textTooLarge: MAX_LINK_TEXT_BYTES + 1 });
  });

  it('a link carrying more refuses it without decoding it (what it would decode to is not looked at)', () => {
    const text = sized(MAX_LINK_TEXT_BYTES + 3);
    const b64 = encodeBase64Url(text);
    expect(readUrlState('', `#text=${b64}`)).toEqual({ textTooLarge: MAX_LINK_TEXT_BYTES + 3 });
    // Not valid base64 either: refused by its length alone, the same way.
    const junk = '%'.repeat(Math.ceil(((MAX_LINK_TEXT_BYTES + 1) * 4) / 3) + 4);
    expect(readUrlState('', `#text=${encodeURIComponent(junk)}`).textTooLarge).toBeGreaterThan(MAX_LINK_TEXT_BYTES);
    // Exactly at the limit, it is read.
    const at = sized(MAX_LINK_TEXT_BYTES);
    expect(readUrlState('', `#text=${encodeBase64Url(at)}`)).toEqual({ text: at });
  });
});

describe('speed on a log scale', () => {
  it('steps by √10 from slow motion to fast', () => {
    expect(SPEED_STEPS[0]).toBeLessThan(0.001);
    expect(SPEED_STEPS[SPEED_STEPS.length - 1]).toBeGreaterThanOrEqual(100);
    expect(SPEED_STEPS[nearestSpeedIndex(0.09)]).toBe(0.1);
    expect(formatSpeed(0.001)).toBe('1/1000×');
  });
  it('advances the playhead by wall time × speed, clipped to the end and to long frames', () => {
    expect(advance(0, 16, 1, 10_000_000)).toBe(16_000);
    expect(advance(0, 5000, 1, 10_000_000)).toBe(100_000);
    expect(advance(9_999_000, 16, 1, 10_000_000)).toBe(10_000_000);
  });
});
