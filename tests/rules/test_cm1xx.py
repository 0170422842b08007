"""CM101-CM106 (model IDs): must-fire / must-not-fire cases from real integration styles, and fixes."""
import textwrap
import time

import pytest

from cartesia_migrate import models
from cartesia_migrate.config import Settings
from cartesia_migrate.engine import check_source, fix_source
from cartesia_migrate.rule import severity_by_date

from .helpers import findings, fixed, lines

VOICE = "a0e99841-438c-4a64-b679-ae501e7d6091"
PVC = "6f84f4b8-58a2-430c-8c79-688dad597532"
PVC_OLD = "0b3a0f6c-1a2b-4c5d-8e9f-00112233aabb"
PVC_CONFIG = {"pvc_voices": ((PVC, "sonic-3-2026-01-12"), (PVC_OLD, "sonic-3-2025-10-27"))}

HEAD = "import os\n\nfrom cartesia import AsyncCartesia, Cartesia\n\nclient = Cartesia(api_key=os.environ[\"CARTESIA_API_KEY\"])\n"


def src(body):
    return HEAD + textwrap.dedent(body)


def body_lines(text, code, **kw):
    """Finding lines counted from the first line of ``body`` (HEAD excluded)."""
    n = HEAD.count("\n")
    return [ln - n for ln in lines(text, code, **kw)]


def all_cm1(text, model_list=None, **settings):
    return check_source(text, "app.py", Settings(select=("CM1",), **settings), models=model_list)


def live_list(ids, pvc=None):
    return models.from_ids(ids, "live", time.time(), pvc)


# =========================================================================================
# CM101 discontinued-model
# =========================================================================================

@pytest.mark.parametrize("body", [
    # SDK 4.x sync
    'client.tts.generate(model_id="sonic-english", transcript="hi", voice="%s")\n' % VOICE,
    # SDK 1.x bytes, positional-free
    'audio = client.tts.bytes(model_id="sonic", transcript="hi", voice_id="%s", output_format={})\n' % VOICE,
    # async client
    'async def f():\n    aclient = AsyncCartesia(api_key="x")\n'
    '    return await aclient.tts.generate(model_id="sonic-multilingual", transcript="hi", voice="v")\n',
    # 2.x websocket send
    'ws = client.tts.websocket()\nws.send(model_id="sonic-2024-12-12", transcript="hi", voice={"mode": "id", "id": "v"})\n',
    # raw websocket JSON payload
    'import json\nasync def f(ws):\n    await ws.send(json.dumps({"model_id": "sonic-turbo-2025-03-07", "transcript": "hi"}))\n',
    # dict payload passed as **kwargs
    'params = {"model_id": "sonic-2-2025-03-07", "transcript": "hi"}\nclient.tts.bytes(**params)\n',
    # dict(...) kwargs
    'params = dict(model_id="sonic", transcript="hi")\nclient.tts.bytes(**params)\n',
    # item assignment
    'payload = {}\npayload["model_id"] = "sonic"\n',
    # env default
    'MODEL = os.getenv("CARTESIA_MODEL", "sonic")\n',
    # parameter default
    'def speak(text, model_id="sonic-english"):\n    return client.tts.generate(model_id=model_id, transcript=text)\n',
    # plugin class field default
    'class CartesiaTTS:\n    model: str = "sonic-english"\n',
    # pydantic Field default
    'from pydantic import BaseModel, Field\nclass Opts(BaseModel):\n    model: str = Field(default="sonic")\n',
    # attribute assignment
    'class TTS:\n    def __init__(self):\n        self.model = "sonic"\n',
    # Literal alias
    'from typing import Literal\nModel = Literal["sonic-english", "sonic-3.5"]\n',
    # provider-prefixed
    'LLM_TTS = "cartesia/sonic-multilingual"\n',
    # pre-sonic and retired aliases
    'client.tts.bytes(model_id="upbeat-moon", transcript="hi")\n',
    # an ambiguous ID reaching model_id= through a name that is not model-like
    'DEFAULT = "sonic"\nclient.tts.generate(model_id=DEFAULT, transcript="hi")\n',
    # **kwargs defaults in a wrapper
    'def synth(**kwargs):\n    kwargs.setdefault("model_id", "sonic")\n    return client.tts.bytes(**kwargs)\n',
    'def synth(opts):\n    return client.tts.generate(model_id=opts.get("model", "sonic"), transcript="x")\n',
    # a local variable passed on
    'def synth(t):\n    m = "sonic"\n    return client.tts.generate(model_id=m, transcript=t)\n',
])
def test_cm101_fires(body):
    assert findings(src(body), "CM101"), body


