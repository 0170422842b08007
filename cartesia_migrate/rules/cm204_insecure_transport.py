"""CM204 insecure-transport: the Cartesia API over http:// or ws://."""
from __future__ import annotations

import re

import libcst as cst

from ..rule import ReplaceIn, Rule
from ._prefilter import fold, pattern

INSECURE_RE = re.compile(r"\b(http|ws)://(api\.cartesia\.ai)(?=[:/?#\s\"'{}]|$)", re.I)
SECURE = {"http": "https", "ws": "wss"}


class InsecureTransport(Rule):
    CODE = "CM204"
    # INSECURE_RE (re.I) on raw text (the host first: a literal is much faster to search for)
    PREFILTER = ((pattern(r"://%s" % fold("api.cartesia.ai"), "://", ".carte"),
                  pattern(r"(?:http|%s)://%s" % (fold("ws"), fold("api.cartesia.ai")), "://", ".carte")),)

    def _check(self, node: cst.CSTNode, raw: str) -> None:
        m = INSECURE_RE.search(raw)
        if m is None:
            return
        parent = self.ctx.parent()
        if isinstance(parent, cst.Expr):
            return  # a docstring: documentation, not a call
        edits = [ReplaceIn(node, mm.start(1), mm.end(1), SECURE[mm.group(1).lower()])
                 for mm in INSECURE_RE.finditer(raw)]  # the scheme only: the rest stays free for CM304
        scheme = m.group(1).lower()
        self.report(
            node,
            "Cartesia API over %s://: use %s:// (keys used over plain HTTP may be rotated automatically)"
            % (scheme, SECURE[scheme]),
            edits=edits,
            fix_message="Use %s://api.cartesia.ai" % SECURE[scheme],
        )

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "://" in node.value and "b" not in node.prefix.lower():
            self._check(node, node.value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        if "://" in node.value:
            self._check(node, node.value)
