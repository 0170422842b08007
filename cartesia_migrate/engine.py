"""The per-file pipeline and the public Python API.

    discover -> read bytes -> prefilter -> parse once -> one batched traversal
    -> findings -> suppressions -> (report | fix: apply edits, re-parse, write)

Public API (the CLI only prints what these return):

- ``check_source(text, path="<stdin>", config=None, models=None)`` -> list of Finding
- ``fix_source(text, path, config=None, models=None, unsafe=False)`` -> (new_text, remaining findings)
- ``check_paths(paths, ...)`` / ``fix_paths(paths, ...)`` -> RunResult
"""
from __future__ import annotations

import bisect
import difflib
import hashlib
import os
import re
import stat
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from . import catalog, registry
from .config import ConfigError, Overrides, Resolver, Settings
from .discover import Target, discover
from .finding import Edit, FileError, FileResult, Finding, Fix
from .io import FileChanged, InputError, NotWritten, Source, TooDeep, encode, read_source, write_atomic
from .suppress import Suppressions, skip_file

#: above this many files to parse, parse in worker processes
PARALLEL_THRESHOLD = 24
MAX_FIX_PASSES = 8


@dataclass
class RunResult:
    results: List[FileResult] = field(default_factory=list)
    errors: List[FileError] = field(default_factory=list)
    models_source: str = ""
    files_checked: int = 0

    @property
    def findings(self) -> List[Finding]:
        out = [f for r in self.results for f in r.findings]
        out.sort(key=Finding.sort_key)
        return out

    @property
    def fixed(self) -> int:
        return sum(r.fixed for r in self.results)

    @property
    def changed_files(self) -> List[FileResult]:
        return [r for r in self.results if r.changed]


# ---------------------------------------------------------------------------------------
# positions and edits