@pytest.mark.parametrize("body", [
    'def is_old(model):\n    return model == "sonic"\n',
    'def is_old(model):\n    return model in {"sonic", "sonic-english"}\n',
    'OLD = {"sonic", "sonic-english"}\ndef is_old(model):\n    return model in OLD\n',
    'def is_v2(model):\n    return model.startswith("sonic-2")\n',
    'def f():\n    """Uses sonic-english by default."""\n',
    '# model_id="sonic-english"\nx = 1\n',
    'def f(n):\n    return client.tts.generate(model_id=f"sonic-{n}", transcript="hi")\n',
    'BEDROCK = "amazon.nova-sonic-v1:0"\n',
    'COUNTS = MODELS["sonic"]\n',
    'USAGE = {"sonic": 1}\n',
    'RAW = b"sonic-english"\n',
    'client.tts.generate(model_id="sonic-3.5-2026-05-04", transcript="hi")\n',
    # a live preview alias is not discontinued (it is CM105's); Sonic 3.6 is known
    'client.tts.bytes(model_id="sonic-preview", transcript="hi")\n',
    'client.tts.generate(model_id="sonic-3.6", transcript="hi")\n',
    'client.tts.generate(model_id="sonic-3.6-2026-08-27", transcript="hi")\n',
    # a plain "sonic" that is not in a model position
    'GREETING = "sonic"\n',
    'def f(kwargs):\n    return kwargs.get("model_id") == "sonic"\n',
    'def f(kwargs):\n    return kwargs.get("voice", "sonic")\n',
    'def f(m="sonic"):\n    return m\n',
])
def test_cm101_does_not_fire(body):
    assert not findings(src(body), "CM101"), body


@pytest.mark.parametrize("text", [
    'GAME = "sonic-2"\nHERO = "sonic"\n',
    'def pick(model="sonic-english"):\n    return model\n',  # no Cartesia context at all
])
def test_no_cartesia_context_no_findings(text):
    assert not check_source(text, "game.py", Settings(select=("CM1",)))


def test_cartesia_context_from_path():
    assert findings('MODEL_ID = "sonic-english"\n', "CM101", path="integrations/cartesia/config.py")


def test_cm101_fix_plain_async_and_payload():
    text = src('''\
        async def f(ws):
            aclient = AsyncCartesia(api_key="x")
            await aclient.tts.generate(model_id="sonic-english", transcript="hi", voice="v")
            await ws.send({"model_id": "sonic", "transcript": "hi"})
    ''')
    out = fixed(text, "CM101")
    assert out.count('"sonic-3.6-2026-08-27"') == 2 and "sonic-english" not in out


def test_cm101_fix_keeps_quotes_and_provider_prefix():
    out = fixed(src("A = 'cartesia/sonic-multilingual'\nB = r'sonic-english'\n"), "CM101")
    assert "A = 'cartesia/sonic-3.6-2026-08-27'" in out
    assert "B = r'sonic-3.6-2026-08-27'" in out


def test_cm101_speed_or_volume_goes_to_the_newest_family_that_serves_it():
    text = src('''\
        client.tts.generate(model_id="sonic", transcript="hi", generation_config={"speed": 0.8})
        client.tts.generate(model_id="sonic", transcript="hi", generation_config=cfg)
        client.tts.bytes(model_id="sonic", transcript="hi", _experimental_voice_controls={"speed": "slow"})
        client.tts.bytes(model_id="sonic", transcript="hi", voice={"mode": "id", "id": "v", "__experimental_controls": {}})
        client.tts.generate(model_id="sonic", transcript="hi", generation_config={"emotion": "calm"})
    ''')
    assert all(f.fix.applicability == "safe" for f in findings(text, "CM101"))
    out = fixed(text, "CM101").splitlines()[-5:]
    assert ['sonic-3.6-2026-08-27' in ln for ln in out] == [True] * 5  # sonic-3.6 serves speed/volume


def test_cm101_speed_through_a_constant_use():
    text = src('''\
        MODEL = "sonic-english"
        def slow(text):
            return client.tts.generate(model_id=MODEL, transcript=text, generation_config={"volume": 1.5})
    ''')
    assert 'MODEL = "sonic-3.6-2026-08-27"' in fixed(text, "CM101")


def test_cm101_speed_through_plugin_attribute():
    text = src('''\
        class TTS:
            model: str = "sonic-english"
            def run(self, text):
                return client.tts.generate(model_id=self.model, transcript=text, speed="slow")
    ''')
    assert 'model: str = "sonic-3.6-2026-08-27"' in fixed(text, "CM101")


def test_cm101_pvc_voice_goes_to_clone_base():
    text = src('client.tts.generate(model_id="sonic-english", transcript="hi", voice="%s")\n' % PVC)
    assert '"sonic-3-2026-01-12"' in fixed(text, "CM101", **PVC_CONFIG)


