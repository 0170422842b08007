"""``fix`` analyses the fixed text again only when it must (see ``engine.fix_text``).

The fast path (first pass applied every applicable fix, no edit touched a finding left
over: CPython compiles the output and the findings left are moved past the edits) must
give exactly what analysing every pass's output again gives.  The corpus: every test
program of tests/rules, every rule doc, the SDK fixtures, the bundled examples and
benchmark-generated files; safe and unsafe fixes.
"""
import re
from dataclasses import replace

import pytest

from cartesia_migrate import engine, models
from cartesia_migrate.config import Settings
from cartesia_migrate.io import InputError, Source

from . import corpus


def _corpus():
    texts = [(name, text) for name, text in corpus.suite_programs("tests/rules")
             if "cartesia" in text.lower() or "sonic" in text]
    texts += [(code, text) for code, _, text in corpus.doc_programs()]
    texts += corpus.file_programs("tests/fixtures/sdk_legacy", "examples")
    return texts + corpus.dense_programs(12, seed=7)


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