class LineIndex:
    """(1-based line, 0-based column) <-> offset in the decoded text."""

    _NL = re.compile(r"\r\n|\r|\n")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in self._NL.finditer(text)]

    def offset(self, line: int, column: int) -> int:
        if line - 1 >= len(self.starts):
            return len(self.text)
        return min(self.starts[line - 1] + column, len(self.text))

    def line_start(self, line: int) -> int:
        if line - 1 >= len(self.starts):
            return len(self.text)
        return self.starts[line - 1]

    def position(self, offset: int) -> Tuple[int, int]:
        """1-based (row, column) of an offset."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def _with_newline(content: str, newline: str) -> str:
    return content.replace("\n", newline) if newline != "\n" and "\n" in content else content


def make_edit(index: LineIndex, start: int, end: int, content: str) -> Edit:
    return Edit(content, start, end, index.position(start), index.position(end))


def fingerprint(code: str, text: str, start: int, end: int, occurrence: int = 0) -> str:
    """Identifies a finding by rule and code, not line number (for baselines)."""
    snippet = re.sub(r"\s+", " ", text[start:end]).strip()
    return hashlib.sha256(("%s\0%s\0%d" % (code, snippet, occurrence)).encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------
# Python analysis


class _Stack(list):
    pass


def analyze_python(source: Source, settings: Settings, models, codes: Sequence[str],
                   module=None, deps: Optional[dict] = None) -> List[Finding]:
    """All findings of one decoded Python source (suppressions applied).

    A tree deeper than the default recursion limit lets the walk go (long implicit string
    concatenations, which CPython compiles fine) is analysed again on a large stack.
    """
    try:
        return _analyze_python(source, settings, models, codes, module, deps)
    except (TooDeep, RecursionError):
        from .pyparse import call_with_deep_stack

        try:
            return call_with_deep_stack(_analyze_python, source, settings, models, codes, module, deps)
        except RecursionError:
            raise TooDeep("too deeply nested to analyze")


def _analyze_python(source: Source, settings: Settings, models, codes: Sequence[str],
                    module=None, deps: Optional[dict] = None) -> List[Finding]:
    """All findings of one decoded Python source (suppressions applied).

    ``module`` is the already parsed ``source.text`` when the caller has it (fix passes).
    ``deps`` (for ``fix_text``) receives, per finding (by ``id``), the source ranges of the
    other nodes it depends on, or None when it depends on the whole file (an import).
    """
    import libcst as cst

    from .bindings import Bindings, BindingTracker
    from .positions import spans, spans_in_units, statement_offsets
    from .walk import walk
    from .rule import (Append, FileContext, InsertAfter, InsertAtOffset, InsertBefore, Prepend, Replace,
                       ReplaceIn)

    text = source.text
    classes = registry.select(codes, "python")
    if not classes or skip_file(text):
        return []
    # UTF-8 bytes: the rules' prefilters spell non-ASCII letters in UTF-8 (rules/_prefilter.py)
    data = source.raw if source.raw and source.encoding == "utf-8" else text.encode("utf-8", "replace")
    bpath = source.path.encode("utf-8", "replace")
    g = registry.gate(classes)
    if not g.search(data) and not g.search(bpath):
        return []
    classes = registry.applicable(classes, data, bpath)
    if not classes:  # the file mentions Cartesia, but no rule's trigger tokens: nothing can fire
        return []
    outline: Optional[list] = None
    if module is None:
        from .pyparse import parse_module  # CPython checks it first: libcst can crash the process

        outline = []
        module = parse_module(text, outline)

    ctx = FileContext(path=source.path, text=text, settings=settings, models=models, module=module)
    ctx.bindings = Bindings()
    ctx.bindings.source = text
    rules = [BindingTracker(ctx.bindings)] + [cls(ctx) for cls in classes]
    stack = ctx.stack
    try:
        walk(module, rules, stack)
    except RecursionError:
        raise TooDeep("too deeply nested to analyze")
    if not ctx.reports:
        return []

    # positions only for the nodes findings and fixes refer to, only in files with findings
    index = LineIndex(text)
    wanted = []
    for rep in ctx.reports:
        wanted.append(rep.node)
        if rep.statement is not None:
            wanted.append(rep.statement)
        wanted.extend(e.node for e in rep.edits if hasattr(e, "node"))
        wanted.extend(rep.related)
        if deps is not None and rep.edits and isinstance(rep.node, cst.Call):
            wanted.append(rep.node.func)
    try:
        # code generation for the statements the findings are in, when CPython's tree places
        # them (else, or when a node is elsewhere: for the whole module)
        found = None
        if outline and all(rep.statement is not None for rep in ctx.reports):
            offsets = statement_offsets(module, outline[0], index)
            if offsets is not None:
                units = [rep.statement for rep in ctx.reports]
                units += [n for n in wanted if id(n) in offsets]  # statements an edit inserts before
                found = spans_in_units(module, wanted, units, offsets, text)
        positions = _Ranges(found or spans(module, wanted), index)
    except RecursionError:
        raise TooDeep("too deeply nested to analyze")
    sup = Suppressions(text)
    findings: List[Finding] = []
    seen_fp: Dict[str, int] = {}
    for rep in ctx.reports:
        if not settings.enabled_for(rep.code, source.path):
            continue
        rng = positions[rep.node]
        start = index.offset(rng.start.line, rng.start.column)
        end = index.offset(rng.end.line, rng.end.column)
        stmt_rng = positions.get(rep.statement) if rep.statement is not None else None
        if sup.suppressed(rep.code, rng.start.line, rng.end.line,
                          stmt_rng.start.line if stmt_rng else None,
                          stmt_rng.end.line if stmt_rng else None):
            continue
        fix = None
        if rep.edits and rep.applicability in (catalog.SAFE, catalog.UNSAFE):
            edits = []
            for req in rep.edits:
                if isinstance(req, Replace):
                    r = positions[req.node]
                    content = req.text if isinstance(req.text, str) else module.code_for_node(req.text)
                    edits.append(make_edit(index, index.offset(r.start.line, r.start.column),
                                           index.offset(r.end.line, r.end.column),
                                           _with_newline(content, source.newline)))
                elif isinstance(req, InsertBefore):
                    off = index.line_start(positions[req.node].start.line)
                    edits.append(make_edit(index, off, off, _with_newline(req.text, source.newline)))
                elif isinstance(req, InsertAfter):
                    line = positions[req.node].end.line
                    off = index.line_start(line + 1)
                    content = req.text
                    if line >= len(index.starts):  # the node ends on the last line
                        content = "\n" + content if not text.endswith(("\n", "\r")) else content
                    edits.append(make_edit(index, off, off, _with_newline(content, source.newline)))
                elif isinstance(req, (Prepend, Append)):
                    r = positions[req.node]
                    pos = r.start if isinstance(req, Prepend) else r.end
                    off = index.offset(pos.line, pos.column)
                    edits.append(make_edit(index, off, off, _with_newline(req.text, source.newline)))
                elif isinstance(req, ReplaceIn):
                    r = positions[req.node]
                    off = index.offset(r.start.line, r.start.column)
                    edits.append(make_edit(index, off + req.start, off + req.end,
                                           _with_newline(req.text, source.newline)))
                elif isinstance(req, InsertAtOffset):
                    edits.append(make_edit(index, req.offset, req.offset,
                                           _with_newline(req.text, source.newline)))
            fix = Fix(rep.applicability, rep.fix_message or _default_fix_message(edits, text), tuple(edits))
        info = catalog.get(rep.code)
        noqa_row = rng.end.line if _is_multiline_string(rep.node) else rng.start.line
        key = "%s:%s" % (rep.code, text[start:end])
        occ = seen_fp.get(key, 0)
        seen_fp[key] = occ + 1
        finding = Finding(
            code=rep.code, name=info.name, message=rep.message, path=source.path,
            location=(rng.start.line, rng.start.column + 1), end_location=(rng.end.line, rng.end.column + 1),
            severity=rep.severity, fix=fix, noqa_row=noqa_row, url=info.url,
            fingerprint=fingerprint(rep.code, text, start, end, occ),
        )
        findings.append(finding)
        if deps is not None:
            if _is_import(rep.statement):  # what an import's finding says depends on every use
                deps[id(finding)] = None
            elif rep.code.startswith("CM4") and _binds(rep.statement) and not (
                    fix is not None and _args_only(rep.node, fix, positions)):
                # fixing an SDK call whose result is bound (its method, what wraps it: not
                # just its arguments) changes what the uses of the names are
                deps[id(finding)] = ("binds", _bound_names(rep.statement))
            elif rep.related:
                deps[id(finding)] = [positions.offsets[id(n)] for n in rep.related]
    return _dedupe(findings)


class _Pos:
    __slots__ = ("line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


class _Range:
    __slots__ = ("start", "end")

    def __init__(self, start: _Pos, end: _Pos) -> None:
        self.start, self.end = start, end


class _Ranges:
    """node -> range with 1-based ``line`` and 0-based ``column`` (PositionProvider's convention)."""

    def __init__(self, offsets, index: LineIndex) -> None:
        self.offsets = offsets
        self.index = index

    def _pos(self, offset: int) -> _Pos:
        row, col = self.index.position(offset)
        return _Pos(row, col - 1)

    def __getitem__(self, node) -> _Range:
        s, e = self.offsets[id(node)]
        return _Range(self._pos(s), self._pos(e))

    def get(self, node):
        return self[node] if id(node) in self.offsets else None


def _is_import(statement) -> bool:
    import libcst as cst

    return isinstance(statement, cst.SimpleStatementLine) and \
        any(isinstance(b, (cst.Import, cst.ImportFrom)) for b in statement.body)


def _binds(statement) -> bool:
    import libcst as cst

    if isinstance(statement, cst.SimpleStatementLine):
        return any(isinstance(b, (cst.Assign, cst.AnnAssign, cst.AugAssign)) for b in statement.body)
    return isinstance(statement, (cst.With, cst.For))


def _args_only(call, fix: Fix, positions: "_Ranges") -> bool:
    """Whether every edit of ``fix`` lies inside the argument list of ``call`` (or inside the
    argument the finding is on)."""
    import libcst as cst

    if not isinstance(call, cst.Call):
        # a finding on an argument or a value (not on a name: the callee), fixed inside it
        if isinstance(call, (cst.Name, cst.Attribute)) or id(call) not in positions.offsets:
            return False
        s, e = positions.offsets[id(call)]
        return all(s <= x.start_offset and x.end_offset <= e for x in fix.edits)
    s, e = positions.offsets[id(call)]
    _fs, fe = positions.offsets[id(call.func)]
    return all(fe < x.start_offset and x.end_offset < e for x in fix.edits)


def _bound_names(statement) -> Optional[Tuple[str, ...]]:
    """The names a binding statement binds (for ``self.ws = ...``: ``ws``); None when a
    target is not a plain name or attribute."""
    import libcst as cst

    targets: List = []
    if isinstance(statement, cst.SimpleStatementLine):
        for b in statement.body:
            if isinstance(b, cst.Assign):
                targets += [t.target for t in b.targets]
            elif isinstance(b, (cst.AnnAssign, cst.AugAssign)):
                targets.append(b.target)
    elif isinstance(statement, cst.With):
        targets += [i.asname.name for i in statement.items if i.asname is not None]
    elif isinstance(statement, cst.For):
        targets.append(statement.target)
    names: List[str] = []
    while targets:
        t = targets.pop()
        if isinstance(t, cst.Name):
            names.append(t.value)
        elif isinstance(t, cst.Attribute):
            names.append(t.attr.value)
        elif isinstance(t, (cst.Tuple, cst.List)):
            targets += [e.value for e in t.elements]
        else:
            return None
    return tuple(names)


def _used_as_object(names: Optional[Tuple[str, ...]], text: str) -> bool:
    """Whether any of ``names`` is followed by an attribute access somewhere in ``text``:
    what an SDK rule could see through the binding (``ws.send``, ``event.data``)."""
    if names is None:
        return True
    return any(re.search(r"\b%s\s*\." % re.escape(n), text) for n in names)


def _is_multiline_string(node) -> bool:
    import libcst as cst

    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)) and \
        ("\n" in getattr(node, "value", "") if isinstance(node, cst.SimpleString) else False)


