// The page: two prompt editors analysed live, presets, generation and the gallery.
import { api } from "./api.js";
import { Analyzer } from "./analysis.js";
import { applyEdits, safeEdits } from "./diagnostics.js";
import { acceptDrops } from "./drop.js";
import { createEditor, setText } from "./editor.js";
import { applySettings, fillForm, generationSettings, presetChoice } from "./form.js";
import { Generator } from "./generate.js";

const $ = (id) => document.getElementById(id);

function showMessage(text) {
  const message = $("message");
  message.textContent = text;
  message.hidden = !text;
}

const editors = {};
const analyzer = new Analyzer({
  editors,
  presets: presetChoice,
  onResult: showResult,
  onError: (error) => showMessage(`analysis failed: ${error.message}`),
});
for (const [name, hint] of [
  ["prompt", "1girl, green hair, sweater, looking at viewer, upper body"],
  ["negative", "lowres, bad anatomy, bad hands, text, error"],
]) {
  const container = $(name);
  const label = $(`${name}-label`).textContent;
  const onChange = ({ finished }) => analyzer.schedule({ now: finished });
  const view = createEditor({ parent: container, label, hint, onChange });
  editors[name] = { view, container };
}

function showChunks(name, view) {
  const counter = $(`${name}-chunks`);
  const chunks = view?.chunks ?? [];
  counter.textContent = chunks.length ? chunks.map((c) => `${c.used}/${c.length}`).join(" · ") : "0/75";
  counter.dataset.chunks = String(Math.max(1, chunks.length));
  counter.classList.toggle("full", chunks.some((c) => c.ends === "full"));
  const cuts = chunks.filter((c) => c.cut);
  const note = $(`${name}-cut`);
  note.hidden = cuts.length === 0;
  const quote = (text) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);
  note.textContent = cuts
    .map((c) => `chunk ${c.index + 1} ends inside “${quote(view.text.slice(c.cut.start, c.cut.end))}”: the model reads it in two halves`)
    .join("; ");
}

function showFindings(result) {
  const list = $("findings");
  list.replaceChildren();
  let safe = 0;
  for (const [name, view] of [
    ["prompt", result.prompt],
    ["negative", result.negative],
  ]) {
    for (const finding of view?.findings ?? []) {
      const item = document.createElement("li");
      item.className = `finding finding-${finding.severity}`;
      const where = document.createElement("button");
      where.type = "button";
      where.className = "finding-where";
      where.textContent = `${name} ${finding.start}`;
      where.addEventListener("click", () => {
        const editor = editors[name].view;
        editor.dispatch({ selection: { anchor: Math.min(finding.start, editor.state.doc.length) }, scrollIntoView: true });
        editor.focus();
      });
      const code = document.createElement("code");
      code.textContent = finding.code;
      item.append(where, " ", code, ` ${finding.message}`);
      if (finding.fix) item.append(` (${finding.fix.safe ? "safe fix" : "fix changes meaning"}: ${finding.fix.title})`);
      list.append(item);
      if (finding.fix?.safe) safe += 1;
    }
  }
  $("fix-all").disabled = safe === 0;
}

function showResult(result) {
  showMessage("");
  showChunks("prompt", result.prompt);
  showChunks("negative", result.negative);
  showFindings(result);
  const read = result.built ?? result;
  $("built-prompt").textContent = read.prompt.text;
  $("built-negative").textContent = read.negative?.text ?? "";
  $("built-presets").textContent = result.built?.presets ? `(${result.built.presets})` : "";
}

$("fix-all").addEventListener("click", () => {
  const result = analyzer.latest;
  if (!result) return;
  for (const name of ["prompt", "negative"]) {
    const view = result[name];
    if (view) applyEdits(editors[name].view, view.text, safeEdits(view));
  }
});

for (const id of ["quality", "style", "negative-preset", "quality-tags"]) {
  $(id).addEventListener("change", () => analyzer.schedule({ now: true }));
}

function insertLora(name) {
  const view = editors.prompt.view;
  const weight = Number.parseFloat($("lora-weight").value);
  const network = `<lora:${name}:${Number.isFinite(weight) ? weight : 1}>`;
  const end = view.state.doc.length;
  const before = view.state.doc.toString().trimEnd();
  const separator = before === "" || before.endsWith(",") ? (before === "" ? "" : " ") : ", ";
  view.dispatch({
    changes: { from: before.length, to: end, insert: separator + network },
    selection: { anchor: before.length + separator.length + network.length },
  });
  view.focus();
}

function showInfo(info) {
  $("version").textContent = `v${info.version}`;
  $("model").textContent = info.model ?? "";
  fillForm(info);
  const note = $("mode-note");
  note.hidden = info.generate;
  if (!info.generate) {
    note.textContent = "Prompt-only mode: install animagine-prompt[generate] to generate";
    if (info.generate_reason) note.title = info.generate_reason;
  }
  $("generate").disabled = !info.generate;
  const loras = $("loras");
  loras.replaceChildren();
  for (const name of info.loras) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "lora";
    button.textContent = name;
    button.title = `insert <lora:${name}:weight> into the prompt`;
    button.addEventListener("click", () => insertLora(name));
    item.append(button);
    loras.append(item);
  }
  if (!info.loras.length) loras.append(Object.assign(document.createElement("li"), { textContent: "none found" }));
}

let lastSeed = null;
function fillFrom({ prompt, negative, settings }) {
  if (prompt != null) setText(editors.prompt.view, prompt);
  if (negative != null) setText(editors.negative.view, negative);
  applySettings(settings ?? {});
  analyzer.schedule({ now: true });
}

const generator = new Generator({
  body: () => ({
    prompt: editors.prompt.view.state.doc.toString(),
    negative: editors.negative.view.state.doc.toString(),
    ...generationSettings(),
    // networks are read from the prompt text, where the LoRA list inserts them
    loras: [],
  }),
  onSeed: (seed) => {
    lastSeed = seed;
    $("last-seed").textContent = String(seed);
    $("seed-reuse").disabled = false;
  },
  onSend: (image) => {
    const settings = image.settings ?? {};
    fillFrom({ prompt: settings.prompt, negative: settings.negative, settings: { ...settings, seed: image.seed } });
  },
  onError: (error) => showMessage(error.message),
});
$("generate").addEventListener("click", () => generator.start());
$("stop").addEventListener("click", () => generator.stop());
$("seed-random").addEventListener("click", () => {
  $("seed").value = "";
});
$("seed-reuse").addEventListener("click", () => {
  if (lastSeed != null) $("seed").value = lastSeed;
});

acceptDrops({ onRead: fillFrom });

api
  .info()
  .then((info) => {
    showInfo(info);
    analyzer.schedule();
  })
  .catch((error) => showMessage(`cannot reach the server: ${error.message}`));
