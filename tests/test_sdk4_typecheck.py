"""The proof of the CM4xx codemods: legacy programs type-check against the real cartesia 4.2.0 after ``fix``.

For the programs under tests/fixtures/sdk_legacy/ (1.x, 2.x and 3.x call shapes), on a
copy: mypy (``--enable-error-code deprecated``) against the installed, typed cartesia
4.2.0 reports import-not-found / attr-defined / call-arg / arg-type / deprecated errors;
``cartesia-migrate fix --unsafe-fixes`` runs; mypy then reports none of them in the
fully fixable programs, and in the ``*_manual.py`` ones only inside statements that still
carry a finding, whose message gives the new shape (``# left: CMnnn <text>`` markers).
mypy runs once per phase over all programs, with one cache directory under tmp.
"""

import ast
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from .conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "sdk_legacy"
PROGRAMS = sorted(p.name for p in FIXTURES.glob("v*.py"))
MANUAL = [p for p in PROGRAMS if p.endswith("_manual.py")]
FIXABLE = [p for p in PROGRAMS if p not in MANUAL]
ASSERTED = {"import-not-found", "attr-defined", "call-arg", "arg-type", "deprecated"}
MYPY_LINE = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: (?P<msg>.*?)  \[(?P<code>[a-z-]+)\]$")
MARKER = re.compile(r"# left: (?P<code>CM\d{3}) (?P<text>.+?)\s*$")

#: errors the issue names, which mypy must report before the fix (file, code, text in the message)
EXPECTED_BEFORE = [
    ("v1_batch.py", "call-arg", 'Unexpected keyword argument "voice_id" for "bytes"'),
    ("v1_batch.py", "deprecated", "bytes() is deprecated; use .generate() instead"),
    (
        "v1_batch.py",
        "arg-type",
        'Argument 1 to "write" of "BufferedWriter" has incompatible type "Iterator[bytes]"',
    ),
    ("v2_sync.py", "call-arg", 'Unexpected keyword argument "httpx_client" for "Cartesia"'),
    ("v2_sync.py", "call-arg", 'Unexpected keyword argument "environment" for "Cartesia"'),
    ("v2_sync.py", "import-not-found", '"cartesia.tts"'),
    ("v2_sync.py", "attr-defined", 'Module "cartesia" has no attribute "OutputFormat_RawParams"'),
    ("v2_sync.py", "arg-type", 'Argument "voice" to "bytes" of "TTSResource" has incompatible type'),
    ("v2_sync.py", "attr-defined", '"Cartesia" has no attribute "auth"'),
    ("v2_sync.py", "attr-defined", '"Cartesia" has no attribute "api_status"'),
    ("v2_sync.py", "attr-defined", '"Cartesia" has no attribute "infill"'),
    ("v2_sync.py", "attr-defined", '"VoiceChangerResource" has no attribute "bytes"'),
    ("v2_sync.py", "call-arg", 'Unexpected keyword argument "request_options"'),
    ("v2_sync.py", "call-arg", 'Unexpected keyword argument "mode" for "clone"'),
    ("v2_async.py", "attr-defined", '"AsyncCartesia" has no attribute "auth"'),
    ("v2_async.py", "attr-defined", 'has no attribute "__aiter__" (not async iterable)'),
    ("v3_sync.py", "deprecated", "change_voice_sse() is deprecated"),
    ("v3_sync.py", "arg-type", 'Argument "voice" to "generate" of "TTSResource" has incompatible type'),
]


