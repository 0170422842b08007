"""``fix`` analyses the fixed text again only when it must (see ``engine.fix_text``).

The fast path (first pass applied every applicable fix, no edit touched a finding left
over: CPython compiles the output and the findings left are moved past the edits) must
give exactly what analysing every pass's output again gives.  The corpus: every test
program of tests/rules, every rule doc, the SDK fixtures, the bundled examples and
benchmark-generated files; safe and unsafe fixes.
"""
import ast
import pathlib
import random
import re
import sys
import textwrap
from dataclasses import replace

import pytest

from cartesia_migrate import catalog, engine, models
from cartesia_migrate.config import Settings
from cartesia_migrate.docs import load_doc, parse_doc
from cartesia_migrate.io import InputError, Source

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _test_programs():
    """The string constants of the rule tests that look like Cartesia programs."""
    out = []
    for p in sorted((ROOT / "tests" / "rules").glob("test_cm*.py")):
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\n" in node.value:
                text = textwrap.dedent(node.value)
                if "cartesia" in text.lower() or "sonic" in text:
                    try:
                        compile(text, "<t>", "exec", dont_inherit=True)
                    except SyntaxError:
                        continue
                    out.append((p.name, text))
    return out


def _corpus():
    texts = _test_programs()
    for code in catalog.implemented_codes():
        doc = parse_doc(load_doc(code), code)
        texts += [(code, doc.example_clean), (code, doc.use_instead)]
    for d in ("tests/fixtures/sdk_legacy", "examples"):
        for p in sorted((ROOT / d).rglob("*.py")):
            texts.append((p.name, p.read_text()))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import gen_dense
    finally:
        sys.path.pop(0)
    rng = random.Random(7)
    texts += [("dense%d" % i, gen_dense.make_file(i, rng)) for i in range(12)]
    return texts


CORPUS = _corpus()


def _view(findings):
    return [(f.code, f.location, f.end_location, f.message, f.noqa_row, f.fingerprint, f.fix)
            for f in sorted(findings, key=lambda f: (f.location, f.code, f.message))]


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fast_path_equals_analysing_every_pass(unsafe, monkeypatch):
    settings = Settings()
    m = models.bundled()
    codes = settings.enabled_codes()
    handler = engine.HANDLERS["python"]
    validated = []
    real_validate = handler.validate
    monkeypatch.setattr(handler, "validate", lambda text: validated.append(1) or real_validate(text))
    fast_taken = changed = 0
    for name, text in CORPUS:
        src = Source("app.py", b"", text, "utf-8", False, "\n")
        del validated[:]
        try:
            fast = engine.fix_text(src, settings, m, codes, unsafe, handler)
        except InputError as e:  # a test program of a syntax error: both paths refuse it alike
            with pytest.raises(InputError, match=re.escape(str(e))):
                engine.fix_text(replace(src), settings, m, codes, unsafe, handler, verify=True)
            continue
        fast_validations = len(validated)
        slow = engine.fix_text(replace(src), settings, m, codes, unsafe, handler, verify=True)
        assert fast[0] == slow[0], name
        assert _view(fast[1]) == _view(slow[1]), name
        assert fast[2] == slow[2], name
        if fast[0] != text:
            changed += 1
            fast_taken += fast_validations == 0
    # the corpus exercises both paths
    assert changed > 80 and changed // 4 < fast_taken < changed, (changed, fast_taken)


def test_positions_from_single_statements_equal_the_whole_pass(monkeypatch):
    """The engine's positions (``positions.spans_in_units``) change no finding."""
    from cartesia_migrate import positions

    settings = Settings()
    real = positions.spans_in_units
    used = []
    def counting(*a):
        found = real(*a)
        used.append(found is not None)
        return found

    monkeypatch.setattr(positions, "spans_in_units", counting)

    def run():
        out = []
        for name, text in CORPUS:
            try:
                out.append(_view(engine.check_source(text, "app.py", settings)))
            except InputError as e:
                out.append(str(e))
        return out

    partial = run()
    answered = sum(used)
    monkeypatch.setattr(positions, "spans_in_units", lambda *a: None)
    assert partial == run()
    assert answered > 150, (answered, len(used))
