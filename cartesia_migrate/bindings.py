"""Import and client-binding tracking, in the same traversal as the rules.

Replaces libcst's ScopeProvider/QualifiedNameProvider (5-8x the parse cost) with
the few facts our rules need:

- which local names stand for ``cartesia`` modules and names
  (``import cartesia as ct``, ``from cartesia import Cartesia as C``);
- which names / ``self.`` attributes / annotated parameters hold a Cartesia
  client (``client = Cartesia(...)``, ``self.client = AsyncCartesia(...)``,
  ``def f(client: Cartesia)``), and whether it is async.

- which local names stand for the HTTP / WebSocket libraries raw API code uses
  (``httpx``, ``requests``, ``aiohttp``, ``websockets``, ``urllib``) and which
  names hold their client / request objects (``s = requests.Session()``,
  ``async with aiohttp.ClientSession() as session``, ``req = urllib.request.Request(...)``).

The tracker is flow-insensitive and file-local on purpose: a binding seen
anywhere before a use applies to it.  ``BindingTracker`` runs first in the
batch, so rules see bindings established by earlier statements.
"""
from __future__ import annotations

import re
from typing import Dict, Iterator, List, Optional, Set, Tuple

import libcst as cst

CLIENT_CLASSES = {
    "cartesia.Cartesia": "sync",
    "cartesia.Client": "sync",
    "cartesia.AsyncCartesia": "async",
    "cartesia.AsyncClient": "async",
    "cartesia.client.Cartesia": "sync",
    "cartesia.client.AsyncCartesia": "async",
    "cartesia._client.Cartesia": "sync",
    "cartesia._client.AsyncCartesia": "async",
}


#: libraries of raw HTTP / WebSocket calls (first component of the module name)
HTTP_MODULES = frozenset({"httpx", "requests", "aiohttp", "websockets", "urllib"})

#: constructors of library objects whose later calls or headers matter (qualified name -> role)
HTTP_OBJECT_CLASSES = {
    "httpx.Client": "client",
    "httpx.AsyncClient": "client",
    "requests.Session": "client",
    "requests.session": "client",
    "requests.sessions.Session": "client",
    "aiohttp.ClientSession": "client",
    "aiohttp.client.ClientSession": "client",
    "urllib.request.Request": "request",
}


_Name = cst.Name
_Attribute = cst.Attribute


def dotted_name(node: cst.CSTNode) -> Optional[str]:
    """``a.b.c`` for Name/Attribute chains, else None."""
    # class identity, not isinstance: libcst's node classes are ABCs (a slow isinstance) and
    # Name / Attribute have no subclasses
    cls = node.__class__
    if cls is _Name:
        return node.value
    parts = []
    while cls is _Attribute:
        parts.append(node.attr.value)
        node = node.value
        cls = node.__class__
    if cls is _Name:
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def head_name(node: cst.CSTNode) -> Optional[str]:
    """``a`` for a Name/Attribute chain ``a.b.c``, else None (without building the dotted name)."""
    while node.__class__ is _Attribute:
        node = node.value
    return node.value if node.__class__ is _Name else None



# ---- scoped, lazily resolved bindings (SDK call sites: CM4xx) -------------------------
#
# ``Bindings.clients`` above answers "is this dotted name a client?" eagerly, in source
# order and without scopes.  The SDK-upgrade rules need more: which object an
# expression stands for (``client.tts`` -> the ``tts`` resource of a client,
# ``ws = await client.tts.websocket()`` -> its websocket, ``for ev in stream`` -> an
# event of it), per scope (a parameter or local shadows a module-level client), whatever
# the order of definitions (a method may use ``self.client`` before ``__init__`` binds
# it).  So the tracker only *records* assignments per scope here, and rules resolve
# expressions after the traversal (in ``leave_Module``), when every record is known.
#
# An object is ``(kind, path)``: ``kind`` is "sync" / "async" (the client's), ``path``
# the attribute / call / iteration chain from the client: ``""`` is the client,
# ``"tts"`` its resource, ``"tts.websocket()"`` the result of calling
# ``client.tts.websocket``, ``"tts.sse()[]"`` an item of iterating that result,
# ``"tts.websocket_connect()@"`` what ``with`` binds (a client stays ``""``).
# ``await`` is transparent.  Anything the tracker cannot see through (an unannotated
# parameter, a name bound twice to different things, an attribute assigned from
# outside such as ``client.tts.bytes = MagicMock()``) resolves to None: precision first.

