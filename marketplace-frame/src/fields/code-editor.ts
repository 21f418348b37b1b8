/**
 * The code editor of JSON, XML and HTML config fields: CodeMirror 6, in a lazy chunk of its own
 * (fields/code.tsx loads it; until it has, and if it cannot, the field is a textarea). Each
 * language's grammar is a further chunk, so a JSON field never downloads the HTML one.
 *
 * - Keyboard: Tab and Shift+Tab leave the editor like any field (no `indentWithTab`); indent
 *   with Mod-] / Mod-[. The editable element carries the field's id, label, description, error
 *   and required/invalid/read-only state as ARIA, so a screen reader announces it as the field.
 * - Error markers: the field's error, placed where the shared validation found the problem
 *   (json-syntax.ts, xml-well-formed.ts), as a lint diagnostic with a gutter mark.
 * - Theme: every colour is a frame theme token (`var(--em-…)`), so host themes and the light
 *   and dark modes apply without rebuilding anything.
 * - CSP: styles go into an adopted stylesheet (adopted-styles.ts). Typing or deleting over a
 *   selection is applied by CodeMirror itself, not left to the browser: Chromium, replacing a
 *   selection across highlighted lines, keeps their look with a `style` attribute, which the CSP
 *   refuses and reports (`style-src-attr`), even in `plaintext-only` mode.
 */
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { tags } from "@lezer/highlight";
import { adoptCodeMirrorStyles } from "./adopted-styles.ts";

export type CodeLanguage = "json" | "xml" | "html";

/** Browser edits that would replace a selection; CodeMirror applies them instead (see above). */
const overSelection = new Set(["insertText", "insertReplacementText", "deleteContentBackward", "deleteContentForward", "deleteWordBackward", "deleteWordForward"]);

const replaceSelectionOurselves = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (!overSelection.has(event.inputType) || view.state.readOnly) return false;
    // The range the browser is about to replace, from the event itself: CodeMirror reads the
    // DOM selection on its next `selectionchange`, which a selection set by script (select all,
    // an assistive tool, a test driver) and an input in the same task both come before.
    // Without a target range, the DOM's own selection when it lies in the editor, then ours.
    const [from, to] = replacedRange(view, event);
    if (from === to) return false;
    event.preventDefault();
    const text = event.inputType.startsWith("insert") ? (event.data ?? event.dataTransfer?.getData("text/plain") ?? "") : "";
    view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length }, userEvent: text ? "input.type" : "delete.selection", scrollIntoView: true });
    return true;
  },
});

function replacedRange(view: EditorView, event: InputEvent): [number, number] {
  const target = event.getTargetRanges?.()[0];
  if (target) return ordered(view.posAtDOM(target.startContainer, target.startOffset), view.posAtDOM(target.endContainer, target.endOffset));
  const dom = (view.root as Document).getSelection?.();
  const inside = (node: Node | null | undefined) => !!node && view.contentDOM.contains(node);
  if (dom && !dom.isCollapsed && inside(dom.anchorNode) && inside(dom.focusNode)) {
    return ordered(view.posAtDOM(dom.anchorNode!, dom.anchorOffset), view.posAtDOM(dom.focusNode!, dom.focusOffset));
  }
  return [view.state.selection.main.from, view.state.selection.main.to];
}

const ordered = (a: number, b: number): [number, number] => (a <= b ? [a, b] : [b, a]);

/** Grammars load on demand; auto-closing tags are off (text appearing unasked confuses screen-reader users). */
const languages: Record<CodeLanguage, () => Promise<Extension>> = {
  json: () => import("@codemirror/lang-json").then((m) => m.json()),
  xml: () => import("@codemirror/lang-xml").then((m) => m.xml({ autoCloseTags: false })),
  html: () => import("@codemirror/lang-html").then((m) => m.html({ autoCloseTags: false })),
};

const v = (token: string) => `var(--em-${token})`;

