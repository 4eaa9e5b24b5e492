// Generation: POST /api/generate, then the job's server-sent events drive #progress, the
// preview and the gallery; Stop asks the server to stop after the current step.
import { api } from "./api.js";

const $ = (id) => document.getElementById(id);

export class Generator {
  constructor({ body, onSeed, onSend, onError }) {
    this.body = body; // () => the generate request body
    this.onSeed = onSeed;
    this.onSend = onSend; // (image event data) => fill the form from an image
    this.onError = onError;
    this.job = null;
    this.source = null;
  }

  setProgress(state, { step, steps, text } = {}) {
    const progress = $("progress");
    progress.dataset.state = state;
    if (step != null) progress.dataset.step = String(step);
    if (steps != null) progress.dataset.steps = String(steps);
    const bar = $("progress-bar");
    bar.max = Number(progress.dataset.steps) || 1;
    bar.value = Number(progress.dataset.step) || 0;
    $("progress-text").textContent = text ?? state;
    const busy = state === "queued" || state === "running";
    $("generate").disabled = busy;
    $("stop").disabled = !busy;
  }

  async start() {
    this.close();
    this.setProgress("queued", { step: 0, steps: 0, text: "starting" });
    $("preview").hidden = true;
    let started;
    try {
      started = await api.generate(this.body());
    } catch (error) {
      this.setProgress("error", { text: error.message });
      this.onError(error);
      return;
    }
    this.job = started.job;
    this.onSeed(started.seed);
    this.listen(started.job);
  }

  listen(job) {
    const source = (this.source = api.events(job));
    const on = (name, handle) =>
      source.addEventListener(name, (event) => {
        if (source === this.source) handle(event.data ? JSON.parse(event.data) : {});
      });
    on("queued", (d) => this.setProgress("queued", { text: `queued, position ${d.position}` }));
    on("progress", (d) => {
      const text =
        d.stage === "loading" ? "loading the model" : `${d.stage === "hires" ? "hires " : ""}step ${d.step}/${d.steps}`;
      this.setProgress("running", { step: d.step, steps: d.steps, text });
      if (d.preview) {
        $("preview").src = d.preview;
        $("preview").hidden = false;
      }
    });
    on("image", (d) => this.addImage(d));
    on("done", () => this.finish("done", "done"));
    on("stopped", () => this.finish("stopped", "stopped"));
    on("error", (d) => {
      // an EventSource "error" without data is the connection dropping, not the job failing
      if (d && d.message) this.finish("error", d.message);
    });
    source.onerror = () => {
      if (source === this.source && source.readyState === EventSource.CLOSED) {
        this.finish("error", "lost the connection to the server");
      }
    };
  }

  finish(state, text) {
    this.setProgress(state, { text });
    $("preview").hidden = true;
    this.close();
  }

  close() {
    this.source?.close();
    this.source = null;
  }

  async stop() {
    if (!this.job) return;
    try {
      await api.stop(this.job);
    } catch (error) {
      this.onError(error);
    }
  }

  addImage(image) {
    const item = document.createElement("figure");
    item.className = "gallery-item";
    const img = document.createElement("img");
    img.src = image.url;
    img.alt = `image ${image.index + 1}, seed ${image.seed}`;
    const caption = document.createElement("figcaption");
    caption.textContent = `seed ${image.seed}`;
    const download = document.createElement("a");
    download.className = "download";
    download.href = `${image.url}?download=1`;
    download.download = image.url.split("/").pop();
    download.textContent = "Download";
    const send = document.createElement("button");
    send.type = "button";
    send.className = "send-to-prompt";
    send.textContent = "Send to prompt";
    send.addEventListener("click", () => this.onSend(image));
    caption.append(" ", download, " ", send);
    item.append(img, caption);
    $("gallery").prepend(item);
  }
}
