"""CM401-CM415 (SDK upgrade to 4.x): must-fire / must-not-fire / fix cases, sync and async.

Every ``fixed(...)`` call also asserts that a second fix changes nothing (idempotence).
The end-to-end proof against the real cartesia 4.2.0 with mypy is tests/test_sdk4_typecheck.py.
"""

import ast
import textwrap

import pytest

from cartesia_migrate.config import Settings
from cartesia_migrate.engine import check_source, fix_source

from .helpers import findings, fixed

V = "a0e99841-438c-4a64-b679-ae501e7d6091"
FMT = '{"container": "wav", "encoding": "pcm_s16le", "sample_rate": 44100}'


def d(text):
    return textwrap.dedent(text).lstrip("\n")


def codes_at(src, code, **kw):
    return [(f.location[0], f.code) for f in findings(src, code, **kw)]


def fix_of(src, code):
    [f] = findings(src, code)
    return f.fix


# ---- the client forms every rule matches on ---------------------------------------------

CLIENT_FORMS = {
    "module": ("from cartesia import Cartesia\nclient = Cartesia(api_key=KEY)\n", "client"),
    "alias": ("from cartesia import Cartesia as C\nclient = C(api_key=KEY)\n", "client"),
    "module-alias": ("import cartesia as ct\nclient = ct.Cartesia(api_key=KEY)\n", "client"),
    "inline": ("import cartesia\n", "cartesia.Cartesia(api_key=KEY)"),
    "with": ("from cartesia import Cartesia\nwith Cartesia(api_key=KEY) as client:\n    pass\n", "client"),
    "client-alias-name": ("from cartesia import Client\nclient = Client(api_key=KEY)\n", "client"),
}


def in_method(call):
    return d("""
        from cartesia import Cartesia


        class Speaker:
            def speak(self):
                return {call}

            def __init__(self):
                self.client = Cartesia(api_key=KEY)
        """).format(call=call.replace("CLIENT", "self.client"))


def in_param(call, annotation="Cartesia"):
    return d("""
        from typing import Optional
        from cartesia import Cartesia


        def speak(client: {ann}):
            return {call}
        """).format(ann=annotation, call=call.replace("CLIENT", "client"))


ALL_FORMS = [
    pytest.param(lambda call, h=h, n=n: h + "x = " + call.replace("CLIENT", n) + "\n", id=k)
    for k, (h, n) in CLIENT_FORMS.items()
]
ALL_FORMS += [
    pytest.param(in_method, id="self-attribute-bound-later"),
    pytest.param(in_param, id="annotated-param"),
    pytest.param(lambda call: in_param(call, "Optional[Cartesia]"), id="optional-param"),
    pytest.param(lambda call: in_param(call, '"Cartesia"'), id="string-annotation"),
]

SYNC_CALLS = [
    ("CM401", "CLIENT.tts.bytes(model_id=M, transcript=T, voice=V, output_format=F)"),
    ("CM402", "CLIENT.tts.sse(model_id=M, transcript=T, voice=V, output_format=F)"),
    ("CM403", "CLIENT.tts.websocket()"),
    ("CM404", "CLIENT.tts.generate(model_id=M, transcript=T, voice_id=V, output_format=F)"),
    ("CM405", "CLIENT.voices.list(request_options={'timeout_in_seconds': 5})"),
    ("CM406", "CLIENT.auth.access_token(grants={'tts': True}, expires_in=60)"),
    ("CM407", "CLIENT.voices.mix(voices=[])"),
    ("CM408", "CLIENT.voice_changer.sse(clip=c, voice_id=V)"),
    ("CM409", "CLIENT.stt.websocket(model='ink-whisper')"),
    ("CM410", "CLIENT.api_status.get()"),
    ("CM411", "CLIENT.tts.bytes(model_id=M, transcript=T, voice_id=V, _experimental_voice_controls={})"),
    ("CM413", "CLIENT.tts.generate(model_id=M, transcript=T, voice=V, language='en', locale='en-GB')"),
    ("CM414", "CLIENT.voices.localize(voice_id=V, name='n', language='fr')"),
    ("CM415", "CLIENT.tts.infill(left_audio_path='a.wav', voice_id=V)"),
]


@pytest.mark.parametrize("code,call", SYNC_CALLS, ids=[c for c, _ in SYNC_CALLS])
@pytest.mark.parametrize("form", ALL_FORMS)
def test_fires_on_every_client_form(code, call, form):
    src = form(call)
    assert findings(src, code), src


@pytest.mark.parametrize("code,call", SYNC_CALLS, ids=[c for c, _ in SYNC_CALLS])
@pytest.mark.parametrize(
    "receiver",
    [
        "other",  # never bound
        "openai_client",  # bound to something else
    ],
)
def test_does_not_fire_on_other_objects(code, call, receiver):
    src = (
        "from cartesia import Cartesia\nfrom openai import OpenAI\nopenai_client = OpenAI()\n"
        "x = %s\n" % call.replace("CLIENT", receiver)
    )
    assert not findings(src, code)


@pytest.mark.parametrize("code,call", SYNC_CALLS, ids=[c for c, _ in SYNC_CALLS])
def test_unannotated_parameter_shadows_module_client(code, call):
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)


        def speak(client):
            return {call}
        """).format(call=call.replace("CLIENT", "client"))
    assert not findings(src, code)


@pytest.mark.parametrize("code,call", SYNC_CALLS, ids=[c for c, _ in SYNC_CALLS])
def test_name_rebound_to_something_else_is_not_a_client(code, call):
    src = d("""
        from cartesia import Cartesia
        from elevenlabs import ElevenLabs
        client = Cartesia(api_key=KEY)
        client = ElevenLabs()
        x = {call}
        """).format(call=call.replace("CLIENT", "client"))
    assert not findings(src, code)


def test_magicmock_on_client_attribute_is_not_a_call_site():
    src = d("""
        from unittest.mock import MagicMock, patch
        from cartesia import Cartesia


        class TestSpeak:
            def setup_method(self):
                self.client = Cartesia(api_key="test")
                self.client.tts.bytes = MagicMock(return_value=iter([b"x"]))

            def test_speak(self):
                assert b"".join(self.client.tts.bytes(model_id="m", transcript="t", voice="v", output_format={}))
                self.client.tts.bytes.assert_called_once()


        def test_patched():
            client = Cartesia(api_key="test")
            with patch.object(client.tts, "sse") as sse:
                client.tts.sse(model_id="m", transcript="t", voice="v", output_format={})
        """)
    assert not findings(src, "CM401")
    assert not findings(src, "CM402")
    assert fixed(src, "CM401") == src


def test_client_from_function_property_and_global():
    src = d("""
        import functools
        from cartesia import AsyncCartesia, Cartesia

        _client = None


        def get_client() -> Cartesia:
            global _client
            if _client is None:
                _client = Cartesia(api_key=KEY)
            return _client


        class Service:
            @functools.cached_property
            def client(self) -> Cartesia:
                return Cartesia(api_key=KEY)

            def status(self):
                return self.client.api_status.get()


        get_client().api_status.get()
        _client.api_status.get()
        """)
    assert [ln for ln, _ in codes_at(src, "CM410")] == [20, 23, 24]


def test_resource_alias_and_class_annotation():
    src = d("""
        from dataclasses import dataclass
        from cartesia import Cartesia


        @dataclass
        class Deps:
            client: Cartesia

            def token(self):
                auth = self.client.auth
                return auth.access_token(expires_in=60)

            def status(self):
                return self.client.api_status.get()
        """)
    [f] = findings(src, "CM406")
    # the resource came through a variable: reported, not rewritten (the client expression is elsewhere)
    assert f.location[0] == 11 and f.fix is None
    assert "self.client.get_status()" in fixed(src, "CM410")


# ---- CM401 tts-bytes -----------------------------------------------------------------------


def test_cm401_fix_forms():
    src = d("""
        from cartesia import AsyncCartesia, Cartesia

        client = Cartesia(api_key=KEY)
        chunks = client.tts.bytes(model_id="sonic-2", transcript="hi", voice=VOICE, output_format=FMT)
        data = b"".join(client.tts.bytes(model_id="sonic-2", transcript="hi", voice=VOICE, output_format=FMT))
        raw = client.tts.bytes(model_id="sonic-english", transcript="hi", voice_id=VOICE, output_format=FMT)


        async def main(ac: AsyncCartesia):
            async for c in ac.tts.bytes(model_id="m", transcript="t", voice=VOICE, output_format=FMT):
                pass
            old = await ac.tts.bytes(model_id="m", transcript="t", voice_id=VOICE, output_format=FMT)
            new = await ac.tts.bytes(model_id="m", transcript="t", voice=VOICE, output_format=FMT)
        """)
    out = fixed(src, "CM401")
    assert (
        'chunks = client.tts.generate(model_id="sonic-2", transcript="hi", voice=VOICE, output_format=FMT)'
        ".iter_bytes()" in out
    )
    assert (
        'data = b"".join(client.tts.generate(model_id="sonic-2", transcript="hi", voice=VOICE, '
        "output_format=FMT).iter_bytes())" in out
    )
    assert (
        'raw = client.tts.generate(model_id="sonic-english", transcript="hi", voice_id=VOICE, '
        "output_format=FMT).read()" in out
    )
    assert (
        'async with ac.tts.with_streaming_response.generate(model_id="m", transcript="t", voice=VOICE, '
        "output_format=FMT) as response:\n        async for c in response.iter_bytes():\n            pass\n" in out
    )
    assert (
        'old = await (await ac.tts.generate(model_id="m", transcript="t", voice_id=VOICE, '
        "output_format=FMT)).read()" in out
    )
    assert (
        'new = (await ac.tts.generate(model_id="m", transcript="t", voice=VOICE, '
        "output_format=FMT)).iter_bytes()" in out
    )
    assert not findings(out, "CM401")
    ast.parse(out)


def test_cm401_keeps_multiline_layout_inside_blocks():
    src = d("""
        from cartesia import Cartesia


        class TTS:
            def __init__(self):
                self.client = Cartesia(api_key=KEY)

            def run(self):
                if True:
                    return self.client.tts.bytes(
                        model_id="sonic-2",  # the model
                        transcript="hi",
                        voice=VOICE,
                        output_format=FMT,
                    )
        """)
    out = fixed(src, "CM401")
    assert out == src.replace("self.client.tts.bytes(", "self.client.tts.generate(").replace(
        "                output_format=FMT,\n            )\n",
        "                output_format=FMT,\n            ).iter_bytes()\n",
    )
    assert ").iter_bytes()\n" in out


def test_cm401_duration_is_dropped_by_an_unsafe_fix():
    src = (
        "from cartesia import Cartesia\nc = Cartesia(api_key=K)\nx = c.tts.bytes(model_id=M, transcript=T, "
        "voice=V, output_format=F, duration=3)\n"
    )
    assert fix_of(src, "CM401").applicability == "unsafe"
    assert fixed(src, "CM401") == src
    assert fixed(src, "CM401", unsafe=True).endswith(
        "x = c.tts.generate(model_id=M, transcript=T, voice=V, output_format=F).iter_bytes()\n"
    )


def test_cm401_loop_that_consumes_chunks_keeps_streaming():
    src = d("""
        from cartesia import Cartesia

        client = Cartesia(api_key=KEY)


        def speak(text, response):
            # play as it comes
            for chunk in client.tts.bytes(model_id="m", transcript=text, voice=VOICE,
                                          output_format=FMT):
                stream.write(chunk)
            else:
                done()
            chunks = client.tts.bytes(model_id="m", transcript=text, voice=VOICE, output_format=FMT)
            for c in chunks:
                pass
            old = [c for c in client.tts.bytes(model_id="m", transcript=text, voice_id=VOICE, output_format=FMT)]
        """)
    out = fixed(src, "CM401")
    assert out == src.replace(
        """    for chunk in client.tts.bytes(model_id="m", transcript=text, voice=VOICE,
                                  output_format=FMT):
        stream.write(chunk)
    else:
        done()
