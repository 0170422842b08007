"""Shared by CM303/CM304: Cartesia API versions, header dicts, URLs and raw HTTP calls.

Everything here reads the libcst tree of the current file only (no scope metadata):
names are resolved through ``cartesia_migrate.bindings`` (HTTP-library imports and
client objects) and through the simple assignments a rule records while it walks.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState

from ._strings import plain_body

#: the first API version with structured JSON errors (and what fixes write)
CURRENT_VERSION = "2026-03-01"

HOST_RE = re.compile(r"(?<![\w-])api\.cartesia\.ai(?![\w-])", re.I)
#: environment variable names that stand for the Cartesia API base URL
BASE_URL_ENV = frozenset({"CARTESIA_BASE_URL", "CARTESIA_API_URL", "CARTESIA_API_BASE_URL"})
VERSION_KEY_RE = re.compile(r"^cartesia[-_]version$", re.I)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: ``cartesia_version=2024-06-10`` in a URL query, ``Cartesia-Version: 2024-06-10`` in header text
VERSION_IN_TEXT_RE = re.compile(
    r"(?:(?<![\w-])cartesia_version=|(?<![\w-])cartesia-version\s*:\s*)(?P<date>\d{4}-\d{2}-\d{2})(?!\d)", re.I)
QUERY_KEY_RE = re.compile(r"[?&]cartesia_version=", re.I)


def is_legacy_version(value: str) -> bool:
    """A dated API version before the one with structured errors."""
    return bool(DATE_RE.match(value)) and value < CURRENT_VERSION


def string_value(node: cst.CSTNode) -> Optional[str]:
    """The value of a plain (non-bytes, non-f) string literal or implicit concatenation of them."""
    if node.__class__ is cst.SimpleString:  # (no subclasses; isinstance on libcst's ABCs is slow)
        v = plain_body(node.value)
        if v is not None:
            return v
        if "b" in node.prefix.lower():
            return None
        try:
            v = node.evaluated_value
        except Exception:
            return None
        return v if isinstance(v, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        return left + right if left is not None and right is not None else None
    return None


def is_version_key(node: cst.CSTNode) -> bool:
    v = string_value(node)
    return v is not None and bool(VERSION_KEY_RE.match(v.strip()))


def is_docstring(ctx) -> bool:
    """The string being visited is a bare expression statement (docstring or comment-like)."""
    return isinstance(ctx.parent(), cst.Expr)


def code_in_place(ctx, node: cst.CSTNode, stack: Optional[Sequence[cst.CSTNode]] = None) -> str:
    """Source of ``node`` rendered at its position: multi-line nodes get the indentation of
    their enclosing blocks (``Module.code_for_node`` renders as if at column 0)."""
    module = ctx.module
    state = CodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
    for blk in stack if stack is not None else ctx.stack:
        if isinstance(blk, cst.IndentedBlock):
            state.indent_tokens.append(blk.indent if blk.indent is not None else module.default_indent)
    node._codegen(state)
    return "".join(state.tokens)


def _clean_ws(ws: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
    """Whitespace between two elements without the comment or blank lines it may carry."""
    if isinstance(ws, cst.ParenthesizedWhitespace):
        return ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return ws


def dict_with_entry(d: cst.Dict, key: str, value: str) -> cst.Dict:
    """``d`` with ``key: value`` appended in the dict's own layout (one line or one entry a line,
    trailing comma kept, key quotes mimicked)."""
    elements = list(d.elements)
    quote = '"'
    colon_before, colon_after = cst.SimpleWhitespace(""), cst.SimpleWhitespace(" ")
    for el in elements:
        if isinstance(el, cst.DictElement) and isinstance(el.key, cst.SimpleString):
            q = el.key.quote
            quote = q if q in ("'", '"') else quote
            colon_before, colon_after = el.whitespace_before_colon, el.whitespace_after_colon
            break
    new = cst.DictElement(
        key=cst.SimpleString(quote + key + quote), value=cst.SimpleString(quote + value + quote),
        whitespace_before_colon=colon_before, whitespace_after_colon=colon_after)
    if not elements:
        return d.with_changes(elements=[new])
    # the whitespace that separates two entries in this dict
    if len(elements) >= 2 and isinstance(elements[-2].comma, cst.Comma):
        sep = _clean_ws(elements[-2].comma.whitespace_after)
    elif isinstance(d.lbrace.whitespace_after, cst.ParenthesizedWhitespace):
        sep = _clean_ws(d.lbrace.whitespace_after)
    else:
        sep = cst.SimpleWhitespace(" ")
    last = elements[-1]
    rbrace = d.rbrace
    if isinstance(last.comma, cst.Comma):
        # trailing comma: a comment after it stays on the old last line
        after = sep
        rb_ws = rbrace.whitespace_before
        if isinstance(rb_ws, cst.ParenthesizedWhitespace) and isinstance(sep, cst.ParenthesizedWhitespace) \
                and rb_ws.first_line.comment is not None:
            after = sep.with_changes(first_line=rb_ws.first_line)
            rbrace = rbrace.with_changes(whitespace_before=rb_ws.with_changes(first_line=cst.TrailingWhitespace()))
        elements[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=after))
        new = new.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace("")))
    else:
        elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=sep))
    elements.append(new)
    return d.with_changes(elements=elements, rbrace=rbrace)


def key_style(d: cst.Dict) -> str:
    """``Cartesia-Version`` spelled like the dict's other header names (all lower-case -> lower-case)."""
    keys = [string_value(el.key) for el in d.elements
            if isinstance(el, cst.DictElement) and string_value(el.key) is not None]
    letters = [k for k in keys if k and any(c.isalpha() for c in k)]
    if letters and all(k == k.lower() for k in letters):
        return "cartesia-version"
    return "Cartesia-Version"


