// The cluster at the playhead: brokers on a ring, the controller above, producers left and
// consumers right; broker states (crashed, paused, shut down, fenced) as fill, pattern and a word;
// network faults drawn on the links (cuts as red dashes with a cross, one-way cuts on one lane
// only, slow links dotted orange with their added latency); messages in flight on their lanes.

import * as d3 from 'd3';
import { layoutCluster, pointOnLink, type ClusterLayout, type NodePlace } from '../lib/layout.ts';
import type { FlightAt } from '../lib/in-flight.ts';
import { isCut, type Topology, type ViewState } from '../lib/view-state.ts';
import { C, defsMarkup, isResponse, messageStyle, shapePath } from './palette.ts';
import { formatDuration } from '../lib/time.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const MAX_MESSAGES = 600;

interface LinkDef {
  a: NodePlace;
  b: NodePlace;
  key: string;
}

export class ClusterView {
  readonly svg: SVGSVGElement;
  private layout!: ClusterLayout;
  private links: LinkDef[] = [];
  private gLinks!: d3.Selection<SVGGElement, unknown, null, undefined>;
  private gFaults!: d3.Selection<SVGGElement, unknown, null, undefined>;
  private gMsgs!: d3.Selection<SVGGElement, unknown, null, undefined>;
  private gNodes!: d3.Selection<SVGGElement, unknown, null, undefined>;
  private canvas?: HTMLCanvasElement;
  private lastFaultKey = '';
  private lastNodeKey = '';
  /** Broker ids to ring (e.g. the broker in a lost record's story). */
  highlight = new Set<number>();

  constructor(
    private readonly host: HTMLElement,
    private readonly topo: Topology,
  ) {
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.classList.add('cluster-svg');
    this.svg.setAttribute('data-testid', 'cluster');
    this.svg.setAttribute('role', 'img');
    this.svg.setAttribute('aria-label', 'The cluster: brokers, controller and clients');
    host.appendChild(this.svg);
    this.build();
  }

  /** Lay out again for a new size (never while playing: only on resize and mode changes). */
  build(): void {
    const width = Math.max(320, this.host.clientWidth || 800);
    const height = this.svg.getBoundingClientRect().height || 360;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const producers = this.topo.producers.map((p) => p.id);
    const consumers = this.topo.consumers.map((c) => c.id);
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
    // a consumer's line ("reads orders-0, orders-1", or beside its box "reads 2 partitions") in 0.85rem type
    const consumerLabel = { width: 10 * rem, under: 0.9 * rem + 1.4 * rem };
    // brokers of one rack side by side on the ring
    const racks = this.topo.racks;
    const ring = racks ? [...this.topo.brokers].sort((a, b) => (racks[a] < racks[b] ? -1 : racks[a] > racks[b] ? 1 : a - b)) : this.topo.brokers;
    this.layout = layoutCluster({
      brokers: ring, controllers: this.topo.controllers, controllerWidth: 6.4 * rem, producers, consumers, width, height,
      clientWidth: (id) => clientBoxWidth(id, rem), consumerLabel,
    });
    const svg = d3.select(this.svg);
    svg.selectAll('*').remove();
    svg.append('defs').html(defsMarkup());
    this.gLinks = svg.append('g').attr('class', 'links');
    this.gFaults = svg.append('g').attr('class', 'faults');
    this.gMsgs = svg.append('g').attr('class', 'messages');
    this.gNodes = svg.append('g').attr('class', 'nodes');
    this.lastFaultKey = '';
    this.lastNodeKey = '';

    const brokers = this.layout.nodes.filter((n) => n.kind === 'broker');
    const ctrls = this.layout.nodes.filter((n) => n.kind === 'controller');
    const clients = this.layout.nodes.filter((n) => n.kind === 'producer' || n.kind === 'consumer');
    this.links = [];
    const big = brokers.length > 8;
    for (let i = 0; i < brokers.length; i++) {
      if (!big) for (let j = i + 1; j < brokers.length; j++) this.links.push({ a: brokers[i], b: brokers[j], key: `${brokers[i].key}|${brokers[j].key}` });
      for (const ctrl of ctrls) this.links.push({ a: ctrl, b: brokers[i], key: `${ctrl.key}|${brokers[i].key}` });
    }
    // the quorum's voters replicate the metadata log among themselves
    for (let i = 0; i < ctrls.length; i++) for (let j = i + 1; j < ctrls.length; j++) this.links.push({ a: ctrls[i], b: ctrls[j], key: `${ctrls[i].key}|${ctrls[j].key}` });
    if (!big) for (const c of clients) for (const b of brokers) this.links.push({ a: c, b, key: `${c.key}|${b.key}` });
    this.gLinks
      .selectAll('line')
      .data(this.links)
      .join('line')
      .attr('x1', (d) => d.a.x)
      .attr('y1', (d) => d.a.y)
      .attr('x2', (d) => d.b.x)
      .attr('y2', (d) => d.b.y)
      .attr('stroke', C.rule)
      .attr('stroke-width', (d) => (d.a.kind === 'broker' && d.b.kind === 'broker' ? 1.5 : 1))
      .attr('stroke-dasharray', (d) => (d.a.kind === 'controller' ? '2 4' : null));
    this.drawNodeShells();
    if (big) {
      this.canvas?.remove();
      this.canvas = undefined;
    }
  }

