// Debounced analysis of both editors through /api/analyze. An editor's data-state is
// "pending" from an edit until the analysis of its current text is shown, then "ready".
import { api } from "./api.js";
import { showAnalysis } from "./editor.js";

// one User Timing mark of each name, the latest (marks otherwise pile up for the page's lifetime)
function mark(name) {
  performance.clearMarks(name);
  performance.mark(name);
}

// what an unanalysed text shows: nothing
const emptyView = (text) => ({ text, spans: [], tags: [], networks: [], chunks: [], findings: [] });

export class Analyzer {
  constructor({ editors, presets, onResult, onError, delay = 80 }) {
    this.editors = editors; // {prompt: {view, container}, negative: {view, container}}
    this.presets = presets;
    this.onResult = onResult;
    this.onError = onError;
    this.delay = delay;
    this.timer = null;
    this.controller = null;
    this.latest = null; // the last result shown
    this.wanted = 0; // counts changes (edits, presets): only the newest one's result is shown
  }

  // User Timing marks (analysis-scheduled, -sent, -received, -shown) let a profiler or benchmarks/webui_browser.py
  // split the round trip into debounce, request and drawing. `now`: a finished edit (a paste, a
  // drop, a fix, a new preset), sent without waiting for a pause.
  schedule({ now = false } = {}) {
    mark("analysis-scheduled");
    this.wanted += 1;
    // the answer to a request already sent can no longer be shown: not worth reading
    this.controller?.abort();
    this.controller = null;
    for (const { container } of Object.values(this.editors)) container.dataset.state = "pending";
    clearTimeout(this.timer);
    this.timer = now ? null : setTimeout(() => this.run(), this.delay);
    if (now) this.run();
  }

  texts() {
    return {
      prompt: this.editors.prompt.view.state.doc.toString(),
      negative: this.editors.negative.view.state.doc.toString(),
    };
  }

  async run() {
    this.timer = null;
    const controller = (this.controller = new AbortController());
    const texts = this.texts();
    const wanted = this.wanted;
    let result;
    mark("analysis-sent");
    try {
      result = await api.analyze({ ...texts, presets: this.presets() }, controller.signal);
    } catch (error) {
      if (controller.signal.aborted || wanted !== this.wanted) return;
      // nothing shown is current: back to idle until the next edit
      for (const { container } of Object.values(this.editors)) container.dataset.state = "idle";
      this.onError(error);
      return;
    }
    mark("analysis-received");
    // a change since the request was sent has scheduled the next one already
    if (wanted !== this.wanted) return;
    this.latest = result;
    for (let [name, view] of [
      ["prompt", result.prompt],
      ["negative", result.negative],
    ]) {
      const editor = this.editors[name];
      view = view ?? emptyView(texts[name]);
      showAnalysis(editor.view, view);
      editor.container.dataset.findings = String(view.findings.length);
    }
    this.onResult(result);
    for (const { container } of Object.values(this.editors)) container.dataset.state = "ready";
    mark("analysis-shown");
  }
}
