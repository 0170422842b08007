"""Model IDs in .env, YAML, JSON and TOML files: CM101-CM105, fixes that change only the value."""
import os

import pytest

from tests.inproc import invoke

from cartesia_migrate.config import Settings
from cartesia_migrate.engine import check_source, fix_source
from cartesia_migrate.filetypes import kind_of
from cartesia_migrate.io import InputError
from cartesia_migrate.handlers.config_files import ConfigHandler, file_format, is_model_key

CM1 = Settings(select=("CM1",))
NEW = "sonic-3.6-2026-08-27"  # the successor today: the newest stable family (sonic-3.6)
S35 = "sonic-3.5-2026-05-04"
SONIC3 = "sonic-3-2026-01-12"
PVC = "6f1e9d2c-0000-4000-8000-000000000001"


def codes(text, path, settings=CM1):
    return [(f.code, f.location) for f in check_source(text, path, settings)]


def fixed(text, path, settings=CM1, unsafe=False):
    out, _ = fix_source(text, path, settings, unsafe=unsafe)
    again, _ = fix_source(out, path, settings, unsafe=unsafe)
    assert again == out, "fix is not idempotent"
    return out


def only_value_changed(before, after, old, new):
    """``after`` is ``before`` with exactly the characters of ``old`` replaced by ``new`` (each time)."""
    assert after == before.replace(old, new), (before, after)


# ---- one case per format: byte-identical outside the value ------------------------------------

CASES = [
    (".env", "# TTS\nexport CARTESIA_MODEL_ID=sonic-english   # old one\r\nOTHER='x'\n", "sonic-english"),
    ("prod.env", 'CARTESIA_TTS_MODEL="sonic-english"\n', "sonic-english"),
    (".env.local", "TTS_MODEL='sonic-english' # é\n", "sonic-english"),
    ("tts.yaml", "provider: cartesia\ntts:\n  model: sonic-english  # the voice\n  speed_hint: none\n",
     "sonic-english"),
    ("agents.yml", "agents:\n  - name: a\n    model_id: \"cartesia/sonic-english\"\n  - name: b\n", "sonic-english"),
    ("q.yaml", "tts: {provider: cartesia}\nmodel_id: 'sonic-english'\n", "sonic-english"),
    ("cfg.json", '{\n  "tts": {\n    "modelId": "sonic-english",\n    "voice": "x"\n  }\n}\n', "sonic-english"),
    ("settings.jsonc", '{\n  // comment\n  "tts_model": "sonic-english", // trailing\n}\n', "sonic-english"),
    ("app.toml", '[tts]\nmodel = "sonic-english" # comment\nvoice_id = \'v\'\n', "sonic-english"),
    ("app2.toml", "[agent]\ntts = { model = 'sonic-english', language = \"en\" }\n", "sonic-english"),
]


@pytest.mark.parametrize("name, text, old", CASES, ids=[c[0] for c in CASES])
def test_fix_changes_only_the_value(name, text, old):
    assert kind_of(name) == "config"
    found = check_source(text, name, CM1)
    assert [f.code for f in found] == ["CM101"]
    f = found[0]
    assert f.fix is not None and f.fix.applicability == "safe"
    edit = f.fix.edits[0]
    assert text[edit.start_offset:edit.end_offset] == old and edit.content == NEW
    only_value_changed(text, fixed(text, name), old, NEW)


@pytest.mark.parametrize("name, text, old", CASES, ids=[c[0] for c in CASES])
def test_byte_exact_files_on_disk(tmp_path, name, text, old):
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    r = invoke("fix", str(p), "--no-cache", "--select", "CM1")
    assert r.code == 0, r.err
    assert p.read_bytes() == text.replace(old, NEW).encode("utf-8")