  private drawNodeShells(): void {
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
    const labelUnder = this.layout.consumerLabelUnder;
    const racks = this.topo.racks;
    // how far apart a column's client boxes are: a crowded column gets slimmer boxes
    const spacing = (kind: string): number => {
      const ys = this.layout.nodes.filter((n) => n.kind === kind).map((n) => n.y).sort((a, b) => a - b);
      let min = Infinity;
      for (let i = 1; i < ys.length; i++) min = Math.min(min, ys[i] - ys[i - 1]);
      return min;
    };
    const room = { producer: spacing('producer'), consumer: spacing('consumer') };
    const g = this.gNodes
      .selectAll<SVGGElement, NodePlace>('g.node')
      .data(this.layout.nodes, (d) => d.key)
      .join('g')
      .attr('class', (d) => `node ${d.kind}`)
      .attr('data-node', (d) => d.key)
      .attr('transform', (d) => `translate(${d.x},${d.y})`);
    g.each(function (d) {
      const sel = d3.select(this);
      sel.selectAll('*').remove();
      if (d.kind === 'broker') {
        sel.append('circle').attr('class', 'halo').attr('r', d.r + 7).attr('fill', 'none').attr('stroke', 'none').attr('stroke-width', 4);
        sel.append('circle').attr('class', 'body').attr('r', d.r).attr('stroke-width', 3);
        sel.append('path').attr('class', 'cross').attr('d', `M${-d.r * 0.62},${-d.r * 0.62}L${d.r * 0.62},${d.r * 0.62}M${d.r * 0.62},${-d.r * 0.62}L${-d.r * 0.62},${d.r * 0.62}`).attr('stroke', C.vermillion).attr('stroke-width', 5).attr('stroke-linecap', 'round').attr('opacity', 0);
        sel.append('path').attr('class', 'pause').attr('d', `M${-d.r * 0.3},${-d.r * 0.35}v${d.r * 0.7}M${d.r * 0.3},${-d.r * 0.35}v${d.r * 0.7}`).attr('stroke', C.ink).attr('stroke-width', 5).attr('opacity', 0);
        const rack = racks?.[Number(d.key)];
        sel.append('text').attr('class', 'node-label id').attr('y', rack === undefined || d.r < 20 ? 0 : -d.r * 0.16).style('font-size', `${Math.max(0.8, Math.min(1.6, d.r / 22))}rem`)
          .style('paint-order', 'stroke').style('stroke-width', '5px').style('stroke-linejoin', 'round').text(d.key);
        // its broker.rack, under the id inside the circle
        // (too small a circle keeps its id alone; the tooltip and the partition rows still name the rack)
        if (rack !== undefined && d.r >= 20) {
          sel.append('text').attr('class', 'rack-tag').attr('y', d.r * 0.5).attr('text-anchor', 'middle').attr('dominant-baseline', 'central')
            .style('font-size', `${Math.max(0.6, Math.min(0.85, d.r / 40))}rem`).style('fill', C.ink2).style('font-weight', 600)
            .style('paint-order', 'stroke').style('stroke', '#fff').style('stroke-width', '3px').text(`rack ${rack}`);
        }
        sel.append('text').attr('class', 'state-tag').attr('y', -d.r - 10);
        sel.append('text').attr('class', 'node-sub leads').attr('y', d.r + 16);
      } else if (d.kind === 'controller' && d.key !== 'controller') {
        // a voter of the quorum: its name, and under it its role (ACTIVE · epoch N, follower, candidate…)
        const w = 6.4 * rem;
        const h = 1.7 * rem;
        sel.append('rect').attr('class', 'body').attr('x', -w / 2).attr('y', -h / 2).attr('width', w).attr('height', h).attr('rx', 8).attr('fill', C.paper2).attr('stroke', C.ink).attr('stroke-width', 2);
        sel.append('text').attr('class', 'node-label').style('font-size', '0.85rem').text(d.label);
        sel.append('text').attr('class', 'state-tag').attr('y', h / 2 + 0.75 * rem).attr('dominant-baseline', 'central')
          .style('paint-order', 'stroke').style('stroke', '#fff').style('stroke-width', '4px').style('stroke-linejoin', 'round');
      } else if (d.kind === 'controller') {
        const w = 7.2 * rem;
        const h = 1.9 * rem;
        sel.append('rect').attr('x', -w / 2).attr('y', -h / 2).attr('width', w).attr('height', h).attr('rx', 8).attr('fill', C.paper2).attr('stroke', C.ink).attr('stroke-width', 2);
        sel.append('text').attr('class', 'node-label').text('controller');
        // Beside the box, not above it: a short stage must not cut it off.
        sel.append('text').attr('class', 'state-tag').attr('x', w / 2 + 6).attr('y', 0).attr('dominant-baseline', 'central').style('text-anchor', 'start');
      } else {
        const w = clientBoxWidth(d.label, rem);
        // a crowded column (four consumers at 1024×768) gets slimmer boxes, so neighbours do not overlap
        const half = Math.min(Math.max(d.r, 0.9 * rem), Math.max(0.6 * rem, room[d.kind as 'producer' | 'consumer'] / 2 - 2));
        sel.append('rect').attr('class', 'body').attr('x', -w / 2).attr('y', -half).attr('width', w).attr('height', 2 * half).attr('rx', d.kind === 'producer' ? 4 : 14).attr('fill', C.paper).attr('stroke', d.kind === 'producer' ? C.purple : C.green).attr('stroke-width', 2.5);
        sel.append('text').attr('class', 'node-label').style('font-size', '0.85rem').text(d.label);
        // A consumer's (the partitions it owns, which can be long) goes under its box, ending at the box's
        // right edge so it stays inside the drawing and clear of the brokers; in a column too crowded
        // for a line under each box, beside it on the cluster's side, under its state tag.
        const boxHalf = half;
        const under = d.kind === 'consumer' && labelUnder;
        if (d.kind === 'consumer' && under) sel.append('text').attr('class', 'node-sub').attr('x', w / 2).attr('y', boxHalf + 0.8 * rem).attr('dominant-baseline', 'central').style('text-anchor', 'end')
          .style('paint-order', 'stroke').style('stroke', '#fff').style('stroke-width', '4px').style('stroke-linejoin', 'round').text(d.kind);
        else if (d.kind === 'consumer') sel.append('text').attr('class', 'node-sub').attr('data-compact', '1').attr('x', -w / 2 - 6).attr('y', 0.55 * rem).attr('dominant-baseline', 'central').style('text-anchor', 'end')
          .style('paint-order', 'stroke').style('stroke', '#fff').style('stroke-width', '4px').style('stroke-linejoin', 'round').text(d.kind);
        else sel.append('text').attr('class', 'node-sub').attr('y', half + 0.9 * rem).text(d.kind);
        // Beside the box, on the cluster's side (a column of clients has no room above a box).
        sel.append('text').attr('class', 'state-tag').attr('x', d.kind === 'consumer' ? -w / 2 - 6 : w / 2 + 6).attr('y', d.kind === 'consumer' ? -0.5 * rem : 0).attr('dominant-baseline', 'central').style('text-anchor', d.kind === 'consumer' ? 'end' : 'start');
      }
    });
  }