def test_cm101_pvc_base_with_an_open_sunset_question_is_not_a_safe_target():
    text = src('client.tts.generate(model_id="sonic-english", transcript="hi", voice="%s")\n' % PVC_OLD)
    fs = findings(text, "CM101", **PVC_CONFIG)
    assert fs[0].fix.applicability == "unsafe" and "open question" in fs[0].message
    assert fixed(text, "CM101", **PVC_CONFIG) == text
    assert '"sonic-3-2025-10-27"' in fixed(text, "CM101", unsafe=True, **PVC_CONFIG)


def test_cm101_replacement_model_from_config():
    text = src('client.tts.generate(model_id="sonic", transcript="hi")\n')
    assert '"sonic-3-2025-10-27"' in fixed(text, "CM101", replacement_model="sonic-3-2025-10-27")
    # an alias in the config is pinned to the dated snapshot it resolves to
    assert '"sonic-3-2026-01-12"' in fixed(text, "CM101", replacement_model="sonic-3")


def test_cm101_no_fix_when_target_not_on_list():
    text = src('client.tts.generate(model_id="sonic", transcript="hi")\n')
    ml = live_list(["sonic-3", "sonic-2-2025-06-11"])  # no dated snapshot of a stable family
    fs = [f for f in all_cm1(text, ml) if f.code == "CM101"]
    assert len(fs) == 1 and fs[0].fix is None
    assert "no model on the live models list serves this call" in fs[0].message


def test_cm101_older_stable_family_when_the_list_has_no_newer():
    text = src('client.tts.generate(model_id="sonic", transcript="hi")\n')
    ml = live_list(["sonic-3", "sonic-3-2026-01-12"])
    out, _ = fix_source(text, "app.py", Settings(select=("CM101",)), models=ml)
    assert '"sonic-3-2026-01-12"' in out


def test_cm101_newest_snapshot_on_live_list():
    text = src('client.tts.generate(model_id="sonic-english", transcript="hi")\n')
    ml = live_list(["sonic-3.5", "sonic-3.5-2026-09-30", "sonic-3.5-2026-07-01", "sonic-3-2026-01-12"])
    out, _ = fix_source(text, "app.py", Settings(select=("CM101",)), models=ml)
    assert '"sonic-3.5-2026-09-30"' in out


def test_cm101_literal_members_collapse():
    text = src('''\
        from typing import Literal
        Model = Literal["sonic-english", "sonic-multilingual", "sonic-3"]
        Other = Literal[
            "sonic",
            "sonic-3.5-2026-05-04",
        ]
    ''')
    out = fixed(text, "CM101")
    assert 'Model = Literal["sonic-3.6-2026-08-27", "sonic-3"]' in out
    assert 'Other = Literal[\n    "sonic-3.6-2026-08-27",\n    "sonic-3.5-2026-05-04",\n]' in out


def test_cm101_long_literal_fixed_in_one_pass():
    old = ["sonic", "sonic-2024-10-19", "sonic-2024-12-12", "sonic-english", "sonic-multilingual",
           "sonic-2-2025-03-07", "sonic-turbo-2025-03-07", "upbeat-moon", "sonic-lite"]
    text = src("from typing import Literal\nM = Literal[%s, 'cartesia/sonic']\n" % ", ".join('"%s"' % m for m in old))
    fs = findings(text, "CM101")
    assert len(fs) == 10 and len({f.fix.edits for f in fs}) == 1  # one edit shared by all findings
    out = fixed(text, "CM101")
    assert "M = Literal[\"sonic-3.6-2026-08-27\", 'cartesia/sonic-3.6-2026-08-27']" in out


def test_cm101_constant_fixed_once_and_uses_named():
    text = src('''\
        DEFAULT_MODEL_ID = "sonic-english"
        def a(t):
            return client.tts.generate(model_id=DEFAULT_MODEL_ID, transcript=t)
        def b(t):
            return client.tts.bytes(model_id=DEFAULT_MODEL_ID, transcript=t)
    ''')
    fs = findings(text, "CM101")
    assert len(fs) == 3
    fixable = [f for f in fs if f.fix is not None]
    assert len(fixable) == 1
    uses = [f for f in fs if f.fix is None]
    assert all(f.message.startswith("DEFAULT_MODEL_ID is 'sonic-english'") for f in uses)
    out = fixed(text, "CM101")
    assert out.count("sonic-3.6-2026-08-27") == 1 and not findings(out, "CM101")


def test_cm101_shadowing_parameter_is_not_a_constant_use():
    text = src('''\
        MODEL = "sonic-english"
        def speak(MODEL):
            return client.tts.generate(model_id=MODEL, transcript="x")
    ''')
    assert body_lines(text, "CM101") == [1]