""",
        """    with client.tts.with_streaming_response.generate(model_id="m", transcript=text, voice=VOICE,
                                  output_format=FMT) as response_2:
        for chunk in response_2.iter_bytes():
            stream.write(chunk)
        else:
            done()
""",
    ).replace(
        "chunks = client.tts.bytes(model_id=\"m\", transcript=text, voice=VOICE, output_format=FMT)",
        "chunks = client.tts.with_streaming_response.generate(model_id=\"m\", transcript=text, voice=VOICE, "
        "output_format=FMT)",
    ).replace(
        "    for c in chunks:\n        pass\n",
        "    with chunks as response_2:\n        for c in response_2.iter_bytes():\n            pass\n",
    ).replace(
        "old = [c for c in client.tts.bytes(model_id=\"m\", transcript=text, voice_id=VOICE, output_format=FMT)]",
        "old = [c for c in client.tts.generate(model_id=\"m\", transcript=text, voice_id=VOICE, "
        "output_format=FMT).iter_bytes()]",
    )
    assert "# play as it comes\n    with " in out
    compile(out, "app.py", "exec")


def test_cm401_streamed_variable_needs_exactly_one_loop_in_its_scope():
    head = "from cartesia import Cartesia\nclient = Cartesia(api_key=K)\n"
    call = "client.tts.bytes(model_id=M, transcript=T, voice=V, output_format=F)"
    for body in (
        "out = %s\nfor c in out:\n    a(c)\nfor c in out:\n    b(c)\n" % call,  # iterated twice
        "out = %s\nsave(out)\n" % call,  # passed on
        "out = %s\ndef f():\n    for c in out:\n        pass\n" % call,  # another scope
        "out = %s\nwhole = b''.join(out)\n" % call,
    ):
        out = fixed(head + body, "CM401")
        assert "with_streaming_response" not in out and ".iter_bytes()" in out, body
    # a nested function's own variable of the same name does not count
    out = fixed(head + "out = %s\nfor c in out:\n    a(c)\ndef f(out):\n    return out\n" % call, "CM401")
    assert "with out as response:\n    for c in response.iter_bytes():\n" in out


def test_cm401_keywords_generate_lacks():
    head = "from cartesia import Cartesia\nc = Cartesia(api_key=K)\n"
    # a keyword 4.2.0 generate() lacks and no rule handles: reported, never moved to generate()
    [f] = findings(head + "x = c.tts.bytes(model_id=M, transcript=T, voice=V, output_format=F, foo=1)\n", "CM401")
    assert f.fix is None and "not fixed: 4.x `generate()` has no `foo=`" in f.message
    [f] = findings(head + "x = c.tts.bytes(M, T, F, voice_id=V)\n", "CM401")
    assert f.fix is None and "positional arguments" in f.message
    # **kwargs may hold one: unsafe, and the message lists what generate() takes
    [f] = findings(head + "x = c.tts.bytes(**params)\n", "CM401")
    assert f.fix.applicability == "unsafe" and "`model_id`" in f.message and "`duration`" not in f.message
    # keywords other rules rewrite at the same statement do not block the rename
    [f] = findings(head + "x = c.tts.bytes(model_id=M, transcript=T, voice_id=V, output_format=F)\n", "CM401")
    assert f.fix.applicability == "safe"


def test_cm401_async_outside_async_function_is_reported_without_fix():
    src = (
        "from cartesia import AsyncCartesia\nac = AsyncCartesia(api_key=K)\ngen = ac.tts.bytes(model_id=M)\n"
    )
    [f] = findings(src, "CM401")
    assert f.fix is None and "not fixed" in f.message


def test_cm401_not_on_generate_or_other_bytes():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        client.tts.generate(model_id=M, transcript=T, voice=V, output_format=F)
        client.voice_changer.generate(clip=c)
        bytes(b"x")
        buf.bytes()
        """)
    assert not findings(src, "CM401")


# ---- CM402 tts-sse -------------------------------------------------------------------------


def test_cm402_rename_and_decode_through_a_variable():
    src = d("""
        import base64
        from cartesia import Cartesia

        client = Cartesia(api_key=KEY)


        def stream(text):
            events = client.tts.sse(model_id="m", transcript=text, voice=VOICE, output_format=FMT)
            for event in events:
                if event.type == "chunk":
                    yield base64.b64decode(event.data)
        """)
    assert [ln for ln, _ in codes_at(src, "CM402")] == [8, 11]
    assert fixed(src, "CM402") == src  # unsafe only
    out = fixed(src, "CM402", unsafe=True)
    assert 'events = client.tts.generate_sse(model_id="m"' in out
    assert 'yield event.audio or b""' in out and "continue" not in out  # already guarded by type


def test_cm402_1x_stream_keyword_and_dict_access():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia()
        for output in client.tts.sse(model_id="sonic-english", transcript="hi", voice_id=VOICE,
                                     output_format=FMT, stream=True):
            play(output["audio"])
        whole = client.tts.sse(model_id="m", transcript="t", voice_id=VOICE, output_format=FMT, stream=False)
        """)
    fs = findings(src, "CM402")
    assert [f.location[0] for f in fs] == [3, 5, 5, 6]
    # the loop reads audio from every event: the done event has none
    assert fs[1].fix is not None and "fails on them" in fs[1].message
    # 1.x dict access: the chunk event's audio
    assert fs[2].fix is not None and 'if output.type == "chunk": audio = output.audio' in fs[2].message
    assert fs[3].fix is None and "stream=False" in fs[3].message
    out = fixed(src, "CM402", unsafe=True)
    assert (
        'for output in client.tts.generate_sse(model_id="sonic-english", transcript="hi", voice_id=VOICE,\n'
        + " " * 29
        + 'output_format=FMT):\n    if output.type != "chunk":\n        continue\n    play(output.audio or b"")\n'
        in out
    )
    assert [f.location[0] for f in findings(out, "CM402")] == [8]


def test_cm402_async_generator_becomes_awaited():
    src = d("""
        import base64
        from cartesia import AsyncCartesia


        async def speak(client: AsyncCartesia):
            async for ev in client.tts.sse(model_id="m", transcript="t", voice=VOICE, output_format=FMT):
                out.write(base64.b64decode(ev.data))
            stream = await client.tts.sse(model_id="m", transcript="t", voice=VOICE, output_format=FMT)
        """)
    out = fixed(src, "CM402", unsafe=True)
    assert "async for ev in await client.tts.generate_sse(model_id=" in out
    # the loop read audio from every event: 4.x also streams a final done event without it
    assert '        if ev.type != "chunk":\n            continue\n        out.write(ev.audio or b"")\n' in out
    assert "stream = await client.tts.generate_sse(" in out


def test_cm402_decode_of_unrelated_data_is_not_touched():
    src = d("""
        import base64
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        for msg in websocket_messages():
            base64.b64decode(msg.data)
        for event in client.tts.generate_sse(model_id=M, transcript=T, voice=V, output_format=F):
            pass
        for event in other_stream():
            base64.b64decode(event.data)
        """)
    # ``event`` is bound twice in one scope (to two different things): not a certain SSE event
    assert not findings(src, "CM402")


# ---- CM403 tts-websocket ---------------------------------------------------------------------


def test_cm403_sync_and_async_messages():
    src = d("""
        from cartesia import AsyncCartesia, Cartesia
        client = Cartesia(api_key=KEY)
        ws = client.tts.websocket()


        async def main():
            ac = AsyncCartesia(api_key=KEY)
            aws = await ac.tts.websocket()
        """)
    sync, asyn = findings(src, "CM403")
    assert (
        "with client.tts.websocket_connect() as ws:" in sync.message
        and "ctx.push(transcript)" in sync.message
    )
    assert "async with ac.tts.websocket_connect() as ws:" in asyn.message
    assert "await ctx.push(transcript)" in asyn.message and "not awaited" in asyn.message
    assert sync.fix.applicability == "unsafe" and fixed(src, "CM403") == src
    out = fixed(src, "CM403", unsafe=True)
    assert "ws = client.tts.websocket_connect().enter()\n" in out
    assert "aws = await ac.tts.websocket_connect().enter()\n" in out


def test_cm403_not_on_websocket_connect():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        with client.tts.websocket_connect() as ws:
            ctx = ws.context(model_id=M, voice=V, output_format=F)
        client.stt.websocket(model="ink-whisper")
        """)
    assert not findings(src, "CM403")


