"""CM201-CM205: credentials and transport."""
import textwrap

import pytest

from cartesia_migrate.redact import redact

from .helpers import findings, fixed, lines

KEY = "sk_car_9fQ2mX4tLp8Zr1.Wc7bN3vK6hJ0dS5e"
KEY2 = "sk_car_26auCJp8cHzlQEWht8NC1"  # the shape of real keys (synthetic): 21 characters, mixed case and digits
ADMIN = "sk_car_admin_Wd3N52OWt3O2VcbNs6UPKl.NfprBQuXpxxSrWLYubZWWuONUCzDhTCjoACmMCdN674"


def src(text):
    return textwrap.dedent(text).lstrip("\n")


# ---- CM201 hardcoded-api-key -----------------------------------------------------------

@pytest.mark.parametrize("code", [
    'client = Cartesia(api_key="%s")\n' % KEY,
    'client = Cartesia(api_key="%s")\n' % KEY2,
    'KEY = "%s"\n' % ADMIN,
    'KEY = "sk_car_-VPmtFehhIRz5S16IlL"\n',  # a body may start with "-"
    'headers = {"X-API-Key": "%s"}\n' % KEY2,
    'headers = {"Authorization": "Bearer %s"}\n' % KEY2,
    'headers = {"Authorization": f"Bearer %s"}\n' % KEY2,
    'key = os.getenv("CARTESIA_API_KEY", "%s")\n' % KEY2,
    'x = 1  # the old one was %s\n' % KEY2,
    'def f():\n    """Use %s."""\n' % KEY2,
    'KEY = ("sk_car_26auCJp8"\n       "cHzlQEWht8NC1")\n',
    'KEY = b"%s"\n' % KEY2,
])
def test_cm201_fires(code):
    assert len(findings(code, "CM201")) == 1


@pytest.mark.parametrize("code", [
    'PREFIX = "sk_car_"\n',
    'ADMIN_PREFIX = "sk_car_admin_"\n',
    'EXAMPLE = "sk_car_..."\n',
    'x = "sk_car_xxx"\n',
    'x = "sk_car_xxxxxxxxxxxxxxxxxxxx"\n',
    'x = "sk_car_your_key_here"\n',
    'x = "sk_car_your-key-here"\n',
    'x = "sk_car_YOUR_API_KEY"\n',
    'x = "sk_car_1234567890"\n',  # one character class
    'x = "sk_car_1234567890abcdef"\n',  # typed runs
    'x = "sk_car_aaaaBBBB1111cccc"\n',
    'x = "sk_car_<your key>"\n',
    'x = "test-api-key"\n',
    'if key.startswith("sk_car_"):\n    pass\n',
    'x = 1  # export CARTESIA_API_KEY=sk_car_...\n',
    'x = f"sk_car_{suffix}"\n',
])
def test_cm201_does_not_fire(code):
    assert findings(code, "CM201") == []


@pytest.mark.parametrize("value", ["sk_car_test", "sk_car_testkey123456", "sk_car_fake_key_for_tests",
                                   "sk_car_abc123def", "sk_car_a1b2c3d4e5f6g7h8", "sk_car_0f3a9b2c7d1e"])
@pytest.mark.parametrize("path", ["tests/test_client.py", "test_app.py", "app_test.py", "tests/unit/helpers.py",
                                  "conftest.py"])
def test_cm201_placeholders_in_test_files_are_quiet(value, path):
    code = 'client = Cartesia(api_key="%s")\nmonkeypatch.setenv("CARTESIA_API_KEY", "%s")\n' % (value, value)
    assert findings(code, "CM201", path=path) == []


def test_cm201_real_key_in_a_test_file_still_fires():
    assert lines('client = Cartesia(api_key="%s")\n' % KEY2, "CM201", path="tests/test_client.py") == [1]
    # lower case and digits only: a key outside tests, a fixture inside them
    hexish = 'k = "sk_car_3f9a2b7c4d1e5f608e"\n'
    assert lines(hexish, "CM201") == [1]
    assert lines(hexish, "CM201", path="tests/test_x.py") == []


def test_cm201_message_redacts_and_says_rotate():
    (f,) = findings('KEY = "%s"\n' % KEY, "CM201")
    assert KEY not in f.message and "sk_car_\u2026dS5e" in f.message
    assert "rotate" in f.message
    assert KEY not in f.fix.message


