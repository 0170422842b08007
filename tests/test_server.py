"""`cartesia-migrate server`, end to end: a real LSP client (pytest-lsp) drives the server over stdio.

One server process per module (per xdist worker); every test uses its own documents.  Tests wait
for the server's notifications (a future per expected message), never on the clock.
"""
import asyncio
import os
import sys
import tempfile
import uuid

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")  # Python >= 3.10 (the test extra installs it there)

from lsprotocol import types as lsp  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

from cartesia_migrate import check_source, fix_source  # noqa: E402
from cartesia_migrate.config import Resolver  # noqa: E402

aio = pytest.mark.asyncio(loop_scope="module")

WORKSPACE = None  # a temporary folder, set by the client fixtures
WAIT = 120  # seconds: only a guard against a hung server, never how a test synchronises

APP = (
    "from cartesia import Cartesia\n"
    "\n"
    "client = Cartesia(api_key=KEY)\n"
    'MODEL = "sonic-english"\n'
)


def _env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARTESIA_")}
    # offline by construction; no user cache (a folder that does not exist: the server only reads it)
    env["CARTESIA_MIGRATE_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), f"cartesia-migrate-no-cache-{uuid.uuid4().hex}")
    return env


def _make_client():
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # every publishDiagnostics, in order
    client.waiters = []  # (predicate, future)

    def on_publish(ls, params):
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append(params)
        for pred, fut in list(ls.waiters):
            if not fut.done() and pred(params):
                fut.set_result(params)

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = on_publish
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "cartesia_migrate", "server", "--debounce", "0.05"],
                              server_env=_env(), client_factory=_make_client),
)
async def client(lsp_client: LanguageClient, tmp_path_factory):
    global WORKSPACE
    WORKSPACE = str(tmp_path_factory.mktemp("lsp"))
    params = lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"),
                                  root_uri=f"file://{WORKSPACE}",
                                  workspace_folders=[lsp.WorkspaceFolder(uri=f"file://{WORKSPACE}", name="ws")])
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


# ---- helpers --------------------------------------------------------------------------------

async def published(client, uri, version="any"):
    """The first publication for ``uri`` (and ``version``) -- already received or still to come."""
    def pred(p):
        return p.uri == uri and (version == "any" or p.version == version)

    for p in client.published:
        if pred(p):
            return p
    fut = asyncio.get_running_loop().create_future()
    client.waiters.append((pred, fut))
    try:
        return await asyncio.wait_for(fut, WAIT)
    finally:
        client.waiters.remove((pred, fut))


def new_uri(name):
    folder = os.path.join(WORKSPACE, uuid.uuid4().hex[:8])
    os.makedirs(folder)
    return f"file://{folder}/{name}", os.path.join(folder, name)


def utf16_offset(text, pos):
    """An LSP position (UTF-16 columns) -> offset into ``text`` (written apart from the server's)."""
    lines = text.splitlines(True)  # the test texts hold no exotic line breaks
    off = sum(len(x) for x in lines[:pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= pos.character:
            return off + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return off + len(line.rstrip("\r\n"))


def apply_edits(text, edits):
    spans = sorted(((utf16_offset(text, e.range.start), utf16_offset(text, e.range.end), e.new_text) for e in edits),
                   reverse=True)
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text


def edits_of(action, uri):
    changes = action.edit.document_changes
    if changes:
        assert len(changes) == 1 and changes[0].text_document.uri == uri
        return changes[0].edits, changes[0].text_document.version
    return action.edit.changes[uri], None


class Doc:
    """A document open in the client: its text and version, kept as an editor keeps them."""

    def __init__(self, client, uri, text, language="python"):
        self.client, self.uri, self.text, self.version = client, uri, text, 1
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))

    async def diagnostics(self):
        return list((await published(self.client, self.uri, self.version)).diagnostics)

    def edit(self, edits):
        """Send ``edits`` (LSP TextEdits on the current text) as one incremental change."""
        self.version += 1
        changes = [lsp.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                   for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)]
        self.text = apply_edits(self.text, edits)
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=changes))

    def replace_all(self, text):
        self.version += 1
        self.text = text
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))

    async def actions(self, rng=None, only=None, diagnostics=()):
        rng = rng or lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=10 ** 6, character=0))
        return list(await self.client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=self.uri), range=rng,
            context=lsp.CodeActionContext(diagnostics=list(diagnostics), only=only))) or [])

    async def apply(self, action):
        edits, version = edits_of(action, self.uri)
        if version is not None:
            assert version == self.version  # the edit is for the text the editor has
        self.edit(edits)
        return await self.diagnostics()

    def close(self):
        self.client.text_document_did_close(lsp.DidCloseTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=self.uri)))


