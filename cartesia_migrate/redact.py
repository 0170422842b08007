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

import json
import re
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
                     r"|([0-7]{1,3})|(\r?\n))")
# two string literals with only a join between them: spaces, newlines, a line continuation,
# "+", parentheses, comments, then a string prefix (applied until nothing changes: the quotes
# of triple-quoted literals go pairwise)
_JOIN = re.compile(r"""(["'])(?:\s|\\\r?\n|\+|\(|\)|#[^\n]*\n)*(?:[rRuUbBfF]{0,2})(["'])""")


def _unescape_once(text: str) -> str:
    def sub(m):
        if m.group(1):
            return "\\"
        if m.group(7):  # a backslash-newline inside a literal: nothing
            return ""
        try:
            if m.group(2) or m.group(3) or m.group(4):
                return chr(int(m.group(2) or m.group(3) or m.group(4), 16))
            if m.group(5):
                return unicodedata.lookup(m.group(5))
            return chr(int(m.group(6), 8))
        except (KeyError, ValueError, OverflowError):
            return m.group(0)

    return _ESCAPE.sub(sub, text)


def _joined(text: str) -> str:
    for _ in range(4):
        nxt = _JOIN.sub("", text)
        if nxt == text:
            break
        text = nxt
    return text


def _json_strings(text: str) -> List[str]:
    """The strings of a JSON document; a list of strings (a notebook cell's source lines) also
    joined into one."""
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
            if node and all(isinstance(x, str) for x in node):
                out.append("".join(node))
            else:
                stack.extend(node)
    return out


def find_keys(text: str) -> Set[str]:
    """Every API key ``text`` spells, whatever the spelling: plain, split over string literals
    (implicit concatenation, ``+``, continued lines), escaped (``\\x5f``, ``\\u005f``,
    ``\\N{...}``, octal; escapes of escapes), in a JSON document's strings (a notebook's cells).

    Regular expressions only (no tokenizer): it runs on every file with findings.  It may
    find more than Python would evaluate (a raw string's backslashes are undone too): the keys
    it returns are only ever hidden, never used."""
    if "car" not in text.lower() and "\\" not in text:
        return set()
    bases = [text]
    if text.lstrip()[:1] in ("{", "["):
        bases.extend(_json_strings(text))
    keys: Set[str] = set()
    for base in bases:
        variant = base
        seen = []
        for _ in range(3):  # escapes of escapes (Python source inside a JSON string)
            seen.append(variant)
            nxt = _unescape_once(variant)
            if nxt == variant:
                break
            variant = nxt
        else:
            seen.append(variant)
        for v in seen:
            for c in (v, _joined(v)):
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