def _default_fix_message(edits: Sequence[Edit], text: str) -> str:
    e = edits[0]
    old = text[e.start_offset:e.end_offset]
    if old:
        return "Replace %s with %s" % (old, e.content)
    return "Insert %s" % e.content.strip()


def _dedupe(findings: List[Finding]) -> List[Finding]:
    seen = set()
    out = []
    for f in findings:
        k = (f.code, f.location, f.end_location, f.message)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


# ---------------------------------------------------------------------------------------
# handlers per file kind


class PythonHandler:
    kind = "python"
    python_encoding = True

    def __init__(self) -> None:
        self._validated = None  # (text, module) of the last fixed text that parsed

    def analyze(self, source: Source, settings: Settings, models, codes, deps: Optional[dict] = None
                ) -> List[Finding]:
        module = None
        last = self._validated
        if last is not None:
            self._validated = None
            if last[0] == source.text:  # the fix pass already parsed this text: parse once
                module = last[1]
        return analyze_python(source, settings, models, codes, module=module, deps=deps)

    def validate(self, text: str) -> Optional[str]:
        """None when ``text`` parses, else the reason."""
        import libcst as cst

        try:
            module = cst.parse_module(text)
        except Exception as e:  # pragma: no cover - exercised through fix safety tests
            return str(e).splitlines()[0] if str(e) else type(e).__name__
        self._validated = (text, module)
        return None


