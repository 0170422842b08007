"""Building blocks of ``Rule.PREFILTER``: byte patterns that are *necessary* conditions.

``registry.applicable`` runs a rule on a file only when the file's bytes match the rule's
``PREFILTER``, and a file no rule is applicable to is never parsed.  So a pattern must be a
necessary condition: every file in which the rule can report must match it, whatever the
rule would then decide.  What rules compare is not always the bytes as written:

- identifiers are compared exactly as written (libcst keeps them raw): ``ident()``;
- string literals are compared after evaluation: an escape (``"\\x73onic"``) or a
  backslash-newline inside a literal changes the text (``ESCAPE``), and an implicit
  concatenation (``"cartesia-" "version"``) joins literals (``TOUCHING_LITERALS``);
- text compared with ``re.I`` or ``str.lower()`` also matches a few non-ASCII letters
  (dotless and dotted i for ``i``, long s for ``s``, the Kelvin sign for ``k``): ``fold()``
  also accepts their UTF-8 bytes (the engine gives the rules UTF-8 bytes);
- SDK objects are resolved through imports of ``cartesia`` (``bindings``): a rule that
  needs a client, a ``cartesia`` name or ``imports_cartesia`` needs ``IMPORTS_CARTESIA``.

Patterns are compiled for bytes with ``re.I`` (``(?-i:...)`` turns it off); a rule's
``PREFILTER`` entry is a pattern, or a tuple of patterns that must all occur.  Any non-ASCII
character is one or more bytes in ``[\\x80-\\xff]`` (Unicode ``\\w``, ``\\s``, ``\\d`` of ``str``
regexes).  Patterns run on every file that mentions Cartesia: no nested or adjacent unbounded
repetitions that can backtrack (a comment is skipped to the end of its line in one way only).

Speed: Python's ``re`` is slow on case-insensitive patterns and on patterns that start with
``\\b`` or a character class (no literal prefix to search for), so a ``Pattern`` also carries
*hints*: ASCII literals that every match contains, checked first with ``in`` on the
lower-cased bytes.  ``hints`` is a tuple of alternatives, each a tuple of literals that all
occur (``((b"sse",), (b"generate_sse",))``).  Hints are part of the necessary condition: a
wrong hint hides findings (tests/test_prefilters.py checks every pattern's hints).  ``+``
and ``%`` on patterns give plain strings (no hints); ``any_of`` keeps them.
"""
from __future__ import annotations

import re
from typing import Optional, Tuple

Hints = Tuple[Tuple[bytes, ...], ...]


class Pattern(str):
    """A regex (``str``) with the literals its matches contain (see the module docstring);
    ``any_of`` also keeps its alternatives (``parts``), which are then checked one by one."""

    hints: Optional[Hints] = None
    parts: Tuple[str, ...] = ()


def pattern(regex: str, *needs: str) -> Pattern:
    """``regex``, every match of which contains each of ``needs`` (ASCII, any case)."""
    p = Pattern(regex)
    p.hints = (tuple(n.lower().encode() for n in needs),) if needs else None
    return p


def pattern_any(regex: str, *alternatives: Tuple[str, ...]) -> Pattern:
    """``regex``, every match of which contains all the literals of one of ``alternatives``."""
    p = Pattern(regex)
    p.hints = tuple(tuple(n.lower().encode() for n in alt) for alt in alternatives)
    return p


_LITERAL = re.compile(r"(?:\(\?-i:)?([A-Za-z0-9_ /-]+)\)?")


def hints_of(p: str) -> Optional[Hints]:
    """A pattern's hints: its own, or the text of a plain literal (``"sonic"``, ``"(?-i:sk_car_)"``)."""
    h = getattr(p, "hints", None)
    if h is not None:
        return h
    m = _LITERAL.fullmatch(p)
    if m and (p.startswith("(?-i:") == p.endswith(")")):
        return ((m.group(1).lower().encode(),),)
    return None


def any_of(*patterns: str) -> Pattern:
    """Any of ``patterns`` (hints: theirs, when each has some)."""
    p = Pattern("|".join("(?:%s)" % x for x in patterns))
    p.parts = tuple(patterns)
    hs = [hints_of(x) for x in patterns]
    if all(h is not None for h in hs):
        p.hints = tuple(a for h in hs for a in h)  # type: ignore[union-attr]
    return p