# ---- CM404 voice-specifier -------------------------------------------------------------------


def test_cm404_forms():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        a = client.tts.generate(model_id=M, transcript=T, voice={"mode": "id", "id": VOICE}, output_format=F)
        b = client.tts.bytes(model_id=M, transcript=T, voice=dict(mode="id", id="abc"), output_format=F)
        c = client.tts.sse(model_id=M, transcript=T, voice_id=VOICE, output_format=F)
        ws = client.tts.websocket()
        ws.send(model_id=M, transcript=T, voice_id=VOICE, output_format=F)
        ctx = ws.context()
        ctx.send(model_id=M, transcript=T, voice={'mode': 'id', 'id': VOICE}, output_format=F, continue_=True)
        with client.tts.websocket_connect() as conn:
            cc = conn.context(model_id=M, voice={"mode": "id", "id": VOICE}, output_format=F)
        """)
    assert [ln for ln, _ in codes_at(src, "CM404")] == [3, 4, 5, 7, 9, 11]
    out = fixed(src, "CM404")
    assert "voice=VOICE, output_format=F)\n" in out
    assert 'voice="abc"' in out
    assert (
        out.count("voice=VOICE") == 5
        and "voice_id" not in out
        and "'mode'" not in out
        and '"mode"' not in out
    )


def test_cm404_voice_variable():
    only_voice = d("""
        from cartesia import Cartesia
        VOICE = {"mode": "id", "id": "a0e99841"}
        client = Cartesia(api_key=KEY)
        client.tts.generate(model_id=M, transcript=T, voice=VOICE, output_format=F)
        """)
    assert fixed(only_voice, "CM404").count('VOICE = "a0e99841"') == 1
    used_elsewhere = only_voice + 'print(VOICE["id"])\n'
    assert 'VOICE = {"id": "a0e99841"}' in fixed(used_elsewhere, "CM404")
    never_passed = 'from cartesia import Cartesia\nVOICE = {"mode": "id", "id": "a0e99841"}\n'
    assert not findings(never_passed, "CM404")


def test_cm404_embeddings_and_controls():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        client.tts.bytes(model_id=M, transcript=T, voice_embedding=[1.0] * 192, output_format=F)
        client.tts.bytes(model_id=M, transcript=T, voice={"mode": "embedding", "embedding": EMB}, output_format=F)
        client.tts.bytes(model_id=M, transcript=T, output_format=F,
                         voice={"mode": "id", "id": V, "__experimental_controls": {"speed": "fast"}})
        client.tts.bytes(model_id=M, transcript=T, voice={"mode": "id", "id": V, "label": "x"}, output_format=F)
        """)
    fs = findings(src, "CM404")
    assert [f.location[0] for f in fs] == [3, 4, 7]
    assert all(f.fix is None for f in fs)
    assert "voices.clone(clip=" in fs[0].message and "other keys: label" in fs[2].message


def test_cm404_not_in_raw_http_payloads_or_infill():
    src = d("""
        import httpx
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        httpx.post(URL, json={"model_id": M, "voice": {"mode": "id", "id": V}})
        client.tts.infill(model_id=M, voice_id=V, left_audio=a)
        client.voice_changer.generate(clip=c, voice_id=V)
        """)
    assert not findings(src, "CM404")


# ---- CM405 client-constructor ------------------------------------------------------------------


def test_cm405_constructor_fixes():
    src = d('''
        """Module."""
        from __future__ import annotations

        import httpx
        from cartesia import AsyncCartesia as AC, Cartesia
        from cartesia.environment import CartesiaEnvironment

        a = Cartesia(api_key=KEY, environment=CartesiaEnvironment.PRODUCTION, httpx_client=httpx.Client(),
                     follow_redirects=True)
        b = Cartesia()
        c = AC(timeout=10)
        ''')
    out = fixed(src, "CM405")
    assert out == d('''
        """Module."""
        from __future__ import annotations

        import os
        import httpx
        from cartesia import AsyncCartesia as AC, Cartesia
        from cartesia.environment import CartesiaEnvironment

        a = Cartesia(api_key=KEY, http_client=httpx.Client())
        b = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))
        c = AC(timeout=10, api_key=os.environ.get("CARTESIA_API_KEY"))
        ''')


def test_cm405_reported_without_fix_and_not_fired():
    src = d("""
        from cartesia import AsyncCartesia, Cartesia
        a = Cartesia(api_key=KEY, environment=STAGING, follow_redirects=False)
        b = AsyncCartesia(api_key=KEY, max_num_connections=4)
        c = Cartesia(token=TOKEN)
        d = Cartesia(**settings)
        e = Cartesia(default_headers={"Authorization": "Bearer x"})
        """)
    fs = findings(src, "CM405")
    assert [(f.location[0], f.fix) for f in fs] == [(2, None), (2, None), (3, None)]
    assert "base_url=" in fs[0].message and "DefaultHttpxClient(follow_redirects=False)" in fs[1].message


def test_cm405_request_options():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        client.voices.get(V, request_options={"timeout_in_seconds": 5, "additional_headers": {"X-A": "1"}})
        client.voices.get(V, request_options={})
        client.voices.get(V, request_options={"max_retries": 5})
        client.voices.get(V, request_options=OPTS)
        other.voices.get(V, request_options={"timeout_in_seconds": 5})
        """)
    fs = findings(src, "CM405")
    assert [f.location[0] for f in fs] == [3, 4, 5, 6]
    assert fs[2].fix is None and "max_retries" in fs[2].message and fs[3].fix is None
    out = fixed(src, "CM405")
    assert 'client.voices.get(V, timeout=5, extra_headers={"X-A": "1"})' in out
    assert "client.voices.get(V)\n" in out


def test_cm405_import_os_added_once_and_not_when_present():
    src = "from cartesia import Cartesia\na = Cartesia()\nb = Cartesia()\n"
    out = fixed(src, "CM405")
    assert out.count("import os") == 1 and out.startswith("import os\n")
    with_os = "import os\nfrom cartesia import Cartesia\na = Cartesia()\n"
    assert fixed(with_os, "CM405").count("import os") == 1


# ---- CM406 / CM410 -------------------------------------------------------------------------------


def test_cm406_cm410_sync_and_async():
    src = d("""
        from cartesia import AsyncCartesia, Cartesia
        client = Cartesia(api_key=KEY)
        tok = client.auth.access_token(grants={"tts": True}, expires_in=60)
        ok = client.api_status.get().ok


        async def main(ac: AsyncCartesia):
            tok = await ac.auth.access_token(grants={"stt": True})
            st = await ac.api_status.get()
        """)
    out = fixed(fixed(src, "CM406"), "CM410")
    assert 'tok = client.access_token.create(grants={"tts": True}, expires_in=60)' in out
    assert "ok = client.get_status().ok" in out
    assert 'tok = await ac.access_token.create(grants={"stt": True})' in out
    assert "st = await ac.get_status()" in out


def test_cm406_not_on_4x_access_token():
    src = "from cartesia import Cartesia\nc = Cartesia(api_key=K)\nc.access_token.create(expires_in=60)\n"
    assert not findings(src, "CM406")


# ---- CM407 removed-voice-api -------------------------------------------------------------------


def test_cm407():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        client.voices.clone(clip=f, name="n", language="en", mode="stability", enhance=False)
        client.voices.list(is_starred=True, limit=10)
        client.voices.mix(voices=[{"id": V, "weight": 1.0}])
        client.voices.create(name="n", description="d", embedding=E)
        client.voices.clone(filepath="a.wav", enhance=True)
        client.voices.clone(clip=f, name="n", language="en")
        client.voices.list(limit=10)
        """)
    fs = findings(src, "CM407")
    assert [(f.location[0], f.fix.applicability if f.fix else None) for f in fs] == [
        (3, "safe"),
        (4, "unsafe"),
        (5, None),
        (6, None),
        (7, None),
    ]
    assert 'clone(clip=open("a.wav", "rb")' in fs[4].message
    out = fixed(src, "CM407")
    assert 'client.voices.clone(clip=f, name="n", language="en")\n' in out and "is_starred=True" in out
    assert "client.voices.list(limit=10)\n" in fixed(src, "CM407", unsafe=True)


# ---- CM408 voice-changer -----------------------------------------------------------------------


def test_cm408():
    src = d("""
        from cartesia import AsyncCartesia, Cartesia
        client = Cartesia(api_key=KEY)
        a = client.voice_changer.bytes(clip=f, voice_id=V, output_format_container="wav",
                                       output_format_sample_rate=44100)
        b = client.voice_changer.sse(clip=f, voice_id=V)
        c = client.voice_changer.change_voice_bytes(clip=f, voice_id=V)
        e = client.voice_changer.change_voice_sse(clip=f, voice_id=V)


        async def main(ac: AsyncCartesia):
            async for chunk in ac.voice_changer.bytes(clip=f, voice_id=V):
                pass
            async for ev in ac.voice_changer.sse(clip=f, voice_id=V):
                pass
        """)
    out = fixed(src, "CM408")
    assert (
        'a = client.voice_changer.generate(clip=f, voice_id=V, output_format_container="wav",\n'
        + " " * 31
        + "output_format_sample_rate=44100).iter_bytes()"
        in out
    )
    assert "b = client.voice_changer.generate_sse(clip=f" in out
    assert "c = client.voice_changer.generate(clip=f, voice_id=V)\n" in out
    assert "e = client.voice_changer.generate_sse(clip=f" in out
    assert (
        "    async with ac.voice_changer.with_streaming_response.generate(clip=f, voice_id=V) as response:\n"
        "        async for chunk in response.iter_bytes():\n            pass\n" in out
    )
    assert "async for ev in await ac.voice_changer.generate_sse(clip=f, voice_id=V):" in out