def test_cm201_constant_passed_to_client_reported_at_the_literal():
    code = src('''
        from cartesia import Cartesia

        API_KEY = "%s"
        client = Cartesia(api_key=API_KEY)
    ''' % KEY2)
    (f,) = findings(code, "CM201")
    assert f.location == (3, 11)
    assert fixed(code, "CM201", unsafe=True) == src('''
        import os
        from cartesia import Cartesia

        API_KEY = os.environ["CARTESIA_API_KEY"]
        client = Cartesia(api_key=API_KEY)
    ''')


@pytest.mark.parametrize("before, after", [
    ('key = os.getenv("CARTESIA_API_KEY", "%s")\n', 'key = os.environ["CARTESIA_API_KEY"]\n'),
    ('key = os.environ.get("CARTESIA_API_KEY", "%s")\n', 'key = os.environ["CARTESIA_API_KEY"]\n'),
    # the user's own variable name is kept
    ('key = os.getenv("TTS_KEY", default="%s")\n', 'key = os.environ["TTS_KEY"]\n'),
    ('key = os.getenv(ENV_NAME, "%s")\n', 'key = os.environ[ENV_NAME]\n'),
    ('key = os.getenv("TTS_KEY") or "%s"\n', 'key = os.environ["TTS_KEY"]\n'),
    ('client = Cartesia(api_key="%s")\n', 'client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])\n'),
    ('h = {"X-API-Key": "%s"}\n', 'h = {"X-API-Key": os.environ["CARTESIA_API_KEY"]}\n'),
    ('def key():\n    return "%s"\n', 'def key():\n    return os.environ["CARTESIA_API_KEY"]\n'),
])
def test_cm201_unsafe_fix(before, after):
    code = "import os\n" + before % KEY2
    assert fixed(code, "CM201", unsafe=True) == "import os\n" + after
    assert fixed(code, "CM201") == code  # unsafe: not without the flag


def test_cm201_fix_adds_import_os_after_docstring_and_future():
    code = '"""App."""\nfrom __future__ import annotations\n\nKEY = "%s"\n' % KEY2
    assert fixed(code, "CM201", unsafe=True) == \
        '"""App."""\nfrom __future__ import annotations\nimport os\n\nKEY = os.environ["CARTESIA_API_KEY"]\n'


@pytest.mark.parametrize("code", [
    'x = 1  # key: %s\n',  # comments: reported, never rewritten
    'def f():\n    """%s"""\n',
    'h = {"Authorization": "Bearer %s"}\n',
    'u = f"Bearer %s {x}"\n',
    'os.environ["CARTESIA_API_KEY"] = "%s"\n',
    'os.environ.setdefault("CARTESIA_API_KEY", "%s")\n',
    'monkeypatch.setenv("CARTESIA_API_KEY", "%s")\n',
    'patch.dict(os.environ, {"CARTESIA_API_KEY": "%s"})\n',
    'os.environ.update({"CARTESIA_API_KEY": "%s"})\n',
    'def f(key="%s"):\n    pass\n',
    'keys = ["%s"]\n',
])
def test_cm201_reported_without_fix(code):
    code = "import os\n" + code % KEY2
    (f,) = findings(code, "CM201")
    assert f.fix is None
    assert fixed(code, "CM201", unsafe=True) == code


def test_cm201_comment_finding_says_delete_by_hand():
    (f,) = findings("# %s\nx = 1\n" % KEY2, "CM201")
    assert f.location == (1, 1) and "comment" in f.message


def test_cm201_noqa():
    assert findings('KEY = "%s"  # noqa: CM201\n' % KEY2, "CM201") == []


# ---- CM202 api-key-to-client -----------------------------------------------------------

def test_cm202_two_assignments_and_a_self_attribute():
    code = src('''
        import os
        from flask import Flask, jsonify

        app = Flask(__name__)
        first = os.environ["CARTESIA_API_KEY"]
        second = first


        class Keys:
            def __init__(self):
                self.browser = second

            def payload(self):
                return jsonify(key=self.browser)


        @app.route("/config")
        def config():
            third = second
            return {"apiKey": third}
    ''')
    assert lines(code, "CM202") == [14, 20]


def test_cm202_definition_order_does_not_matter():
    code = src('''
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/config")
        def config():
            return {"key": KEY}


        KEY = os.getenv("CARTESIA_API_KEY")
    ''')
    assert lines(code, "CM202") == [8]


def test_cm202_message_shows_the_access_token_pattern():
    code = 'from flask import jsonify\nimport os\njsonify(os.environ["CARTESIA_API_KEY"])\n'
    (f,) = findings(code, "CM202")
    assert 'client.access_token.create(grants={"tts": True}, expires_in=600).token' in f.message
    assert "jsonify" in f.message
    assert f.fix is None


