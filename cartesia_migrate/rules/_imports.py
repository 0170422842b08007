"""Adding an import once, in the right place (shared by fixes that need ``import os`` etc.).

The import goes at the top of the module's first import block, after the module
docstring and any ``from __future__`` imports; identical insertions requested by
several findings are merged by the engine, so it is added once.
"""
from __future__ import annotations

from typing import List, Optional

import libcst as cst

from ..bindings import dotted_name
from ..rule import EditRequest, InsertAfter, InsertAtOffset, InsertBefore, Replace


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
    return insert_at_top(module, line)


def insert_at_top(module: cst.Module, line: str) -> List[EditRequest]:
    """Edits that add ``line`` at the top of the first import block (after docstring and ``__future__``)."""
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


# ---- from-imports: additions and removals without duplicates or dangling names --------


def import_alias_names(node: cst.ImportFrom):
    """``[(name, asname_or_None)]`` of a from-import (empty for ``import *``)."""
    if isinstance(node.names, cst.ImportStar):
        return []
    out = []
    for a in node.names:
        name = dotted_name(a.name) or ""
        asname = a.asname.name.value if a.asname is not None and isinstance(a.asname.name, cst.Name) else None
        out.append((name, asname))
    return out


def module_from_imports(module: cst.Module):
    """Module-level ``(statement, ImportFrom)`` pairs, in order (``from __future__`` excluded)."""
    out = []
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for s in stmt.body:
            if isinstance(s, cst.ImportFrom) and s.module is not None and not s.relative and \
                    dotted_name(s.module) != "__future__":
                out.append((stmt, s))
    return out


def format_from_import(mod: str, names) -> str:
    """``from mod import a, b as c`` (names: ``[(name, asname_or_None)]``, duplicates dropped)."""
    seen = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return "from %s import %s" % (mod, ", ".join(n if a is None or a == n else "%s as %s" % (n, a)
                                                 for n, a in seen))


def imported_from(module: cst.Module, mod: str, name: str, asname=None) -> bool:
    """``from mod import name [as asname]`` exists at module level."""
    for _stmt, node in module_from_imports(module):
        if dotted_name(node.module) == mod and (name, asname) in import_alias_names(node):
            return True
    return False


def ensure_from_import(module: cst.Module, mod: str, names, exclude: Optional[cst.ImportFrom] = None):
    """Edits that make ``from mod import <names>`` available, or None when no statement can take them.

    Names already imported are skipped (an empty edit list then); otherwise they are
    appended to the first module-level single-statement ``from mod import ...`` (not
    ``exclude``, not a star import) and None is returned when there is none: the
    caller then writes a new statement where it belongs.
    """
    missing = [(n, a) for n, a in names if not imported_from(module, mod, n, a)]
    if not missing:
        return []
    for stmt, node in module_from_imports(module):
        if node is exclude or dotted_name(node.module) != mod or isinstance(node.names, cst.ImportStar):
            continue
        if len(stmt.body) != 1:
            continue
        current = import_alias_names(node)
        text = format_from_import(mod, current + missing)
        if node.lpar is not None and isinstance(node.lpar, cst.LeftParen):
            # keep a parenthesized layout parenthesized
            text = "from %s import (%s)" % (mod, text.split(" import ", 1)[1])
        return [Replace(node, text)]
    return None


def without_names(node: cst.ImportFrom, drop) -> Optional[str]:
    """The from-import without the ``(name, asname)`` pairs in ``drop``; None if nothing is left."""
    mod = ("." * len(node.relative)) + (dotted_name(node.module) or "") if node.module is not None else \
        "." * len(node.relative)
    kept = [p for p in import_alias_names(node) if p not in drop]
    if not kept:
        return None
    return format_from_import(mod, kept)


def block_indent(module: cst.Module, stack) -> str:
    """The indentation of statements at the innermost block of ``stack``."""
    indent = ""
    for n in stack:
        if isinstance(n, cst.IndentedBlock):
            indent += n.indent if n.indent is not None else module.default_indent
    return indent


def add_from_import(module: cst.Module, mod: str, names) -> List[EditRequest]:
    """Edits that make ``from mod import <names>`` available at module level, once.

    Names already imported are skipped; the rest are merged into an existing
    ``from mod import ...``, else written on a new line after the last module-level
    import from the same package (``cartesia``), else at the top of the first import
    block -- never before the docstring or ``from __future__`` imports.
    """
    merged = ensure_from_import(module, mod, names)
    if merged is not None:
        return merged
    missing = [(n, a) for n, a in names if not imported_from(module, mod, n, a)]
    text = format_from_import(mod, missing)
    package = mod.split(".")[0]
    last = None
    for stmt, node in module_from_imports(module):
        if (dotted_name(node.module) or "").split(".")[0] == package:  # type: ignore[arg-type]
            last = stmt
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and any(
                isinstance(s, cst.Import) and any((dotted_name(a.name) or "").split(".")[0] == package
                                                  for a in s.names) for s in stmt.body):
            if last is None or module.body.index(stmt) > module.body.index(last):
                last = stmt
    if last is not None:
        return [InsertAfter(last, text + "\n")]
    return insert_at_top(module, text)
