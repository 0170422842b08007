"""Property tests (hypothesis + hypothesmith): for any program, ``check`` never crashes, ``fix``
output parses, compiles when the input did, and is a fixed point; a file with no finding
round-trips byte-identical (newlines, BOM, PEP 263 encodings included).

Generated programs never mention Cartesia, and a file that does not is never parsed, so
each one gets ``import cartesia`` (the rules then walk all of it); a second family splices
the legacy code of every rule's documented Example into generated code, at module level or
inside a function or class, so that fixes apply among arbitrary surrounding code.
``max_examples`` stays modest (370 cases, under 30 s); run locally with many more, each family
has passed 1,500 cases (600 for the byte round trip) without a failure.
"""
import codecs
import os
import textwrap
import warnings

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from cartesia_migrate import catalog
from cartesia_migrate.docs import load_doc, parse_doc
from cartesia_migrate.engine import Job, check_source, fix_source, run_job
from cartesia_migrate.io import InputError

# hypothesmith compiles what it generates: "'int' object is not callable" and friends
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

COMMON = dict(deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.data_too_large])
CONTEXT = "import cartesia\n"


def _examples():
    out = []
    for code, info in sorted(catalog.CATALOG.items()):
        text = load_doc(code) if info.implemented else None
        if not text:
            continue
        doc = parse_doc(text, code)
        if doc.filename.endswith(".py"):
            out.append(doc.example_clean)
    return out


EXAMPLES = _examples()
# built once: building a grammar strategy costs about half a second
GRAMMAR = hypothesmith.from_grammar()
NODES = hypothesmith.from_node()
PROGRAMS = st.one_of(GRAMMAR, NODES)


def _compiles(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<generated>", "exec", dont_inherit=True)
            return True
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False


def _check_no_crash(text):
    try:
        return check_source(text, "gen.py")
    except InputError as e:  # a one-line reason: the only failure allowed
        assert "\n" not in str(e)
        return None


def _fix_properties(text, unsafe):
    try:
        new, _remaining = fix_source(text, "gen.py", unsafe=unsafe)
    except InputError as e:
        assert "\n" not in str(e) and "internal error" not in str(e), e
        return None
    cst.parse_module(new)  # the fixed code parses
    if _compiles(text):
        assert _compiles(new), new
    again, _ = fix_source(new, "gen.py", unsafe=unsafe)
    assert again == new  # a fixed point
    return new


# ---- any program ---------------------------------------------------------------------------

@settings(max_examples=100, **COMMON)
@given(GRAMMAR)
def test_any_program_from_the_grammar(source):
    text = source + ("\n" if source and not source.endswith("\n") else "") + CONTEXT
    found = _check_no_crash(text)
    new = _fix_properties(text, unsafe=True)
    if found == [] and new is not None:
        assert new == text  # nothing found: not a byte changes


@settings(max_examples=40, **COMMON)
@given(NODES)
def test_any_program_from_libcst_nodes(source):
    text = CONTEXT + source
    found = _check_no_crash(text)
    new = _fix_properties(text, unsafe=True)
    if found == [] and new is not None:
        assert new == text


# ---- legacy Cartesia code among generated code ------------------------------------------------

def _wrap(code, how):
    if how == "function":
        return "def _wrapped():\n" + textwrap.indent(code, "    ") + "\n    return None\n"
    if how == "class":
        return "class _Wrapped:\n" + textwrap.indent(code, "    ") + "\n"
    if how == "if":
        return "if True:\n" + textwrap.indent(code, "    ") + "\n"
    return code


@st.composite
def legacy_programs(draw):
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        example = draw(st.sampled_from(EXAMPLES))
        parts.append(_wrap(example, draw(st.sampled_from(["module", "module", "function", "class", "if"]))))
    if draw(st.booleans()):  # one generated program at most: hypothesmith targets once per case
        parts.insert(draw(st.integers(0, len(parts))), draw(PROGRAMS))
    text = "\n".join(p if p.endswith("\n") else p + "\n" for p in parts)
    assume(_compiles(text))
    return text


@settings(max_examples=150, **COMMON)
@given(legacy_programs(), st.booleans())
def test_fixes_among_arbitrary_code(text, unsafe):
    found = _check_no_crash(text)
    assert found is not None  # it compiles: libcst must read it too
    # (wrapped in a class or next to another example, an Example may rightly find nothing:
    # class-level names are not visible in its methods)
    for f in found:  # every location lies inside the file
        rows = text.count("\n") + 1
        assert 1 <= f.location[0] <= f.end_location[0] <= rows
    new = _fix_properties(text, unsafe)
    assert new is not None
    fixable = [f for f in found if f.fix and (unsafe or f.fix.applicability == "safe")]
    if not fixable:
        assert new == text


# ---- bytes on disk ---------------------------------------------------------------------------

@st.composite
def encoded_files(draw):
    source = draw(PROGRAMS)
    text = CONTEXT + source + ("\n" if source and not source.endswith("\n") else "")
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    kind = draw(st.sampled_from(["utf-8", "utf-8-bom", "latin-1"]))
    if kind == "latin-1":
        text = "# -*- coding: latin-1 -*-\n" + text
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            assume(False)
    text = text.replace("\n", newline)
    data = text.encode("latin-1" if kind == "latin-1" else "utf-8")
    return (codecs.BOM_UTF8 + data) if kind == "utf-8-bom" else data


@settings(max_examples=80, **COMMON)
@given(encoded_files())
def test_files_without_findings_round_trip_byte_identical(tmp_path_factory, data):
    from cartesia_migrate.config import Settings
    from cartesia_migrate.discover import Target
    from cartesia_migrate import models

    folder = tmp_path_factory.mktemp("prop")
    path = os.path.join(str(folder), "gen.py")
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, 0o640)
    job = Job(Target(path, "python", str(folder)), Settings(), "fix", unsafe=True)
    result = run_job(job, models.bundled())
    with open(path, "rb") as f:
        after = f.read()
    if result.error is not None:
        assert after == data and "\n" not in result.error.reason
        assert "internal error" not in result.error.reason, result.error.reason
    elif not result.fixed:
        assert after == data
        assert oct(os.stat(path).st_mode & 0o777) == oct(0o640)
    assert os.listdir(str(folder)) == ["gen.py"]