SINKS = {
    "flask return": '''
        import os
        from flask import Flask
        app = Flask(__name__)
        @app.route("/key")
        def key():
            return {"key": os.environ["CARTESIA_API_KEY"]}  # !
    ''',
    "flask jsonify": '''
        import os
        from flask import jsonify
        def key():
            return jsonify({"key": os.environ["CARTESIA_API_KEY"]})  # !
    ''',
    "flask Response": '''
        import os, json
        from flask import Response
        def key():
            return Response(json.dumps({"key": os.environ["CARTESIA_API_KEY"]}), mimetype="application/json")  # !
    ''',
    "flask make_response": '''
        import os
        from flask import make_response
        def key():
            return make_response(os.environ["CARTESIA_API_KEY"])  # !
    ''',
    "flask render_template": '''
        from flask import render_template, current_app
        def page():
            return render_template("page.html", key=current_app.config["CARTESIA_API_KEY"])  # !
    ''',
    "flask MethodView": '''
        import os
        from flask.views import MethodView
        class KeyView(MethodView):
            def get(self):
                return {"key": os.environ["CARTESIA_API_KEY"]}  # !
    ''',
    "fastapi return": '''
        from fastapi import APIRouter, Depends
        router = APIRouter()
        @router.get("/config")
        async def config(settings: Settings = Depends(get_settings)):
            return {"cartesia": settings.cartesia_api_key}  # !
    ''',
    "fastapi JSONResponse": '''
        import os
        from fastapi.responses import JSONResponse
        async def config():
            return JSONResponse(content={"key": os.getenv("CARTESIA_API_KEY")})  # !
    ''',
    "fastapi TemplateResponse": '''
        import os
        from fastapi.templating import Jinja2Templates
        templates = Jinja2Templates(directory="templates")
        KEY = os.environ["CARTESIA_API_KEY"]
        async def page(request):
            return templates.TemplateResponse("page.html", {"request": request, "key": KEY})  # !
    ''',
    "starlette HTMLResponse": '''
        import os
        from starlette.responses import HTMLResponse
        KEY = os.environ["CARTESIA_API_KEY"]
        async def homepage(request):
            return HTMLResponse(f"<script>const KEY = '{KEY}';</script>")  # !
    ''',
    "starlette endpoint": '''
        import os
        from starlette.endpoints import HTTPEndpoint
        from starlette.responses import JSONResponse
        class Config(HTTPEndpoint):
            async def get(self, request):
                return JSONResponse({"key": os.environ["CARTESIA_API_KEY"]})  # !
    ''',
    "django JsonResponse": '''
        from django.conf import settings
        from django.http import JsonResponse
        def config(request):
            return JsonResponse({"key": settings.CARTESIA_API_KEY})  # !
    ''',
    "django render": '''
        from django.conf import settings
        from django.shortcuts import render
        def page(request):
            context = {"title": "Voice"}
            context["cartesia_key"] = settings.CARTESIA_API_KEY
            return render(request, "page.html", context)  # !
    ''',
    "django HttpResponse": '''
        from django.conf import settings
        from django.http import HttpResponse
        def page(request):
            return HttpResponse("<script>var key = '%s';</script>" % settings.CARTESIA_API_KEY)  # !
    ''',
    "aiohttp json_response": '''
        import os
        from aiohttp import web
        routes = web.RouteTableDef()
        @routes.get("/key")
        async def key(request):
            return web.json_response({"key": os.environ["CARTESIA_API_KEY"]})  # !
    ''',
    "aiohttp Response": '''
        import os
        from aiohttp import web
        async def key(request):
            return web.Response(text=os.environ["CARTESIA_API_KEY"])  # !
    ''',
    "aiohttp_jinja2 template": '''
        import os
        import aiohttp_jinja2
        @aiohttp_jinja2.template("page.html")
        async def page(request):
            return {"key": os.environ["CARTESIA_API_KEY"]}  # !
    ''',
    "html text": '''
        import os
        KEY = os.environ["CARTESIA_API_KEY"]
        PAGE = "<html><script>const ws = new WebSocket('wss://api.cartesia.ai/tts/websocket?api_key=" + KEY + "')</script>"  # !
    ''',
    "js format": '''
        import os
        SCRIPT = "const apiKey = '{}';".format(os.environ["CARTESIA_API_KEY"])  # !
    ''',
    "streamlit": '''
        import streamlit as st
        key = st.secrets["CARTESIA_API_KEY"]
        st.text_input("Cartesia key", value=key, type="password")  # !
    ''',
    "streamlit components": '''
        import os
        import streamlit.components.v1 as components
        key = os.environ["CARTESIA_API_KEY"]
        components.html(f"<script>window.KEY = '{key}'</script>")  # !
    ''',
    "gradio": '''
        import os
        import gradio as gr
        with gr.Blocks() as demo:
            gr.Textbox(value=os.environ["CARTESIA_API_KEY"], label="key")  # !
    ''',
    "fastapi websocket send": '''
        import os
        from fastapi import FastAPI, WebSocket
        app = FastAPI()
        @app.websocket("/ws")
        async def ws(websocket: WebSocket):
            await websocket.accept()
            await websocket.send_json({"type": "config", "key": os.environ["CARTESIA_API_KEY"]})  # !
    ''',
    "gradio event handler": '''
        import os
        import gradio as gr
        def reveal():
            return os.environ["CARTESIA_API_KEY"]  # !
        with gr.Blocks() as demo:
            out = gr.Textbox()
            gr.Button("Show").click(fn=reveal, outputs=out)
    ''',
    "gradio interface": '''
        import os
        import gradio as gr
        def speak(text):
            return text, os.getenv("CARTESIA_API_KEY")  # !
        demo = gr.Interface(speak, "text", ["audio", "text"])
    ''',
    "client attribute": '''
        from cartesia import Cartesia
        from flask import jsonify
        client = Cartesia()
        def key():
            return jsonify(key=client.api_key)  # !
    ''',
    "key literal": '''
        from flask import jsonify
        def key():
            return jsonify(key="sk_car_26auCJp8cHzlQEWht8NC1")  # !
    ''',
}