HANDLERS: Dict[str, object] = {"python": PythonHandler()}


def register_handler(kind: str, handler) -> None:
    HANDLERS[kind] = handler


def handler_for(kind: str):
    if kind not in HANDLERS:
        from .handlers import load_all  # handlers for other kinds register themselves on import

        load_all()
    return HANDLERS.get(kind, HANDLERS["python"])


# ---------------------------------------------------------------------------------------
# fixing


def _overlap(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    (s1, e1), (s2, e2) = a, b
    if s1 == e1 and s2 == e2:  # two insertions at one point: order would be ambiguous
        return s1 == s2
    if s1 == e1:
        return s2 < s1 < e2
    if s2 == e2:
        return s1 < s2 < e1
    return s1 < e2 and s2 < e1


def select_edits(findings: Sequence[Finding], unsafe: bool,
                 out: Optional[List[Finding]] = None) -> Tuple[List[Edit], int]:
    """Non-overlapping edits of the applicable fixes (a conflicting fix waits for the next pass).

    Identical edits of several findings (the same ``import os`` insertion) are applied once.
    The findings whose fixes were chosen are appended to ``out``.
    """
    chosen: List[Edit] = []
    chosen_set = set()
    applied = 0
    pending = [f for f in findings if _fix_applies(f, unsafe)]
    pending.sort(key=lambda f: min(e.start_offset for e in f.fix.edits))
    for f in pending:
        new = [e for e in f.fix.edits if (e.start_offset, e.end_offset, e.content) not in chosen_set]
        if any(_overlap((e.start_offset, e.end_offset), (c.start_offset, c.end_offset))
               for e in new for c in chosen):
            continue
        for e in new:
            chosen.append(e)
            chosen_set.add((e.start_offset, e.end_offset, e.content))
        applied += 1
        if out is not None:
            out.append(f)
    return chosen, applied


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start_offset, e.end_offset)):
        out.append(text[pos:e.start_offset])
        out.append(e.content)
        pos = e.end_offset
    out.append(text[pos:])
    return "".join(out)


