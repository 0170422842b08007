"""``cartesia-migrate server``: a Language Server (LSP) over stdio, built on pygls.

The editor gets what ``check`` reports, as diagnostics, and what ``fix`` applies, as code
actions -- from the same engine API (``check_source`` / ``fix_source``):

- diagnostics on open and save (at once) and on change (debounced: a change cancels the
  check still waiting for the previous one), for Python files and the config and
  requirement files the tool reads; code, message, severity, a link to the rule's doc
  (``codeDescription``), the ``Deprecated`` tag for rules about a deprecated or discontinued
  API, source ``cartesia-migrate``;
- code actions: each finding's fix as a quick fix (unsafe ones labelled "(unsafe)"), "Fix all
  safe cartesia-migrate findings" (``source.fixAll.cartesia-migrate``), and "Suppress CMxxx
  with # noqa: CMxxx" (appended to an existing ``# noqa:`` list);
- the settings of the closest ``pyproject.toml`` (or ``--config``), read like the CLI does
  (saving a ``pyproject.toml`` in the editor reloads them); the models list loaded once at
  start from the cache or the bundled snapshot -- never a network request;
- requests made stale by a change are answered with ``ContentModified``; the client's
  ``$/cancelRequest`` cancels a request still waiting; a file that cannot be checked (a
  syntax error while typing) gives one ``window/logMessage`` line, never a crash.

Checks run on one worker thread (the engine's parsers keep per-process state), so the
event loop keeps reading the client's messages while a large file is analysed; the result
of an analysis of an outdated version is dropped, never published.

This module imports pygls: only the ``server`` command imports it.
"""
from __future__ import annotations

import asyncio
import bisect
import logging
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

from lsprotocol import types as lsp

from . import __version__, catalog
from .finding import Finding
from .redact import redact
from .suppress import NOQA_RE as _NOQA_RE  # the pattern the engine honours

SOURCE = "cartesia-migrate"
FIX_ALL_KIND = "source.fixAll.cartesia-migrate"
FIX_ALL_TITLE = "Fix all safe cartesia-migrate findings"
DEFAULT_DEBOUNCE = 0.2  # seconds after the last change

#: file kinds the server checks (notebooks are JSON to an editor's text buffer: not here)
KINDS = ("python", "config", "requirements", "setup-cfg", "pyproject")

#: rules about a deprecated or discontinued API (model IDs, SDK calls, exception classes,
#: the legacy API version, an SDK requirement below 4.x): shown with the Deprecated tag
DEPRECATED_CODES = frozenset(
    ["CM101", "CM102", "CM103", "CM302", "CM304", "CM305"]
    + [c for c in catalog.CATALOG if c.startswith("CM4")]
)

_NL = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


# ---------------------------------------------------------------------------------------
# positions: the LSP's lines (\n, \r\n, \r only) and columns in the negotiated unit


def _units(s: str, encoding: str) -> int:
    if s.isascii() or encoding == "utf-32":
        return len(s)
    if encoding == "utf-8":
        return len(s.encode("utf-8", "surrogatepass"))
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)  # utf-16: astral characters take two


class LineMap:
    """Offsets into a text (code points, as the engine's edits are) <-> LSP positions.

    LSP lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only -- not at the form feeds and other
    characters ``str.splitlines`` breaks on.  Columns are counted in the encoding agreed at
    initialisation (UTF-16 unless the client offers another)."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [m.end() for m in _NL.finditer(text)]

    def _line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before its line break)."""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        while end > self.starts[line] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def position(self, offset: int) -> lsp.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return lsp.Position(line=line, character=_units(self.text[start:offset], self.encoding))

    def offset(self, pos: lsp.Position) -> int:
        """The offset of an LSP position; a column past the line's end means its end, a
        line past the last one the end of the text (as the protocol says)."""
        if pos.line >= len(self.starts):
            return len(self.text)
        start = self.starts[pos.line]
        end = self._line_end(pos.line)
        content = self.text[start:end]
        if content.isascii() or self.encoding == "utf-32":
            return start + min(pos.character, len(content))
        units = 0
        for i, ch in enumerate(content):
            if units >= pos.character:
                return start + i
            units += _units(ch, self.encoding)
        return end

    def offset_of(self, row: int, column: int) -> int:
        """Offset of a finding's (1-based row, 1-based column in code points)."""
        if row - 1 >= len(self.starts):
            return len(self.text)
        return min(self.starts[row - 1] + column - 1, len(self.text))

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(start), end=self.position(end))


