// The scenario editor is CodeMirror 6 (viz/app/editor.ts): its text is read and replaced through the
// EditorView the page keeps on the editor's host element, as a paste would (one change, undoable).
import type { Page } from 'playwright-core';

type Host = HTMLElement & { cmView: { state: { doc: { toString(): string; length: number } }; dispatch(tr: unknown): void } };

export function editorText(page: Page): Promise<string> {
  return page.evaluate(() => (document.getElementById('editor') as Host).cmView.state.doc.toString());
}

export function setEditorText(page: Page, text: string): Promise<void> {
  return page.evaluate((t) => {
    const v = (document.getElementById('editor') as Host).cmView;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: t }, userEvent: 'input.paste' });
  }, text);
}
