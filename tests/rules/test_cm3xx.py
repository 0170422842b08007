"""CM301-CM305: legacy error format, API versions and the SDK requirement."""
import textwrap

import pytest

from cartesia_migrate.config import Overrides, Settings
from cartesia_migrate.engine import check_paths, fix_paths

from .helpers import findings, fixed, lines


def src(text):
    return textwrap.dedent(text).lstrip("\n")


SDK = src('''
    import json
    import re

    import cartesia
    from cartesia import APIError, APIStatusError, Cartesia, RateLimitError

    client = Cartesia(api_key="k")
    ''')


def handler(body, clause="except APIStatusError as e:", call="client.tts.generate(model_id='sonic-3')"):
    return SDK + "try:\n    %s\n%s\n%s" % (call, clause, textwrap.indent(src(body), "    "))


# ---- CM301 legacy-error-parsing ----------------------------------------------------------

@pytest.mark.parametrize("body", [
    'title, _, msg = str(e).partition(":")\n',
    'parts = str(e).split(": ", 1)\n',
    'head = str(e).rsplit(":")[0]\n',
    'code = e.args[0][:3]\n',
    'if str(e).startswith("HTTP"):\n    pass\n',
    'if str(e).lower().startswith("invalid model"):\n    pass\n',
    'm = re.match(r"status_code: (\\d+)", str(e))\n',
    'm = PATTERN.search(repr(e))\n',
    'text = str(e)\nkind = text.split(":")[0]\n',
    'first = f"{e}".partition(":")[0]\n',
    'data = json.loads(e.body)\n',
    'if e.body.startswith("Invalid"):\n    pass\n',
    'if "quota" in e.body:\n    pass\n',
    'words = e.body.split()\n',
    'short = e.body[:80]\n',
    'body = e.body\nerr = json.loads(body)\n',
    'reason = e.body["error"]\n',
    'title = e.message.split(":")[0]\n',
    'title, _, message = str(e.body).partition(": ")\n',
    'text = repr(e.body)\nkind = text.split(":")[0]\n',
])
def test_cm301_fires_in_cartesia_handlers(body):
    assert len(findings(handler(body), "CM301")) == 1


@pytest.mark.parametrize("clause", [
    "except APIStatusError as e:",
    "except RateLimitError as e:",
    "except cartesia.APIError as e:",
    "except (APIStatusError, ValueError) as e:",
])
def test_cm301_cartesia_exception_classes(clause):
    assert len(findings(handler('str(e).split(":")\n', clause, call="pass"), "CM301")) == 1


def test_cm301_legacy_apierror_import():
    code = src('''
        from cartesia.core.api_error import ApiError

        try:
            pass
        except ApiError as err:
            status = str(err).split("status_code: ")[1]
        ''')
    assert lines(code, "CM301") == [6]


@pytest.mark.parametrize("clause", ["except Exception as e:", "except ValueError as e:",
                                    "except RuntimeError as e:", "except BaseException as e:"])
def test_cm301_broad_clause_around_sdk_call(clause):
    assert len(findings(handler('str(e).split(":")\n', clause), "CM301")) == 1


def test_cm301_sdk_call_through_self_and_await():
    code = src('''
        from cartesia import AsyncCartesia

        class Speaker:
            def __init__(self):
                self.client = AsyncCartesia(api_key="k")

            async def say(self, text):
                try:
                    return await self.client.tts.generate(model_id="sonic-3", transcript=text)
                except Exception as exc:
                    title = str(exc).split(":")[0]
        ''')
    assert lines(code, "CM301") == [11]


@pytest.mark.parametrize("body", [
    'if e.body.get("error_code") == "quota_exceeded":\n    pass\nelse:\n    str(e).split(":")\n',
    'code = e.body["error_code"]\nfallback = str(e).partition(":")\n',
    'if isinstance(e.body, dict):\n    m = e.body["message"]\nelse:\n    m = e.body.split(":")[1]\n',
    'status = e.status_code\n',
    'log(str(e))\n',
    'if "rate" in str(e):\n    pass\n',
    'if "error_code" in e.body:\n    pass\n',
    'raise RuntimeError(str(e)) from e\n',
    'log(str(e.body))\n',
    'if isinstance(e.body, dict):\n    m = e.body["message"]\nelse:\n    m = str(e.body).split(":")[1]\n',
])
def test_cm301_clean_handlers(body):
    assert findings(handler(body), "CM301") == []


@pytest.mark.parametrize("code", [
    # a str.partition on something that is not a Cartesia error
    'line = "Title: Message"\nkey, _, value = line.partition(":")\n',
    # handlers of other exceptions, even around SDK calls
    SDK + 'try:\n    client.tts.generate()\nexcept KeyError as e:\n    str(e).split(":")\n',
    SDK + 'try:\n    int("x")\nexcept ValueError as e:\n    str(e).split(":")\n',
    # a broad clause without an SDK call in the try body
    SDK + 'try:\n    requests.get(url)\nexcept Exception as e:\n    str(e).split(":")\n',
    # an SDK call in a function defined in the try body does not run there
    SDK + 'try:\n    def f():\n        client.tts.generate()\nexcept Exception as e:\n    str(e).split(":")\n',
    # an inner handler rebinds the name
    handler('try:\n    json.loads(x)\nexcept json.JSONDecodeError as e:\n    str(e).split(":")\n'),
    # a non-Cartesia file
    'try:\n    run()\nexcept Exception as e:\n    str(e).split(":")\n',
])
def test_cm301_does_not_fire(code):
    assert findings(code, "CM301") == []