def test_cm101_severity_is_error_after_sunset():
    text = src('client.tts.generate(model_id="sonic", transcript="hi")\n')
    assert findings(text, "CM101")[0].severity == "error"
    assert severity_by_date("2026-06-01", today="2026-05-31") == "warning"
    assert severity_by_date("2026-06-01", today="2026-06-01") == "error"


def test_cm101_noqa():
    assert not findings(src('M = "sonic-english"  # noqa: CM101\n'), "CM101")


# =========================================================================================
# CM102 removed-language
# =========================================================================================

@pytest.mark.parametrize("body", [
    'client.tts.generate(model_id="sonic-2", transcript="x", language="it")\n',
    'client.tts.generate(model_id="sonic-2-2025-06-11", transcript="x", language="hi")\n',
    'client.tts.generate(model_id="sonic-2-2025-04-16", transcript="x", locale="ru-RU")\n',
    'client.tts.generate(model_id="sonic-turbo", transcript="x", language="tr")\n',
    'client.tts.generate(model_id="sonic-turbo-2025-06-04", transcript="x", language="pl")\n',
    # language through a module constant
    'LANG = "sv"\nclient.tts.generate(model_id="sonic-2", transcript="x", language=LANG)\n',
    # language through a parameter default
    'def speak(t, language="nl"):\n    return client.tts.generate(model_id="sonic-2", transcript=t, language=language)\n',
    # raw websocket payload
    'import json\nasync def f(ws):\n    await ws.send(json.dumps({"model_id": "sonic-2", "language": "it", "transcript": "x"}))\n',
    # plugin class: model and language both class fields
    'class TTS:\n    model: str = "sonic-2"\n    language: str = "ru"\n'
    '    def run(self, t):\n        return client.tts.generate(model_id=self.model, transcript=t, language=self.language)\n',
    # plugin __init__ parameters stored on self
    'class TTS:\n    def __init__(self, *, model: str = "sonic-turbo", language: str = "it"):\n'
    '        self._model = model\n        self._language = language\n'
    '    async def run(self, ws, t):\n'
    '        await ws.send({"model_id": self._model, "language": self._language, "transcript": t})\n',
    # pipecat-style enum
    'from pipecat.transcriptions.language import Language\n'
    'tts = CartesiaTTSService(model="sonic-2", language=Language.IT)\n',
])
def test_cm102_fires_and_fixes_safely(body):
    text = src(body)
    fs = findings(text, "CM102")
    assert fs and fs[0].fix is not None and fs[0].fix.applicability == "safe", body
    out = fixed(text, "CM102")
    assert "sonic-3.6-2026-08-27" in out and not findings(out, "CM102")


@pytest.mark.parametrize("body", [
    'client.tts.generate(model_id="sonic-2", transcript="x", language="en")\n',
    'client.tts.generate(model_id="sonic-turbo", transcript="x", language="hi")\n',  # hi stays on turbo
    'client.tts.generate(model_id="sonic-2", transcript="x")\n',
    'def f(t, lang):\n    return client.tts.generate(model_id="sonic-2", transcript=t, language=lang)\n',
    'client.tts.generate(model_id="sonic-3", transcript="x", language="it")\n',
    'client.tts.generate(model_id="sonic-english", transcript="x", language="it")\n',  # CM101's
    'from typing import Literal\nM = Literal["sonic-2"]\n',
])
def test_cm102_does_not_fire(body):
    assert not findings(src(body), "CM102"), body


def test_cm102_constant_used_with_a_kept_language_is_not_fixed():
    text = src('''\
        MODEL = "sonic-2"
        client.tts.generate(model_id=MODEL, transcript="x", language="it")
        client.tts.generate(model_id=MODEL, transcript="x", language="en")
    ''')
    fs = findings(text, "CM102")
    assert body_lines(text, "CM102") == [1, 2, 3]
    assert all(f.fix is None for f in fs)
    assert "also used with en" in fs[0].message
    assert fixed(text, "CM102") == text


def test_cm102_constant_also_used_with_unknown_language_is_not_fixed():
    text = src('''\
        MODEL = "sonic-2"
        client.tts.generate(model_id=MODEL, transcript="x", language="it")
        def f(lang):
            return client.tts.generate(model_id=MODEL, transcript="x", language=lang)
    ''')
    fs = findings(text, "CM102")
    assert fs and all(f.fix is None for f in fs)
    assert "cannot be known" in fs[0].message


def test_cm102_constant_passed_elsewhere_is_not_fixed():
    text = src('''\
        MODEL = "sonic-2"
        client.tts.generate(model_id=MODEL, transcript="x", language="it")
        other(MODEL)
    ''')
    assert all(f.fix is None for f in findings(text, "CM102"))