def expected_ranges(text, path, **kw):
    """(code, start, end) of what `check` reports, as offsets (the CLI's own positions)."""
    out = []
    lines = text.splitlines(True)
    for f in check_source(text, path, Resolver().for_path(path), **kw):
        (r1, c1), (r2, c2) = f.location, f.end_location
        out.append((f.code, sum(len(x) for x in lines[:r1 - 1]) + c1 - 1, sum(len(x) for x in lines[:r2 - 1]) + c2 - 1))
    return sorted(out)


def got_ranges(text, diagnostics):
    return sorted((d.code, utf16_offset(text, d.range.start), utf16_offset(text, d.range.end)) for d in diagnostics)


# ---- diagnostics ----------------------------------------------------------------------------

@aio
async def test_open_publishes_what_check_reports(client):
    uri, path = new_uri("app.py")
    doc = Doc(client, uri, APP)
    diags = await doc.diagnostics()
    assert got_ranges(doc.text, diags) == expected_ranges(doc.text, path) != []
    (d,) = [d for d in diags if d.code == "CM101"]
    assert doc.text[utf16_offset(doc.text, d.range.start):utf16_offset(doc.text, d.range.end)] == '"sonic-english"'
    assert d.source == "cartesia-migrate"
    assert d.severity == lsp.DiagnosticSeverity.Error
    assert d.code_description.href.endswith("/rules/CM101.md")
    assert list(d.tags) == [lsp.DiagnosticTag.Deprecated]
    assert "discontinued" in d.message and "sonic-3.6-2026-08-27" in d.message
    doc.close()


@aio
async def test_non_deprecation_rule_has_no_deprecated_tag_and_warning_severity(client):
    uri, path = new_uri("alias.py")
    doc = Doc(client, uri, APP.replace("sonic-english", "sonic-3"))
    (d,) = await doc.diagnostics()
    assert d.code == "CM105" and d.severity == lsp.DiagnosticSeverity.Warning and not d.tags
    doc.close()


@aio
async def test_quick_fix_applies_and_the_diagnostic_vanishes(client):
    uri, path = new_uri("fixme.py")
    doc = Doc(client, uri, APP)
    (d,) = [d for d in await doc.diagnostics() if d.code == "CM101"]
    actions = await doc.actions(d.range, diagnostics=[d])
    fixes = [a for a in actions if a.kind == lsp.CodeActionKind.QuickFix and "Replace" in a.title]
    assert len(fixes) == 1
    (fix,) = fixes
    assert fix.is_preferred and "(unsafe)" not in fix.title and fix.diagnostics[0].code == "CM101"
    diags = await doc.apply(fix)
    assert 'MODEL = "sonic-3.6-2026-08-27"' in doc.text
    assert "CM101" not in [x.code for x in diags]
    assert doc.text == fix_source(APP, path, Resolver().for_path(path), unsafe=False)[0]
    doc.close()


@aio
async def test_unsafe_fix_is_labelled(client):
    uri, path = new_uri("legacy.py")
    doc = Doc(client, uri, APP.replace("sonic-english", "sonic-2"))
    (d,) = await doc.diagnostics()
    assert d.code == "CM103"
    (fix,) = [a for a in await doc.actions(d.range) if a.title.startswith("CM103: Replace")]
    assert fix.title.endswith("(unsafe)") and not fix.is_preferred
    assert await doc.apply(fix) == []
    doc.close()