def test_cm301_websocket_legacy_key():
    code = src('''
        import json
        import cartesia
        WS = "wss://api.cartesia.ai/tts/websocket"

        async def listen(ws, ctx):
            async for raw in ws:
                msg = json.loads(raw)
                if msg["type"] == "error":
                    raise RuntimeError(msg["error"])
                if msg.get("type") == "error":
                    print(msg.get("error"))
                if "error" in msg:
                    print(msg["error"])  # a key test alone is not the event type: not reported
                if msg["type"] == "error":
                    print(msg.get("message") or msg.get("error"))
                if msg["type"] == "chunk":
                    print(msg["error"])
            for response in ctx.receive():
                if response.type == "error":
                    raise RuntimeError(response.error)
                if "error" == response.type:
                    raise RuntimeError(response.title)
            if other["type"] == "error":
                print(msg["error"])
        ''')
    assert lines(code, "CM301") == [9, 11, 20]


def test_cm301_websocket_needs_cartesia_websocket_context():
    code = 'if msg["type"] == "error":\n    raise RuntimeError(msg["error"])\n'
    assert findings(code, "CM301") == []
    assert findings(code, "CM301", path="cartesia_stream.py") == []  # Cartesia, but no WebSocket API
    ws = 'URL = "wss://api.cartesia.ai/tts/websocket"\n' + code
    assert lines(ws, "CM301") == [3]
    sdk = "import cartesia\nws = client.tts.websocket_connect()\n" + code
    assert lines(sdk, "CM301") == [4]


@pytest.mark.parametrize("body", [
    'raise RuntimeError(event["error"]["message"])',  # OpenAI Realtime: an error object
    'raise RuntimeError(event.get("error", {}).get("message"))',
    'raise RuntimeError(event.get("error").get("message"))',
    'raise RuntimeError(event.error.message)',
])
def test_cm301_websocket_error_objects_of_other_vendors(body):
    test = "event.type" if "event.error" in body else "event['type']"
    code = ("import cartesia\nURL = 'wss://api.cartesia.ai/tts/websocket'\n"
            "if %s == 'error':\n    %s\n" % (test, body))
    assert findings(code, "CM301") == []
    # the same block with the legacy string key is reported
    legacy = code.replace(body, 'raise RuntimeError(event["error"])' if "event.error" not in body
                          else "raise RuntimeError(event.error)")
    assert lines(legacy, "CM301") == [4]


def test_cm301_has_no_fix_and_shows_structured_form():
    (f,) = findings(handler('str(e).split(":")\n'), "CM301")
    assert f.fix is None
    assert 'e.body["error_code"]' in f.message and "e.status_code" in f.message
    assert fixed(handler('str(e).split(":")\n'), "CM301", unsafe=True) == handler('str(e).split(":")\n')


# ---- CM302 legacy-exception-import ---------------------------------------------------------

def test_cm302_import_and_every_use_renamed():
    code = src('''
        from cartesia import Cartesia
        from cartesia.core.api_error import ApiError

        def speak(client):
            try:
                client.tts.bytes()
            except ApiError as e:
                if isinstance(e, ApiError):
                    raise
            handlers = {ApiError: "x"}
            return ApiError.__name__
        ''')
    (f,) = findings(code, "CM302")
    assert f.fix is not None and f.fix.applicability == "safe"
    assert fixed(code, "CM302") == code.replace(
        "from cartesia.core.api_error import ApiError", "from cartesia import APIStatusError").replace(
        "ApiError", "APIStatusError")


def test_cm302_alias_kept():
    code = src('''
        from cartesia.core.api_error import ApiError as CartesiaError

        try:
            pass
        except CartesiaError:
            pass
        ''')
    assert fixed(code, "CM302") == code.replace("from cartesia.core.api_error import ApiError as",
                                                "from cartesia import APIStatusError as")


def test_cm302_module_import():
    code = src('''
        import cartesia.core.api_error

        try:
            pass
        except cartesia.core.api_error.ApiError as e:
            print(e.status_code)
        ''')
    assert fixed(code, "CM302") == src('''
        import cartesia

        try:
            pass
        except cartesia.APIStatusError as e:
            print(e.status_code)
        ''')


@pytest.mark.parametrize("code, why", [
    ('from cartesia.core.api_error import ApiError\nraise ApiError(status_code=500, body="x")\n', "constructed"),
    ('from cartesia.core.api_error import ApiError\n__all__ = ["ApiError"]\n', "string"),
    ('from cartesia.core.api_error import ApiError\nApiError = None\n', "rebound"),
    ('from cartesia.core.api_error import ApiError\nfrom openai import APIStatusError\n', "else"),
    ('import cartesia.core.api_error\nx = cartesia.core.api_error\n', "more"),
])
def test_cm302_reported_without_fix_when_rename_is_not_certain(code, why):
    (f,) = findings(code, "CM302")
    assert f.fix is None and why in f.message


@pytest.mark.parametrize("code", [
    'import cartesia.core.api_error as api_error\n',
    'from cartesia.core import api_error\n',
])
def test_cm302_aliased_module_reported_without_fix(code):
    (f,) = findings(code, "CM302")
    assert f.fix is None