Obj = Tuple[str, str]
_FN = "#fn"  # path of a function / method whose return annotation is a client
_CLASS = "#class"  # kind of a class defined in this file (path: its scope's id)
_INST = "#inst"  # kind of an instance of such a class (attributes resolve through its self.<attr>)


def _unwrap_annotation(ann: cst.BaseExpression) -> cst.BaseExpression:
    """``C`` in ``C``, ``Optional[C]``, ``"C"``, ``C | None``."""
    if isinstance(ann, cst.Subscript) and ann.slice and isinstance(ann.slice[0].slice, cst.Index):
        return _unwrap_annotation(ann.slice[0].slice.value)
    if isinstance(ann, cst.BinaryOperation):
        left = _unwrap_annotation(ann.left)
        return left if not (isinstance(left, cst.Name) and left.value == "None") else _unwrap_annotation(ann.right)
    if isinstance(ann, cst.SimpleString):
        try:
            return _unwrap_annotation(cst.parse_expression(ann.evaluated_value))
        except Exception:
            return ann
    return ann


class Scope:
    """A module, class or function scope (a chain through ``parent``)."""

    __slots__ = ("kind", "node", "parent", "globals", "is_async")

    def __init__(self, kind: str, node: Optional[cst.CSTNode], parent: Optional["Scope"],
                 is_async: bool = False) -> None:
        self.kind = kind  # "module" | "class" | "function"
        self.node = node
        self.parent = parent
        self.globals: Set[str] = set()
        self.is_async = is_async

    def module(self) -> "Scope":
        s = self
        while s.parent is not None:
            s = s.parent
        return s

    def enclosing_class(self) -> Optional["Scope"]:
        s: Optional[Scope] = self
        while s is not None:
            if s.kind == "class":
                return s
            s = s.parent
        return None

    def name_chain(self, name: str) -> Iterator["Scope"]:
        """Scopes where a bare name is looked up (LEGB; class bodies only for their own code)."""
        if name in self.globals:
            yield self.module()
            return
        first = True
        s: Optional[Scope] = self
        while s is not None:
            if s.kind != "class" or first:
                yield s
            first = False
            s = s.parent


class _Rec:
    __slots__ = ("how", "node", "scope", "kind", "arg")

    def __init__(self, how: str, node: Optional[cst.CSTNode] = None, scope: Optional[Scope] = None,
                 kind: Optional[str] = None, arg: Optional[cst.Param] = None) -> None:
        self.how = how  # expr | iter | enter | kind | fn | returns | value | class | ann | param | none | unknown
        self.node = node
        self.scope = scope
        self.kind = kind
        self.arg = arg  # how == "param": the unannotated parameter of the module-level function ``node``


def _join(path: str, rest: str) -> str:
    if not rest:
        return path
    return path + "." + rest if path else rest


