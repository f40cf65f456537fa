// Where things sit on screen, as pure functions of what exists (never of what happens), so nothing
// moves while a scenario plays: brokers on a ring around the middle (no three collinear, so a
// message between two brokers never passes through a third), the controller above, producers on
// the left, consumers on the right.

export type NodeKind = 'broker' | 'controller' | 'producer' | 'consumer';

export interface NodePlace {
  key: string;
  kind: NodeKind;
  label: string;
  x: number;
  y: number;
  /** Radius (brokers) or half-height (clients). */
  r: number;
}

export interface ClusterLayoutInput {
  brokers: readonly number[];
  /** The voters of a controller quorum (controller-1 …), drawn in a row above the brokers instead of one controller. */
  controllers?: readonly string[];
  /** Drawn width of a quorum voter's box, when known. */
  controllerWidth?: number;
  producers: readonly string[];
  consumers: readonly string[];
  width: number;
  height: number;
  /** Drawn width of a client's box, when known: the box is kept inside the drawing. */
  clientWidth?: (id: string) => number;
  /**
   * A consumer's line of text (the partitions it owns): how wide it may be beside its box, and the
   * room it needs under the box. Under when the column has the room, else beside, in space kept free
   * of the brokers.
   */
  consumerLabel?: { width: number; under: number };
}

export interface ClusterLayout {
  width: number;
  height: number;
  nodes: NodePlace[];
  byKey: Map<string, NodePlace>;
  /** Whether each consumer's line goes under its box (else beside it, on the cluster's side). */
  consumerLabelUnder: boolean;
}

/** Node keys are strings everywhere in the viz: broker 1 is "1", the controller "controller". */
export function nodeKey(n: number | string): string {
  return String(n);
}

