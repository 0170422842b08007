"""A read-only batched traversal of a libcst tree, several times faster than ``node.visit``.

libcst's ``CSTNode.visit`` rebuilds every node on the way back up (it is shared with
transformers), which costs more than the parse itself on large files.  Rules only read
the tree, so this walker iterates each node's dataclass fields directly, calls the
``visit_<Type>`` / ``leave_<Type>`` (and ``visit_<Type>_<field>`` /
``leave_<Type>_<field>``) methods that the visitors define -- the same protocol as
``libcst.BatchableCSTVisitor.get_visitors()`` -- and keeps the ancestor stack that rules
read from ``FileContext.stack``.

Children are visited in source order: fields that precede the body in the source
(decorators, bases, keywords, return annotations, leading comment lines) are walked first.
Leaf whitespace (``SimpleWhitespace``, ``Newline``) is never walked into; comments are.
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Dict, Iterable, List, Sequence, Tuple

import libcst as cst

# fields that come before the others in source order
_EARLY = ("leading_lines", "decorators", "lines_after_decorators", "header", "keyword", "name",
          "type_parameters", "params", "bases", "keywords", "returns", "star")
_LEAVES = (cst.SimpleWhitespace, cst.Newline, str, int, bool, type(None), cst.MaybeSentinel)

_FIELDS: Dict[type, Tuple[str, ...]] = {}
_IS_NODE: Dict[type, bool] = {}


def _fields(cls: type) -> Tuple[str, ...]:
    names = [f.name for f in dataclasses.fields(cls)]
    early = [n for n in _EARLY if n in names]
    rest = [n for n in names if n not in early and n not in ("default_indent", "default_newline",
                                                              "encoding", "has_trailing_newline")]
    out = tuple(early + rest)
    _FIELDS[cls] = out
    return out


_METHOD_NAMES: Dict[type, Tuple[str, ...]] = {}


def _visitor_names(cls: type) -> Tuple[str, ...]:
    """Names of the visit_*/leave_* methods a visitor class defines (cached per class)."""
    names = _METHOD_NAMES.get(cls)
    if names is None:
        base = cst.BatchableCSTVisitor
        # only methods the visitor defines itself: the base class has a no-op for every node type
        names = tuple(sorted(n for n in dir(cls) if (n.startswith("visit_") or n.startswith("leave_"))
                             and callable(getattr(cls, n, None))
                             and getattr(cls, n) is not getattr(base, n, None)))
        _METHOD_NAMES[cls] = names
    return names


def collect(visitors: Iterable[cst.BatchableCSTVisitor]) -> Dict[str, List[Callable]]:
    methods: Dict[str, List[Callable]] = {}
    for v in visitors:
        for name in _visitor_names(type(v)):
            methods.setdefault(name, []).append(getattr(v, name))
    return methods


def walk(module: cst.CSTNode, visitors: Sequence[cst.BatchableCSTVisitor], stack: List[cst.CSTNode]) -> None:
    """Visit ``module`` with every visitor in one pass, maintaining ``stack`` (ancestors + node)."""
    methods = collect(visitors)
    visit_m: Dict[type, Tuple[Callable, ...]] = {}
    leave_m: Dict[type, Tuple[Callable, ...]] = {}
    attr_m: Dict[Tuple[type, str], Tuple[Tuple[Callable, ...], Tuple[Callable, ...]]] = {}
    fields_of = _FIELDS
    push = stack.append
    pop = stack.pop

    def dispatch(cls: type) -> None:
        name = cls.__name__
        visit_m[cls] = tuple(methods.get("visit_" + name, ()))
        leave_m[cls] = tuple(methods.get("leave_" + name, ()))
        for f in fields_of.get(cls) or _fields(cls):
            v = methods.get("visit_%s_%s" % (name, f))
            lv = methods.get("leave_%s_%s" % (name, f))
            if v or lv:
                attr_m[(cls, f)] = (tuple(v or ()), tuple(lv or ()))

    is_node = _IS_NODE

    def node_class(cls: type) -> bool:
        r = is_node.get(cls)
        if r is None:
            r = is_node[cls] = issubclass(cls, cst.CSTNode) and not issubclass(cls, _LEAVES)
        return r

    def go(node: cst.CSTNode) -> None:
        cls = node.__class__
        vm = visit_m.get(cls)
        if vm is None:
            dispatch(cls)
            vm = visit_m[cls]
        push(node)
        for fn in vm:
            fn(node)
        for f in fields_of[cls]:
            value = getattr(node, f)
            vcls = value.__class__
            if vcls is tuple or vcls is list:
                am = attr_m.get((cls, f)) if attr_m else None
                if am:
                    for fn in am[0]:
                        fn(node)
                for child in value:
                    if is_node.get(child.__class__) or node_class(child.__class__):
                        go(child)
                if am:
                    for fn in am[1]:
                        fn(node)
            elif is_node.get(vcls) or (vcls not in is_node and node_class(vcls)):
                am = attr_m.get((cls, f)) if attr_m else None
                if am:
                    for fn in am[0]:
                        fn(node)
                go(value)
                if am:
                    for fn in am[1]:
                        fn(node)
        for fn in leave_m[cls]:
            fn(node)
        pop()

    go(module)
