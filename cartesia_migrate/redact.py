"""Redaction of Cartesia API keys in anything we print or store, and terminal-safe text.

Two layers:

- :func:`redact` replaces every ``sk_car_...`` spelled out plainly by ``sk_car_…`` and its last
  4 characters (:data:`KEY_RE`).
- A key can be written so that no plain ``sk_car_<body>`` appears in the file: split over
  string literals (``"sk_car_" "<body>"``, a literal continued on the next line), or with
  escapes (``"sk\\x5fcar_<body>"``, ``"\\N{LATIN SMALL LETTER S}k_car_…"``, ``sk\\u005fcar_`` in
  JSON).  :func:`find_keys` evaluates what the file's string literals spell (Python tokens,
  JSON strings, generic escapes) and returns the keys; :func:`remember` adds their bodies to
  this process's list, and from then on :func:`redact` also hides every piece of 8 or more
  characters of a remembered body, whatever surrounds it (a diff line, a fix's edit, a
  message).  The redaction is by value: the spelling does not matter.
"""
from __future__ import annotations

import ast
import io
import json
import re
import tokenize
import unicodedata
from typing import Iterable, List, Set

# A key: sk_car_ (or sk_car_admin_) followed by a key body.  Keys look like
# sk_car_<id>.<secret> or a long token.
# The body may start with "-" or "_" (base64url tokens do); "sk_car_..." and the bare
# prefixes are not keys.
# The prefix is matched in any case: an upper-cased echo (``explain SK_CAR_...``) is redacted too.
KEY_RE = re.compile(r"(?i:sk_car_(?:admin_)?)[A-Za-z0-9_\-][A-Za-z0-9_.\-]{7,}")
_PREFIX_RE = re.compile(r"(?i)sk_car_(?:admin_)?")

#: the shortest piece of a remembered key body that is hidden wherever it appears
PIECE = 8

_bodies: Set[str] = set()
_piece_re = None


def redact_key(key: str) -> str:
    return "sk_car_\u2026" + key[-4:]


def key_body(key: str) -> str:
    m = _PREFIX_RE.match(key)
    return key[m.end():] if m else key


def remember(keys: Iterable[str]) -> None:
    """Hide (from now on, in this process) every 8+ character piece of these keys' bodies."""
    global _piece_re
    new = {key_body(k) for k in keys} - _bodies
    new = {b for b in new if len(b) >= PIECE}
    if not new:
        return
    _bodies.update(new)
    grams = sorted({b[i:i + PIECE] for b in _bodies for i in range(len(b) - PIECE + 1)})
    _piece_re = re.compile("(?=(%s))" % "|".join(re.escape(g) for g in grams))


def remember_run(run) -> None:
    """Remember the keys the files of a run hold (``FileResult.secrets``)."""
    keys = [k for r in getattr(run, "results", ()) for k in (getattr(r, "secrets", None) or ())]
    if keys:
        remember(keys)


def _hide_pieces(text: str) -> str:
    if _piece_re is None:
        return text
    spans: List[List[int]] = []
    for m in _piece_re.finditer(text):
        s, e = m.start(), m.start() + PIECE
        if spans and s <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], e)
        else:
            spans.append([s, e])
    if not spans:
        return text
    out = []
    last = 0
    for s, e in spans:
        out.append(text[last:s])
        # a long run keeps its last 4 characters (as the plain redaction does): 4 < PIECE
        out.append("\u2026" + (text[e - 4:e] if e - s >= PIECE + 4 else ""))
        last = e
    out.append(text[last:])
    return "".join(out)


def redact(text: str) -> str:
    """Replace every API key in ``text`` by ``sk_car_…`` and its last 4 characters, and every
    piece of a remembered key (:func:`remember`) by ``…``."""
    if "sk_car_" in text or "sk_car_" in text.lower():
        text = KEY_RE.sub(lambda m: redact_key(m.group(0)), text)
    return _hide_pieces(text)


# ---- finding keys by value -----------------------------------------------------------------

