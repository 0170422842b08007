"""Output formats, one module each: text, json (ruff's schema), sarif (2.1.0), github.

Every formatter returns a string; the CLI redacts API keys in it before printing.
"""
from __future__ import annotations

import importlib

FORMATS = ("text", "json", "sarif", "github")


def render(fmt: str, run, **kw) -> str:
    from ..redact import redact, remember_run

    remember_run(run)  # the keys the files spell, in any spelling
    mod = importlib.import_module("%s.%s_format" % (__name__, fmt))
    return redact(mod.render(run, **kw))