# ---- raw HTTP call shapes ------------------------------------------------------------------

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")

# qualified function -> (index of the URL argument, its keyword, header keywords, index of a positional
# headers argument or -1)
_WS_HEADERS = ("extra_headers", "additional_headers", "headers")
FUNCTIONS: Dict[str, Tuple[int, str, Tuple[str, ...], int]] = {}
for _v in HTTP_VERBS:
    FUNCTIONS["httpx." + _v] = (0, "url", ("headers",), -1)
    FUNCTIONS["requests." + _v] = (0, "url", ("headers",), -1)
    FUNCTIONS["requests.api." + _v] = (0, "url", ("headers",), -1)
for _f in ("httpx.request", "httpx.stream", "requests.request", "requests.api.request", "aiohttp.request"):
    FUNCTIONS[_f] = (1, "url", ("headers",), -1)
for _f in ("websockets.connect", "websockets.client.connect", "websockets.sync.client.connect",
           "websockets.asyncio.client.connect", "websockets.legacy.client.connect"):
    FUNCTIONS[_f] = (0, "uri", _WS_HEADERS, -1)
FUNCTIONS["urllib.request.urlopen"] = (0, "url", (), -1)
FUNCTIONS["urllib.request.Request"] = (0, "url", ("headers",), 2)

# methods of client objects (httpx.Client, requests.Session, aiohttp.ClientSession)
METHODS: Dict[str, Tuple[int, str, Tuple[str, ...], int]] = {}
for _v in HTTP_VERBS:
    METHODS[_v] = (0, "url", ("headers",), -1)
for _m in ("request", "stream", "build_request"):
    METHODS[_m] = (1, "url", ("headers",), -1)
METHODS["ws_connect"] = (0, "url", ("headers",), -1)

# client constructors that take a base URL and default headers
CLIENT_CTORS = {
    "httpx.Client": ("base_url", -1),
    "httpx.AsyncClient": ("base_url", -1),
    "aiohttp.ClientSession": ("base_url", 0),
    "aiohttp.client.ClientSession": ("base_url", 0),
    "requests.Session": (None, -1),
    "requests.session": (None, -1),
    "requests.sessions.Session": (None, -1),
}


def arg(call: cst.Call, index: int, keyword: Optional[str]) -> Optional[cst.Arg]:
    """The argument at positional ``index`` or passed as ``keyword`` (None if absent)."""
    positional = 0
    for a in call.args:
        if a.keyword is not None:
            if keyword is not None and a.keyword.value == keyword:
                return a
            continue
        if a.star:
            return None
        if positional == index:
            return a
        positional += 1
    return None


def has_star_kwargs(call: cst.Call) -> bool:
    return any(a.star == "**" for a in call.args)


def find_headers(call: cst.Call, keywords: Sequence[str], pos: int) -> Optional[cst.Arg]:
    for kw in keywords:
        a = arg(call, -1, kw)
        if a is not None:
            return a
    if pos >= 0:
        return arg(call, pos, None)
    return None


def iter_strings(expr: cst.CSTNode, depth: int = 0) -> List[cst.CSTNode]:
    """String parts, names and attributes inside an expression (the pieces a URL is built from)."""
    out: List[cst.CSTNode] = []
    if depth > 12:
        return out
    if isinstance(expr, (cst.SimpleString, cst.FormattedStringText, cst.Name)):
        out.append(expr)
        return out
    if isinstance(expr, cst.Attribute):  # BASE_URL.rstrip("/"): the attribute chain and its owner
        out.append(expr)
        out.extend(iter_strings(expr.value, depth + 1))
        return out
    if isinstance(expr, (cst.Lambda, cst.FunctionDef)):
        return out
    for child in expr.children:
        if isinstance(child, cst.CSTNode):
            out.extend(iter_strings(child, depth + 1))
    return out


class ValueTable:
    """Simple assignments seen in the file (``NAME = expr``, ``self.x = expr``), flow-insensitive."""

    def __init__(self) -> None:
        self.values: Dict[str, List[cst.BaseExpression]] = {}

    def add(self, target: cst.CSTNode, value: cst.BaseExpression) -> None:
        from ..bindings import dotted_name

        name = dotted_name(target)
        if name:
            self.values.setdefault(name, []).append(value)

    def get(self, name: str) -> List[cst.BaseExpression]:
        found = self.values.get(name)
        if found is None and name.startswith(("self.", "cls.")) and name.count(".") == 1:
            found = self.values.get(name.split(".", 1)[1])  # a class attribute read through self
        return found or []

    def text_of(self, expr: cst.CSTNode, seen: Optional[set] = None) -> str:
        """The literal text an expression is built from (names followed), for host / query tests."""
        from ..bindings import dotted_name

        seen = seen if seen is not None else set()
        parts: List[str] = []
        for piece in iter_strings(expr):
            if isinstance(piece, cst.SimpleString):
                v = string_value(piece)
                if v is not None:
                    parts.append(v)
            elif isinstance(piece, cst.FormattedStringText):
                parts.append(piece.value)
            else:
                name = dotted_name(piece)
                if name and name not in seen:
                    seen.add(name)
                    for v in self.get(name):
                        parts.append(self.text_of(v, seen))
        return "\n".join(parts)


def mentions_cartesia(text: str) -> bool:
    return bool(HOST_RE.search(text)) or any(e in text for e in BASE_URL_ENV)