@pytest.mark.parametrize("code", [
    'try:\n    from cartesia import APIStatusError\nexcept ImportError:\n'
    '    from cartesia.core.api_error import ApiError as APIStatusError\n',
    'try:\n    from cartesia.core.api_error import ApiError\nexcept ModuleNotFoundError:\n'
    '    from cartesia import APIStatusError as ApiError\n',
    'from cartesia import APIStatusError\n',
    'from mylib.core.api_error import ApiError\n',
])
def test_cm302_does_not_fire(code):
    assert findings(code, "CM302") == []


def test_cm302_existing_cartesia_name_is_fine():
    code = "from cartesia import APIStatusError\nfrom cartesia.core.api_error import ApiError\nx = ApiError\n"
    assert fixed(code, "CM302") == ("from cartesia import APIStatusError\nfrom cartesia import APIStatusError\n"
                                    "x = APIStatusError\n")


def test_cm302_except_valueerror_around_1x_calls():
    code = src('''
        import cartesia
        from cartesia import Cartesia

        client = Cartesia(api_key="k")

        def speak(text):
            try:
                return client.tts.bytes(model_id="sonic-english", transcript=text)
            except ValueError as e:
                print(e)
            try:
                ws = client.tts.websocket()
                for out in ws.send(model_id="sonic", transcript=text, stream=True):
                    pass
            except (RuntimeError, KeyError):
                pass
            try:
                voices = client.voices.list()
            except ValueError:
                pass
            except cartesia.APIStatusError:
                pass
            try:
                n = int(text)
            except ValueError:
                pass
            try:
                status = client.get_status()
            except RuntimeError:
                pass
        ''')
    fs = findings(code, "CM302")
    assert sorted(f.location[0] for f in fs) == [9, 15]
    assert all(f.fix is None and f.severity == "warning" for f in fs)


# ---- CM303 missing-api-version ------------------------------------------------------------

HTTP = src('''
    import os

    import aiohttp
    import httpx
    import requests
    import urllib.request
    import websockets
    from urllib.request import Request, urlopen

    BASE = "https://api.cartesia.ai"
    KEY = os.environ["CARTESIA_API_KEY"]
    HEADERS = {"Authorization": f"Bearer {KEY}", "Cartesia-Version": "2026-03-01"}
    ''')
HTTP_LINES = HTTP.count("\n")


@pytest.mark.parametrize("call", [
    'httpx.get("https://api.cartesia.ai/voices")',
    'httpx.post(f"{BASE}/tts/bytes", json={})',
    'httpx.request("GET", BASE + "/voices")',
    'httpx.stream("POST", BASE + "/tts/sse")',
    'requests.get("https://api.cartesia.ai/voices", headers={"X-API-Key": KEY})',
    'requests.post(url="https://api.cartesia.ai/tts/bytes")',
    'requests.request("POST", "%s/tts/bytes" % BASE)',
    'aiohttp.request("GET", f"{BASE}/voices")',
    'websockets.connect(f"wss://api.cartesia.ai/tts/websocket?api_key={KEY}")',
    'websockets.connect(uri="wss://api.cartesia.ai/tts/websocket", extra_headers={"X-API-Key": KEY})',
    'urlopen("https://api.cartesia.ai/")',
    'urllib.request.urlopen(BASE + "/voices")',
    'Request(BASE + "/voices", None, {"X-API-Key": KEY})',
    'httpx.get(os.environ.get("CARTESIA_BASE_URL", "https://example.com") + "/voices")',
])
def test_cm303_module_functions(call):
    assert lines(HTTP + "r = %s\n" % call, "CM303") == [HTTP_LINES + 1]


@pytest.mark.parametrize("code", [
    'with httpx.Client() as c:\n    c.get(f"{BASE}/voices")\n',
    'c = httpx.AsyncClient(headers={"X-API-Key": KEY})\nc.post(BASE + "/tts/bytes")\n',
    's = requests.Session()\ns.get("https://api.cartesia.ai/voices")\n',
    's = requests.session()\ns.request("GET", "https://api.cartesia.ai/voices")\n',
    'async def f():\n    async with aiohttp.ClientSession() as session:\n'
    '        await session.ws_connect("wss://api.cartesia.ai/tts/websocket")\n',
    'httpx.Client().get("https://api.cartesia.ai/voices")\n',
    'class A:\n    def __init__(self):\n        self.http = httpx.Client()\n'
    '    def go(self):\n        return self.http.get(BASE + "/voices")\n',
])
def test_cm303_client_objects(code):
    assert len(findings(HTTP + code, "CM303")) == 1


@pytest.mark.parametrize("code", [
    'c = httpx.Client(base_url=BASE, headers={"X-API-Key": KEY})\nc.get("/voices")\n',
    'c = httpx.Client(base_url="https://api.cartesia.ai")\n',
    'async def f():\n    async with aiohttp.ClientSession(BASE) as s:\n        await s.get("/voices")\n',
])
def test_cm303_client_with_cartesia_base_url_reported_at_constructor(code):
    fs = findings(HTTP + code, "CM303")
    assert len(fs) == 1
    assert "Client" in code.splitlines()[fs[0].location[0] - HTTP_LINES - 1]


