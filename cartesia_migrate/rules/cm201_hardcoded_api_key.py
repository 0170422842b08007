"""CM201 hardcoded-api-key: a Cartesia API key literal in source code."""
from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from ..bindings import dotted_name
from ..redact import redact
from ..rule import Replace, Rule
from ._imports import ensure_import

# sk_car_ then a key body: sk_car_<id>.<secret> or a long token (bare prefixes never match)
KEY_RE = re.compile(r"sk_car_(?:admin_)?(?P<body>[A-Za-z0-9][A-Za-z0-9_.\-]{9,})")
PLACEHOLDER_RE = re.compile(
    r"^[x*.\-_0]+$|\.\.\.|x{3,}|your|here|example|placeholder|dummy|fake|test|changeme|redacted|"
    r"insert|replace|secret_?key|api_?key|<|>|todo|sample|mock", re.I)
ENV = 'os.environ["CARTESIA_API_KEY"]'


def find_key(text: str) -> Optional[re.Match]:
    for m in KEY_RE.finditer(text):
        if not PLACEHOLDER_RE.search(m.group("body")):
            return m
    return None


class HardcodedApiKey(Rule):
    CODE = "CM201"
    PREFILTER = (r"sk_car_",)

    def _message(self, key: str) -> str:
        return ("Cartesia API key %s is hard-coded: rotate it now (it is exposed) and read it from the "
                "environment (CARTESIA_API_KEY); give browsers and devices short-lived Access Tokens"
                % redact(key))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        raw = node.value
        if "sk_car_" not in raw:
            return
        m = find_key(raw)
        if m is None:
            return
        try:
            value = node.evaluated_value
        except Exception:
            value = None
        edits = []
        if isinstance(value, str) and KEY_RE.fullmatch(value) and not isinstance(self.ctx.parent(), cst.Expr):
            target = self._getenv_call(node) or node
            edits = [Replace(target, ENV)] + ensure_import(self.ctx.module, "import os", "os")
        self.report(node, self._message(m.group(0)), edits=edits,
                    fix_message="Replace the key with %s" % ENV)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        if "sk_car_" in node.value:
            m = find_key(node.value)
            if m is not None:
                self.report(node, self._message(m.group(0)))

    def visit_Comment(self, node: cst.Comment) -> None:
        if "sk_car_" in node.value:
            m = find_key(node.value)
            if m is not None:
                self.report(node, self._message(m.group(0)) + " (found in a comment: remove it by hand)")

    def _getenv_call(self, node: cst.SimpleString) -> Optional[cst.Call]:
        """``os.getenv("CARTESIA_API_KEY", "sk_car_...")``: the whole call becomes os.environ[...]."""
        arg = self.ctx.parent()
        call = self.ctx.parent(2)
        if not isinstance(arg, cst.Arg) or not isinstance(call, cst.Call):
            return None
        fn = dotted_name(call.func)
        if fn not in ("os.getenv", "os.environ.get", "getenv", "environ.get") or len(call.args) != 2:
            return None
        first = call.args[0].value
        if call.args[1] is arg and isinstance(first, cst.SimpleString) and \
                first.evaluated_value == "CARTESIA_API_KEY":
            return call
        return None