# ---- CM409 stt-websocket -------------------------------------------------------------------------


def test_cm409_unsafe_fix_then_legacy_usage_is_reported():
    src = d("""
        from cartesia import AsyncCartesia, Cartesia
        client = Cartesia(api_key=KEY)
        ws = client.stt.websocket(model="ink-whisper", language="en", sample_rate=16000)
        ws.send(chunk)
        ws.send("finalize")
        for result in ws.receive():
            print(result["text"])
        ws.close()


        async def main(ac: AsyncCartesia):
            aws = await ac.stt.websocket(encoding="pcm_s16le")
        """)
    fs = findings(src, "CM409")
    assert [f.location[0] for f in fs] == [3, 12] and fs[0].fix.applicability == "unsafe"
    assert fixed(src, "CM409") == src
    out = fixed(src, "CM409", unsafe=True)
    assert (
        'ws = client.stt.manual_finalize.websocket(model="ink-whisper", language="en", sample_rate=16000, '
        'encoding="pcm_s16le")' in out
    )
    assert (
        'aws = ac.stt.manual_finalize.websocket(encoding="pcm_s16le", model="ink-whisper", sample_rate=16000)'
        in out
    )
    left = findings(out, "CM409")
    assert [f.location[0] for f in left] == [4, 6, 8]  # send(chunk), receive(), close(); not send("finalize")
    assert "ws.send_raw(chunk)" in left[0].message


def test_cm409_entered_manager_is_fine():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        with client.stt.manual_finalize.websocket(model="ink-whisper", encoding="pcm_s16le", sample_rate=16000) as ws:
            ws.send_raw(chunk)
            ws.send("finalize")
            for event in ws:
                pass
            ws.close()
        """)
    assert not findings(src, "CM409")


# ---- CM411 experimental-controls ----------------------------------------------------------------


def test_cm411():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        client.tts.bytes(model_id=M, transcript=T, voice_id=V, _experimental_voice_controls={"speed": "slow"})
        client.tts.infill(model_id=M, voice_id=V, experimental_voice_controls={"speed": "fast"})
        client.infill.bytes(left_audio=a, voice_experimental_controls_speed="slow")
        VOICE = {"mode": "id", "id": V, "__experimental_controls": {"speed": 0.5}}
        """)
    fs = findings(src, "CM411")
    assert [f.location[0] for f in fs] == [3, 4, 5, 6]
    assert all(f.fix is None and 'generation_config={"speed"' in f.message for f in fs)
    assert not findings('d = {"__experimental_controls": 1}\n', "CM411")


# ---- CM412 moved-import ------------------------------------------------------------------------


def test_cm412_moves_merges_and_renames():
    src = d('''
        """Doc."""
        from __future__ import annotations

        from cartesia import Cartesia, OutputFormat_RawParams, TokenResponse as TR
        from cartesia.tts import TtsRequestIdSpecifierParams
        from cartesia.types import ModelSpeed

        FMT: OutputFormat_RawParams = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}
        VOICE: TtsRequestIdSpecifierParams = V


        def token() -> TR: ...
        ''')
    out = fixed(src, "CM412")
    assert out == d('''
        """Doc."""
        from __future__ import annotations

        from cartesia import Cartesia
        from cartesia.types import ModelSpeed, RawOutputFormatParam, AccessTokenCreateResponse as TR, VoiceSpecifierParam

        FMT: RawOutputFormatParam = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}
        VOICE: VoiceSpecifierParam = V


        def token() -> TR: ...
        ''')


def test_cm412_in_place_alias_form_and_no_duplicates():
    src = d("""
        from cartesia.api_status import ApiInfo
        from cartesia.types import GetStatusResponse
        from cartesia.tts import OutputFormat_RawParams

        __all__ = ["OutputFormat_RawParams"]
        x: OutputFormat_RawParams
        y: ApiInfo
        """)
    out = fixed(src, "CM412")
    assert out == d("""
        from cartesia.types import GetStatusResponse, RawOutputFormatParam as OutputFormat_RawParams

        __all__ = ["OutputFormat_RawParams"]
        x: OutputFormat_RawParams
        y: GetStatusResponse
        """)


def test_cm412_gone_names_reported_unused_removed_and_blocks_kept_valid():
    src = d("""
        from cartesia.tts import Controls, OutputFormat_RawParams
        from cartesia.environment import CartesiaEnvironment
        import cartesia.tts

        try:
            from cartesia.core.request_options import RequestOptions
        except ImportError:
            RequestOptions = dict

        c: Controls
        f: OutputFormat_RawParams
        """)
    fs = findings(src, "CM412")
    by_line = {(f.location[0], f.message.split("`")[1]): f for f in fs}
    assert set(by_line) == {
        (1, "Controls"),
        (1, "OutputFormat_RawParams"),
        (2, "CartesiaEnvironment"),
        (3, "cartesia.tts"),
        (6, "RequestOptions"),
    }
    assert (
        by_line[(1, "Controls")].fix is None and "GenerationConfigParam" in by_line[(1, "Controls")].message
    )
    assert by_line[(2, "CartesiaEnvironment")].fix is not None  # unused: removed
    out = fixed(src, "CM412")
    assert out == d("""
        from cartesia.tts import Controls
        from cartesia.types import RawOutputFormatParam
        import cartesia.tts

        try:
            from cartesia.core.request_options import RequestOptions
        except ImportError:
            RequestOptions = dict

        c: Controls
        f: RawOutputFormatParam
        """)
    lonely = "def f():\n    from cartesia.environment import CartesiaEnvironment\n"
    assert fixed(lonely, "CM412") == "def f():\n    pass\n"


def test_cm412_attribute_form_and_valid_imports_untouched():
    src = d("""
        import cartesia
        import cartesia as ct
        from cartesia import Cartesia, APIStatusError, AsyncCartesia
        from cartesia.types import VoiceSpecifierParam
        from cartesia.core.api_error import ApiError

        fmt: cartesia.OutputFormat_RawParams
        info: ct.tts.ApiInfo
        ok = cartesia.Cartesia
        """)
    fs = findings(src, "CM412")
    assert [f.location[0] for f in fs] == [7, 8]
    out = fixed(src, "CM412")
    assert "fmt: cartesia.types.RawOutputFormatParam\n" in out and "info: ct.types.GetStatusResponse\n" in out


def test_cm412_star_import_from_a_gone_module():
    src = "from cartesia.tts import *\nfrom cartesia.types import *\n"
    [f] = findings(src, "CM412")
    assert f.location == (1, 1) and f.fix is None and "`cartesia.tts` does not exist" in f.message


def test_cm412_function_level_import_rewritten_in_place_with_indentation():
    src = d("""
        from cartesia.types import ModelSpeed


        def build():
            from cartesia import Cartesia, OutputFormat_RawParams
            fmt: OutputFormat_RawParams = {}
            return Cartesia, fmt
        """)
    out = fixed(src, "CM412")
    assert "    from cartesia import Cartesia\n    from cartesia.types import RawOutputFormatParam\n" in out
    assert "from cartesia.types import ModelSpeed\n" in out  # module-level import not extended


# ---- CM413 / CM414 -----------------------------------------------------------------------------