@aio
async def test_edits_move_the_diagnostics_then_removing_the_line_clears_them(client):
    uri, path = new_uri("moves.py")
    doc = Doc(client, uri, APP)
    (d,) = [d for d in await doc.diagnostics() if d.code == "CM101"]
    assert d.range.start.line == 3
    top = lsp.Position(line=0, character=0)
    doc.edit([lsp.TextEdit(range=lsp.Range(start=top, end=top), new_text="import os\nimport sys\n")])
    (moved,) = [x for x in await doc.diagnostics() if x.code == "CM101"]
    assert (moved.range.start.line, moved.range.start.character) == (5, d.range.start.character)
    line = lsp.Range(start=lsp.Position(line=5, character=0), end=lsp.Position(line=6, character=0))
    doc.edit([lsp.TextEdit(range=line, new_text="")])
    assert [x.code for x in await doc.diagnostics()] == []
    doc.close()


@aio
async def test_columns_are_utf16_code_units(client):
    uri, path = new_uri("emoji.py")
    doc = Doc(client, uri, APP.replace('MODEL = "sonic-english"', 'NOTE = "\U0001F399\U0001F399"; MODEL = "sonic-english"'))
    (d,) = [d for d in await doc.diagnostics() if d.code == "CM101"]
    # two astral characters: four UTF-16 code units, two code points
    assert d.range.start.character == len('NOTE = "\U0001F399\U0001F399"; MODEL = ') + 2
    assert got_ranges(doc.text, await doc.diagnostics()) == expected_ranges(doc.text, path)
    doc.close()


@aio
async def test_rapid_changes_end_with_the_last_versions_diagnostics(client):
    uri, path = new_uri("typing.py")
    doc = Doc(client, uri, APP)
    await doc.diagnostics()
    for model in ("sonic-2", "sonic-3", "sonic", "sonic-english", "sonic-3.5-2026-05-04"):
        doc.replace_all(APP.replace("sonic-english", model))
    assert await doc.diagnostics() == []
    versions = [p.version for p in client.published if p.uri == uri]
    assert versions == sorted(versions) and versions[-1] == doc.version
    doc.close()


@aio
async def test_close_clears_the_diagnostics(client):
    uri, path = new_uri("closed.py")
    doc = Doc(client, uri, APP)
    assert await doc.diagnostics()
    n = len(client.published)
    doc.close()
    p = await published(client, uri, None)
    assert list(p.diagnostics) == [] and client.published.index(p) >= n


@aio
async def test_save_checks_at_once(client):
    uri, path = new_uri("saved.py")
    doc = Doc(client, uri, APP)
    await doc.diagnostics()
    n = len([p for p in client.published if p.uri == uri])
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    fut = asyncio.get_running_loop().create_future()
    client.waiters.append((lambda p: p.uri == uri and len([q for q in client.published if q.uri == uri]) > n, fut))
    p = await asyncio.wait_for(fut, WAIT)
    assert [d.code for d in p.diagnostics] == ["CM101"]
    doc.close()


# ---- code actions ---------------------------------------------------------------------------

MANY = (
    "from cartesia import Cartesia\n"
    "\n"
    "client = Cartesia(api_key=KEY)\n"
    'A = "sonic-english"\n'
    'B = "sonic-multilingual"\n'
    'C = "sonic-turbo"\n'
    'URL = "http://api.cartesia.ai/tts/bytes"\n'
)


@aio
async def test_fix_all_applies_every_safe_fix_and_leaves_the_unsafe_ones(client):
    uri, path = new_uri("fixall.py")
    doc = Doc(client, uri, MANY)
    before = await doc.diagnostics()
    assert {"CM101", "CM103"} <= {d.code for d in before}
    actions = await doc.actions(only=[lsp.CodeActionKind.SourceFixAll])
    (fix_all,) = actions
    assert fix_all.kind == "source.fixAll.cartesia-migrate"
    assert fix_all.title == "Fix all safe cartesia-migrate findings"
    left = await doc.apply(fix_all)
    expected, remaining = fix_source(MANY, path, Resolver().for_path(path), unsafe=False)
    assert doc.text == expected != MANY
    assert sorted(d.code for d in left) == sorted(f.code for f in remaining) == ["CM103"]
    # only quick fixes when asked for them
    quick = await doc.actions(only=[lsp.CodeActionKind.QuickFix])
    assert quick and all(a.kind == lsp.CodeActionKind.QuickFix for a in quick)
    doc.close()


