// The linter's findings as @codemirror/lint diagnostics, their fixes as actions.

// Applies a fix's edits (offsets into `text`) when the editor still holds that text.
export function applyEdits(view, text, edits) {
  if (view.state.doc.toString() !== text || edits.length === 0) return false;
  view.dispatch({
    changes: edits.map((e) => ({ from: e.start, to: e.end, insert: e.content })),
    userEvent: "input.fix",
  });
  return true;
}

export function diagnosticsFor(result) {
  const length = result.text.length;
  const clamp = (n) => Math.max(0, Math.min(length, n));
  return result.findings.map((finding) => {
    const actions = [];
    if (finding.fix) {
      const { title, safe, edits } = finding.fix;
      actions.push({
        name: safe ? title : `${title} (changes meaning)`,
        apply: (view) => applyEdits(view, result.text, edits),
      });
    }
    return {
      from: clamp(finding.start),
      to: clamp(finding.end),
      severity: finding.severity,
      message: `${finding.code}: ${finding.message}`,
      actions,
    };
  });
}

// Whether `edit` touches a range an earlier chosen fix edits: two insertions at one point, or an
// edit overlapping a range, would make the order matter (the rule of `lint --fix`, one round).
function touches(edit, [start, end]) {
  if (edit.start === edit.end || start === end) {
    return (start <= edit.start && edit.start <= end) || (edit.start <= start && start <= edit.end);
  }
  return edit.start < end && start < edit.end;
}

// The edits of every safe fix of one analysed text that does not touch an earlier one, in
// source order; the next analysis offers what is left.
export function safeEdits(result) {
  const span = (fix) => [Math.min(...fix.map((e) => e.start)), Math.max(...fix.map((e) => e.end))];
  const fixes = result.findings.filter((f) => f.fix && f.fix.safe).map((f) => f.fix.edits);
  fixes.sort((a, b) => {
    const [sa, ea] = span(a);
    const [sb, eb] = span(b);
    return sa - sb || ea - eb;
  });
  const taken = [];
  const edits = [];
  for (const fix of fixes) {
    if (fix.some((edit) => taken.some((busy) => touches(edit, busy)))) continue;
    edits.push(...fix);
    taken.push(...fix.map((e) => [e.start, e.end]));
  }
  return edits.sort((a, b) => a.start - b.start || a.end - b.end);
}