def fix_text(source: Source, settings: Settings, models, codes, unsafe: bool,
             handler=None, log: Optional[List[Finding]] = None,
             verify: bool = False) -> Tuple[str, List[Finding], int]:
    """Apply fixes until nothing applicable is left.  Returns (text, remaining, fixed count);
    the findings whose fixes were applied are appended to ``log``.

    A fix never leaves code that another fix or finding would change (the rule docs, the
    round-trip corpus and tests/test_fix_passes.py check that every fix is final), so
    when the first pass applied every applicable fix and no applied edit touches a
    finding left over, the fixed text is not analysed again: CPython compiles it (the
    output must parse) and the findings left keep their places, moved past the edits.
    Otherwise -- overlapping fixes wait for a later pass, or ``verify`` -- each pass's
    output is parsed and analysed again, up to ``MAX_FIX_PASSES`` times.
    """
    handler = handler or HANDLERS["python"]
    text = original = source.text
    fixed = 0
    python = getattr(handler, "kind", None) == "python"
    deps: Optional[dict] = {} if python and not verify else None
    findings = handler.analyze(source, settings, models, codes, deps) if deps is not None else \
        handler.analyze(source, settings, models, codes)
    for npass in range(MAX_FIX_PASSES):
        chosen: List[Finding] = []
        edits, applied = select_edits(findings, unsafe, chosen)
        if not edits:
            break
        new_text = apply_edits(text, edits)
        if new_text == text:
            break
        if npass == 0 and python and not verify and applied == _applicable(findings, unsafe):
            left = None
            if not any(deps.get(id(f), ()) is None or
                       (isinstance(deps.get(id(f)), tuple) and _used_as_object(deps[id(f)][1], text))
                       for f in chosen):
                left = _carried_over([f for f in findings if not _in(f, chosen)], edits, text, new_text, deps,
                                     chosen)
            if left is not None:
                from .pyparse import compile_problem

                if compile_problem(new_text) is None:  # compiles: it parses, with libcst too
                    if log is not None:
                        log.extend(chosen)
                    return new_text, left, applied
                # CPython refuses it: libcst decides below (syntax newer than this interpreter)
        problem = handler.validate(new_text)
        if problem is not None:
            raise InputError("internal error: the fixed code does not parse (%s); file left unchanged"
                             % problem)
        text = new_text
        fixed += applied
        if log is not None:
            log.extend(chosen)
        source = replace(source, text=text, raw=b"")
        findings = handler.analyze(source, settings, models, codes)
    if text != original and python:
        # libcst accepts code CPython's compiler refuses (an import above `from __future__`,
        # `return` outside a function): what compiled before must compile after
        from .pyparse import compile_problem

        problem = compile_problem(text)
        if problem is not None and compile_problem(original) is None:
            raise InputError("internal error: the fixed code would not compile (%s); file left unchanged"
                             % problem)
    return text, findings, fixed


def _fix_applies(f: Finding, unsafe: bool) -> bool:
    """Whether ``fix`` applies ``f``'s fix (safe ones always, unsafe ones with ``unsafe``)."""
    return bool(f.fix and f.fix.edits and (f.fix.applicability == catalog.SAFE or unsafe))


def _applicable(findings: Sequence[Finding], unsafe: bool) -> int:
    return sum(1 for f in findings if _fix_applies(f, unsafe))


def _in(f: Finding, chosen: Sequence[Finding]) -> bool:
    return any(f is c for c in chosen)


def _carried_over(left: Sequence[Finding], edits: Sequence[Edit], old: str, new: str,
                  deps: dict, applied: Sequence[Finding] = ()) -> Optional[List[Finding]]:
    """``left`` (findings of ``old``) moved to their places in ``new`` (``old`` with ``edits``
    applied); None when an edit touches one of them, its fix or a node it depends on
    (``deps``, from the analysis): only a new analysis can tell.

    A finding at a use of a constant whose definition the same rule just fixed is gone
    (the definition's new value is final)."""
    if not left:
        return []
    old_index = LineIndex(old)
    fixed_here = {(f.code, old_index.offset(f.location[0], f.location[1] - 1),
                   old_index.offset(f.end_location[0], f.end_location[1] - 1)) for f in applied}
    spans = sorted((e.start_offset, e.end_offset, len(e.content) - (e.end_offset - e.start_offset))
                   for e in edits)

    def touches(s: int, e: int, inside_ok: bool = False) -> bool:
        """An edit overlaps [s, e) -- one strictly inside it is fine with ``inside_ok`` (the
        range of a finding on a whole call whose argument another fix changed)."""
        for es, ee, _d in spans:
            if inside_ok and s < es and ee < e:
                continue
            if es == ee:
                if s < es < e or (s == e == es):
                    return True
            elif es < e and s < ee or (s == e and es < s < ee):
                return True
        return False

    def moved(o: int, end: bool) -> int:
        shift = 0
        for es, ee, d in spans:
            if ee > o or (end and es == ee == o):
                continue
            shift += d
        return o + shift

    new_index = LineIndex(new)
    out: List[Finding] = []
    seen_fp: Dict[str, int] = {}
    for f in left:
        s = old_index.offset(f.location[0], f.location[1] - 1)
        e = old_index.offset(f.end_location[0], f.end_location[1] - 1)
        if touches(s, e, inside_ok=True) or \
                (f.fix and any(touches(x.start_offset, x.end_offset) for x in f.fix.edits)):
            return None
        if id(f) in deps and not isinstance(deps[id(f)], tuple):
            related = deps[id(f)]
            if related and all((f.code, a, b) in fixed_here for a, b in related):
                continue
            if related is None or any(touches(a, b) or (a <= es and ee <= b) for a, b in related
                                      for es, ee, _d in spans):
                return None
        ns, ne = moved(s, False), moved(e, True)
        loc, end_loc = new_index.position(ns), new_index.position(ne)
        noqa_row = f.noqa_row
        if noqa_row == f.location[0]:
            noqa_row = loc[0]
        elif noqa_row == f.end_location[0]:
            noqa_row = end_loc[0]
        fix = f.fix
        if fix is not None:
            fix = replace(fix, edits=tuple(make_edit(new_index, moved(x.start_offset, False),
                                                     moved(x.end_offset, True), x.content)
                                           for x in fix.edits))
        key = "%s:%s" % (f.code, new[ns:ne])
        occ = seen_fp.get(key, 0)
        seen_fp[key] = occ + 1
        out.append(replace(f, location=loc, end_location=end_loc, noqa_row=noqa_row, fix=fix,
                           fingerprint=fingerprint(f.code, new, ns, ne, occ)))
    return out