class ScopedBindings:
    """Mixin of ``Bindings``: scope records and resolution of SDK objects."""

    def _scoped_init(self) -> None:
        self.module_scope = Scope("module", None, None)
        self.scope = self.module_scope  # the scope of the node being visited
        self._records: Dict[Tuple[int, str], List[_Rec]] = {}
        self.patched: Set[str] = set()  # attribute chains assigned or patched from outside
        self._memo: Dict[Tuple[int, str], Optional[Obj]] = {}
        self._busy: Set[Tuple[int, str]] = set()
        self.classes: Dict[str, List[Scope]] = {}  # class name -> its scopes (for base-class lookups)
        self.returns: Dict[int, List[cst.BaseExpression]] = {}  # unannotated function -> its returned values
        self.class_scopes: Dict[str, Scope] = {}  # str(id(scope)) -> class scope (instances of local classes)
        self.calls_by_name: Dict[str, List[Tuple[cst.Call, Scope]]] = {}  # f(...) calls, by the name called
        self.source = ""  # the file's text (set by the engine): counts the references to a function's name

    # -- recording (called by the tracker)
    def _key_scope(self, dotted: str, scope: Scope) -> Optional[Scope]:
        if dotted.startswith("self.") or dotted.startswith("cls."):
            return scope.enclosing_class()
        if dotted in scope.globals:
            return scope.module()
        return scope

    def add_record(self, target: cst.CSTNode, rec: _Rec, scope: Optional[Scope] = None) -> None:
        scope = scope or self.scope
        cls = target.__class__  # (identity: isinstance is slow on libcst's ABCs; no subclasses)
        if cls is cst.Tuple or cls is cst.List:
            for el in target.elements:
                self.add_record(el.value, _Rec("unknown"), scope)
            return
        if cls is cst.StarredElement:
            self.add_record(target.value, _Rec("unknown"), scope)
            return
        dotted = dotted_name(target)
        if not dotted:
            return
        parts = dotted.split(".")
        if len(parts) > 2 or (len(parts) == 2 and parts[0] not in ("self", "cls")):
            self.patched.add(dotted)  # client.tts.bytes = MagicMock()
            return
        if parts[0] == "cls" and len(parts) == 2:
            dotted = "self." + parts[1]
        owner = self._key_scope(dotted, scope)
        if owner is None:
            return
        self._records.setdefault((id(owner), dotted), []).append(rec)
        if scope.kind == "class" and len(parts) == 1:  # a class attribute is also self.<name>
            self._records.setdefault((id(scope), "self." + dotted), []).append(rec)

    # -- resolution (rules call these after the traversal)
    def resolve(self, node: cst.CSTNode, scope: Optional[Scope] = None) -> Optional[Obj]:
        """``(kind, path)`` of the SDK object ``node`` evaluates to, or None."""
        scope = scope or self.scope
        if isinstance(node, cst.Await):
            return self.resolve(node.expression, scope)
        if isinstance(node, cst.Call):
            q = self.qualify(node.func)  # type: ignore[attr-defined]
            if q in CLIENT_CLASSES:
                return (CLIENT_CLASSES[q], "")
            r = self.resolve(node.func, scope)
            if r is None:
                return None
            if r[0] == _CLASS:  # Service(...): an instance of a class of this file
                return (_INST, r[1])
            if r[0] == _INST:
                return None
            if r[1] == _FN:
                return (r[0], "")
            if r[1].endswith(_FN):
                return None
            return (r[0], r[1] + "()")
        if isinstance(node, (cst.Name, cst.Attribute)):
            dotted = dotted_name(node)
            if dotted is not None:
                return self._resolve_dotted(dotted, scope)
            if isinstance(node, cst.Attribute):
                r = self.resolve(node.value, scope)
                if r is None or r[1].endswith(_FN):
                    return None
                return self._extend(r, [node.attr.value])
        return None

    def call_target(self, call: cst.Call, scope: Optional[Scope] = None) -> Optional[Obj]:
        """``(kind, "tts.bytes")`` for ``client.tts.bytes(...)``: the object the call calls."""
        r = self.resolve(call.func, scope)
        if r is None or r[0] in (_CLASS, _INST) or not r[1] or _FN in r[1]:
            return None
        return r

    def _resolve_dotted(self, dotted: str, scope: Scope) -> Optional[Obj]:
        parts = dotted.split(".")
        for i in range(2, len(parts) + 1):
            if ".".join(parts[:i]) in self.patched:
                return None
        if parts[0] in ("self", "cls") and len(parts) >= 2:
            cls = scope.enclosing_class()
            key = self._attribute_key(cls, "self." + parts[1], set()) if cls is not None else None
            if key is None:
                return None
            r = self._resolve_key(key)
            if r is None:
                return None
            return self._extend(r, parts[2:])
        for s in scope.name_chain(parts[0]):
            key = (id(s), parts[0])
            if key in self._records:
                r = self._resolve_key(key)
                return None if r is None else self._extend(r, parts[1:])
        return None

    def _attribute_key(self, cls: Scope, attr: str, seen: Set[int]) -> Optional[Tuple[int, str]]:
        """Where ``self.attr`` is bound: the class, else a base class defined in this file."""
        key = (id(cls), attr)
        if key in self._records:
            return key
        seen.add(id(cls))
        node = cls.node
        for base in getattr(node, "bases", ()):
            name = dotted_name(base.value)
            candidates = self.classes.get(name or "", [])
            if len(candidates) != 1 or id(candidates[0]) in seen:
                continue  # unknown or ambiguous base
            found = self._attribute_key(candidates[0], attr, seen)
            if found is not None:
                return found
        return None

    def _extend(self, r: Obj, rest: List[str]) -> Optional[Obj]:
        if r[0] in (_CLASS, _INST):  # an attribute of an object of a class of this file
            if not rest:
                return r
            cls = self.class_scopes.get(r[1])
            key = self._attribute_key(cls, "self." + rest[0], set()) if cls is not None else None
            if key is None:
                return None
            member = self._resolve_key(key)
            return None if member is None else self._extend(member, rest[1:])
        if rest and r[1] == _FN:
            return None
        return (r[0], _join(r[1], ".".join(rest)))

    def _resolve_key(self, key: Tuple[int, str]) -> Optional[Obj]:
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            return None
        self._busy.add(key)
        try:
            out: Optional[Obj] = None
            for rec in self._records[key]:
                if rec.how == "none":
                    continue
                r = self._resolve_rec(rec)
                if r is None or (out is not None and r != out):
                    out = None
                    break
                out = r
        finally:
            self._busy.discard(key)
        self._memo[key] = out
        return out

    def _resolve_rec(self, rec: _Rec) -> Optional[Obj]:
        if rec.how == "kind":
            return (rec.kind or "sync", "")
        if rec.how == "fn":
            return (rec.kind or "sync", _FN)
        if rec.how == "class" and rec.scope is not None:
            return (_CLASS, str(id(rec.scope)))
        if rec.how == "ann" and rec.node is not None and rec.scope is not None:
            # ``resources: _Resources`` / ``Optional["Service"]``: an instance of a class of this file
            cls = self.resolve(_unwrap_annotation(rec.node), rec.scope)
            return (_INST, cls[1]) if cls is not None and cls[0] == _CLASS else None
        if rec.how in ("returns", "value"):
            # an unannotated function whose every ``return`` gives the same client
            values = self.returns.get(id(rec.node))
            if not values or rec.scope is None:
                return None
            found = {self.resolve(v, rec.scope) for v in values}
            if len(found) != 1:
                return None
            r = found.pop()
            if r is None or r[1]:
                return None
            return (r[0], _FN) if rec.how == "returns" else r
        if rec.how == "param" and rec.node is not None and rec.scope is not None and rec.arg is not None:
            return self._resolve_param(rec.node, rec.arg, rec.scope)  # type: ignore[arg-type]
        if rec.how in ("expr", "iter", "enter") and rec.node is not None and rec.scope is not None:
            r = self.resolve(rec.node, rec.scope)
            if r is None or _FN in r[1]:
                return None
            if r[0] in (_CLASS, _INST) and rec.how != "expr":
                return None
            if rec.how == "iter":
                return (r[0], r[1] + "[]")
            if rec.how == "enter" and r[1]:  # ``with client.tts.websocket_connect() as ws``
                return (r[0], r[1] + "@")
            return r
        return None


    def _resolve_param(self, fn: cst.FunctionDef, param: cst.Param, module: Scope) -> Optional[Obj]:
        """The client an unannotated parameter of a module-level function holds, when the function is bound
        once, its name appears in this file only where it is defined and called (never passed on, so no
        caller is hidden), and every call passes the same client (``AsyncCartesia(...)``) to that parameter."""
        name = fn.name.value
        calls = self.calls_by_name.get(name, [])
        if not calls or len(self._records.get((id(module), name), ())) != 1:
            return None
        if len(re.findall(r"(?<![\w.])%s(?!\w)" % re.escape(name), self.source)) != len(calls) + 1:
            return None  # a reference other than the definition and the calls (or a mention in text)
        positional = list(fn.params.posonly_params) + list(fn.params.params)
        index = next((i for i, p in enumerate(positional) if p is param), None)
        found: Set[Optional[Obj]] = set()
        for call, scope in calls:
            if any(scope_ is not module and (id(scope_), name) in self._records for scope_ in scope.name_chain(name)):
                return None  # a local of that name shadows the function there
            value = None
            for i, a in enumerate(call.args):
                if a.star:
                    return None  # *args / **kwargs: which argument lands where is not known
                if a.keyword is not None:
                    if a.keyword.value == param.name.value:
                        value = a.value
                elif i == index:
                    value = a.value
            if value is None:
                return None  # the default (or nothing) is passed
            found.add(self.resolve(value, scope))
        if len(found) != 1:
            return None
        r = found.pop()
        return r if r is not None and r[0] in ("sync", "async") and r[1] == "" else None


