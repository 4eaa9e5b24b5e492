// The page is a drop target for PNGs: the server reads their metadata, the form is filled.
import { api } from "./api.js";

export function acceptDrops({ onRead }) {
  const status = document.getElementById("drop-status");
  const report = (state, text) => {
    status.dataset.state = state;
    status.textContent = text;
  };
  const isFile = (event) => [...(event.dataTransfer?.types ?? [])].includes("Files");
  document.addEventListener("dragover", (event) => {
    if (!isFile(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    document.body.classList.add("dragging");
  });
  document.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
  document.addEventListener("drop", async (event) => {
    if (!isFile(event)) return;
    event.preventDefault();
    document.body.classList.remove("dragging");
    const file = event.dataTransfer.files[0];
    if (!file) return;
    if (file.type && file.type !== "image/png") {
      report("error", `${file.name} is not a PNG: drop a PNG made by A1111, the Animagine app or this tool`);
      return;
    }
    try {
      const read = await api.readPng(file);
      onRead(read);
      report("loaded", `read the prompt and settings of ${file.name}`);
    } catch (error) {
      report("error", `${file.name}: ${error.message}`);
    }
  });
}