def test_fix_in_a_real_process_keeps_crlf_and_bom(tmp_path, cli):
    p = tmp_path / "app.yaml"
    p.write_bytes(b"\xef\xbb\xbfprovider: cartesia\r\nmodel: sonic-english\r\n")
    r = cli("fix", str(p), "--no-cache", "--select", "CM1")
    assert r.code == 0, r.err
    assert p.read_bytes() == b"\xef\xbb\xbfprovider: cartesia\r\nmodel: %s\r\n" % NEW.encode()


def test_locations_point_at_the_model_id():
    text = "provider: cartesia\nvoices:\n  - model: 'cartesia/sonic'\n"
    assert codes(text, "v.yaml") == [("CM101", (3, 22))]
    text = 'X=1\nCARTESIA_MODEL="sonic-english"\n'
    assert codes(text, ".env") == [("CM101", (2, 17))]


# ---- the successor logic of the Python rules ------------------------------------------------------

def test_speed_or_volume_next_to_the_model_goes_to_a_family_that_serves_it():
    text = "provider: cartesia\ntts:\n  model: sonic\n  generation_config:\n    speed: 1.1\n"
    assert fixed(text, "a.yaml") == text.replace("model: sonic\n", "model: %s\n" % NEW)
    text = '{"cartesia": {"model_id": "sonic-english", "speed": "fast"}}'
    assert NEW in fixed(text, "a.json")


def test_language_decides_between_cm102_and_cm103():
    removed = "provider: cartesia\nmodel_id: sonic-2\nlanguage: it-IT\n"
    kept = "provider: cartesia\nmodel_id: sonic-2\nlanguage: en\n"
    unknown = "provider: cartesia\nmodel_id: sonic-2\n"
    assert [c for c, _ in codes(removed, "a.yaml")] == ["CM102"]
    assert [c for c, _ in codes(kept, "a.yaml")] == ["CM103"]
    assert [c for c, _ in codes(unknown, "a.yaml")] == ["CM103"]
    assert fixed(removed, "a.yaml") == removed.replace("sonic-2", NEW)  # CM102: safe
    assert fixed(kept, "a.yaml") == kept  # CM103: unsafe
    assert fixed(kept, "a.yaml", unsafe=True) == kept.replace("sonic-2", NEW)


def test_pro_voice_clone_uses_its_own_dated_base():
    s = Settings(select=("CM1",), pvc_voices=((PVC, SONIC3),))
    text = "CARTESIA_VOICE_ID=%s\nCARTESIA_MODEL_ID=sonic-3\n" % PVC
    found = check_source(text, ".env", s)
    assert [f.code for f in found] == ["CM104"]  # not CM105 as well
    assert fixed(text, ".env", s) == text.replace("=sonic-3\n", "=%s\n" % SONIC3)
    # a discontinued model with a clone goes to the clone's base, not to sonic-3.5
    text = "[tts]\nmodel = 'sonic-english'\nvoice = { id = '%s' }\n" % PVC
    assert fixed(text, "c.toml", s) == text.replace("sonic-english", SONIC3)


def test_replacement_model_from_the_configuration():
    s = Settings(select=("CM1",), replacement_model="sonic-3")
    text = "TTS_MODEL=sonic-english\n"
    assert fixed(text, ".env", s) == "TTS_MODEL=%s\n" % SONIC3


def test_unpinned_alias_is_pinned_and_can_be_switched_off():
    text = '{"provider": "cartesia", "model": "sonic-3.5"}'
    assert [c for c, _ in codes(text, "c.json")] == ["CM105"]
    assert fixed(text, "c.json") == text.replace('"sonic-3.5"', '"%s"' % S35)
    assert codes(text, "c.json", Settings(select=("CM1",), pin_dated=False)) == []


def test_select_and_ignore_apply():
    text = "TTS_MODEL=sonic-english\n"
    assert codes(text, ".env", Settings(select=("CM1",), ignore=("CM101",))) == []
    assert codes(text, ".env", Settings(select=("CM105",))) == []