@pytest.mark.parametrize("name", sorted(SINKS))
def test_cm202_each_sink(name):
    code = src(SINKS[name])
    expected = [i for i, line in enumerate(code.splitlines(), 1) if line.endswith("# !")]
    assert lines(code, "CM202") == expected


NOT_SINKS = {
    "token endpoint": '''
        import os
        from cartesia import Cartesia
        from flask import Flask, jsonify
        app = Flask(__name__)
        client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
        @app.post("/token")
        def token():
            access = client.access_token.create(grants={"tts": True}, expires_in=600)
            return jsonify(token=access.token)
    ''',
    "booleans and lengths": '''
        import os
        from flask import Flask, jsonify
        app = Flask(__name__)
        KEY = os.environ.get("CARTESIA_API_KEY")
        @app.get("/health")
        def health():
            return {"configured": bool(KEY), "length": len(KEY or ""), "ok": KEY is not None}
    ''',
    "shadowing parameter": '''
        import os
        from flask import Flask
        app = Flask(__name__)
        key = os.environ["CARTESIA_API_KEY"]
        @app.get("/echo/<key>")
        def echo(key):
            return {"key": key}
    ''',
    "shadowing local": '''
        import os
        from flask import Flask
        app = Flask(__name__)
        key = os.environ["CARTESIA_API_KEY"]
        @app.get("/x")
        def x():
            key = "voice-123"
            return {"key": key}
    ''',
    "other function's local": '''
        import os
        from flask import Flask
        app = Flask(__name__)
        def setup():
            key = os.environ["CARTESIA_API_KEY"]
            return key
        @app.get("/x")
        def x():
            key = request.args["voice"]
            return {"key": key}
    ''',
    "server side use": '''
        import os
        import httpx
        KEY = os.environ["CARTESIA_API_KEY"]
        def synth(text):
            r = httpx.post("https://api.cartesia.ai/tts/bytes", headers={"X-API-Key": KEY}, json={"transcript": text})
            return r.content
    ''',
    "non-handler return": '''
        import os
        def get_key():
            return os.environ["CARTESIA_API_KEY"]
    ''',
    "not a route decorator": '''
        import os
        @cache.get(timeout=5)
        def key():
            return os.environ["CARTESIA_API_KEY"]
    ''',
    "unresolved Response": '''
        import os
        import httpx
        def mock():
            return httpx.Response(200, json={"key": os.environ["CARTESIA_API_KEY"]})
    ''',
    "streamlit server side": '''
        import streamlit as st
        st.session_state.key = st.secrets["CARTESIA_API_KEY"]
        st.cache_data(ttl=60)
        st.write("Hello")
    ''',
    "gradio state": '''
        import os
        import gradio as gr
        with gr.Blocks() as demo:
            state = gr.State(os.environ["CARTESIA_API_KEY"])
    ''',
    "client websocket send": '''
        import os, json
        import aiohttp
        async def talk(session):
            async with session.ws_connect("wss://example.com/ws") as ws:
                await ws.send_json({"key": os.environ["CARTESIA_API_KEY"]})
    ''',
    "gradio handler not returning the key": '''
        import os
        import gradio as gr
        from cartesia import Cartesia
        client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
        def speak(text):
            return client.tts.generate(model_id="sonic-3", transcript=text, voice="v").read()
        demo = gr.Interface(fn=speak, inputs="text", outputs="audio")
    ''',
    "other keys": '''
        import os
        from flask import jsonify
        def cfg():
            return jsonify(key=os.environ["OPENAI_API_KEY"], voice=os.environ["CARTESIA_VOICE_ID"])
    ''',
    "not html": '''
        import os, logging
        KEY = os.environ["CARTESIA_API_KEY"]
        logging.debug("using key ending %s", KEY[-4:])
        MSG = f"key configured: {bool(KEY)}"
    ''',
    "placeholder key literal": '''
        from flask import jsonify
        def key():
            return jsonify(key="sk_car_test_key_123")
    ''',
}


