// One tooltip for the whole page: views mark elements with data-tip (or call show/hide) and the
// tooltip follows the pointer. Text only (no HTML), so trace content cannot inject markup.

let el: HTMLElement | undefined;

function tip(): HTMLElement {
  el ??= document.getElementById('tooltip') ?? document.body.appendChild(Object.assign(document.createElement('div'), { className: 'tooltip', id: 'tooltip' }));
  return el;
}

export function showTip(text: string, x: number, y: number): void {
  const t = tip();
  t.textContent = text;
  t.hidden = false;
  const w = t.offsetWidth;
  const h = t.offsetHeight;
  t.style.left = `${Math.min(x + 14, window.innerWidth - w - 8)}px`;
  t.style.top = `${y + 16 + h > window.innerHeight ? y - h - 10 : y + 16}px`;
}

export function hideTip(): void {
  if (el) el.hidden = true;
}

/** Delegate: any element under `root` with a data-tip attribute (or whose ancestor has one) shows it. */
export function installTooltips(root: HTMLElement | SVGElement): void {
  root.addEventListener('pointermove', (ev) => {
    const e = ev as PointerEvent;
    const target = (e.target as Element | null)?.closest?.('[data-tip]');
    if (target) showTip(target.getAttribute('data-tip') ?? '', e.clientX, e.clientY);
    else hideTip();
  });
  root.addEventListener('pointerleave', hideTip);
}
