"""Model knowledge as sourced data and the one successor policy (issue 13).

The first block is one regression test per problem the issue lists (each fails on the code
before the knowledge file); then the policy with lists built by ``models.from_ids`` (no HTTP:
tests/test_models_live.py covers the transport), validation of outside IDs, CM106's bounded
comparisons, the same messages in Python and config files, and what users see (`models`,
`explain`, the stale-knowledge notice).
"""
import ast
import json
import pathlib
import textwrap
import time

import pytest

from cartesia_migrate import models
from cartesia_migrate.config import Settings
from cartesia_migrate.engine import check_source, fix_source
from cartesia_migrate.rules import cm106_unknown_model

from .inproc import invoke

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cartesia_migrate"
HEAD = "import os\n\nfrom cartesia import Cartesia\n\nclient = Cartesia(api_key=os.environ[\"CARTESIA_API_KEY\"])\n"
NEWEST = "sonic-3.6-2026-08-27"
VOICE = "a0e99841-438c-4a64-b679-ae501e7d6091"
CLONE = "6f84f4b8-58a2-430c-8c79-688dad597532"


def src(body):
    return HEAD + textwrap.dedent(body)


def cm1(text, model_list=None, path="app.py", **settings):
    return check_source(text, path, Settings(select=("CM1",), **settings), models=model_list)


def one(text, code, model_list=None, **settings):
    fs = [f for f in cm1(text, model_list, **settings) if f.code == code]
    assert len(fs) == 1, [(f.code, f.message) for f in cm1(text, model_list, **settings)]
    return fs[0]


def fixed(text, model_list=None, unsafe=False, **settings):
    s = Settings(select=("CM1",), **settings)
    out, _ = fix_source(text, "app.py", s, models=model_list, unsafe=unsafe)
    assert fix_source(out, "app.py", s, models=model_list, unsafe=unsafe)[0] == out
    return out


def live(ids, pvc=None, pro=None, source="live"):
    return models.from_ids(ids, source, time.time(), pvc, pro_voices=pro)


def call(model, extra=""):
    return src('client.tts.generate(model_id="%s", transcript="hi", voice="%s"%s)\n' % (model, VOICE, extra))


# =========================================================================================
# the list, one regression test each
# =========================================================================================

def test_sonic_preview_is_a_live_preview_alias_not_discontinued():
    text = call("sonic-preview")
    codes = [f.code for f in cm1(text)]
    assert "CM101" not in codes and codes == ["CM105"]
    f = one(text, "CM105")
    assert f.fix.applicability == "unsafe"
    assert "what 'sonic-preview' points to" in f.message and "inferred" in f.message
    assert fixed(text) == text  # never a silent safe rewrite (the old code wrote a 3.5 snapshot)


@pytest.mark.parametrize("extra", [
    "",
    ', generation_config={"speed": 1.2}',
    ', generation_config={"volume": 0.8}',
    ', speed="slow"',
    ', language="ur"',
    ', language="or"',
])
def test_successor_is_the_newest_stable_family_that_serves_the_call(extra):
    text = call("sonic-english", extra)
    f = one(text, "CM101")
    assert f.fix.applicability == "safe"
    assert f.fix.edits[0].content == '"%s"' % NEWEST
    assert '"%s"' % NEWEST in fixed(text)


def test_successor_family_is_not_written_in_code_a_live_list_decides():
    # a live list with a newer 3.6 snapshot: the fix follows the list (the old code kept sonic-3.5)
    ml = live(["sonic-3.6", "sonic-3.6-2026-08-27", "sonic-3.6-2026-11-30", "sonic-3.5", "sonic-3.5-2026-05-04"])
    assert '"sonic-3.6-2026-11-30"' in fixed(call("sonic-english"), ml)


def test_sonic_3_6_is_known_offline_not_newer_than_the_list():
    for mid in ("sonic-3.6", "sonic-3.6-2026-08-27"):
        assert models.bundled().info(mid) is not None and models.bundled().is_served(mid)
    assert not [f for f in cm1(call("sonic-3.6-2026-08-27")) if f.code in ("CM105", "CM106")]
    # CM105 sees the 3.6 alias and pins it, safely: its snapshot is a sourced fact
    f = one(call("sonic-3.6"), "CM105")
    assert f.fix.applicability == "safe" and f.fix.edits[0].content == '"%s"' % NEWEST


