"""Split a walk into comma-separated items (tags) with their weights and source spans."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from animagine_prompt.diagnostics import Span
from animagine_prompt.syntax._walk import Event

_SEPARATORS = re.compile(r"[,\n]")


@dataclass(frozen=True, slots=True)
class TagItem:
    """One comma-separated item of a prompt.

    ``text`` is the literal text (syntax removed, escapes resolved, outer whitespace stripped);
    ``weight`` its effective weight; ``span`` the source of the whole item (brackets included,
    outer whitespace excluded); ``text_span`` the source of its text only.

    >>> from animagine_prompt.syntax import parse
    >>> item = parse("1girl, (green hair:1.2)").tags()[1]
    >>> item.text, item.weight, item.span, item.text_span, item.source
    ('green hair', 1.2, (7, 23), (8, 18), '(green hair:1.2)')
    """

    text: str
    weight: float
    span: Span
    text_span: Span
    source: str


def split_items(events: Iterable[Event], source: str, begin: int = 0, stop: int | None = None) -> list[TagItem]:
    """Items from a walk in ``all`` mode (every schedule branch and option is an item of its own);
    the walked nodes cover ``source[begin:stop]``."""
    items: list[TagItem] = []
    pieces: list[tuple[str, float, int, int]] = []
    # where the current item may start in the source; None: at its text (after a schedule edge)
    limit: list[int | None] = [begin]

    def flush(end_limit: int | None) -> None:
        text = "".join(p[0] for p in pieces).strip()
        if text:
            content = [p for p in pieces if p[0].strip()]
            first, last = content[0], content[-1]
            lead = len(first[0]) - len(first[0].lstrip())
            trail = len(last[0]) - len(last[0].rstrip())
            exact_first = first[3] - first[2] == len(first[0])
            exact_last = last[3] - last[2] == len(last[0])
            text_span = (first[2] + (lead if exact_first else 0), last[3] - (trail if exact_last else 0))
            weight = max(content, key=lambda p: len(p[0].strip()))[1]
            start = text_span[0] if limit[0] is None else min(limit[0], text_span[0])
            end = text_span[1] if end_limit is None else max(end_limit, text_span[1])
            raw = source[start:end]
            stripped = raw.strip()
            start += len(raw) - len(raw.lstrip())
            span = (start, start + len(stripped))
            items.append(TagItem(text, weight, span, text_span, stripped))
        pieces.clear()

    for event in events:
        tag = event.kind
        if tag == "text":
            _, leaf, value, weight, start, end, _ = event
            if leaf is not None and getattr(leaf, "kind", None) == "and":
                flush(start)
                limit[0] = end
            elif end - start == len(value) and ("," in value or "\n" in value):
                # separators sit inside text tokens: split there (offsets map one to one)
                offset = 0
                for match in _SEPARATORS.finditer(value):
                    if match.start() > offset:
                        pieces.append((value[offset : match.start()], weight, start + offset, start + match.start()))
                    flush(start + match.start())
                    limit[0] = start + match.end()
                    offset = match.end()
                if offset < len(value):
                    pieces.append((value[offset:], weight, start + offset, end))
            else:
                pieces.append((value, weight, start, end))
        elif tag in ("break", "sep"):
            node = event[1]
            span = getattr(node, "span", None)
            if span is not None:
                flush(span[0])
                limit[0] = span[1]
            else:
                flush(None)
                limit[0] = None
    flush(len(source) if stop is None else stop)
    return items
