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

from typing import Dict, Optional

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


def dotted_name(node: cst.CSTNode) -> Optional[str]:
    """``a.b.c`` for Name/Attribute chains, else None."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


class Bindings:
    def __init__(self) -> None:
        self.names: Dict[str, str] = {}  # local name -> qualified name (modules and objects)
        self.clients: Dict[str, str] = {}  # dotted local expr ("client", "self.client") -> sync|async
        self.imports_cartesia = False
        self.lib_names: Dict[str, str] = {}  # local name -> qualified name in an HTTP library
        self.lib_objects: Dict[str, str] = {}  # dotted local expr -> qualified constructor ("httpx.Client")

    def qualify(self, node: cst.CSTNode) -> Optional[str]:
        """Qualified name of a Name/Attribute chain through cartesia imports, else None."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        q = self.names.get(head)
        if q is None:
            return None
        return q + ("." + rest if rest else "")

    def client_kind(self, node: cst.CSTNode) -> Optional[str]:
        """'sync'/'async' when ``node`` is an expression holding a Cartesia client."""
        if isinstance(node, cst.Call):
            q = self.qualify(node.func)
            return CLIENT_CLASSES.get(q) if q else None
        if isinstance(node, cst.Await):
            return None
        dotted = dotted_name(node)
        if dotted is None:
            return None
        return self.clients.get(dotted)


    def qualify_lib(self, node: cst.CSTNode) -> Optional[str]:
        """Qualified name of a Name/Attribute chain through HTTP-library imports (``httpx.get``), else None."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        q = self.lib_names.get(head)
        if q is None:
            return None
        return q + ("." + rest if rest else "")

    def lib_object(self, node: cst.CSTNode) -> Optional[str]:
        """The qualified constructor (``requests.Session``) when ``node`` is or holds an HTTP-library object."""
        if isinstance(node, cst.Call):
            q = self.qualify_lib(node.func)
            return q if q in HTTP_OBJECT_CLASSES else None
        dotted = dotted_name(node)
        return self.lib_objects.get(dotted) if dotted else None


class BindingTracker(cst.BatchableCSTVisitor):
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
        if isinstance(ann, cst.Subscript) and ann.slice:
            first = ann.slice[0].slice
            if isinstance(first, cst.Index):
                return self._annotation_kind(first.value)
        if isinstance(ann, cst.BinaryOperation):
            return self._annotation_kind(ann.left) or self._annotation_kind(ann.right)
        if isinstance(ann, cst.SimpleString):
            try:
                inner = cst.parse_expression(ann.evaluated_value)
            except Exception:
                return None
            return self._annotation_kind(inner)
        q = self.b.qualify(ann)
        return CLIENT_CLASSES.get(q) if q else None


def _class_of_annotation(ann: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """``httpx.Client`` in ``httpx.Client`` / ``Optional[httpx.Client]`` (a Call-free class expression)."""
    if isinstance(ann, cst.Subscript) and ann.slice:
        first = ann.slice[0].slice
        if isinstance(first, cst.Index):
            return _class_of_annotation(first.value)
        return None
    if isinstance(ann, cst.BinaryOperation):
        return _class_of_annotation(ann.left) or _class_of_annotation(ann.right)
    if isinstance(ann, (cst.Name, cst.Attribute)):
        return ann
    return None
