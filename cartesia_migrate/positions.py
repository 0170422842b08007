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


# ---- only the statements that hold the nodes -------------------------------------------
#
# Most of a file with findings holds none: code generation can start at a statement if we
# know where it starts in the text.  CPython's tree (parsed anyway, see ``pyparse``) gives
# the first line of every statement; a statement's leading blank and comment lines are one
# text line each, and its indentation is that of the blocks around it.  The code generated
# for each statement is compared with the text at that place: any difference, any node
# not found, and the whole module is generated instead.


def statement_offsets(module: cst.Module, tree, index) -> Optional[Dict[int, Tuple[int, Tuple[str, ...]]]]:
    """id(statement) -> (start offset, indent tokens) for every statement of a block (the
    module's, an indented block's), paired with CPython's ``tree``; None when the two trees
    do not line up."""
    import ast

    out: Dict[int, Tuple[int, Tuple[str, ...]]] = {}
    default = module.default_indent

    def first(a) -> int:
        decorators = getattr(a, "decorator_list", None)
        return min([a.lineno] + [d.lineno for d in decorators]) if decorators else a.lineno

    def block(body, stmts, indent: Tuple[str, ...]) -> None:
        """``body``: a libcst suite (IndentedBlock / SimpleStatementSuite); ``stmts``: ast list."""
        if body.__class__ is cst.IndentedBlock:
            pair(body.body, stmts, indent + (body.indent if body.indent is not None else default,))

    def pair(lib, stmts, indent: Tuple[str, ...]) -> None:
        k = 0
        for s in lib:
            if k >= len(stmts):
                raise LookupError
            a = stmts[k]
            out[id(s)] = (index.line_start(first(a) - len(s.leading_lines)), indent)
            cls = s.__class__
            if cls is cst.SimpleStatementLine:
                k += len(s.body)
                continue
            k += 1
            inner(s, a, indent)

    def inner(s, a, indent: Tuple[str, ...]) -> None:
        cls = s.__class__
        if cls in (cst.FunctionDef, cst.ClassDef, cst.With):
            block(s.body, a.body, indent)
        elif cls is cst.If:
            block(s.body, a.body, indent)
            orelse = s.orelse
            if orelse is not None:
                if orelse.__class__ is cst.If:  # elif: the If in ast's orelse
                    if len(a.orelse) != 1 or not isinstance(a.orelse[0], ast.If):
                        raise LookupError
                    inner(orelse, a.orelse[0], indent)
                else:
                    block(orelse.body, a.orelse, indent)
        elif cls in (cst.For, cst.While):
            block(s.body, a.body, indent)
            if s.orelse is not None:
                block(s.orelse.body, a.orelse, indent)
        elif cls in (cst.Try, cst.TryStar):
            block(s.body, a.body, indent)
            if len(s.handlers) != len(a.handlers):
                raise LookupError
            for h, ah in zip(s.handlers, a.handlers):
                block(h.body, ah.body, indent)
            if s.orelse is not None:
                block(s.orelse.body, a.orelse, indent)
            if s.finalbody is not None:
                block(s.finalbody.body, a.finalbody, indent)
        elif cls is cst.Match:
            if len(s.cases) != len(a.cases):
                raise LookupError
            cases = indent + (s.indent if s.indent is not None else default,)  # `case` lines are indented
            for c, ac in zip(s.cases, a.cases):
                block(c.body, ac.body, cases)
        else:
            raise LookupError  # a statement this pairing does not know

    try:
        pair(module.body, tree.body, ())
    except (LookupError, AttributeError, TypeError):
        return None
    return out


def spans_in_units(module: cst.Module, nodes: Iterable[cst.CSTNode], units: Iterable[cst.CSTNode],
                   offsets: Dict[int, Tuple[int, Tuple[str, ...]]], text: str) -> Optional[Dict[int, Span]]:
    """``spans`` generating only the statements ``units`` (each checked against ``text``);
    None when that cannot answer for every node."""
    wanted = {id(n) for n in nodes}
    state = _OffsetState(module, wanted)
    done = set()
    for unit in units:
        if id(unit) in done:
            continue
        done.add(id(unit))
        where = offsets.get(id(unit))
        if where is None:
            return None
        start, indent = where
        state.offset = start
        state.tokens = []
        state.indent_tokens = list(indent)
        unit._codegen(state)
        if "".join(state.tokens) != text[start:state.offset]:
            return None
    if not wanted.issubset(state.spans):
        return None
    return state.spans