@aio
async def test_noqa_suppresses_and_appends_to_an_existing_list(client):
    uri, path = new_uri("noqa.py")
    doc = Doc(client, uri, MANY.replace('A = "sonic-english"\n', 'A = "sonic-english"  # noqa: E501\n'))
    diags = await doc.diagnostics()
    (d,) = [d for d in diags if d.code == "CM101" and d.range.start.line == 3]
    (sup,) = [a for a in await doc.actions(d.range) if a.title == "Suppress CM101 with # noqa: CM101"]
    after = await doc.apply(sup)
    assert 'A = "sonic-english"  # noqa: E501, CM101\n' in doc.text
    assert sorted(x.code for x in after) == sorted(x.code for x in diags if x is not d)
    (c,) = [d for d in after if d.code == "CM103"]
    (sup,) = [a for a in await doc.actions(c.range) if a.title.startswith("Suppress CM103")]
    after = await doc.apply(sup)
    assert 'C = "sonic-turbo"  # noqa: CM103\n' in doc.text and "CM103" not in [x.code for x in after]
    doc.close()


@aio
async def test_no_noqa_where_a_comment_would_break_the_code(client):
    uri, path = new_uri("continued.py")
    text = APP.replace('MODEL = "sonic-english"\n', 'MODEL = "sonic-english" \\\n    .strip()\n')
    doc = Doc(client, uri, text)
    (d,) = [d for d in await doc.diagnostics() if d.code == "CM101"]
    actions = [a for a in await doc.actions(d.range) if a.title.startswith("Suppress")]
    assert actions == []  # the finding's only line ends in a continuation backslash
    doc.close()


@aio
async def test_config_file_diagnostics_fix_and_noqa(client):
    uri, path = new_uri("tts.yaml")
    doc = Doc(client, uri, "cartesia:\n  model_id: sonic-english\n  voice: abc\nother:\n  model: sonic-2\n",
              language="yaml")
    diags = await doc.diagnostics()
    assert got_ranges(doc.text, diags) == expected_ranges(doc.text, path)
    (d,) = [x for x in diags if x.code == "CM101"]
    assert d.range.start.line == 1 and list(d.tags) == [lsp.DiagnosticTag.Deprecated]
    (fix,) = [a for a in await doc.actions(d.range) if a.title.startswith("CM101: Replace")]
    after = await doc.apply(fix)
    assert "  model_id: sonic-3.6-2026-08-27\n" in doc.text and "CM101" not in [x.code for x in after]
    (c,) = [x for x in after if x.code == "CM103"]
    (sup,) = [a for a in await doc.actions(c.range) if a.title.startswith("Suppress CM103")]
    assert await doc.apply(sup) == []
    assert doc.text.endswith("  model: sonic-2  # noqa: CM103\n")
    doc.close()


@aio
async def test_requirements_file(client):
    uri, path = new_uri("requirements.txt")
    doc = Doc(client, uri, "httpx>=0.27\ncartesia==2.0.17\n", language="pip-requirements")
    (d,) = await doc.diagnostics()
    assert d.code == "CM305" and d.range.start.line == 1
    (fix,) = [a for a in await doc.actions(d.range) if a.title.startswith("CM305")]
    assert fix.title.endswith("(unsafe)")
    assert await doc.apply(fix) == []
    assert doc.text == "httpx>=0.27\ncartesia>=4.2,<5\n"
    doc.close()


@aio
async def test_a_json_file_gets_no_noqa_action(client):
    uri, path = new_uri("tts.json")
    doc = Doc(client, uri, '{"cartesia": {"model_id": "sonic-english"}}\n', language="json")
    (d,) = await doc.diagnostics()
    titles = [a.title for a in await doc.actions(d.range)]
    assert any(t.startswith("CM101: Replace") for t in titles) and not any("noqa" in t for t in titles)
    doc.close()


@aio
async def test_other_files_are_not_checked(client):
    uri, path = new_uri("notes.md")
    Doc(client, uri, 'MODEL = "sonic-english"\n', language="markdown")
    uri2, _ = new_uri("after.py")
    doc2 = Doc(client, uri2, APP)
    assert await doc2.diagnostics()  # answered in order: nothing came for the markdown file
    assert not [p for p in client.published if p.uri == uri]
    doc2.close()


# ---- configuration, broken files ------------------------------------------------------------

