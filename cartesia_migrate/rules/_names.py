"""Every ``Name`` of a module, by value, with its parent: computed once per file, on demand.

Rules that decide at the end of the module whether a name is used elsewhere (CM404: a
voice dict variable; CM412: an imported name) need the file's ``Name`` nodes only when
the file has such a candidate, which few files have.  A ``visit_Name`` in the shared
traversal would cost a call per name in every file (names are a quarter of a tree's
nodes); this index walks the module once more, in the traversal's order, the first time
a rule asks, and is shared through ``ctx.notes``.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from ..walk import walk

NameUses = Dict[str, List[Tuple[cst.Name, Optional[cst.CSTNode]]]]


class _Collect(cst.BatchableCSTVisitor):
    def __init__(self, stack: List[cst.CSTNode], out: NameUses) -> None:
        super().__init__()
        self.stack = stack
        self.out = out

    def visit_Name(self, node: cst.Name) -> None:
        stack = self.stack
        parent = stack[-2] if len(stack) > 1 else None
        self.out.setdefault(node.value, []).append((node, parent))


def names_with_parents(ctx) -> NameUses:
    """value -> [(Name node, its parent node or None)], in traversal (source) order."""
    index = ctx.notes.get("names")
    if index is None:
        index = {}
        stack: List[cst.CSTNode] = []
        walk(ctx.module, [_Collect(stack, index)], stack)
        ctx.notes["names"] = index
    return index


def is_attribute_name(node: cst.Name, parent: Optional[cst.CSTNode]) -> bool:
    """``b`` in ``a.b`` (class identity: these node classes have no subclasses)."""
    return parent.__class__ is cst.Attribute and parent.attr is node  # type: ignore[union-attr]


def is_keyword_name(node: cst.Name, parent: Optional[cst.CSTNode]) -> bool:
    """``k`` in ``f(k=v)``."""
    return parent.__class__ is cst.Arg and parent.keyword is node  # type: ignore[union-attr]
