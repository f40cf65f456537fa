// The scenario editor: CodeMirror 6 with its YAML language, line numbers, wrapped lines that keep
// their indentation, completion from the project's JSON Schema (schema-complete.ts), and the CLI's
// own validation messages (`file:line:column  path  message`) shown in place: underlined, with a mark
// in the lint gutter, and listed below (a click moves the cursor there). Validation runs in a worker
// (hooks.check), debounced as you type: typing never waits for it, and only the latest text's answer
// is shown. Ctrl+Enter (or Run ▶) runs the text; with errors it says so and goes to the first one.

import { autocompletion, closeBrackets, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorSelection, EditorState, RangeSetBuilder } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import type { ScenarioError } from '../../src/scenario/index.ts';
import type { ScenarioCheck } from '../run/check.ts';
import schemaJson from '../../scenarios/scenario.schema.json';
import { completeAt, type JsonSchema } from './schema-complete.ts';

export interface EditorHooks {
  /** Parse and validate off the main thread; undefined when a newer request superseded this one. */
  check(text: string, fileName: string): Promise<ScenarioCheck | undefined>;
  format(e: ScenarioError): string;
  /** A text's check arrived (the page keeps it: How often? runs the editor's text when valid). */
  checked?(text: string, check: ScenarioCheck): void;
  run(text: string): void;
  close(): void;
}

const schema = schemaJson as unknown as JsonSchema;

/** Completion source: the schema's keys and values at the cursor. */
function schemaSource(ctx: CompletionContext): CompletionResult | null {
  const r = completeAt(ctx.state.doc.toString(), ctx.pos, schema);
  if (!r || !r.options.length) return null;
  if (r.from === ctx.pos && !ctx.explicit && r.kind === 'key') return null; // nothing typed yet: only on Ctrl+Space
  return {
    from: r.from,
    options: r.options.map((o) => ({ label: o.label, apply: o.apply, type: o.type, info: o.info })),
    validFor: /^[\w.$-]*$/,
  };
}

/**
 * Wrapped lines keep their indentation: each line is indented as a hanging paragraph by its own
 * leading spaces (and a list item's "- "), so a continuation starts under its first word.
 */
const hangingIndent = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.build(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged || u.viewportChanged) this.decorations = this.build(u.view);
    }
    build(view: EditorView): DecorationSet {
      const b = new RangeSetBuilder<Decoration>();
      for (const { from, to } of view.visibleRanges) {
        for (let pos = from; pos <= to; ) {
          const line = view.state.doc.lineAt(pos);
          const m = /^(\s*(?:-\s+)?)/.exec(line.text);
          const n = m ? m[1].length : 0;
          if (n > 0) b.add(line.from, line.from, Decoration.line({ attributes: { style: `padding-left: calc(${n}ch + 6px); text-indent: -${n}ch` } }));
          pos = line.to + 1;
        }
      }
      return b.finish();
    }
  },
  { decorations: (v) => v.decorations },
);

export class Editor {
  private timer: number | undefined;
  readonly pane = document.getElementById('editor-pane') as HTMLElement;
  private readonly host = document.getElementById('editor') as HTMLElement;
  private readonly status = document.getElementById('editor-status') as HTMLElement;
  private readonly errors = document.getElementById('editor-errors') as HTMLOListElement;
  private readonly view: EditorView;
  private fileName = 'scenario.yaml';
  /** The last check shown, for Run ▶ to say what is wrong. */
  private lastCheck: { text: string; check: ScenarioCheck } | undefined;
  private settingText = false;

  constructor(private readonly hooks: EditorHooks) {
    this.view = new EditorView({
      parent: this.host,
      state: this.state(''),
    });
    // The contenteditable is what tests and assistive technology type into.
    this.view.contentDOM.dataset.testid = 'editor';
    this.view.contentDOM.setAttribute('aria-label', 'Scenario text (YAML)');
    (this.host as HTMLElement & { cmView?: EditorView }).cmView = this.view;
    // Typing is not a playback shortcut.
    this.host.addEventListener('keydown', (ev) => ev.stopPropagation());
    (document.getElementById('editor-run') as HTMLButtonElement).addEventListener('click', () => void this.runNow());
    (document.getElementById('editor-close') as HTMLButtonElement).addEventListener('click', () => this.hooks.close());
    this.errors.addEventListener('click', (ev) => {
      const li = (ev.target as Element).closest('[data-line]');
      if (li) this.goTo(Number(li.getAttribute('data-line')), Number(li.getAttribute('data-column')));
    });
  }

