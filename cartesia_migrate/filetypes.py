"""Which files the tool reads, by kind.

``python`` files are parsed with libcst; other kinds (notebooks, config files,
requirement files) are handled by the modules named here.  Discovery picks up a
file when ``kind_of`` gives it a kind.
"""
from __future__ import annotations

import os
from typing import Optional

PYTHON_SUFFIXES = (".py", ".pyi")


def kind_of(path: str) -> Optional[str]:
    name = os.path.basename(path)
    if name.endswith(PYTHON_SUFFIXES):
        return "python"
    _load_handlers()
    for kind, matcher in _EXTRA_KINDS:
        if matcher(name):
            return kind
    return None


# (kind, predicate on the file name) for non-Python kinds; extended by the
# modules that handle them (see cartesia_migrate/handlers/).
_EXTRA_KINDS: list = []


def register_kind(kind: str, matcher) -> None:
    _EXTRA_KINDS.append((kind, matcher))


# kind -> function(path) -> paths the file pulls in (``-r other.txt`` in a requirements file):
# discovery checks those files too, with the including file's kind unless their name gives one.
_INCLUDES: dict = {}


def register_includes(kind: str, includes) -> None:
    _INCLUDES[kind] = includes


def includes_of(kind: str, path: str) -> list:
    _load_handlers()
    fn = _INCLUDES.get(kind)
    return list(fn(path)) if fn is not None else []


_loaded = False


def _load_handlers() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from .handlers import load_all

        load_all()
