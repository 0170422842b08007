"""Every rule's ``PREFILTER`` is a necessary condition: with or without it, the same findings.

``registry.applicable`` runs a rule on a file only when the file's bytes match the rule's
``PREFILTER`` (see ``cartesia_migrate/rules/_prefilter.py``), and a file no rule is
applicable to is never parsed.  A prefilter that is a heuristic silently hides findings,
so every finding of a large corpus must be found with the prefilters and without them
(``registry.rule_filter`` returning None: every rule runs on every gated file).

The corpus: every multi-line string constant of the tests that is a Python program, every
rule doc (Example and Use instead), the SDK fixtures, the bundled examples, benchmark-generated
files, every file of the installed ``cartesia`` SDK (the files the sparse benchmark gates in by
their path), the fixed output of each of those, and ``TRICKY``: programs where a rule fires
only through what a naive token list misses (escapes, implicit concatenations, text split over
``+``, non-ASCII letters that ``re.I`` / ``str.lower()`` equate with i, s and k).  The corpus
must produce findings of every implemented Python rule, so this test cannot pass vacuously.
"""
import pathlib
import re

import pytest

from cartesia_migrate import catalog, models, registry
from cartesia_migrate.config import Settings
from cartesia_migrate.engine import check_source, fix_source

from . import corpus

PVC = "a0e99841-438c-4a64-b679-ae501e7d6091"  # a voice the settings below call a Pro Voice Clone
SETTINGS = Settings(pvc_voices=((PVC, "sonic-3-2026-01-12"),))
HEAD = "import os\nfrom cartesia import Cartesia\n\nclient = Cartesia(api_key=os.environ[\"CARTESIA_API_KEY\"])\n"

#: (code that must fire, path, program): each fires only through an alternative of its rule's
#: PREFILTER that a list of plain tokens would not have
TRICKY = [
    # an escape spells the discontinued model ID (CM101 reads evaluated literals)
    ("CM101", "app.py", HEAD + 'client.tts.generate(model_id="upbeat-moo\\x6e", transcript="hi", voice=V)\n'),
    # a provider-prefixed ink model (the old CM106 token "ink- missed it)
    ("CM106", "app.py", HEAD + 'client.stt.transcribe(file=f, model="cartesia/ink-whisper-2024-01-01")\n'),
    # a key split over two literals, its prefix escaped: no "sk_car_" in the bytes
    ("CM201", "app.py", '"""Cartesia."""\nKEY = ("\\x73k_car_9fQ2" "mX4tLp8sRw1vZk3bNq")\n'),
    # the key's name escaped (a path names Cartesia: the file passes the gate)
    ("CM202", "cartesia_app/app.py", 'import os\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\n\n\n'
     '@app.route("/config")\ndef config():\n    return jsonify(key=os.getenv("\\x43ARTESIA_API_KEY"))\n'),
    # the Kelvin sign is a k for str.lower(): CARTESIA_API_KEY
    ("CM202", "app.py", 'import os\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\n\n\n'
     '@app.route("/config")\ndef config():\n    return jsonify(key=os.getenv("CARTESIA_API_\u212aEY"))\n'),
    # JavaScript "const k =" split over "+": only the last literal starts with the rest
    ("CM202", "app.py", 'import os\n\nKEY = os.environ["CARTESIA_API_KEY"]\nHTML = "<p>hi" if False else '
     '"const" + " k = " + KEY\n'),
    # api_key= split over "+" (the literal with "=" starts with the rest)
    ("CM203", "app.py", 'import cartesia\nURL = "wss://api.cartesia.ai/tts/websocket?api_" + "key=" + KEY\n'),
    # the Kelvin sign again: "api_\u212aey=".lower() is "api_key="
    ("CM203", "app.py", 'import cartesia\nURL = "wss://api.cartesia.ai/tts/websocket?api_\u212aey=" + KEY\n'),
    # a dotless i matches i under re.I
    ("CM204", "app.py", 'import cartesia\nURL = "http://api.cartes\u0131a.ai/tts/bytes"\n'),
    # the payload key escaped
    ("CM205", "app.py", HEAD + 'params = {"\\x65xpires_in": 7200}\ntoken = client.access_token.create(**params)\n'),
    # "error" escaped everywhere, the WebSocket context spelled with a long s
    ("CM301", "app.py", 'import json\n# Cartesia: wss://api.cartesia.ai/tts/web\u017focket\n\n\ndef on_message(raw):\n'
     '    msg = json.loads(raw)\n    if msg["type"] == "\\x65rror":\n        print(msg.get("\\x65rror"))\n'),
    # the host escaped
    ("CM303", "app.py", 'import httpx\n# Cartesia\nr = httpx.post("https://api.cartesi\\x61.ai/tts/bytes", json={})\n'),
    # the header name split over an implicit concatenation
    ("CM304", "app.py", 'import httpx\n# Cartesia\nHEADERS = {"Cartesia-" "Version": "2024-06-10"}\n'),
    # a dotless i in the header name (re.I)
    ("CM304", "app.py", 'import httpx\n# Cartesia\nHEADERS = {"Cartes\u0131a-Version": "2024-06-10"}\n'),
    # setup.py only (PATH_PREFILTER)
    ("CM305", "setup.py", 'from setuptools import setup\n\nsetup(name="app", install_requires=["cartesia==2.0.17"])\n'),
    # the "voice" key of a WebSocket event split over an implicit concatenation
    ("CM404", "app.py", HEAD + 'with client.tts.websocket_connect() as conn:\n'
     '    conn.send({"model_id": M, "vo" "ice": {"mode": "id", "id": VOICE_ID}, "transcript": "hi"})\n'),
    # a client known only from an escaped string annotation: no client class name in the bytes
    ("CM405", "app.py", 'import cartesia\n\n\ndef speak(c: "cartesia.Cart\\x65sia"):\n    return c.tts.generate('
     'model_id=M, transcript="hi", voice=V, request_options={"timeout_in_seconds": 5})\n'),
    # "__experimental_controls" split inside "experimental"
    ("CM411", "app.py", HEAD + 'client.tts.generate(model_id=M, transcript="hi", '
     'voice={"mode": "id", "id": VOICE_ID, "__exper" "imental_controls": {"speed": "fast"}})\n'),
]