  update(s: ViewState, flights: readonly FlightAt[]): void {
    this.updateNodes(s);
    this.updateFaults(s);
    this.updateMessages(flights);
  }

  private updateNodes(s: ViewState): void {
    const leads = new Map<number, string[]>();
    for (const p of Object.values(s.partitions)) if (p.leader !== null) (leads.get(p.leader) ?? leads.set(p.leader, []).get(p.leader)!).push(p.name);
    const groups = Object.values(s.groups).map((g) => [g.group, g.state, g.generation, g.assignment]);
    const gapTick = s.quorum && s.quorum.active === null ? Math.floor(s.tUs / 100_000) : 0;
    const key = JSON.stringify([s.brokers, s.controller, s.quorum, gapTick, s.clients, [...leads], [...this.highlight], groups]);
    if (key === this.lastNodeKey) return;
    this.lastNodeKey = key;
    const many = Object.keys(s.partitions).length > 4;
    const crowded = this.topo.brokers.length > 8;
    // a broker's "★ …" line (0.72rem, its baseline r + 16 under the centre) must clear the other
    // brokers' circles, their lines (taken as wide as this one) and their state tags (CRASHED, STOPPED…
    // 10 px above the circle): boxes that must not meet
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
    const fh = 0.72 * rem;
    const ring = this.layout.nodes.filter((n) => n.kind === 'broker');
    const tagged = (o: NodePlace): boolean => {
      const ob = s.brokers[Number(o.key)];
      return ob !== undefined && (ob.status !== 'up' || ob.fenced);
    };
    type Box = [number, number, number, number];
    const meets = (a: Box, c: Box): boolean => a[0] < c[2] && c[0] < a[2] && a[1] < c[3] && c[1] < a[3];
    const lineBox = (n: NodePlace, halfW: number): Box => [n.x - halfW, n.y + n.r + 16 - fh, n.x + halfW, n.y + n.r + 16 + fh * 0.25];
    const lineFits = (d: NodePlace, text: string): boolean => {
      const halfW = (text.length * fh * 0.6) / 2;
      const mine = lineBox(d, halfW);
      return ring.every((o) => o === d || (!meets(mine, [o.x - o.r, o.y - o.r, o.x + o.r, o.y + o.r]) && !meets(mine, lineBox(o, halfW))
        && !(tagged(o) && meets(mine, [o.x - fh * 2.8, o.y - o.r - 10 - fh, o.x + fh * 2.8, o.y - o.r - 10 + fh * 0.25]))));
    };
    const highlight = this.highlight;
    const groupOf = new Map(this.topo.consumers.map((c) => [c.id, c.group]));
    const racks = this.topo.racks;
    this.gNodes.selectAll<SVGGElement, NodePlace>('g.node.broker').each(function (d) {
      const b = s.brokers[Number(d.key)];
      if (!b) return;
      const sel = d3.select(this);
      const body = sel.select('circle.body');
      const status = b.status;
      body
        .attr('fill', status === 'crashed' ? 'url(#hatch-crashed)' : status === 'paused' ? C.yellow : status === 'shutdown' ? '#dcdcdc' : C.paper)
        .attr('stroke', status === 'up' ? (b.fenced ? C.orange : C.green) : status === 'crashed' ? C.ink : C.ink2)
        .attr('stroke-dasharray', b.fenced ? '6 4' : null)
        .attr('stroke-width', b.fenced ? 5 : 3);
      sel.select('path.cross').attr('opacity', status === 'crashed' ? 1 : 0);
      sel.select('path.pause').attr('opacity', status === 'paused' ? 1 : 0);
      sel.select('text.id').style('fill', status === 'crashed' ? '#fff' : C.ink).style('stroke', status === 'crashed' ? C.ink : status === 'paused' ? C.yellow : C.paper);
      const tag = status === 'crashed' ? (b.lastChange === 'power-loss' ? 'POWER LOST' : 'CRASHED') : status === 'paused' ? 'PAUSED' : status === 'shutdown' ? 'STOPPED' : b.fenced ? 'FENCED' : '';
      sel.select('text.state-tag').text(tag).style('fill', status === 'crashed' ? C.vermillion : b.fenced ? '#9a6a00' : C.ink2);
      const l = leads.get(b.id) ?? [];
      const names = `★ ${l.join(', ')}`;
      // the names only where the line clears the brokers around (a short stage puts them close), else the count
      const count = `★ leads ${l.length}`;
      const text = l.length === 0 || crowded ? '' : !many && lineFits(d, names) ? names : lineFits(d, count) ? count : `★ ${l.length}`;
      sel.select('text.leads').text(text);
      sel.select('circle.halo').attr('stroke', highlight.has(b.id) ? C.vermillion : 'none');
      sel.attr('data-status', status + (b.fenced ? ' fenced' : ''));
      sel.attr('data-rack', racks?.[b.id] ?? null);
      sel.attr('data-tip', `broker ${b.id}${racks?.[b.id] !== undefined ? ` (rack ${racks[b.id]})` : ''}: ${status}${b.fenced ? ', fenced by the controller' : ''}${l.length ? `\nleader of ${l.join(', ')}` : ''}`);
    });
    this.gNodes.selectAll<SVGGElement, NodePlace>('g.node.producer, g.node.consumer').each(function (d) {
      const st = s.clients[d.key] ?? 'up';
      const sel = d3.select(this);
      sel.select('rect.body').attr('fill', st === 'crashed' ? 'url(#hatch-crashed)' : st === 'paused' ? C.yellow : C.paper);
      sel.select('text.node-label').style('fill', st === 'crashed' ? '#fff' : C.ink);
      sel.select('text.state-tag').text(st === 'crashed' ? 'CRASHED' : st === 'paused' ? 'PAUSED' : '').style('fill', st === 'crashed' ? C.vermillion : C.ink2);
      sel.attr('data-status', st).attr('data-tip', `${d.kind} ${d.label}: ${st === 'up' ? 'running' : st}`);
      if (d.kind !== 'consumer') return;
      // A consumer's group: the partitions it owns in the current generation, and a rebalance in progress.
      const group = groupOf.get(d.key);
      const g = group === undefined ? undefined : s.groups[group];
      const owns = g?.assignment[d.key] ?? [];
      const rebalancing = g?.state === 'rebalancing';
      // beside the box (a short stage) the label stays short, so it cannot reach the brokers
      const compact = sel.select('text.node-sub').attr('data-compact') === '1';
      const many = owns.length > 3 || (compact && owns.length > 1);
      // a member the stable assignment gives no partition (more consumers than partitions) is idle
      const idle = !rebalancing && st === 'up' && g !== undefined && g.state === 'stable' && owns.length === 0 && Object.prototype.hasOwnProperty.call(g.assignment, d.key);
      // the batch it is processing (`processing:`), on any partition
      const batch = g === undefined ? [] : Object.entries(g.inFlight).filter(([, b]) => b.consumer === d.key);
      const records = batch.reduce((n, [, b]) => n + b.to - b.from, 0);
      // what it is doing, on one line (four consumers stacked at 1024×768 leave no room for two)
      const busy = st === 'up' && records > 0 ? ` · ⚙ ${records}` : '';
      const sub = (rebalancing ? (compact ? '⟳ rebalancing' : `⟳ ${group} rebalancing`) : idle ? (compact ? 'IDLE · no partition' : 'no partition left for it')
        : owns.length ? `reads ${many ? `${owns.length} partitions` : owns.join(', ')}`
          : g && g.generation > 0 && !Object.prototype.hasOwnProperty.call(g.assignment, d.key) ? 'not in the group' : g && g.generation > 0 ? 'owns nothing' : 'consumer') + busy;
      // beside a slim box there is one line: the process's state leads it instead of a tag above
      const down = compact && st !== 'up' ? `${st.toUpperCase()} · ` : '';
      if (compact) sel.select('text.state-tag').text('');
      sel.select('text.node-sub').text(down + sub).style('fill', down ? C.vermillion : rebalancing ? '#9a5a00' : owns.length ? C.green : C.ink2).style('font-weight', down || rebalancing || owns.length || idle ? 700 : 400)
        .attr('data-testid', 'owns').attr('data-owns', owns.join(','));
      // the sub line says rebalancing; the tag is kept for states of the process itself, and idleness
      if (idle && !compact) sel.select('text.state-tag').text('IDLE').style('fill', C.ink3);
      else if (rebalancing && st === 'up' && !compact) sel.select('text.state-tag').text('REBALANCING').style('fill', '#9a5a00');
      sel.attr('data-idle', idle ? '1' : '').attr('data-processing', records);
      const busyText = records > 0 ? `\nprocessing ${batch.map(([p, b]) => `${p} ${b.from}–${b.to - 1}`).join(', ')} (${records} records)` : '';
      sel.attr('data-group-state', g?.state ?? '').attr('data-tip', `consumer ${d.label}${group ? ` of group ${group}` : ''}: ${st === 'up' ? 'running' : st}${g ? `\ngeneration ${g.generation}${rebalancing ? ', rebalancing: nobody consumes' : ''}` : ''}${owns.length ? `\nowns ${owns.join(', ')}` : ''}${idle ? '\nidle: the group has more consumers than partitions, so the assignor gave it none' : ''}${busyText}`);
    });
    const q = s.quorum;
    if (q) {
      const nowUs = s.tUs;
      this.gNodes.selectAll<SVGGElement, NodePlace>('g.node.controller').each(function (d) {
        const n = q.nodes[d.key];
        if (!n) return;
        const sel = d3.select(this);
        const isActive = q.active === d.key;
        const down = n.status === 'crashed';
        sel.select('rect.body')
          .attr('fill', down ? 'url(#hatch-crashed)' : n.status === 'paused' ? C.yellow : isActive ? '#e3f4e9' : C.paper2)
          .attr('stroke', isActive ? C.green : C.ink).attr('stroke-width', isActive ? 4 : 2);
        sel.select('text.node-label').style('fill', down ? '#fff' : C.ink);
        const tag = down ? 'CRASHED' : n.status === 'paused' ? 'PAUSED' : isActive ? `ACTIVE · epoch ${q.epoch}` : n.role === 'candidate' ? `candidate · epoch ${n.epoch}` : n.role === 'leader' ? 'leader (not active yet)' : n.role;
        sel.select('text.state-tag').text(tag).style('fill', down ? C.vermillion : isActive ? C.green : n.role === 'candidate' ? '#9a5a00' : C.ink2).style('font-weight', isActive || down ? 700 : 400);
        sel.attr('data-status', down ? 'crashed' : isActive ? 'active' : n.role)
          .attr('data-tip', `${d.key}: ${down ? 'crashed' : n.status === 'paused' ? 'paused' : isActive ? `the active controller, quorum epoch ${q.epoch}` : `${n.role}, quorum epoch ${n.epoch}`}`);
      });
      // the gap: nobody can change the metadata (no fencing, no election, no ISR change)
      let banner = this.gNodes.select<SVGTextElement>('text.quorum-gap');
      if (banner.empty()) banner = this.gNodes.append('text').attr('class', 'quorum-gap state-tag').attr('data-testid', 'quorum-gap');
      const first = this.layout.nodes.find((n) => n.kind === 'controller');
      banner.attr('x', first ? first.x - 3.6 * parseFloat(getComputedStyle(document.documentElement).fontSize || '15') : 8).attr('y', first ? first.y : 20)
        .attr('dominant-baseline', 'central').style('text-anchor', 'end').style('fill', C.vermillion).style('font-weight', 700)
        .text(q.active === null ? `NO ACTIVE CONTROLLER${q.inactiveSinceUs !== undefined ? ` · ${formatDuration(Math.max(0, nowUs - q.inactiveSinceUs))}` : ''}` : '');
      return;
    }
    const ctrl = this.gNodes.select('g.node.controller');
    ctrl.select('text.state-tag').text(s.controller.status === 'up' ? `${this.topo.controller === 'kraft' ? 'KRaft' : 'ZooKeeper'}` : s.controller.status.toUpperCase());
  }

