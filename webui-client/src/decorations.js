// Highlighting from the server's analysis: syntax spans, tags by Danbooru category, effective
// weights and chunk boundaries. Nothing here decides what a construct is; the spans say.
import { Decoration, WidgetType } from "@codemirror/view";

// span kind -> CSS class; groups and parts get a weight badge instead
const SPAN_CLASS = {
  bracket: "cm-ap-bracket",
  schedule: "cm-ap-schedule",
  alternation: "cm-ap-schedule",
  switch: "cm-ap-switch",
  and: "cm-ap-and",
  break: "cm-ap-break",
  network: "cm-ap-network",
  escape: "cm-ap-escape",
  comment: "cm-ap-comment",
  embedding: "cm-ap-embedding",
  stray: "cm-ap-stray",
};

export function formatWeight(weight) {
  return Number.isInteger(weight) ? weight.toFixed(1) : String(Number(weight.toFixed(3)));
}

class WeightBadge extends WidgetType {
  constructor(weight) {
    super();
    this.weight = weight;
  }
  eq(other) {
    return other.weight === this.weight;
  }
  toDOM() {
    const badge = document.createElement("span");
    badge.className = `cm-ap-weight ${this.weight > 1 ? "cm-ap-weight-up" : "cm-ap-weight-down"}`;
    // drawn by CSS from the attribute: the editor's text content stays the prompt's text
    badge.dataset.weight = `×${formatWeight(this.weight)}`;
    badge.title = `effective weight ${formatWeight(this.weight)}`;
    return badge;
  }
}

class ChunkBoundary extends WidgetType {
  constructor(index) {
    super();
    this.index = index;
  }
  eq(other) {
    return other.index === this.index;
  }
  toDOM() {
    const mark = document.createElement("span");
    mark.className = "cm-ap-chunk-boundary";
    mark.dataset.chunk = String(this.index + 1);
    mark.title = `chunk ${this.index + 1} starts here (75 tokens each)`;
    return mark;
  }
}

// The decorations for one analysed text (`view` is the JSON of one prompt, UTF-16 offsets).
export function decorationsFor(view, length) {
  const ranges = [];
  const clamp = (n) => Math.max(0, Math.min(length, n));
  const mark = (from, to, spec) => {
    from = clamp(from);
    to = clamp(to);
    if (to > from) ranges.push(Decoration.mark(spec).range(from, to));
  };
  for (const tag of view.tags) {
    const cls = [`cm-ap-tag`, `cm-ap-cat-${tag.category}`];
    if (tag.emphasis !== "none") cls.push(`cm-ap-emphasis-${tag.emphasis}`);
    if (tag.cut) cls.push("cm-ap-cut");
    const weight = tag.weight == null ? "∞" : formatWeight(tag.weight);
    mark(tag.text_start, tag.text_end, {
      class: cls.join(" "),
      attributes: { title: `${tag.category} · weight ${weight} · chunk ${tag.chunk + 1}` },
    });
  }
  for (const span of view.spans) {
    const cls = SPAN_CLASS[span.kind];
    if (cls) mark(span.start, span.end, { class: cls });
    if (span.kind === "group" && span.weight != null && span.weight !== 1) {
      ranges.push(Decoration.widget({ widget: new WeightBadge(span.weight), side: 1 }).range(clamp(span.end)));
    }
  }
  for (const chunk of view.chunks) {
    if (chunk.index > 0 && chunk.start != null) {
      ranges.push(Decoration.widget({ widget: new ChunkBoundary(chunk.index), side: -1 }).range(clamp(chunk.start)));
    }
    if (chunk.cut) mark(chunk.cut.start, chunk.cut.end, { class: "cm-ap-cut" });
  }
  return Decoration.set(ranges, true);
}