def apply_change(text: str, change, encoding: str = "utf-16") -> str:
    """``text`` after one ``TextDocumentContentChangeEvent`` (a range edit, or the whole text)."""
    rng = getattr(change, "range", None)
    if rng is None:
        return change.text
    m = LineMap(text, encoding)
    s, e = m.offset(rng.start), m.offset(rng.end)
    if e < s:
        s, e = e, s
    return text[:s] + change.text + text[e:]


def whole_text_edit(old: str, new: str, encoding: str = "utf-16") -> Optional[lsp.TextEdit]:
    """One edit turning ``old`` into ``new``: the lines between their common first and last
    lines (whole lines, so that no edit ends between a ``\\r`` and its ``\\n``)."""
    if old == new:
        return None
    a, b = _LINE.findall(old), _LINE.findall(new)
    p = 0
    while p < len(a) and p < len(b) and a[p] == b[p]:
        p += 1
    s = 0
    while s < len(a) - p and s < len(b) - p and a[-1 - s] == b[-1 - s]:
        s += 1
    start = sum(len(x) for x in a[:p])
    end = len(old) - sum(len(x) for x in a[len(a) - s:])
    m = LineMap(old, encoding)
    return lsp.TextEdit(range=m.range(start, end), new_text="".join(b[p:len(b) - s]))


# ---------------------------------------------------------------------------------------
# suppression edits (a noqa comment)


def _commentable_python_rows(text: str) -> Tuple[Set[int], Dict[int, Tuple[int, str]]]:
    """Rows where a comment may end the line (not inside a string, not after a continuation
    backslash), and the comment already on a row: row -> (its column, its text)."""
    import io
    import tokenize

    rows: Set[int] = set()
    comments: Dict[int, Tuple[int, str]] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.NEWLINE, tokenize.NL):
                rows.add(tok.start[0])
            elif tok.type == tokenize.COMMENT:
                rows.add(tok.start[0])
                comments[tok.start[0]] = (tok.start[1], tok.string)
            elif tok.type == tokenize.ENDMARKER:
                break
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return rows, comments


def noqa_edit(text: str, finding: Finding, kind: str, python_rows=None) -> Optional[Tuple[int, int, str]]:
    """(start, end, new text) adding ``# noqa: CODE`` for ``finding``, or None where a comment
    cannot go (JSON, setup.cfg, a row inside a string or ending in a backslash).

    An existing ``# noqa:`` list on the row gets ``, CODE`` appended; otherwise
    ``  # noqa: CODE`` goes at the end of the row (after any other comment)."""
    if kind not in ("python", "config", "requirements", "pyproject"):
        return None
    if kind == "config":
        from .handlers.config_files import file_format

        if file_format(finding.path) == "json":  # JSON has no '#' comments
            return None
    first, last = finding.location[0], finding.end_location[0]
    preferred = finding.noqa_row or first
    candidates = [preferred] + [r for r in range(first, last + 1) if r != preferred]
    m = LineMap(text)
    if kind == "python":
        rows, comments = python_rows if python_rows is not None else _commentable_python_rows(text)
    else:
        rows, comments = None, {}
    for row in candidates:
        if row - 1 >= len(m.starts):
            continue
        start = m.starts[row - 1]
        end = m._line_end(row - 1)
        line = text[start:end]
        if rows is not None and row not in rows:
            continue
        if rows is None and line.rstrip().endswith("\\"):
            continue
        if kind == "python":
            hit = None
            if row in comments:
                col, comment = comments[row]
                mm = _NOQA_RE.search(comment)
                if mm:
                    hit = start + col + mm.end("codes")
        else:
            mm = _NOQA_RE.search(line)
            hit = start + mm.end("codes") if mm else None
        if hit is not None:
            return hit, hit, f", {finding.code}"
        content_end = start + len(line.rstrip())
        return content_end, content_end, f"  # noqa: {finding.code}"
    return None


# ---------------------------------------------------------------------------------------
# documents and analyses