@aio
async def test_the_documents_pyproject_configuration_applies(client):
    uri, path = new_uri("app.py")
    project = os.path.dirname(path)
    with open(os.path.join(project, "pyproject.toml"), "w", encoding="utf-8") as f:
        f.write('[tool.cartesia-migrate]\nignore = ["CM101"]\n')
    doc = Doc(client, uri, APP)
    assert await doc.diagnostics() == []
    # edited and saved in the editor: read again, open documents checked again
    with open(os.path.join(project, "pyproject.toml"), "w", encoding="utf-8") as f:
        f.write('[tool.cartesia-migrate]\nignore = ["CM105"]\n')
    n = len([p for p in client.published if p.uri == uri])
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=f"file://{project}/pyproject.toml")))
    fut = asyncio.get_running_loop().create_future()
    client.waiters.append((lambda p: p.uri == uri and len([q for q in client.published if q.uri == uri]) > n, fut))
    p = await asyncio.wait_for(fut, WAIT)
    assert [d.code for d in p.diagnostics] == ["CM101"]
    doc.close()


@aio
async def test_a_file_that_does_not_parse_gives_one_log_line_not_a_crash(client):
    uri, path = new_uri("broken.py")
    n = len(client.log_messages)
    doc = Doc(client, uri, APP + "def broken(:\n")
    assert await doc.diagnostics() == []
    logs = [m for m in client.log_messages[n:] if path in m.message]
    assert len(logs) == 1 and "\n" not in logs[0].message
    assert logs[0].type in (lsp.MessageType.Warning, lsp.MessageType.Error)
    assert await doc.actions() == []
    # still serving: fixed, the findings come back
    doc.replace_all(APP)
    assert [d.code for d in await doc.diagnostics()] == ["CM101"]
    doc.close()


@aio
async def test_a_bad_configuration_is_a_log_line(client):
    uri, path = new_uri("app.py")
    with open(os.path.join(os.path.dirname(path), "pyproject.toml"), "w", encoding="utf-8") as f:
        f.write('[tool.cartesia-migrate]\nselect = ["XX1"]\n')
    n = len(client.log_messages)
    doc = Doc(client, uri, APP)
    assert await doc.diagnostics() == []
    logs = [m.message for m in client.log_messages[n:] if "pyproject.toml" in m.message]
    assert len(logs) == 1 and "XX1" in logs[0]
    doc.close()


@aio
async def test_models_source_is_logged_once_at_start(client):
    starts = [m.message for m in client.log_messages if "models:" in m.message]
    assert len(starts) == 1 and "bundled" in starts[0]


# ---- in process: debounce and stale requests, deterministically ------------------------------

from cartesia_migrate import server as srv  # noqa: E402
from cartesia_migrate.models import bundled  # noqa: E402


class Recorder(srv.Session):
    """A session whose debounce waits for ``gate`` (not the clock) and whose analyses can be held."""

    def __init__(self, **kw):
        import threading

        self.published = []
        self.logged = []
        super().__init__(bundled(), publish=lambda uri, version, d: self.published.append((uri, version, list(d))),
                         log=lambda t, m: self.logged.append(m), **kw)
        self.gate = asyncio.Event()
        self.hold = threading.Event()
        self.hold.set()
        self.started = threading.Event()
        self.analyzed = []

    async def _delay(self, seconds):
        await self.gate.wait()

    def _analyze_sync(self, doc, version, text, generation):
        self.analyzed.append(version)
        self.started.set()
        self.hold.wait()
        return super()._analyze_sync(doc, version, text, generation)


async def until(pred, session):
    while not pred():
        await asyncio.wrap_future(session.executor.submit(lambda: None))  # let the worker finish its queue
        await asyncio.sleep(0)


@aio
async def test_a_change_cancels_the_check_waiting_for_the_previous_one():
    s = Recorder(debounce=1.0)
    doc = s.open("file:///w/app.py", APP, 1, "python")
    await until(lambda: s.published, s)
    assert [v for _u, v, _d in s.published] == [1]
    s.change(doc.uri, 2, [lsp.TextDocumentContentChangeWholeDocument(text=APP.replace("sonic-english", "sonic-2"))])
    first = doc.pending
    s.change(doc.uri, 3, [lsp.TextDocumentContentChangeWholeDocument(text=APP.replace("sonic-english", "sonic-3"))])
    await asyncio.sleep(0)
    assert first.cancelled() and not doc.pending.done()
    s.gate.set()
    await doc.pending
    assert s.analyzed == [1, 3]  # version 2 was never analysed
    assert [v for _u, v, _d in s.published] == [1, 3] and [d.code for d in s.published[-1][2]] == ["CM105"]
    s.shutdown()