def test_cm413_cm414():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        client.tts.generate(model_id=M, transcript=T, voice=V, output_format=F, language="en", locale="en-GB")
        client.tts.generate(model_id=M, transcript=T, voice=V, output_format=F, locale="en-GB")
        client.voices.localize(voice_id=V, name="n", description="d", language="fr", dialect="eu")
        client.voices.localize(voice_id=V, name="n", accent="parisian")
        """)
    assert codes_at(src, "CM413") == [(3, "CM413")]
    [f] = findings(src, "CM414")
    assert (
        f.location[0] == 5
        and "client.voices.list_accents()" in f.message
        and "`language=` + `dialect=`" in f.message
    )


# ---- CM415 infill-params -----------------------------------------------------------------------


def test_cm415():
    src = d("""
        from cartesia import AsyncCartesia, Cartesia
        client = Cartesia(api_key=KEY)
        infill, total = client.tts.infill(model_id="sonic-2", language="en", transcript="x",
                                          voice={"mode": "id", "id": V}, output_format=F,
                                          left_audio_path="a.wav", right_audio_path="b.wav")
        chunks = client.infill.bytes(left_audio=a, right_audio=b, model_id="sonic-2", language="en",
                                     transcript="t", voice_id=V, output_format_container="wav",
                                     output_format_sample_rate=44100, output_format_encoding="pcm_s16le")


        async def main(ac: AsyncCartesia):
            async for c in ac.infill.bytes(left_audio=a, model_id=M, output_format_container="raw"):
                pass
        """)
    fs = findings(src, "CM415")
    assert [(f.location[0], f.fix is not None) for f in fs] == [(3, False), (3, True), (6, True), (12, True)]
    assert "infill_audio = client.tts.infill(...).read()" in fs[0].message
    out = fixed(src, "CM415")
    assert out.startswith("import pathlib\n")
    assert "voice_id=V, output_format=F,\n" in out
    assert 'left_audio=pathlib.Path("a.wav"), right_audio=pathlib.Path("b.wav"))' in out
    assert (
        'chunks = client.tts.infill(left_audio=a, right_audio=b, model_id="sonic-2", language="en",\n'
        + " " * 29
        + 'transcript="t", voice_id=V, output_format={"container": "wav", '
        '"encoding": "pcm_s16le", "sample_rate": 44100}).iter_bytes()' in out
    )
    assert (
        'async for c in (await ac.tts.infill(left_audio=a, model_id=M, output_format={"container": "raw"}))'
        ".iter_bytes():" in out
    )
    # the tuple unpacking stays reported for a human
    assert [f.location[0] for f in findings(out, "CM415")] == [4]


# ---- all CM4 rules together ----------------------------------------------------------------------

PROGRAM_2X = d("""
    import base64
    import httpx
    from cartesia import Cartesia
    from cartesia.tts import OutputFormat_RawParams

    client = Cartesia(api_key=KEY, httpx_client=httpx.Client())
    FMT: OutputFormat_RawParams = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}


    def speak(text: str) -> bytes:
        return b"".join(client.tts.bytes(model_id="sonic-2", transcript=text,
                                         voice={"mode": "id", "id": "a0e99841"}, output_format=FMT,
                                         request_options={"timeout_in_seconds": 30}))


    def stream(text: str):
        for event in client.tts.sse(model_id="sonic-2", transcript=text, voice={"mode": "id", "id": "a0e99841"},
                                    output_format=FMT):
            if event.type == "chunk":
                yield base64.b64decode(event.data)


    def token() -> str:
        return client.auth.access_token(grants={"tts": True}, expires_in=600).token
    """)


def test_all_rules_together_converge_and_are_idempotent():
    s = Settings(select=("CM4",))
    out, left = fix_source(PROGRAM_2X, "app.py", s, unsafe=True)
    again, left2 = fix_source(out, "app.py", s, unsafe=True)
    assert again == out and not left and not left2
    ast.parse(out)
    assert out == d("""
        import base64
        import httpx
        from cartesia import Cartesia
        from cartesia.types import RawOutputFormatParam

        client = Cartesia(api_key=KEY, http_client=httpx.Client())
        FMT: RawOutputFormatParam = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}


        def speak(text: str) -> bytes:
            return b"".join(client.tts.generate(model_id="sonic-2", transcript=text,
                                             voice="a0e99841", output_format=FMT,
                                             timeout=30).iter_bytes())


        def stream(text: str):
            for event in client.tts.generate_sse(model_id="sonic-2", transcript=text, voice="a0e99841",
                                        output_format=FMT):
                if event.type == "chunk":
                    yield event.audio or b""


        def token() -> str:
            return client.access_token.create(grants={"tts": True}, expires_in=600).token
        """)


def test_check_only_reports_and_never_edits():
    s = Settings(select=("CM4",))
    fs = check_source(PROGRAM_2X, "app.py", s)
    assert {f.code for f in fs} == {"CM401", "CM402", "CM404", "CM405", "CM406", "CM412"}


@pytest.mark.parametrize(
    "src",
    [
        "",
        "import cartesia\n",
        "from cartesia import *\nclient = Cartesia()\nclient.tts.bytes()\n",
        "x.tts.bytes()\n",
        "from cartesia import Cartesia\nCartesia().tts.bytes(*args, **kwargs)\n",
        "from cartesia import Cartesia\nc = Cartesia(api_key=K)\nc.tts.bytes\nc.tts['bytes']()\n",
    ],
)
def test_odd_inputs_do_not_crash(src):
    s = Settings(select=("CM4",))
    out, _ = fix_source(src, "app.py", s, unsafe=True)
    ast.parse(out)


# ---- suppression of deferred findings, prefilters ----------------------------------------------


def test_noqa_and_statement_ignore_apply_to_findings_decided_after_the_traversal():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=K)
        a = client.tts.bytes(model_id=M, transcript=T, voice=V, output_format=F)  # noqa: CM401
        b = client.tts.bytes(  # cartesia-migrate: ignore[CM401]
            model_id=M, transcript=T, voice=V, output_format=F,
        )
        c = client.tts.bytes(model_id=M, transcript=T, voice=V, output_format=F)
        """)
    assert [f.location[0] for f in findings(src, "CM401")] == [7]


def _corpus():
    """Doc examples and the legacy fixtures, before and after the fix (follow-up findings too)."""
    import pathlib

    from cartesia_migrate.docs import load_doc, parse_doc

    texts = []
    for n in range(401, 416):
        doc = parse_doc(load_doc("CM%d" % n), "CM%d" % n)
        texts += [doc.example_clean, doc.use_instead]
    fixtures = pathlib.Path(__file__).parent.parent / "fixtures" / "sdk_legacy"
    for p in sorted(fixtures.glob("*.py")):
        text = p.read_text()
        texts += [text, fix_source(text, p.name, Settings(select=("CM4",)), unsafe=True)[0]]
    texts += [PROGRAM_2X]
    return texts


def test_prefilters_are_necessary_conditions(monkeypatch):
    """Every finding is still found when rules run on files their PREFILTER tokens would skip."""
    from cartesia_migrate import registry

    s = Settings(select=("CM4",))
    corpus = _corpus()
    gated = [sorted((f.code, f.location) for f in check_source(t, "app.py", s)) for t in corpus]
    monkeypatch.setattr(registry, "rule_filter", lambda cls: None)
    ungated = [sorted((f.code, f.location) for f in check_source(t, "app.py", s)) for t in corpus]
    assert gated == ungated
    assert sum(map(len, gated)) > 50


def test_self_client_bound_in_a_base_class_of_this_file():
    src = d("""
        from cartesia import Cartesia


        class Base:
            def __init__(self):
                self.client = Cartesia(api_key=KEY)


        class Middle(Base):
            pass


        class Speaker(Middle):
            def status(self):
                return self.client.api_status.get()


        class Unrelated:
            def status(self):
                return self.client.api_status.get()
        """)
    assert [ln for ln, _ in codes_at(src, "CM410")] == [15]


def test_client_from_an_unannotated_lazy_getter():
    src = d("""
        from cartesia import Cartesia


        class Provider:
            def __init__(self, key):
                self._key = key
                self._client = None

            def _get_client(self):
                if self._client is None:
                    self._client = Cartesia(api_key=self._key)
                return self._client

            @property
            def client(self):
                return self._get_client()

            def speak(self, text):
                client = self._get_client()

                def _call():
                    return client.tts.bytes(model_id=M, transcript=text, voice=V, output_format=F)

                return _call()

            def status(self):
                return self.client.api_status.get()


        def maybe(flag):
            if flag:
                return Cartesia(api_key=K)
            return make_other()


        def chunks():
            yield Cartesia(api_key=K)


        maybe(True).api_status.get()
        chunks().api_status.get()
        """)
    assert [ln for ln, _ in codes_at(src, "CM401")] == [22]
    # the property returning the getter's client, not the generator nor the two-way function
    assert [ln for ln, _ in codes_at(src, "CM410")] == [27]


def test_client_held_by_an_object_of_a_class_of_this_file():
    src = d("""
        from typing import Optional
        from cartesia import Cartesia


        class Resources:
            def __init__(self, *, client: Cartesia, voice: str):
                self.client = client
                self.voice = voice


        def make() -> Resources:
            return Resources(client=Cartesia(api_key=K), voice=V)


        def test_status(resources: Resources):
            client = resources.client
            client.api_status.get()
            resources.voice.api_status.get()


        def direct(res: "Optional[Resources]"):
            res.client.api_status.get()
            Resources(client=Cartesia(api_key=K), voice=V).client.api_status.get()


        class Other:
            client = None


        def other(o: Other):
            o.client.api_status.get()
        """)
    assert [ln for ln, _ in codes_at(src, "CM410")] == [17, 22, 23]


def test_cm415_path_values():
    src = d("""
        from pathlib import Path
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        a = client.tts.infill(voice_id=V, left_audio_path="a.wav", right_audio_path=None)
        b = client.tts.infill(voice_id=V, left_audio_path=Path("a.wav"))
        c = client.tts.infill(voice_id=V, right_audio_path=maybe_path)
        """)
    fs = findings(src, "CM415")
    assert [f.fix.applicability for f in fs] == ["safe", "safe", "unsafe"]
    out = fixed(src, "CM415")
    assert 'a = client.tts.infill(voice_id=V, left_audio=pathlib.Path("a.wav"))' in out
    assert 'b = client.tts.infill(voice_id=V, left_audio=Path("a.wav"))' in out
    assert "right_audio_path=maybe_path" in out
    assert "right_audio=pathlib.Path(maybe_path)" in fixed(src, "CM415", unsafe=True)


def test_cm412_output_format_helpers():
    src = d("""
        from cartesia import Cartesia
        from cartesia.tts.utils.tts import get_output_format
        client = Cartesia(api_key=K)
        a = client.tts.get_output_format("raw_pcm_f32le_44100")
        b = client.tts.get_sample_rate("raw_pcm_s16le_16000")
        c = get_output_format("raw_pcm_mulaw_8000")
        d = client.tts.get_output_format(name)
        e = other.get_output_format("raw_pcm_f32le_44100")
        """)
    fs = findings(src, "CM412")
    assert [(f.location[0], f.fix is not None) for f in fs] == [(2, False), (4, True), (5, True), (6, True), (7, False)]
    out = fixed(src, "CM412")
    assert 'a = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}' in out
    assert "b = 16000" in out and '"encoding": "pcm_mulaw", "sample_rate": 8000}' in out
    # the function import is gone once nothing uses it
    only_function = "from cartesia.tts.utils.tts import get_output_format\nc = get_output_format('raw_pcm_f32le_8000')\n"
    assert fixed(only_function, "CM412") == 'c = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 8000}\n'


