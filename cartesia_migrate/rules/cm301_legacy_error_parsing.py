"""CM301 legacy-error-parsing: Cartesia errors parsed as legacy plain text.

In an ``except ... as e`` handler whose exception comes from Cartesia -- the clause names a
Cartesia exception class (``ApiError``, ``cartesia.APIStatusError`` and its subclasses,
``APIError``), or the ``try`` body calls the SDK and the clause is broad (``Exception``,
``ValueError``, ``RuntimeError``) -- it reports:

- the error text (``str(e)``, ``repr(e)``, ``e.args[0]``, ``e.message``, ``f"{e}"``, or a
  name assigned one of them) split, partitioned, sliced, prefix-tested or regex-matched;
- ``e.body`` used as text: ``json.loads(e.body)``, ``e.body.startswith(...)``,
  ``"..." in e.body``, ``e.body.split(...)``, slicing, regexes; and the legacy key
  ``e.body["error"]``.

A handler that already reads the structured fields (``e.body.get("error_code")``,
``e.body["message"]``, ``isinstance(e.body, dict)``) is left alone, text fallbacks included.

Outside handlers, in files that use Cartesia's WebSocket API (``tts/websocket``,
``websocket_connect``, ``.websocket(``, ``cartesia_version=``): the legacy WebSocket error key
-- ``msg["error"]`` / ``msg.get("error")`` / ``response.error`` inside
``if msg["type"] == "error":`` (or ``.get("type")``, ``.type``) -- unless the same block reads
the new keys, or the value is itself a mapping (``msg["error"]["message"]``: other vendors'
realtime events, such as OpenAI's, nest an error object under ``"error"``).

No fix: the structured form depends on what the code does with the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Set, Tuple

import libcst as cst

from ..bindings import dotted_name
from ..rule import Rule
from ._prefilter import ESCAPE, IMPORTS_CARTESIA, any_of, fold, ident, pattern
from ._errors import BROAD, TryCalls, caught_names, cartesia_exception

STRUCTURED_KEYS = frozenset({"error_code", "title", "message", "request_id", "doc_url"})
_TEXT_METHODS = {"split": "split", "rsplit": "split", "partition": "partitioned", "rpartition": "partitioned",
                 "startswith": "prefix-tested", "endswith": "suffix-tested", "removeprefix": "sliced",
                 "find": "searched", "index": "searched", "rfind": "searched", "splitlines": "split"}
_BODY_TEXT_METHODS = set(_TEXT_METHODS) | {"lower", "upper", "strip", "lstrip", "rstrip", "replace", "casefold",
                                           "encode", "decode", "format"}
_PASS_THROUGH = {"lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title"}
_REGEX_FUNCS = {"re.match", "re.search", "re.fullmatch", "re.findall", "re.finditer", "re.split", "re.sub",
                "re.subn", "regex.match", "regex.search", "regex.findall"}
_REGEX_METHODS = {"match", "search", "fullmatch", "findall", "finditer"}
_JSON_LOADS = {"json.loads", "loads", "orjson.loads", "ujson.loads", "simplejson.loads"}

_WS_CONTEXT_RE = re.compile(r"tts/websocket|stt/websocket|websocket_connect|\.websocket\(|cartesia_version=",
                            re.I)
_WS_CONTEXT_WORDS = ("tts/websocket", "stt/websocket", "websocket_connect", ".websocket(", "cartesia_version=")


def _ws_context(ctx) -> bool:
    """``_WS_CONTEXT_RE.search(ctx.text)``; for ASCII text (where re.I is plain lower-casing)
    as substring tests of the lower-cased text, which the file's context has anyway."""
    if ctx.text.isascii():
        low = ctx.lower_text
        return any(w in low for w in _WS_CONTEXT_WORDS)
    return bool(_WS_CONTEXT_RE.search(ctx.text))


STRUCTURED_HINT = ('use `e.status_code`, `e.body["error_code"]`, `e.body["title"]`, `e.body["message"]`, '
                   '`e.body["request_id"]` (from Cartesia-Version 2026-03-01 `e.body` is a dict)')