@aio
async def test_a_request_made_stale_by_a_change_is_content_modified():
    s = Recorder(debounce=0)
    s.hold.clear()
    doc = s.open("file:///w/stale.py", APP, 1, "python")
    request = asyncio.ensure_future(s.code_actions(doc.uri, lsp.Range(start=lsp.Position(line=0, character=0),
                                                                       end=lsp.Position(line=9, character=0))))
    await asyncio.get_running_loop().run_in_executor(None, s.started.wait)  # version 1 is being analysed
    s.change(doc.uri, 2, [lsp.TextDocumentContentChangeWholeDocument(text=APP + "\n")])
    with pytest.raises(srv.ContentModified):
        await request
    s.hold.set()
    await until(lambda: any(v == 2 for _u, v, _d in s.published), s)
    assert [v for _u, v, _d in s.published] == [2]  # version 1's late result was dropped
    s.shutdown()


@aio
async def test_a_cancelled_request_leaves_the_shared_analysis_running():
    s = Recorder(debounce=0)
    s.hold.clear()
    doc = s.open("file:///w/cancel.py", APP, 1, "python")
    request = asyncio.ensure_future(s.code_actions(doc.uri, lsp.Range(start=lsp.Position(line=0, character=0),
                                                                       end=lsp.Position(line=9, character=0))))
    await asyncio.get_running_loop().run_in_executor(None, s.started.wait)
    request.cancel()  # what pygls does on $/cancelRequest
    with pytest.raises(asyncio.CancelledError):
        await request
    s.hold.set()
    await until(lambda: s.published, s)
    assert [(v, [d.code for d in diags]) for _u, v, diags in s.published] == [(1, ["CM101"])]
    actions = await s.code_actions(doc.uri, lsp.Range(start=lsp.Position(line=3, character=0),
                                                      end=lsp.Position(line=3, character=30)))
    assert [a.title for a in actions][:1] == ["CM101: Replace 'sonic-english' with 'sonic-3.6-2026-08-27'"]
    assert s.analyzed == [1]  # answered from the analysis already made
    s.shutdown()


# ---- in process: positions, edits, noqa ----------------------------------------------------------

def test_lines_break_where_the_protocol_says():
    text = "a\x0cb\r\nc\rd\u2028e\nf"  # form feed and U+2028 are not line breaks in LSP
    m = srv.LineMap(text)
    assert m.starts == [0, 5, 7, 11]
    assert m.position(text.index("e")) == lsp.Position(line=2, character=2)
    assert m.offset(lsp.Position(line=2, character=2)) == text.index("e")
    assert m.offset(lsp.Position(line=0, character=99)) == 3  # past the end of the line: its end
    assert m.offset(lsp.Position(line=9, character=0)) == len(text)


@pytest.mark.parametrize("encoding, column", [("utf-16", 4), ("utf-8", 8), ("utf-32", 2)])
def test_columns_in_each_encoding(encoding, column):
    text = "\U0001F399\U0001F399x\n"
    m = srv.LineMap(text, encoding)
    assert m.position(2) == lsp.Position(line=0, character=column)
    assert m.offset(lsp.Position(line=0, character=column)) == 2


def test_incremental_change_and_whole_text_edit():
    text = "one\r\ntwo\r\nthree\r\n"
    rng = lsp.Range(start=lsp.Position(line=1, character=1), end=lsp.Position(line=2, character=2))
    assert srv.apply_change(text, lsp.TextDocumentContentChangePartial(range=rng, text="X")) == "one\r\ntXree\r\n"
    new = "one\r\nTWO\r\nthree\r\n"
    e = srv.whole_text_edit(text, new)
    assert (e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character) == (1, 0, 2, 0)
    assert e.new_text == "TWO\r\n" and srv.whole_text_edit(text, text) is None