@pytest.mark.parametrize("alias", ["sonic-latest", "sonic-3-latest", "sonic-preview"])
def test_latest_and_preview_aliases_are_pinned_only_unsafely(alias):
    f = one(call(alias), "CM105")
    assert f.fix.applicability == "unsafe"
    assert "what %r points to" % alias in f.message
    assert fixed(call(alias)) == call(alias)
    assert '"%s"' % NEWEST in fixed(call(alias), unsafe=True)


def test_pro_voice_clone_without_a_known_base_gets_no_fix():
    text = src('''\
        PVC_VOICE_ID = "%s"
        a = client.tts.generate(model_id="sonic-3", transcript="x", voice=PVC_VOICE_ID)
        b = client.tts.generate(model_id="sonic-english", transcript="x", voice=PVC_VOICE_ID)
    ''' % CLONE)
    fs = sorted(cm1(text), key=lambda f: f.location)
    assert [f.code for f in fs] == ["CM104", "CM101"]
    for f in fs:
        assert f.fix is None  # the old code wrote sonic-3-2026-01-12 and deactivated 3.6 clones
        assert "pvc-voices" in f.message and "CARTESIA_API_KEY" in f.message
    assert fixed(text, unsafe=True) == text


def test_a_clone_with_a_configured_base_keeps_it():
    pvc = {"pvc_voices": ((CLONE, NEWEST),)}
    text = src('client.tts.generate(model_id="sonic-3", transcript="x", voice="%s")\n' % CLONE)
    assert '"%s"' % NEWEST in fixed(text, **pvc)
    text = src('client.tts.generate(model_id="sonic-english", transcript="x", voice="%s")\n' % CLONE)
    assert '"%s"' % NEWEST in fixed(text, **pvc)


def test_speed_and_volume_are_no_longer_steered_to_an_older_sonic_3():
    out = fixed(call("sonic-multilingual", ', generation_config={"speed": 0.9, "volume": 1.5}'))
    assert NEWEST in out and "sonic-3-2026-01-12" not in out


def test_urdu_and_odia_never_move_to_a_family_without_them():
    ml = live(["sonic-3.5", "sonic-3.5-2026-05-04", "sonic-3", "sonic-3-2026-01-12"])  # no 3.6 on this list
    for lang in ("ur", "or"):
        f = one(call("sonic-english", ', language="%s"' % lang), "CM101", ml)
        assert f.fix is None and "serves language %s" % lang in f.message
    # a language 3.5 serves still gets its fix on that list
    assert '"sonic-3.5-2026-05-04"' in fixed(call("sonic-english", ', language="fr"'), ml)


def test_a_snapshot_whose_sunset_is_an_open_question_is_never_a_safe_target():
    info = models.knowledge()["sonic-3-2025-10-27"]
    q = info.sunset_question
    assert q is not None and q.value == "2026-10-20" and q.confidence == "inferred"
    ml = models.bundled()
    ml.served = ml.served - {"sonic-3-2026-01-12"}
    assert ml.newest_dated("sonic-3") is None  # not the rumoured snapshot
    pvc = {"pvc_voices": ((CLONE, "sonic-3-2025-10-27"),)}
    f = one(src('client.tts.generate(model_id="sonic-3", transcript="x", voice="%s")\n' % CLONE), "CM104", **pvc)
    assert f.fix.applicability == "unsafe" and "open question" in f.message
    # a live list that still serves it settles the question
    ml = live(["sonic-3", "sonic-3-2025-10-27", "sonic-3-2026-01-12"], pvc={CLONE: "sonic-3-2025-10-27"})
    f = one(src('client.tts.generate(model_id="sonic-3", transcript="x", voice="%s")\n' % CLONE), "CM104", ml)
    assert f.fix.applicability == "safe"


