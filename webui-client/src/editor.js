// A CodeMirror 6 editor for a prompt: history, completion, lint diagnostics and the
// highlighting decorations the analysis sets.
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, drawSelection, keymap, placeholder } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { lintKeymap, setDiagnostics } from "@codemirror/lint";
import { decorationsFor } from "./decorations.js";
import { diagnosticsFor } from "./diagnostics.js";
import { optionClass, tagCompletions } from "./complete.js";

const setDecorations = StateEffect.define();

const analysisDecorations = StateField.define({
  create: () => Decoration.none,
  update(decorations, tr) {
    for (const effect of tr.effects) if (effect.is(setDecorations)) return effect.value;
    return decorations.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

// A paste or a drop is a finished edit: nobody types on after it within a keystroke's time, so it
// is analysed at once; typing waits for a pause. CodeMirror itself reads pastes and drops (its
// transactions say `input.paste`, `input.drop`); the input types cover the browser inserting them.
const FINISHED_INPUT = new Set(["insertFromPaste", "insertFromDrop", "insertFromPasteAsQuotation"]);
const FINISHED_EVENTS = ["input.paste", "input.drop", "input.fix"];

const finishedEdit = (update) =>
  update.transactions.some((tr) => FINISHED_EVENTS.some((event) => tr.isUserEvent(event)));

// `onChange({ finished })` runs on every edit, and already when the browser announces one
// (`beforeinput`): the editor reads typed text from the DOM a moment later, and until then it must
// not look "ready". `finished` is true for a paste, a drop or a quick fix.
export function createEditor({ parent, label, hint, onChange }) {
  let announced = false; // the last beforeinput announced a paste or a drop
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: "",
      extensions: [
        history(),
        drawSelection(),
        EditorView.lineWrapping,
        placeholder(hint),
        autocompletion({ override: [tagCompletions], optionClass, icons: false, activateOnTypingDelay: 60 }),
        keymap.of([...completionKeymap, ...lintKeymap, ...historyKeymap, ...defaultKeymap]),
        analysisDecorations,
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.domEventHandlers({
          beforeinput: (event) => {
            announced = FINISHED_INPUT.has(event.inputType);
            onChange({ finished: false });
            return false;
          },
        }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const finished = announced || finishedEdit(update);
          announced = false;
          onChange({ finished });
        }),
      ],
    }),
  });
}

// Shows one analysed text (the JSON of one prompt) in its editor; the text must be the editor's.
export function showAnalysis(view, result) {
  view.dispatch(setDiagnostics(view.state, diagnosticsFor(result)), {
    effects: setDecorations.of(decorationsFor(result, view.state.doc.length)),
  });
}

export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
