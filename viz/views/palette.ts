// Colours and marks shared by every view: Okabe–Ito hues, each state doubled by a shape or a
// pattern so a viewer who cannot tell the hues apart (or a washed-out projector) still can.

export const C = {
  ink: '#111111',
  ink2: '#444444',
  ink3: '#767676',
  paper: '#ffffff',
  paper2: '#f4f4f2',
  rule: '#d0d0cc',
  blue: '#0072b2',
  sky: '#56b4e9',
  skyLight: '#d4ebf8',
  green: '#009e73',
  orange: '#e69f00',
  vermillion: '#d55e00',
  purple: '#cc79a7',
  yellow: '#f0e442',
} as const;

/** Message kinds: colour + shape. Requests are filled, responses hollow. */
export interface MessageStyle {
  color: string;
  shape: 'circle' | 'square' | 'diamond' | 'triangle';
  label: string;
}

export function messageStyle(kind: string): MessageStyle {
  const k = kind.replace(/-response$/, '');
  if (k === 'produce') return { color: C.purple, shape: 'circle', label: 'produce' };
  if (k === 'fetch' || k === 'replica-fetch') return { color: C.blue, shape: 'square', label: 'fetch' };
  if (k === 'consumer-fetch' || k === 'list-offsets') return { color: C.green, shape: 'square', label: 'consumer fetch' };
  if (k === 'metadata' || k === 'metadata-fetch' || k === 'update-metadata') return { color: C.orange, shape: 'diamond', label: 'metadata' };
  if (k.includes('heartbeat') || k.includes('registration') || k.includes('join') || k.includes('sync')) return { color: C.ink3, shape: 'triangle', label: 'heartbeat / group' };
  if (k.includes('alter-partition') || k.includes('leader')) return { color: C.vermillion, shape: 'diamond', label: 'leader / ISR change' };
  if (k.includes('commit') || k.includes('offset')) return { color: C.green, shape: 'triangle', label: 'offset commit' };
  return { color: C.ink2, shape: 'circle', label: k };
}

export function isResponse(kind: string): boolean {
  return kind.endsWith('-response') || kind.endsWith('-ack');
}

/** SVG path of a mark of radius r centred on 0,0. */
export function shapePath(shape: MessageStyle['shape'], r: number): string {
  switch (shape) {
    case 'circle':
      return `M${-r},0a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
    case 'square':
      return `M${-r * 0.85},${-r * 0.85}h${r * 1.7}v${r * 1.7}h${-r * 1.7}z`;
    case 'diamond':
      return `M0,${-r * 1.15}L${r * 1.15},0L0,${r * 1.15}L${-r * 1.15},0z`;
    case 'triangle':
      return `M0,${-r * 1.1}L${r},${r * 0.8}L${-r},${r * 0.8}z`;
  }
}

/** Pattern and marker definitions every SVG of the page includes once. */
export function defsMarkup(): string {
  return `
  <pattern id="hatch-uncommitted" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
    <rect width="6" height="6" fill="${C.skyLight}"/><line x1="0" y1="0" x2="0" y2="6" stroke="${C.sky}" stroke-width="2.5"/>
  </pattern>
  <pattern id="hatch-lost" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(-45)">
    <rect width="6" height="6" fill="${C.vermillion}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="1.6"/>
  </pattern>
  <pattern id="hatch-crashed" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
    <rect width="8" height="8" fill="#3a3a3a"/><line x1="0" y1="0" x2="0" y2="8" stroke="#5a5a5a" stroke-width="3"/>
  </pattern>
  <pattern id="hatch-leaderless" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
    <rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${C.ink}" stroke-width="2"/>
  </pattern>
  <pattern id="hatch-processing" patternUnits="userSpaceOnUse" width="5" height="5">
    <rect width="5" height="5" fill="#f5dcea"/><line x1="1" y1="0" x2="1" y2="5" stroke="${C.purple}" stroke-width="1.6"/>
  </pattern>
  <pattern id="dots-slow" patternUnits="userSpaceOnUse" width="6" height="6">
    <rect width="6" height="6" fill="#fbe3a8"/><circle cx="3" cy="3" r="1.4" fill="${C.orange}"/>
  </pattern>
  <marker id="arrow-cut" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
    <path d="M0,0L10,5L0,10z" fill="${C.vermillion}"/>
  </marker>`;
}
