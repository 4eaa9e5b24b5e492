"""The prompt language: one LALR grammar, a lossless tree, and its meaning in each dialect.

>>> from animagine_prompt.syntax import parse
>>> p = parse("1girl, (green hair:1.2), BREAK, <lora:detail:0.5>")
>>> [(f.text, f.weight) for f in p.fragments()]
[('1girl, ', 1.0), ('green hair', 1.2), (',', 1.0), ('BREAK', -1.0), (', ', 1.0)]
"""

from animagine_prompt.syntax._tags import TagItem
from animagine_prompt.syntax.convert import Conversion, convert
from animagine_prompt.syntax.dialects import DIALECTS, Dialect, get_dialect
from animagine_prompt.syntax.fragments import Fragment
from animagine_prompt.syntax.nodes import (
    Alternate,
    ExtraNetwork,
    Group,
    Leaf,
    Node,
    PromptTree,
    Schedule,
    iter_leaves,
    render,
)
from animagine_prompt.syntax.prompt import Prompt, SubPrompt, parse

__all__ = [
    "DIALECTS",
    "Alternate",
    "Conversion",
    "Dialect",
    "ExtraNetwork",
    "Fragment",
    "Group",
    "Leaf",
    "Node",
    "Prompt",
    "PromptTree",
    "Schedule",
    "SubPrompt",
    "TagItem",
    "convert",
    "get_dialect",
    "iter_leaves",
    "parse",
    "render",
]