# ---------------------------------------------------------------------------------------
# public API on strings


def _resolve(config) -> Settings:
    if config is None:
        return Settings()
    if isinstance(config, Settings):
        return config
    if isinstance(config, dict):
        from .config import settings_from_table

        return settings_from_table(config, ".", "<config>")
    raise TypeError("config must be a Settings, a dict or None")


def _models(models):
    if models is None:
        from . import models as m

        return m.bundled()
    return models


def check_source(text: str, path: str = "<stdin>", config=None, models=None) -> List[Finding]:
    """Findings for Python source ``text`` (as if it were the file ``path``)."""
    settings = _resolve(config)
    source = Source(path, b"", text, "utf-8", False, _detect_nl(text))
    kind = _kind(path)
    return sorted(handler_for(kind).analyze(source, settings, _models(models), settings.enabled_codes()),
                  key=Finding.sort_key)


def fix_source(text: str, path: str = "<stdin>", config=None, models=None,
               unsafe: bool = False) -> Tuple[str, List[Finding]]:
    """(fixed text, findings left) for Python source ``text``."""
    settings = _resolve(config)
    source = Source(path, b"", text, "utf-8", False, _detect_nl(text))
    new, remaining, _ = fix_text(source, settings, _models(models), settings.enabled_codes(), unsafe,
                                 handler_for(_kind(path)))
    return new, remaining


def _detect_nl(text: str) -> str:
    from .io import detect_newline

    return detect_newline(text)


def _kind(path: str) -> str:
    from .filetypes import kind_of

    return kind_of(path) or "python"


# ---------------------------------------------------------------------------------------
# the per-file job (runs in the main process or a worker)


@dataclass(frozen=True)
class Job:
    target: Target
    settings: Settings
    mode: str  # "check" | "fix" | "diff"
    unsafe: bool = False


_WORKER_MODELS = None


def _init_worker(models) -> None:
    global _WORKER_MODELS
    _WORKER_MODELS = models
    # Ctrl-C reaches the whole process group: the main process alone decides (it cancels
    # the queued files and waits for the running ones, whose writes are atomic)
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    registry.rule_classes()  # libcst and the rules, while the main process still reads and gates


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the main process dies, even in the middle of
    a long C call (a regex, the parser) where the watcher thread below cannot run."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except Exception:  # pragma: no cover - best effort; the watcher thread remains
        pass


def _exit_with_parent(parent: int) -> None:
    """A worker whose main process died (SIGKILL) would wait for work forever, holding the
    output pipes of whoever ran us (a CI step would hang): leave within a second."""
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _run_job_in_worker(job: Job) -> FileResult:
    return run_job(job, _WORKER_MODELS)


def run_job(job: Job, models, cache=None) -> FileResult:
    """Never raises for a bad file: the error is in the result.

    A file that changes on disk between its read and its write (another ``fix`` run, an
    editor) is not overwritten: it is read and fixed again (a few times at most).
    """
    for _attempt in range(3):
        try:
            return _run_job_once(job, models, cache)
        except FileChanged:
            continue
    path = job.target.path
    return FileResult(path, error=FileError(path, "the file kept changing on disk while being fixed; not written"))