const theme = EditorView.theme({
  "&": {
    color: v("color-text"),
    backgroundColor: v("color-surface-raised"),
    border: `${v("border-width")} solid ${v("color-border")}`,
    borderRadius: v("border-radius"),
    fontSize: "0.92em",
  },
  "&.cm-focused": {
    outline: "none",
    borderColor: v("color-focus-ring"),
    boxShadow: `0 0 0 3px color-mix(in srgb, ${v("color-focus-ring")} 30%, transparent)`,
  },
  "&:has(.cm-content[aria-invalid=true])": { borderColor: v("color-danger") },
  "&:has(.cm-content[aria-readonly=true])": { backgroundColor: v("color-surface") },
  ".cm-scroller": {
    fontFamily: v("font-family-mono"),
    lineHeight: "1.5",
    minHeight: `calc(${v("control-height")} * 3)`,
    maxHeight: "24em",
    borderRadius: "inherit",
  },
  ".cm-content": { padding: `calc(${v("spacing-unit")} * 2) 0`, caretColor: v("color-text") },
  ".cm-line": { padding: `0 calc(${v("spacing-unit")} * 2)` },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: v("color-text") },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": {
    backgroundColor: `color-mix(in srgb, ${v("color-primary")} 28%, transparent)`,
  },
  ".cm-gutters": {
    backgroundColor: v("color-surface"),
    color: v("color-text-muted"),
    borderRight: `${v("border-width")} solid ${v("color-border")}`,
    borderRadius: `${v("border-radius")} 0 0 ${v("border-radius")}`,
  },
  ".cm-activeLine": { backgroundColor: `color-mix(in srgb, ${v("color-primary")} 6%, transparent)` },
  ".cm-activeLineGutter": { backgroundColor: `color-mix(in srgb, ${v("color-primary")} 12%, transparent)`, color: v("color-text") },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: `color-mix(in srgb, ${v("color-success")} 25%, transparent)`, outline: `1px solid ${v("color-success")}` },
  "&.cm-focused .cm-nonmatchingBracket": { backgroundColor: `color-mix(in srgb, ${v("color-danger")} 25%, transparent)` },
  ".cm-lintRange-error": { textDecoration: `underline wavy ${v("color-danger")}`, textDecorationSkipInk: "none", backgroundImage: "none" },
  ".cm-tooltip": {
    backgroundColor: v("color-surface-raised"),
    color: v("color-text"),
    border: `${v("border-width")} solid ${v("color-border")}`,
    borderRadius: v("border-radius"),
    boxShadow: v("shadow"),
  },
  ".cm-diagnostic": { fontFamily: v("font-family"), padding: `calc(${v("spacing-unit")} * 1.5) calc(${v("spacing-unit")} * 3)` },
  ".cm-diagnostic-error": { borderLeft: `4px solid ${v("color-danger")}` },
});

/** Token colours from the theme's own colours: each keeps its contrast in light and dark. */
const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.tagName, tags.keyword], color: v("color-primary") },
  { tag: [tags.string, tags.attributeValue], color: v("color-success") },
  { tag: [tags.number, tags.bool, tags.null, tags.attributeName, tags.atom], color: v("color-warning") },
  { tag: [tags.comment, tags.meta, tags.processingInstruction, tags.documentMeta], color: v("color-text-muted"), fontStyle: "italic" },
  { tag: [tags.angleBracket, tags.separator, tags.brace, tags.squareBracket, tags.punctuation], color: v("color-text-muted") },
  { tag: tags.invalid, color: v("color-danger") },
]);

export interface CodeEditorOptions {
  parent: HTMLElement;
  language: CodeLanguage;
  value: string;
  readOnly: boolean;
  /** The editable element's id and ARIA attributes (label, description, error, state). */
  attributes: Record<string, string>;
  /** Where the editor's selection starts (the textarea's, when it hands over). */
  selection?: { anchor: number; head: number };
  dark: boolean;
  onChange: (value: string) => void;
}