WORKING_TODAY = ["sonic-preview", "sonic-latest", "sonic-3-latest", "sonic-3.6", NEWEST, "sonic-3.5",
                 "sonic-3.5-2026-05-04", "sonic-3", "sonic-3-2026-01-12", "sonic-3-2025-10-27", "sonic-2",
                 "sonic-2-2025-06-11", "sonic-turbo", "sonic-turbo-2025-06-04"]


def test_nothing_that_works_today_is_reported_as_discontinued():
    for mid in WORKING_TODAY:
        assert "CM101" not in [f.code for f in cm1(call(mid))], mid
    for mid, info in models.knowledge().items():
        if info.capability != "tts" or info.status == "discontinued":
            continue
        codes = [f.code for f in cm1(call(mid))]
        assert "CM101" not in codes, mid


@pytest.mark.parametrize("mid", ["sonic-lite", "upbeat-moon"])
def test_removal_dates_that_no_source_gives_are_marked_unsourced(mid):
    info = models.knowledge()[mid]
    fact = info.fact("removed_on")
    assert info.removed_on is None and fact.confidence == "inferred" and "unknown" in fact.note
    f = one(call(mid), "CM101")
    assert "2026-06-01" not in f.message and "removal date unknown" in f.message
    assert f.severity == "error"


def test_no_model_id_family_name_or_sonic_literal_in_code():
    """Every model ID, family name and ``sonic-`` spelling lives in knowledge.json only."""
    data = json.loads((PACKAGE / "models" / "knowledge.json").read_text(encoding="utf-8"))
    names = {m["id"] for m in data["models"]} | {f["family"] for f in data["families"]}
    starts = set(data["grammar"]["prefixes"]) | set(data["grammar"]["outside_grammar"])  # byte gates
    hyphenated = [n for n in names if "-" in n]
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, (str, bytes)) \
                    or id(node) in docstrings:
                continue
            v = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
            if v in starts:
                continue
            if "sonic-" in v.lower() or v in names or any(n in v for n in hyphenated):
                bad.append("%s:%d: %r" % (path.relative_to(ROOT), node.lineno, v[:60]))
    assert not bad, "model knowledge in code (move it to models/knowledge.json):\n" + "\n".join(bad)


# =========================================================================================
# the knowledge file
# =========================================================================================

def test_every_fact_has_a_known_source_and_a_confidence():
    data = models.bundled_data()
    sources = set(data["sources"])

    def facts(entry):
        yield entry
        for v in entry.values():
            if isinstance(v, dict) and "value" in v:
                yield v

    entries = data["models"] + data["families"] + [data["successor_order"]] + list(data["sdk_defaults"].values())
    for entry in entries:
        for fact in facts(entry):
            assert fact.get("confidence", entry.get("confidence")) in ("sourced", "inferred"), entry
            src_ids = fact.get("source", entry.get("source"))
            assert src_ids and set(src_ids) <= sources, entry
    assert len({m["id"] for m in data["models"]}) == len(data["models"])
    for m in data["models"]:
        assert models.valid_model_id(m["id"]), m["id"]
        target = m.get("resolves_to")
        if isinstance(target, dict) and target["value"]:
            assert target["value"] in models.knowledge(), m["id"]
    assert data["successor_order"]["value"][0] == "sonic-3.6"


def test_knowledge_ships_in_the_package():
    import importlib.resources

    assert importlib.resources.files("cartesia_migrate.models").joinpath("knowledge.json").is_file()
    assert not (PACKAGE / "models" / "snapshot.json").exists()  # one knowledge file, not two


# =========================================================================================
# the policy, with lists built by from_ids (the live helper tests the HTTP side)
# =========================================================================================

SEVEN = ["sonic-3.7", "sonic-3.7-2026-11-20", "sonic-3.6", "sonic-3.6-2026-08-27", "sonic-3.5",
         "sonic-3.5-2026-05-04", "sonic-3", "sonic-3-2026-01-12"]