_ESCAPE = re.compile(r"\\(?:(\\)|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|N\{([^}\n]{1,100})\}"
                     r"|([0-7]{1,3}))")
# two string literals with only a join between them: spaces, newlines, a line continuation,
# "+", parentheses, comments, then a string prefix
_JOIN = re.compile(r"""(["'])(?:\s|\\\n|\+|\(|\)|#[^\n]*\n)*(?:[rRuUbBfF]{0,2})(["'])""")


def _unescape_once(text: str) -> str:
    def sub(m):
        if m.group(1):
            return "\\"
        try:
            if m.group(2) or m.group(3) or m.group(4):
                return chr(int(m.group(2) or m.group(3) or m.group(4), 16))
            if m.group(5):
                return unicodedata.lookup(m.group(5))
            return chr(int(m.group(6), 8))
        except (KeyError, ValueError, OverflowError):
            return m.group(0)

    return _ESCAPE.sub(sub, text)


def _python_values(text: str) -> List[str]:
    """What the string literals of Python source evaluate to, adjacent literals (implicit
    concatenation, ``+``) joined."""
    out: List[str] = []
    group: List[str] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, ValueError, IndentationError):
        return out
    for tok in tokens:
        if tok.type == tokenize.STRING:
            try:
                value = ast.literal_eval(tok.string)
            except Exception:  # an f-string: its literal parts, escapes undone
                value = _unescape_once(tok.string)
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            group.append(value if isinstance(value, str) else str(value))
            continue
        if tok.type in (tokenize.NL, tokenize.COMMENT) or (tok.type == tokenize.OP and tok.string in "+()"):
            continue
        if group:
            out.append("".join(group))
            group = []
    if group:
        out.append("".join(group))
    return out


def _json_values(text: str) -> List[str]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    out: List[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            if node and all(isinstance(x, str) for x in node):  # a notebook cell's source lines
                joined = "".join(node)
                out.append(joined)
                out.extend(_python_values(joined))
            stack.extend(node)
    return out


def find_keys(text: str) -> Set[str]:
    """Every API key ``text`` spells, whatever the spelling: plain, split over string literals,
    escaped (Python, JSON, TOML and YAML escapes), in a notebook's cells."""
    low = text.lower()
    if "car" not in low and "\\" not in text:
        return set()
    candidates = [text]
    candidates.extend(_python_values(text))
    if text.lstrip()[:1] in ("{", "["):
        candidates.extend(_json_values(text))
    variant = text
    for _ in range(3):  # escapes of escapes (Python source inside a JSON string)
        nxt = _unescape_once(variant)
        if nxt == variant:
            break
        variant = nxt
        candidates.append(variant)
    candidates.extend(_JOIN.sub("", c) for c in list(candidates[-1:]) + [text])
    keys: Set[str] = set()
    for c in candidates:
        if "sk_car_" in c or "sk_car_" in c.lower():
            keys.update(m.group(0) for m in KEY_RE.finditer(c))
    return keys


# ---- terminal-safe text ------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, keep_tabs: bool = True) -> str:
    """``text`` with control characters (escape sequences, newlines, NUL ...) and undecodable
    bytes of file names (surrogate escapes) shown as ``\\n``, ``\\x1b``, ``\\udcff``: text that came
    from outside (file names, source quoted in a message) cannot move the cursor, colour or
    split a line of our output."""
    def sub(m):
        c = m.group(0)
        if c in _NAMED:
            return _NAMED[c]
        o = ord(c)
        if 0xDC80 <= o <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
            return "\\x%02x" % (o - 0xDC00)
        return "\\x%02x" % o if o < 0x100 else "\\u%04x" % o

    if not keep_tabs:
        text = text.replace("\t", "\\t")
    return _CONTROL.sub(sub, text)


_CODE_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def printable_code(text: str) -> str:
    """Like :func:`printable` for lines of source code (a diff): tabs, form feeds, vertical
    tabs and carriage returns are part of ordinary code and stay."""
    return _CODE_CONTROL.sub(lambda m: printable(m.group(0)), text)
