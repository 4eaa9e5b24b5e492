"""``animagine-prompt tags lookup|search``: what the tag database knows about items and names."""

from __future__ import annotations

import argparse
import json
from typing import Any

from animagine_prompt.cli._io import console

HELP = "look up prompt items in the Danbooru tag database, or search it"

# Danbooru's usual category colours.
_STYLES = {0: "bright_blue", 1: "red", 3: "magenta", 4: "green", 5: "dark_orange"}
_CATEGORIES = ("general", "artist", "copyright", "character", "meta")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``lookup`` and ``search`` verbs and their options to ``parser``.

    >>> parser = argparse.ArgumentParser(prog="tags")
    >>> add_arguments(parser)
    >>> args = parser.parse_args(["lookup", "hu tao", "gren hair", "--json"])
    >>> args.verb, args.items, args.json
    ('lookup', ['hu tao', 'gren hair'], True)
    """
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    lookup = verbs.add_parser(
        "lookup",
        help="what each item is: tag, category, post count, how it matched",
        description="Look up each item (Danbooru or prompt form). Exits 1 when an item is unknown.",
    )
    lookup.add_argument("items", nargs="+", metavar="TEXT", help="one prompt item each, e.g. 'hu tao'")
    lookup.add_argument("--suggest", type=int, default=3, metavar="N", help="near matches for unknown items")
    lookup.add_argument(
        "--series",
        action="append",
        default=[],
        metavar="NAME",
        help="a series the prompt names (repeatable): names that are also English words, such as "
        "'amber', are taken for its characters",
    )
    search = verbs.add_parser(
        "search",
        help="tags whose name or alias contains QUERY, most popular first",
        description="List tags whose name or alias contains QUERY, then near matches. Exits 1 when none.",
    )
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="most rows to show (default 20)")
    search.add_argument("--category", choices=_CATEGORIES, help="only tags of this category")
    for sub in (lookup, search):
        sub.add_argument(
            "--tags",
            action="append",
            metavar="PATH",
            help="tag file merged over the bundled set (repeatable; default: $ANIMAGINE_PROMPT_TAGS, "
            "then the config file)",
        )
        sub.add_argument("--no-bundled", action="store_true", help="use only the files given")
        sub.add_argument("--no-explicit", action="store_true", help="never suggest explicit tags")
        sub.add_argument("--json", action="store_true", help="print JSON (keys documented in docs/tags.md)")


def _database(args: argparse.Namespace) -> Any:
    from animagine_prompt.config import load_config
    from animagine_prompt.errors import UsageError
    from animagine_prompt.tags import load_database, resolve_tag_paths

    paths = resolve_tag_paths(args.tags, load_config())
    if args.no_bundled and not paths:
        raise UsageError("--no-bundled needs at least one tag file: add --tags PATH")
    db = load_database(paths, bundled=not args.no_bundled)
    return db.without_explicit() if args.no_explicit else db


def run(args: argparse.Namespace) -> int:
    """Run ``tags lookup`` or ``tags search``; 0 when everything was found, 1 otherwise.

    >>> parser = argparse.ArgumentParser(prog="tags")
    >>> add_arguments(parser)
    >>> run(parser.parse_args(["lookup", "blond hair", "--json"]))  # doctest: +ELLIPSIS
    [
      {
        "query": "blond hair",
        "match": {
          "tag": "blonde_hair",
    ...
    0
    """
    from animagine_prompt.errors import UsageError

    db = _database(args)
    if args.verb == "lookup":
        if args.suggest < 0:
            raise UsageError("--suggest must be 0 or more")
        return _lookup(db, args)
    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    return _search(db, args)


def _lookup(db: Any, args: argparse.Namespace) -> int:
    rows = []
    for text in args.items:
        match = db.lookup(text, series=args.series)
        suggestions = [] if match is not None and match.how != "fuzzy" else db.suggest(text, args.suggest)
        if match is not None and match.how == "fuzzy":
            suggestions = [s for s in suggestions if s.tag != match.tag]
        rows.append((text, match, suggestions[: args.suggest]))
    status = 1 if any(match is None for _, match, _ in rows) else 0
    if args.json:
        out = [
            {
                "query": text,
                "match": None if match is None else match.to_dict(),
                "suggestions": [s.to_dict() for s in suggestions],
            }
            for text, match, suggestions in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return status
    from rich.table import Table
    from rich.text import Text

    table = Table(title=None, show_edge=False, pad_edge=False)
    for column in ("item", "tag", "category", "posts", "match"):
        table.add_column(column, justify="right" if column == "posts" else "left")
    for text, match, suggestions in rows:
        if match is None:
            hint = ", ".join(s.prompt_form for s in suggestions)
            table.add_row(text, Text("unknown", style="dim"), "", "", f"did you mean: {hint}" if hint else "")
            continue
        table.add_row(
            text,
            _tag_text(match),
            _category_label(match),
            _posts(match.post_count),
            f"{match.how} {match.confidence:.2f}",
        )
    console().print(table)
    return status


def _search(db: Any, args: argparse.Namespace) -> int:
    category = None if args.category is None else _CATEGORIES.index(args.category)
    category = {2: 3, 3: 4, 4: 5}.get(category, category) if category is not None else None
    found = db.search(args.query, limit=args.limit, category=category)
    if args.json:
        out = [{**m.to_dict(), "aliases": list(db.aliases_of(m.tag))} for m in found]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0 if found else 1
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("tag")
    table.add_column("category")
    table.add_column("posts", justify="right")
    table.add_column("aliases")
    for match in found:
        aliases = db.aliases_of(match.tag)
        shown = ", ".join(aliases[:4]) + (f" (+{len(aliases) - 4})" if len(aliases) > 4 else "")
        table.add_row(_tag_text(match), _category_label(match), _posts(match.post_count), shown)
    out = console()
    if found:
        out.print(table)
    else:
        out.print(f"no tag contains or resembles {args.query!r}")
    return 0 if found else 1


def _tag_text(match: Any) -> Any:
    from rich.text import Text

    style = "bold yellow" if match.special is not None else _STYLES.get(match.category, "")
    return Text(match.prompt_form, style=style)


def _category_label(match: Any) -> str:
    if match.special is not None:
        return f"{match.special.kind} (Animagine)"
    return match.category_name


def _posts(count: int) -> str:
    return f"{count:,}" if count else "-"
