"""Handlers for file kinds other than Python (notebooks, config files, requirement files).

Every module in this package is imported on first use; at import it calls
``cartesia_migrate.filetypes.register_kind(kind, predicate)`` and
``cartesia_migrate.engine.register_handler(kind, handler)`` lazily -- modules
here must not import libcst or httpx at import time.

A handler is an object with:

- ``python_encoding``: False (files are read as UTF-8 text, BOM kept aside);
- ``analyze(source, settings, models, codes) -> list[Finding]`` -- edits are
  offsets into ``source.text``;
- ``validate(text) -> Optional[str]`` -- None when the fixed text is still valid;
- optionally ``read(path) -> Optional[Source]`` -- reads the file itself; None means "nothing
  to check here" (a config file that is too large, binary, or mentions no model ID), not an error.
"""
from __future__ import annotations

import importlib
import pkgutil

_LOADED = False


def load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for m in pkgutil.iter_modules(__path__):
        if not m.name.startswith("_"):
            importlib.import_module("%s.%s" % (__name__, m.name))