# ---- precision ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, text", [
    ("a.yaml", "model: sonic\n"),  # ambiguous ID, no Cartesia context
    ("a.yaml", "name: sonic-english\nprovider: cartesia\n"),  # not a model key
    ("a.yaml", "provider: cartesia\nmodel: sonic-3.7\n"),  # newer than the knowledge: not ours to judge
    ("a.yaml", "provider: cartesia\ndoc: |\n  model: sonic-english\n"),  # block scalar text
    ("a.yaml", "provider: cartesia\n# model: sonic-english\n"),  # comment
    ("a.yaml", "provider: cartesia\nmodel: &m sonic-english\n"),  # anchors are left alone
    ("a.toml", 'provider = "cartesia"\ndoc = """\nmodel = "sonic-english"\n"""\n'),
    ("a.json", '{"provider": "cartesia", "models": ["sonic-english"]}'),  # not under a model key
    ("a.json", '{"provider": "cartesia", "model": "amazon.nova-sonic-v1:0"}'),
    (".env", "#CARTESIA_MODEL=sonic-english\n"),
    ("a.yaml", "provider: cartesia\nmodel: sonic-english  # noqa: CM101\n"),
])
def test_not_reported(name, text):
    assert codes(text, name) == []


def test_unambiguous_ids_need_no_context():
    assert [c for c, _ in codes("model: sonic-english\n", "llm.yaml")] == ["CM101"]
    assert [c for c, _ in codes("model: cartesia/sonic\n", "llm.yaml")] == ["CM101"]


def test_escaped_value_is_reported_without_a_fix():
    text = '{"model": "sonic\\u002denglish"}'
    found = check_source(text, "e.json", CM1)
    assert [f.code for f in found] == ["CM101"] and found[0].fix is None
    assert fixed(text, "e.json") == text


def test_skip_file_marker():
    assert codes("# cartesia-migrate: skip-file\nTTS_MODEL=sonic-english\n", ".env") == []


def test_docker_compose_environment_lists():
    text = ("services:\n  app:\n    environment:\n      - CARTESIA_MODEL_ID=sonic-english\n"
            "      - CARTESIA_LANGUAGE=ru\n      - \"OTHER=1\"\n")
    assert [c for c, _ in codes(text, "docker-compose.yml")] == ["CM101"]
    assert fixed(text, "docker-compose.yml") == text.replace("sonic-english", NEW)
    text = "services:\n  app:\n    environment:\n      - CARTESIA_MODEL_ID=sonic-2\n      - CARTESIA_LANGUAGE=ru\n"
    assert [c for c, _ in codes(text, "docker-compose.yml")] == ["CM102"]


def test_toml_arrays_of_tables_and_dotted_keys():
    text = ('title = "cartesia"\n[[agents]]\nmodel = "sonic-3"\n[[agents]]\nmodel = "sonic-english"\n'
            'tts.model_id = "sonic"\n')
    assert codes(text, "x.toml") == [("CM105", (3, 10)), ("CM101", (5, 10)), ("CM101", (6, 17))]


def test_files_that_are_not_their_format_are_named_when_they_mention_a_model(tmp_path):
    """Invalid JSON/TOML that mentions a model ID cannot be checked: named, exit 2 (issue 18;
    it used to pass as clean).  Binary files and files that mention no model are skipped."""
    (tmp_path / "tpl.json").write_text('{"model": "sonic-english", {{ oops }}', encoding="utf-8")
    (tmp_path / "bad.toml").write_text('model = "sonic-english\n', encoding="utf-8")
    (tmp_path / "bin.json").write_bytes(b'{"model": "sonic-english"}\x00\xff')
    (tmp_path / "other.json").write_text('{"name": {{ oops }}', encoding="utf-8")
    r = invoke("check", str(tmp_path), "--no-cache", "--select", "CM1")
    assert r.code == 2, r.out + r.err
    errors = sorted(os.path.basename(line.split(": error: ")[0]) for line in r.err.splitlines() if ": error: " in line)
    assert errors == ["bad.toml", "tpl.json"], r.err