@dataclass
class Analysis:
    version: Optional[int]
    text: str
    findings: List[Finding] = field(default_factory=list)
    settings: object = None
    error: Optional[str] = None
    fixed: Optional[str] = None  # the text with every safe fix applied (computed when asked)
    python_rows: object = None  # tokenized comment rows (computed when asked)
    generation: int = 0  # of the settings it was made with (a saved pyproject.toml: the next)


@dataclass
class Document:
    uri: str
    path: str
    kind: Optional[str]
    text: str
    version: Optional[int]
    analysis: Optional[Analysis] = None
    inflight: Optional[Tuple[tuple, "asyncio.Future"]] = None  # ((version, generation, text), future)
    pending: Optional["asyncio.Task"] = None
    changed: Optional["asyncio.Future"] = None  # resolved by the next change (stale requests)
    last_error: Optional[str] = None


class ContentModified(Exception):
    """The document changed while a request waited for its analysis."""


def _kind_for(path: str, language_id: Optional[str]) -> Optional[str]:
    from .filetypes import kind_of

    kind = kind_of(path)
    if kind is None and language_id == "python":
        kind = "python"
    return kind if kind in KINDS else None


def _fs_path(uri: str) -> Optional[str]:
    from urllib.parse import unquote, urlparse

    u = urlparse(uri)
    if u.scheme != "file":
        return None
    path = unquote(u.path)
    if os.name == "nt" and re.match(r"^/[A-Za-z]:", path):  # pragma: no cover - Windows
        path = path[1:]
    return path


