"""CM203 api-key-in-url: ``api_key=`` in the query of a Cartesia URL.

The URL is read from one string construct: a literal, an f-string, a ``+`` chain of
literals and expressions (implicit concatenation included), or the template of
``.format()``/``%`` (the template is itself a literal).  It is a Cartesia URL when its
text names ``cartesia.ai``, when an interpolated expression is named for Cartesia
(``{CARTESIA_WS_URL}``), or when it has a Cartesia-only path (``/tts/websocket``...)
in a file that mentions Cartesia.  ``params={"api_key": ...}`` passed with a Cartesia
URL to an HTTP call is the same query.  Docstrings are skipped.
"""
from __future__ import annotations

import re
from typing import List, Optional

import libcst as cst

from ..bindings import dotted_name
from ..rule import Rule
from ._prefilter import ESCAPE, fold, pattern, pattern_any, suffixes
from ._strings import plain_body

# the value is filled in (an expression, a {} / % placeholder, the end of a prefix) or is a key;
# "?api_key=YOUR_KEY" / "?api_key=***" in prose or redacted log text is not a request
QUERY_RE = re.compile(r"[?&]api_key=(?:\0|\{|%|sk_car_|$)", re.I)
PATH_RE = re.compile(r"/(?:tts/(?:websocket|bytes|sse)|stt/websocket|voice-changer/|access-token)")
MESSAGE = ("Cartesia API key in a URL query (`api_key=`): URLs end up in logs, proxies and browser "
           "history. Servers send the key in a header (`Authorization: Bearer`, or use the SDK's "
           "`websocket_connect()`); browsers get a short-lived token: `?access_token=` from "
           "`client.access_token.create(...)`")
HTTP_CALLS = {"get", "post", "put", "patch", "delete", "request", "stream", "connect", "ws_connect", "urlopen"}


def _leaves(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The operands of a ``+`` chain / implicit concatenation, in order."""
    out: List[cst.CSTNode] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, cst.BinaryOperation) and isinstance(n.operator, cst.Add):
            stack.extend((n.right, n.left))
        elif isinstance(n, cst.ConcatenatedString):
            stack.extend((n.right, n.left))
        else:
            out.append(n)
    return out


def _text_and_names(leaves: List[cst.CSTNode]):
    """(literal text with \\0 for each expression, dotted names of the expressions)."""
    text: List[str] = []
    names: List[str] = []
    for n in leaves:
        if isinstance(n, cst.SimpleString):
            v = plain_body(n.value)  # (a plain literal's value without compiling it)
            if v is not None:
                text.append(v)
                continue
            if "b" in n.prefix.lower():
                return None, names
            try:
                v = n.evaluated_value
            except Exception:
                v = n.value
            text.append(v if isinstance(v, str) else "")
        elif isinstance(n, cst.FormattedString):
            for p in n.parts:
                if isinstance(p, cst.FormattedStringText):
                    text.append(p.value)
                else:
                    text.append("\0")
                    names.append(dotted_name(p.expression) or "")
        else:
            text.append("\0")
            names.append(dotted_name(n) or "")
    return "".join(text), names


class ApiKeyInUrl(Rule):
    CODE = "CM203"
    # the query (its text may be split over literals: the part with "=" starts with the rest), or a
    # params={"api_key": ...} dict; compared lower-cased
    PREFILTER = (fold("api_key="), pattern(r"[\"']%s[\"']" % fold("api_key"), "ap", "ey"),
                 pattern_any(r"[\"']%s" % suffixes("api_key="), ('"=',), ("'=",), ("y=",)), ESCAPE)

    def _is_cartesia_url(self, text: str, names: List[str]) -> bool:
        low = text.lower()
        if "cartesia.ai" in low or any("cartesia" in n.lower() for n in names):
            return True
        return bool(PATH_RE.search(text)) and self.ctx.has_cartesia_context

    def _check(self, node: cst.CSTNode) -> None:
        if isinstance(self.ctx.parent(), cst.Expr):
            return  # a docstring
        text, names = _text_and_names(_leaves(node))
        if text is None or "api_key=" not in text.lower():
            return
        if QUERY_RE.search(text) and self._is_cartesia_url(text, names):
            self.report(node, MESSAGE)

    def _outermost(self) -> bool:
        parent = self.ctx.parent()
        return not (isinstance(parent, cst.ConcatenatedString) or
                    (isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add)))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "api_key=" in node.value.lower() and self._outermost():
            self._check(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if self._outermost() and any(isinstance(p, cst.FormattedStringText) and "api_key=" in p.value.lower()
                                     for p in node.parts):
            self._check(node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if self._outermost():
            self._check(node)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Add) and self._outermost():
            self._check(node)

    def visit_Call(self, node: cst.Call) -> None:
        """``httpx.get(CARTESIA_URL, params={"api_key": key})``."""
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in HTTP_CALLS:
            return
        params = url = None
        for i, a in enumerate(node.args):
            kw = a.keyword.value if a.keyword is not None else None
            if kw == "params":
                params = a.value
            elif kw == "url" or (kw is None and url is None and not a.star and
                                 not (func.attr.value == "request" and i == 0)):
                url = a.value
        if not isinstance(params, cst.Dict) or url is None:
            return
        key = self._api_key_element(params)
        if key is None:
            return
        text, names = _text_and_names(_leaves(url))
        if text is not None and self._is_cartesia_url(text, names):
            self.report(key, MESSAGE)

    @staticmethod
    def _api_key_element(d: cst.Dict) -> Optional[cst.CSTNode]:
        for e in d.elements:
            if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString):
                try:
                    k = e.key.evaluated_value
                except Exception:
                    continue
                if isinstance(k, str) and k.lower() == "api_key":
                    return e.key
        return None
