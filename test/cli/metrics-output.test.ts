// `kafkasim run --metrics` (issue 16): the CSV has a column per metric with its unit, and the
// OpenMetrics file parses against the format's own grammar (OpenMetrics 1.0 text exposition: TYPE/
// HELP/UNIT metadata before each family's samples, families not interleaved, sample lines `name{labels}
// value timestamp`, the values and timestamps as numbers, timestamps not going back within a series,
// `# EOF` last). The story lists when the standard alerts fired and cleared.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC_DEFS } from '../../sim/kafka/index.ts';
import { cli, REPO } from './support.ts';

const SCENARIO = join(REPO, 'scenarios/library/hw-freeze-under-min-isr.yaml');

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const NUMBER = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?Inf|NaN)';
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*)?\\})? (${NUMBER})(?: (${NUMBER}))?$`);
const META = new RegExp(`^# (TYPE|HELP|UNIT) (${NAME})(?: (.*))?$`);
const TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'stateset', 'info', 'summary', 'unknown']);

/** Parses OpenMetrics text; throws at the first line that breaks the grammar. Returns samples per family. */
function parseOpenMetrics(text: string): Map<string, { labels: string; value: number; ts: number }[]> {
  if (!text.endsWith('# EOF\n')) throw new Error('must end with "# EOF" and a newline');
  const lines = text.slice(0, -1).split('\n');
  const families = new Map<string, { labels: string; value: number; ts: number }[]>();
  const typed = new Map<string, string>();
  const lastTs = new Map<string, number>();
  let current: string | undefined;
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${line}`;
    if (i === lines.length - 1) {
      if (line !== '# EOF') throw new Error(`${where}: the last line must be # EOF`);
      return;
    }
    const meta = META.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (name !== current) {
        if (families.has(name)) throw new Error(`${where}: family ${name} interleaved`);
        families.set(name, []);
        current = name;
      }
      if (kind === 'TYPE') {
        if (typed.has(name)) throw new Error(`${where}: a second TYPE`);
        if (!TYPES.has(rest ?? '')) throw new Error(`${where}: unknown type`);
        if (families.get(name)!.length > 0) throw new Error(`${where}: TYPE after samples`);
        typed.set(name, rest!);
      }
      if (kind === 'UNIT' && !name.endsWith(`_${rest}`)) throw new Error(`${where}: a family with a unit must end in _unit`);
      return;
    }
    if (line.startsWith('#')) throw new Error(`${where}: not a TYPE, HELP or UNIT line`);
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`${where}: not a sample line`);
    const [, name, labels = '', value, ts] = m;
    if (name !== current) throw new Error(`${where}: sample outside its family (${current})`);
    const key = name + labels;
    const t = ts === undefined ? NaN : Number(ts);
    if (lastTs.has(key) && t < lastTs.get(key)!) throw new Error(`${where}: timestamp goes back`);
    lastTs.set(key, t);
    families.get(name)!.push({ labels, value: Number(value), ts: t });
  });
  return families;
}

describe('run --metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkasim-metrics-'));

  it('writes OpenMetrics that parses against the grammar, every family typed, with timestamps in simulated seconds', async () => {
    const out = join(dir, 'run.prom');
    const r = await cli('run', SCENARIO, '--metrics', out, '--json');
    expect(r.code).toBe(0);
    const families = parseOpenMetrics(readFileSync(out, 'utf8'));
    for (const d of METRIC_DEFS) if (d.labels === undefined) expect(families.get(d.prom)?.length, d.prom).toBeGreaterThan(30);
    const underMin = families.get('kafka_server_replicamanager_underminisrpartitioncount')!;
    // the scenario's second follower dies at 5 s: the gauge goes to 1 the moment the leader learns it
    const first = underMin.find((s) => s.value === 1)!;
    expect(first.ts).toBeGreaterThan(5);
    expect(first.ts).toBeLessThan(6);
  });

  it('the grammar checker refuses what the format forbids', () => {
    expect(() => parseOpenMetrics('a 1 0\n')).toThrow(/EOF/);
    expect(() => parseOpenMetrics('# TYPE a gauge\na 1 0\n# TYPE b gauge\nb 1 0\na 2 1\n# EOF\n')).toThrow(/outside its family/);
    expect(() => parseOpenMetrics('# TYPE a gauge\na 1 2\na 1 1\n# EOF\n')).toThrow(/goes back/);
    expect(() => parseOpenMetrics('# TYPE a gauge\na{x=1} 1 2\n# EOF\n')).toThrow(/not a sample/);
  });

  it('writes a CSV: a time column and a column per metric with its unit, one row per sample time', async () => {
    const out = join(dir, 'run.csv');
    expect((await cli('run', SCENARIO, '--metrics', out, '--json')).code).toBe(0);
    const [header, ...rows] = readFileSync(out, 'utf8').trimEnd().split('\n');
    const cols = header.split(',');
    expect(cols[0]).toBe('t (s)');
    expect(cols).toContain('UnderMinIsrPartitionCount (partitions)');
    expect(cols).toContain('record-send-rate (records/s)');
    expect(cols).toContain('produce-latency-p99 (ms)');
    for (const row of rows) expect(row.split(',').length).toBe(cols.length);
    const t = rows.map((r) => Number(r.split(',')[0]));
    expect(t).toEqual([...t].sort((a, b) => a - b));
    expect(t.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('refuses a name it cannot tell the format of, and the scenario file itself', async () => {
    expect((await cli('run', SCENARIO, '--metrics', join(dir, 'x.json'))).code).toBe(2);
    const copy = join(dir, 's.csv');
    writeFileSync(copy, readFileSync(SCENARIO, 'utf8'));
    const r = await cli('run', copy, '--metrics', copy);
    expect(r.code).toBe(2);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(SCENARIO, 'utf8'));
  });

  it('the story says when the standard alerts fired and cleared', async () => {
    const r = await cli('run', SCENARIO);
    expect(r.stdout).toMatch(/Alerts/);
    expect(r.stdout).toMatch(/5\.002s\s+FIRING UnderMinIsrPartitionCount > 0 \(peak 1\), cleared at 30\.108s/); // broker 2 back at 30 s, unfenced within ms, in the ISR at its next fetch
  });
});