#: an escape that can put a letter, digit or punctuation into an evaluated string (``\xhh``,
#: ``\uhhhh``, ``\Uhhhhhhhh``, ``\N{...}``, octal), or a backslash-newline that joins two lines
#: of one literal
ESCAPE = Pattern(r"\\(?:(?-i:[xuU0-7]|N\{)|[\r\n])")
ESCAPE.hints = tuple((h,) for h in (b"\\x", b"\\u", b"\\n{", b"\\\n", b"\\\r")
                     + tuple(b"\\%d" % i for i in range(8)))

#: whitespace, backslash-newlines and comments between two tokens (inside brackets); a comment
#: runs to the end of its line (one way to match it: no backtracking)
BETWEEN = r"(?:[\s\\]|#[^\r\n]*(?![^\r\n]))*"
#: two string literals written next to each other (an implicit concatenation, possibly over
#: lines, comments and backslash-newlines) whose texts touch with word characters on both
#: sides: the only way a word can be split over literals that are joined
TOUCHING_LITERALS = Pattern(r"""["'](?<=[\w\x80-\xff-]["'])["']{0,2}"""  # a quote after a word character
                            + BETWEEN + r"""[a-z]{0,2}["']{1,3}[\w\x80-\xff-]""")

#: an import of a ``cartesia`` module: ``import cartesia``, ``import os, cartesia.types as t``,
#: ``from cartesia import Cartesia`` (``bindings`` knows Cartesia names and clients only so)
_IMPORTED = r"(?:[\w \t\f,.\x80-\xff]|\\\r?\n|\\\r)*?"  # one logical line: names, dots, commas, "as"
IMPORTS_CARTESIA = Pattern(r"(?-i:\b(?:import|from)\b%s\bcartesia\b)" % _IMPORTED)
IMPORTS_CARTESIA.hints = ((b"import", b"cartesia"), (b"from", b"cartesia"))

_HTTP_LIBRARIES = ("httpx", "requests", "aiohttp", "websockets", "urllib")
#: an import of a library raw API calls are made with (``bindings.HTTP_MODULES``)
IMPORTS_HTTP_LIBRARY = Pattern(r"(?-i:\b(?:import|from)\b%s\b(?:%s)\b)" % (_IMPORTED, "|".join(_HTTP_LIBRARIES)))
IMPORTS_HTTP_LIBRARY.hints = tuple((kw, lib.encode()) for lib in _HTTP_LIBRARIES
                                   for kw in (b"import", b"from"))

#: UTF-8 of the letters re.I / str.lower() equate with i (dotless i, dotted I), s (long s), k (Kelvin sign)
_FOLDED = {"i": "(?:i|\\xc4[\\xb0\\xb1])", "s": "(?:s|\\xc5\\xbf)", "k": "(?:k|\\xe2\\x84\\xaa)"}


def fold(text: str) -> Pattern:
    """``text`` as case-insensitive matching or ``str.lower()`` on decoded text may see it:
    i, s and k may also be written with a non-ASCII letter (``ı``, ``İ``, ``ſ``, the Kelvin sign)."""
    p = Pattern("".join(_FOLDED.get(c.lower(), re.escape(c)) for c in text))
    runs = [r for r in re.split(r"[iskISK]", text) if r]
    keep = [r for r in runs if len(r) >= 2] or sorted(runs, key=len)[-1:]
    p.hints = (tuple(r.lower().encode() for r in keep),) if keep else None
    return p


def ident(*names: str) -> Pattern:
    """One of these identifiers, exactly as written."""
    p = Pattern(r"(?-i:\b(?:%s)\b)" % "|".join(re.escape(n) for n in sorted(names)))
    p.hints = tuple((n.lower().encode(),) for n in sorted(names))
    return p


def suffixes(text: str) -> Pattern:
    """Any non-empty suffix of ``text`` (folded): ``"=", "y=", "ey=", ...`` for ``"key="``."""
    out = fold(text[0])
    for c in text[1:]:
        out = "(?:%s)?%s" % (out, fold(c))
    p = Pattern("(?:%s)" % out)
    if text[-1].lower() not in _FOLDED:
        p.hints = ((text[-1].lower().encode(),),)
    return p