/** The field's error, placed at `offset` (a UTF-16 offset into the text). */
export interface CodeProblem {
  offset: number;
  message: string;
}

export interface CodeEditor {
  /** Brings the editor up to date with the field: only what changed is dispatched. */
  update(next: { value: string; readOnly: boolean; attributes: Record<string, string>; problem: CodeProblem | undefined; dark: boolean }): void;
  focus(): void;
  destroy(): void;
}

export async function createCodeEditor(options: CodeEditorOptions): Promise<CodeEditor> {
  adoptCodeMirrorStyles();
  const language = await languages[options.language]();
  const readOnly = new Compartment();
  const attributes = new Compartment();
  const dark = new Compartment();
  const stateOf = (ro: boolean) => [EditorState.readOnly.of(ro)];
  /**
   * Texts the editor has reported that the field has not yet rendered back. Renders (and so
   * `update`) lag behind fast typing; an `update` with one of these is an echo of the editor's
   * own past, not a change from outside, and must not put the old text back (which would report
   * it again, and ping-pong).
   */
  const reported: string[] = [];
  /** Set while the editor applies a change from outside, which is not reported back as typed. */
  let applying = false;
  let lastReadOnly = options.readOnly;
  let lastAttributes = JSON.stringify(options.attributes);
  let lastProblem = "";
  let lastDark = options.dark;

  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.value,
      selection: options.selection && {
        anchor: Math.min(options.selection.anchor, options.value.length),
        head: Math.min(options.selection.head, options.value.length),
      },
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(highlight),
        lintGutter(),
        EditorView.lineWrapping,
        // No Tab binding: Tab moves focus on, as in every other field.
        keymap.of([...defaultKeymap, ...historyKeymap]),
        language,
        theme,
        dark.of(EditorView.darkTheme.of(options.dark)),
        readOnly.of(stateOf(options.readOnly)),
        attributes.of(EditorView.contentAttributes.of(options.attributes)),
        replaceSelectionOurselves,
        EditorView.updateListener.of((u) => {
          if (!u.docChanged || applying) return;
          const text = u.state.doc.toString();
          reported.push(text);
          if (reported.length > 100) reported.shift();
          options.onChange(text);
        }),
      ],
    }),
  });

  return {
    update(next) {
      const effects = [];
      if (next.readOnly !== lastReadOnly) effects.push(readOnly.reconfigure(stateOf((lastReadOnly = next.readOnly))));
      const attrs = JSON.stringify(next.attributes);
      if (attrs !== lastAttributes) {
        lastAttributes = attrs;
        effects.push(attributes.reconfigure(EditorView.contentAttributes.of(next.attributes)));
      }
      if (next.dark !== lastDark) effects.push(dark.reconfigure(EditorView.darkTheme.of((lastDark = next.dark))));
      // A value set from outside (the host's pre-fill) replaces the text; an echo of typing does not.
      const echo = reported.indexOf(next.value);
      if (echo >= 0) reported.splice(0, echo + 1);
      const changes = echo < 0 && next.value !== view.state.doc.toString() ? { from: 0, to: view.state.doc.length, insert: next.value } : undefined;
      if (effects.length || changes) {
        applying = true;
        try {
          view.dispatch({ effects, changes });
        } finally {
          applying = false;
        }
      }
      const problem = next.problem ? `${next.problem.offset}:${next.problem.message}` : "";
      if (problem !== lastProblem) {
        lastProblem = problem;
        view.dispatch(setDiagnostics(view.state, next.problem ? [diagnostic(view.state.doc.length, next.problem)] : []));
      }
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

/** One character at the problem (the last one when the text ends too early), never past the end. */
function diagnostic(length: number, problem: CodeProblem) {
  const from = Math.max(0, Math.min(problem.offset, length - 1));
  return { from, to: Math.min(length, from + 1), severity: "error" as const, message: problem.message };
}
