"""CM303 missing-api-version: a raw request to api.cartesia.ai without a Cartesia-Version.

Calls looked at (names resolved through the HTTP-library bindings, same pass):

- module functions: ``httpx.get/post/...``, ``httpx.request/stream``, ``requests.*``,
  ``aiohttp.request``, ``websockets.connect`` (and its ``sync`` / ``asyncio`` / ``legacy``
  homes), ``urllib.request.urlopen`` / ``Request``;
- client objects: ``httpx.Client`` / ``AsyncClient``, ``requests.Session``,
  ``aiohttp.ClientSession`` -- their verb methods, ``request`` / ``stream`` /
  ``build_request`` / ``ws_connect``; a client built with a Cartesia ``base_url`` is
  reported at its constructor.

The URL counts when its literal text (a literal, an f-string, a concatenation, or a
name assigned such a value anywhere in the file) names ``api.cartesia.ai`` or
``CARTESIA_BASE_URL``.  The version counts as set by a ``Cartesia-Version`` header in the
call, in the client's constructor, by ``x.headers.update(...)`` / ``x.headers[...] = ...``
/ ``add_header(...)``, by a ``cartesia_version=`` query, or file-wide by a
``default_headers=`` dict or ``CARTESIA_CUSTOM_HEADERS`` text carrying it.  Whatever
cannot be seen (headers built by a function, ``**kwargs``, a client made elsewhere)
counts as set: the rule reports only what it can prove.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from ..bindings import HTTP_OBJECT_CLASSES, dotted_name
from ..rule import Replace, Rule
from ._prefilter import ESCAPE, IMPORTS_HTTP_LIBRARY, any_of, fold, pattern
from ._http import (CLIENT_CTORS, CURRENT_VERSION, FUNCTIONS, METHODS, QUERY_KEY_RE, ValueTable, arg,
                    code_in_place, dict_with_entry, find_headers, has_star_kwargs, is_docstring,
                    is_version_key, key_style, mentions_cartesia, string_value)

SET, MISSING, UNKNOWN = "set", "missing", "unknown"
_HEADER_TEXT_RE = re.compile(r"cartesia-version\s*:", re.I)
_MESSAGE = ("Request to api.cartesia.ai without a Cartesia-Version header: the version decides the API "
            "behaviour and the error format (structured JSON from %s); send `Cartesia-Version: %s`"
            % (CURRENT_VERSION, CURRENT_VERSION))


@dataclass
class _Call:
    node: cst.Call
    spec: Tuple[int, str, Tuple[str, ...], int]
    blocks: Tuple[cst.CSTNode, ...]  # enclosing indented blocks (to render a fixed dict in place)
    statement: Optional[cst.CSTNode]
    qualified: str = ""  # module function or constructor
    obj: Optional[str] = None  # dotted client variable for method calls
    obj_call: Optional[cst.Call] = None  # ``httpx.Client(...).get(...)``
    bound: Optional[str] = None  # variable the result is assigned to (constructors, Request)


@dataclass
class _State:
    state: str
    fix_dict: Optional[cst.Dict] = None
    blocks: Tuple[cst.CSTNode, ...] = field(default_factory=tuple)


def _blocks(stack) -> Tuple[cst.CSTNode, ...]:
    return tuple(n for n in stack if isinstance(n, cst.IndentedBlock))


class MissingApiVersion(Rule):
    CODE = "CM303"
    # a URL naming the host (HOST_RE, re.I) or a base-URL variable (exact), and an HTTP library
    PREFILTER = ((any_of(fold("api.cartesia.ai"),
                         pattern(r"(?-i:CARTESIA_(?:API_)?(?:BASE_)?URL)", "cartesia_", "url"), ESCAPE),
                  IMPORTS_HTTP_LIBRARY),)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.values = ValueTable()
        self.dict_blocks: Dict[int, Tuple[cst.CSTNode, ...]] = {}
        self.marked: Set[str] = set()  # dotted names a version header is set on
        self.file_set = False
        self.calls: List[_Call] = []
        self.ctors: Dict[str, _Call] = {}

    # ---- collection
    def _bound_target(self) -> Optional[str]:
        parent = self.ctx.parent()
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            return dotted_name(parent.targets[0].target)
        if isinstance(parent, (cst.AnnAssign, cst.AugAssign)):
            return dotted_name(parent.target)
        if isinstance(parent, cst.WithItem) and parent.asname is not None:
            return dotted_name(parent.asname.name)
        return None

    def visit_Call(self, node: cst.Call) -> None:
        b = self.ctx.bindings
        func = node.func
        # headers set on an object: x.headers.update({...}), x.add_header("Cartesia-Version", v), ...
        if isinstance(func, cst.Attribute):
            attr = func.attr.value
            target = dotted_name(func.value)
            if target and node.args:
                first = node.args[0].value
                if attr in ("update", "__ior__") and isinstance(first, cst.Dict) and \
                        self._state(first, set()).state == SET:
                    self.marked.add(target)
                elif attr in ("setdefault", "add_header", "putheader", "add_unredirected_header",
                              "__setitem__") and is_version_key(first):
                    self.marked.add(target)
        if not b.lib_names:
            return
        q = b.qualify_lib(func)
        stack = self.ctx.stack
        if q in FUNCTIONS:
            c = _Call(node, FUNCTIONS[q], _blocks(stack), self.ctx.enclosing_statement(), qualified=q)
            if q == "urllib.request.Request":
                c.bound = self._bound_target()
            self.calls.append(c)
            return
        if q in CLIENT_CTORS:
            c = _Call(node, (-1, "", ("headers",), -1), _blocks(stack),
                      self.ctx.enclosing_statement(), qualified=q, bound=self._bound_target())
            if c.bound:
                self.ctors[c.bound] = c
            else:
                self.ctors["<call:%d>" % id(node)] = c
            return
        if isinstance(func, cst.Attribute) and func.attr.value in METHODS:
            owner = func.value
            ctor = b.lib_object(owner)
            if ctor is None or HTTP_OBJECT_CLASSES.get(ctor) != "client":
                return
            c = _Call(node, METHODS[func.attr.value], _blocks(stack), self.ctx.enclosing_statement(),
                      qualified=ctor)
            if isinstance(owner, cst.Call):
                c.obj_call = owner
            else:
                c.obj = dotted_name(owner)
            self.calls.append(c)

    def visit_Arg(self, node: cst.Arg) -> None:
        # Cartesia(default_headers={"cartesia-version": ...}) sets the version for the file's SDK use
        if node.keyword is not None and node.keyword.value == "default_headers" and \
                isinstance(node.value, cst.Dict) and any(
                    isinstance(el, cst.DictElement) and is_version_key(el.key) for el in node.value.elements):
            self.file_set = True

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            target = t.target
            if isinstance(target, cst.Subscript) and len(target.slice) == 1 and \
                    isinstance(target.slice[0].slice, cst.Index) and is_version_key(target.slice[0].slice.value):
                name = dotted_name(target.value)
                if name:
                    self.marked.add(name)
                continue
            self.values.add(target, node.value)
        if isinstance(node.value, cst.Dict):
            self.dict_blocks[id(node.value)] = _blocks(self.ctx.stack)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.values.add(node.target, node.value)
            if isinstance(node.value, cst.Dict):
                self.dict_blocks[id(node.value)] = _blocks(self.ctx.stack)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        name = dotted_name(node.target)
        if name and isinstance(node.operator, cst.BitOrAssign) and isinstance(node.value, cst.Dict) and \
                self._state(node.value, set()).state == SET:
            self.marked.add(name)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        # CARTESIA_CUSTOM_HEADERS="cartesia-version: 2026-03-01" (or any header text carrying it)
        if "ersion" in node.value and not is_docstring(self.ctx):
            v = string_value(node)
            if v is not None and _HEADER_TEXT_RE.search(v):
                self.file_set = True

    # ---- evaluation
    def _state(self, expr: Optional[cst.CSTNode], seen: Set[str]) -> _State:
        """Whether the headers expression sets Cartesia-Version (SET), surely not (MISSING), or unknown."""
        if expr is None:
            return _State(MISSING)
        if isinstance(expr, cst.Dict):
            unknown = False
            for el in expr.elements:
                if isinstance(el, cst.DictElement):
                    if is_version_key(el.key):
                        return _State(SET)
                    if string_value(el.key) is None:
                        key_name = dotted_name(el.key)
                        vals = self.values.get(key_name) if key_name else []
                        if any(is_version_key(v) for v in vals):
                            return _State(SET)
                        if not vals or not all(string_value(v) is not None for v in vals):
                            unknown = True
                else:
                    sub = self._state(el.value, seen)
                    if sub.state == SET:
                        return sub
                    if sub.state == UNKNOWN:
                        unknown = True
            if unknown:
                return _State(UNKNOWN)
            return _State(MISSING, expr, self.dict_blocks.get(id(expr), ()))
        name = dotted_name(expr)
        if name is not None:
            if name in self.marked:
                return _State(SET)
            vals = self.values.get(name)
            if not vals or name in seen:
                return _State(UNKNOWN)
            seen = seen | {name}
            states = [self._state(v, seen) for v in vals]
            if any(s.state == SET for s in states):
                return _State(SET)
            if any(s.state == UNKNOWN for s in states):
                return _State(UNKNOWN)
            if len(states) == 1:
                return states[0]
            return _State(MISSING)
        if isinstance(expr, cst.Call):
            fname = dotted_name(expr.func)
            if fname == "dict":
                states = [self._state(a.value, seen) for a in expr.args if a.keyword is None]
                if any(s.state == SET for s in states):
                    return _State(SET)
                if any(s.state == UNKNOWN for s in states):
                    return _State(UNKNOWN)
                return _State(MISSING)
            if isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "copy" and not expr.args:
                s = self._state(expr.func.value, seen)
                return _State(s.state)
            return _State(UNKNOWN)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            states = [self._state(expr.left, seen), self._state(expr.right, seen)]
            if any(s.state == SET for s in states):
                return _State(SET)
            if any(s.state == UNKNOWN for s in states):
                return _State(UNKNOWN)
            return _State(MISSING)
        return _State(UNKNOWN)

    def _call_state(self, c: _Call) -> _State:
        if has_star_kwargs(c.node):
            return _State(UNKNOWN)
        _, _, keywords, pos = c.spec
        a = find_headers(c.node, keywords, pos)
        if a is None:
            return _State(MISSING)
        s = self._state(a.value, set())
        if s.state == MISSING and s.fix_dict is not None and s.fix_dict is a.value:
            s.blocks = c.blocks
        return s

    def _object_state(self, c: _Call) -> _State:
        """Whether the client / request object the call belongs to sets the version."""
        if c.obj_call is not None:
            ctor = self.ctors.get("<call:%d>" % id(c.obj_call))
        else:
            ctor = self.ctors.get(c.obj or "")
        if ctor is None:
            return _State(UNKNOWN)  # made elsewhere: its default headers are not known
        return self._ctor_state(ctor)

    def _ctor_state(self, ctor: _Call) -> _State:
        if ctor.bound and (ctor.bound in self.marked or ctor.bound + ".headers" in self.marked):
            return _State(SET)
        return self._call_state(ctor)

    def _url_text(self, c: _Call) -> Optional[str]:
        index, keyword, _, _ = c.spec
        a = arg(c.node, index, keyword)
        if a is None:
            return None
        return self.values.text_of(a.value)

    def leave_Module(self, original_node: cst.Module) -> None:
        if self.file_set:
            return
        reported: Set[int] = set()
        via_base: Dict[int, List[_Call]] = {}  # constructor id -> calls relying on its base_url
        cartesia_ctors: Dict[int, _Call] = {}
        for key, ctor in self.ctors.items():
            base = arg(ctor.node, CLIENT_CTORS[ctor.qualified][1], CLIENT_CTORS[ctor.qualified][0]) \
                if CLIENT_CTORS[ctor.qualified][0] else None
            if base is not None and mentions_cartesia(self.values.text_of(base.value)):
                cartesia_ctors[id(ctor.node)] = ctor
                via_base[id(ctor.node)] = []
        for c in self.calls:
            text = self._url_text(c)
            if text is None:
                continue
            ctor = None
            if c.obj is not None or c.obj_call is not None:
                ctor = self.ctors.get(c.obj) if c.obj is not None else self.ctors.get("<call:%d>" % id(c.obj_call))
            if not mentions_cartesia(text):
                if ctor is not None and id(ctor.node) in cartesia_ctors and "://" not in text:
                    via_base[id(ctor.node)].append(c)
                continue
            if QUERY_KEY_RE.search(text):
                continue
            if c.qualified == "urllib.request.urlopen" and not self._is_plain_url(c):
                continue
            state = self._call_state(c)
            if state.state != MISSING:
                continue
            if c.obj is not None or c.obj_call is not None:
                if self._object_state(c).state != MISSING:
                    continue
            if c.bound and (c.bound in self.marked or c.bound + ".headers" in self.marked):
                continue
            self._report(c, state, reported)
        for cid, ctor in cartesia_ctors.items():
            state = self._ctor_state(ctor)
            if state.state != MISSING:
                continue
            calls = via_base[cid]
            states = [self._call_state(c).state for c in calls]
            if calls and all(s == SET for s in states):
                continue
            if any(s == UNKNOWN for s in states):
                continue
            self._report(ctor, state, reported)

    def _is_plain_url(self, c: _Call) -> bool:
        """urlopen's argument is a URL (not a Request object, which is checked where it is built)."""
        a = arg(c.node, 0, "url")
        if a is None:
            return False
        v = a.value
        if isinstance(v, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation)):
            return True
        name = dotted_name(v)
        vals = self.values.get(name) if name else []
        return bool(vals) and all(
            isinstance(x, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation))
            for x in vals)

    def _report(self, c: _Call, state: _State, reported: Set[int]) -> None:
        if id(c.node) in reported:
            return
        reported.add(id(c.node))
        edits = []
        fix_message = None
        d = state.fix_dict
        if d is not None:
            key = key_style(d)
            new = dict_with_entry(d, key, CURRENT_VERSION)
            edits = [Replace(d, code_in_place(self.ctx, new, state.blocks))]
            fix_message = 'Add "%s": "%s" to the headers' % (key, CURRENT_VERSION)
        self.report(c.node, _MESSAGE, edits=edits, fix_message=fix_message, statement=c.statement)
