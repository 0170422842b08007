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


_RULE_RES: Dict[type, Optional["re.Pattern[bytes]"]] = {}


def gate(classes: Sequence[type]) -> "re.Pattern[bytes]":
    """``catalog.gate`` for these rule classes."""
    return catalog.gate([c.CODE for c in classes])


def rule_filter(cls: type) -> Optional["re.Pattern[bytes]"]:
    """The rule's own trigger regex (None: always run the rule on a file that passed the gate)."""
    if cls not in _RULE_RES:
        _RULE_RES[cls] = (re.compile("|".join("(?:%s)" % p for p in cls.PREFILTER).encode(), re.I)
                          if cls.PREFILTER else None)
    return _RULE_RES[cls]


def applicable(classes: Sequence[type], data: bytes, path: bytes) -> List[type]:
    """The rules whose trigger tokens occur in a file that passed the gate."""
    out = []
    for c in classes:
        r = rule_filter(c)
        if r is None or r.search(data) or r.search(path):
            out.append(c)
    return out