@dataclass
class _Handler:
    var: str
    body: cst.CSTNode
    cartesia: bool  # False: a handler of something else that shadows outer names
    text_names: Set[str] = field(default_factory=set)  # names holding str(e) & co
    body_names: Set[str] = field(default_factory=set)  # names holding e.body
    structured: bool = False
    found: List[Tuple[cst.CSTNode, str, Optional[cst.CSTNode]]] = field(default_factory=list)


@dataclass
class _ErrorBlock:
    subject: str  # dotted expression whose type is "error"
    body: cst.CSTNode
    structured: bool = False
    found: List[Tuple[cst.CSTNode, str, Optional[cst.CSTNode]]] = field(default_factory=list)


def _key(node: cst.CSTNode) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        try:
            v = node.evaluated_value
        except Exception:
            return None
        return v if isinstance(v, str) else None
    return None


def _subscript_key(node: cst.Subscript) -> Optional[str]:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return _key(node.slice[0].slice.value)
    return None


def _is_slice(node: cst.Subscript) -> bool:
    return any(isinstance(el.slice, cst.Slice) for el in node.slice)


class LegacyErrorParsing(TryCalls, Rule):
    CODE = "CM301"
    # a handler of a Cartesia exception / around an SDK call, or if x["type"] == "error" in WebSocket code
    PREFILTER = ((IMPORTS_CARTESIA, ident("except")),
                 (any_of(pattern(r"error(?<=[\"']error)[\"']", "error"), ESCAPE),
                  any_of(*(fold(w) for w in ("tts/websocket", "stt/websocket", "websocket_connect", ".websocket(",
                                             "cartesia_version=")))))

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._sdk_calls_init()
        self._handlers: List[_Handler] = []
        self._blocks: List[_ErrorBlock] = []
        self._active = ctx.has_cartesia_context
        self._ws_active = self._active and _ws_context(ctx)

    # ---- try bodies and handlers
    def visit_Try(self, node: cst.Try) -> None:
        if self._active:
            self._note_try(node)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if not self._active or node.name is None or not isinstance(node.name.name, cst.Name):
            return
        parent = self.ctx.parent()
        b = self.ctx.bindings
        caught = caught_names(node)
        cartesia = any(cartesia_exception(b, t) for t in caught)
        if not cartesia and isinstance(parent, (cst.Try, cst.TryStar)) and self.sdk_calls_in_try(parent):
            cartesia = node.type is None or any(dotted_name(t) in BROAD for t in caught)
        if cartesia or self._handlers:
            self._handlers.append(_Handler(node.name.name.value, node.body, cartesia))

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler) -> None:
        if self._handlers and self._handlers[-1].body is original_node.body:
            h = self._handlers.pop()
            if h.cartesia and not h.structured:
                for node, what, stmt in h.found:
                    self.report(node, "Cartesia error %s as legacy plain text: %s" % (what, STRUCTURED_HINT),
                                statement=stmt)

    # ---- what an expression is, inside the innermost Cartesia handler
    def _current(self) -> Optional[_Handler]:
        return self._handlers[-1] if self._handlers else None

    def _is_exc(self, h: _Handler, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Name) and node.value == h.var

    def _is_body(self, h: _Handler, node: cst.CSTNode) -> bool:
        """``e.body`` or a name assigned it."""
        if isinstance(node, cst.Attribute) and node.attr.value == "body" and self._is_exc(h, node.value):
            return True
        return isinstance(node, cst.Name) and node.value in h.body_names

    def _is_text(self, h: _Handler, node: cst.CSTNode) -> Optional[str]:
        """How ``node`` holds the error's text (``str(e)``...), else None."""
        if isinstance(node, cst.Call):
            fn = dotted_name(node.func)
            if fn in ("str", "repr", "format") and node.args and self._is_exc(h, node.args[0].value):
                return "%s(%s)" % (fn, h.var)
            if fn in ("str", "repr", "format") and node.args and self._is_body(h, node.args[0].value):
                return f"{fn}({h.var}.body)"  # 2.x "Title: Message" text; from 2026-03-01 the text of a dict
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in _PASS_THROUGH:
                return self._is_text(h, node.func.value)
            return None
        if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Attribute) and \
                node.value.attr.value == "args" and self._is_exc(h, node.value.value) and not _is_slice(node):
            return "%s.args[...]" % h.var
        if isinstance(node, cst.Attribute) and node.attr.value == "message" and self._is_exc(h, node.value):
            return "%s.message" % h.var
        if isinstance(node, cst.FormattedString) and any(
                isinstance(p, cst.FormattedStringExpression) and self._is_exc(h, p.expression) for p in node.parts):
            return 'f"{%s}"' % h.var
        if isinstance(node, cst.Name) and node.value in h.text_names:
            return node.value
        return None

    def _add(self, h: _Handler, node: cst.CSTNode, what: str) -> None:
        h.found.append((node, what, self.ctx.enclosing_statement()))

    # ---- handler visits
    def visit_Assign(self, node: cst.Assign) -> None:
        h = self._current()
        if h is None:
            return
        for t in node.targets:
            if isinstance(t.target, cst.Name):
                if self._is_text(h, node.value):
                    h.text_names.add(t.target.value)
                elif self._is_body(h, node.value):
                    h.body_names.add(t.target.value)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._active:
            return
        if self._try_calls:
            self._note_call(node)
        h = self._current()
        if h is not None:
            self._call_in_handler(h, node)
        if self._blocks:
            self._call_in_block(node)

    def _call_in_handler(self, h: _Handler, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            attr = func.attr.value
            owner = func.value
            if self._is_body(h, owner):
                if attr == "get" and node.args and _key(node.args[0].value) in STRUCTURED_KEYS:
                    h.structured = True
                elif attr in _BODY_TEXT_METHODS:
                    self._add(h, node, "body used as text (`%s.body.%s()`)" % (h.var, attr))
                elif attr == "get" and node.args and _key(node.args[0].value) == "error":
                    self._add(h, node, 'body read with the legacy key "error"')
                return
            what = self._is_text(h, owner)
            if what and attr in _TEXT_METHODS:
                self._add(h, node, "text `%s` %s" % (what, _TEXT_METHODS[attr]))
                return
        fn = dotted_name(func)
        if fn in ("isinstance",) and node.args and self._is_body(h, node.args[0].value):
            h.structured = True  # the code branches on the body's type: text fallbacks are deliberate
            return
        args = [a.value for a in node.args]
        if fn in _JSON_LOADS and args and self._is_body(h, args[0]):
            self._add(h, node, "body parsed with `%s(%s.body)` (it is already a dict)" % (fn, h.var))
            return
        regex = fn in _REGEX_FUNCS or (isinstance(func, cst.Attribute) and func.attr.value in _REGEX_METHODS
                                       and fn not in ("str", "bytes"))
        if regex:
            for a in args:
                what = self._is_text(h, a)
                if what:
                    self._add(h, node, "text `%s` regex-matched" % what)
                    return
                if self._is_body(h, a):
                    self._add(h, node, "body regex-matched as text")
                    return

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if not self._active:
            return
        h = self._current()
        if h is not None:
            if self._is_body(h, node.value):
                key = _subscript_key(node)
                if key in STRUCTURED_KEYS:
                    h.structured = True
                elif key == "error":
                    self._add(h, node, 'body read with the legacy key "error"')
                elif _is_slice(node):
                    self._add(h, node, "body sliced as text")
            elif _is_slice(node):
                what = self._is_text(h, node.value)
                if what:
                    self._add(h, node, "text `%s` sliced" % what)
        if self._blocks:
            self._subscript_in_block(node)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        h = self._current()
        if h is None:
            return
        left = node.left
        for target in node.comparisons:
            if isinstance(target.operator, (cst.In, cst.NotIn)) and self._is_body(h, target.comparator):
                key = _key(left)
                if key in STRUCTURED_KEYS:
                    h.structured = True
                elif key is not None:
                    self._add(h, node, "body searched as text (`%r in %s.body`)" % (key, h.var))
            left = target.comparator

    # ---- the legacy WebSocket error key outside handlers
    def _error_subject(self, test: cst.BaseExpression) -> Optional[str]:
        """``msg`` in ``msg["type"] == "error"``, ``msg.get("type") == "error"``, ``msg.type == "error"``,
        """
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return None
        op = test.comparisons[0].operator
        left, right = test.left, test.comparisons[0].comparator
        if not isinstance(op, cst.Equal):
            return None
        if _key(left) == "error":
            left, right = right, left
        if _key(right) != "error":
            return None
        if isinstance(left, cst.Subscript) and _subscript_key(left) == "type":
            return dotted_name(left.value)
        if isinstance(left, cst.Call) and isinstance(left.func, cst.Attribute) and left.func.attr.value == "get" \
                and left.args and _key(left.args[0].value) == "type":
            return dotted_name(left.func.value)
        if isinstance(left, cst.Attribute) and left.attr.value == "type":
            return dotted_name(left.value)
        return None

    def visit_If(self, node: cst.If) -> None:
        if not self._ws_active:
            return
        subject = self._error_subject(node.test)
        if subject:
            self._blocks.append(_ErrorBlock(subject, node.body))

    def leave_If(self, original_node: cst.If) -> None:
        if self._blocks and self._blocks[-1].body is original_node.body:
            blk = self._blocks.pop()
            if not blk.structured:
                for n, what, stmt in blk.found:
                    self.report(n, "Legacy WebSocket error key %s: from Cartesia-Version 2026-03-01 error "
                                   "events carry `error_code`, `title`, `message` and `request_id` instead "
                                   "(SDK: `response.message`, `response.error_code`)" % what, statement=stmt)

    def _used_as_mapping(self, node: cst.CSTNode) -> bool:
        """``msg["error"]["message"]`` / ``msg.get("error").get(...)`` / ``ev.error.message``: an
        error *object* (another vendor's event shape), not Cartesia's legacy error string."""
        parent = self.ctx.parent()
        return isinstance(parent, (cst.Subscript, cst.Attribute)) and parent.value is node

    def _in_block_body(self, blk: _ErrorBlock) -> bool:
        return any(n is blk.body for n in self.ctx.stack)

    def _block_for(self, subject: Optional[str]) -> Optional[_ErrorBlock]:
        if subject is None:
            return None
        for blk in reversed(self._blocks):
            if blk.subject == subject and self._in_block_body(blk):
                return blk
        return None

    def _subscript_in_block(self, node: cst.Subscript) -> None:
        blk = self._block_for(dotted_name(node.value))
        if blk is None:
            return
        key = _subscript_key(node)
        if key in STRUCTURED_KEYS:
            blk.structured = True
        elif key == "error" and not self._used_as_mapping(node):
            blk.found.append((node, '`%s["error"]`' % blk.subject, self.ctx.enclosing_statement()))

    def _call_in_block(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "get" and node.args):
            return
        blk = self._block_for(dotted_name(func.value))
        if blk is None:
            return
        key = _key(node.args[0].value)
        if key in STRUCTURED_KEYS:
            blk.structured = True
        elif key == "error" and not self._used_as_mapping(node) and not (
                len(node.args) > 1 and isinstance(node.args[1].value, (cst.Dict, cst.Call))):
            blk.found.append((node, '`%s.get("error")`' % blk.subject, self.ctx.enclosing_statement()))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self._blocks:
            return
        blk = self._block_for(dotted_name(node.value))
        if blk is None:
            return
        if node.attr.value in STRUCTURED_KEYS:
            blk.structured = True
        elif node.attr.value == "error" and not self._used_as_mapping(node):
            blk.found.append((node, "`%s.error`" % blk.subject, self.ctx.enclosing_statement()))
