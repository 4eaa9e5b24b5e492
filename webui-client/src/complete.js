// Tag completion from /api/complete: the server ranks and renders; this only asks and shows.
import { api } from "./api.js";

// The item being typed: back to the last separator or bracket, leading spaces left out.
const ITEM_BEFORE = /[^,\n()[\]{}<>|]*$/;

export function formatCount(count) {
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(count >= 1e4 ? 0 : 1)}k`;
  return String(count);
}

export async function tagCompletions(context) {
  const before = context.matchBefore(ITEM_BEFORE);
  if (!before) return null;
  const lead = before.text.length - before.text.trimStart().length;
  const from = before.from + lead;
  const query = before.text.slice(lead);
  // a weight or schedule step being typed is not a tag
  if (/^[\d.:\s]*$/.test(query) || /:\s*[\d.]*$/.test(query) || (query.length < 2 && !context.explicit)) return null;
  const controller = new AbortController();
  context.addEventListener("abort", () => controller.abort());
  let items;
  try {
    ({ items } = await api.complete(query, 20, controller.signal));
  } catch {
    return null;
  }
  if (context.aborted) return null;
  return {
    from,
    filter: false,
    options: items.map((item) => ({
      label: item.alias ? `${item.alias} → ${item.label}` : item.label,
      apply: item.insert,
      detail: formatCount(item.count),
      type: item.category,
    })),
  };
}

export const optionClass = (completion) => `cm-ap-cat-${completion.type}`;