def test_cm102_constant_fixed_at_definition():
    text = src('''\
        TURBO = "sonic-turbo"
        def speak(text, language="ru"):
            return client.tts.generate(model_id=TURBO, transcript=text, voice="v", language=language)
    ''')
    assert body_lines(text, "CM102") == [1, 3]
    out = fixed(text, "CM102")
    assert 'TURBO = "sonic-3.6-2026-08-27"' in out


def test_cm102_speed_goes_to_the_newest_family_that_serves_it():
    text = src('client.tts.generate(model_id="sonic-2", transcript="x", language="it", '
               'generation_config={"speed": 1.2})\n')
    assert '"sonic-3.6-2026-08-27"' in fixed(text, "CM102")


# =========================================================================================
# CM103 legacy-model
# =========================================================================================

@pytest.mark.parametrize("body", [
    'client.tts.generate(model_id="sonic-2", transcript="x")\n',
    'client.tts.generate(model_id="sonic-2-2025-05-08", transcript="x", language="en")\n',
    'client.tts.generate(model_id="sonic-turbo-2025-06-04", transcript="x", language="hi")\n',
    'class Opts:\n    model: str = "sonic-turbo"\n',
    'from typing import Literal\nM = Literal["sonic-2", "sonic-3"]\n',
    'def f(t, lang, model="sonic-2"):\n    return client.tts.generate(model_id=model, transcript=t, language=lang)\n',
])
def test_cm103_fires_with_unsafe_fix(body):
    text = src(body)
    fs = findings(text, "CM103")
    assert len(fs) == 1 and fs[0].fix.applicability == "unsafe", body
    assert fixed(text, "CM103") == text  # not applied without --unsafe-fixes
    out = fixed(text, "CM103", unsafe=True)
    assert not findings(out, "CM103")


@pytest.mark.parametrize("body", [
    'client.tts.generate(model_id="sonic-2", transcript="x", language="it")\n',  # CM102's
    'client.tts.generate(model_id="sonic-2-2025-03-07", transcript="x")\n',  # CM101's
    'client.tts.generate(model_id="sonic-3-2026-01-12", transcript="x")\n',
    'def is_legacy(m):\n    return m.startswith("sonic-2") or m == "sonic-turbo"\n',
])
def test_cm103_does_not_fire(body):
    assert not findings(src(body), "CM103"), body


def test_cm103_message_warns_about_unknown_language():
    fs = findings(src('client.tts.generate(model_id="sonic-2", transcript="x")\n'), "CM103")
    assert "requests in those languages fail" in fs[0].message and fs[0].severity == "warning"


# =========================================================================================
# CM104 undated-pvc-model
# =========================================================================================

@pytest.mark.parametrize("body,expected", [
    ('client.tts.generate(model_id="sonic-3", transcript="x", voice="%s")\n' % PVC, "sonic-3-2026-01-12"),
    ('client.tts.generate(model_id="sonic-3.5", transcript="x", voice="%s")\n' % PVC, "sonic-3-2026-01-12"),
    ('client.tts.generate(model_id="sonic-latest", transcript="x", voice="%s")\n' % PVC, "sonic-3-2026-01-12"),
    ('client.tts.generate(model_id="sonic-3.5-2026-05-04", transcript="x", voice="%s")\n' % PVC,
     "sonic-3-2026-01-12"),
    # 1.x voice_id= and 2.x/3.x voice={"mode": "id", "id": ...}
    ('client.tts.bytes(model_id="sonic-3", transcript="x", voice_id="%s")\n' % PVC, "sonic-3-2026-01-12"),
    ('client.tts.bytes(model_id="sonic-3", transcript="x", voice={"mode": "id", "id": "%s"})\n' % PVC,
     "sonic-3-2026-01-12"),
    # voice through a constant, model through a constant
    ('CLONE = "%s"\nMODEL = "sonic-3.5"\nclient.tts.generate(model_id=MODEL, transcript="x", voice=CLONE)\n' % PVC,
     "sonic-3-2026-01-12"),
    # raw websocket payload
    ('async def f(ws):\n    await ws.send({"model_id": "sonic-3", "voice": {"mode": "id", "id": "%s"}})\n' % PVC,
     "sonic-3-2026-01-12"),
    # plugin: both as __init__ parameter defaults stored on self
    ('class TTS:\n    def __init__(self, model="sonic-3.5", voice="%s"):\n'
     '        self._model = model\n        self._voice = voice\n'
     '    def run(self, t):\n        return client.tts.generate(model_id=self._model, transcript=t, voice=self._voice)\n'
     % PVC, "sonic-3-2026-01-12"),
])
def test_cm104_fires_and_fixes_to_clone_base(body, expected):
    text = src(body)
    fs = findings(text, "CM104", **PVC_CONFIG)
    assert fs and fs[0].fix is not None, body
    out = fixed(text, "CM104", **PVC_CONFIG)
    assert '"%s"' % expected in out
    assert not findings(out, "CM104", **PVC_CONFIG)