def test_cm409_explicitly_entered_manager_is_a_connection():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        conn = client.stt.manual_finalize.websocket(encoding="pcm_s16le", model="ink-2", sample_rate=16000).enter()
        conn.send_raw(b"x")
        conn.close(code=4242, reason="bye")
        """)
    assert not findings(src, "CM409")


def test_raw_and_streaming_response_wrappers_are_the_same_calls():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        r = client.tts.with_raw_response.generate(model_id=M, transcript=T, voice={"mode": "id", "id": V},
                                                  output_format=F)
        with client.tts.with_streaming_response.generate_sse(model_id=M, transcript=T, voice_id=V) as s:
            pass
        """)
    out = fixed(src, "CM404")
    assert "with_raw_response.generate(model_id=M, transcript=T, voice=V," in out
    assert "with_streaming_response.generate_sse(model_id=M, transcript=T, voice=V)" in out


def test_cm404_websocket_connect_generation_events():
    src = d("""
        from cartesia import AsyncCartesia, Cartesia
        client = Cartesia(api_key=KEY)
        with client.tts.websocket_connect() as connection:
            connection.send({
                "model_id": "sonic-3-2026-01-12",
                "transcript": "Hello, world!",
                "voice": {"mode": "id", "id": "voice-id"},
                "context_id": "ctx",
            })
            connection.send({"context_id": "ctx", "cancel": True})


        async def main(ac: AsyncCartesia):
            async with ac.tts.websocket_connect() as conn:
                await conn.send({"voice": {"mode": "id", "id": V}, "transcript": "x"})
        """)
    out = fixed(src, "CM404")
    assert '"voice": "voice-id",' in out and 'await conn.send({"voice": V, "transcript": "x"})' in out


# ---- _imports helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize("src,expected", [
    # merged into the existing statement, not duplicated
    ("from cartesia import Cartesia\n", "from cartesia import Cartesia, APIStatusError\n"),
    ("from cartesia import APIStatusError\n", "from cartesia import APIStatusError\n"),
    # after the last cartesia import
    ('"""Doc."""\nfrom __future__ import annotations\n\nimport os\nimport cartesia.types\nimport sys\n',
     '"""Doc."""\nfrom __future__ import annotations\n\nimport os\nimport cartesia.types\n'
     "from cartesia import APIStatusError\nimport sys\n"),
    # no cartesia import yet: top of the first import block, after __future__
    ('"""Doc."""\nfrom __future__ import annotations\n\nimport os\n\nx = 1\n',
     '"""Doc."""\nfrom __future__ import annotations\n\nfrom cartesia import APIStatusError\nimport os\n\nx = 1\n'),
    ("x = 1\n", "from cartesia import APIStatusError\nx = 1\n"),
])
def test_add_from_import(src, expected):
    import libcst as cst

    from cartesia_migrate.engine import LineIndex, apply_edits, make_edit
    from cartesia_migrate.positions import spans
    from cartesia_migrate.rule import InsertAfter, InsertAtOffset, InsertBefore, Replace
    from cartesia_migrate.rules._imports import add_from_import

    module = cst.parse_module(src)
    reqs = add_from_import(module, "cartesia", [("APIStatusError", None)])
    index = LineIndex(src)
    pos = spans(module, [r.node for r in reqs if hasattr(r, "node")])
    edits = []
    for r in reqs:
        if isinstance(r, Replace):
            s, e = pos[id(r.node)]
            edits.append(make_edit(index, s, e, r.text))
        elif isinstance(r, InsertBefore):
            s, _ = pos[id(r.node)]
            off = index.line_start(index.position(s)[0])
            edits.append(make_edit(index, off, off, r.text))
        elif isinstance(r, InsertAfter):
            _, e = pos[id(r.node)]
            off = index.line_start(index.position(e)[0] + 1)
            edits.append(make_edit(index, off, off, r.text))
        elif isinstance(r, InsertAtOffset):
            edits.append(make_edit(index, r.offset, r.offset, r.text))
    assert apply_edits(src, edits) == expected


# ---- the keyword table is what the installed cartesia 4.2.0 declares ----------------------------


def test_accepted_keywords_match_the_installed_sdk():
    import importlib.metadata
    import inspect

    from cartesia.lib._tts import AsyncWebSocketContext, WebSocketContext
    from cartesia.resources.tts import AsyncTTSResource, TTSResource
    from cartesia.resources.voice_changer import AsyncVoiceChangerResource, VoiceChangerResource

    from cartesia_migrate.rules._sdk import ACCEPTED_KEYWORDS, WS_CONTEXT_KEYWORDS

    assert importlib.metadata.version("cartesia") == "4.2.0"

    def keywords(fn):
        ps = inspect.signature(fn).parameters.values()
        return {p.name for p in ps if p.name != "self" and p.kind is not p.VAR_KEYWORD}

    owners = {"tts": (TTSResource, AsyncTTSResource), "voice_changer": (VoiceChangerResource, AsyncVoiceChangerResource)}
    for path, accepted in ACCEPTED_KEYWORDS.items():
        resource, method = path.split(".")
        for cls in owners[resource]:
            assert keywords(getattr(cls, method)) == set(accepted), (cls.__name__, method)
    for cls in (WebSocketContext, AsyncWebSocketContext):
        assert keywords(cls.send) == set(WS_CONTEXT_KEYWORDS), cls.__name__


def test_cm402_keywords_generate_sse_lacks_and_event_loops():
    head = "import base64\nfrom cartesia import Cartesia\nc = Cartesia(api_key=K)\n"
    src = head + "s = c.tts.sse(model_id=M, transcript=T, voice=V, output_format=F, duration=5, stream=True)\n"
    assert fixed(src, "CM402", unsafe=True).endswith(
        "s = c.tts.generate_sse(model_id=M, transcript=T, voice=V, output_format=F)\n"
    )
    [f] = findings(src, "CM402")
    assert "`duration=` has no 4.x equivalent" in f.message
    [f] = findings(head + "s = c.tts.sse(model_id=M, transcript=T, voice=V, output_format=F, bar=1)\n", "CM402")
    assert f.fix is None and "has no `bar=`" in f.message
    # a loop that reads more of the events than their audio: reported, not guessed
    src = head + d("""
        for ev in c.tts.generate_sse(model_id=M, transcript=T, voice=V, output_format=F, add_timestamps=True):
            print(ev.word_timestamps)
            sizes.append(len(ev.data))
        for ev2 in c.tts.generate_sse(model_id=M, transcript=T, voice=V, output_format=F):
            if ev2.type == "chunk":
                sizes.append(len(ev2.data))
            elif ev2.type == "done":
                break
        for ev3 in c.tts.generate_sse(model_id=M, transcript=T, voice=V, output_format=F):
            if ev3.type != "chunk":
                continue
            play(ev3.audio)
        """)
    f, g = findings(src, "CM402")
    assert f.location[0] == 6 and f.fix is None and 'under `if ev.type == "chunk":`' in f.message
    # a chunk's audio may be None (a chunk without data)
    assert g.location[0] == 15 and g.fix is not None and "None for a chunk without data" in g.message
    assert fixed(src, "CM402", unsafe=True) == src.replace("play(ev3.audio)", 'play(ev3.audio or b"")')
    # the one-liner cannot take a guard statement
    src = head + "for e in c.tts.generate_sse(model_id=M, transcript=T, voice=V, output_format=F): play(e.audio)\n"
    f, g = findings(src, "CM402")
    assert f.fix is None and g.fix is not None
    # reads that handle None already are left alone; events kept in a list get the guard
    src = head + d("""
        kept = []
        for e in c.tts.generate_sse(model_id=M, transcript=T, voice=V, output_format=F):
            kept.append(e)
        for e2 in c.tts.generate_sse(model_id=M, transcript=T, voice=V, output_format=F):
            if e2.type == "chunk":
                x = e2.audio if e2.audio else b""
                y = e2.audio or b""
        """)
    fs = findings(src, "CM402")
    assert [(x.location[0], x.fix is not None) for x in fs] == [(6, True), (9, True)], [x.message for x in fs]
    out = fixed(src, "CM402", unsafe=True)
    assert '    if e.type != "chunk":\n        continue\n    kept.append(e)\n' in out
    assert 'x = (e2.audio or b"") if e2.audio else b""' in out


def test_cm415_none_sides_are_dropped_and_unknown_keywords_block():
    head = "from cartesia import Cartesia\nclient = Cartesia(api_key=K)\n"
    src = head + d("""
        a = client.infill.bytes(left_audio=f, right_audio=None, model_id=M, transcript="t", voice_id=V,
                                output_format_container="wav", output_format_sample_rate=44100)
        b = client.tts.infill(left_audio=None, right_audio=f, transcript="t", voice_id=V)
        ok = client.tts.infill(left_audio=f, right_audio=g, transcript="t", voice_id=V)
        """)
    fs = findings(src, "CM415")
    assert [f.location[0] for f in fs] == [3, 5]
    assert all(f.fix.applicability == "safe" for f in fs)
    assert "`right_audio=None` dropped" in fs[0].message and "`left_audio=None` is dropped" in fs[1].message
    out = fixed(src, "CM415")
    assert (
        'a = client.tts.infill(left_audio=f, model_id=M, transcript="t", voice_id=V,\n'
        + " " * 24
        + 'output_format={"container": "wav", "sample_rate": 44100}).iter_bytes()\n'
    ) in out
    assert 'b = client.tts.infill(right_audio=f, transcript="t", voice_id=V)\n' in out
    compile(out, "app.py", "exec")
    for call in (
        "client.infill.bytes(left_audio=f, weird=1)",
        "client.tts.infill(left_audio_path='a.wav', transcript='t', experimental_voice_controls={})",
    ):
        [f] = findings(head + "x = " + call + "\n", "CM415")
        assert f.fix is None and "has no `" in f.message and "not fixed: not fixed" not in f.message, f.message