@pytest.mark.parametrize("code", [
    'r = requests.get(BASE + "/voices", headers=HEADERS)\n',
    'r = httpx.get(BASE + "/voices", headers={"cartesia-version": "2024-06-10"})\n',
    'r = httpx.get(BASE + "/voices", headers={**HEADERS, "Accept": "audio/wav"})\n',
    'r = httpx.get(BASE + "/voices", headers=make_headers())\n',
    'r = httpx.get(BASE + "/voices", **kwargs)\n',
    'def f(headers):\n    return httpx.get(BASE + "/voices", headers=headers)\n',
    'r = httpx.get("https://example.com/voices")\n',
    'r = httpx.get(f"{BASE}/voices?cartesia_version=2026-03-01")\n',
    'r = websockets.connect(f"wss://api.cartesia.ai/tts/websocket?api_key={KEY}&cartesia_version=2026-03-01")\n',
    's = requests.Session()\ns.headers.update({"Cartesia-Version": "2026-03-01"})\n'
    's.get("https://api.cartesia.ai/voices")\n',
    's = requests.Session()\ns.headers["Cartesia-Version"] = "2026-03-01"\ns.get(BASE + "/voices")\n',
    'c = httpx.Client(base_url=BASE, headers=HEADERS)\nc.get("/voices")\n',
    'c = httpx.Client(base_url=BASE)\nc.get("/voices", headers=HEADERS)\n',
    'req = Request(BASE + "/voices")\nreq.add_header("Cartesia-Version", "2026-03-01")\nurlopen(req)\n',
    'h = {"X-API-Key": KEY}\nh["Cartesia-Version"] = "2026-03-01"\nr = httpx.get(BASE, headers=h)\n',
    # a client made elsewhere: its default headers are unknown
    'def f(client):\n    return client.get(BASE + "/voices")\n',
    'def f(client: httpx.Client):\n    return client.get(BASE + "/voices")\n',
    # set for the file: the SDK's default_headers / CARTESIA_CUSTOM_HEADERS
    'import cartesia\nclient = cartesia.Cartesia(default_headers={"cartesia-version": "2026-03-01"})\n'
    'r = httpx.get(BASE + "/voices")\n',
    'os.environ["CARTESIA_CUSTOM_HEADERS"] = "cartesia-version: 2026-03-01"\nr = httpx.get(BASE + "/voices")\n',
    # not an HTTP library
    'r = mylib.get(BASE + "/voices")\n',
    # every library with the version set
    'async def f():\n    async with aiohttp.ClientSession(headers=HEADERS) as s:\n'
    '        await s.get(BASE + "/voices")\n        await s.ws_connect("wss://api.cartesia.ai/tts/websocket")\n',
    'async def f():\n    async with aiohttp.ClientSession() as s:\n        await s.post(BASE, headers=HEADERS)\n',
    'r = aiohttp.request("GET", BASE + "/voices", headers=HEADERS)\n',
    'ws = websockets.connect("wss://api.cartesia.ai/tts/websocket", additional_headers=HEADERS)\n',
    'ws = websockets.connect("wss://api.cartesia.ai/tts/websocket", extra_headers={"Cartesia-Version": "2026-03-01"})\n',
    'r = urlopen(Request(BASE + "/voices", headers=HEADERS))\n',
    'r = httpx.stream("POST", BASE + "/tts/sse", headers=HEADERS)\n',
])
def test_cm303_does_not_fire(code):
    assert findings(HTTP + code, "CM303") == []


def test_cm303_unimported_library_name_is_not_the_library():
    assert findings('r = requests.get("https://api.cartesia.ai/voices")\n', "CM303") == []
    code = 'import requests as rq\nr = rq.get("https://api.cartesia.ai/voices")\n'
    assert len(findings(code, "CM303")) == 1


def test_cm303_fix_one_line_dict():
    code = HTTP + 'r = requests.get(BASE + "/voices", headers={"Authorization": f"Bearer {KEY}"})\n'
    assert fixed(code, "CM303") == HTTP + (
        'r = requests.get(BASE + "/voices", headers={"Authorization": f"Bearer {KEY}", '
        '"Cartesia-Version": "2026-03-01"})\n')


def test_cm303_fix_multiline_dict_keeps_layout_in_nested_blocks():
    code = HTTP + src('''
        class Api:
            def speak(self, text):
                if text:
                    return httpx.post(
                        BASE + "/tts/bytes",
                        headers={
                            'authorization': f"Bearer {KEY}",  # auth
                            'content-type': "application/json",  # json
                        },
                    )
        ''')
    assert fixed(code, "CM303") == code.replace(
        """'content-type': "application/json",  # json\n""",
        """'content-type': "application/json",  # json\n                    'cartesia-version': '2026-03-01',\n""")


def test_cm303_fix_multiline_dict_without_trailing_comma():
    code = HTTP + 'r = httpx.get(\n    BASE,\n    headers={\n        "X-API-Key": KEY\n    },\n)\n'
    assert fixed(code, "CM303") == HTTP + (
        'r = httpx.get(\n    BASE,\n    headers={\n        "X-API-Key": KEY,\n'
        '        "Cartesia-Version": "2026-03-01"\n    },\n)\n')


def test_cm303_fix_constant_dict_once_for_all_uses():
    code = HTTP + src('''
        H = {"X-API-Key": KEY}
        a = httpx.get(BASE + "/voices", headers=H)
        b = httpx.get(BASE + "/models", headers=H)
        ''')
    assert len(findings(code, "CM303")) == 2
    assert fixed(code, "CM303") == code.replace('H = {"X-API-Key": KEY}',
                                                'H = {"X-API-Key": KEY, "Cartesia-Version": "2026-03-01"}')


def test_cm303_fix_client_constructor_and_empty_dict():
    code = HTTP + 'c = httpx.Client(base_url=BASE, headers={})\nc.get("/voices")\n'
    assert fixed(code, "CM303") == HTTP + (
        'c = httpx.Client(base_url=BASE, headers={"Cartesia-Version": "2026-03-01"})\nc.get("/voices")\n')


