"use client";
/**
 * A YAML editor (CodeMirror 6): line numbers, YAML highlighting, and problems marked at their
 * line, both the parser's own (as the person types) and those the server gave (`problems`).
 * Uncontrolled after mount: the text lives in the editor, reported through `onChange`;
 * a new `initial` (another object, a reload) replaces it.
 */
import { yaml } from "@codemirror/lang-yaml";
import { type Diagnostic as CmDiagnostic, linter, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { type Diagnostic, syntaxDiagnostics } from "./yaml-diagnostics";

const toCm = (d: Diagnostic, length: number): CmDiagnostic => ({
  from: Math.min(d.from, length),
  to: Math.min(d.to, length),
  severity: "error",
  message: d.message,
});

export function YamlEditor(props: {
  initial: string;
  onChange(text: string): void;
  /** Problems the server found, already placed at their lines. */
  problems?: Diagnostic[];
  readOnly?: boolean;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: props.initial,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          linter((v) => syntaxDiagnostics(v.state.doc.toString()).map((d) => toCm(d, v.state.doc.length))),
          EditorState.readOnly.of(props.readOnly === true),
          EditorView.contentAttributes.of({ "aria-label": props.label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChange.current(u.state.doc.toString());
          }),
          EditorView.theme({ "&": { fontSize: "13px" }, ".cm-scroller": { fontFamily: "ui-monospace, monospace" } }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, [props.initial, props.readOnly, props.label]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch(
      setDiagnostics(
        v.state,
        (props.problems ?? []).map((d) => toCm(d, v.state.doc.length)),
      ),
    );
  }, [props.problems]);

  return (
    <div
      ref={host}
      data-testid="yaml-editor"
      className="max-h-[60vh] overflow-auto rounded-md border border-zinc-300 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
    />
  );
}
