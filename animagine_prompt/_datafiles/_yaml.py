"""YAML: data built from the parser's events with an explicit stack, aliases counted as they expand."""

from __future__ import annotations

from typing import Any, NoReturn

from ._bounds import too_deep, too_long
from ._model import MAX_DEPTH, MAX_DIGITS, Fail, Located, LocatedDict, LocatedList

__all__ = ["load_yaml"]

#: Aliases may repeat data up to this many times the size of the text (plus a fixed allowance).
_EXPANSION = 10
_EXPANSION_BASE = 100_000

_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_COLLECTIONS = (None, "!", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")


class _Open:
    """A list or mapping being read: where it started, its pending key, merges to apply."""

    __slots__ = ("anchor", "cost", "key", "merges", "value")

    def __init__(self, value: LocatedDict | LocatedList, anchor: str | None, cost: int) -> None:
        self.value = value
        self.anchor = anchor
        self.cost = cost  # the expansion count when it opened
        self.key: Any = _NO_KEY
        self.merges: list[dict[Any, Any]] = []


_NO_KEY = object()
_MERGE_KEY = object()


def load_yaml(text: str, located: bool, fail: Fail) -> Any:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the same events, faster
    loader = loader_class(text)
    try:
        return _YamlReader(loader, text, located, fail).read()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = (None, None) if mark is None else (mark.line + 1, mark.column + 1)
        if problem == "exceeded maximum nesting depth" and mark is not None:  # libyaml's own limit, at 1000
            fail(*too_deep(*where))
        fail(f"invalid YAML: {problem}", *where)
    finally:
        loader.dispose()


class _YamlReader:
    """Builds data from the parser's events with an explicit stack (the event parsers do not
    recurse), counting what aliases expand to."""

    def __init__(self, loader: Any, text: str, located: bool, fail: Fail) -> None:
        self.loader = loader
        self.located = located
        self.fail = fail
        self.budget = _EXPANSION_BASE + _EXPANSION * len(text)
        self.cost = 0  # size of the data with every alias expanded: items, plus characters of text
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Open] = []
        self.root: Any = None

    def error(self, message: str, mark: Any) -> NoReturn:
        self.fail(message, mark.line + 1, mark.column + 1)

    def read(self) -> Any:
        import yaml

        loader = self.loader
        documents = 0
        while True:
            event = loader.get_event()
            start: Any = event.start_mark  # libyaml's marks are untyped, Python's optional: always set here
            anchor: Any = getattr(event, "anchor", None)
            if isinstance(event, yaml.ScalarEvent):
                self.add(self.scalar(event), anchor, start, 1 + len(event.value))
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if event.tag not in _COLLECTIONS:
                    self.error(f"invalid YAML: the tag {_short(event.tag)} is not supported here; remove it", start)
                if len(self.stack) >= MAX_DEPTH:
                    self.fail(*too_deep(start.line + 1, start.column + 1))
                mapping = isinstance(event, yaml.MappingStartEvent)
                value: LocatedDict | LocatedList = LocatedDict() if mapping else LocatedList()
                value.line = start.line + 1
                value.lines = {} if mapping else []
                if anchor is not None:
                    self.anchors.pop(anchor, None)  # a redefined anchor is not usable inside itself
                self.stack.append(_Open(value, anchor, self.cost))
                self.spend(1, start)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                done = self.stack.pop()
                if done.merges:
                    self.merge(done)
                if done.anchor is not None:
                    self.anchors[done.anchor] = (done.value, self.cost - done.cost)
                self.add(done.value, None, start, 0, line=done.value.line)
            elif isinstance(event, yaml.AliasEvent):
                anchored = self.anchors.get(anchor)
                if anchored is None:
                    if any(o.anchor == anchor for o in self.stack):
                        self.error(f"invalid YAML: the alias *{anchor} is used inside its own anchor", start)
                    self.error(f"invalid YAML: the alias *{anchor} names no anchor defined before it", start)
                value, cost = anchored
                self.add(value, None, start, cost)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.error("invalid YAML: expected a single document, found another; split the file", start)
            elif isinstance(event, yaml.StreamEndEvent):
                return self.root

    def spend(self, cost: int, mark: Any) -> None:
        self.cost += cost
        if self.cost > self.budget:
            self.error(
                f"aliases expand the data past {self.budget} items and characters, more than "
                f"{_EXPANSION} times the file; write the repeated parts out or repeat them less",
                mark,
            )

    def add(self, value: Any, anchor: str | None, mark: Any, cost: int, *, line: int | None = None) -> None:
        """Put a finished value where it belongs: under the pending key, in the open list, or at the root."""
        self.spend(cost, mark)
        if anchor is not None:
            self.anchors[anchor] = (value, cost)
        line = mark.line + 1 if line is None else line
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        container = top.value
        if isinstance(container, LocatedList):
            container.append(value)
            container.lines.append(line)
            return
        if top.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                self.error("invalid YAML: a key is a list or a mapping; keys must be plain values such as text", mark)
            top.key = _MERGE_KEY if isinstance(value, _Merge) else value
            if top.key is not _MERGE_KEY:
                container.lines[value] = line
            return
        if top.key is _MERGE_KEY:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(s, dict) for s in sources):
                self.error("invalid YAML: a merge key (<<) takes a mapping or a list of mappings", mark)
            top.merges.extend(sources)
        else:
            container[top.key] = value
        top.key = _NO_KEY

    def merge(self, done: _Open) -> None:
        # As PyYAML merges: the mapping's own keys win, then the merged mappings in the order given.
        own = done.value
        for source in done.merges:
            for key, value in source.items():
                if key not in own:
                    own[key] = value
                    if isinstance(source, LocatedDict):
                        own.lines[key] = source.lines.get(key, own.line)
            self.spend(len(source), _NoMark(own.line))

    def scalar(self, event: Any) -> Any:
        import yaml
        from yaml.constructor import SafeConstructor

        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            if not self.located:
                return event.value
            out = Located(event.value)
            out.start, out.end = event.start_mark.index, event.end_mark.index
            out.line, out.column = event.start_mark.line + 1, event.start_mark.column + 1
            out.style = event.style or None
            return out
        if tag == _MERGE and self.stack and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _NO_KEY:
            return _Merge()
        if tag in _NUMBERS and len(event.value) > MAX_DIGITS:
            self.fail(*too_long(len(event.value), event.start_mark.line + 1, event.start_mark.column + 1))
        construct = SafeConstructor.yaml_constructors.get(tag)
        if construct is None or tag == _MERGE:
            self.error(f"invalid YAML: the tag {_short(tag)} is not supported here; remove it", event.start_mark)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return construct(self.loader, node)
        except ValueError as exc:
            self.error(
                f"invalid YAML: cannot read {event.value[:40]!r} as {tag.rsplit(':', 1)[-1]} ({exc})", event.start_mark
            )


def _short(tag: str) -> str:
    """``!!set`` for ``tag:yaml.org,2002:set``, as people write it."""
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


class _Merge:
    """The ``<<`` key of a mapping, whose value is merged into it."""


class _NoMark:
    """A position for a message that has only a line."""

    def __init__(self, line: int) -> None:
        self.line = line - 1
        self.column = 0