@pytest.mark.parametrize("code", [
    'r = httpx.get(BASE + "/voices")\n',
    'r = websockets.connect(f"wss://api.cartesia.ai/tts/websocket?api_key={KEY}")\n',
])
def test_cm303_no_fix_without_a_dict_literal(code):
    (f,) = findings(HTTP + code, "CM303")
    assert f.fix is None


# ---- CM304 legacy-api-version --------------------------------------------------------------

@pytest.mark.parametrize("code, new", [
    ('h = {"Cartesia-Version": "2024-06-10"}\n', 'h = {"Cartesia-Version": "2026-03-01"}\n'),
    ("h = {'cartesia-version': '2024-11-13'}\n", "h = {'cartesia-version': '2026-03-01'}\n"),
    ('p = {"cartesia_version": "2025-04-16"}\n', 'p = {"cartesia_version": "2026-03-01"}\n'),
    ('p = dict(cartesia_version="2025-11-04")\n', 'p = dict(cartesia_version="2026-03-01")\n'),
    ('h["Cartesia-Version"] = "2024-06-10"\n', 'h["Cartesia-Version"] = "2026-03-01"\n'),
    ('req.add_header("Cartesia-Version", "2024-06-10")\n', 'req.add_header("Cartesia-Version", "2026-03-01")\n'),
    ('CARTESIA_VERSION = "2024-06-10"\n', 'CARTESIA_VERSION = "2026-03-01"\n'),
    ('DEFAULT_CARTESIA_API_VERSION: str = "2024-06-10"\n', 'DEFAULT_CARTESIA_API_VERSION: str = "2026-03-01"\n'),
    ('U = "wss://api.cartesia.ai/tts/websocket?cartesia_version=2024-06-10&api_key=x"\n',
     'U = "wss://api.cartesia.ai/tts/websocket?cartesia_version=2026-03-01&api_key=x"\n'),
    ('U = f"wss://api.cartesia.ai/tts/websocket?api_key={k}&cartesia_version=2024-06-10"\n',
     'U = f"wss://api.cartesia.ai/tts/websocket?api_key={k}&cartesia_version=2026-03-01"\n'),
    ('os.environ["CARTESIA_CUSTOM_HEADERS"] = "cartesia-version: 2025-11-04"\n',
     'os.environ["CARTESIA_CUSTOM_HEADERS"] = "cartesia-version: 2026-03-01"\n'),
    ('client = Cartesia(default_headers={"cartesia-version": "2025-11-04"})\n',
     'client = Cartesia(default_headers={"cartesia-version": "2026-03-01"})\n'),
    ('def call(cartesia_version="2024-06-10"):\n    pass\n', 'def call(cartesia_version="2026-03-01"):\n    pass\n'),
])
def test_cm304_fires_and_fixes(code, new):
    (f,) = findings(code, "CM304")
    assert f.fix is not None and f.fix.applicability == "unsafe"
    assert fixed(code, "CM304") == code  # unsafe: not applied by default
    assert fixed(code, "CM304", unsafe=True) == new


def test_cm304_constant_reported_at_its_definition():
    code = src('''
        import httpx
        API_VERSION = "2024-06-10"

        def get():
            return httpx.get("https://api.cartesia.ai/voices", headers={"Cartesia-Version": API_VERSION})
        URL = f"wss://api.cartesia.ai/tts/websocket?cartesia_version={API_VERSION}"
        ''')
    assert lines(code, "CM304") == [2]
    assert 'API_VERSION = "2026-03-01"' in fixed(code, "CM304", unsafe=True)


@pytest.mark.parametrize("code", [
    'h = {"Cartesia-Version": "2026-03-01"}\n',
    'h = {"Cartesia-Version": "2026-08-14"}\n',
    'h = {"Cartesia-Version": VERSION}\n',
    'def f():\n    """Send cartesia_version=2024-06-10 (old)."""\n',
    'API_VERSION = "2024-06-10"\n',  # not a Cartesia version until used as one
    'h = {"X-Version": "2024-06-10"}\n',
    'if version == "2024-06-10":\n    pass\n',
    'h = {"Cartesia-Version": "latest"}\n',
])
def test_cm304_does_not_fire(code):
    assert findings(code, "CM304") == []


# ---- CM305 outdated-sdk-requirement ------------------------------------------------------

@pytest.mark.parametrize("req, fires", [
    ("cartesia==2.0.17", True),
    ("cartesia<4", True),
    ("cartesia~=3.5", True),
    ("cartesia==3.*", True),
    ("cartesia>=1.0,<3", True),
    ("cartesia (>=1,<2)", True),
    ("Cartesia==1.4.0", True),
    ("cartesia>=3", False),
    ("cartesia", False),
    ("cartesia==4.*", False),
    ("cartesia>=4.2,<5", False),
    ("cartesia>=4.5,<5", False),
    ("cartesia!=4.0.0", False),
    ("cartesia @ https://example.com/cartesia-2.0.17-py3-none-any.whl", False),
    ("cartesia-migrate==0.1", False),
    ("pycartesia==1.0", False),
])
def test_cm305_specifiers(req, fires):
    assert len(findings(req + "\n", "CM305", path="requirements.txt")) == (1 if fires else 0)