def _is_none(node: Optional[cst.CSTNode]) -> bool:
    return node.__class__ is _Name and node.value == "None"  # type: ignore[union-attr]


_PROPERTY_DECORATORS = frozenset({"property", "cached_property", "functools.cached_property"})


class ScopeTracker(cst.BatchableCSTVisitor):
    """Records assignments per scope for ``ScopedBindings`` (base class of ``BindingTracker``).

    Uses ``visit_<Node>_<field>`` hooks where ``BindingTracker`` has ``visit_<Node>``.
    """

    b: "Bindings"

    def _annotation_kind(self, ann: cst.BaseExpression) -> Optional[str]:  # overridden
        return None

    # scopes
    def visit_ClassDef_body(self, node: cst.ClassDef) -> None:
        b = self.b
        scope = Scope("class", node, b.scope)
        b.add_record(node.name, _Rec("class", scope=scope))
        b.scope = scope
        b.classes.setdefault(node.name.value, []).append(scope)
        b.class_scopes[str(id(scope))] = scope

    def leave_ClassDef_body(self, node: cst.ClassDef) -> None:
        b = self.b
        if b.scope.parent is not None:
            b.scope = b.scope.parent

    def visit_FunctionDef_name(self, node: cst.FunctionDef) -> None:
        b = self.b
        kind = self._annotation_kind(node.returns.annotation) if node.returns is not None else None
        is_property = b.scope.kind == "class" and any(
            dotted_name(d.decorator) in _PROPERTY_DECORATORS for d in node.decorators)
        fn_scope = Scope("function", node, b.scope, node.asynchronous is not None)
        if node.returns is None:  # def get_client(self): ... return self._client
            b.returns[id(node)] = []
            rec = _Rec("returns", node, fn_scope)
        else:
            rec = _Rec("fn", kind=kind) if kind is not None else _Rec("unknown")
        if is_property and rec.how != "unknown":  # @property def client(self) -> Cartesia
            b._records.setdefault((id(b.scope), node.name.value), []).append(_Rec("unknown"))
            b._records.setdefault((id(b.scope), "self." + node.name.value), []).append(
                _Rec("kind", kind=kind) if rec.how == "fn" else _Rec("value", node, fn_scope))
        else:
            b.add_record(node.name, rec)
        b.scope = fn_scope

    def visit_Return(self, node: cst.Return) -> None:
        s = self.b.scope
        if s.kind == "function" and id(s.node) in self.b.returns and node.value is not None and \
                not _is_none(node.value):
            self.b.returns[id(s.node)].append(node.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        s = self.b.scope
        if s.kind == "function":
            self.b.returns.pop(id(s.node), None)  # a generator returns no client

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        b = self.b
        if b.scope.node is node and b.scope.parent is not None:
            b.scope = b.scope.parent

    def visit_Lambda_params(self, node: cst.Lambda) -> None:
        self.b.scope = Scope("function", node, self.b.scope)

    def leave_Lambda(self, node: cst.Lambda) -> None:
        b = self.b
        if b.scope.node is node and b.scope.parent is not None:
            b.scope = b.scope.parent

    def visit_Global(self, node: cst.Global) -> None:
        for n in node.names:
            self.b.scope.globals.add(n.name.value)

    # bindings
    def visit_Assign_value(self, node: cst.Assign) -> None:
        b = self.b
        how = "none" if _is_none(node.value) else "expr"
        for t in node.targets:
            b.add_record(t.target, _Rec(how, node.value, b.scope))

    def visit_AnnAssign_target(self, node: cst.AnnAssign) -> None:
        b = self.b
        kind = self._annotation_kind(node.annotation.annotation)
        if kind is not None:
            b.add_record(node.target, _Rec("kind", kind=kind))
        elif node.value is not None:
            b.add_record(node.target, _Rec("none" if _is_none(node.value) else "expr", node.value, b.scope))
        else:
            b.add_record(node.target, _Rec("ann", node.annotation.annotation, b.scope))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.b.add_record(node.target, _Rec("unknown"))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.b.add_record(node.target, _Rec("expr", node.value, self.b.scope))

    def visit_WithItem_item(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.b.add_record(node.asname.name, _Rec("enter", node.item, self.b.scope))

    def visit_For(self, node: cst.For) -> None:
        self.b.add_record(node.target, _Rec("iter", node.iter, self.b.scope))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.b.add_record(node.target, _Rec("iter", node.iter, self.b.scope))

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self.b.add_record(node.name.name, _Rec("unknown"))

    def visit_Param_name(self, node: cst.Param) -> None:
        if node.annotation is None:
            s = self.b.scope
            if s.kind == "function" and s.node.__class__ is cst.FunctionDef and s.parent is not None \
                    and s.parent.kind == "module" and node.star not in ("*", "**"):
                self.b.add_record(node.name, _Rec("param", s.node, s.parent, arg=node))
            else:
                self.b.add_record(node.name, _Rec("unknown"))
            return
        kind = self._annotation_kind(node.annotation.annotation)
        self.b.add_record(node.name, _Rec("kind", kind=kind) if kind else
                          _Rec("ann", node.annotation.annotation, self.b.scope.parent or self.b.scope))

    def visit_Import_names(self, node: cst.Import) -> None:
        for alias in node.names:
            target = alias.asname.name if alias.asname is not None else None
            if target is None:
                head = dotted_name(alias.name)
                if head:
                    self.b.add_record(cst.Name(head.partition(".")[0]), _Rec("unknown"))
            else:
                self.b.add_record(target, _Rec("unknown"))

    def visit_ImportFrom_names(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            target = alias.asname.name if alias.asname is not None else alias.name
            self.b.add_record(target, _Rec("unknown"))

    def visit_Call(self, node: cst.Call) -> None:
        # patch.object(client.tts, "bytes") / monkeypatch.setattr(client.tts, "bytes", fake)
        func = node.func  # (first the last name alone: most calls are neither)
        cls = func.__class__
        if cls is _Name:  # f(client): a call of a function of this file passes what its parameters hold
            self.b.calls_by_name.setdefault(func.value, []).append((node, self.b.scope))
        last = func.attr.value if cls is _Attribute else func.value if cls is _Name else None
        if last is None or not (last == "object" or last.endswith("setattr")):
            return
        fn = dotted_name(func)
        if fn is None or not (fn.endswith("patch.object") or fn.endswith("setattr")) or len(node.args) < 2:
            return
        obj = dotted_name(node.args[0].value)
        attr = node.args[1].value
        if obj and isinstance(attr, cst.SimpleString):
            try:
                name = attr.evaluated_value
            except Exception:  # pragma: no cover - malformed literal
                return
            if isinstance(name, str):
                self.b.patched.add(obj + "." + name)


class Bindings(ScopedBindings):
    def __init__(self) -> None:
        self.names: Dict[str, str] = {}  # local name -> qualified name (modules and objects)
        self.clients: Dict[str, str] = {}  # dotted local expr ("client", "self.client") -> sync|async
        self.imports_cartesia = False
        self._scoped_init()
        self.lib_names: Dict[str, str] = {}  # local name -> qualified name in an HTTP library
        self.lib_objects: Dict[str, str] = {}  # dotted local expr -> qualified constructor ("httpx.Client")

    def qualify(self, node: cst.CSTNode) -> Optional[str]:
        """Qualified name of a Name/Attribute chain through cartesia imports, else None."""
        q = self.names.get(head_name(node))  # type: ignore[arg-type]
        if q is None:
            return None
        rest = dotted_name(node).partition(".")[2]  # type: ignore[union-attr]
        return q + ("." + rest if rest else "")

    def client_kind(self, node: cst.CSTNode) -> Optional[str]:
        """'sync'/'async' when ``node`` is an expression holding a Cartesia client."""
        cls = node.__class__  # (identity: isinstance is slow on libcst's ABCs; no subclasses)
        if cls is cst.Call:
            q = self.qualify(node.func)  # type: ignore[attr-defined]
            return CLIENT_CLASSES.get(q) if q else None
        if cls is cst.Await:
            return None
        dotted = dotted_name(node)
        if dotted is None:
            return None
        return self.clients.get(dotted)


    def qualify_lib(self, node: cst.CSTNode) -> Optional[str]:
        """Qualified name of a Name/Attribute chain through HTTP-library imports (``httpx.get``), else None."""
        q = self.lib_names.get(head_name(node))  # type: ignore[arg-type]
        if q is None:
            return None
        rest = dotted_name(node).partition(".")[2]  # type: ignore[union-attr]
        return q + ("." + rest if rest else "")

    def lib_object(self, node: cst.CSTNode) -> Optional[str]:
        """The qualified constructor (``requests.Session``) when ``node`` is or holds an HTTP-library object."""
        if node.__class__ is cst.Call:  # (identity: isinstance is slow on libcst's ABCs; no subclasses)
            q = self.qualify_lib(node.func)
            return q if q in HTTP_OBJECT_CLASSES else None
        dotted = dotted_name(node)
        return self.lib_objects.get(dotted) if dotted else None


class BindingTracker(ScopeTracker):
    def __init__(self, bindings: Bindings) -> None:
        super().__init__()
        self.b = bindings

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name and name.partition(".")[0] in HTTP_MODULES:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.b.lib_names[alias.asname.name.value] = name
                else:
                    head = name.partition(".")[0]
                    self.b.lib_names[head] = head
                continue
            if not name or not (name == "cartesia" or name.startswith("cartesia.")):
                continue
            self.b.imports_cartesia = True
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.b.names[alias.asname.name.value] = name
            else:
                self.b.names["cartesia"] = "cartesia"

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        mod = dotted_name(node.module)
        if mod and mod.partition(".")[0] in HTTP_MODULES and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                if isinstance(alias.name, cst.Name):
                    local = alias.name.value
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        local = alias.asname.name.value
                    self.b.lib_names[local] = mod + "." + alias.name.value
            return
        if not mod or not (mod == "cartesia" or mod.startswith("cartesia.")):
            return
        self.b.imports_cartesia = True
        if isinstance(node.names, cst.ImportStar):
            for cls in ("Cartesia", "AsyncCartesia"):
                self.b.names.setdefault(cls, mod + "." + cls)
            return
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            local = alias.name.value
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.b.names[local] = mod + "." + alias.name.value

    def _bind(self, target: cst.CSTNode, kind: Optional[str]) -> None:
        if kind is None:
            return
        dotted = dotted_name(target)
        if dotted:
            self.b.clients[dotted] = kind

    def _kind_of_value(self, value: cst.BaseExpression) -> Optional[str]:
        return self.b.client_kind(value)

    def _bind_lib(self, target: cst.CSTNode, value: Optional[cst.CSTNode]) -> None:
        if value is None or not self.b.lib_names:
            return
        ctor = self.b.lib_object(value)
        dotted = dotted_name(target)
        if ctor and dotted:
            self.b.lib_objects[dotted] = ctor

    def visit_Assign(self, node: cst.Assign) -> None:
        kind = self._kind_of_value(node.value)
        for t in node.targets:
            self._bind(t.target, kind)
            self._bind_lib(t.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        kind = self._annotation_kind(node.annotation.annotation)
        if kind is None and node.value is not None:
            kind = self._kind_of_value(node.value)
        self._bind(node.target, kind)
        self._bind_lib(node.target, node.value)
        if self.b.lib_names:
            self._bind_lib(node.target, _class_of_annotation(node.annotation.annotation))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, self._kind_of_value(node.item))
            self._bind_lib(node.asname.name, node.item)

    def visit_Param(self, node: cst.Param) -> None:
        if node.annotation is not None:
            self._bind(node.name, self._annotation_kind(node.annotation.annotation))
            if self.b.lib_names:
                ann = _class_of_annotation(node.annotation.annotation)
                if ann is not None and self.b.qualify_lib(ann) in HTTP_OBJECT_CLASSES:
                    self.b.lib_objects[node.name.value] = self.b.qualify_lib(ann)

    def _annotation_kind(self, ann: cst.BaseExpression) -> Optional[str]:
        # Optional[Cartesia] / "Cartesia" / Cartesia | None
        cls = ann.__class__  # (identity: isinstance is slow on libcst's ABCs; no subclasses)
        if cls is cst.Subscript and ann.slice:  # type: ignore[attr-defined]
            first = ann.slice[0].slice  # type: ignore[attr-defined]
            if first.__class__ is cst.Index:
                return self._annotation_kind(first.value)
        if cls is cst.BinaryOperation:
            return self._annotation_kind(ann.left) or self._annotation_kind(ann.right)  # type: ignore[attr-defined]
        if cls is cst.SimpleString:
            try:
                inner = cst.parse_expression(ann.evaluated_value)
            except Exception:
                return None
            return self._annotation_kind(inner)
        q = self.b.qualify(ann)
        return CLIENT_CLASSES.get(q) if q else None


def _class_of_annotation(ann: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """``httpx.Client`` in ``httpx.Client`` / ``Optional[httpx.Client]`` (a Call-free class expression)."""
    cls = ann.__class__  # (identity: isinstance is slow on libcst's ABCs; no subclasses)
    if cls is cst.Subscript and ann.slice:  # type: ignore[attr-defined]
        first = ann.slice[0].slice  # type: ignore[attr-defined]
        if first.__class__ is cst.Index:
            return _class_of_annotation(first.value)
        return None
    if cls is cst.BinaryOperation:
        return _class_of_annotation(ann.left) or _class_of_annotation(ann.right)  # type: ignore[attr-defined]
    if cls is _Name or cls is _Attribute:
        return ann
    return None