@pytest.mark.parametrize("body", [
    'client.tts.generate(model_id="sonic-3-2026-01-12", transcript="x", voice="%s")\n' % PVC,
    'client.tts.generate(model_id="sonic-3", transcript="x", voice="%s")\n' % VOICE,
    'def f(v):\n    return client.tts.generate(model_id="sonic-3", transcript="x", voice=v)\n',
    'from typing import Literal\nM = Literal["sonic-3"]\nV = "%s"\n' % PVC,
    'client.tts.generate(model_id="sonic-english", transcript="x", voice="%s")\n' % PVC,  # CM101's
])
def test_cm104_does_not_fire(body):
    assert not findings(src(body), "CM104", **PVC_CONFIG), body


def test_cm104_not_fixed_when_model_also_serves_stock_voices():
    text = src('''\
        MODEL = "sonic-3.5"
        client.tts.generate(model_id=MODEL, transcript="x", voice="%s")
        client.tts.generate(model_id=MODEL, transcript="x", voice="%s")
    ''' % (PVC, VOICE))
    fs = findings(text, "CM104", **PVC_CONFIG)
    assert fs and all(f.fix is None for f in fs)
    assert "also used where the voice is not that clone" in fs[0].message


def test_cm104_alias_resolving_to_the_base_is_fixed_even_with_stock_voices():
    text = src('''\
        MODEL = "sonic-3"
        client.tts.generate(model_id=MODEL, transcript="x", voice="%s")
        client.tts.generate(model_id=MODEL, transcript="x", voice="%s")
    ''' % (PVC, VOICE))
    assert 'MODEL = "sonic-3-2026-01-12"' in fixed(text, "CM104", **PVC_CONFIG)


def test_cm104_clones_on_different_bases_not_fixed():
    text = src('''\
        MODEL = "sonic-3"
        client.tts.generate(model_id=MODEL, transcript="x", voice="%s")
        client.tts.generate(model_id=MODEL, transcript="x", voice="%s")
    ''' % (PVC, PVC_OLD))
    fs = findings(text, "CM104", **PVC_CONFIG)
    assert fs and all(f.fix is None for f in fs) and "different models" in fs[0].message


def test_cm104_clone_named_pvc_without_config():
    text = src('''\
        PVC_VOICE_ID = "%s"
        client.tts.generate(model_id="sonic-3", transcript="x", voice=PVC_VOICE_ID)
        client.tts.generate(model_id="sonic-3.5", transcript="x", voice=PVC_VOICE_ID)
    ''' % PVC)
    fs = sorted(findings(text, "CM104"), key=lambda f: f.location)
    assert len(fs) == 2
    # named like a clone, base unknown: never a guessed base (new clones train on sonic-3.6)
    assert all(f.fix is None and "set pvc-voices" in f.message and "CARTESIA_API_KEY" in f.message for f in fs)


def test_cm104_live_pvc_voices():
    text = src('client.tts.generate(model_id="sonic-3.5", transcript="x", voice="clone-1")\n')
    ml = live_list(["sonic-3.5", "sonic-3.5-2026-05-04", "sonic-3-2025-10-27", "sonic-3-2026-01-12"],
                   pvc={"clone-1": "sonic-3-2025-10-27"})
    out, _ = fix_source(text, "app.py", Settings(select=("CM104",)), models=ml)
    assert '"sonic-3-2025-10-27"' in out


def test_cm104_base_not_on_list_not_fixed():
    text = src('client.tts.generate(model_id="sonic-3.5", transcript="x", voice="clone-1")\n')
    ml = live_list(["sonic-3.5", "sonic-3.5-2026-05-04", "sonic-3-2026-01-12"], pvc={"clone-1": "sonic-3-2025-10-27"})
    fs = [f for f in all_cm1(text, ml) if f.code == "CM104"]
    assert len(fs) == 1 and fs[0].fix is None and "not on the live models list" in fs[0].message


def test_cm104_wins_over_cm105():
    text = src('client.tts.generate(model_id="sonic-3.5", transcript="x", voice="%s")\n' % PVC)
    assert [f.code for f in all_cm1(text, **PVC_CONFIG)] == ["CM104"]
    assert [f.code for f in all_cm1(text)] == ["CM105"]  # without PVC knowledge: just unpinned


# =========================================================================================
# CM105 unpinned-model
# =========================================================================================