def test_cm305_requirements_extras_markers_comments_round_trip():
    text = ("# runtime dependencies\r\n"
            "numpy==1.26.4  # numerics\r\n"
            "cartesia[websockets]==2.0.17 ; python_version >= \"3.9\"  # pinned for ws\r\n"
            "\r\n"
            "httpx>=0.27\r\n")
    (f,) = findings(text, "CM305", path="requirements.txt")
    assert f.location == (3, 1)
    out = fixed(text, "CM305", unsafe=True, path="requirements.txt")
    assert out == text.replace("==2.0.17", ">=4.2,<5")
    old, new = text.splitlines(True), out.splitlines(True)
    assert [a == b for a, b in zip(old, new)] == [True, True, False, True, True]  # untouched lines byte-identical
    assert fixed(text, "CM305", path="requirements.txt") == text  # unsafe only


@pytest.mark.parametrize("text, why", [
    ("cartesia==2.0.17 \\\n    --hash=sha256:0123\n", "hashes"),
    ("#\n# This file is autogenerated by pip-compile with Python 3.11\n#\ncartesia==2.0.17\n    # via -r req.in\n",
     "generated"),
])
def test_cm305_no_fix_for_hashes_and_generated_files(text, why):
    (f,) = findings(text, "CM305", path="requirements.txt")
    assert f.fix is None and why in f.message


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt", "dev-requirements.txt",
                                  "requirements_test.txt", "requirements.in", "constraints.txt"])
def test_cm305_requirement_file_names(name):
    assert len(findings("cartesia==2.0.17\n", "CM305", path=name)) == 1


@pytest.mark.parametrize("text", [
    "-r cartesia-reqs.txt\n",
    "-e git+https://github.com/cartesia-ai/cartesia-python@v2#egg=cartesia\n",
    "# cartesia==2.0.17\n",
    "cartesia-tools==1.0  # not the SDK\n",
])
def test_cm305_requirements_not_requirements(text):
    assert findings(text, "CM305", path="requirements.txt") == []


def test_cm305_noqa_in_requirements():
    assert findings("cartesia==2.0.17  # noqa: CM305\n", "CM305", path="requirements.txt") == []


def test_cm305_r_includes_are_checked_and_fixed(tmp_path):
    (tmp_path / "reqs").mkdir()
    (tmp_path / "requirements.txt").write_text("# app\n-r reqs/base.txt\n--constraint=reqs/pins.txt\nhttpx\n")
    (tmp_path / "reqs" / "base.txt").write_text("numpy\ncartesia[websockets]>=2,<3 ; python_version>'3.8'\n")
    (tmp_path / "reqs" / "pins.txt").write_text("cartesia==3.5.1\n")
    (tmp_path / "reqs" / "unrelated.txt").write_text("cartesia==1.0\n")  # not included: not a requirements file
    run = check_paths([str(tmp_path)], use_cache=False, overrides=Overrides(select=("CM305",), offline=True))
    got = sorted((f.path.replace(str(tmp_path), ""), f.location[0]) for f in run.findings)
    assert got == [("/reqs/base.txt", 2), ("/reqs/pins.txt", 1)]
    # explicit file: its includes come along
    run = check_paths([str(tmp_path / "requirements.txt")], use_cache=False,
                      overrides=Overrides(select=("CM305",), offline=True))
    assert len(run.findings) == 2
    fix_paths([str(tmp_path)], unsafe=True, overrides=Overrides(select=("CM305",), offline=True))
    assert (tmp_path / "reqs" / "base.txt").read_text() == "numpy\ncartesia[websockets]>=4.2,<5 ; python_version>'3.8'\n"
    assert (tmp_path / "reqs" / "pins.txt").read_text() == "cartesia>=4.2,<5\n"
    assert (tmp_path / "requirements.txt").read_text() == "# app\n-r reqs/base.txt\n--constraint=reqs/pins.txt\nhttpx\n"


PYPROJECT = '''\
[build-system]
requires = ["hatchling"]

[project]
name = "voice-app"  # the app
dependencies = [
    "httpx>=0.27",
    "cartesia[websockets]>=2,<3 ; python_version >= '3.9'",  # old SDK
    'numpy',
]

[project.optional-dependencies]
stream = ["cartesia==1.4.0"]
new = ["cartesia>=4.2"]

[dependency-groups]
dev = ["cartesia~=3.5", {include-group = "test"}]
test = ["pytest"]

[tool.poetry.dependencies]
python = "^3.9"
cartesia = { version = "^2.0", extras = ["websockets"] }

[tool.poetry.group.dev.dependencies]
Cartesia = "3.5.1"

[tool.poetry.group.other.dependencies]
cartesia = "^4.1"

[tool.cartesia-migrate]
select = ["CM3"]
'''


def test_cm305_pyproject():
    fs = findings(PYPROJECT, "CM305", path="pyproject.toml")
    assert sorted(f.location[0] for f in fs) == [8, 13, 17, 22, 25]
    out = fixed(PYPROJECT, "CM305", unsafe=True, path="pyproject.toml")
    expected = (PYPROJECT.replace('"cartesia[websockets]>=2,<3 ;', '"cartesia[websockets]>=4.2,<5 ;')
                .replace('"cartesia==1.4.0"', '"cartesia>=4.2,<5"').replace('"cartesia~=3.5"', '"cartesia>=4.2,<5"')
                .replace('version = "^2.0"', 'version = ">=4.2,<5"').replace('Cartesia = "3.5.1"', 'Cartesia = ">=4.2,<5"'))
    assert out == expected
    changed = [i for i, (a, b) in enumerate(zip(PYPROJECT.splitlines(True), out.splitlines(True))) if a != b]
    assert changed == [7, 12, 16, 21, 24]


