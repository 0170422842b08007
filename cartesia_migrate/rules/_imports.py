"""Adding an import once, in the right place (shared by fixes that need ``import os`` etc.).

The import goes at the top of the module's first import block, after the module
docstring and any ``from __future__`` imports; identical insertions requested by
several findings are merged by the engine, so it is added once.
"""
from __future__ import annotations

from typing import List

import libcst as cst

from ..bindings import dotted_name
from ..rule import EditRequest, InsertAfter, InsertAtOffset, InsertBefore


def _is_future(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(s, cst.ImportFrom) and s.module is not None and dotted_name(s.module) == "__future__"
        for s in stmt.body)


def _is_docstring(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and \
        isinstance(stmt.body[0], cst.Expr) and isinstance(stmt.body[0].value, (cst.SimpleString,
                                                                                 cst.ConcatenatedString))


def _is_import(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)


def has_module_import(module: cst.Module, name: str) -> bool:
    """``import name`` (or ``import name.sub``) at module level, unaliased."""
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for s in stmt.body:
            if isinstance(s, cst.Import):
                for a in s.names:
                    full = dotted_name(a.name) or ""
                    if a.asname is None and (full == name or full.startswith(name + ".")):
                        return True
    return False


def ensure_import(module: cst.Module, line: str, name: str) -> List[EditRequest]:
    """Edits that add ``line`` (e.g. ``import os``) unless ``name`` is already imported."""
    if has_module_import(module, name):
        return []
    body = list(module.body)
    i = 0
    if body and _is_docstring(body[0]):
        i = 1
    while i < len(body) and _is_future(body[i]):
        i += 1
    text = line + "\n"
    if i < len(body) and _is_import(body[i]):
        return [InsertBefore(body[i], text)]
    if i > 0:
        return [InsertAfter(body[i - 1], text)]
    if body:
        return [InsertBefore(body[0], text)]
    return [InsertAtOffset(len(module.code), text)]
