/**
 * A JSON, XML or HTML field: a code editor with highlighting, line numbers and error markers
 * (code-editor.ts, CodeMirror in a lazy chunk). Until that chunk has loaded, and for good if it
 * cannot load, the field is a plain textarea, which keeps every keystroke: the editor takes over
 * the text, the caret and the focus when it arrives.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { jsonSyntaxError } from "../../../contract/json-syntax.ts";
import { xmlProblemAt } from "../../../contract/xml-well-formed.ts";
import { useFrame } from "../context.ts";
import type { CodeEditor, CodeProblem } from "./code-editor.ts";
import type { FieldProps } from "./types.ts";

/** Where the shared validation found the field's problem, with the field's (localized) error. */
function problemAt(language: string, text: string, error: string | undefined): CodeProblem | undefined {
  if (!error) return undefined;
  const offset = language === "json" ? jsonSyntaxError(text)?.offset : language === "xml" ? xmlProblemAt(text)?.offset : undefined;
  return offset === undefined ? undefined : { offset, message: error };
}

/** How the editor's chunk is loaded; tests replace it to make the load fail. */
export const editorChunk = { load: () => import("./code-editor.ts") };

export function CodeField({ def, value, onChange, aria, readOnly, error }: FieldProps<"code">) {
  const { t, theme } = useFrame();
  const text = typeof value === "string" ? value : "";
  const host = useRef<HTMLDivElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const editor = useRef<CodeEditor | undefined>(undefined);
  const [state, setState] = useState<"loading" | "ready" | "fallback">("loading");
  /** The textarea had focus when the editor arrived: the editor takes it once it is shown. */
  const takeFocus = useRef(false);
  // The editor's callbacks outlive renders: they read the latest props through this.
  const latest = useRef({ onChange, text });
  latest.current = { onChange, text };

  const attributes = {
    id: aria.id,
    "aria-labelledby": `${aria.id}-label`,
    ...(aria["aria-describedby"] ? { "aria-describedby": aria["aria-describedby"] } : {}),
    "aria-invalid": String(aria["aria-invalid"]),
    "aria-required": String(aria["aria-required"]),
    "aria-readonly": String(readOnly),
  };
  const dark = theme.resolved.value === "dark";

  useEffect(() => {
    let live = true;
    editorChunk
      .load()
      .then(({ createCodeEditor }) => {
        const area = textarea.current;
        const focused = !!area && document.activeElement === area;
        return createCodeEditor({
          parent: host.current!,
          language: def.language,
          value: latest.current.text,
          readOnly,
          attributes,
          dark,
          selection: area ? { anchor: area.selectionStart, head: area.selectionEnd } : undefined,
          onChange: (next) => latest.current.onChange(next),
        }).then((made) => {
          if (!live) return made.destroy();
          editor.current = made;
          takeFocus.current = focused;
          setState("ready");
        });
      })
      // The chunk (or a grammar) did not load: the textarea stays, with everything typed in it.
      .catch(() => live && setState("fallback"));
    return () => {
      live = false;
      editor.current?.destroy();
      editor.current = undefined;
    };
  }, []);

  useEffect(() => {
    if (state === "ready" && takeFocus.current) editor.current?.focus();
    takeFocus.current = false;
  }, [state]);

  useEffect(() => {
    editor.current?.update({ value: text, readOnly, attributes, problem: problemAt(def.language, text, error), dark });
  });

  return (
    <div class="em-code">
      <span class="em-code-lang">
        {t("field.language", { language: def.language.toUpperCase() })}
      </span>
      {state !== "ready" && (
        <textarea
          {...aria}
          ref={textarea}
          class="em-input em-textarea em-mono"
          style={{ "--em-code-lines": text.split("\n").length }}
          spellcheck={false}
          autocapitalize="off"
          value={text}
          readOnly={readOnly}
          data-fallback={state === "fallback" ? "" : undefined}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      )}
      <div ref={host} class="em-code-editor" hidden={state !== "ready"} />
    </div>
  );
}
