// A sweep report as one self-contained HTML file: the data as JSON, D3 inlined and a small script that
// draws, per cell, the share of runs that lost acknowledged data with its 95% interval, and the
// distributions of lost records and of time without a leader. It opens from disk with no server and
// no network. Data reaches the page only through textContent and attributes, never as markup.

import type { SweepReport } from './aggregate.ts';

/** JSON safe inside a <script> element: no `</script>`, no `<!--`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderHtmlReport(report: SweepReport, d3Source: string): string {
  const d = report.definition;
  const title = `kafkasim sweep: ${d.scenario}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(title)}</h1>
  <p class="sub" id="subtitle"></p>
  <p class="verdict" id="verdict"></p>
</header>
<section><h2>How often were acknowledged records lost?</h2>
  <p class="note">Share of runs that lost at least one acknowledged record, with its 95% Wilson interval. Every cell ran on the same seeds, so the same failure timings.</p>
  <div id="loss-chart"></div></section>
<section><h2>How many records were lost?</h2>
  <p class="note">Lost acknowledged records per run (acked, then absent from the final leader's log).</p>
  <div id="lost-charts" class="multiples"></div></section>
<section><h2>How long was a partition without a leader?</h2>
  <p class="note">Per run, the worst partition's total time with no leader able to serve it: none in the controller's metadata, or one whose broker had crashed, stopped or frozen and was not yet replaced.</p>
  <div id="leaderless-charts" class="multiples"></div></section>
<section><h2>Cells</h2><div class="scroll"><table id="cells"></table></div><div id="problems"></div></section>
<footer>Made by <code>kafkasim sweep</code> from ${escapeHtml(d.file)} (SHA-256 ${escapeHtml(d.scenarioHash.slice(0, 12))}…).</footer>
<script id="report-data" type="application/json">${scriptJson(report)}</script>
<script>${d3Source.replace(/<\/script/gi, '<\\/script')}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5rem; color: #1d2330; background: #fbfbfd; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .3rem; }
.sub { color: #555; margin: 0; } .note { color: #666; margin: 0 0 .6rem; font-size: .9rem; }
.verdict { font-weight: 600; } .ok { color: #17803d; } .bad { color: #b42318; }
.multiples { display: flex; flex-wrap: wrap; gap: 1rem; } .multiples figure { margin: 0; }
figcaption { font-size: .85rem; color: #333; max-width: 340px; }
table { border-collapse: collapse; font-size: .85rem; } th, td { padding: .25rem .5rem; border-bottom: 1px solid #e3e5ea; text-align: right; white-space: nowrap; }
th:first-child, td:first-child, th.key, td.key { text-align: left; } .scroll { overflow-x: auto; }
svg text { font: 12px system-ui, sans-serif; fill: #333; } .axis path, .axis line { stroke: #999; }
footer { margin-top: 2rem; color: #777; font-size: .8rem; }
`;

// Runs in the report page; reads only the embedded JSON.
const SCRIPT = `
(function () {
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var def = report.definition;
  var cells = report.cells;
  // a share that is not 0 never reads 0.0%
  var pct = function (x) { return x > 0 && x < 0.0005 ? '<0.1%' : (x * 100).toFixed(1) + '%'; };
  var colour = d3.scaleOrdinal(d3.schemeTableau10).domain(cells.map(function (c) { return c.index; }));
  var seeds = def.seeds.count === 1 ? 'seed ' + def.seeds.first : 'seeds ' + def.seeds.first + '–' + (def.seeds.first + def.seeds.count - 1);
  d3.select('#subtitle').text((def.title ? def.title + ' — ' : '') + cells.length + ' cell(s) × ' + seeds + ', ' + report.runs + ' runs');
  var failing = cells.filter(function (c) { return !c.ok; });
  d3.select('#verdict').attr('class', 'verdict ' + (failing.length ? 'bad' : 'ok'))
    .text(failing.length ? failing.length + ' of ' + cells.length + ' cell(s) broke the scenario\\'s expectations' : 'Every cell kept the scenario\\'s expectations');

  // 1. loss probability with interval bars, one row per cell, its label above the bar: a grid of
  // several keys makes labels longer than any left margin, and a label cut at the left loses its number
  (function () {
    var labelH = 16, barH = 20, rowH = labelH + barH + 10, width = 1040, left = 8, right = 150;
    // room above the rows for the bound's label
    var b = def.lossProbability && def.lossProbability.bound, top = b ? 18 : 0;
    var svg = d3.select('#loss-chart').append('svg').attr('width', width).attr('height', top + cells.length * rowH + 40).attr('role', 'img')
      .attr('aria-label', 'loss probability per cell');
    var x = d3.scaleLinear().domain([0, 1]).range([left, width - right]);
    svg.append('g').attr('class', 'axis').attr('transform', 'translate(0,' + (top + cells.length * rowH + 8) + ')').call(d3.axisBottom(x).ticks(10, '%'));
    var row = svg.selectAll('g.cell').data(cells).join('g').attr('class', 'cell').attr('transform', function (c, i) { return 'translate(0,' + (top + i * rowH + 4) + ')'; });
    var mid = labelH + barH / 2;
    row.append('text').attr('class', 'label').attr('x', left).attr('y', labelH - 4)
      .text(function (c) { return (c.index + 1) + '. ' + c.label; })
      .each(function () { fitText(this, width - right - left); });
    row.append('rect').attr('class', 'bar').attr('x', x(0)).attr('y', labelH).attr('height', barH)
      .attr('width', function (c) { return Math.max(1, x(c.lossProbability) - x(0)); }).attr('fill', function (c) { return colour(c.index); }).attr('opacity', .75);
    row.append('line').attr('class', 'ci').attr('x1', function (c) { return x(c.lossInterval[0]); }).attr('x2', function (c) { return x(c.lossInterval[1]); })
      .attr('y1', mid).attr('y2', mid).attr('stroke', '#111').attr('stroke-width', 2);
    ['lossInterval0', 'lossInterval1'].forEach(function (_, k) {
      row.append('line').attr('x1', function (c) { return x(c.lossInterval[k]); }).attr('x2', function (c) { return x(c.lossInterval[k]); })
        .attr('y1', mid - 6).attr('y2', mid + 6).attr('stroke', '#111').attr('stroke-width', 2);
    });
    row.append('text').attr('x', width - right + 6).attr('y', mid).attr('dy', '.35em')
      .text(function (c) { return pct(c.lossProbability) + ' (' + c.lossRuns + '/' + (c.runs - c.broken.runs) + ')'; });
    row.append('title').text(function (c) { return c.label + ': ' + pct(c.lossProbability) + ', 95% CI ' + pct(c.lossInterval[0]) + '–' + pct(c.lossInterval[1]); });
    // the scenario's loss-probability bound, across every row: which bars and intervals cross it
    var marks = !b ? [] : 'is' in b ? [['=', b.is]] : [['≥', b.min], ['≤', b.max]].filter(function (m) { return m[1] !== undefined; });
    marks.forEach(function (m) {
      // across each bar, not its label
      row.append('line').attr('class', 'bound').attr('x1', x(m[1])).attr('x2', x(m[1])).attr('y1', labelH - 3).attr('y2', labelH + barH + 3)
        .attr('stroke', '#b42318').attr('stroke-width', 1.5).attr('stroke-dasharray', '4 2');
      svg.append('text').attr('class', 'bound-label').attr('x', x(m[1])).attr('y', top - 7).attr('fill', '#b42318').attr('text-anchor', m[1] > 0.8 ? 'end' : 'start')
        .text('expected ' + m[0] + ' ' + pct(m[1]));
    });
  })();

  // A label longer than its room ends in '…' (the row's tooltip has it whole).
  function fitText(node, room) {
    var full = node.textContent;
    if (node.getComputedTextLength() <= room) return;
    var lo = 0, hi = full.length;
    while (hi - lo > 1) {
      var m = Math.floor((lo + hi) / 2);
      node.textContent = full.slice(0, m) + '…';
      if (node.getComputedTextLength() <= room) lo = m; else hi = m;
    }
    node.textContent = full.slice(0, lo) + '…';
  }

  // 2 and 3. histograms, small multiples sharing an x scale so cells compare at a glance
  function histograms(target, values, unit, format, integers) {
    var all = [].concat.apply([], cells.map(values));
    var hi = Math.max(1, d3.max(all) || 0);
    // one step past the largest value, so it falls in a bin of full width rather than on the edge;
    // counts get whole-number bins (a bar per count when there are few)
    var step = integers ? Math.max(1, Math.ceil(d3.tickStep(0, hi, 20))) : d3.tickStep(0, hi, 20);
    // whole-number bins are centred on their values (bar k spans k - 0.5 to k + step - 0.5)
    var lo = integers ? -0.5 : 0;
    var x = d3.scaleLinear().domain([lo, lo + Math.ceil((hi + step) / step) * step]);
    var bins = d3.bin().domain(x.domain()).thresholds(d3.range(lo, x.domain()[1], step));
    var w = 340, h = 180, m = { t: 8, r: 10, b: 36, l: 44 };
    cells.forEach(function (c) {
      var data = bins(values(c));
      var fig = d3.select(target).append('figure');
      var svg = fig.append('svg').attr('width', w).attr('height', h).attr('role', 'img').attr('aria-label', c.label + ' ' + unit);
      var xs = x.copy().range([m.l, w - m.r]);
      var y = d3.scaleLinear().domain([0, d3.max(data, function (b) { return b.length; }) || 1]).nice().range([h - m.b, m.t]);
      svg.append('g').selectAll('rect').data(data).join('rect').attr('class', 'bin')
        .attr('x', function (b) { return xs(b.x0) + 1; }).attr('width', function (b) { return Math.max(1, xs(b.x1) - xs(b.x0) - 1); })
        .attr('y', function (b) { return y(b.length); }).attr('height', function (b) { return y(0) - y(b.length); }).attr('fill', colour(c.index))
        .append('title').text(function (b) {
          var range = !integers ? format(b.x0) + '–' + format(b.x1) : b.x1 - b.x0 === 1 ? format(b.x0 + 0.5) : format(b.x0 + 0.5) + '–' + format(b.x1 - 0.5);
          return b.length + ' run(s) with ' + range + ' ' + unit;
        });
      var ticks = xs.ticks(5).filter(function (t) { return !integers || Number.isInteger(t); });
      svg.append('g').attr('class', 'axis').attr('transform', 'translate(0,' + (h - m.b) + ')').call(d3.axisBottom(xs).tickValues(ticks).tickFormat(format));
      svg.append('g').attr('class', 'axis').attr('transform', 'translate(' + m.l + ',0)').call(d3.axisLeft(y).ticks(4));
      svg.append('text').attr('x', (w + m.l) / 2).attr('y', h - 4).attr('text-anchor', 'middle').text(unit);
      fig.append('figcaption').text((c.index + 1) + '. ' + c.label);
    });
  }
  histograms('#lost-charts', function (c) { return c.samples.lost; }, 'lost records', d3.format(','), true);
  histograms('#leaderless-charts', function (c) { return c.samples.leaderlessMs.map(function (ms) { return ms / 1000; }); }, 'seconds without a leader', d3.format('~g'), false);

  // 4. the table, as the terminal prints it
  var cols = [['cell', function (c) { return c.index + 1; }]]
    .concat(def.axes.map(function (a, i) { return [a.key, function (c) { return c.settings[i].value; }, 'key']; }))
    .concat([
      ['runs', function (c) { return c.runs; }],
      ['lost data', function (c) { return pct(c.lossProbability) + ' (' + c.lossRuns + ')'; }],
      ['95% CI', function (c) { return pct(c.lossInterval[0]) + '–' + pct(c.lossInterval[1]); }],
      ['lost mean', function (c) { return c.lost.mean; }], ['p50', function (c) { return c.lost.p50; }],
      ['p99', function (c) { return c.lost.p99; }], ['max', function (c) { return c.lost.max; }],
      ['dups mean', function (c) { return c.duplicates.mean; }], ['unavail. mean', function (c) { return c.unavailable.mean; }],
      ['no leader mean', function (c) { return (c.leaderlessMs.mean / 1000).toFixed(1) + 's'; }],
      ['no leader max', function (c) { return (c.leaderlessMs.max / 1000).toFixed(1) + 's'; }]])
    // with --metrics: what each cell's records waited (send() to acknowledgement) and its time under min ISR
    .concat(def.metrics ? [
      ['latency p50', function (c) { return c.produceLatencyMs.p50 + ' ms'; }],
      ['latency p99', function (c) { return c.produceLatencyMs.p99 + ' ms'; }],
      ['under min ISR', function (c) { return c.underMinIsrSeconds.mean.toFixed(1) + 's'; }]] : [])
    .concat([
      ['producer errors', function (c) { return Object.keys(c.errors).map(function (k) { return k + ' ' + c.errors[k]; }).join(', '); }, 'key'],
      ['ok', function (c) { return c.ok ? 'yes' : 'NO'; }]]);
  var table = d3.select('#cells');
  table.append('thead').append('tr').selectAll('th').data(cols).join('th').attr('class', function (c) { return c[2] || null; }).text(function (c) { return c[0]; });
  table.append('tbody').selectAll('tr').data(cells).join('tr').selectAll('td')
    .data(function (cell) { return cols.map(function (c) { return { v: c[1](cell), k: c[2] }; }); })
    .join('td').attr('class', function (d) { return d.k || null; }).text(function (d) { return d.v; });
  var problems = d3.select('#problems');
  failing.forEach(function (c) {
    problems.append('h3').text('Cell ' + (c.index + 1) + ' (' + c.label + ')');
    problems.append('ul').selectAll('li').data(c.problems).join('li').text(function (p) { return p; });
  });
  // a bound kept on the share of runs while the interval crosses it: the runs do not show it
  var uncertain = cells.filter(function (c) { return (c.caveats || []).length > 0; });
  if (uncertain.length) {
    problems.append('h3').text('Kept, but not shown by these runs');
    problems.append('ul').attr('class', 'caveats').selectAll('li').data(uncertain).join('li')
      .text(function (c) { return 'Cell ' + (c.index + 1) + ' (' + c.label + '): ' + c.caveats.join('; '); });
  }
})();
`;