export function layoutCluster(inp: ClusterLayoutInput): ClusterLayout {
  const { width, height } = inp;
  const nodes: NodePlace[] = [];
  const n = inp.brokers.length;
  // columns of clients as wide as their widest box (large type in presentation mode), within reason;
  // the consumers' column also keeps room for their line of text when it goes beside the boxes
  const widest = (ids: readonly string[]) => Math.max(0, ...ids.map((id) => inp.clientWidth?.(id) ?? 0));
  const top = Math.min(90, height * 0.2);
  const consumerGap = (height - top) / (inp.consumers.length + 1);
  const consumerLabelUnder = inp.consumerLabel === undefined || consumerGap / 2 >= inp.consumerLabel.under;
  const beside = consumerLabelUnder || inp.consumerLabel === undefined ? 0 : inp.consumerLabel.width;
  // a side with no clients keeps only a margin: the brokers take the room (a short stage needs it)
  const sideL = inp.producers.length ? Math.min(Math.max(170, widest(inp.producers) + 24), width * 0.3) : inp.consumers.length ? 40 : 0;
  const sideR = inp.consumers.length ? Math.min(Math.max(170, widest(inp.consumers) + 24 + beside), width * 0.45) : inp.producers.length ? 40 : 0;
  const cx = sideL + (width - sideL - sideR) / 2;
  const cy = top + (height - top) / 2;
  // An ellipse as wide as the space allows (a circle for a handful of brokers, which reads best).
  const half = Math.max(0, (height - top) / 2 - 20);
  const rxMax = Math.max(0, (width - sideL - sideR) / 2 - 50);
  const est = Math.PI * (Math.min(rxMax, half * 1.25) + half);
  const brokerR = n <= 1 ? Math.min(48, half) : Math.max(12, Math.min(48, half / 3, est / n / 2 - 6));
  const ry = Math.max(0, half - brokerR);
  // on a short stage (presentation mode) the ring goes wide rather than crowd: about a broker and its
  // "★ leads" line between neighbours along the ellipse (perimeter ≈ π(rx + ry))
  const wide = n > 1 ? (n * (2 * brokerR + 64)) / Math.PI - ry : 0;
  const rx = Math.min(rxMax, n <= 6 ? Math.max(ry * 1.25, wide) : rxMax);
  inp.brokers.forEach((id, i) => {
    // Start at the top-left and go clockwise, so broker 1 is read first, as a person reads.
    const a = n === 1 ? Math.PI / 2 : -Math.PI / 2 - Math.PI / n + (2 * Math.PI * i) / n + (n === 2 ? Math.PI / 2 : 0);
    nodes.push({
      key: nodeKey(id),
      kind: 'broker',
      label: `broker ${id}`,
      x: n === 1 ? cx : cx + rx * Math.cos(a),
      y: n === 1 ? cy : cy + ry * Math.sin(a),
      r: brokerR,
    });
  });
  const voters = inp.controllers ?? [];
  // the controller row goes first, so it is drawn under the brokers: on a short stage a top broker's
  // state tag (CRASHED, FENCED) may reach into the controller's box, and must stay readable
  const brokers = nodes.splice(0);
  if (voters.length > 1) {
    // a row of voters centred above the brokers, as far apart as the room between the client columns allows
    const room = Math.max(0, width - sideL - sideR);
    const step = Math.min(Math.max((inp.controllerWidth ?? 100) + 16, room / voters.length), room / voters.length);
    voters.forEach((name, i) => {
      nodes.push({ key: name, kind: 'controller', label: name, x: cx + (i - (voters.length - 1) / 2) * step, y: Math.max(22, top / 2 - 6), r: 18 });
    });
  } else nodes.push({ key: 'controller', kind: 'controller', label: 'controller', x: cx, y: Math.max(28, top / 2), r: 24 });
  // on a short stage the top brokers' state tags (CRASHED, FENCED) would reach into the controller's
  // box: the ring moves down, flattened if need be, to start below it
  if (n > 1) {
    const ctrlBottom = Math.max(...nodes.map((c) => c.y + c.r));
    const ys = brokers.map((b) => b.y);
    const minY = Math.min(...ys);
    const maxY = Math.max(...ys);
    const lo = ctrlBottom + 16 + brokerR;
    const hi = height - brokerR - 20;
    if (minY < lo && maxY > minY) {
      // down into the room under the ring first, then flatter, but never so flat that a top broker's
      // "★ leads" line meets the broker below it (a tag over the controller's box still reads: it is
      // drawn above it, on a halo)
      const shift = Math.min(lo - minY, Math.max(0, hi - maxY));
      const span = maxY - minY;
      const scale = Math.min(1, Math.max((2 * brokerR + 34) / span, (hi - lo) / span));
      const bottom = maxY + shift;
      for (const b of brokers) b.y = bottom - (maxY - b.y) * scale;
    }
  }
  nodes.push(...brokers);
  const column = (ids: readonly string[], x: number, kind: NodeKind) => {
    const gap = (height - top) / (ids.length + 1);
    ids.forEach((id, i) => {
      // Large type in a narrow run (presentation mode, two runs side by side): a box wider than its
      // column moves inwards rather than off the edge.
      const halfW = (inp.clientWidth?.(id) ?? 0) / 2 + 4;
      const xi = Math.min(Math.max(x, halfW), width - halfW);
      nodes.push({ key: nodeKey(id), kind, label: id, x: xi, y: top + gap * (i + 1), r: Math.max(12, Math.min(22, gap / 2 - 4)) });
    });
  };
  column(inp.producers, sideL / 2 + 8, 'producer');
  column(inp.consumers, width - (sideR - beside) / 2 - 8, 'consumer');
  return { width, height, nodes, byKey: new Map(nodes.map((p) => [p.key, p])), consumerLabelUnder };
}

/** A point along the link from a to b, stopping at the nodes' rims, offset sideways so the two
 *  directions of a link are drawn as two lanes (a request and its answer never overlap). */
export function pointOnLink(a: NodePlace, b: NodePlace, progress: number, lane = 6): { x: number; y: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const start = a.r;
  const end = len - b.r;
  const d = start + (end - start) * Math.max(0, Math.min(1, progress));
  return { x: a.x + ux * d - uy * lane, y: a.y + uy * d + ux * lane };
}

/** Grid for the aggregated overview of big clusters: columns × rows that fit `count` cells. */
export function gridFor(count: number, width: number, height: number): { cols: number; rows: number; cell: number } {
  if (count <= 0) return { cols: 0, rows: 0, cell: 0 };
  let best = { cols: 1, rows: count, cell: Math.min(width, height / count) };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const cell = Math.min(width / cols, height / rows);
    if (cell > best.cell) best = { cols, rows, cell };
  }
  return best;
}
