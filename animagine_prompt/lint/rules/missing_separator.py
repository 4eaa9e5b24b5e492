"""S103: tags written without a comma between them, or words without a space."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted, quoted_list
from animagine_prompt.lint._rule import Finding, Rule

_COUNT = re.compile(r"^(?:\d\+?(?:girl|boy|other)s?|solo)$")
# A run of letters and digits that may hide several words (`8kwallpaper`, `uglylongbody`).
_RUN = re.compile(r"[a-z0-9]{8,30}")
_RESOLUTION = re.compile(r"\d+k")


class MissingSeparator(Rule):
    """Missing separator: `green hair blue eyes` is two tags run together.

    ## What it does
    Reports an item that is not a tag but is several tags run together (in an item with
    brackets inside, such as `woman (fennec ears fox ears:1.1)`, each run of text between the
    brackets is looked at on its own; `1girl break 1boy` is left to S010):
    - split at a space into two known tags, where each part has at least two words or is a
      subject count such as `1girl` or `solo` (`green hair blue eyes`), or into two phrases of
      two or more words ending in the same noun, one of them a known tag (`fennec ears fox ears`);
    - split at spaces into up to four known tags, or three and an ordinary word, where at
      least two tags are not English words (`highres absurdres detailed`: sentences that mention one tag are prose);
    - one unknown run of letters that reads as a resolution and a word (`8kwallpaper`), or, in
      the negative prompt, as three words or tags (`uglylongbody`, in the model card's own
      negative): information, as it may also be a name. Two words are not enough:
      `easynegative` is an embedding, `artstation` a website; in the prompt a run of three
      words is as likely the trigger word of a LoRA.

    ## Why it matters
    Without the comma the model reads one long phrase; the tags it was trained on are weaker,
    and the phrase may bind the wrong attributes together. A run of letters without spaces is
    read as unrelated word pieces.

    ## Example
    ```text
    1girl, green hair blue eyes, smile
    ```
    Reports:

    - `green hair blue eyes`: 'green hair' and 'blue eyes' are run together: separate them with commas

    Use instead:
    ```text
    1girl, green hair, blue eyes, smile
    ```

    ## Fix safety
    The fix inserts commas between the tags. It is unsafe: the phrase may be deliberate prose.
    A run of letters has no fix: only the author knows whether spaces or commas belong there.
    """

    code = "S103"
    name = "missing-separator"
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.SOMETIMES

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report items that are known tags joined by spaces, or words joined without them."""
        from animagine_prompt.tags import is_english_word, is_prose

        db = ctx.database

        def known(text: str) -> bool:
            return ctx.category_of(text) is not None

        for text, (start, end), in_place in _pieces_of_items(ctx):
            words = text.split(" ")
            if len(words) == 1:
                key = text.lower()
                if _RUN.fullmatch(key) and not is_english_word(key) and db.lookup(text) is None:
                    pieces = _pieces(key, lambda p: is_english_word(p) or known(p) or bool(_RESOLUTION.fullmatch(p)))
                    resolution = pieces is not None and any(_RESOLUTION.fullmatch(p) for p in pieces)
                    # Three words run together are a typo in a negative prompt's list of defects
                    # (`uglylongbody`); in the prompt they are more likely a trigger or embedding name.
                    if pieces and (resolution or (len(pieces) == 3 and ctx.negative)):
                        yield self.finding(
                            ctx,
                            f"{quoted(text)} reads as {quoted(' '.join(pieces))} run together: "
                            "separate the words with spaces, or the tags with commas",
                            (start, end),
                            severity=Severity.INFO,
                        )
                continue
            # `1girl break 1boy` is a lowercase BREAK between tags: S010's to report.
            if len(words) > 8 or known(text) or any(w.lower() == "break" for w in words[1:-1]):
                continue
            parts = _two_strong(words, known)
            # Two tags that are not English need two words that are not: counted before the search.
            if parts is None and sum(not is_english_word(w) for w in words) >= 2:
                parts = _tags_and_words(words, known, is_prose)
            if parts is None:
                continue
            fix = None
            if in_place:
                cuts, at = [], start
                for part in parts[:-1]:
                    at += len(part)
                    cuts.append(Edit(at, at, ","))
                    at += 1
                fix = Fix("insert commas" if len(parts) > 2 else "insert a comma", tuple(cuts), Applicability.UNSAFE)
            yield self.finding(
                ctx,
                f"{quoted_list(parts)} are run together: separate them with commas",
                (start, end),
                fix,
            )


