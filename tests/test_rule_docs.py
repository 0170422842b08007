"""Every rule's doc is executed: Example fires exactly where marked, fix gives Use instead."""
import pytest

from cartesia_migrate import catalog
from cartesia_migrate.config import Settings
from cartesia_migrate.docs import load_doc, parse_doc
from cartesia_migrate.engine import check_source, fix_source
from cartesia_migrate.registry import rule_classes

IMPLEMENTED = sorted(rule_classes())


def test_some_rules_are_implemented():
    assert {"CM101", "CM201", "CM204"} <= set(IMPLEMENTED)


@pytest.mark.parametrize("code", IMPLEMENTED)
def test_doc_matches_catalog(code):
    text = load_doc(code)
    assert text is not None, "rules/%s.md is missing" % code
    doc = parse_doc(text, code)
    info = catalog.get(code)
    assert (doc.code, doc.name) == (info.code, info.name)
    assert "**Fix:** %s" % info.fix in text


@pytest.mark.parametrize("code", IMPLEMENTED)
def test_doc_examples_execute(code):
    doc = parse_doc(load_doc(code), code)
    info = catalog.get(code)
    settings = doc.settings((code,))
    path = doc.filename
    found = {(f.location[0], f.code) for f in check_source(doc.example, path, settings)}
    assert found == doc.expected, "Example findings differ from the # [CMnnn] markers"
    assert not [f for f in check_source(doc.use_instead, path, settings)], "Use instead still has findings"
    unsafe = info.fix == catalog.UNSAFE
    out, _ = fix_source(doc.example_clean, path, settings, unsafe=unsafe)
    if info.fix == catalog.NONE:
        assert out == doc.example_clean
    else:
        assert out == doc.use_instead
        again, _ = fix_source(out, path, settings, unsafe=unsafe)
        assert again == out


@pytest.mark.parametrize("code", IMPLEMENTED)
def test_explain_prints_doc(code, cli):
    r = cli("explain", code.lower())
    assert r.code == 0
    assert r.out.startswith("# %s %s" % (code, catalog.get(code).name))


def test_unsafe_fix_needs_flag():
    doc = parse_doc(load_doc("CM201"), "CM201")
    out, left = fix_source(doc.example_clean, "app.py", Settings(select=("CM201",)), unsafe=False)
    assert out == doc.example_clean and len(left) == len(doc.expected)