def test_cm305_pyproject_crlf_and_escapes():
    text = '[project]\r\nname = "a"\r\ndependencies = ["cartesia\\u003d=2.0.17", "cartesia==2.0.17"]\r\n'
    fs = findings(text, "CM305", path="pyproject.toml")
    assert len(fs) == 2
    assert [f.fix is None for f in fs] == [True, False]  # the escaped string is not rewritten
    out = fixed(text, "CM305", unsafe=True, path="pyproject.toml")
    assert out == text.replace('"cartesia==2.0.17"', '"cartesia>=4.2,<5"')


@pytest.mark.parametrize("text", [
    # strings that are not dependency declarations
    '[tool.something]\ndependencies = ["cartesia==2.0.17"]\n',
    '[project]\nname = "cartesia==2.0.17"\n',
    '[tool.poetry.dependencies]\npython = "^3.9"\ncartesia = {git = "https://github.com/cartesia-ai/cartesia-python"}\n',
    '[tool.poetry.dependencies]\ncartesia = "^4.0"\n',
    '[project]\ndependencies = [\n  """cartesia>=4""",\n]\n',
    'not toml = = =\ncartesia==2.0.17\n',
])
def test_cm305_pyproject_clean(text):
    assert findings(text, "CM305", path="pyproject.toml") == []


def test_cm305_toml_scanner_agrees_with_tomllib():
    from cartesia_migrate.config import tomllib
    from cartesia_migrate.handlers.dependencies import TomlScanner, _lookup

    text = src('''
        # a comment with "quotes" and [brackets]
        title = 'literal \\ string'
        multi = """
        line one
        line "two" """
        lit = \'\'\'raw \\n text\'\'\'
        dotted.key."quoted.part" = "v1"
        inline = { a = "x", b = [1, 2, "y"], c = { d = "z" } }
        arr = [
          "one",  # comment, with a comma
          [ "nested", 'n2' ],
          { k = "in table" },
        ]
        date = 1979-05-27T07:32:00Z
        [[fruits]]
        name = "apple"
        [fruits.physical]
        color = "red"
        [[fruits]]
        name = "banana"
        [ "spaced . table" ]
        x = "\\u00e9t\\u00e9"
        ''')
    data = tomllib.loads(text)
    strings = TomlScanner(text).scan()
    assert len(strings) == 15
    for st in strings:
        assert _lookup(data, st.path) == st.value, st
        if st.exact:
            assert text[st.start:st.end] == st.value


def test_cm305_setup_cfg_round_trip():
    text = src('''
        [metadata]
        name = app

        [options]
        python_requires = >=3.9
        install_requires =
            httpx>=0.27
            # the SDK
            cartesia[websockets]~=3.0  # ws
        [options.extras_require]
        tts = cartesia<4; python_version<"3.12"
        other =
            cartesia>=4.1
        ''')
    fs = findings(text, "CM305", path="setup.cfg")
    assert [f.location for f in fs] == [(9, 5), (11, 7)]
    out = fixed(text, "CM305", unsafe=True, path="setup.cfg")
    assert out == text.replace("~=3.0", ">=4.2,<5").replace("cartesia<4;", "cartesia>=4.2,<5;")


@pytest.mark.parametrize("text", [
    "[metadata]\ndescription = cartesia<3 wrapper\n",
    "[options]\nsetup_requires =\n    cartesia<3\n",
    "[options.entry_points]\nconsole_scripts =\n    cartesia==2.0 = x:y\n",
])
def test_cm305_setup_cfg_other_keys(text):
    assert findings(text, "CM305", path="setup.cfg") == []


SETUP_PY = src('''
    from setuptools import setup

    REQUIRES = [
        "httpx",
        "cartesia>=2.0,<3.0",
    ]
    setup(
        name="app",
        keywords=["cartesia", "tts"],
        install_requires=REQUIRES,
        extras_require={"ws": ["cartesia[websockets]==1.4.0; python_version>='3.8'"], "new": ["cartesia>=4"]},
        tests_require="cartesia<3",
        description="A cartesia<3 wrapper",
    )
    ''')


def test_cm305_setup_py():
    assert lines(SETUP_PY, "CM305", path="setup.py") == [5, 11, 12]
    out = fixed(SETUP_PY, "CM305", unsafe=True, path="setup.py")
    assert out == (SETUP_PY.replace('"cartesia>=2.0,<3.0"', '"cartesia>=4.2,<5"')
                   .replace("cartesia[websockets]==1.4.0;", "cartesia[websockets]>=4.2,<5;")
                   .replace('tests_require="cartesia<3"', 'tests_require="cartesia>=4.2,<5"'))
    # the same literals in another Python file are not a dependency declaration
    assert findings(SETUP_PY, "CM305", path="app.py") == []


def test_cm305_kinds_and_handlers_are_one_story():
    from cartesia_migrate import registry
    from cartesia_migrate.engine import handler_for
    from cartesia_migrate.filetypes import kind_of

    assert kind_of("x/requirements-dev.txt") == "requirements"
    assert kind_of("x/setup.cfg") == "setup-cfg"
    assert kind_of("x/pyproject.toml") == "pyproject"
    assert kind_of("x/setup.py") == "python"
    assert kind_of("x/notes.txt") is None
    for kind in ("python", "requirements", "setup-cfg", "pyproject"):
        assert [c.CODE for c in registry.select(["CM305"], kind)] == ["CM305"]
        assert handler_for(kind) is not None
    # CM305 off: the handlers report nothing
    assert findings("cartesia==2.0.17\n", "CM304", path="requirements.txt") == []