def test_large_and_unrelated_config_files_are_not_read(tmp_path):
    big = tmp_path / "data.json"
    big.write_text('{"model": "sonic-english", "x": "%s"}' % ("a" * (11 * 1024 * 1024)), encoding="utf-8")
    assert ConfigHandler().read(str(big)) is None
    plain = tmp_path / "package.json"
    plain.write_text('{"name": "x"}', encoding="utf-8")
    assert ConfigHandler().read(str(plain)) is None
    hit = tmp_path / "m.json"
    hit.write_text('{"model": "sonic-english"}', encoding="utf-8")
    assert ConfigHandler().read(str(hit)).text == '{"model": "sonic-english"}'


def test_directory_run_fixes_then_is_clean(tmp_path):
    (tmp_path / ".env").write_text("CARTESIA_MODEL=sonic-english\n", encoding="utf-8")
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "tts.yaml").write_text("cartesia:\n  model_id: sonic\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.myapp]\ntts_model = 'sonic-english'\n", encoding="utf-8")
    r = invoke("check", str(tmp_path), "--no-cache", "--select", "CM1")
    assert r.code == 1
    assert os.path.join(str(tmp_path), ".env") + ":1:16: CM101" in r.out
    assert "tts.yaml:2:13: CM101" in r.out
    r = invoke("fix", str(tmp_path), "--no-cache", "--select", "CM1")
    assert r.code == 0, r.out + r.err
    assert (tmp_path / ".env").read_text(encoding="utf-8") == "CARTESIA_MODEL=%s\n" % NEW
    assert invoke("check", str(tmp_path), "--no-cache", "--select", "CM1").code == 0


def test_file_formats_and_keys():
    assert [file_format(n) for n in (".env", ".env.production", "x.env", "a.yml", "b.json", "Pipfile",
                                      "c.toml", "d.py", "e.txt")] == \
        ["env", "env", "env", "yaml", "json", "toml", "toml", None, None]
    assert all(is_model_key(k) for k in ("model", "model_id", "modelId", "tts-model", "CARTESIA_MODEL",
                                          "CARTESIA_MODEL_VERSION", "ttsModelId", "voice_model"))
    assert not any(is_model_key(k) for k in ("name", "models", "voice_id", "language", "modelling"))


# ---- robustness: any text in any format -------------------------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "model: ", "model = ", "MODEL=", '"model": ', "- ", "  ", "\t", "\n", "\r\n", "#", "'", '"', "{", "}",
    "[", "]", "[[a]]", ",", ":", "=", "|", ">", "&a ", "*a", "!!str ", "\\", "sonic-english", "sonic",
    "cartesia/", "cartesia", "language: it", "voice_id: x", "speed: 1", '"""', "---", "export ", "é",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40).map("".join), st.sampled_from(["a.yaml", "a.json", "a.toml", ".env"]))
def test_any_text_is_read_without_errors_and_fixes_stay_in_place(text, name):
    import os as _os

    _os.environ["CARTESIA_MIGRATE_DEBUG"] = "1"  # a reader bug must fail this test, not be skipped
    try:
        try:
            found = check_source(text, name, CM1)
        except InputError as e:  # invalid JSON/TOML that mentions a model ID is named, not passed
            assert str(e).startswith(("invalid JSON: ", "invalid TOML: ")) and "sonic" in text, e
            return
        new, _ = fix_source(text, name, CM1, unsafe=True)
    finally:
        del _os.environ["CARTESIA_MIGRATE_DEBUG"]
    for f in found:
        for e in (f.fix.edits if f.fix else ()):
            assert text[e.start_offset:e.end_offset] in ("sonic-english", "sonic")
    # a fix only ever swaps model-ID characters
    import re

    assert re.sub(r"sonic[a-z0-9.\-]*", "M", new) == re.sub(r"sonic[a-z0-9.\-]*", "M", text)
