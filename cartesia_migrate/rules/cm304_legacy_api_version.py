"""CM304 legacy-api-version: a Cartesia-Version before 2026-03-01 (legacy plain-text errors).

Sites: the value of a ``"Cartesia-Version"`` / ``"cartesia_version"`` dict entry, a
``cartesia_version=`` keyword, ``h["Cartesia-Version"] = ...``, ``add_header`` /
``putheader`` / ``setdefault`` calls, ``cartesia_version=2024-06-10`` in a URL query and
``Cartesia-Version: 2024-06-10`` in header text (``CARTESIA_CUSTOM_HEADERS``), and
constants named like ``CARTESIA_VERSION``.  A constant used at such a site is reported at
its definition.  Docstrings are skipped.
"""
from __future__ import annotations

import re
from typing import Dict, List, Set, Tuple

import libcst as cst

from ..bindings import dotted_name
from ..rule import Replace, ReplaceIn, Rule
from ._prefilter import ESCAPE, TOUCHING_LITERALS, any_of, fold, pattern
from ._http import (CURRENT_VERSION, VERSION_IN_TEXT_RE, is_docstring, is_legacy_version, is_version_key,
                    string_value)

_CONSTANT_NAME_RE = re.compile(r"cartesia_?(?:api_?)?version$", re.I)
_GETENV = {"os.getenv", "os.environ.get", "getenv", "environ.get", "os.environ.setdefault"}
_HEADER_SETTERS = {"add_header", "putheader", "setdefault", "add_unredirected_header", "__setitem__"}


def _message(value: str) -> str:
    return ("Cartesia-Version %s predates %s: older API versions return legacy plain-text errors "
            "(`Title: Message`) instead of JSON with `error_code`, `title`, `message` and `request_id`; "
            "use %s and read those fields (see CM301)" % (value, CURRENT_VERSION, CURRENT_VERSION))


class LegacyApiVersion(Rule):
    CODE = "CM304"
    # a version key / name / text (re.I; keys are evaluated, concatenations joined) and a date literal
    PREFILTER = ((any_of(pattern(r"-(?<=[0-9\x80-\xff]-)[0-9\x80-\xff]", "-"), ESCAPE),
                  any_of(pattern(fold("cartesia") + r"[-_ ]?(?:%s_?)?" % fold("api") + fold("version"),
                                 "carte", "ver"), TOUCHING_LITERALS, ESCAPE)),)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._done: Set[int] = set()
        self._constants: Dict[str, List[Tuple[cst.SimpleString, object]]] = {}
        self._uses: List[Tuple[str, cst.CSTNode, object]] = []

    # -- reporting
    def _report_literal(self, node: cst.SimpleString, statement=None) -> None:
        if id(node) in self._done:
            return
        value = string_value(node)
        if value is None or not is_legacy_version(value):
            return
        self._done.add(id(node))
        new = node.prefix + node.quote + CURRENT_VERSION + node.quote
        self.report(node, _message(value), edits=[Replace(node, new)],
                    fix_message="Use Cartesia-Version %s" % CURRENT_VERSION, statement=statement)

    def _check_value(self, expr: cst.CSTNode) -> None:
        if isinstance(expr, cst.SimpleString):
            self._report_literal(expr)
            return
        name = dotted_name(expr)
        if name:
            self._uses.append((name, expr, self.ctx.enclosing_statement()))

    # -- sites
    def visit_DictElement(self, node: cst.DictElement) -> None:
        if is_version_key(node.key):
            self._check_value(node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value.lower() == "cartesia_version":
            self._check_value(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        if len(node.args) < 2 or node.args[0].keyword is not None:
            return
        first = node.args[0].value
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in _HEADER_SETTERS \
                and is_version_key(first):
            self._check_value(node.args[1].value)
        elif dotted_name(node.func) in _GETENV:
            # os.getenv("CARTESIA_VERSION", "2024-06-10"): the default is the version in use
            name = string_value(first)
            if name and _CONSTANT_NAME_RE.search(name) and isinstance(node.args[1].value, cst.SimpleString):
                self._report_literal(node.args[1].value)

    def _assignment(self, target: cst.CSTNode, value: cst.CSTNode) -> None:
        if isinstance(target, cst.Subscript) and len(target.slice) == 1 and \
                isinstance(target.slice[0].slice, cst.Index) and is_version_key(target.slice[0].slice.value):
            self._check_value(value)
            return
        name = dotted_name(target)
        if name and isinstance(value, cst.SimpleString):
            self._constants.setdefault(name, []).append((value, self.ctx.enclosing_statement()))
            if _CONSTANT_NAME_RE.search(name.rsplit(".", 1)[-1]):
                self._report_literal(value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            self._assignment(t.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assignment(node.target, node.value)

    def visit_Param(self, node: cst.Param) -> None:
        # def call(cartesia_version="2024-06-10") / version: str = "2024-06-10" used as the header
        if node.default is not None and isinstance(node.default, cst.SimpleString):
            if _CONSTANT_NAME_RE.search(node.name.value):
                self._report_literal(node.default)
            else:
                self._constants.setdefault(node.name.value, []).append((node.default, None))

    # -- versions written inside text: URL queries, "Cartesia-Version: ..." header lines
    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        raw = node.value
        if "ersion" not in raw or "b" in node.prefix.lower() or is_docstring(self.ctx):
            return
        self._check_text(node, raw)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        if "ersion" in node.value:
            self._check_text(node, node.value)

    def _check_text(self, node: cst.CSTNode, raw: str) -> None:
        legacy = [m for m in VERSION_IN_TEXT_RE.finditer(raw) if is_legacy_version(m.group("date"))]
        if not legacy or id(node) in self._done:
            return
        self._done.add(id(node))
        edits = [ReplaceIn(node, m.start("date"), m.end("date"), CURRENT_VERSION) for m in legacy]
        self.report(node, _message(legacy[0].group("date")), edits=edits,
                    fix_message="Use Cartesia-Version %s" % CURRENT_VERSION)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        # f"...?cartesia_version={VERSION}": the constant is a use site
        parts = node.parts
        for prev, part in zip(parts, parts[1:]):
            if isinstance(prev, cst.FormattedStringText) and isinstance(part, cst.FormattedStringExpression) \
                    and re.search(r"cartesia[-_]version(?:=|\s*:\s*)$", prev.value, re.I):
                self._check_value(part.expression)

    def leave_Module(self, original_node: cst.Module) -> None:
        for name, _use, _stmt in self._uses:
            defs = self._constants.get(name)
            if defs is None and name.startswith(("self.", "cls.")) and name.count(".") == 1:
                defs = self._constants.get(name.split(".", 1)[1])  # a class attribute read through self
            for literal, statement in defs or ():
                self._report_literal(literal, statement)