class Session:
    """The server's state, independent of the transport: documents, their analyses, the
    debounced checks.  ``publish(uri, version, diagnostics)`` and ``log(type, message)``
    send to the client."""

    def __init__(self, models, config_file: Optional[str] = None, debounce: float = DEFAULT_DEBOUNCE,
                 publish: Optional[Callable] = None, log: Optional[Callable] = None) -> None:
        self.models = models
        self.config_file = config_file
        self.debounce = debounce
        self.publish = publish or (lambda uri, version, diagnostics: None)
        self.log = log or (lambda type_, message: None)
        self.encoding = "utf-16"
        self.docs: Dict[str, Document] = {}
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cartesia-migrate-check")
        # the file kinds, registered by the handlers' modules on import: here, before the worker
        # thread imports anything (two threads loading them at once: one sees none registered)
        from .handlers import load_all

        load_all()
        self._resolver = None
        self._resolver_error: Optional[str] = None
        self.generation = 0
        self.loop: Optional[asyncio.AbstractEventLoop] = None  # for messages from the worker thread

    # -- configuration (used on the worker thread only)

    def _settings_for(self, path: str):
        from .config import ConfigError, Overrides, Resolver

        if self._resolver is None and self._resolver_error is None:
            try:
                self._resolver = Resolver(self.config_file, Overrides())
            except ConfigError as e:
                self._resolver_error = str(e)
        if self._resolver_error is not None:
            raise ConfigError(self._resolver_error)
        return self._resolver.for_path(path)

    def reload_config(self) -> None:
        """Forget the settings read so far (a pyproject.toml was saved): read again."""

        def reset():
            self._resolver = None
            self._resolver_error = None

        self.generation += 1
        self.executor.submit(reset)

    def warm_up(self) -> None:
        """Import libcst and the rules on the worker thread before the first document."""

        def load():
            from . import registry

            registry.rule_classes()

        self.executor.submit(load)

    # -- analysis

    def _analyze_sync(self, doc: Document, version: Optional[int], text: str, generation: int
                      ) -> Optional[Analysis]:
        """Runs on the worker thread.  None when the document moved on meanwhile."""
        if doc.version != version or self.docs.get(doc.uri) is not doc or generation != self.generation:
            return None  # a newer version is on its way: skip the outdated work
        from .config import ConfigError
        from .engine import check_source
        from .io import InputError

        def failed(reason: str) -> Analysis:
            return Analysis(version, text, error=reason, generation=generation)

        try:
            settings = self._settings_for(doc.path)
            findings = check_source(text, doc.path, settings, self.models)
            return Analysis(version, text, findings, settings, generation=generation)
        except ConfigError as e:
            return failed(str(e))
        except InputError as e:
            return failed(f"{doc.path}: {e}")
        except RecursionError:
            return failed(f"{doc.path}: too deeply nested to analyze")
        except Exception as e:  # a bug of ours: one line, the server goes on
            first = (str(e).splitlines() or [""])[0][:200]
            return failed(f"{doc.path}: internal error: {type(e).__name__}{': ' + first if first else ''}")

    def _current(self, doc: Document, a: Optional[Analysis]) -> bool:
        return a is not None and a.version == doc.version and a.text == doc.text and \
            a.generation == self.generation and self.docs.get(doc.uri) is doc

    def _analysis_future(self, doc: Document) -> "asyncio.Future":
        """A future of the analysis of the document's current version (shared by everyone
        waiting for it)."""
        loop = asyncio.get_running_loop()
        if self._current(doc, doc.analysis):
            fut = loop.create_future()
            fut.set_result(doc.analysis)
            return fut
        key = (doc.version, self.generation, doc.text)
        if doc.inflight is not None and doc.inflight[0] == key and not doc.inflight[1].cancelled():
            return doc.inflight[1]
        fut = loop.run_in_executor(self.executor, self._analyze_sync, doc, doc.version, doc.text,
                                   self.generation)

        def done(f, doc=doc):
            if not f.cancelled() and f.exception() is None and self._current(doc, f.result()):
                doc.analysis = f.result()

        fut.add_done_callback(done)
        doc.inflight = (key, fut)
        return fut

    async def current_analysis(self, doc: Document) -> Analysis:
        """The analysis of the document as it is now; ``ContentModified`` when it changes first."""
        stale = doc.changed
        fut = self._analysis_future(doc)
        waiters = [fut] + ([stale] if stale is not None else [])
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        if (stale is not None and stale.done()) or not fut.done() or fut.cancelled():
            raise ContentModified()
        a = fut.result()
        if not self._current(doc, a):
            raise ContentModified()
        return a

    async def _delay(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def _check_later(self, doc: Document, delay: float) -> None:
        if delay > 0:
            await self._delay(delay)
        # shielded: cancelling this check (a newer change) must not cancel an analysis that a
        # code action request may be waiting for too
        a = await asyncio.shield(self._analysis_future(doc))
        if not self._current(doc, a):
            return  # outdated: the check of the newer version publishes
        self._publish(doc, a)

    def schedule(self, doc: Document, delay: float) -> "asyncio.Task":
        """Check ``doc`` after ``delay`` seconds; a check still waiting for this document is
        cancelled (its analysis, if it started, is dropped)."""
        if doc.pending is not None and not doc.pending.done():
            doc.pending.cancel()
        doc.pending = asyncio.get_running_loop().create_task(self._check_later(doc, delay))
        return doc.pending

    # -- publishing

    def diagnostics(self, a: Analysis) -> List[lsp.Diagnostic]:
        m = LineMap(a.text, self.encoding)
        out = []
        for f in a.findings:
            start = m.offset_of(*f.location)
            end = m.offset_of(*f.end_location)
            out.append(lsp.Diagnostic(
                range=m.range(start, end),
                severity=(lsp.DiagnosticSeverity.Error if f.severity == "error"
                          else lsp.DiagnosticSeverity.Warning),
                code=f.code,
                code_description=lsp.CodeDescription(href=f.url) if f.url else None,
                source=SOURCE,
                message=redact(f.message),
                tags=[lsp.DiagnosticTag.Deprecated] if f.code in DEPRECATED_CODES else None,
                data={"fix": f.fix.applicability if f.fix else None},
            ))
        return out

    def _publish(self, doc: Document, a: Analysis) -> None:
        if a.error is not None:
            if a.error != doc.last_error:
                first = (a.error.splitlines() or [""])[0]
                self.log(lsp.MessageType.Warning, redact(f"cartesia-migrate: {first}"))
            doc.last_error = a.error
        else:
            doc.last_error = None
        self.publish(doc.uri, doc.version, self.diagnostics(a) if a.error is None else [])

    # -- document events

    def _mark_changed(self, doc: Document) -> None:
        if doc.changed is not None and not doc.changed.done():
            doc.changed.set_result(None)
        doc.changed = asyncio.get_running_loop().create_future()

    def open(self, uri: str, text: str, version: Optional[int], language_id: Optional[str] = None
             ) -> Optional[Document]:
        path = _fs_path(uri)
        if path is None:  # an unsaved buffer: checked as a file in the working folder
            name = "untitled.py" if language_id == "python" else uri.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            path = os.path.join(os.getcwd(), name)
        kind = _kind_for(path, language_id)
        old = self.docs.pop(uri, None)
        if old is not None:
            self._forget(old)
        if kind is None:
            return None  # not a file we read: no diagnostics
        doc = Document(uri, path, kind, text, version)
        self.docs[uri] = doc
        self._mark_changed(doc)
        self.schedule(doc, 0)
        return doc

    def change(self, uri: str, version: Optional[int], changes: Sequence) -> None:
        doc = self.docs.get(uri)
        if doc is None:
            return
        text = doc.text
        for ch in changes:
            text = apply_change(text, ch, self.encoding)
        doc.text, doc.version = text, version
        self._mark_changed(doc)
        self.schedule(doc, self.debounce)

    def save(self, uri: str) -> None:
        """Check at once; a saved ``pyproject.toml`` (or the ``--config`` file) reloads the
        settings and checks every open document again."""
        doc = self.docs.get(uri)
        path = doc.path if doc is not None else _fs_path(uri)
        if path is not None and (os.path.basename(path) == "pyproject.toml" or (
                self.config_file and os.path.abspath(path) == os.path.abspath(self.config_file))):
            self.reload_config()
            for other in self.docs.values():
                self.schedule(other, 0)
        elif doc is not None:
            self.schedule(doc, 0)

    def _forget(self, doc: Document) -> None:
        if doc.pending is not None and not doc.pending.done():
            doc.pending.cancel()
        if doc.changed is not None and not doc.changed.done():
            doc.changed.set_result(None)

    def close(self, uri: str) -> None:
        doc = self.docs.pop(uri, None)
        if doc is not None:
            self._forget(doc)
            self.publish(uri, None, [])

    def shutdown(self) -> None:
        for doc in list(self.docs.values()):
            self._forget(doc)
        self.executor.shutdown(wait=False, cancel_futures=True)

    # -- code actions

    async def code_actions(self, uri: str, rng: lsp.Range, only: Optional[Sequence[str]] = None,
                           versioned_edits: bool = True) -> List[lsp.CodeAction]:
        doc = self.docs.get(uri)
        if doc is None:
            return []
        a = await self.current_analysis(doc)
        if a.error is not None:
            return []

        def wanted(kind: str) -> bool:
            return not only or any(kind == o or kind.startswith(o + ".") for o in only)

        m = LineMap(a.text, self.encoding)
        lo, hi = m.offset(rng.start), m.offset(rng.end)
        diags = self.diagnostics(a)
        actions: List[lsp.CodeAction] = []

        def edit(edits: List[lsp.TextEdit]) -> lsp.WorkspaceEdit:
            if versioned_edits:
                return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
                    text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=a.version),
                    edits=edits)])
            return lsp.WorkspaceEdit(changes={uri: edits})

        if wanted(lsp.CodeActionKind.QuickFix):
            here = []
            for f, d in zip(a.findings, diags):
                s, e = m.offset_of(*f.location), m.offset_of(*f.end_location)
                if s <= hi and lo <= e:
                    here.append((f, d))
            for f, d in here:
                if f.fix is None:
                    continue
                unsafe = f.fix.applicability != catalog.SAFE
                title = f"{redact(f.fix.message)}{' (unsafe)' if unsafe else ''}"
                actions.append(lsp.CodeAction(
                    title=f"{f.code}: {title}", kind=lsp.CodeActionKind.QuickFix, diagnostics=[d],
                    is_preferred=not unsafe,
                    edit=edit([lsp.TextEdit(range=m.range(x.start_offset, x.end_offset), new_text=x.content)
                               for x in f.fix.edits])))
            for f, d in here:
                if a.python_rows is None and doc.kind == "python":
                    a.python_rows = _commentable_python_rows(a.text)
                ne = noqa_edit(a.text, f, doc.kind, a.python_rows)
                if ne is None:
                    continue
                s, e, new = ne
                actions.append(lsp.CodeAction(
                    title=f"Suppress {f.code} with # noqa: {f.code}", kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[d], edit=edit([lsp.TextEdit(range=m.range(s, e), new_text=new)])))
        fix_all_requested = bool(only) and any(FIX_ALL_KIND == o or FIX_ALL_KIND.startswith(o + ".")
                                               for o in only)
        if wanted(FIX_ALL_KIND) and (fix_all_requested or any(
                f.fix is not None and f.fix.applicability == catalog.SAFE for f in a.findings)):
            fixed = await self.fixed_text(doc, a)
            te = whole_text_edit(a.text, fixed, self.encoding) if fixed is not None else None
            if te is not None:
                actions.append(lsp.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, edit=edit([te])))
        return actions

    async def fixed_text(self, doc: Document, a: Analysis) -> Optional[str]:
        """The text with every safe fix applied (computed once per version)."""
        if a.fixed is not None:
            return a.fixed
        if not any(f.fix is not None and f.fix.applicability == catalog.SAFE for f in a.findings):
            return a.text

        def run():
            from .engine import fix_source

            try:
                return fix_source(a.text, doc.path, a.settings, self.models, unsafe=False)[0]
            except Exception as e:  # the fixed code would not parse, ...: no action
                self._log_threadsafe(f"cartesia-migrate: {doc.path}: cannot fix all: "
                                     f"{(str(e).splitlines() or [type(e).__name__])[0]}")
                return None

        stale = doc.changed
        self.loop = asyncio.get_running_loop()
        fut = self.loop.run_in_executor(self.executor, run)
        await asyncio.wait([fut] + ([stale] if stale is not None else []),
                           return_when=asyncio.FIRST_COMPLETED)
        if not fut.done() or doc.version != a.version:
            raise ContentModified()
        a.fixed = fut.result()
        return a.fixed

    def _log_threadsafe(self, message: str) -> None:
        """Log from the worker thread (the message is sent by the event loop's thread)."""
        loop = self.loop
        if loop is not None:
            loop.call_soon_threadsafe(self.log, lsp.MessageType.Warning, redact(message))