  private state(doc: string): EditorState {
    return EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        lintGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        yaml(),
        EditorView.lineWrapping,
        hangingIndent,
        EditorState.tabSize.of(2),
        autocompletion({ override: [schemaSource], icons: false }),
        keymap.of([
          // Completion first: Escape closes an open completion list before it closes the editor.
          ...completionKeymap,
          { key: 'Mod-Enter', run: () => (void this.runNow(), true) },
          { key: 'Escape', run: () => (this.hooks.close(), true) },
          ...defaultKeymap,
          ...historyKeymap,
          indentWithTab,
        ]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !this.settingText) this.schedule();
        }),
      ],
    });
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /**
   * Show a text. `pending` is its check when the page has already asked for one (opening a
   * scenario checks it anyway): the editor shows that answer instead of validating the text again.
   */
  setText(text: string, fileName: string, pending?: Promise<ScenarioCheck | undefined>): void {
    window.clearTimeout(this.timer);
    this.settingText = true;
    try {
      this.view.setState(this.state(text));
    } finally {
      this.settingText = false;
    }
    this.fileName = fileName;
    if (!pending) {
      void this.validateNow();
      return;
    }
    const shown = this.text; // the document normalises line breaks: compare with what it holds
    this.checking();
    pending.then(
      (c) => {
        if (!c) return;
        this.hooks.checked?.(text, c);
        if (this.text === shown) this.showCheck(c, shown);
      },
      () => undefined, // cancelled: a newer scenario was opened and set its own text
    );
  }

  get open(): boolean {
    return !this.pane.hidden;
  }

  show(on: boolean): void {
    this.pane.hidden = !on;
    if (on) {
      this.view.requestMeasure();
      this.view.focus();
    }
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
    const text = this.text;
    this.checking();
    let c: ScenarioCheck | undefined;
    try {
      c = await this.hooks.check(text, this.fileName);
    } catch (e) {
      if (this.text === text) {
        this.status.textContent = `✕ could not check: ${e instanceof Error ? e.message : String(e)}`;
        this.status.className = 'bad';
      }
      return false;
    }
    if (!c) return false; // superseded by a newer text
    this.hooks.checked?.(text, c);
    if (this.text !== text) return false;
    this.showCheck(c, text);
    return c.errorCount === 0;
  }

  /** Offsets in the document of a 1-based line and column (clamped into it). */
  private offsetOf(line: number, column: number): number {
    const doc = this.view.state.doc;
    const l = doc.line(Math.max(1, Math.min(doc.lines, line || 1)));
    return Math.min(l.to, l.from + Math.max(0, (column || 1) - 1));
  }

  private showCheck(c: ScenarioCheck, text: string): void {
    this.lastCheck = { text, check: c };
    this.errors.innerHTML = '';
    const diagnostics: Diagnostic[] = [];
    for (const e of c.errors) {
      const li = document.createElement('li');
      li.textContent = this.hooks.format({ ...e, file: this.fileName });
      li.dataset.line = String(e.line);
      li.dataset.column = String(e.column);
      this.errors.appendChild(li);
      // In place: from the error's column to the end of its word (or of its line).
      const from = this.offsetOf(e.line, e.column);
      const lineEnd = this.view.state.doc.lineAt(from).to;
      const rest = this.view.state.doc.sliceString(from, lineEnd);
      const word = /^[^\s,:}\]]+/.exec(rest)?.[0].length ?? 0;
      const to = Math.min(lineEnd, from + Math.max(1, word || rest.length));
      diagnostics.push({ from, to: Math.max(to, from), severity: 'error', message: `${e.path ? `${e.path}: ` : ''}${e.message}`, source: 'kafkasim validate' });
    }
    if (c.errorCount > c.errors.length) {
      const li = document.createElement('li');
      li.className = 'more';
      li.textContent = `… and ${(c.errorCount - c.errors.length).toLocaleString('en')} more`;
      this.errors.appendChild(li);
    }
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
    const n = c.errorCount;
    this.status.textContent = n === 0 ? '✓ valid' : `✕ ${n.toLocaleString('en')} error${n > 1 ? 's' : ''}`;
    this.status.className = n === 0 ? 'ok' : 'bad';
  }

  private async runNow(): Promise<void> {
    const text = this.text;
    if ((await this.validateNow()) && this.text === text) {
      this.hooks.run(text);
      return;
    }
    // Not run: say why, where everyone looks (the status), and go to the first error.
    const c = this.lastCheck?.text === this.text ? this.lastCheck.check : undefined;
    if (!c || c.errorCount === 0) return; // edited meanwhile: its own check is on the way
    const first = c.errors[0];
    const n = c.errorCount;
    this.status.textContent = `✕ not run: ${n.toLocaleString('en')} error${n > 1 ? 's' : ''} to fix first${first ? ` (line ${first.line}:${first.column})` : ''}`;
    this.status.className = 'bad refused';
    this.errors.classList.remove('flash');
    void this.errors.offsetWidth;
    this.errors.classList.add('flash');
    if (first) this.goTo(first.line, first.column);
  }

  private goTo(line: number, column: number): void {
    const pos = this.offsetOf(line, column);
    this.view.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
    this.view.focus();
  }
}
