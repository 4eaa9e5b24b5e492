// The presets and generation settings: filled from /api/info, read into request bodies,
// written back from an image's settings (gallery "send to prompt", a dropped PNG).
const $ = (id) => document.getElementById(id);

// `none` adds an empty choice, unless the server lists a "none" of its own
function fillSelect(select, values, { none = null } = {}) {
  select.replaceChildren();
  if (none && !values.includes("none")) select.append(new Option(none, ""));
  for (const value of values) {
    const [text, key] = Array.isArray(value) ? value : [value, value];
    select.append(new Option(text, key));
  }
}

const NONE = ["", "none"];

// Selects `value` in `select`, adding it as an option when the list lacks it (a dropped PNG can
// name a sampler or preset this server does not list).
function choose(select, value) {
  if (value == null || NONE.includes(value)) {
    const none = [...select.options].find((o) => NONE.includes(o.value));
    if (none) select.value = none.value;
    return;
  }
  const key = String(value);
  const found = [...select.options].find((o) => o.value === key || o.textContent === key);
  if (!found) select.append(new Option(key, key));
  select.value = found ? found.value : key;
}

export function fillForm(info) {
  fillSelect($("quality"), info.presets.quality, { none: "none" });
  fillSelect($("style"), info.presets.style, { none: "none" });
  fillSelect($("negative-preset"), info.presets.negative, { none: "none" });
  // the listed sizes are suggestions: any WxH the server accepts can be typed
  const sizes = $("size-list");
  sizes.replaceChildren();
  for (const s of info.sizes) sizes.append(new Option(s.name, `${s.width}x${s.height}`));
  const named = info.sizes.find((s) => s.name === info.defaults.size);
  fillSelect($("sampler"), info.samplers);
  const d = info.defaults;
  choose($("quality"), d.quality);
  choose($("style"), d.style);
  choose($("negative-preset"), d.negative ?? null);
  $("size").value = named ? `${named.width}x${named.height}` : d.size;
  choose($("sampler"), d.sampler);
  $("steps").value = d.steps;
  $("guidance").value = d.guidance;
  $("hires").checked = Boolean(d.hires);
}

export function presetChoice() {
  const value = (id) => $(id).value || null;
  return {
    quality: value("quality"),
    style: value("style"),
    negative: value("negative-preset"),
    quality_tags: $("quality-tags").checked,
  };
}

const intOrNull = (text) => (text.trim() === "" ? null : Number.parseInt(text, 10));

export function generationSettings() {
  return {
    presets: presetChoice(),
    size: $("size").value.trim() || null,
    sampler: $("sampler").value,
    steps: intOrNull($("steps").value),
    guidance: Number.parseFloat($("guidance").value),
    seed: intOrNull($("seed").value),
    num_images: intOrNull($("num-images").value) ?? 1,
    hires: $("hires").checked,
  };
}

// Writes the settings an image was made with (the keys of a generate body) into the form.
export function applySettings(settings = {}) {
  const presets = settings.presets ?? {};
  if ("quality" in presets) choose($("quality"), presets.quality);
  if ("style" in presets) choose($("style"), presets.style);
  if ("negative" in presets) choose($("negative-preset"), presets.negative);
  if ("quality_tags" in presets) $("quality-tags").checked = Boolean(presets.quality_tags);
  if (settings.size != null) {
    const size = typeof settings.size === "string" ? settings.size : `${settings.size[0]}x${settings.size[1]}`;
    $("size").value = size;
  } else if (settings.width && settings.height) {
    $("size").value = `${settings.width}x${settings.height}`;
  }
  if (settings.sampler != null) choose($("sampler"), settings.sampler);
  if (settings.steps != null) $("steps").value = settings.steps;
  if (settings.guidance != null) $("guidance").value = settings.guidance;
  if (settings.seed != null) $("seed").value = settings.seed;
  if (settings.num_images != null) $("num-images").value = settings.num_images;
  if (settings.hires != null) $("hires").checked = Boolean(settings.hires);
}