def test_cm408_event_type_reads_and_keywords():
    src = d("""
        import base64
        from cartesia import Cartesia
        client = Cartesia(api_key=KEY)
        for chunk in client.voice_changer.sse(clip=f, voice_id=V):
            if chunk.type == "chunk":
                out.write(base64.b64decode(chunk.data))
            elif chunk.type == "done":
                break
        for ev in client.voice_changer.generate_sse(clip=f, voice_id=V):
            if (ev.type != "chunk"):
                continue
            log(ev.type)
        for other in stream_of_something():
            if other.type == "chunk":
                pass
        """)
    fs = findings(src, "CM408")
    assert [f.location[0] for f in fs] == [4, 5, 7, 10, 12]
    out = fixed(src, "CM408")
    assert out == src.replace(".voice_changer.sse(", ".voice_changer.generate_sse(").replace(
        'if chunk.type == "chunk":', "if not chunk.done:"
    ).replace(
        'elif chunk.type == "done":', 'elif getattr(chunk, "type", "done" if chunk.done else "chunk") == "done":'
    ).replace('if (ev.type != "chunk"):', "if (ev.done):").replace(
        "log(ev.type)", 'log(getattr(ev, "type", "done" if ev.done else "chunk"))'
    )
    assert 'if other.type == "chunk":' in out
    # a keyword 4.2.0 lacks blocks the rename
    [f] = findings("from cartesia import Cartesia\nc = Cartesia(api_key=K)\nc.voice_changer.bytes(clip=f, x=1)\n",
                   "CM408")
    assert f.fix is None and "has no `x=`" in f.message


def test_cm408_event_type_fix_runs_on_4_2_0_events():
    """The rewritten tests give 2.x's ``type`` for every event 4.2.0 parses (built from its own types)."""
    from cartesia.types.voice_changer_sse_event import VoiceChangerSSEChunk, VoiceChangerSSEDone, VoiceChangerSSEError

    events = [
        VoiceChangerSSEChunk.construct(data="AA==", done=False, sample_rate=44100, status_code=206, step_time=1.0),
        VoiceChangerSSEDone.construct(done=True, status_code=200),
        VoiceChangerSSEError.construct(done=True, message="m", request_id="r", status_code=400, title="t", type="error"),
    ]
    got = [(not ev.done, getattr(ev, "type", "done" if ev.done else "chunk")) for ev in events]
    assert got == [(True, "chunk"), (False, "done"), (False, "error")]
    import pytest as _pytest

    with _pytest.raises(AttributeError):
        events[0].type  # what the 2.x loop read


# ---- CM403: the fixed sessions run on cartesia 4.2.0 against a WebSocket server on 127.0.0.1 ----


class _TtsSocketServer:
    """The 4.x TTS WebSocket protocol, small: a chunk per non-empty transcript (its bytes), then
    ``done`` for the context once a request says ``"continue": false``.  Logs what it received."""

    def __init__(self):
        import threading

        from websockets.sync.server import serve

        self.received = []
        self._server = serve(self._handle, "127.0.0.1", 0)
        self.url = "ws://127.0.0.1:%d" % self._server.socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _handle(self, conn):
        import base64
        import json

        from websockets.exceptions import ConnectionClosed

        try:
            for raw in conn:
                msg = json.loads(raw)
                self.received.append(msg)
                cid = msg["context_id"]
                if msg.get("transcript"):
                    conn.send(json.dumps({
                        "type": "chunk", "context_id": cid, "data": base64.b64encode(msg["transcript"].encode()).decode(),
                        "done": False, "status_code": 206, "step_time": 1.0,
                    }))
                if not msg.get("continue", False):
                    conn.send(json.dumps({"type": "done", "context_id": cid, "done": True, "status_code": 200}))
        except ConnectionClosed:
            pass

    def close(self):
        self._server.shutdown()
        self._thread.join()


WS_PROGRAMS = {
    "1x-send-loop": (
        d("""
            from cartesia import Cartesia

            client = Cartesia(api_key="k", websocket_base_url=WS_URL)
            ws = client.tts.websocket()
            for output in ws.send(
                model_id="sonic-3-2026-01-12",
                transcript="Hello there",
                voice_id="a0e99841",
                stream=True,
                output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 22050},
            ):
                buffer = output["audio"]
                OUT.append(buffer)
            ws.close()
            """),
        b"Hello there",
    ),
    "2x-send-loop-in-function": (
        d("""
            from cartesia import Cartesia


            def speak(text):
                client = Cartesia(api_key="k", websocket_base_url=WS_URL)
                ws = client.tts.websocket()
                for output in ws.send(model_id="sonic-3-2026-01-12", transcript=text,
                                      voice={"mode": "id", "id": "a0e99841"}, stream=True,
                                      output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 22050}):
                    OUT.append(output.audio)
                ws.close()


            speak("Hi")
            """),
        b"Hi",
    ),
    "async-context": (
        d("""
            import asyncio
            from cartesia import AsyncCartesia


            async def main():
                client = AsyncCartesia(api_key="k", websocket_base_url=WS_URL)
                ws = await client.tts.websocket()
                ctx = ws.context()
                for t in ["One ", "two"]:
                    await ctx.send(model_id="sonic-3-2026-01-12", transcript=t, voice="a0e99841", continue_=True,
                                   output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100})
                await ctx.no_more_inputs()
                async for out in ctx.receive():
                    OUT.append(out["audio"])
                await ws.close()


            asyncio.run(main())
            """),
        b"One two",
    ),
    "async-send-loop": (
        d("""
            import asyncio
            from cartesia import AsyncCartesia


            async def main():
                client = AsyncCartesia(api_key="k", websocket_base_url=WS_URL)
                ws = await client.tts.websocket()
                async for out in await ws.send(model_id="sonic-3-2026-01-12", transcript="Async", voice="a0e99841",
                                               output_format={"container": "raw", "encoding": "pcm_f32le",
                                                              "sample_rate": 44100}, stream=True):
                    OUT.append(out.audio)
                await ws.close()


            asyncio.run(main())
            """),
        b"Async",
    ),
    "1x-async-context-in-tasks": (
        # the 1.x README's async continuation example: the context goes to two functions
        d("""
            import asyncio
            from cartesia import AsyncCartesia


            async def send_transcripts(ctx):
                for transcript in ["Sonic ", "and Yoshi"]:
                    await ctx.send(
                        model_id="sonic-3-2026-01-12",
                        transcript=transcript,
                        voice_id="a0e99841",
                        continue_=True,
                        output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100},
                    )
                await ctx.no_more_inputs()


            async def receive_and_play_audio(ctx):
                async for output in ctx.receive():
                    buffer = output["audio"]
                    OUT.append(buffer)


            async def stream_and_listen():
                client = AsyncCartesia(api_key="k", websocket_base_url=WS_URL)
                ws = await client.tts.websocket()
                ctx = ws.context()
                send_task = asyncio.create_task(send_transcripts(ctx))
                listen_task = asyncio.create_task(receive_and_play_audio(ctx))
                await asyncio.gather(send_task, listen_task)
                await ws.close()


            asyncio.run(stream_and_listen())
            """),
        b"Sonic and Yoshi",
    ),
}


def _run_program(src, url):
    out = []
    exec(compile(src, "program.py", "exec"), {"__name__": "program", "WS_URL": url, "OUT": out})
    return b"".join(out)


@pytest.mark.parametrize("name", sorted(WS_PROGRAMS))
def test_cm403_fixed_sessions_run_on_4_2_0(name):
    pytest.importorskip("websockets", reason="cartesia[websockets] is the 4.2.0 WebSocket transport")
    src, expected = WS_PROGRAMS[name]
    [f] = findings(src, "CM403")
    assert f.fix is not None and f.fix.applicability == "unsafe", f.message
    out, left = fix_source(src, "app.py", Settings(select=("CM4",)), unsafe=True)
    again, _ = fix_source(out, "app.py", Settings(select=("CM4",)), unsafe=True)
    assert again == out and not left, [x.message for x in left]
    assert ".websocket_connect().enter()" in out and ".websocket()" not in out
    compile(out, "app.py", "exec")
    server = _TtsSocketServer()
    try:
        # the legacy program fails on 4.2.0 (1.x dicts, the extra output of the done event, the async
        # backcompat context before connect())
        with pytest.raises((TypeError, AttributeError, RuntimeError)):
            _run_program(src, server.url)
        server.received.clear()
        assert _run_program(out, server.url) == expected
        sent = [m for m in server.received if m["transcript"]]
        assert sent and all(m["voice"] in ("a0e99841", {"mode": "id", "id": "a0e99841"}) for m in sent)
        assert {m["model_id"] for m in sent} == {"sonic-3-2026-01-12"}
    finally:
        server.close()


CM403_BLOCKED = {
    "attribute": ("self.ws = client.tts.websocket()\n", "not assigned to a plain variable"),
    "stream-false": (
        "ws = client.tts.websocket()\nr = ws.send(model_id=M, transcript=T, voice=V, output_format=F, stream=False)\n",
        "stored or passed on",
    ),
    "stream-false-loop": (
        "ws = client.tts.websocket()\nfor o in ws.send(model_id=M, transcript=T, voice=V, output_format=F, "
        "stream=False):\n    pass\n",
        "`stream=False`",
    ),
    "timestamps": (
        "ws = client.tts.websocket()\nfor o in ws.send(model_id=M, transcript=T, voice=V, output_format=F, "
        "add_timestamps=True):\n    print(o.word_timestamps)\n",
        "`o.word_timestamps`",
    ),
    "dict-get": (
        "ws = client.tts.websocket()\nfor o in ws.send(model_id=M, transcript=T, voice=V, output_format=F):\n"
        "    play(o.get('audio'))\n",
        "`o.get`",
    ),
    "nested-function": (
        "ws = client.tts.websocket()\ndef speak():\n    ws.close()\n",
        "nested function",
    ),
    "generator-context-1x": (
        "ws = client.tts.websocket()\nctx = ws.context()\nfor o in ctx.send(model_id=M, transcript=gen(), "
        "voice_id=V, output_format=F):\n    play(o['audio'])\n",
        "1.x context",
    ),
    "context-passed-on": (
        "ws = client.tts.websocket()\nctx = ws.context()\nlisten(ctx)\n",
        "passed on",
    ),
    "unknown-keyword": (
        "ws = client.tts.websocket()\nfor o in ws.send(model_id=M, transcript=T, voice=V, output_format=F, "
        "use_original_timestamps=True):\n    play(o.audio)\n",
        "`use_original_timestamps=` has no place",
    ),
    "ws-passed-on": ("ws = client.tts.websocket()\nuse(ws)\n", "other than by calling its methods"),
    "rebound": ("ws = client.tts.websocket()\nws = None\n", "bound more than once"),
}