def _run_job_once(job: Job, models, cache=None) -> FileResult:
    path = job.target.path
    try:
        handler = handler_for(job.target.kind)
        reader = getattr(handler, "read", None)  # a handler may skip files it cannot use
        source = reader(path) if reader is not None else \
            read_source(path, python=getattr(handler, "python_encoding", True))
        if source is None:
            return FileResult(path)
        codes = [c for c in job.settings.enabled_codes() if job.settings.enabled_for(c, path)]
        cache_key = None
        if cache is not None:
            cache_key = cache.key(source.raw, job.settings, models, codes, path)
            hit = cache.get(cache_key)
            if hit is not None and (job.mode == "check" or not hit):
                return FileResult(path, findings=hit)
        if job.mode == "check":
            findings = handler.analyze(source, job.settings, models, codes)
            secrets = _secrets(source.text) if findings else ()
            if cache is not None:
                cache.put(cache_key, findings, secrets)
            return FileResult(path, findings=findings, secrets=secrets)
        applied: List[Finding] = []
        new_text, remaining, fixed = fix_text(source, job.settings, models, codes, job.unsafe, handler, applied)
        result = FileResult(path, findings=remaining, fixed=fixed, applied=applied)
        if new_text != source.text or remaining:
            result.secrets = _secrets(source.text, new_text)
        if new_text != source.text:
            result.changed = True
            if job.mode == "diff":
                result.diff = "".join(difflib.unified_diff(
                    source.text.splitlines(True), new_text.splitlines(True),
                    fromfile="a/" + _shown(path), tofile="b/" + _shown(path)))
            else:
                _guard_write(job.target)
                try:
                    write_atomic(path, encode(source, new_text), source.mode,
                                 expect=getattr(source, "identity", None))
                except NotWritten as e:  # nothing written: every finding is still there
                    return FileResult(path, findings=handler.analyze(source, job.settings, models, codes),
                                      secrets=result.secrets, not_written=str(e))
        elif cache is not None and not remaining:
            cache.put(cache_key, [])
        return result
    except FileChanged:
        raise
    except InputError as e:
        return FileResult(path, error=FileError(path, str(e)))
    except RecursionError:
        return FileResult(path, error=FileError(path, "too deeply nested to analyze"))
    except MemoryError:
        return FileResult(path, error=FileError(path, "out of memory"))
    except Exception as e:  # a bug of ours must not end the run: one line, traceback with --verbose
        import traceback

        first = (str(e).splitlines() or [""])[0][:200]
        return FileResult(path, error=FileError(
            path, "internal error: %s%s (run with --verbose for the traceback)" % (
                type(e).__name__, ": " + first if first else ""),
            detail=traceback.format_exc()))


def _shown(path: str) -> str:
    """A file name for a diff header: one line, whatever it holds."""
    from .redact import printable

    return printable(path.lstrip("/"))


def _secrets(*texts: str) -> tuple:
    """The API keys ``texts`` spell, in any spelling (outputs hide them; the cache skips them)."""
    from .redact import find_keys

    keys = set()
    for t in texts:
        keys |= find_keys(t)
    return tuple(sorted(keys))


def _guard_write(target: Target) -> None:
    """Never write through a symbolic link to a file outside the tree being checked
    (for a file named explicitly: outside the folder it is in)."""
    real = os.path.realpath(target.path)
    root = target.root.rstrip(os.sep) + os.sep
    if not real.startswith(root):
        raise InputError("symbolic link to %s, outside the checked tree; not written (fix that file directly)"
                         % real)


# ---------------------------------------------------------------------------------------
# public API on paths


def _run(paths: Sequence[str], mode: str, *, unsafe: bool = False, config_file: Optional[str] = None,
         overrides: Optional[Overrides] = None, models=None, use_cache: bool = True,
         jobs: Optional[int] = None, log: Optional[Callable[[str], None]] = None,
         progress: Optional[Callable[[int, int], None]] = None) -> RunResult:
    """``progress(done, total)``, when given, hears about the files that are parsed (those
    that pass the byte gate and miss the cache): once with ``done == 0`` before the first,
    then after each one."""
    resolver = Resolver(config_file, overrides or Overrides())
    targets, missing = discover(list(paths), resolver)
    # a file named explicitly under a sub-project with a bad config is an error for that file
    settings_of: List[Tuple[Target, Settings]] = []
    config_errors: List[FileError] = []
    for t in targets:
        try:
            settings_of.append((t, resolver.for_path(t.path)))
        except ConfigError as e:
            config_errors.append(FileError(t.path, str(e)))
    if config_errors and not settings_of:
        raise ConfigError(config_errors[0].reason)  # nothing can be checked: a run error
    if models is None:
        from . import models as m

        offline = any(s.offline for _t, s in settings_of[:1]) or bool(overrides and overrides.offline)
        models = m.load(offline=offline, use_cache=use_cache, log=log)
    run = RunResult(models_source=models.describe_source())
    for miss in missing:
        run.errors.append(FileError(miss.path, miss.reason))
    run.errors.extend(config_errors)
    job_list = [Job(t, s, mode, unsafe) for t, s in settings_of]
    run.files_checked = len(job_list)
    cache = None
    if use_cache and mode == "check":
        from .cache import FindingsCache

        cache = FindingsCache.open()
    results = _execute(job_list, models, cache, jobs, progress)
    for r in results:
        run.results.append(r)
        if r.error:
            run.errors.append(r.error)
    if cache is not None:
        cache.flush()
    return run