@pytest.mark.parametrize("name", sorted(NOT_SINKS))
def test_cm202_does_not_fire(name):
    assert findings(src(NOT_SINKS[name]), "CM202") == []


def test_cm202_html_inside_a_response_is_one_finding():
    code = src('''
        import os
        from flask import Response
        def page():
            return Response(f"<script>const k = '{os.environ['CARTESIA_API_KEY']}'</script>")
    ''')
    assert lines(code, "CM202") == [4]


def test_cm202_global_statement():
    code = src('''
        from flask import Flask
        app = Flask(__name__)
        KEY = None
        def init():
            global KEY
            KEY = os.environ["CARTESIA_API_KEY"]
        @app.get("/k")
        def k():
            return {"k": KEY}
    ''')
    assert lines(code, "CM202") == [9]


def test_cm202_closure_in_method_sees_self():
    code = src('''
        import os
        from flask import jsonify
        class App:
            def __init__(self):
                self.key = os.environ["CARTESIA_API_KEY"]
            def routes(self):
                def handler():
                    return jsonify(k=self.key)
                return handler
    ''')
    assert lines(code, "CM202") == [8]


# ---- CM203 api-key-in-url --------------------------------------------------------------

@pytest.mark.parametrize("code", [
    'u = f"wss://api.cartesia.ai/tts/websocket?api_key={key}&cartesia_version=2024-06-10"\n',
    'u = "wss://api.cartesia.ai/tts/websocket?api_key={}&cartesia_version={}".format(key, V)\n',
    'u = "wss://api.cartesia.ai/tts/websocket?cartesia_version={v}&api_key={k}".format(v=V, k=key)\n',
    'u = "wss://api.cartesia.ai/tts/websocket?api_key=%s" % key\n',
    'u = "wss://api.cartesia.ai/tts/websocket?api_key=" + key\n',
    'u = ("wss://api.cartesia.ai/tts/websocket"\n     "?api_key=" + key)\n',
    'u = f"{CARTESIA_WS}/tts?api_key={key}"\n',
    'import cartesia\nu = f"{BASE}/tts/websocket?api_key={key}"\n',
    'r = httpx.get("https://api.cartesia.ai/voices", params={"api_key": key})\n',
    'r = session.request("GET", "https://api.cartesia.ai/voices", params={"api_key": key})\n',
    'PREFIX = "wss://api.cartesia.ai/tts/websocket?cartesia_version=2026-03-01&api_key="\n',
    'u = "wss://api.cartesia.ai/tts/websocket?api_key=sk_car_26auCJp8cHzlQEWht8NC1"\n',
])
def test_cm203_fires(code):
    assert len(findings(code, "CM203")) == 1


