"""A JSON reader that keeps where every value sits in the text (for byte-exact edits).

``parse(text)`` returns a tree of ``JNode``: objects (``items``: list of (key, key node,
value node)), arrays (``items``: list of nodes), strings (``value`` decoded lazily from
the raw token), numbers and literals.  Every node has ``start``/``end`` offsets into
``text``.  Strings are found with one regex each (C speed), so notebooks with megabytes of
base64 outputs stay cheap; only the strings a caller reads are decoded.

``lenient=True`` also accepts ``//`` and ``/* */`` comments and trailing commas (JSONC:
VS Code settings, tsconfig).  ``raw_index_map`` and ``encode`` support edits inside a
string token.
"""
from __future__ import annotations

import json
import re
from typing import List, Optional, Tuple

_WS = re.compile(r"[ \t\r\n]*")
_WS_COMMENTS = re.compile(r"(?:[ \t\r\n]+|//[^\n]*|/\*.*?\*/)*", re.S)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERAL = re.compile(r"true|false|null")
MAX_DEPTH = 200


class JSONSpanError(ValueError):
    pass


class JNode:
    __slots__ = ("kind", "start", "end", "items", "_text", "_value")

    def __init__(self, kind: str, start: int, end: int, text: str, items=None) -> None:
        self.kind = kind  # object | array | string | number | literal
        self.start = start
        self.end = end
        self.items = items
        self._text = text
        self._value = None

    @property
    def raw(self) -> str:
        return self._text[self.start:self.end]

    @property
    def value(self):
        """Strings: the decoded text; numbers and literals: their Python value."""
        if self._value is None and self.kind in ("string", "number", "literal"):
            self._value = json.loads(self.raw, strict=False)
        return self._value

    def get(self, key: str) -> Optional["JNode"]:
        """An object's member (the last one, as json.loads does)."""
        if self.kind != "object":
            return None
        hit = None
        for k, _kn, v in self.items:
            if k == key:
                hit = v
        return hit

    def to_python(self):
        if self.kind == "object":
            return {k: v.to_python() for k, _kn, v in self.items}
        if self.kind == "array":
            return [v.to_python() for v in self.items]
        return self.value


def parse(text: str, lenient: bool = False) -> JNode:
    ws = _WS_COMMENTS if lenient else _WS
    n = len(text)

    def skip(i: int) -> int:
        return ws.match(text, i).end()

    def value(i: int, depth: int) -> Tuple[JNode, int]:
        if depth > MAX_DEPTH:
            raise JSONSpanError("nested too deeply")
        if i >= n:
            raise JSONSpanError("unexpected end of text")
        c = text[i]
        if c == '"':
            m = _STRING.match(text, i)
            if not m:
                raise JSONSpanError("unterminated string at offset %d" % i)
            return JNode("string", i, m.end(), text), m.end()
        if c == "{":
            items: List[tuple] = []
            j = skip(i + 1)
            if j < n and text[j] == "}":
                return JNode("object", i, j + 1, text, items), j + 1
            while True:
                if j >= n or text[j] != '"':
                    if lenient and j < n and text[j] == "}" and items:
                        return JNode("object", i, j + 1, text, items), j + 1
                    raise JSONSpanError("expected a string key at offset %d" % j)
                key, j = value(j, depth + 1)
                j = skip(j)
                if j >= n or text[j] != ":":
                    raise JSONSpanError("expected ':' at offset %d" % j)
                v, j = value(skip(j + 1), depth + 1)
                items.append((key.value, key, v))
                j = skip(j)
                if j < n and text[j] == ",":
                    j = skip(j + 1)
                    continue
                if j < n and text[j] == "}":
                    return JNode("object", i, j + 1, text, items), j + 1
                raise JSONSpanError("expected ',' or '}' at offset %d" % j)
        if c == "[":
            elems: List[JNode] = []
            j = skip(i + 1)
            if j < n and text[j] == "]":
                return JNode("array", i, j + 1, text, elems), j + 1
            while True:
                if lenient and j < n and text[j] == "]" and elems:
                    return JNode("array", i, j + 1, text, elems), j + 1
                v, j = value(j, depth + 1)
                elems.append(v)
                j = skip(j)
                if j < n and text[j] == ",":
                    j = skip(j + 1)
                    continue
                if j < n and text[j] == "]":
                    return JNode("array", i, j + 1, text, elems), j + 1
                raise JSONSpanError("expected ',' or ']' at offset %d" % j)
        m = _NUMBER.match(text, i) or _LITERAL.match(text, i)
        if m:
            return JNode("number" if c not in "tfn" else "literal", i, m.end(), text), m.end()
        raise JSONSpanError("unexpected character %r at offset %d" % (c, i))

    try:
        node, end = value(skip(0), 0)
    except RecursionError:
        raise JSONSpanError("nested too deeply")
    if skip(end) != n:
        raise JSONSpanError("extra data at offset %d" % skip(end))
    return node


def raw_index_map(token: str) -> List[int]:
    """For a JSON string token (quotes included): raw offset (in the token) of each decoded
    character, plus one entry for the end of the content (before the closing quote)."""
    out = []
    i = 1
    end = len(token) - 1
    while i < end:
        out.append(i)
        if token[i] == "\\":
            if token[i + 1] == "u":
                code = int(token[i + 2:i + 6], 16)
                i += 6
                # a surrogate pair decodes to one character
                if 0xD800 <= code < 0xDC00 and token[i:i + 2] == "\\u" and \
                        0xDC00 <= int(token[i + 2:i + 6], 16) < 0xE000:
                    i += 6
            else:
                i += 2
        else:
            i += 1
    out.append(end)
    return out


def encode(s: str, ensure_ascii: bool = False) -> str:
    """A JSON string token for ``s`` (quotes included)."""
    return json.dumps(s, ensure_ascii=ensure_ascii)


def prefers_ascii(text: str) -> bool:
    """Whether a JSON text escapes non-ASCII characters (``json.dumps``' default)."""
    return text.isascii() and re.search(r"\\u00[89a-fA-F][0-9a-fA-F]|\\u0[1-9a-fA-F][0-9a-fA-F]{2}|"
                                        r"\\u[1-9a-fA-F][0-9a-fA-F]{3}", text) is not None