def _finding(text, needle, code="CM101", path="x.py"):
    (f,) = [f for f in check_source(text, path) if f.code == code and needle in text.splitlines()[f.location[0] - 1]]
    return f


def test_noqa_goes_after_an_existing_comment_and_never_inside_a_string():
    text = APP.replace('MODEL = "sonic-english"', 'MODEL = "sonic-english"  # the model')
    s, e, new = srv.noqa_edit(text, _finding(text, "MODEL"), "python")
    fixed = text[:s] + new + text[e:]
    assert 'MODEL = "sonic-english"  # the model  # noqa: CM101\n' in fixed and check_source(fixed, "x.py") == []
    # "# noqa: X1" inside a string is not a comment: the suppression goes at the end of the line
    text = APP.replace('MODEL = "sonic-english"', 'MODEL, S = "sonic-english", "# noqa: X1"')
    s, e, new = srv.noqa_edit(text, _finding(text, "MODEL"), "python")
    assert text[:s] + new + text[e:] == text.replace('"# noqa: X1"', '"# noqa: X1"  # noqa: CM101')


def test_noqa_on_a_call_spanning_lines_uses_a_line_that_can_hold_a_comment():
    text = ("from cartesia import Cartesia\nclient = Cartesia(api_key=KEY)\n"
            'client.tts.bytes(model_id="sonic-3", transcript="""a\nb""",\n    voice="v")\n')
    f = _finding(text, "client.tts", code="CM401")
    s, e, new = srv.noqa_edit(text, f, "python")
    fixed = text[:s] + new + text[e:]
    assert "CM401" not in [x.code for x in check_source(fixed, "x.py")]
    compile(fixed, "x.py", "exec")


def test_fast_commands_and_check_do_not_import_pygls(tmp_path):
    import subprocess

    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    code = ("import sys\nfrom click.testing import CliRunner\nfrom cartesia_migrate.cli import main\n"
            "for args in (['--version'], ['rules'], ['explain', 'CM101'], ['check', '--no-cache', %r]):\n"
            "    CliRunner().invoke(main, args)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))\n"
            % str(tmp_path / "app.py"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_server_without_pygls_says_how_to_install_it():
    import subprocess

    code = ("import sys\nsys.modules['pygls'] = None\nfrom cartesia_migrate.cli import main\n"
            "main(['server'])\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert p.returncode == 2 and "pip install 'cartesia-migrate[lsp]'" in p.stderr and p.stdout == ""


def test_deprecated_codes_are_catalogue_codes():
    from cartesia_migrate import catalog

    assert srv.DEPRECATED_CODES <= set(catalog.CATALOG)
    assert {"CM101", "CM401"} <= srv.DEPRECATED_CODES and not {"CM105", "CM201", "CM204"} & srv.DEPRECATED_CODES


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "cartesia_migrate", "server"],
                              server_env=_env(), client_factory=_make_client),
)
async def fresh_client(lsp_client: LanguageClient, tmp_path_factory):
    global WORKSPACE
    WORKSPACE = WORKSPACE or str(tmp_path_factory.mktemp("lsp"))
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("neovim"),
                                                             root_uri=f"file://{WORKSPACE}"))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_a_config_file_opened_first_is_checked(fresh_client):
    # the server's first document, while the worker thread still loads the rules: its kind is known
    uri, path = new_uri(".env")
    doc = Doc(fresh_client, uri, "CARTESIA_MODEL_ID=sonic-english\n", language="sh")
    (d,) = await doc.diagnostics()
    assert d.code == "CM101" and d.range.start.line == 0
    # neovim's capabilities: edits as `changes` (no versioned documentChanges), UTF-16 columns
    (fix,) = [a for a in await doc.actions(d.range) if a.title.startswith("CM101")]
    assert fix.edit.changes and await doc.apply(fix) == []
    doc.close()


def test_the_session_knows_every_file_kind_before_its_worker_starts():
    import subprocess

    code = ("from cartesia_migrate import filetypes\nfrom cartesia_migrate.server import Session\n"
            "from cartesia_migrate.models import bundled\n"
            "s = Session(bundled())\n"
            "print(sorted({k for k, _ in filetypes._EXTRA_KINDS}))\ns.shutdown()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert {"config", "requirements", "pyproject", "setup-cfg"} <= set(eval(out))