  private updateFaults(s: ViewState): void {
    const key = JSON.stringify([[...s.net.cuts], [...s.net.isolated], [...s.net.slow]]);
    if (key === this.lastFaultKey) return;
    this.lastFaultKey = key;
    this.gFaults.selectAll('*').remove();
    const nodes = this.layout.nodes;
    const g = this.gFaults;
    // Pairs of nodes (any kind) with a fault: check both directions.
    for (let i = 0; i < nodes.length; i++)
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i];
        const b = nodes[j];
        if ((a.kind === 'producer' || a.kind === 'consumer') && (b.kind === 'producer' || b.kind === 'consumer')) continue;
        const ab = isCut(s.net, a.key, b.key);
        const ba = isCut(s.net, b.key, a.key);
        const slow = s.net.slow.get(a.key < b.key ? `${a.key}–${b.key}` : `${b.key}–${a.key}`) ?? 0;
        if (slow > 0) {
          g.append('line').attr('x1', a.x).attr('y1', a.y).attr('x2', b.x).attr('y2', b.y).attr('stroke', C.orange).attr('stroke-width', 7).attr('stroke-dasharray', '2 5').attr('stroke-linecap', 'round')
            .attr('data-tip', `link ${a.label} – ${b.label}: ${formatDuration(slow)} added latency`);
          const m = pointOnLink(a, b, 0.5, 0);
          slowBadge(g, m.x, m.y, slow);
        }
        if (ab || ba) {
          const both = ab && ba;
          const lanes: [NodePlace, NodePlace][] = both ? [[a, b]] : ab ? [[a, b]] : [[b, a]];
          for (const [from, to] of lanes) {
            const p0 = pointOnLink(from, to, 0, both ? 0 : 6);
            const p1 = pointOnLink(from, to, 1, both ? 0 : 6);
            g.append('line').attr('x1', p0.x).attr('y1', p0.y).attr('x2', p1.x).attr('y2', p1.y).attr('stroke', C.vermillion).attr('stroke-width', both ? 4 : 3).attr('stroke-dasharray', '8 5')
              .attr('marker-end', both ? null : 'url(#arrow-cut)')
              .attr('data-tip', both ? `link ${a.label} – ${b.label} cut (both directions)` : `one-way cut: ${from.label} → ${to.label} dropped; ${to.label} → ${from.label} still flows`);
            const m = pointOnLink(from, to, 0.5, both ? 0 : 6);
            const r = 7;
            g.append('path').attr('d', `M${m.x - r},${m.y - r}L${m.x + r},${m.y + r}M${m.x + r},${m.y - r}L${m.x - r},${m.y + r}`).attr('stroke', C.vermillion).attr('stroke-width', 4).attr('stroke-linecap', 'round');
          }
        }
      }
    // A slowed node: a dotted orange ring round it (every one of its links is slower).
    for (const [k, us] of s.net.slow) {
      const p = this.layout.byKey.get(k);
      if (!p) continue;
      g.append('circle').attr('cx', p.x).attr('cy', p.y).attr('r', p.r + 9).attr('fill', 'none').attr('stroke', C.orange).attr('stroke-width', 6).attr('stroke-dasharray', '2 5').attr('stroke-linecap', 'round')
        .attr('data-tip', `${p.label}: every link ${formatDuration(us)} slower`);
      slowBadge(g, p.x + (p.x < this.layout.width / 2 ? -1 : 1) * (p.r + 58), p.y, us);
    }
    for (const n of s.net.isolated) {
      const p = this.layout.byKey.get(n);
      if (p) g.append('circle').attr('cx', p.x).attr('cy', p.y).attr('r', p.r + 12).attr('fill', 'none').attr('stroke', C.vermillion).attr('stroke-width', 3).attr('stroke-dasharray', '6 4').attr('data-tip', `${p.label} isolated: every link cut`);
    }
  }

  private updateMessages(flights: readonly FlightAt[]): void {
    const shown = flights.length > MAX_MESSAGES ? flights.slice(0, MAX_MESSAGES) : flights;
    const byKey = this.layout.byKey;
    const data = shown.filter((f) => byKey.has(f.flight.from) && byKey.has(f.flight.to));
    this.gMsgs
      .selectAll<SVGPathElement, FlightAt>('path')
      .data(data, (d) => d.flight.index)
      .join(
        (enter) =>
          enter
            .append('path')
            .attr('d', (d) => shapePath(messageStyle(d.flight.kind).shape, 5.5))
            .attr('fill', (d) => (isResponse(d.flight.kind) ? C.paper : messageStyle(d.flight.kind).color))
            .attr('stroke', (d) => messageStyle(d.flight.kind).color)
            .attr('stroke-width', 2.2)
            .attr('data-tip', (d) => `${d.flight.kind}: ${d.flight.from} → ${d.flight.to}${d.flight.dropped ? ' (dropped by the network)' : ''}`),
        (update) => update,
        (exit) => exit.remove(),
      )
      .attr('opacity', (d) => (d.flight.dropped ? Math.max(0.15, 1 - d.progress) : 1))
      .attr('transform', (d) => {
        const p = pointOnLink(byKey.get(d.flight.from)!, byKey.get(d.flight.to)!, d.progress);
        return `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`;
      });
  }
}