def test_a_family_seen_only_live_is_a_target_only_for_calls_that_use_nothing_it_could_lack():
    ml = live(SEVEN)
    assert ml.family_order()[:2] == ["sonic-3.7", "sonic-3.6"]
    f = one(call("sonic-english"), "CM101", ml)
    assert f.fix.edits[0].content == '"sonic-3.7-2026-11-20"'
    assert f.fix.applicability == "unsafe" and "does not describe sonic-3.7" in f.message
    assert fixed(call("sonic-english"), ml) == call("sonic-english")
    for extra in (', language="ur"', ', language="en"', ', generation_config={"speed": 1.1}', ', locale="en-GB"'):
        f = one(call("sonic-english", extra), "CM101", ml)
        assert f.fix.edits[0].content == '"%s"' % NEWEST and f.fix.applicability == "safe", extra


def test_a_live_list_of_aliases_only_falls_back_to_the_knowledge_for_dated_ids():
    ml = live(["sonic-3.6", "sonic-3.5", "sonic-3", "sonic-latest", "sonic-preview"])
    f = one(call("sonic-english"), "CM101", ml)
    assert f.fix.edits[0].content == '"%s"' % NEWEST
    assert "names no dated snapshots" in f.message and "bundled knowledge" in f.message
    f = one(call("sonic-3.5"), "CM105", ml)
    assert f.fix.edits[0].content == '"sonic-3.5-2026-05-04"' and "bundled knowledge" in f.message
    # dated IDs of known families are not "unknown" just because the list names no dated IDs
    for mid in ("sonic-3.6-2026-08-27", "sonic-3.6-2026-12-20", "sonic-3.5-2026-05-04"):
        assert not [x for x in cm1(call(mid), ml) if x.code == "CM106"], mid
    # ... but one the knowledge must know is still judged by it
    assert one(call("sonic-3.5-2026-05-05"), "CM106", ml).fix.edits[0].content == '"sonic-3.5-2026-05-04"'
    # an undated name the list does not hold is unknown (the list holds aliases)
    assert one(call("sonic-3.9"), "CM106", ml)


def test_a_live_list_with_dated_ids_decides_what_is_served():
    ml = live(["sonic-3.5", "sonic-3.5-2026-05-04"])
    f = one(call("sonic-english"), "CM101", ml)
    assert f.fix.edits[0].content == '"sonic-3.5-2026-05-04"'  # 3.6 not served on this account
    assert one(call("sonic-3.5-2026-06-01"), "CM106", ml)


def test_live_pvc_voices_without_a_stated_base_and_pro_voices_get_no_fix():
    text = src('client.tts.generate(model_id="sonic-3.6", transcript="x", voice="%s")\n' % CLONE)
    for ml in (live(SEVEN, pvc={CLONE: None}), live(SEVEN, pro={CLONE})):
        f = one(text, "CM104", ml)
        assert f.fix is None and "pvc-voices" in f.message and "CARTESIA_API_KEY" in f.message
        assert not [x for x in cm1(text, ml) if x.code == "CM105"]
    # a dated model with a clone of unknown base may well be right: nothing to say
    dated = src('client.tts.generate(model_id="%s", transcript="x", voice="%s")\n' % (NEWEST, CLONE))
    assert not cm1(dated, live(SEVEN, pro={CLONE}))
    # a stated base is a fix
    f = one(text, "CM104", live(SEVEN, pvc={CLONE: NEWEST}))
    assert f.fix.applicability == "safe" and f.fix.edits[0].content == '"%s"' % NEWEST


@pytest.mark.parametrize("bad", [
    "sonic-3.5-\u0662\u0660\u0662\u0667-\u0660\u0661-\u0660\u0661",  # Arabic-Indic digits
    "sonic-3.5-\uff12\uff10\uff12\uff17-\uff10\uff11-\uff10\uff11",  # full-width digits
    "sonic-3.5-2027-02-30",  # not a date
    "sonic-" + "9" * 70,  # over the length cap
    "sonic-3.5\x1b[31m-2027-01-01",  # a terminal escape
    "sonic-3.6\n",  # a trailing newline (a `$` anchor would let it through)
])
def test_outside_ids_that_fail_the_ascii_grammar_never_become_targets(bad):
    assert not models.valid_model_id(bad)
    ml = live(["sonic-3.5", "sonic-3.5-2026-05-04", bad])
    assert bad not in ml.served and not ml.is_served(bad)
    assert ml.newest_dated("sonic-3.5") == "sonic-3.5-2026-05-04"
    assert ml.successor().target == "sonic-3.5-2026-05-04"
    assert models.DATED_RE.match(bad) is None or bad.isascii()
    # even a list built by hand never yields it
    hand = models.bundled()
    hand.served = hand.served | {bad}
    assert hand.newest_dated("sonic-3.5") == "sonic-3.5-2026-05-04" and not hand.is_served(bad)