def _passes_gate(job: Job, gates: dict, sizes: Dict[str, int]) -> bool:
    """False for a Python file that never mentions Cartesia: nothing can fire, nothing to parse.

    One read and one byte regex -- cheaper than a cache lookup, so such files are neither
    cached nor sent to a worker.  Unreadable files pass: ``run_job`` reports them.  The
    sizes it learns go to ``sizes`` (the order files are sent to workers in).
    """
    if job.target.kind != "python":
        return True
    settings = job.settings
    g = gates.get(id(settings))
    if g is None:
        g = gates[id(settings)] = catalog.gate(settings.enabled_codes())
    path = job.target.path
    try:
        st = os.stat(path)
    except OSError:
        return True
    sizes[path] = st.st_size
    if g.search(path.encode("utf-8", "replace")):
        return True
    try:
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_GATE_BYTES:
            return True  # FIFOs, devices, huge files: never opened here
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return True
    wide = _wide_text(data)
    if wide is not None:  # UTF-16/32: what it says, not its bytes (run_job names it)
        data = wide.encode("utf-8", "replace")
    return g.search(data) is not None


def _wide_text(data: bytes) -> Optional[str]:
    from .io import wide_encoding

    enc = wide_encoding(data)
    if enc is None:
        return None
    return data.decode(enc.lower().replace("-", ""), "replace")


MAX_GATE_BYTES = 10 * 1024 * 1024


def _execute(job_list: List[Job], models, cache, jobs: Optional[int],
             progress: Optional[Callable[[int, int], None]] = None) -> List[FileResult]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    tick = progress or (lambda done, total: None)
    results: Dict[int, FileResult] = {}
    gates: dict = {}
    sizes: Dict[str, int] = {}
    todo = []
    for i, j in enumerate(job_list):
        if not _passes_gate(j, gates, sizes):
            results[i] = FileResult(j.target.path)
        else:
            todo.append((i, j))

    def run_here(items) -> None:  # in this process, one after the other
        for n, (i, j) in enumerate(items, 1):
            results[i] = run_job(j, models, cache)
            tick(n, len(items))

    if workers <= 1 or len(todo) < PARALLEL_THRESHOLD:
        tick(0, len(todo))
        run_here(todo)
        return [results[i] for i in range(len(job_list))]
    # cache lookups are cheap: answer hits here, parse the misses in processes
    candidates, todo = todo, []
    for i, j in candidates:
        if cache is not None:
            hit = cache.lookup_job(j, models)
            if hit is not None:
                results[i] = hit
                continue
        todo.append((i, j))
    tick(0, len(todo))
    if len(todo) < PARALLEL_THRESHOLD:
        run_here(todo)
    else:
        # largest files first, in small chunks: no worker is left alone with a long tail
        todo.sort(key=lambda ij: -sizes.get(ij[1].target.path, 0))
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(models,)) as ex:
            chunk = max(1, min(8, len(todo) // (workers * 16)))
            try:
                for n, ((i, j), r) in enumerate(
                        zip(todo, ex.map(_run_job_in_worker, [j for _, j in todo], chunksize=chunk)), 1):
                    results[i] = r
                    if cache is not None and r.error is None and j.mode == "check":
                        cache.store_job(j, models, r.findings, r.secrets)
                    tick(n, len(todo))
            except KeyboardInterrupt:  # no new file is started; the running ones finish whole
                ex.shutdown(wait=True, cancel_futures=True)
                raise
    return [results[i] for i in range(len(job_list))]


def check_paths(paths: Sequence[str], **kw) -> RunResult:
    """Check files and folders; see ``_run`` for the keyword arguments."""
    return _run(paths, "check", **kw)


def fix_paths(paths: Sequence[str], *, diff: bool = False, unsafe: bool = False, **kw) -> RunResult:
    """Fix files in place (or, with ``diff=True``, compute diffs and write nothing)."""
    kw.setdefault("use_cache", False)
    return _run(paths, "diff" if diff else "fix", unsafe=unsafe, **kw)
