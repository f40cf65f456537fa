// The scenario editor: the text of the scenario on screen, validated as you type (debounced) with
// the CLI's own messages (`file:line:column  path  message`); clicking a message moves the caret to
// its line and column. Ctrl+Enter (or Run) runs the edited text. Validation happens in a worker
// (hooks.check): typing never waits for the validator, and only the latest text's answer is shown.

import type { ScenarioError } from '../../src/scenario/index.ts';
import type { ScenarioCheck } from '../run/check.ts';

export interface EditorHooks {
  /** Parse and validate off the main thread; undefined when a newer request superseded this one. */
  check(text: string, fileName: string): Promise<ScenarioCheck | undefined>;
  format(e: ScenarioError): string;
  /** A text's check arrived (the page keeps it: How often? runs the editor's text when valid). */
  checked?(text: string, check: ScenarioCheck): void;
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
        void this.runNow();
      } else if (ev.key === 'Escape') {
        this.hooks.close();
      } else if (ev.key === 'Tab') {
        ev.preventDefault();
        this.area.setRangeText('  ', this.area.selectionStart, this.area.selectionEnd, 'end');
        this.schedule();
      }
    });
    (document.getElementById('editor-run') as HTMLButtonElement).addEventListener('click', () => void this.runNow());
    (document.getElementById('editor-close') as HTMLButtonElement).addEventListener('click', () => this.hooks.close());
    this.errors.addEventListener('click', (ev) => {
      const li = (ev.target as Element).closest('[data-line]');
      if (li) this.goTo(Number(li.getAttribute('data-line')), Number(li.getAttribute('data-column')));
    });
  }

  get text(): string {
    return this.area.value;
  }

  /**
   * Show a text. `pending` is its check when the page has already asked for one (opening a
   * scenario checks it anyway): the editor shows that answer instead of validating the text again.
   */
  setText(text: string, fileName: string, pending?: Promise<ScenarioCheck | undefined>): void {
    window.clearTimeout(this.timer);
    this.area.value = text;
    this.fileName = fileName;
    if (!pending) {
      void this.validateNow();
      return;
    }
    const shown = this.area.value; // a textarea normalises line breaks: compare with what it holds
    this.checking();
    pending.then(
      (c) => {
        if (!c) return;
        this.hooks.checked?.(text, c);
        if (this.area.value === shown) this.showCheck(c);
      },
      () => undefined, // cancelled: a newer scenario was opened and set its own text
    );
  }

  get open(): boolean {
    return !this.pane.hidden;
  }

  show(on: boolean): void {
    this.pane.hidden = !on;
    if (on) this.area.focus();
  }

  private schedule(): void {
    this.checking();
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.validateNow(), 250);
  }

  private checking(): void {
    this.status.textContent = 'checking…';
    this.status.className = '';
  }

  /** Validate the text as it is now; true when it is a valid scenario (false when edited meanwhile). */
  async validateNow(): Promise<boolean> {
    window.clearTimeout(this.timer);
    const text = this.area.value;
    this.checking();
    let c: ScenarioCheck | undefined;
    try {
      c = await this.hooks.check(text, this.fileName);
    } catch (e) {
      if (this.area.value === text) {
        this.status.textContent = `✕ could not check: ${e instanceof Error ? e.message : String(e)}`;
        this.status.className = 'bad';
      }
      return false;
    }
    if (!c) return false; // superseded by a newer text
    this.hooks.checked?.(text, c);
    if (this.area.value !== text) return false;
    this.showCheck(c);
    return c.errorCount === 0;
  }

  private showCheck(c: ScenarioCheck): void {
    this.errors.innerHTML = '';
    for (const e of c.errors) {
      const li = document.createElement('li');
      li.textContent = this.hooks.format({ ...e, file: this.fileName });
      li.dataset.line = String(e.line);
      li.dataset.column = String(e.column);
      this.errors.appendChild(li);
    }
    if (c.errorCount > c.errors.length) {
      const li = document.createElement('li');
      li.className = 'more';
      li.textContent = `… and ${(c.errorCount - c.errors.length).toLocaleString('en')} more`;
      this.errors.appendChild(li);
    }
    const n = c.errorCount;
    this.status.textContent = n === 0 ? '✓ valid' : `✕ ${n.toLocaleString('en')} error${n > 1 ? 's' : ''}`;
    this.status.className = n === 0 ? 'ok' : 'bad';
  }

  private async runNow(): Promise<void> {
    const text = this.area.value;
    if ((await this.validateNow()) && this.area.value === text) this.hooks.run(text);
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