@pytest.mark.parametrize("body,expected", [
    ('client.tts.generate(model_id="sonic-3", transcript="x")\n', "sonic-3-2026-01-12"),
    ('client.tts.generate(model_id="sonic-3.5", transcript="x")\n', "sonic-3.5-2026-05-04"),
    ('client.tts.generate(model_id="sonic-3.6", transcript="x")\n', "sonic-3.6-2026-08-27"),
    ('async def f():\n    c = AsyncCartesia(api_key="k")\n'
     '    async with c.tts.websocket_connect() as ws:\n        ctx = ws.context(model_id="sonic-3.5", voice="v")\n',
     "sonic-3.5-2026-05-04"),
    ('class LiveKitTTS:\n    model: str = "sonic-3"\n', "sonic-3-2026-01-12"),
    ('def make(model: str = "sonic-3.5", **kwargs):\n    return client.tts.generate(model_id=model, **kwargs)\n',
     "sonic-3.5-2026-05-04"),
    ('CARTESIA_TTS = "cartesia/sonic-3"\n', "cartesia/sonic-3-2026-01-12"),
])
def test_cm105_fires_and_pins(body, expected):
    text = src(body)
    fs = findings(text, "CM105")
    assert len(fs) == 1 and fs[0].fix.applicability == "safe", body
    assert '"%s"' % expected in fixed(text, "CM105")


@pytest.mark.parametrize("body", [
    'from typing import Literal\nTTSModel = Literal["sonic-3", "sonic-3.5", "sonic-latest"]\n',
    'client.tts.generate(model_id="sonic-3-2026-01-12", transcript="x")\n',
    'def f(m):\n    return m == "sonic-3"\n',
    'SUPPORTED = ("sonic-3", "sonic-3.5")\n',
    'client.tts.generate(model_id="sonic-2", transcript="x")\n',  # legacy: CM103's
    'client.stt.transcribe(model="ink-whisper", file=f)\n',  # STT aliases are not in scope
])
def test_cm105_does_not_fire(body):
    assert not findings(src(body), "CM105"), body


def test_cm105_off_with_pin_dated_false():
    assert not findings(src('client.tts.generate(model_id="sonic-3", transcript="x")\n'), "CM105",
                        pin_dated=False)


def test_cm105_resolves_on_the_live_list():
    text = src('client.tts.generate(model_id="sonic-3.5", transcript="x")\n')
    ml = live_list(["sonic-3.5", "sonic-3.5-2026-05-04", "sonic-3.5-2026-08-20"])
    out, _ = fix_source(text, "app.py", Settings(select=("CM105",)), models=ml)
    assert '"sonic-3.5-2026-08-20"' in out
    ml = live_list(["sonic-3.5", "sonic-3-2026-01-12"])
    fs = [f for f in all_cm1(text, ml) if f.code == "CM105"]
    assert len(fs) == 1 and fs[0].fix is None and "not fixed" in fs[0].message


# =========================================================================================
# CM106 unknown-model
# =========================================================================================

@pytest.mark.parametrize("body,expected", [
    ('client.tts.generate(model_id="sonic-3.5-2026-05-05", transcript="x")\n', "sonic-3.5-2026-05-04"),
    ('client.tts.generate(model_id="sonic-3-2026-01-21", transcript="x")\n', "sonic-3-2026-01-12"),
    # not a date; one swap from a real snapshot
    ('async def f(ws):\n    await ws.send({"model_id": "sonic-3-2025-10-72"})\n', "sonic-3-2025-10-27"),
    ('MODEL_ID = "sonic-2025-01-01"\n', None),  # a made-up sonic snapshot, nothing close on the list
])
def test_cm106_offline_fires(body, expected):
    text = src(body)
    fs = findings(text, "CM106")
    assert len(fs) == 1, body
    if expected:
        assert fs[0].fix.applicability == "unsafe"
        assert fixed(text, "CM106") == text
        assert '"%s"' % expected in fixed(text, "CM106", unsafe=True)
    else:
        assert fs[0].fix is None


@pytest.mark.parametrize("body", [
    'client.tts.generate(model_id="sonic-3.6", transcript="x")\n',  # known
    'client.tts.generate(model_id="sonic-3.6-2026-08-27", transcript="x")\n',  # known
    'client.tts.generate(model_id="sonic-3.7", transcript="x")\n',  # may be newer than the knowledge
    'client.tts.generate(model_id="sonic-3.5-2027-01-01", transcript="x")\n',  # dated after the list
    'client.tts.generate(model_id="sonic-4-2026-02-01", transcript="x")\n',  # unknown family
    'client.tts.generate(model_id="sonic-3.5-2026-05-04", transcript="x")\n',
    'client.tts.generate(model_id="sonic-english", transcript="x")\n',
    'def f(m):\n    return m == "sonic-3.5-2026-05-05"\n',
])
def test_cm106_offline_does_not_fire(body):
    assert not findings(src(body), "CM106"), body


