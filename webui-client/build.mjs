// Builds the web app's client into animagine_prompt/webui/static/: app.js (one minified ES
// module with CodeMirror bundled), app.css, index.html, and LICENSES.txt with the licence of
// every npm package the bundle contains. Run `npm ci && npm run build` here; the output is
// committed, so users of the Python package need no Node. `--out DIR` builds elsewhere (the
// tests compare such a build with the committed one).
import { build } from "esbuild";
import { copyFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const flag = process.argv.indexOf("--out");
const out = flag > 0 ? path.resolve(process.argv[flag + 1]) : path.resolve(here, "../animagine_prompt/webui/static");
await mkdir(out, { recursive: true });

const result = await build({
  entryPoints: { app: path.join(here, "src/main.js") },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020"],
  outdir: out,
  metafile: true,
  legalComments: "none", // the notices go to LICENSES.txt instead
  logLevel: "warning",
});
await build({
  entryPoints: { app: path.join(here, "src/app.css") },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: "warning",
});
await copyFile(path.join(here, "src/index.html"), path.join(out, "index.html"));

// The packages whose code is in the bundle, from esbuild's list of inputs.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
const notices = [
  "Third-party software bundled in app.js, with its licence notices.",
  "The rest of app.js, app.css and index.html are part of animagine-prompt (MIT).",
];
for (const name of [...packages].sort()) {
  const dir = path.join(here, "node_modules", name);
  const meta = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
  const file = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  if (!file) throw new Error(`${name} ships no licence file: check its licence before bundling it`);
  const text = (await readFile(path.join(dir, file), "utf8")).trim();
  notices.push(`${"=".repeat(72)}\n${name} ${meta.version} (${meta.license})\n${meta.homepage ?? meta.repository?.url ?? meta.repository ?? ""}\n\n${text}`);
}
await writeFile(path.join(out, "LICENSES.txt"), `${notices.join("\n\n")}\n`);

const bytes = result.metafile.outputs[path.relative(process.cwd(), path.join(out, "app.js"))]?.bytes;
console.log(`built ${out}: ${packages.size} packages bundled${bytes ? `, app.js ${bytes} bytes` : ""}`);
