// The server's HTTP API (docs/webui.md). Every call goes to the page's own origin.

async function json(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // a body that is not JSON: the status line says enough
  }
  if (!response.ok) {
    const detail = body && typeof body.detail === "string" ? body.detail : `${response.status} ${response.statusText}`;
    throw new Error(detail);
  }
  return body;
}

function post(path, body, signal) {
  return fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal,
  }).then(json);
}

export const api = {
  info: () => fetch("/api/info").then(json),
  analyze: (body, signal) => post("/api/analyze", body, signal),
  complete: (q, limit, signal) =>
    fetch(`/api/complete?q=${encodeURIComponent(q)}&limit=${limit}`, { signal }).then(json),
  generate: (body) => post("/api/generate", body),
  stop: (job) => post(`/api/jobs/${encodeURIComponent(job)}/stop`, {}),
  events: (job) => new EventSource(`/api/jobs/${encodeURIComponent(job)}/events`),
  readPng: (file) =>
    fetch("/api/read-png", { method: "POST", headers: { "Content-Type": "image/png" }, body: file }).then(json),
};