@pytest.mark.parametrize("code", [
    'u = f"wss://api.cartesia.ai/tts/websocket?access_token={token}"\n',
    'u = f"wss://api.cartesia.ai/tts/websocket?cartesia_version=2026-03-01"\n',
    'u = f"https://api.elevenlabs.io/v1/x?api_key={key}"\n',
    'u = f"{BASE}/tts/websocket?api_key={key}"\n',  # Cartesia path, but no Cartesia in the file
    'client = Cartesia(api_key=key)\n',
    'def f():\n    """Connect to wss://api.cartesia.ai/tts/websocket?api_key=KEY (old SDKs)."""\n',
    'r = httpx.get("https://example.com/x", params={"api_key": key})\n',
    'r = httpx.get("https://api.cartesia.ai/voices", headers={"api_key": key})\n',
    'print("Open wss://api.cartesia.ai/tts/websocket?api_key=YOUR_KEY")\n',
    'log.info("url=%s", "wss://api.cartesia.ai/tts/websocket?api_key=***&cartesia_version=2026-03-01")\n',
])
def test_cm203_does_not_fire(code):
    assert findings(code, "CM203") == []


def test_cm203_location_and_no_fix():
    code = 'import os\nKEY = os.environ["CARTESIA_API_KEY"]\nU = f"wss://api.cartesia.ai/tts/websocket?api_key={KEY}"\n'
    (f,) = findings(code, "CM203")
    assert f.location == (3, 5) and f.fix is None
    assert "access_token" in f.message and "Authorization" in f.message


# ---- CM205 access-token-ttl ------------------------------------------------------------

@pytest.mark.parametrize("code", [
    'client.access_token.create(grants={"tts": True}, expires_in=7200)\n',
    'client.access_token.create(expires_in=3601)\n',
    'client.auth.access_token(grants={"tts": True}, expires_in=86400)\n',
    'TTL = 2 * 60 * 60\nclient.access_token.create(expires_in=TTL)\n',
    'client.access_token.create(expires_in=TTL)\nTTL = 24 * 3600\n',
    'class Config:\n    TTL = 5000\nclient.access_token.create(expires_in=Config.TTL)\n',
    'class S:\n    TTL = 5000\n    def t(self):\n        return self.client.access_token.create(expires_in=self.TTL)\n',
    'p = {"grants": {"tts": True}, "expires_in": 7200}\nclient.access_token.create(**p)\n',
    'httpx.post("https://api.cartesia.ai/access-token", json={"grants": {"tts": True}, "expires_in": 7200})\n',
    'requests.post(f"{BASE}/access-token", json={"expires_in": 9000}, headers=h)\n',
    'URL = "https://api.cartesia.ai/access-token"\nPAYLOAD = {"expires_in": 4000}\nhttpx.post(URL, json=PAYLOAD)\n',
    'session.request("POST", "https://api.cartesia.ai/access-token", data=json.dumps({"expires_in": 4000}))\n',
])
def test_cm205_fires(code):
    code = "from cartesia import Cartesia\n" + code
    assert len(findings(code, "CM205")) == 1


@pytest.mark.parametrize("code", [
    'client.access_token.create(grants={"tts": True}, expires_in=3600)\n',
    'client.access_token.create(grants={"tts": True}, expires_in=60)\n',
    'client.access_token.create(grants={"tts": True})\n',
    'client.access_token.create(expires_in=ttl)\n',  # unknown
    'TTL = 60\nTTL = 7200\nclient.access_token.create(expires_in=TTL)\n',  # assigned twice: not guessed
    'httpx.post("https://api.cartesia.ai/tts/bytes", json={"expires_in": 7200})\n',
    'httpx.post("https://api.cartesia.ai/access-token", json={"expires_in": 3600})\n',
    'cache.set("k", v, expires_in=7200)\n',
])
def test_cm205_does_not_fire(code):
    code = "from cartesia import Cartesia\n" + code
    assert findings(code, "CM205") == []


def test_cm205_needs_cartesia():
    assert findings('other.access_token.create(expires_in=7200)\n', "CM205", path="auth.py") == []


def test_cm205_location_and_message():
    code = "from cartesia import Cartesia\nTTL = 2 * 3600\nclient.access_token.create(expires_in=TTL)\n"
    (f,) = findings(code, "CM205")
    assert f.location == (3, 39)
    assert "7200" in f.message and "3600" in f.message and f.fix is None


# ---- redaction -------------------------------------------------------------------------

@pytest.mark.parametrize("key", [KEY, KEY2, ADMIN, "sk_car_-VPmtFehhIRz5S16IlL", "sk_car_Rb7Tq2WmZ9xKc4_Lp8vN"])
def test_redact(key):
    out = redact("before %s after" % key)
    assert key not in out
    assert out == "before sk_car_\u2026%s after" % key[-4:]


def test_redact_leaves_prefixes_alone():
    assert redact("sk_car_ sk_car_admin_ sk_car_...") == "sk_car_ sk_car_admin_ sk_car_..."