def test_from_ids_validates_pvc_bases():
    ml = live(["sonic-3.6-2026-08-27"], pvc={"a": NEWEST, "b": "sonic-3.6", "c": "sonic-\uff13-2026-01-12", 7: NEWEST})
    assert ml.pvc_voices == {"a": NEWEST, "b": None, "c": None}


# =========================================================================================
# CM106: bounded comparisons
# =========================================================================================

def test_cm106_never_compares_ids_over_the_length_cap(monkeypatch):
    calls = []
    real = cm106_unknown_model.edit_distance

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(cm106_unknown_model, "edit_distance", spy)
    huge = ["sonic-3.5-%s" % (c * 50000) for c in "abcdefghij"] * 30  # 300 IDs of 50k characters
    ml = models.bundled()
    ml.served = ml.served | frozenset(huge)  # as a list read without validation would hold them
    text = call("sonic-3.5-2026-05-05")
    f = one(text, "CM106", ml)
    assert f.fix.edits[0].content == '"sonic-3.5-2026-05-04"'
    assert calls and max(max(c) for c in calls) <= models.MAX_ID_LENGTH
    # a long literal in code is not a model ID at all
    calls.clear()
    assert not cm1(call("sonic-3.5-" + "x" * 50000), ml)
    assert all(max(c) <= models.MAX_ID_LENGTH for c in calls)


def test_cm106_closest_prunes_by_length():
    assert cm106_unknown_model.closest("sonic-3.5-2026-05-05", ["sonic-3.5-2026-05-04", "sonic-3"]) \
        == "sonic-3.5-2026-05-04"
    assert cm106_unknown_model.closest("x" * 100, ["x" * 100]) is None


# =========================================================================================
# one decision in every file kind
# =========================================================================================

@pytest.mark.parametrize("py, env", [
    (call("sonic-2", ', language="it"'), "CARTESIA_MODEL=sonic-2\nCARTESIA_LANGUAGE=it\nCARTESIA_VOICE_ID=%s\n" % VOICE),
    (src('client.tts.generate(model_id="sonic-3", transcript="x", voice="%s")\n' % CLONE),
     "CARTESIA_MODEL=sonic-3\nCARTESIA_VOICE_ID=%s\n" % CLONE),
    (call("sonic-english", ', language="ur"'), "CARTESIA_MODEL=sonic-english\nCARTESIA_LANGUAGE=ur\nCARTESIA_VOICE_ID=%s\n" % VOICE),
    (call("sonic-latest"), "CARTESIA_MODEL=sonic-latest\nCARTESIA_VOICE_ID=%s\n" % VOICE),
    # a voice named as a clone, base unknown: CM104 without a fix in both
    (src('PVC_VOICE_ID = "%s"\nclient.tts.generate(model_id="sonic-3", transcript="x", voice=PVC_VOICE_ID)\n'
         % VOICE), "CARTESIA_MODEL=sonic-3\nPVC_VOICE_ID=%s\n" % VOICE),
    (src('PVC_VOICE_ID = "%s"\nclient.tts.generate(model_id="sonic-2", transcript="x", voice=PVC_VOICE_ID, '
         'language="it")\n' % VOICE), "CARTESIA_MODEL=sonic-2\nPVC_VOICE_ID=%s\nLANGUAGE=it\n" % VOICE),
])
def test_same_message_and_fix_in_env_and_python(py, env):
    for settings in ({}, {"pvc_voices": ((CLONE, NEWEST),)}):
        a = [(f.code, f.message, f.fix.applicability if f.fix else None) for f in cm1(py, **settings)]
        b = [(f.code, f.message, f.fix.applicability if f.fix else None) for f in cm1(env, path=".env", **settings)]
        assert a == b and a


# =========================================================================================
# what users see
# =========================================================================================

