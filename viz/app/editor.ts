// The scenario editor: the text of the scenario on screen, validated as you type (debounced) with
// the CLI's own messages (`file:line:column  path  message`); clicking a message moves the caret to
// its line and column. Ctrl+Enter (or Run) runs the edited text.

import type { ScenarioError } from '../../src/scenario/index.ts';

export interface EditorHooks {
  validate(text: string): ScenarioError[];
  format(e: ScenarioError): string;
  run(text: string): void;
  close(): void;
}

export class Editor {
  private timer: number | undefined;
  readonly pane = document.getElementById('editor-pane') as HTMLElement;
  private readonly area = document.getElementById('editor') as HTMLTextAreaElement;
  private readonly status = document.getElementById('editor-status') as HTMLElement;
  private readonly errors = document.getElementById('editor-errors') as HTMLOListElement;
  private fileName = 'scenario.yaml';

  constructor(private readonly hooks: EditorHooks) {
    this.area.addEventListener('input', () => this.schedule());
    this.area.addEventListener('keydown', (ev) => {
      ev.stopPropagation(); // typing is not a playback shortcut
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        this.runNow();
      } else if (ev.key === 'Escape') {
        this.hooks.close();
      } else if (ev.key === 'Tab') {
        ev.preventDefault();
        this.area.setRangeText('  ', this.area.selectionStart, this.area.selectionEnd, 'end');
        this.schedule();
      }
    });
    (document.getElementById('editor-run') as HTMLButtonElement).addEventListener('click', () => this.runNow());
    (document.getElementById('editor-close') as HTMLButtonElement).addEventListener('click', () => this.hooks.close());
    this.errors.addEventListener('click', (ev) => {
      const li = (ev.target as Element).closest('[data-line]');
      if (li) this.goTo(Number(li.getAttribute('data-line')), Number(li.getAttribute('data-column')));
    });
  }

  get text(): string {
    return this.area.value;
  }

  setText(text: string, fileName: string): void {
    this.area.value = text;
    this.fileName = fileName;
    this.validateNow();
  }

  get open(): boolean {
    return !this.pane.hidden;
  }

  show(on: boolean): void {
    this.pane.hidden = !on;
    if (on) this.area.focus();
  }

  private schedule(): void {
    this.status.textContent = 'checking…';
    this.status.className = '';
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.validateNow(), 250);
  }

  /** Validate now; true when the text is a valid scenario. */
  validateNow(): boolean {
    window.clearTimeout(this.timer);
    const errs = this.hooks.validate(this.area.value).map((e) => ({ ...e, file: this.fileName }));
    this.errors.innerHTML = '';
    for (const e of errs) {
      const li = document.createElement('li');
      li.textContent = this.hooks.format(e);
      li.dataset.line = String(e.line);
      li.dataset.column = String(e.column);
      this.errors.appendChild(li);
    }
    this.status.textContent = errs.length === 0 ? '✓ valid' : `✕ ${errs.length} error${errs.length > 1 ? 's' : ''}`;
    this.status.className = errs.length === 0 ? 'ok' : 'bad';
    return errs.length === 0;
  }

  private runNow(): void {
    if (this.validateNow()) this.hooks.run(this.area.value);
  }

  private goTo(line: number, column: number): void {
    const lines = this.area.value.split('\n');
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    pos += Math.max(0, column - 1);
    this.area.focus();
    this.area.setSelectionRange(pos, pos);
    const lh = parseFloat(getComputedStyle(this.area).lineHeight) || 18;
    this.area.scrollTop = Math.max(0, (line - 5) * lh);
  }
}
