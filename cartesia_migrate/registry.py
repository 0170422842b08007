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


_PREFILTERS: Dict[tuple, "re.Pattern[bytes]"] = {}


def prefilter(classes: Sequence[type]) -> Optional["re.Pattern[bytes]"]:
    """One case-insensitive bytes regex OR-ing the rules' trigger patterns (None: always parse).

    ``cartesia`` is always a trigger, so any file that talks to Cartesia is parsed (and a syntax
    error in it reported) even when no enabled rule's own token occurs.
    """
    key = tuple(sorted(c.CODE for c in classes))
    if key not in _PREFILTERS:
        pats = ["cartesia"]
        for c in classes:
            if not c.PREFILTER:
                _PREFILTERS[key] = None
                break
            pats.extend(c.PREFILTER)
        else:
            _PREFILTERS[key] = re.compile(
                "|".join("(?:%s)" % p for p in sorted(set(pats))).encode(), re.I)
    return _PREFILTERS[key]