def test_models_command_shows_families_order_date_and_sources(tmp_path):
    r = invoke("models", "--offline", "--no-cache", cwd=tmp_path)
    assert r.code == 0, r.err
    assert "Successor order in use (newest stable family first): sonic-3.6 > sonic-3.5 > sonic-3" in r.out
    assert "Knowledge: made %s" % models.knowledge_date() in r.out
    assert "sonic-3.6    stable        sonic-3.6-2026-08-27   44" in r.out
    assert "Sources:" in r.out and "openapi" in r.out
    r = invoke("models", "--offline", "--no-cache", "--output-format", "json", cwd=tmp_path)
    data = json.loads(r.out)
    assert data["successor_order"] == ["sonic-3.6", "sonic-3.5", "sonic-3"]
    assert data["knowledge"]["date"] == models.knowledge_date() and data["knowledge"]["sources"]
    fam = {f["family"]: f for f in data["families"]}
    assert "ur" in fam["sonic-3.6"]["languages"]["value"] and "ur" not in fam["sonic-3.5"]["languages"]["value"]
    by = {m["id"]: m for m in data["models"]}
    assert by["sonic-english"]["successor"] == NEWEST and by["sonic-english"]["fix"] == "safe"
    assert by["sonic-latest"]["fix"] == "unsafe" and by["sonic-preview"]["status"] == "preview"
    assert by["sonic-3-2025-10-27"]["facts"]["sunset"]["confidence"] == "inferred"


def test_models_command_strips_control_characters_from_outside_text(tmp_path, monkeypatch):
    ml = live(["sonic-3.6-2026-08-27"], pvc={"voice\x1b]0;pwned\x07": NEWEST})
    ml.notice = "fell back\x1b[2J: \x9b31m"
    monkeypatch.setattr(models, "load", lambda **kw: ml)
    for fmt in ("text", "json"):
        r = invoke("models", "--output-format", fmt, cwd=tmp_path)
        assert r.code == 0, r.err
        assert not any(c in r.out for c in "\x1b\x07\x9b"), fmt


def test_explain_cm101_says_the_successor_is_computed(tmp_path):
    r = invoke("explain", "CM101", cwd=tmp_path)
    assert r.code == 0
    assert "Successor (computed)" in r.out and "sonic-3.6 > sonic-3.5 > sonic-3" in r.out
    assert "newest stable family" in r.out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_stale_bundled_knowledge_is_said_once_on_stderr_only(tmp_path, monkeypatch, fmt):
    (tmp_path / "app.py").write_text(call("sonic-english"), encoding="utf-8")
    monkeypatch.setenv(models.TODAY_ENV, "2027-06-01")
    monkeypatch.delenv("CARTESIA_API_KEY", raising=False)
    r = invoke("check", "--offline", "--no-cache", "--output-format", fmt, "app.py", cwd=tmp_path)
    assert r.code == 1
    assert r.err.count("bundled model knowledge is") == 1 and "days old" in r.err
    assert "days old" not in r.out
    monkeypatch.setenv(models.TODAY_ENV, models.knowledge_date())
    r = invoke("check", "--offline", "--no-cache", "--output-format", fmt, "app.py", cwd=tmp_path)
    assert "days old" not in r.err + r.out


def test_stale_notice_is_not_given_with_a_live_list(monkeypatch):
    monkeypatch.setenv(models.TODAY_ENV, "2027-06-01")
    assert models.bundled().stale_notice() and models.knowledge_is_stale()
    assert live(SEVEN).stale_notice() is None and live(SEVEN, source="cache").stale_notice() is None
    monkeypatch.setenv(models.TODAY_ENV, "2027-02-28")  # 87 days: not yet
    assert models.bundled().stale_notice() is None


def test_models_json_keeps_the_stale_notice_off_stdout(tmp_path, monkeypatch):
    monkeypatch.setenv(models.TODAY_ENV, "2027-06-01")
    r = invoke("models", "--offline", "--no-cache", "--output-format", "json", cwd=tmp_path)
    data = json.loads(r.out)  # stdout is pure JSON
    assert data["knowledge"]["stale"] is True and "days old" not in data["description"]
    assert r.err.count("days old") == 1