def run_mypy(folder: Path, cache: Path):
    """{file name: [(line, code, message)]} of one mypy run over every program in ``folder``."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--enable-error-code",
            "deprecated",
            "--check-untyped-defs",
            "--show-error-codes",
            "--no-error-summary",
            "--no-pretty",
            "--hide-error-context",
            "--no-color-output",
            "--cache-dir",
            str(cache),
            *PROGRAMS,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    errors = defaultdict(list)
    for line in proc.stdout.splitlines():
        m = MYPY_LINE.match(line)
        if m:
            errors[Path(m["file"]).name].append((int(m["line"]), m["code"], m["msg"]))
    return errors


@pytest.fixture(scope="module")
def phases(tmp_path_factory):
    assert importlib.metadata.version("cartesia") == "4.2.0", "the test extra pins cartesia==4.2.0"
    work = tmp_path_factory.mktemp("sdk4")
    cache = work / "mypy-cache"
    before, after = work / "before", work / "after"
    shutil.copytree(FIXTURES, before)
    shutil.copytree(FIXTURES, after)
    errors_before = run_mypy(before, cache)
    fix = run_cli(
        "fix", "--unsafe-fixes", "--offline", "--no-cache", "--output-format", "json", ".", cwd=after
    )
    assert fix.code in (0, 1), fix.err
    again = run_cli("fix", "--unsafe-fixes", "--offline", "--no-cache", "--diff", ".", cwd=after)
    errors_after = run_mypy(after, cache)
    remaining = defaultdict(list)
    for f in json.loads(fix.out):
        remaining[Path(f["filename"]).name].append(f)
    return {
        "before": errors_before,
        "after": errors_after,
        "remaining": remaining,
        "dir": after,
        "again": again,
    }


def asserted(errors):
    return [e for e in errors if e[1] in ASSERTED]


@pytest.mark.parametrize("name", PROGRAMS)
def test_mypy_reports_the_legacy_shapes_before_the_fix(phases, name):
    assert asserted(phases["before"][name]), "%s type-checks against 4.2.0 already: it proves nothing" % name


@pytest.mark.parametrize("name,code,text", EXPECTED_BEFORE)
def test_mypy_reports_the_errors_the_issue_names(phases, name, code, text):
    assert any(c == code and text in msg for _, c, msg in phases["before"][name]), phases["before"][name]


@pytest.mark.parametrize("name", FIXABLE)
def test_fixable_programs_type_check_against_4_2_after_the_fix(phases, name):
    assert not asserted(phases["after"][name]), (phases["dir"] / name).read_text()
    assert not phases["remaining"][name], [f["message"] for f in phases["remaining"][name]]
    assert (phases["dir"] / name).read_text() != (FIXTURES / name).read_text()


@pytest.mark.parametrize("name", MANUAL)
def test_what_is_left_for_a_human_is_reported_with_the_new_shape(phases, name):
    fixed = (phases["dir"] / name).read_text()
    markers = {}
    for i, line in enumerate(fixed.splitlines(), start=1):
        m = MARKER.search(line)
        if m:
            markers[i] = (m["code"], m["text"])
    assert markers
    findings = phases["remaining"][name]
    by_line = defaultdict(list)
    for f in findings:
        by_line[f["location"]["row"]].append(f)
    for row, (code, text) in markers.items():
        assert any(f["code"] == code and text in f["message"] for f in by_line[row]), (
            "line %d: no %s finding saying %r: %s" % (row, code, text, [f["message"] for f in by_line[row]])
        )
    unmarked = [f for f in findings if f["location"]["row"] not in markers]
    assert not unmarked, [(f["location"]["row"], f["code"], f["message"]) for f in unmarked]
    # every type error left sits in a statement that still carries a finding
    spans = _statement_spans(fixed, {f["location"]["row"] for f in findings})
    for line, code, msg in asserted(phases["after"][name]):
        assert any(a <= line <= b for a, b in spans), "%s:%d: [%s] %s is not reported" % (
            name,
            line,
            code,
            msg,
        )


def test_the_fix_is_complete_in_one_run(phases):
    assert phases["again"].code in (0, 1) and not phases["again"].out.strip()


def test_fixed_programs_parse(phases):
    for name in PROGRAMS:
        ast.parse((phases["dir"] / name).read_text())


def _statement_spans(text, rows):
    """(first, last) lines of the innermost simple statements / compound headers holding ``rows``."""
    spans = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.stmt):
            continue
        last = node.end_lineno
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:  # a compound statement: its header only
            last = body[0].lineno - 1
        if any(node.lineno <= r <= last for r in rows):
            spans.append((node.lineno, last))
    return spans