def test_cm106_with_live_list():
    ids = ["sonic-3.5", "sonic-3", "sonic-3.5-2026-05-04", "sonic-3.5-2026-09-30", "sonic-3-2026-01-12"]
    ml = live_list(ids)
    text = src('''\
        a = client.tts.generate(model_id="sonic-3.7", transcript="x")
        b = client.tts.generate(model_id="sonic-3.5-2026-09-30", transcript="x")
        c = client.tts.generate(model_id="sonic-3.5-2026-09-29", transcript="x")
    ''')
    fs = sorted((f for f in all_cm1(text, ml) if f.code == "CM106"), key=lambda f: f.location)
    assert [f.location[0] - HEAD.count("\n") for f in fs] == [1, 3]
    assert "not on the live models list" in fs[0].message
    assert fs[0].fix is not None and fs[0].fix.edits[0].content == '"sonic-3.5"'
    # dated after the bundled snapshot, but the live list is complete; only 2026-09-30 is close
    assert fs[1].fix.edits[0].content == '"sonic-3.5-2026-09-30"'


def test_cm106_live_list_without_aliases_does_not_judge_undated_names():
    ml = live_list(["sonic-3.5-2026-05-04", "sonic-3-2026-01-12"])
    text = src('client.tts.generate(model_id="sonic-3.7", transcript="x")\n')
    assert not [f for f in all_cm1(text, ml) if f.code == "CM106"]


def test_cm106_no_fix_when_several_are_close():
    ml = live_list(["sonic-3.5", "sonic-3.5-2026-05-04", "sonic-3.5-2026-05-06"])
    text = src('client.tts.generate(model_id="sonic-3.5-2026-05-05", transcript="x")\n')
    fs = [f for f in all_cm1(text, ml) if f.code == "CM106"]
    assert len(fs) == 1 and fs[0].fix is None


# =========================================================================================
# the family together
# =========================================================================================

def test_one_finding_per_problem():
    text = src('''\
        from typing import Literal
        Model = Literal["sonic-english", "sonic-2", "sonic-3", "sonic-3.5-2026-05-05"]
        a = client.tts.generate(model_id="sonic-english", transcript="x")
        b = client.tts.generate(model_id="sonic-2", transcript="x", language="it")
        c = client.tts.generate(model_id="sonic-2", transcript="x", language="de")
        d = client.tts.generate(model_id="sonic-3", transcript="x", voice="%s")
        e = client.tts.generate(model_id="sonic-3.5", transcript="x")
        f = client.tts.generate(model_id="sonic-3.5-2026-05-05", transcript="x")
    ''' % PVC)
    n = HEAD.count("\n")
    got = sorted((f.location[0] - n, f.code) for f in all_cm1(text, **PVC_CONFIG))
    assert got == [(2, "CM101"), (2, "CM103"), (2, "CM106"), (3, "CM101"), (4, "CM102"), (5, "CM103"),
                   (6, "CM104"), (7, "CM105"), (8, "CM106")]


def test_fix_all_cm1_reaches_a_clean_file():
    text = src('''\
        from typing import Literal
        Model = Literal["sonic-english", "sonic-multilingual", "sonic-2"]
        MODEL = "sonic"
        a = client.tts.generate(model_id=MODEL, transcript="x")
        b = client.tts.generate(model_id="sonic-2", transcript="x", language="it")
        c = client.tts.generate(model_id="sonic-3", transcript="x", voice="%s")
        e = client.tts.generate(model_id="sonic-latest", transcript="x")
    ''' % PVC)
    s = Settings(select=("CM1",), **PVC_CONFIG)
    out, left = fix_source(text, "app.py", s, unsafe=True)
    assert left == [] and check_source(out, "app.py", s) == []
    assert 'Model = Literal["sonic-3.6-2026-08-27"]' in out
    assert fix_source(out, "app.py", s, unsafe=True)[0] == out


def test_prefilter_skips_files_without_model_tokens():
    import re

    from cartesia_migrate.registry import rule_classes

    classes = [rule_classes()[c] for c in ("CM101", "CM102", "CM103", "CM104", "CM105", "CM106")]
    assert all(c.PREFILTER for c in classes)
    pf = re.compile("|".join(p for c in classes for p in c.PREFILTER).encode(), re.I)
    assert not pf.search(b"import cartesia\nclient = cartesia.Cartesia()\n")
    assert pf.search(b'MODEL = "Sonic-3"') and pf.search(b'M = "ink-whisper"') and pf.search(b"upbeat-moon")
