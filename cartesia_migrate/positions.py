"""Source offsets of a few nodes, from one lean code-generation pass.

libcst's ``PositionProvider`` records a line/column range for *every* node, splitting
every token on newlines (about 3x the parse).  We need ranges only for the handful of
nodes that findings and fixes refer to, so this state tracks one running character
offset and records only the requested nodes.  Offsets index ``module.code``, which is
the source text itself; the engine turns them into rows and columns.

Semantics match ``PositionProvider``: the syntactic range (a statement without its
leading lines, a node without its surrounding whitespace) where libcst records one.
"""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Set, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState

Span = Tuple[int, int]


class _OffsetState(CodegenState):
    __slots__ = ("offset", "wanted", "spans", "_starts")

    def __init__(self, module: cst.Module, wanted: Set[int]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.offset = 0
        self.wanted = wanted  # ids of nodes to record
        self.spans: Dict[int, Span] = {}
        self._starts: List[int] = []

    def add_indent_tokens(self) -> None:
        for t in self.indent_tokens:
            self.tokens.append(t)
            self.offset += len(t)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.offset += len(value)

    def pop_trailing_newline(self) -> None:
        if self.tokens:
            self.offset -= len(self.tokens.pop())

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self._starts.append(self.offset)

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted:
            start = self._starts.pop()
            if key not in self.spans:
                self.spans[key] = (start, self.offset)

    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: Optional[cst.CSTNode] = None,
                                  end_node: Optional[cst.CSTNode] = None):
        # called for most nodes: a generator-based context manager here costs a third of the pass
        if id(node) not in self.wanted:
            return _NULL
        return _Recorder(self, node, start_node, end_node)


class _Null:
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> bool:
        return False


_NULL = _Null()


class _Recorder:
    """Records the syntactic range of a wanted node (with hoisted start/end children)."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _OffsetState, node, start_node, end_node) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node
        for child in (start_node, end_node):  # the hoisted children must be recorded too
            if child is not None:
                state.wanted.add(id(child))

    def __enter__(self) -> None:
        self.start = self.state.offset

    def __exit__(self, *exc) -> bool:
        st = self.state
        start, end = self.start, st.offset
        if self.start_node is not None:
            start = st.spans[id(self.start_node)][0]
        if self.end_node is not None:
            end = st.spans[id(self.end_node)][1]
        st.spans[id(self.node)] = (start, end)
        return False


def spans(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> Dict[int, Span]:
    """id(node) -> (start offset, end offset) for each of ``nodes`` (syntactic ranges)."""
    wanted = {id(n) for n in nodes}
    state = _OffsetState(module, wanted)
    module._codegen(state)
    return state.spans
