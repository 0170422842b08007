"""Shared by CM301/CM302: Cartesia exception classes and SDK calls inside ``try`` bodies.

``TryCalls`` is a mixin for rules: it records, in the same traversal, which ``try``
statements have a Cartesia SDK call in their body (calls in nested functions or classes
do not count: they do not run there).  The body is visited before the handlers, so an
``except`` handler's visit already knows.
"""
from __future__ import annotations

from typing import Dict, List, Optional

import libcst as cst

from ..bindings import CLIENT_CLASSES

#: exception classes of the Cartesia SDKs (2.x ``ApiError``; 3.x/4.x ``cartesia._exceptions``)
CARTESIA_EXCEPTIONS = frozenset({
    "ApiError", "CartesiaError", "APIError", "APIStatusError", "BadRequestError", "AuthenticationError",
    "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError", "RateLimitError",
    "InternalServerError", "APIResponseValidationError",
})
#: 1.x resources whose methods raised ValueError / RuntimeError for API errors
LEGACY_RESOURCES = ("tts", "voices")
BROAD = frozenset({"Exception", "BaseException", "ValueError", "RuntimeError"})
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_SCOPE_CLASSES = frozenset(_SCOPES)  # (no subclasses: compared by class)


def caught_names(handler: cst.ExceptHandler) -> List[cst.BaseExpression]:
    """The class expressions an ``except`` clause names (a tuple is flattened)."""
    t = handler.type
    if t is None:
        return []
    if isinstance(t, cst.Tuple):
        return [el.value for el in t.elements]
    return [t]


def cartesia_exception(bindings, expr: cst.CSTNode) -> Optional[str]:
    """The class name when ``expr`` names a Cartesia exception class (through cartesia imports)."""
    q = bindings.qualify(expr)
    if q and q.startswith("cartesia.") and q.rsplit(".", 1)[-1] in CARTESIA_EXCEPTIONS:
        return q.rsplit(".", 1)[-1]
    return None


def sdk_call_path(bindings, call: cst.Call) -> Optional[str]:
    """``tts.bytes`` for ``client.tts.bytes(...)`` on a Cartesia client (``""`` for other
    ``cartesia.*`` functions), None when the call is not a Cartesia SDK call."""
    func = call.func
    parts: List[str] = []
    node = func
    # (class identity: isinstance is slow on libcst's ABCs; these node classes have no subclasses)
    while node.__class__ is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    parts.reverse()
    if node.__class__ is cst.Call:  # Cartesia(...).tts.bytes(...)
        return ".".join(parts) if parts and bindings.client_kind(node) else None
    if node.__class__ is not cst.Name:
        return None
    root = node.value
    # client.tts.bytes / self.client.tts.bytes: the longest prefix bound to a client
    for k in range(len(parts), 0, -1):
        prefix = ".".join([root] + parts[:k - 1])
        if prefix in bindings.clients:
            return ".".join(parts[k - 1:])
    q = bindings.qualify(func)
    if q and q.startswith("cartesia.") and q not in CLIENT_CLASSES:
        return ""
    return None


class TryCalls:
    """Mixin: ``self.try_has_sdk_call(try_node)`` after the body of the ``try`` was visited."""

    #: which SDK calls count (None: all; else a predicate on the method path)
    def _sdk_calls_init(self) -> None:
        self._try_calls: Dict[int, List[str]] = {}

    def _note_try(self, node: cst.CSTNode) -> None:
        self._try_calls[id(node)] = []

    def _note_call(self, node: cst.Call, path: Optional[str] = None) -> None:
        if not self._try_calls:
            return
        if path is None:
            path = sdk_call_path(self.ctx.bindings, node)
            if path is None:
                return
        stack = self.ctx.stack
        for i in range(len(stack) - 1, 0, -1):
            parent = stack[i - 1]
            cls = parent.__class__
            if cls in _SCOPE_CLASSES:
                break
            if (cls is cst.Try or cls is cst.TryStar) and stack[i] is parent.body:
                calls = self._try_calls.get(id(parent))
                if calls is not None:
                    calls.append(path)

    def sdk_calls_in_try(self, try_node: cst.CSTNode) -> List[str]:
        return self._try_calls.get(id(try_node), [])
