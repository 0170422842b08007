"""The rule base class and the per-file context every rule sees.

A rule is a small ``libcst.BatchableCSTVisitor`` with a catalogue ``CODE``; all
enabled rules of a file share one traversal.  Rules never use scope or
qualified-name metadata (5-8x the parse, see DESIGN.md): the ``FileContext``
carries the node stack (ancestors of the node being visited) and the bindings
(`cartesia` imports, client objects) tracked in the same pass by
``cartesia_migrate.bindings``.

A rule reports with ``self.report(node, message, edits=[...], applicability=...)``;
edits are ``Replace(node, text)``, ``InsertBefore(node, text)``,
``InsertAfter(node, text)`` and are turned into text edits only for files that
have findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import libcst as cst

from . import catalog


# ---- edit requests (resolved to offsets by the engine) -------------------------------

@dataclass(frozen=True)
class Replace:
    node: cst.CSTNode
    text: Union[str, cst.CSTNode]


@dataclass(frozen=True)
class InsertBefore:
    """Insert ``text`` at the start of the line where ``node`` starts."""

    node: cst.CSTNode
    text: str


@dataclass(frozen=True)
class InsertAfter:
    """Insert ``text`` at the start of the line after the one where ``node`` ends."""

    node: cst.CSTNode
    text: str


@dataclass(frozen=True)
class InsertAtOffset:
    offset: int
    text: str


@dataclass(frozen=True)
class Prepend:
    """Insert ``text`` right before ``node`` (at the start of its source range)."""

    node: cst.CSTNode
    text: str


@dataclass(frozen=True)
class Append:
    """Insert ``text`` right after ``node`` (at the end of its source range).

    Small edits around a node instead of a ``Replace`` of all of it leave the node's
    inside free for other rules' fixes in the same pass.
    """

    node: cst.CSTNode
    text: str


@dataclass(frozen=True)
class ReplaceIn:
    """Replace characters ``start:end`` of ``node``'s own source (a string literal's
    scheme or date) -- two rules fixing different parts of one string fix them in one pass."""

    node: cst.CSTNode
    start: int
    end: int
    text: str


EditRequest = Union[Replace, InsertBefore, InsertAfter, InsertAtOffset, Prepend, Append, ReplaceIn]


@dataclass
class Report:
    code: str
    node: cst.CSTNode
    message: str
    severity: str
    statement: Optional[cst.CSTNode]
    edits: Tuple[EditRequest, ...] = ()
    applicability: Optional[str] = None
    fix_message: Optional[str] = None
    #: other nodes the finding depends on (a constant's definition for a report at its use):
    #: a fix that changes one of them means the file must be analysed again
    related: Tuple[cst.CSTNode, ...] = ()


@dataclass
class FileContext:
    path: str
    text: str
    settings: Any  # cartesia_migrate.config.Settings
    models: Any  # cartesia_migrate.models.ModelsList
    module: Optional[cst.Module] = None
    stack: List[cst.CSTNode] = field(default_factory=list)
    reports: List[Report] = field(default_factory=list)
    bindings: Any = None  # cartesia_migrate.bindings.Bindings
    _lower: Optional[str] = None
    _has_cartesia: Optional[bool] = None
    notes: Dict[str, Any] = field(default_factory=dict)  # shared scratch space between rules

    @property
    def lower_text(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    @property
    def has_cartesia_context(self) -> bool:
        """The file imports cartesia, mentions Cartesia, or lives under a path naming it."""
        if self._has_cartesia is None:
            self._has_cartesia = "cartesia" in self.lower_text or "cartesia" in self.path.lower()
        return self._has_cartesia

    def parent(self, depth: int = 1) -> Optional[cst.CSTNode]:
        """The ancestor ``depth`` levels above the node being visited (1 = its parent)."""
        i = len(self.stack) - 1 - depth
        return self.stack[i] if i >= 0 else None

    def ancestors(self):
        """Ancestors of the current node, nearest first (the node itself excluded)."""
        return reversed(self.stack[:-1])

    def enclosing_statement(self) -> Optional[cst.CSTNode]:
        known = _IS_STATEMENT  # per class: isinstance on libcst's ABCs is slow
        for node in reversed(self.stack):
            cls = node.__class__
            r = known.get(cls)
            if r is None:
                r = known[cls] = issubclass(cls, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
            if r:
                return node
        return None


_IS_STATEMENT: Dict[type, bool] = {}


class Rule(cst.BatchableCSTVisitor):
    """Base class of every rule.  Subclasses set ``CODE`` and implement visit_* methods."""

    CODE: str = ""
    #: a NECESSARY condition on the file's bytes for the rule to be able to fire (files in
    #: which no rule can fire are never parsed): byte regexes (``re.I``), any of which may
    #: occur; an entry that is a tuple of regexes needs all of them.  Never a heuristic:
    #: see ``rules/_prefilter.py`` (escapes, concatenations, case folding, cartesia imports)
    #: and tests/test_prefilters.py.
    PREFILTER: Sequence[Union[str, Tuple[str, ...]]] = ()
    #: a necessary condition on the file's path (case-sensitive regex), e.g. ``setup.py``
    PATH_PREFILTER: Optional[str] = None
    #: file kinds this rule handles (python; "config" for .env/yaml/json/toml handlers)
    KINDS: Sequence[str] = ("python",)
    # A rule fires only in files whose bytes or path match ``catalog.gate`` ("cartesia", or
    # the catalogue's ``gate`` tokens of rules like CM201 that can fire elsewhere).

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx

    # -- class-level metadata from the catalogue
    @classmethod
    def info(cls) -> catalog.RuleInfo:
        return catalog.get(cls.CODE)

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        edits: Sequence[EditRequest] = (),
        applicability: Optional[str] = None,
        severity: Optional[str] = None,
        fix_message: Optional[str] = None,
        code: Optional[str] = None,
        statement: Optional[cst.CSTNode] = None,
        related: Sequence[cst.CSTNode] = (),
    ) -> None:
        info = catalog.get(code or self.CODE)
        if edits and applicability is None:
            applicability = info.fix
        self.ctx.reports.append(
            Report(
                code=info.code,
                node=node,
                message=message,
                severity=severity or info.severity,
                statement=statement or self.ctx.enclosing_statement(),
                edits=tuple(edits),
                applicability=applicability if edits else None,
                fix_message=fix_message,
                related=tuple(related),
            )
        )


def severity_by_date(sunset: Optional[str], today: Optional[str] = None) -> str:
    """Error once a sunset date has passed, warning before it."""
    import datetime

    if not sunset:
        return catalog.WARNING
    today = today or datetime.date.today().isoformat()
    return catalog.ERROR if today >= sunset else catalog.WARNING
