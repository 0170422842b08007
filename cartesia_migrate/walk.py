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

Subtrees no visitor can observe are not entered: from the field annotations of libcst's
node classes the walker knows which node types may occur below a field, and a field
whose possible contents (at any depth) have no ``visit_``/``leave_`` method of the
visitors at hand is skipped, as is a child node of such a type.  Skipping them changes
nothing a visitor sees (they would only be pushed and popped): with no ``visit_Comment``
the commas, brackets, operators and whitespace nodes -- a third of a typical tree -- are
never touched, and a ``Name``'s fields are not even read.

The walk of a node is a small function compiled once per node shape (the fields to read,
how many visitor methods are called before, after and around each field), so that the
per-node work is plain attribute reads and calls, not a loop over field tables.

What is learnt from libcst's annotations (per node class: fields, what each may hold, what
may occur below) and the compiled shape functions are stored on disk between processes by
``plan_cache`` (keyed by the libcst, tool and Python versions and this file's source), so
that a process checking a few files does not pay for them again.
"""
from __future__ import annotations

import dataclasses
import hashlib
import typing
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst

from . import plan_cache

# fields that come before the others in source order
_EARLY = ("leading_lines", "decorators", "lines_after_decorators", "header", "keyword", "name",
          "type_parameters", "params", "bases", "keywords", "returns", "star")
_LEAVES = (cst.SimpleWhitespace, cst.Newline, str, int, bool, type(None), cst.MaybeSentinel)
_SCALARS = (str, bytes, int, float, bool, type(None), cst.MaybeSentinel)

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


def _is_node(cls: type) -> bool:
    """A node the walker enters (a CSTNode, not leaf whitespace)."""
    r = _IS_NODE.get(cls)
    if r is None:
        r = _IS_NODE[cls] = issubclass(cls, cst.CSTNode) and not issubclass(cls, _LEAVES)
    return r


# ---- what may occur below a field (from libcst's annotations) ------------------------------

_ANY = None  # "any node class": an annotation the walker does not understand


def _subclasses(cls: type) -> Set[type]:
    out = {cls}
    todo = [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in out:
                out.add(sub)
                todo.append(sub)
    return out


def _annotation_classes(tp) -> Optional[Set[type]]:
    """Node classes (walked ones, subclasses included) a value of annotation ``tp`` may be or
    hold in a sequence; None when the annotation is not understood (then: anything)."""
    origin = typing.get_origin(tp)
    if origin is typing.Literal or origin is typing.ClassVar:
        return set()
    if origin is not None:  # Union / Optional / Sequence / ...
        out: Set[type] = set()
        for arg in typing.get_args(tp):
            r = _annotation_classes(arg)
            if r is None:
                return None
            out |= r
        return out
    if isinstance(tp, type):
        if issubclass(tp, cst.CSTNode):
            return {c for c in _subclasses(tp) if _is_node(c)}
        if issubclass(tp, _SCALARS):
            return set()
    return None


_FIELD_CLASSES: Dict[type, Dict[str, Optional[FrozenSet[type]]]] = {}


def _field_classes(cls: type) -> Dict[str, Optional[FrozenSet[type]]]:
    """field -> node classes its value may be or contain directly (None: unknown)."""
    out = _FIELD_CLASSES.get(cls)
    if out is None:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # pragma: no cover - a node class whose annotations do not resolve
            hints = {}
        out = {}
        for f in _FIELDS.get(cls) or _fields(cls):
            r = _annotation_classes(hints[f]) if f in hints else None
            out[f] = frozenset(r) if r is not None else None
        _FIELD_CLASSES[cls] = out
    return out


_REACH: Dict[type, Optional[FrozenSet[str]]] = {}


def _reach(cls: type) -> Optional[FrozenSet[str]]:
    """Names of the node classes that may occur anywhere below a ``cls`` node (None: unknown)."""
    if cls in _REACH:
        return _REACH[cls]
    seen: Set[type] = set()
    todo = [cls]
    result: Optional[FrozenSet[str]] = None
    unknown = False
    while todo and not unknown:
        for classes in _field_classes(todo.pop()).values():
            if classes is None:
                unknown = True
                break
            for c in classes:
                if c not in seen:
                    seen.add(c)
                    todo.append(c)
    if not unknown:
        result = frozenset(c.__name__ for c in seen)
    _REACH[cls] = result
    return result


def _compute_row(cls: type) -> "plan_cache.Row":
    """What the walker needs to know of a node class, by class names (what plan_cache stores)."""
    fields = _FIELDS.get(cls) or _fields(cls)
    kinds = _field_classes(cls)
    return (fields, tuple(None if kinds[f] is None else frozenset(c.__name__ for c in kinds[f]) for f in fields),
            _reach(cls))


class _Store:
    """The node rows and shape code of this process: loaded from the plan cache on first use,
    completed as new classes and shapes are met, written back when something was added."""

    __slots__ = ("loaded", "rows", "code", "checked", "dirty")

    def __init__(self) -> None:
        self.loaded = False
        self.rows: "plan_cache.Rows" = {}  # class name -> row (loaded or computed)
        self.code: "plan_cache.Code" = {}  # sha256 of a shape's source -> code
        self.checked: Dict[type, "plan_cache.Row"] = {}  # rows checked against the live class
        self.dirty = False

    def load(self) -> None:
        self.loaded = True
        self.rows, self.code = plan_cache.load()

    def row(self, cls: type) -> "plan_cache.Row":
        r = self.checked.get(cls)
        if r is None:
            r = self.rows.get(cls.__name__)
            # a stored row is used only for a class with exactly the fields it names
            if r is None or r[0] != (_FIELDS.get(cls) or _fields(cls)):
                r = self.rows[cls.__name__] = _compute_row(cls)
                self.dirty = True
            self.checked[cls] = r
        return r

    def compiled(self, source: str, filename: str):
        digest = hashlib.sha256(source.encode("utf-8")).digest()
        code = self.code.get(digest)
        if code is None or code.co_filename != filename:
            code = self.code[digest] = compile(source, filename, "exec")
            self.dirty = True
        return code

    def save(self) -> None:
        self.dirty = False
        plan_cache.save(self.rows, self.code)


_STORE = _Store()


class _Plan:
    """What to enter, for one set of visitor method names (shared by the walks using it)."""

    __slots__ = ("names", "wanted", "fields", "entered", "shapes")

    def __init__(self, names: FrozenSet[str]) -> None:
        self.names = names
        # class names with a visit_/leave_ method (also per field)
        self.wanted = frozenset(n.split("_", 2)[1] for n in names)
        self.fields: Dict[type, Tuple[str, ...]] = {}
        self.entered: Dict[object, bool] = {}  # by class, and by class name
        self.shapes: Dict[type, Tuple] = {}

    def enters(self, cls: type) -> bool:
        """Whether a ``cls`` node (or a non-node value of that type) is walked into."""
        r = self.entered.get(cls)
        if r is None:
            if not _is_node(cls):
                r = False
            elif cls.__name__ in self.wanted:
                r = True
            else:
                reach = _STORE.row(cls)[2]
                r = reach is None or not reach.isdisjoint(self.wanted)
            self.entered[cls] = r
        return r

    def enters_name(self, name: str) -> Optional[bool]:
        """``enters`` for the node classes called ``name`` (None: not known without the class)."""
        r = self.entered.get(name)
        if r is None:
            if name in self.wanted:
                r = True
            else:
                row = _STORE.rows.get(name)
                if row is None:
                    return None
                r = row[2] is None or not row[2].isdisjoint(self.wanted)
            self.entered[name] = r
        return r

    def shape(self, cls: type) -> Tuple:
        """(fields to read, visit_ name, leave_ name, [(visit_ name, leave_ name) per field])."""
        out = self.shapes.get(cls)
        if out is None:
            name = cls.__name__
            fields = self.fields_of(cls)
            out = self.shapes[cls] = (fields, f"visit_{name}", f"leave_{name}", tuple(
                (f"visit_{name}_{f}", f"leave_{name}_{f}") for f in fields))
        return out

    def fields_of(self, cls: type) -> Tuple[str, ...]:
        """The fields of ``cls`` worth reading: some node type that may be there is entered,
        or a visitor has a method for the field itself."""
        out = self.fields.get(cls)
        if out is None:
            name = cls.__name__
            keep = []
            fields, kinds, _reach_names = _STORE.row(cls)
            for f, names in zip(fields, kinds):
                if f"visit_{name}_{f}" in self.names or f"leave_{name}_{f}" in self.names or names is None:
                    keep.append(f)
                    continue
                entered = [self.enters_name(n) for n in names]
                if None in entered:
                    # a class without a row yet: ask the classes themselves (all of them, so
                    # that the plan stored for the next process has a row for every name)
                    classes = _field_classes(cls)[f]
                    if classes is None or any([self.enters(c) for c in classes]):
                        keep.append(f)
                elif any(entered):
                    keep.append(f)
            out = self.fields[cls] = tuple(keep)
        return out


_PLANS: Dict[FrozenSet[str], _Plan] = {}

_METHOD_NAMES: Dict[type, Tuple[str, ...]] = {}


def _visitor_names(cls: type) -> Tuple[str, ...]:
    """Names of the visit_*/leave_* methods a visitor class defines (cached per class)."""
    names = _METHOD_NAMES.get(cls)
    if names is None:
        base = cst.BatchableCSTVisitor
        # only methods the visitor defines itself: the base class has a no-op for every node
        # type (read the classes' own namespaces: dir() would list libcst's ~600 no-ops)
        own = set()
        for k in cls.__mro__:
            if k.__module__.startswith("libcst") or k is object:
                continue
            own.update(n for n in vars(k) if n.startswith(("visit_", "leave_")))
        names = tuple(sorted(n for n in own if callable(getattr(cls, n, None))
                             and getattr(cls, n) is not getattr(base, n, None)))
        _METHOD_NAMES[cls] = names
    return names


def collect(visitors: Iterable[cst.BatchableCSTVisitor]) -> Dict[str, List[Callable]]:
    """visit_*/leave_* name -> the visitors' bound methods, in visitor order.

    A visitor may list in an instance attribute ``skip_methods`` methods of its class that
    would do nothing in this walk (the CM1xx rules after the first one of a file): they are
    not called.
    """
    methods: Dict[str, List[Callable]] = {}
    for v in visitors:
        skip = getattr(v, "skip_methods", None)
        for name in _visitor_names(type(v)):
            if skip is None or name not in skip:
                methods.setdefault(name, []).append(getattr(v, name))
    return methods


def walk(module: cst.CSTNode, visitors: Sequence[cst.BatchableCSTVisitor], stack: List[cst.CSTNode]) -> None:
    """Visit ``module`` with every visitor in one pass, maintaining ``stack`` (ancestors + node)."""
    if not _STORE.loaded:
        _STORE.load()
    methods = collect(visitors)
    key = frozenset(methods)
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) > 256:  # pragma: no cover - bounded: a long-lived process with many configurations
            _PLANS.clear()
        plan = _PLANS[key] = _Plan(key)
    # class -> the function walking a node of that class (False: not entered), made on first use
    walkers: Dict[type, object] = {}
    push = stack.append
    pop = stack.pop

    def walker(cls: type):
        if not plan.enters(cls):
            walkers[cls] = False
            return False
        fields, visit_name, leave_name, field_names = plan.shape(cls)
        visit = methods.get(visit_name, ())
        leave = methods.get(leave_name, ())
        per_field = [(methods.get(v, ()), methods.get(lv, ())) for v, lv in field_names]
        shape = (fields, len(visit), len(leave), tuple((len(a), len(b)) for a, b in per_field))
        factory = _FACTORIES.get(shape)
        if factory is None:
            factory = _FACTORIES[shape] = _factory(*shape)
        fn = walkers[cls] = factory(push, pop, walkers, walker, _is_node, visit, leave, per_field)
        return fn

    go = walkers.get(module.__class__) or walker(module.__class__)
    if go:
        go(module)
    if _STORE.dirty:  # classes or shapes met for the first time: keep them for the next process
        _STORE.save()


_FACTORIES: Dict[Tuple, Callable] = {}


def _factory(fields: Tuple[str, ...], n_visit: int, n_leave: int, n_field: Tuple[Tuple[int, int], ...]) -> Callable:
    """Compile the walker of one node shape: the fields to read and how many methods are
    called where.  It is what a generic loop over the fields would do, unrolled: a call for
    each visitor method, a read of each field, a dispatch of each child on its class."""
    lines = ["def factory(push, pop, walkers, walker, is_node, visit, leave, per_field):"]
    for i in range(n_visit):
        lines.append("    v%d = visit[%d]" % (i, i))
    for i in range(n_leave):
        lines.append("    l%d = leave[%d]" % (i, i))
    for j, (na, nb) in enumerate(n_field):
        for i in range(na):
            lines.append("    fv%d_%d = per_field[%d][0][%d]" % (j, i, j, i))
        for i in range(nb):
            lines.append("    fl%d_%d = per_field[%d][1][%d]" % (j, i, j, i))
    lines.append("    get = walkers.get")
    lines.append("    def go(node):")
    body = ["push(node)"]
    body += ["v%d(node)" % i for i in range(n_visit)]
    for j, f in enumerate(fields):
        na, nb = n_field[j]
        before = ["fv%d_%d(node)" % (j, i) for i in range(na)]
        after = ["fl%d_%d(node)" % (j, i) for i in range(nb)]
        child = ["g = get(x.__class__)", "if g is None:", "    g = walker(x.__class__)", "if g:", "    g(x)"]
        item = ["g = get(y.__class__)", "if g is None:", "    g = walker(y.__class__)", "if g:", "    g(y)"]
        body.append("x = node.%s" % f)
        body.append("c = x.__class__")
        body.append("if c is tuple or c is list:")
        body += ["    " + b for b in before]
        body.append("    for y in x:")
        body += ["        " + b for b in item]
        body += ["    " + b for b in after]
        if na or nb:  # the field's own methods are called for a node value, not for None / a str
            body.append("elif is_node(c):")
            body += ["    " + b for b in before + child + after]
        else:
            body.append("else:")
            body += ["    " + b for b in child]
    body += ["l%d(node)" % i for i in range(n_leave)]
    body.append("pop()")
    lines += ["        " + b for b in body]
    lines.append("    return go")
    ns: Dict[str, object] = {}
    exec(_STORE.compiled("\n".join(lines), f"<cartesia_migrate.walk {','.join(fields)}>"), ns)
    return ns["factory"]  # type: ignore[return-value]


def _reset() -> None:
    """Forget everything learnt in this process (tests: a fresh process, with or without the
    plan cache)."""
    global _STORE
    for table in (_FIELDS, _IS_NODE, _FIELD_CLASSES, _REACH, _PLANS, _METHOD_NAMES, _FACTORIES):
        table.clear()
    _STORE = _Store()
    plan_cache.reset()