def _path_for(text: str) -> str:
    """A path under which the text passes the gate (a path naming Cartesia gives context)."""
    return "app.py" if "cartesia" in text.lower() or "sk_car_" in text.lower() else "cartesia_app/app.py"


def _with_paths(name, text):
    """The text as an application file, and as the files some rules treat apart."""
    out = [(name, _path_for(text), text)]
    if "setup(" in text:
        out.append((name, "setup.py", text))  # CM305 reads setup.py only
    if "sk_car_" in text:
        out.append((name, "tests/test_app.py", text))  # CM201/CM202: the stricter bar of test files
    return out


def _test_programs():
    out = []
    for name, text in corpus.suite_programs(skip=("test_prefilters.py",)):
        out += _with_paths(name, text)
    return out


def _sdk_files():
    import cartesia

    base = pathlib.Path(cartesia.__file__).parent
    return [("sdk", "cartesia/" + p.relative_to(base).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted(base.rglob("*.py"))]


def _corpus():
    texts = _test_programs() + corpus.doc_programs()
    for name, text in corpus.file_programs("tests/fixtures", "examples"):
        texts += _with_paths(name, text)
    texts += [(name, "app.py", text) for name, text in corpus.dense_programs(6, seed=11)]
    texts += _sdk_files()
    texts += [(code, path, text) for code, path, text in TRICKY]
    return texts


def _findings(path, text, m):
    try:
        found = check_source(text, path, SETTINGS, models=m)
    except Exception as e:  # a program the engine refuses: refused alike with and without prefilters
        return type(e).__name__
    return [(f.code, f.location, f.end_location, f.message, f.fix) for f in found]


def test_prefilters_are_necessary_conditions(monkeypatch):
    m = models.bundled()
    corpus = _corpus()
    # the fixed programs too (what a second check run sees)
    for name, path, text in list(corpus):
        if _findings(path, text, m):
            try:
                out, _ = fix_source(text, path, SETTINGS, models=m, unsafe=True)
            except Exception:
                continue
            if out != text:
                corpus.append((name + " (fixed)", path, out))
    filtered = [_findings(path, text, m) for _, path, text in corpus]
    classes = registry.select(SETTINGS.enabled_codes())
    unparsed = sum(1 for _, path, text in corpus if not registry.applicable(classes, text.encode("utf-8"), path.encode()))
    monkeypatch.setattr(registry, "rule_filter", lambda cls: None)
    for (name, path, text), got in zip(corpus, filtered):
        assert got == _findings(path, text, m), "%s (%s): the prefilters hide findings" % (name, path)
    # not vacuous: every rule fires somewhere, and many programs are not parsed at all
    fired = {f[0] for found in filtered if isinstance(found, list) for f in found}
    python_rules = {c.CODE for c in registry.select(catalog.implemented_codes())}
    assert python_rules <= fired, sorted(python_rules - fired)
    assert sum(len(found) for found in filtered if isinstance(found, list)) > 500
    assert unparsed > len(corpus) // 5, (unparsed, len(corpus))


@pytest.mark.parametrize("code,path,text", TRICKY, ids=["%s-%d" % (t[0], i) for i, t in enumerate(TRICKY)])
def test_tricky_programs_fire(code, path, text):
    """Each TRICKY program really depends on what it is there for: the rule fires."""
    assert code in {f.code for f in check_source(text, path, SETTINGS, models=models.bundled())}


def _checks():
    """Every compiled pattern of every rule's prefilter."""
    out = set()

    def walk(c):
        if isinstance(c, registry._AnyCheck):
            for sub in c.checks:
                walk(sub)
        else:
            out.add(c)

    for cls in registry.rule_classes().values():
        f = registry.rule_filter(cls)
        if f is None:
            continue
        if f._any is not None:
            walk(f._any)
        for conj in f._all:
            for c in conj:
                walk(c)
    return sorted(out, key=lambda c: c.regex.pattern)


def test_pattern_hints_and_lower_case_mode_are_exact():
    """A pattern's literal hints hold wherever its regex matches, and a pattern run on the
    lower-cased bytes without re.I matches where it matches the bytes with re.I."""
    texts = [t for _, _, t in _corpus()]
    datas = [t.encode("utf-8") for t in texts] + [t.encode("latin-1", "replace") for t in texts[-len(TRICKY):]]
    checks = _checks()
    assert any(c.hints for c in checks) and any(c.lower for c in checks)
    for data in datas:
        low = data.lower()
        for c in checks:
            hit = c.regex.search(low if c.lower else data) is not None
            if c.lower:
                assert hit == (re.compile(c.regex.pattern, re.I).search(data) is not None), c.regex.pattern
            if hit and c.hints is not None:
                assert any(all(h in low for h in alt) for alt in c.hints), (c.regex.pattern, c.hints)


SDK_LIKE = '''
"""Cartesia text-to-speech resource (an SDK-internal module: relative imports only)."""
from __future__ import annotations

from typing import Optional

import httpx

from .._resource import SyncAPIResource
from .._types import Body, Headers


class TTSResource(SyncAPIResource):
    """Generate speech with Cartesia voices."""

    def bytes(self, *, transcript: str, voice: dict, model_id: str, extra_headers: Optional[Headers] = None):
        try:
            return self._post("/tts/bytes", body={"transcript": transcript, "voice": voice, "model_id": model_id})
        except ValueError as e:
            raise RuntimeError(str(e)) from e

    def websocket(self, *, language: Optional[str] = None, locale: Optional[str] = None):
        return self._client.websocket(language=language, locale=locale)
'''


def test_sdk_internal_files_are_not_parsed():
    """What made the sparse tree expensive: the SDK's own modules name every method the CM4xx
    rules look for, but without an import of ``cartesia`` nothing can resolve to a client."""
    classes = registry.select(catalog.implemented_codes())
    assert registry.applicable(classes, SDK_LIKE.encode(), b"site-packages/cartesia/resources/tts.py") == []
    sdk = _sdk_files()
    parsed = [path for _, path, text in sdk if registry.applicable(classes, text.encode("utf-8"), path.encode())]
    assert len(parsed) < len(sdk) // 3, parsed


def test_files_in_other_encodings(tmp_path, monkeypatch):
    """The prefilters see UTF-8 whatever the file's encoding: a dotless i written in cp1254
    (one byte, 0xFD) is still a dotless i for CM204's case-insensitive host match."""
    from cartesia_migrate.config import Overrides
    from cartesia_migrate.engine import check_paths

    p = tmp_path / "app.py"
    p.write_bytes('# -*- coding: cp1254 -*-\nimport cartesia\nURL = "http://api.cartes\u0131a.ai/tts/bytes"\n'
                  .encode("cp1254"))

    def codes():
        run = check_paths([str(p)], overrides=Overrides(offline=True), use_cache=False, jobs=1)
        assert not run.errors
        return sorted(f.code for r in run.results for f in r.findings)

    assert codes() == ["CM204"]
    monkeypatch.setattr(registry, "rule_filter", lambda cls: None)
    assert codes() == ["CM204"]


def test_path_prefilter():
    cls = registry.rule_classes()["CM305"]
    f = registry.rule_filter(cls)
    data = b'setup(install_requires=["cartesia==2.0.17"])'
    assert f.match(data, b"setup.py") and f.match(data, b"pkg/setup.py") and f.match(data, b"pkg\\setup.py")
    assert not f.match(data, b"app.py") and not f.match(data, b"my_setup.py") and not f.match(data, b"setup.py.bak")
    # data patterns are matched against the data only: a path naming Cartesia is context, not code
    assert not f.match(b"x = 1", b"cartesia/setup.py")