@pytest.mark.parametrize("name", sorted(CM403_BLOCKED))
def test_cm403_shapes_the_fix_does_not_cover_are_reported(name):
    body, why = CM403_BLOCKED[name]
    src = "from cartesia import Cartesia\nclient = Cartesia(api_key=K)\n" + body
    if name == "attribute":
        src = "from cartesia import Cartesia\n\n\nclass S:\n    def __init__(self):\n        self.client = Cartesia()\n" \
              "        self.ws = self.client.tts.websocket()\n"
    f, *more = findings(src, "CM403")
    assert f.fix is None and "not fixed: " in f.message and why in f.message, f.message
    assert fixed(src, "CM403", unsafe=True) == src
    if name == "generator-context-1x":  # also reported where it fails: 4.x ``send()`` returns None
        [g] = more
        assert g.location[0] == 5 and g.fix is None and "returns None" in g.message
    else:
        assert not more


def test_cm403_other_sessions_in_other_functions_do_not_block():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=K)


        def a():
            ws = client.tts.websocket()
            for out in ws.send(model_id=M, transcript="x", voice_id=V, output_format=F):
                if out["audio"]:
                    play(out["audio"], output=True)
            ws.close()


        def b(ws):
            ws.close()
        """)
    out = fixed(src, "CM403", unsafe=True)
    assert "    ctx = ws.context(model_id=M, voice=V, output_format=F)\n    ctx.push(\"x\")\n" in out
    assert '        if out.audio or b"":\n            play(out.audio or b"", output=True)\n' in out
    assert "def b(ws):\n    ws.close()\n" in out
    assert not findings(out, "CM403")


@pytest.mark.parametrize(
    "call",
    [
        "Cartesia(\n    api_key=K,\n    environment=CartesiaEnvironment.PRODUCTION,\n    follow_redirects=True,\n)",
        "Cartesia(api_key=K, environment=CartesiaEnvironment.PRODUCTION, follow_redirects=True)",
        "Cartesia(api_key=K, follow_redirects=True, environment=CartesiaEnvironment.PRODUCTION,)",
        "Cartesia(\n    environment=CartesiaEnvironment.PRODUCTION,\n    follow_redirects=True,\n)",
    ],
)
def test_neighbouring_arguments_removed_by_two_findings_compose(call):
    """Two findings each dropping one of two neighbouring arguments: applied together, the code parses."""
    src = "from cartesia import Cartesia, CartesiaEnvironment\nclient = %s\n" % call
    assert len([f for f in findings(src, "CM405") if f.fix]) >= 2
    out, _ = fix_source(src, "app.py", Settings(select=("CM405",)), unsafe=True)
    compile(out, "app.py", "exec")
    assert "environment=" not in out and "follow_redirects" not in out


def test_cm403_stream_false_result_and_flush():
    head = "from cartesia import Cartesia\nclient = Cartesia(api_key=K)\nws = client.tts.websocket()\n"
    src = head + d("""
        response = ws.send(model_id=M, transcript=T, voice=V, output_format=F, stream=False, add_timestamps=True)
        words = response["word_timestamps"]["words"]
        other = response["something"]
        """)
    fs = findings(src, "CM403")
    assert [(f.location[0], f.fix is not None) for f in fs] == [(3, False), (5, True)]
    out = fixed(src, "CM403", unsafe=True)
    assert 'words = response.word_timestamps["words"]\n' in out and 'other = response["something"]' in out
    # 2.x async ``ctx.flush()`` has no 4.x context method
    src = d("""
        from cartesia import AsyncCartesia


        async def main(client: AsyncCartesia):
            ws = await client.tts.websocket()
            ctx = ws.context("c")
            receiver = await ctx.flush()
        """)
    f, *more = findings(src, "CM403")
    assert f.fix is None and "`ctx.flush()` has no 4.x equivalent" in f.message
    assert [g.location[0] for g in more] == [6, 7]  # the async context before connect(); the flush


def test_cm407_4x_return_values_used_in_older_shapes():
    src = d("""
        from cartesia import Cartesia
        client = Cartesia(api_key=K)
        voice = client.voices.get(id=V)
        print(voice["name"], len(voice["embedding"]), voice.embedding, voice["odd"])
        label = "public" if voice.is_public else "private"
        shown = not voice.is_public
        flag = voice.is_public == wanted
        voices = client.voices.list()
        print(len(voices), voices[0])
        for v in voices:
            print(v["id"])
        for page in voices.iter_pages():
            print(page.items)
        other = {"name": 1}
        print(other["name"], len(other))
        """)
    fs = findings(src, "CM407")
    got = [(f.location[0], f.fix is not None) for f in fs]
    assert got == [(4, True), (4, False), (4, False), (4, False), (5, True), (6, True), (7, True), (9, True),
                   (9, False), (11, True), (13, True)], got
    assert all(f.fix.applicability == "unsafe" for f in fs if f.fix)
    out = fixed(src, "CM407", unsafe=True)
    assert 'print(voice.name, len(voice["embedding"]), voice.embedding, voice["odd"])' in out
    assert 'label = "public" if voice.access == "public" else "private"' in out
    assert 'shown = not voice.access == "public"' in out
    assert 'flag = (voice.access == "public") == wanted' in out
    assert "print(len(list(voices)), voices[0])" in out and 'print(v.id)' in out and "print(page.data)" in out
    assert 'print(other["name"], len(other))' in out
    compile(out, "app.py", "exec")


def test_cm412_union_successor_called_as_a_constructor_is_reported_not_moved():
    src = d("""
        from cartesia.tts import OutputFormat_RawParams, TtsRequestIdSpecifierParams

        FORMAT = OutputFormat_RawParams(container="raw", encoding="pcm_f32le", sample_rate=44100)
        VOICE = TtsRequestIdSpecifierParams(mode="id", id=V)
        """)
    fs = findings(src, "CM412")
    assert [(f.location[0], f.fix is not None) for f in fs] == [(1, True), (1, False), (4, False)]
    assert "cannot be called" in fs[1].message
    out = fixed(src, "CM412")
    assert "VoiceSpecifierParam" not in out and "RawOutputFormatParam(container=" in out
    # used as a type only: moved as before
    src = "from cartesia.tts import TtsRequestIdSpecifierParams\nv: TtsRequestIdSpecifierParams = V\n"
    assert "VoiceSpecifierParam" in fixed(src, "CM412")


def test_cm403_async_session_left_as_it_is_reports_its_contexts():
    src = d("""
        from cartesia import AsyncCartesia


        async def main(client: AsyncCartesia):
            ws = await client.tts.websocket()
            ctx = ws.context("c")
            await ctx.send(model_id=M, transcript=T, voice=V, output_format=F, continue_=True)
            receiver = await ctx.flush()
        """)
    fs = findings(src, "CM403")
    assert [(f.location[0], f.fix) for f in fs] == [(5, None), (6, None), (8, None)]
    assert "Must call connect() before creating context" in fs[1].message
    assert "On 4.x this fails: `ctx.flush()`" in fs[2].message
    # with ``await ws.connect()`` first, the context is created fine (the session is reported, not fixed)
    src2 = src.replace('    ctx = ws.context("c")', '    await ws.connect()\n    ctx = ws.context("c")')
    [f] = findings(src2, "CM403")
    assert f.location[0] == 5 and "`ws.connect()`" in f.message


# ---- a client passed to a function of this file (the semantic model follows the call sites) -----------------

PASSED = '''
from cartesia import AsyncCartesia


async def speak(client, text):
    stream = client.tts.sse(transcript=text, model_id="sonic-3", voice={"mode": "id", "id": "v"},
                            output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100})
    async for event in stream:
        print(event)


async def main():
    client = AsyncCartesia(api_key="k")
    await speak(client, "hello")
    await speak(client=client, text="again")
'''


def test_client_passed_to_a_local_function_is_followed():
    assert [f.location[0] for f in findings(PASSED, "CM402")] == [6]
    out = fixed(PASSED, "CM402", unsafe=True)
    assert "stream = await client.tts.generate_sse(" in out
    compile(out, "app.py", "exec")


@pytest.mark.parametrize("change", [
    # the function escapes (passed on as a value): callers elsewhere may pass anything
    ("    await speak(client, \"hello\")\n", "    await speak(client, \"hello\")\n    run(speak)\n"),
    # one caller passes something else
    ("    await speak(client=client, text=\"again\")\n", "    await speak(other, \"again\")\n"),
    # a caller relies on *args
    ("    await speak(client=client, text=\"again\")\n", "    await speak(*args)\n"),
    # the name is rebound at module level
    ("async def main():\n", "speak = other_speak\n\n\nasync def main():\n"),
    # mentioned in text too (a string may be a name used by getattr or an export list)
    ("async def main():\n", "__all__ = [\"speak\"]\n\n\nasync def main():\n"),
])
def test_client_passed_to_a_local_function_not_followed_when_uncertain(change):
    old, new = change
    assert old in PASSED
    assert findings(PASSED.replace(old, new), "CM402") == []


def test_client_passed_to_a_local_function_with_two_client_kinds_is_not_followed():
    src = PASSED.replace("from cartesia import AsyncCartesia", "from cartesia import AsyncCartesia, Cartesia") \
        .replace("    await speak(client=client, text=\"again\")\n",
                 "    await speak(client=Cartesia(api_key=\"k\"), text=\"again\")\n")
    assert findings(src, "CM402") == []