def test_cm305_pyproject_keeps_model_id_checks():
    text = '[project]\ndependencies = ["cartesia==2.0.17"]\n\n[tool.app]\nmodel = "sonic-english"\n'
    from cartesia_migrate.engine import check_source

    codes = sorted(f.code for f in check_source(text, "pyproject.toml", Settings(select=("CM101", "CM305"))))
    assert codes == ["CM101", "CM305"]


def test_cm305_requirements_files_are_discovered(tmp_path):
    (tmp_path / "requirements.txt").write_text("cartesia==2.0.17\n")
    (tmp_path / "setup.cfg").write_text("[options]\ninstall_requires =\n    cartesia<3\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["cartesia~=3.0"]\n')
    (tmp_path / "notes.txt").write_text("cartesia==2.0.17\n")
    run = check_paths([str(tmp_path)], use_cache=False, overrides=Overrides(select=("CM305",), offline=True))
    assert sorted(f.path.rsplit("/", 1)[-1] for f in run.findings) == ["pyproject.toml", "requirements.txt",
                                                                      "setup.cfg"]


def test_annotated_cls_parameter_is_analyzed():
    # a classmethod whose ``cls`` is annotated (the SDK's own _types.py) once crashed the binding tracker
    code = src('''
        import cartesia

        class Builder:
            @classmethod
            def build(cls: "type[Builder]", *, data: object) -> "Builder":
                try:
                    return cls()
                except cartesia.APIStatusError as e:
                    return str(e).split(":")
        ''')
    assert lines(code, "CM301") == [9]


@pytest.mark.parametrize("before, after", [
    ('ws = websockets.connect("wss://api.cartesia.ai/tts/websocket", extra_headers={"X-API-Key": KEY})\n',
     'ws = websockets.connect("wss://api.cartesia.ai/tts/websocket", extra_headers={"X-API-Key": KEY, '
     '"Cartesia-Version": "2026-03-01"})\n'),
    ('s = aiohttp.ClientSession(BASE, headers={"X-API-Key": KEY})\n',
     's = aiohttp.ClientSession(BASE, headers={"X-API-Key": KEY, "Cartesia-Version": "2026-03-01"})\n'),
    ('req = urllib.request.Request(BASE + "/voices", headers={"X-API-Key": KEY})\n',
     'req = urllib.request.Request(BASE + "/voices", headers={"X-API-Key": KEY, "Cartesia-Version": "2026-03-01"})\n'),
])
def test_cm303_fix_per_library(before, after):
    assert fixed(HTTP + before, "CM303") == HTTP + after


def test_cm305_untouched_lines_stay_byte_identical_property():
    from hypothesis import assume, given, settings
    from hypothesis import strategies as st

    other = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c"
                                                                     "\x1c\x1d\x1e\x85\u2028\u2029"),
                    max_size=40).filter(lambda t: "artesia" not in t.lower())
    newline = st.sampled_from(["\n", "\r\n"])

    @settings(max_examples=300, deadline=None, derandomize=True)  # deterministic in CI; 2,000 random examples pass
    @given(before=st.lists(other, max_size=5), after=st.lists(other, max_size=5), nl=newline,
           req=st.sampled_from(["cartesia==2.0.17", "cartesia[websockets]<4 ; sys_platform != 'win32'",
                                "Cartesia ~= 3.5  # pinned"]))
    def check(before, after, nl, req):
        # a line ending in a backslash joins the requirement to it (pip): then it is part of
        # another requirement, unless that line is only the backslash
        assume(not before or not before[-1].endswith("\\") or before[-1].strip() == "\\")
        text = nl.join(before + [req] + after) + nl
        out = fixed(text, "CM305", unsafe=True, path="requirements.txt")
        old_lines, new_lines = text.split(nl), out.split(nl)
        assert len(old_lines) == len(new_lines)
        i = len(before)
        assert old_lines[:i] == new_lines[:i] and old_lines[i + 1:] == new_lines[i + 1:]
        assert "4.2,<5" in new_lines[i]

    check()


@pytest.mark.parametrize("text, expected", [
    ("\\\ncartesia==2.0.17\n", "\\\ncartesia>=4.2,<5\n"),
    (" \\\r\n\\\r\ncartesia==2.0.17\r\nhttpx\r\n", " \\\r\n\\\r\ncartesia>=4.2,<5\r\nhttpx\r\n"),
    ("numpy\\\ncartesia==2.0.17\n", "numpy\\\ncartesia==2.0.17\n"),  # one (invalid) requirement: not ours
])
def test_cm305_requirement_after_a_lone_continuation_line(text, expected):
    from cartesia_migrate.engine import fix_source
    from cartesia_migrate.config import Settings

    assert fix_source(text, "requirements.txt", Settings(select=("CM305",)), unsafe=True)[0] == expected


def test_cm305_validation_reads_a_requirement_after_a_lone_continuation_line():
    from cartesia_migrate.handlers.dependencies import RequirementsHandler

    h = RequirementsHandler()
    assert h.validate("\\\ncartesia>=4.2,<5\n") is None
    assert "invalid requirement" in h.validate("\\\ncartesia>=>4\n")
