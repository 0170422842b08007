"""CM302 legacy-exception-import: exception classes and catches of removed SDK versions.

- ``from cartesia.core.api_error import ApiError`` (2.x; ``cartesia.core`` is gone in 3.x):
  safe fix to ``from cartesia import APIStatusError`` with every use of the name renamed
  (an alias is kept, so its uses stay).  ``import cartesia.core.api_error`` with uses
  ``cartesia.core.api_error.ApiError``: the import becomes ``import cartesia`` and the uses
  ``cartesia.APIStatusError``.  No fix where the rename is not certain: the name is rebound
  in the file, a string mentions it (``__all__``), ``APIStatusError`` already means
  something else, the module is imported under an alias, or the import names more.
  Imports inside a ``try`` that catches ``ImportError`` (compatibility shims) are left alone.
- ``except ValueError`` / ``except RuntimeError`` around 1.x SDK calls (``client.tts.*``,
  ``client.voices.*``, a ``tts.websocket()`` object): 1.x raised those for API errors,
  later SDKs raise ``cartesia.APIStatusError``, so the handler stops catching them.
  Reported without a fix; a ``try`` that also catches a Cartesia exception is fine.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from .. import catalog
from ..bindings import dotted_name
from ..rule import Replace, Rule
from ._prefilter import IMPORTS_CARTESIA, ident
from ._errors import LEGACY_RESOURCES, TryCalls, caught_names, cartesia_exception, sdk_call_path

OLD_MODULE = "cartesia.core.api_error"
OLD_NAME = "ApiError"
NEW_NAME = "APIStatusError"
_IMPORT_MSG = ("`%s.%s` is from SDK 2.x: `cartesia.core` no longer exists (ImportError on 3.x and later); "
               "use `from cartesia import APIStatusError` (same `.status_code` and `.body`; `body` is a dict "
               "for JSON errors)" % (OLD_MODULE, OLD_NAME))
_CATCH_MSG = ("`except %s` around a 1.x Cartesia SDK call: 1.x raised %s for API errors, the 2.x-4.x SDKs "
              "raise `cartesia.APIStatusError` (subclasses such as `RateLimitError`), so this handler no "
              "longer catches them; catch `cartesia.APIStatusError` and read `e.status_code` / `e.body`")
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


class LegacyExceptionImport(TryCalls, Rule):
    CODE = "CM302"
    PREFILTER = ((IMPORTS_CARTESIA, ident("api_error", "ValueError", "RuntimeError")),)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._sdk_calls_init()
        text = ctx.text
        self._imports_active = "api_error" in text
        self._catch_active = ("ValueError" in text or "RuntimeError" in text) and "cartesia" in ctx.lower_text
        # (import statement, alias, local name or None for ``import cartesia.core.api_error``, statement)
        self._sites: List[Tuple[cst.CSTNode, cst.ImportAlias, Optional[str], cst.CSTNode]] = []
        self._names: Dict[str, List[Tuple[cst.Name, bool]]] = {}  # value -> [(node, is_load_use)]
        self._attr_uses: List[cst.Attribute] = []  # cartesia.core.api_error.ApiError
        self._bad_attr_use = False
        self._attr_called = False
        self._strings: Set[str] = set()
        self._ws_objects: Set[str] = set()  # names bound to 1.x ``client.tts.websocket()``
        self._import_binds: Dict[str, List[Tuple[cst.ImportAlias, str]]] = {}  # name -> [(alias, module)]
        self._called: Set[str] = set()  # names called (``ApiError(status_code=...)``)
        # the walker need not call the methods that would return at once (see walk.collect)
        skip = set()
        if not self._imports_active:
            skip.update(("visit_ImportFrom", "visit_Import", "visit_Name", "visit_Attribute", "visit_SimpleString"))
        if not self._catch_active:
            skip.update(("visit_Try", "visit_Assign", "visit_Call", "visit_ExceptHandler"))
        if skip:
            self.skip_methods = frozenset(skip)

    # ---- imports
    def _in_import_guard(self) -> bool:
        """Inside ``try: ... except ImportError`` (either branch): a compatibility shim."""
        for node in self.ctx.ancestors():
            if isinstance(node, (cst.Try, cst.TryStar)):
                for h in node.handlers:
                    if h.type is None or any(dotted_name(t) in _IMPORT_ERRORS for t in caught_names(h)):
                        return True
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not self._imports_active or node.relative or node.module is None:
            return
        mod = dotted_name(node.module)
        if isinstance(node.names, cst.ImportStar):
            return
        if mod == OLD_MODULE:
            for alias in node.names:
                if isinstance(alias.name, cst.Name) and alias.name.value == OLD_NAME:
                    local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) \
                        else OLD_NAME
                    if not self._in_import_guard():
                        self._sites.append((node, alias, local, self.ctx.enclosing_statement()))
        elif mod == "cartesia.core":
            for alias in node.names:
                if isinstance(alias.name, cst.Name) and alias.name.value == "api_error" and \
                        not self._in_import_guard():
                    self.report(alias, _IMPORT_MSG)

    def visit_Import(self, node: cst.Import) -> None:
        if not self._imports_active:
            return
        for alias in node.names:
            if dotted_name(alias.name) == OLD_MODULE and not self._in_import_guard():
                if alias.asname is not None:
                    self.report(alias, _IMPORT_MSG)
                else:
                    self._sites.append((node, alias, None, self.ctx.enclosing_statement()))

    def visit_Name(self, node: cst.Name) -> None:
        if not self._imports_active:
            return
        parent = self.ctx.parent()
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return
        if isinstance(parent, cst.Arg) and parent.keyword is node:
            return
        if isinstance(parent, cst.ImportAlias):
            if parent.name is node and parent.asname is None:  # ``from m import Name`` binds Name
                self._import_bind(node, parent, self.ctx.parent(2))
            return
        if isinstance(parent, cst.AsName) and isinstance(self.ctx.parent(2), cst.ImportAlias):
            self._import_bind(node, self.ctx.parent(2), self.ctx.parent(3))  # ``import ... as Name``
            return
        if isinstance(parent, cst.Call) and parent.func is node:
            self._called.add(node.value)
        self._names.setdefault(node.value, []).append((node, not _is_store(parent, node)))

    def _import_bind(self, node: cst.Name, alias: cst.ImportAlias, imp: Optional[cst.CSTNode]) -> None:
        if isinstance(imp, cst.ImportFrom):
            mod = dotted_name(imp.module) if imp.module is not None else ""
        elif isinstance(imp, cst.Import):
            mod = dotted_name(alias.name) or ""
        else:
            mod = ""
        self._import_binds.setdefault(node.value, []).append((alias, mod or ""))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self._imports_active or isinstance(self.ctx.parent(), cst.Attribute) and \
                self.ctx.parent().value is node:
            return  # only outermost chains
        d = dotted_name(node)
        if d is None or not d.startswith(OLD_MODULE):
            return
        if isinstance(self.ctx.parent(), cst.ImportAlias):
            return
        if d == OLD_MODULE + "." + OLD_NAME:
            self._attr_uses.append(node)
            parent = self.ctx.parent()
            if isinstance(parent, cst.Call) and parent.func is node:
                self._attr_called = True
        else:
            self._bad_attr_use = True

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._imports_active and OLD_NAME in node.value:
            self._strings.add(node.value)

    def _bound_elsewhere(self, name: str, site_alias: cst.ImportAlias) -> bool:
        """``name`` is bound by something other than this import (assignment, def, parameter, import)."""
        if any(not load for _, load in self._names.get(name, ())):
            return True
        return any(a is not site_alias for a, _ in self._import_binds.get(name, ()))

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self._sites:
            return
        for stmt_node, alias, local, statement in self._sites:
            if local is None:
                self._fix_module_import(stmt_node, alias, statement)
            else:
                self._fix_from_import(stmt_node, alias, local, statement)

    def _new_name_taken(self, site_alias: cst.ImportAlias) -> bool:
        """``APIStatusError`` already means something not from cartesia (``from openai import ...``)."""
        if any(not load for _, load in self._names.get(NEW_NAME, ())):
            return True
        return any(a is not site_alias and not (mod == "cartesia" or mod.startswith("cartesia."))
                   for a, mod in self._import_binds.get(NEW_NAME, ()))

    def _fix_from_import(self, node: cst.ImportFrom, alias: cst.ImportAlias, local: str, statement) -> None:
        edits = []
        why = None
        if len(node.names) != 1:
            why = "the import names more than ApiError"
        elif self._new_name_taken(alias):
            why = "APIStatusError already names something else here"
        elif local == OLD_NAME and (self._bound_elsewhere(OLD_NAME, alias) or
                                    any(OLD_NAME in v for v in self._strings)):
            why = "the name ApiError is rebound or named in a string"
        elif local == OLD_NAME and OLD_NAME in self._called:
            why = "ApiError is constructed here, and APIStatusError takes (message, response=, body=)"
        if why is None:
            as_part = "" if local in (OLD_NAME, NEW_NAME) else " as " + local
            edits.append(Replace(node, "from cartesia import %s%s" % (NEW_NAME, as_part)))
            if local == OLD_NAME:
                edits.extend(Replace(n, NEW_NAME) for n, load in self._names.get(OLD_NAME, ()) if load)
        msg = _IMPORT_MSG if why is None else "%s (not fixed: %s)" % (_IMPORT_MSG, why)
        self.report(alias, msg, edits=edits, statement=statement,
                    fix_message="Import APIStatusError from cartesia" +
                    (" and rename its uses" if local == OLD_NAME else " as " + local))

    def _fix_module_import(self, node: cst.Import, alias: cst.ImportAlias, statement) -> None:
        edits = []
        why = None
        if self._bad_attr_use:
            why = "the module is used for more than ApiError"
        elif len([s for s in self._sites if s[2] is None]) > 1:
            why = "the module is imported more than once"
        elif self._attr_called:
            why = "ApiError is constructed here, and APIStatusError takes (message, response=, body=)"
        if why is None:
            edits.append(Replace(alias.name, "cartesia"))
            edits.extend(Replace(a, "cartesia." + NEW_NAME) for a in self._attr_uses)
        msg = _IMPORT_MSG if why is None else "%s (not fixed: %s)" % (_IMPORT_MSG, why)
        self.report(alias, msg, edits=edits, statement=statement,
                    fix_message="Import cartesia and use cartesia.APIStatusError")

    # ---- except ValueError / RuntimeError around 1.x calls
    def visit_Try(self, node: cst.Try) -> None:
        if self._catch_active:
            self._note_try(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._catch_active and isinstance(node.value, cst.Call):
            path = sdk_call_path(self.ctx.bindings, node.value)
            if path == "tts.websocket":
                for t in node.targets:
                    d = dotted_name(t.target)
                    if d:
                        self._ws_objects.add(d)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._catch_active or not self._try_calls:
            return
        path = sdk_call_path(self.ctx.bindings, node)
        if path is not None:
            if path.split(".", 1)[0] in LEGACY_RESOURCES:
                self._note_call(node, path)
            return
        if isinstance(node.func, cst.Attribute) and dotted_name(node.func.value) in self._ws_objects:
            self._note_call(node, "websocket." + node.func.attr.value)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if not self._catch_active:
            return
        parent = self.ctx.parent()
        if not isinstance(parent, cst.Try) or not self.sdk_calls_in_try(parent):
            return
        b = self.ctx.bindings
        if any(cartesia_exception(b, t) for h in parent.handlers for t in caught_names(h)):
            return  # the try already catches the SDK's own exceptions
        legacy = [t for t in caught_names(node) if dotted_name(t) in ("ValueError", "RuntimeError")]
        if not legacy:
            return
        names = " / ".join(dotted_name(t) for t in legacy)
        self.report(node.type, _CATCH_MSG % (names, names), severity=catalog.WARNING,
                    statement=node)


def _is_store(parent: cst.CSTNode, node: cst.Name) -> bool:
    """``node`` is bound (not read) by ``parent``."""
    if isinstance(parent, (cst.AssignTarget, cst.AsName, cst.NameItem)):
        return True
    if isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Param)):
        return parent.name is node
    if isinstance(parent, (cst.For, cst.CompFor, cst.NamedExpr, cst.AugAssign, cst.AnnAssign)):
        return parent.target is node
    return False
