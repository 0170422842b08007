"""Loads the rule classes of the catalogue (imports libcst: not for fast commands)."""
from __future__ import annotations

import importlib
import re
from typing import Dict, List, Optional, Sequence, Type

from . import catalog

_CLASSES: Optional[Dict[str, type]] = None


def rule_classes() -> Dict[str, type]:
    """code -> Rule class, for every implemented rule."""
    global _CLASSES
    if _CLASSES is None:
        from .rule import Rule

        found: Dict[str, type] = {}
        for code, info in catalog.CATALOG.items():
            if not info.implemented:
                continue
            mod = importlib.import_module(info.module)
            for obj in vars(mod).values():
                if isinstance(obj, type) and issubclass(obj, Rule) and getattr(obj, "CODE", "") == code:
                    found[code] = obj
            if code not in found:
                raise RuntimeError("%s defines no Rule with CODE = %r" % (info.module, code))
        _CLASSES = found
    return _CLASSES


def select(codes: Sequence[str], kind: str = "python") -> List[Type]:
    classes = rule_classes()
    return [classes[c] for c in codes if c in classes and kind in classes[c].KINDS]


class RuleFilter:
    """A rule's ``PREFILTER`` (and ``PATH_PREFILTER``), compiled: ``match(data, path)``.

    ``PREFILTER`` entries are byte regexes (``re.I``) matched against the file's bytes: a
    string is enough on its own, a tuple of strings needs all of them.  ``PATH_PREFILTER``
    (a case-sensitive regex) must also match the file's path.  Rules trigger on code, so
    the data patterns are never matched against the path (a path naming Cartesia gives
    context, not code).  Literal hints (``rules/_prefilter.py``) are checked before a regex.
    """

    __slots__ = ("code", "_any", "_all", "_path")

    def __init__(self, cls: type) -> None:
        from .rules._prefilter import any_of

        self.code = cls.CODE
        alts = [p for p in cls.PREFILTER if isinstance(p, str)]
        self._any = _check(any_of(*alts)) if alts else None
        self._all = [tuple(_check(p) for p in conj) for conj in cls.PREFILTER if not isinstance(conj, str)]
        path = getattr(cls, "PATH_PREFILTER", None)
        self._path = re.compile(path.encode()) if path else None

    def match(self, data: bytes, path: bytes, seen: Optional[Dict[object, object]] = None) -> bool:
        """Whether the rule can fire in a file with these bytes and path.  ``seen`` caches
        the patterns' answers for one file (rules share patterns such as the cartesia import)."""
        if self._path is not None and not self._path.search(path):
            return False
        if self._any is None and not self._all:
            return True
        if seen is None:
            seen = {}
        if self._any is not None and self._any.found(data, seen):
            return True
        return any(all(c.found(data, seen) for c in conj) for conj in self._all)


class _Check:
    """One pattern: its literal hints (on the lower-cased bytes), then its regex.  A pattern
    without case-sensitive parts that is written in lower case runs on the lower-cased bytes
    without ``re.I`` (the same matches; Python's ``re`` is much faster without ``re.I``)."""

    __slots__ = ("regex", "hints", "lower")

    def __init__(self, p: str, hints) -> None:
        self.lower = "(?-i:" not in p and p == p.lower()
        self.regex = re.compile(p.encode(), 0 if self.lower else re.I)
        self.hints = hints

    def found(self, data: bytes, seen: Dict[object, object]) -> bool:
        hit = seen.get(self)
        if hit is None:
            low = None
            if self.hints is not None or self.lower:
                low = seen.get("lower")
                if low is None:
                    low = seen["lower"] = data.lower()
            hints = self.hints
            if hints is not None and not any(all(h in low for h in alt) for alt in hints):  # type: ignore
                hit = False
            else:
                hit = self.regex.search(low if self.lower else data) is not None  # type: ignore[arg-type]
            seen[self] = hit
        return bool(hit)


class _AnyCheck:
    """Alternatives (``any_of``), each checked with its own hints."""

    __slots__ = ("checks",)

    def __init__(self, checks) -> None:
        self.checks = checks

    def found(self, data: bytes, seen: Dict[object, object]) -> bool:
        hit = seen.get(self)
        if hit is None:
            hit = seen[self] = any(c.found(data, seen) for c in self.checks)
        return bool(hit)


_CHECKS: Dict[object, object] = {}


def _check(p: str):
    from .rules._prefilter import hints_of

    parts = getattr(p, "parts", ())
    hints = hints_of(p)
    key = (str(p), hints, len(parts))
    c = _CHECKS.get(key)
    if c is None:
        c = _CHECKS[key] = _AnyCheck([_check(x) for x in parts]) if parts else _Check(p, hints)
    return c


_RULE_FILTERS: Dict[type, Optional[RuleFilter]] = {}


def gate(classes: Sequence[type]) -> "re.Pattern[bytes]":
    """``catalog.gate`` for these rule classes."""
    return catalog.gate([c.CODE for c in classes])


def rule_filter(cls: type) -> Optional[RuleFilter]:
    """The rule's own trigger filter (None: always run the rule on a file that passed the gate)."""
    if cls not in _RULE_FILTERS:
        has = cls.PREFILTER or getattr(cls, "PATH_PREFILTER", None)
        _RULE_FILTERS[cls] = RuleFilter(cls) if has else None
    return _RULE_FILTERS[cls]


def applicable(classes: Sequence[type], data: bytes, path: bytes) -> List[type]:
    """The rules that can fire in a file that passed the gate (their ``PREFILTER`` holds)."""
    out = []
    seen: Dict[object, object] = {}
    for c in classes:
        f = rule_filter(c)
        if f is None or f.match(data, path, seen):
            out.append(c)
    return out