# ---------------------------------------------------------------------------------------
# the pygls server


def build_server(models, config_file: Optional[str] = None, debounce: float = DEFAULT_DEBOUNCE):
    """The pygls ``LanguageServer`` with every feature registered (not started)."""
    from pygls.exceptions import JsonRpcContentModified
    from pygls.lsp.server import LanguageServer

    ls = LanguageServer(SOURCE, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)

    def publish(uri, version, diagnostics):
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def log(type_, message):
        ls.window_log_message(lsp.LogMessageParams(type=type_, message=message))

    session = Session(models, config_file, debounce, publish, log)
    ls.session = session

    @ls.feature(lsp.INITIALIZED)
    def initialized(params: lsp.InitializedParams) -> None:
        session.encoding = str(ls.workspace.position_encoding or "utf-16")
        session.warm_up()
        log(lsp.MessageType.Info,
            redact(f"cartesia-migrate {__version__}: models: {models.describe_source()}"))

    @ls.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        td = params.text_document
        session.open(td.uri, td.text, td.version, td.language_id)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        session.change(params.text_document.uri, params.text_document.version, params.content_changes)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        session.save(params.text_document.uri)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        session.close(params.text_document.uri)

    @ls.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False))
    async def code_action(params: lsp.CodeActionParams):
        caps = ls.client_capabilities
        versioned = bool(caps and caps.workspace and caps.workspace.workspace_edit
                         and caps.workspace.workspace_edit.document_changes)
        try:
            return await session.code_actions(params.text_document.uri, params.range,
                                              params.context.only, versioned)
        except ContentModified:
            raise JsonRpcContentModified(f"{params.text_document.uri} changed; ask again")

    @ls.feature(lsp.SHUTDOWN)
    def shutdown(params) -> None:
        session.shutdown()

    return ls


def serve(config_file: Optional[str] = None, debounce: float = DEFAULT_DEBOUNCE) -> None:
    """Load the models list once (cache or bundled: never the network), then serve on stdio."""
    from . import models as m

    logging.getLogger("pygls").setLevel(logging.ERROR)

    def stderr(msg: str) -> None:  # stdout is the protocol's channel
        print(redact(msg), file=sys.stderr)

    ml = m.load(offline=True, use_cache=True, log=stderr)
    ls = build_server(ml, config_file, debounce)
    ls.start_io()
