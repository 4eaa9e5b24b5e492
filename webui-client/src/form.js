// The presets and generation settings: filled from /api/info, read into request bodies,
// written back from an image's settings (gallery "send to prompt", a dropped PNG).
const $ = (id) => document.getElementById(id);

function fillSelect(select, values, { none = null } = {}) {
  select.replaceChildren();
  if (none) select.append(new Option(none, ""));
  for (const value of values) {
    const [text, key] = Array.isArray(value) ? value : [value, value];
    select.append(new Option(text, key));
  }
}

// Selects `value` in `select`, adding it as an option when the list lacks it (a dropped PNG can
// name a size or sampler this server does not list).
function choose(select, value) {
  if (value == null || value === "") {
    if ([...select.options].some((o) => o.value === "")) select.value = "";
    return;
  }
  const key = String(value);
  const found = [...select.options].find((o) => o.value === key || o.textContent === key || o.dataset.name === key);
  if (!found) select.append(new Option(key, key));
  select.value = found ? found.value : key;
}

export function fillForm(info) {
  fillSelect($("quality"), info.presets.quality, { none: "none" });
  fillSelect($("style"), info.presets.style, { none: "none" });
  fillSelect($("negative-preset"), info.presets.negative, { none: "none" });
  const size = $("size");
  size.replaceChildren();
  for (const s of info.sizes) {
    const option = new Option(`${s.width}×${s.height} ${s.name}`, `${s.width}x${s.height}`);
    option.dataset.name = s.name;
    size.append(option);
  }
  fillSelect($("sampler"), info.samplers);
  const d = info.defaults;
  choose($("quality"), d.quality);
  choose($("style"), d.style);
  choose($("negative-preset"), d.negative ?? null);
  choose($("size"), d.size);
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
    size: $("size").value,
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
    choose($("size"), size);
  } else if (settings.width && settings.height) {
    choose($("size"), `${settings.width}x${settings.height}`);
  }
  if (settings.sampler != null) choose($("sampler"), settings.sampler);
  if (settings.steps != null) $("steps").value = settings.steps;
  if (settings.guidance != null) $("guidance").value = settings.guidance;
  if (settings.seed != null) $("seed").value = settings.seed;
  if (settings.num_images != null) $("num-images").value = settings.num_images;
  if (settings.hires != null) $("hires").checked = Boolean(settings.hires);
}