function slowBadge(g: d3.Selection<SVGGElement, unknown, null, undefined>, x: number, y: number, us: number): void {
  const label = g.append('g').attr('transform', `translate(${x},${y})`);
  label.append('rect').attr('x', -46).attr('y', -10).attr('width', 92).attr('height', 20).attr('rx', 10).attr('fill', '#fff3d6').attr('stroke', C.orange);
  label.append('text').attr('class', 'cell-text').style('font-size', '0.72rem').style('font-weight', 700).text(`slow +${formatDuration(us)}`);
}

/** Legend entries for the cluster view (HTML). */
export function clusterLegendHtml(): string {
  const mark = (kind: string, hollow = false) => {
    const st = messageStyle(kind);
    return `<svg width="16" height="16" viewBox="-8 -8 16 16"><path d="${shapePath(st.shape, 5)}" fill="${hollow ? C.paper : st.color}" stroke="${st.color}" stroke-width="2"/></svg>`;
  };
  const broker = (fill: string, stroke: string, dash = '', extra = '') =>
    `<svg width="18" height="18" viewBox="-9 -9 18 18"><circle r="7" fill="${fill}" stroke="${stroke}" stroke-width="2.5" ${dash ? `stroke-dasharray="${dash}"` : ''}/>${extra}</svg>`;
  return [
    `${broker(C.paper, C.green)} up`,
    `${broker('#3a3a3a', C.ink, '', '<path d="M-3,-3L3,3M3,-3L-3,3" stroke="#fff" stroke-width="2"/>')} crashed`,
    `${broker(C.yellow, C.ink2, '', '<path d="M-2,-3v6M2,-3v6" stroke="#111" stroke-width="2"/>')} paused`,
    `${broker(C.paper, C.orange, '3 2')} fenced`,
    `${broker('#dcdcdc', C.ink2)} shut down`,
    `<svg width="30" height="12"><line x1="2" y1="6" x2="28" y2="6" stroke="${C.vermillion}" stroke-width="3" stroke-dasharray="6 4"/></svg> cut`,
    `<svg width="30" height="12"><line x1="2" y1="6" x2="28" y2="6" stroke="${C.orange}" stroke-width="6" stroke-dasharray="2 4" stroke-linecap="round"/></svg> slow`,
    `${mark('produce')} produce`,
    `${mark('fetch')} fetch`,
    `${mark('metadata')} metadata`,
    `${mark('heartbeat')} heartbeat`,
    `${mark('produce-response', true)} response (hollow)`,
  ]
    .map((x) => `<span>${x}</span>`)
    .join('');
}

/** Width of a client's box: its name at 0.85rem, and room around it. */
function clientBoxWidth(label: string, rem: number): number {
  return Math.max(4.6 * rem, label.length * 0.58 * rem + 1.2 * rem);
}