#: A run of an item's text between brackets, escapes included; a weight that ends it is cut off.
_SEGMENT = re.compile(r"(?:\\.|[^()\[\]\\])+")
_WEIGHT = re.compile(r"\s*:\s*[-+]?[\d.]+\s*$")
_ESCAPE = re.compile(r"\\(.)")


def _pieces_of_items(ctx: LintContext) -> Iterator[tuple[str, tuple[int, int], bool]]:
    """Each item's text with its span and whether the source holds it as is; an item with
    brackets inside (`woman (fennec ears fox ears:1.1)`) gives each run between them."""
    for item, plain in zip(ctx.tags, ctx.plain, strict=True):
        start, end = item.text_span
        if plain:
            yield item.text, (start, end), ctx.text[start:end] == item.text
            continue
        for match in _SEGMENT.finditer(ctx.text, start, end):
            raw = _WEIGHT.sub("", match.group()) if ctx.text.startswith(")", match.end()) else match.group()
            source = raw.strip()
            if source:
                at = match.start() + len(raw) - len(raw.lstrip())
                yield _ESCAPE.sub(r"\1", source), (at, at + len(source)), "\\" not in source


def _two_strong(words: list[str], known: Callable[[str], bool]) -> list[str] | None:
    """Two known tags of two or more words each (or subject counts), split at one space; or two
    such phrases ending in the same noun of which one is a tag (`fennec ears fox ears`)."""
    for cut in range(1, len(words)):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        if not (_strong(left) and _strong(right)):
            continue
        left_known, right_known = known(left), known(right)
        if left_known and right_known:
            return [left, right]
        same_noun = " " in left and " " in right and words[cut - 1].lower() == words[-1].lower()
        if same_noun and (left_known or right_known):
            return [left, right]
    return None


def _strong(part: str) -> bool:
    return " " in part or bool(_COUNT.match(part))


def _tags_and_words(words: list[str], known: Callable[[str], bool], prose: Callable[[str], bool]) -> list[str] | None:
    """The fewest parts (at most four), each a known tag or, once, an ordinary word, with at least
    two tags that are not prose."""
    from animagine_prompt.tags import is_english_word

    n = len(words)
    # best[i]: (parts, -tags, split) for words[:i]
    best: list[tuple[int, int, list[str]] | None] = [(0, 0, [])] + [None] * n
    for j in range(1, n + 1):
        for i in range(j):
            prev = best[i]
            if prev is None:
                continue
            part = " ".join(words[i:j])
            tag = known(part)
            if not tag and not (j == i + 1 and is_english_word(part)):
                continue
            cand = (prev[0] + 1, prev[1] - tag, [*prev[2], part])
            if best[j] is None or cand[:2] < best[j][:2]:  # type: ignore[index]  # best[j] is checked for None just before; mypy does not narrow list items
                best[j] = cand
    done = best[n]
    # A phrase of many parts, or with several non-tag words, is a sentence, not a tag list.
    if done is None or len(done[2]) > 4 or len(done[2]) + done[1] > 1:
        return None
    if sum(known(p) and not prose(p) for p in done[2]) < 2:
        return None
    return done[2]


def _pieces(run: str, word: Callable[[str], bool]) -> list[str] | None:
    """``run`` cut into the fewest pieces (two or three) that are words: three characters or
    more, or a resolution (`8k`)."""
    n = len(run)
    best: list[list[str] | None] = [[]] + [None] * n
    for j in range(2, n + 1):
        for i in range(0, j - 1):
            if j - i < 3 and not _RESOLUTION.fullmatch(run[i:j]):
                continue
            prev = best[i]
            if prev is None or len(prev) >= 3:
                continue
            piece = run[i:j]
            if word(piece) and (best[j] is None or len(prev) + 1 < len(best[j])):  # type: ignore[arg-type]  # best[j] is checked for None just before; mypy does not narrow list items
                best[j] = [*prev, piece]
    done = best[n]
    return done if done is not None and len(done) >= 2 else None
