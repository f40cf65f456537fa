// The HTML report carries scenario text (names, titles, keys) only as data: nothing a scenario
// file says can close the data's <script> element or become markup.
import { describe, expect, it } from 'vitest';
import { aggregate, type SweepDefinition } from '../../src/experiments/aggregate.ts';
import { renderHtmlReport } from '../../src/experiments/report-html.ts';

const EVIL = '</script><script>alert(1)</script><!--';

describe('the HTML report', () => {
  it('keeps hostile scenario text inert and holds the whole report as JSON', () => {
    const def: SweepDefinition = {
      scenario: `x${EVIL}`, title: EVIL, file: `f${EVIL}.yaml`, scenarioHash: 'ab'.repeat(32), seeds: { first: 1, count: 1 },
      axes: [{ key: `producer.${EVIL}.acks`, values: ['1'] }],
      cells: [{ index: 0, label: EVIL, settings: [{ key: `producer.${EVIL}.acks`, value: EVIL }] }],
      expectations: [],
    };
    const report = aggregate(def, [{ cell: 0, seed: 1, acked: 5, lost: 2, duplicates: 0, unavailable: 0, errors: {}, leaderlessMs: 1, failed: [] }]);
    const html = renderHtmlReport(report, 'window.d3 = {};');
    expect(html.match(/<script/g)).toHaveLength(3); // data, d3, the drawing script
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<!--');
    const json = /<script id="report-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(json)).toEqual(report);
    expect(html).toContain('<title>kafkasim sweep: x&lt;/script&gt;');
  });
});
