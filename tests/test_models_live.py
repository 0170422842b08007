"""The live models list against a real HTTP server on 127.0.0.1 (port 0), via CARTESIA_BASE_URL.

Recorded responses of every shape live in ``tests/fixtures/models_api/`` (one JSON file per shape).
Slow, trickling and endless servers signal events (the client went away); no test measures time."""
import gzip
import json
import os
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from cartesia_migrate import models
from cartesia_migrate.models import live
from tests.inproc import invoke

KEY = "sk_car_Tq9xV2mL7pR4wZ8n.Kd3fH6jB1sG5yC0a"
OTHER_KEY = "sk_car_Xy7Wv6Uu5Tt4Ss3R.r2Qq1Pp0Oo9Nn8Mm"
FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "models_api")

MODELS = ["sonic-3.5", "sonic-3.5-2026-05-04", "sonic-3", "sonic-3-2026-01-12", "sonic-3-2025-10-27",
          "sonic-latest", "sonic-2", "sonic-2-2025-06-11"]
# a list that lacks sonic-3.5-2026-05-04 but holds a newer sonic-3.5 snapshot
NEWER = ["sonic-3.5", "sonic-3.5-2026-10-06", "sonic-3", "sonic-3-2026-01-12", "sonic-latest"]
# what the recorded responses list today (cartesia-facts section 0)
TODAY = frozenset(["sonic-3.6", "sonic-3.6-2026-08-27", "sonic-3.5", "sonic-3.5-2026-05-04", "sonic-3",
                   "sonic-3-2026-01-12", "sonic-3-2025-10-27", "sonic-latest", "sonic-preview"])
WAIT = 60  # seconds an event may take on a very busy machine (a bound on a hang, never a measurement)


def recorded(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return json.load(f)


class Api:
    """A fake Cartesia API: ``routes[path] = (status, body, delay)`` or a callable that answers itself
    (``route(handler, api)``); records every request.  ``disconnected`` is set when a callable route
    sees the client go away; ``stop`` ends every slow route (teardown)."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        self.disconnected = threading.Event()
        self.stop = threading.Event()
        self.sent = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # chunked bodies

            def do_GET(self):  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                api.requests.append({"path": parts.path, "query": parse_qs(parts.query),
                                     "headers": {k.lower(): v for k, v in self.headers.items()}})
                key = parts.path.rstrip("/")
                cursor = parse_qs(parts.query).get("starting_after", [None])[0]
                route = api.routes.get((key, cursor)) or api.routes.get(key) or (404, {}, 0)
                try:
                    if callable(route):
                        route(self, api)
                        return
                    status, body, delay = route
                    if delay:
                        api.stop.wait(delay)
                    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    api.disconnected.set()
                    self.close_connection = True

            def handle(self):
                try:
                    super().handle()
                except OSError:  # a client that went away between two requests of a kept-alive connection
                    pass

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()

    def paths(self):
        return [r["path"] for r in self.requests]

    def close(self):
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


# ---- slow and hostile servers (callable routes) -------------------------------------------------

def trickle(body, interval=0.1):
    """Headers at once, then a byte every ``interval`` s: every read succeeds, the body never ends in time."""
    def route(h, api):
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for i in range(len(body)):
            if api.stop.wait(interval):
                return
            h.wfile.write(body[i:i + 1])
        h.close_connection = True
    return route


ENDLESS_SAFETY = 64 * 1024 * 1024  # the server's own bound, so that a client without a cap still ends


def endless(h, api):
    """A chunked JSON array that never ends (until the client leaves, or the server's own safety bound)."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    piece = b'"sonic-3",' * 6500
    h.wfile.write(b"1\r\n[\r\n")
    while api.sent < ENDLESS_SAFETY and not api.stop.is_set():
        h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        api.sent += len(piece)
    tail = b'"sonic-3"]'
    h.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(tail), tail))


def hang(h, api):
    """Never answer; return when the client closes the connection (``disconnected``) or at teardown."""
    conn = h.connection
    while not api.stop.is_set():
        readable, _, _ = select.select([conn], [], [], 0.05)
        if readable:
            try:
                data = conn.recv(1, socket.MSG_PEEK)
            except OSError:
                data = b""
            if not data:
                api.disconnected.set()
                h.close_connection = True
                return


def endless_pages(h, api):
    """/fine-tunes: one failed fine-tune per page, ``has_more`` for ever, each page after a pause."""
    n = len(api.requests)
    if api.stop.wait(0.2):
        return
    raw = json.dumps({"data": [{"id": "ft_%d" % n, "status": "failed"}], "has_more": True}).encode()
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(raw)))
    h.end_headers()
    h.wfile.write(raw)


def gzipped(body, status=200):
    def route(h, api):
        raw = gzip.compress(body if isinstance(body, bytes) else json.dumps(body).encode())
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Content-Length", str(len(raw)))
        h.end_headers()
        h.wfile.write(raw)
    return route


@pytest.fixture
def api(monkeypatch):
    a = Api()
    a.routes["/models"] = (200, {"data": [{"id": m, "capability": "tts"} for m in MODELS]}, 0)
    a.routes["/fine-tunes"] = (200, {"data": [], "has_more": False}, 0)
    a.routes["/voices"] = (200, {"data": [], "has_more": False}, 0)
    monkeypatch.setenv("CARTESIA_BASE_URL", a.url)
    monkeypatch.setenv("CARTESIA_API_KEY", KEY)
    yield a
    a.close()


def env(api, key=KEY):
    return {"CARTESIA_BASE_URL": api.url, "CARTESIA_API_KEY": key}


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def cache_files():
    d = live.cache_dir()
    return [os.path.join(d, f) for f in os.listdir(d)] if os.path.isdir(d) else []


# ---- the request -------------------------------------------------------------------------------

def test_request_carries_bearer_key_and_version(api):
    ml = models.load()
    assert ml.source == "live" and ml.notice is None
    first = api.requests[0]
    assert first["path"] == "/models"
    assert first["query"] == {"capability": ["tts"]}
    assert first["headers"]["authorization"] == "Bearer " + KEY
    assert first["headers"]["cartesia-version"] == "2026-08-14"
    assert ml.served == frozenset(MODELS)
    # the PVC endpoints get the same headers; /voices is asked for the account's own voices
    for path in ("/fine-tunes", "/voices"):
        (req,) = [r for r in api.requests if r["path"] == path]
        assert req["headers"]["authorization"] == "Bearer " + KEY
        assert req["headers"]["cartesia-version"] == "2026-08-14"
    (voices,) = [r for r in api.requests if r["path"] == "/voices"]
    assert voices["query"] == {"is_owner": ["true"], "limit": ["100"]}


@pytest.mark.parametrize("body", [
    MODELS,  # a JSON array of IDs
    [{"id": m} for m in MODELS],
    {"data": [{"id": m} for m in MODELS], "has_more": False},
    {"models": [{"model_id": m, "name": m.upper()} for m in MODELS]},
])
def test_response_shapes(api, body):
    api.routes["/models"] = (200, body, 0)
    ml = models.load(use_cache=False)
    assert ml.source == "live" and ml.served == frozenset(MODELS)


def test_newer_snapshot_on_live_list_is_what_the_fix_writes(api, tmp_path, cli):
    api.routes["/models"] = (200, [{"id": m} for m in NEWER], 0)
    write(tmp_path, "app.py", 'import cartesia\nMODEL_ID = "sonic-english"\nALIAS_MODEL = "sonic-3.5"\n')
    r = cli("fix", "app.py", cwd=tmp_path, env=env(api))
    assert r.code == 0, r
    text = (tmp_path / "app.py").read_text()
    assert 'MODEL_ID = "sonic-3.5-2026-10-06"' in text
    assert 'ALIAS_MODEL = "sonic-3.5-2026-10-06"' in text  # CM105 pins to the newest on the list
    assert "live models list" in r.err


def test_pvc_voices_from_fine_tunes_drive_cm104(api, tmp_path, cli):
    api.routes[("/fine-tunes", None)] = (200, {"data": [{"id": "ft_1", "model_id": "sonic-3-2025-10-27",
                                                         "status": "completed"}], "has_more": True}, 0)
    api.routes[("/fine-tunes", "ft_1")] = (200, {"data": [{"id": "ft_2", "model_id": "sonic-3-2026-01-12"},
                                                          {"id": "ft_3", "status": "failed"}],
                                                 "has_more": False}, 0)
    api.routes["/fine-tunes/ft_1/voices"] = (200, {"data": [{"id": "clone-old"}], "has_more": False}, 0)
    api.routes["/fine-tunes/ft_2/voices"] = (200, {"data": [{"id": "clone-new"}], "has_more": False}, 0)
    write(tmp_path, "app.py",
          "from cartesia import Cartesia\nclient = Cartesia(api_key='k')\n"
          "a = client.tts.generate(model_id='sonic-3.5', transcript='x', voice='clone-old')\n"
          "b = client.tts.generate(model_id='sonic-3.5', transcript='x', voice='clone-new')\n"
          "c = client.tts.generate(model_id='sonic-3.5', transcript='x', voice='stock-voice')\n")
    r = cli("check", "app.py", "--select", "CM104,CM105", cwd=tmp_path, env=env(api))
    assert r.code == 1, r
    assert r.out.count("CM104") == 2 and r.out.count("CM105") == 1
    r = cli("fix", "app.py", "--select", "CM104", cwd=tmp_path, env=env(api))
    text = (tmp_path / "app.py").read_text()
    assert "model_id='sonic-3-2025-10-27', transcript='x', voice='clone-old'" in text
    assert "model_id='sonic-3-2026-01-12', transcript='x', voice='clone-new'" in text
    assert "model_id='sonic-3.5', transcript='x', voice='stock-voice'" in text
    assert "/fine-tunes/ft_3/voices" not in api.paths()  # failed fine-tunes have no voices
    cursors = [r["query"].get("starting_after") for r in api.requests if r["path"] == "/fine-tunes"]
    assert [None, ["ft_1"]] == cursors[:2]


def test_pvc_failure_keeps_the_live_list(api):
    api.routes["/fine-tunes"] = (403, {"error_code": "forbidden"}, 0)
    ml = models.load()
    assert ml.source == "live" and ml.pvc_voices == {}
    assert "Pro Voice Clones not fetched" in ml.notice and "HTTP 403" in ml.notice
    # the cached entry carries the notice on
    cached = models.load()
    assert cached.source == "cache" and "Pro Voice Clones not fetched" in cached.notice


# ---- fallbacks ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("route,expect", [
    ((500, {"error": "boom"}, 0), "HTTP 500"),
    ((200, b"{not json", 0), "malformed JSON"),
    ((401, {"error_code": "unauthorized"}, 0), "HTTP 401, the API key was rejected"),
    ((200, {"object": "list"}, 0), "unexpected response shape"),
    ((200, [], 0), "lists no model IDs"),
])
def test_failures_fall_back_to_bundled_with_notice(api, route, expect):
    api.routes["/models"] = route
    ml = models.load()
    assert ml.source == "bundled" and expect in ml.notice
    assert ml.describe_source().startswith("bundled models snapshot made ")
    assert KEY not in ml.describe_source()
    assert cache_files() == []  # a failure is not cached


def test_failure_notice_on_stderr(api, tmp_path, cli):
    api.routes["/models"] = (500, {"error": "boom"}, 0)
    write(tmp_path, "app.py", 'import cartesia\nMODEL_ID = "sonic-3.5-2026-05-04"\n')
    r = cli("check", "app.py", cwd=tmp_path, env=env(api))
    assert r.code == 0, r
    assert "models: bundled models snapshot made" in r.err
    assert "live models list unavailable: GET /models: HTTP 500" in r.err
    assert KEY not in r.err + r.out and KEY[-4:] not in r.err + r.out


def test_timeout_falls_back(api, monkeypatch):
    monkeypatch.setattr(live, "TIMEOUT", 0.3)
    api.routes["/models"] = hang
    ml = models.load()
    assert ml.source == "bundled" and "timed out after 0.3s" in ml.notice
    assert api.disconnected.wait(WAIT)


def _stale_cache(api, ids, age_hours):
    ml = models.load()  # writes a fresh entry
    assert ml.source == "live"
    (path,) = cache_files()
    with open(path, encoding="utf-8") as f:
        entry = json.load(f)
    entry["fetched_at"] = time.time() - age_hours * 3600
    entry["ids"] = ids
    with open(path, "w", encoding="utf-8") as f:
        json.dump(entry, f)


@pytest.mark.parametrize("route,expect", [
    ((500, {}, 0), "HTTP 500"),
    ((200, b"<html>", 0), "malformed JSON"),
    ((401, {}, 0), "rejected"),
])
def test_failures_fall_back_to_the_cache_first(api, route, expect):
    _stale_cache(api, NEWER, age_hours=30)  # older than 24 h: refreshed, kept for failures
    api.routes["/models"] = route
    ml = models.load()
    assert ml.source == "cache" and ml.served == frozenset(NEWER)
    assert expect in ml.notice and "using the cached list instead" in ml.notice
    assert "cached models list (30h old)" in ml.describe_source()


def test_a_week_old_cache_is_not_used(api):
    _stale_cache(api, NEWER, age_hours=24 * 8)
    api.routes["/models"] = (500, {}, 0)
    assert models.load().source == "bundled"


def test_timeout_falls_back_to_the_cache(api, monkeypatch):
    _stale_cache(api, NEWER, age_hours=25)
    monkeypatch.setattr(live, "TIMEOUT", 0.2)
    api.routes["/models"] = hang
    ml = models.load()
    assert ml.source == "cache" and "timed out" in ml.notice


# ---- cache ----------------------------------------------------------------------------------------------

def test_second_run_within_24h_uses_the_cache(api, tmp_path, cli):
    write(tmp_path, "app.py", 'import cartesia\nMODEL_ID = "sonic-english"\n')
    r1 = cli("check", "app.py", cwd=tmp_path, env=env(api))
    n = len(api.requests)
    assert n >= 1 and "live models list" in r1.err
    r2 = cli("check", "app.py", cwd=tmp_path, env=env(api))
    assert len(api.requests) == n, "the second run made a request"
    assert "cached models list" in r2.err
    assert r1.out == r2.out
    # --no-cache goes to the network again and leaves the cache alone
    before = open(cache_files()[0]).read()
    r3 = cli("check", "app.py", "--no-cache", cwd=tmp_path, env=env(api))
    assert len(api.requests) > n and "live models list" in r3.err
    assert open(cache_files()[0]).read() == before


def test_cache_never_holds_the_key(api):
    models.load()
    (path,) = cache_files()
    text = open(path, encoding="utf-8").read()
    assert KEY not in text and KEY[7:] not in text and KEY[-8:] not in text
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_another_key_refetches(api):
    models.load()
    n = len(api.requests)
    os.environ["CARTESIA_API_KEY"] = OTHER_KEY  # restored by the monkeypatch of the fixture
    ml = models.load()
    assert ml.source == "live" and len(api.requests) > n
    assert api.requests[n]["headers"]["authorization"] == "Bearer " + OTHER_KEY


def test_cache_lives_under_xdg_cache_home(api, tmp_path, monkeypatch):
    monkeypatch.delenv("CARTESIA_MIGRATE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    models.load()
    files = os.listdir(tmp_path / "xdg" / "cartesia-migrate" / "models")
    assert len(files) == 1 and files[0].endswith(".json")


def test_corrupt_cache_is_a_miss(api):
    models.load()
    (path,) = cache_files()
    with open(path, "w") as f:
        f.write("{garbage")
    n = len(api.requests)
    assert models.load().source == "live" and len(api.requests) > n


# ---- offline, no key, where the key may go ------------------------------------------------------------------

def test_offline_makes_no_request(api, tmp_path, cli):
    write(tmp_path, "app.py", 'import cartesia\nMODEL_ID = "sonic-english"\n')
    r = cli("check", "app.py", "--offline", cwd=tmp_path, env=env(api))
    assert r.code == 1 and "bundled models snapshot" in r.err and "offline" in r.err
    r = cli("models", "--offline", cwd=tmp_path, env=env(api))
    assert r.code == 0 and "bundled" in r.out
    write(tmp_path, "pyproject.toml", "[tool.cartesia-migrate]\noffline = true\n")
    r = cli("check", "app.py", cwd=tmp_path, env=env(api))
    assert r.code == 1 and "offline" in r.err
    assert api.requests == []


def test_offline_uses_a_fresh_cache(api, tmp_path, cli):
    api.routes["/models"] = (200, NEWER, 0)
    models.load()
    n = len(api.requests)
    write(tmp_path, "app.py", 'import cartesia\nMODEL_ID = "sonic-english"\n')
    r = cli("fix", "app.py", "--offline", cwd=tmp_path, env=env(api))
    assert len(api.requests) == n and "cached models list" in r.err
    assert "sonic-3.5-2026-10-06" in (tmp_path / "app.py").read_text()


def test_no_key_no_request(api, monkeypatch):
    monkeypatch.delenv("CARTESIA_API_KEY")
    ml = models.load()
    assert ml.source == "bundled" and "CARTESIA_API_KEY" in ml.notice and api.requests == []


@pytest.mark.parametrize("base", ["http://api.example.com", "http://localhost.example.com", "http://10.0.0.1:8080"])
def test_key_goes_only_to_https_or_loopback(api, monkeypatch, base):
    monkeypatch.setenv("CARTESIA_BASE_URL", base)
    ml = models.load()
    assert ml.source == "bundled" and "not sending the API key" in ml.notice
    assert KEY not in ml.describe_source()


def test_key_may_go_to():
    assert live.key_may_go_to("https://api.cartesia.ai")
    assert live.key_may_go_to("http://127.0.0.1:8080") and live.key_may_go_to("http://localhost:1")
    assert live.key_may_go_to("http://[::1]:9")
    assert not live.key_may_go_to("http://api.cartesia.ai") and not live.key_may_go_to("http://127.0.0.1.nip.io")


# ---- the models command ---------------------------------------------------------------------------------------

def test_models_command_shows_live_list(api, tmp_path, cli):
    api.routes["/models"] = (200, NEWER, 0)
    api.routes["/fine-tunes"] = (200, {"data": [{"id": "ft_1", "model_id": "sonic-3-2026-01-12"}],
                                       "has_more": False}, 0)
    api.routes["/fine-tunes/ft_1/voices"] = (200, {"data": [{"id": "clone-1"}], "has_more": False}, 0)
    r = cli("models", "--output-format", "json", cwd=tmp_path, env=env(api))
    assert r.code == 0, r
    data = json.loads(r.out)
    assert data["source"] == "live"
    by = {m["id"]: m for m in data["models"]}
    assert by["sonic-3.5-2026-10-06"]["on_list"] and by["sonic-3.5-2026-10-06"]["kind"] == "dated"
    assert not by["sonic-3.5-2026-05-04"]["on_list"]
    assert by["sonic-english"]["status"] == "discontinued"
    assert by["sonic-english"]["successor"] == "sonic-3.5-2026-10-06"
    assert by["sonic-3.5"]["resolves_to"] == "sonic-3.5-2026-10-06"
    assert data["pvc_voices"] == {"clone-1": "sonic-3-2026-01-12"}
    r = cli("models", cwd=tmp_path, env=env(api))
    assert r.code == 0 and "cached models list" in r.out and "sonic-3.5-2026-10-06" in r.out
    assert "clone-1" in r.out and KEY not in r.out + r.err


# ---- recorded responses of every shape ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["array_of_strings.json", "array_of_objects.json", "data_object.json",
                                  "models_key.json", "other_key.json", "mixed_capabilities.json"])
def test_recorded_shapes(api, name):
    api.routes["/models"] = (200, recorded(name), 0)
    ml = models.load(use_cache=False)
    assert ml.source == "live" and ml.notice is None
    assert ml.served == TODAY  # STT rows (ink-whisper, ink-preview) are skipped


def test_recorded_paginated_models(api):
    api.routes[("/models", None)] = (200, recorded("models_page_1.json"), 0)
    api.routes[("/models", "sonic-3.5")] = (200, recorded("models_page_2.json"), 0)
    ml = models.load(use_cache=False)
    assert ml.source == "live" and ml.served == TODAY
    queries = [r["query"] for r in api.requests if r["path"] == "/models"]
    assert queries == [{"capability": ["tts"]}, {"capability": ["tts"], "starting_after": ["sonic-3.5"]}]


def test_recorded_aliases_only(api):
    api.routes["/models"] = (200, recorded("aliases_only.json"), 0)
    ml = models.load(use_cache=False)
    assert ml.source == "live"
    assert ml.served == {"sonic-3.6", "sonic-3.5", "sonic-3", "sonic-latest", "sonic-preview"}


def test_recorded_list_adding_sonic_3_7(api, tmp_path):
    api.routes["/models"] = (200, recorded("adds_sonic_3_7.json"), 0)
    ml = models.load()
    assert ml.source == "live"
    assert {"sonic-3.7", "sonic-3.7-2026-11-24"} <= ml.served and TODAY <= ml.served
    r = invoke("models", "--output-format", "json", cwd=tmp_path)  # from the cache now
    assert r.code == 0
    data = json.loads(r.out)
    assert data["source"] == "cache"
    assert {m["id"] for m in data["models"] if m["on_list"]} >= {"sonic-3.7", "sonic-3.7-2026-11-24"}


def test_recorded_gzip_response(api):
    api.routes["/models"] = gzipped(recorded("data_object.json"))
    ml = models.load(use_cache=False)
    assert ml.source == "live" and ml.served == TODAY
    assert "gzip" in api.requests[0]["headers"]["accept-encoding"]


@pytest.mark.parametrize("body,expect", [
    ({"object": "list"}, "unexpected response shape"),
    ({"a": [{"id": "sonic-3"}], "b": [{"id": "sonic-2"}]}, "several lists of models"),
    ([{"id": "ink-whisper", "capability": "stt"}], "lists no model IDs"),
    (["sonic-3.5-\u0662\u0660\u0662\u0667-\u0660\u0661-\u0660\u0661"],
     "lists no model IDs (1 invalid ID ignored)"),
    (b"[" * 200000, "malformed JSON"),
    (b"\xff\xfe[]", "malformed JSON"),
])
def test_unusable_responses_fall_back(api, body, expect):
    api.routes["/models"] = (200, body, 0)
    ml = models.load()
    assert ml.source == "bundled" and expect in ml.notice


# ---- hostile IDs (issue 18.5) ---------------------------------------------------------------------------

ARABIC = "sonic-3.5-\u0662\u0660\u0662\u0667-\u0660\u0661-\u0660\u0661"
FULLWIDTH = "sonic-3.5-\uff12\uff10\uff12\uff17-\uff10\uff11-\uff10\uff11"
ESCAPES = "sonic-3.5-2027-01-01\u001b[2J\u001b]0;pwned\u0007"


def test_hostile_live_ids_never_enter_the_list(api):
    api.routes["/models"] = (200, recorded("hostile_ids.json"), 0)
    ml = models.load()
    assert ml.source == "live" and ml.served == TODAY
    assert ARABIC not in ml.served and FULLWIDTH not in ml.served and ESCAPES not in ml.served
    assert all(m.isascii() and m.isprintable() and len(m) <= 64 for m in ml.served)
    assert "ignored 12 invalid IDs in the live response" in ml.notice
    # the cached copy holds only what was accepted, and says so again
    cached = models.load()
    assert cached.source == "cache" and cached.served == TODAY and "ignored 12 invalid IDs" in cached.notice


@pytest.mark.parametrize("hostile", [ARABIC, FULLWIDTH, ESCAPES])
def test_fix_never_writes_a_hostile_id(api, tmp_path, cli, hostile):
    """Issue 18.5: a list holding a 'newer' snapshot in non-ASCII digits made fix write it."""
    api.routes["/models"] = (200, ["sonic-3.5", "sonic-3.5-2026-05-04", hostile], 0)
    write(tmp_path, "app.py", 'import cartesia\nMODEL_ID = "sonic-english"\nALIAS = "sonic-3.5"\n')
    write(tmp_path, ".env", "CARTESIA_MODEL_ID=sonic-english\n")
    r = cli("fix", "app.py", ".env", cwd=tmp_path, env=env(api))
    assert r.code in (0, 1), r
    for name in ("app.py", ".env"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.isascii() and hostile not in text and "2027" not in text, text
    assert "\x1b" not in r.out + r.err and "ignored 1 invalid ID" in r.err


def test_hostile_cached_ids_never_enter_the_list(api):
    models.load()  # a fresh entry
    (path,) = cache_files()
    with open(path, encoding="utf-8") as f:
        entry = json.load(f)
    entry["ids"] = MODELS + [ARABIC, FULLWIDTH, ESCAPES, "sonic-3." + "9" * 80]
    entry["pvc_voices"] = {"clone-1": "sonic-3-2026-01-12", "clone-2": ARABIC,
                           "\x1b[2J": "sonic-3-2026-01-12"}
    entry["pro_voices"] = ["clone-3", "clone\x1b"]
    entry["pvc_error"] = "Pro Voice Clones not fetched \x1b[31m(x)"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(entry, f)
    n = len(api.requests)
    ml = models.load()
    assert len(api.requests) == n and ml.source == "cache"
    assert ml.served == frozenset(MODELS)
    assert ml.pvc_voices == {"clone-1": "sonic-3-2026-01-12"} and ml.pro_voices == {"clone-3"}
    assert "ignored 7 invalid IDs in the cached list" in ml.notice and "\x1b" not in ml.notice


def test_a_cache_without_one_valid_id_is_a_miss(api):
    models.load()
    (path,) = cache_files()
    with open(path, encoding="utf-8") as f:
        entry = json.load(f)
    entry["ids"] = [ARABIC, FULLWIDTH]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(entry, f)
    n = len(api.requests)
    assert models.load().source == "live" and len(api.requests) > n


@pytest.mark.parametrize("mid,ok", [
    ("sonic-3.6", True), ("sonic-3.6-2026-08-27", True), ("sonic-3-2025-10-27", True),
    ("sonic-preview", True),
    ("ink-whisper", True), ("sonic-3.7-2028-02-29", True), ("a" * 64, True),
    ("a" * 65, False), ("sonic-3.6-2026-02-29", False), ("sonic-3.6-2026-00-10", False),
    (ARABIC, False), (FULLWIDTH, False), (ESCAPES, False), ("sonic-3.6\n", False), ("Sonic-3.6", False),
    ("sonic_3.6", False), ("-sonic", False), ("sonic-", False), ("sonic..3", False), ("", False),
    (None, False),
    ("sonic-3.6-2026-08-2\u0667", False),
])
def test_model_id_grammar(mid, ok):
    assert live.valid_model_id(mid) is ok


# ---- Pro Voice Clones: fine-tunes and is_pro voices ----------------------------------------------------

def test_recorded_fine_tunes_and_pro_voices(api):
    api.routes["/fine-tunes"] = (200, recorded("fine_tunes.json"), 0)
    for ft in ("ft_36", "ft_nobase", "ft_bad"):
        api.routes["/fine-tunes/%s/voices" % ft] = (200, recorded("fine_tune_voices_%s.json" % ft), 0)
    api.routes[("/voices", None)] = (200, recorded("voices_page_1.json"), 0)
    api.routes[("/voices", "a0e99841-438c-4a64-b679-ae501e7d6091")] = (200, recorded("voices_page_2.json"), 0)
    ml = models.load()
    assert ml.source == "live"
    # a stated, valid dated base is kept; no base is ever guessed
    assert ml.pvc_voices == {"7f3c1e2a-0b4d-4e5f-8a9b-1c2d3e4f5a6b": "sonic-3.6-2026-08-27"}
    assert ml.pro_voices == {"7f3c1e2a-0b4d-4e5f-8a9b-1c2d3e4f5a6b",  # is_pro (base known too)
                             "c2ac25f9-ecc4-4f56-9095-651354df60c0",  # fine-tune without a base, and is_pro
                             "5b1e9d3c-2f4a-4b6c-9d8e-7f6a5b4c3d2e"}  # fine-tune whose base is no model ID
    assert "a0e99841-438c-4a64-b679-ae501e7d6091" not in ml.pro_voices  # is_pro false
    assert "/fine-tunes/ft_failed/voices" not in api.paths()
    assert "ignored 1 invalid ID in the live response" in ml.notice  # the voice ID with escapes
    cached = models.load()
    assert cached.source == "cache"
    assert cached.pvc_voices == ml.pvc_voices and cached.pro_voices == ml.pro_voices


def test_fine_tune_without_a_base_is_not_given_one(api):
    """Issue 13: a clone whose base is not stated was put on a guessed sonic-3 snapshot."""
    api.routes["/fine-tunes"] = (200, {"data": [{"id": "ft_1", "status": "completed"},
                                                {"id": "ft_2", "model_id": "sonic-3.6", "status": "completed"}],
                                       "has_more": False}, 0)
    api.routes["/fine-tunes/ft_1/voices"] = (200, {"data": [{"id": "clone-1"}], "has_more": False}, 0)
    api.routes["/fine-tunes/ft_2/voices"] = (200, {"data": [{"id": "clone-2"}], "has_more": False}, 0)
    ml = models.load()
    assert ml.pvc_voices == {} and ml.pro_voices == {"clone-1", "clone-2"}


def test_no_model_id_literal_in_live():
    """No model ID in the live client (a guessed PVC base was one): knowledge is data."""
    with open(live.__file__, encoding="utf-8") as f:
        assert "sonic-" not in f.read()


def test_voices_failure_keeps_the_clones(api):
    api.routes["/fine-tunes"] = (200, {"data": [{"id": "ft_1", "model_id": "sonic-3.6-2026-08-27"}],
                                       "has_more": False}, 0)
    api.routes["/fine-tunes/ft_1/voices"] = (200, {"data": [{"id": "clone-1"}], "has_more": False}, 0)
    api.routes["/voices"] = (500, {}, 0)
    ml = models.load()
    assert ml.source == "live" and ml.pvc_voices == {"clone-1": "sonic-3.6-2026-08-27"}
    assert "voices marked is_pro not fetched (GET /voices: HTTP 500)" in ml.notice


# ---- one deadline, byte caps (issue 18.4) ----------------------------------------------------------------

def test_trickling_models_stops_at_the_deadline(api, monkeypatch):
    """A byte every 0.1 s: every read succeeds, so only an overall deadline stops it."""
    monkeypatch.setattr(live, "DEADLINE", 1.0)
    api.routes["/models"] = trickle(json.dumps(sorted(TODAY)).encode())
    ml = models.load()
    assert ml.source == "bundled"
    assert "GET /models: no complete answer within the 1s deadline of the live step" in ml.notice
    assert api.disconnected.wait(WAIT)


def test_trickling_models_falls_back_to_the_cache(api, monkeypatch):
    _stale_cache(api, NEWER, age_hours=26)
    monkeypatch.setattr(live, "DEADLINE", 1.0)
    api.routes["/models"] = trickle(json.dumps(sorted(TODAY)).encode())
    ml = models.load()
    assert ml.source == "cache" and ml.served == frozenset(NEWER)
    assert "deadline" in ml.notice and "using the cached list instead" in ml.notice


def test_models_that_never_answer_stop_at_the_deadline(api, monkeypatch):
    monkeypatch.setattr(live, "DEADLINE", 1.0)  # shorter than the per-read TIMEOUT (5 s)
    api.routes["/models"] = hang
    ml = models.load()
    assert ml.source == "bundled" and "no complete answer within the 1s deadline" in ml.notice
    assert api.disconnected.wait(WAIT)


def test_check_returns_with_a_trickling_server(api, monkeypatch, tmp_path):
    monkeypatch.setattr(live, "DEADLINE", 1.0)
    api.routes["/models"] = trickle(json.dumps(sorted(TODAY)).encode())
    write(tmp_path, "app.py", "import cartesia\nx = 1\n")
    r = invoke("check", "app.py", cwd=tmp_path)
    assert r.code == 0, r
    (line,) = [ln for ln in r.err.splitlines() if "models:" in ln]
    assert "bundled models snapshot" in line and "deadline of the live step" in line
    assert KEY not in r.err + r.out


def test_endless_chunked_body_stops_at_the_cap(api):
    api.routes["/models"] = endless
    ml = models.load()
    assert ml.source == "bundled" and "GET /models: the response is larger than 2 MiB" in ml.notice
    assert api.disconnected.wait(WAIT)
    assert api.sent < ENDLESS_SAFETY


def test_gzip_bomb_stops_at_the_cap(api):
    api.routes["/models"] = gzipped(b"[" + b" " * (40 * 1024 * 1024) + b"]")
    ml = models.load()
    assert ml.source == "bundled" and "the response is larger than 2 MiB" in ml.notice


def test_declared_length_over_the_cap(api, monkeypatch):
    monkeypatch.setattr(live, "MAX_MODELS_BYTES", 100)
    ml = models.load()
    assert ml.source == "bundled" and "the response is larger than 100 bytes" in ml.notice


def test_slow_fine_tunes_keep_the_live_models_list(api, monkeypatch):
    monkeypatch.setattr(live, "DEADLINE", 1.0)
    api.routes["/fine-tunes"] = hang
    ml = models.load()
    assert ml.source == "live" and ml.served == frozenset(MODELS) and ml.pvc_voices == {}
    assert "Pro Voice Clones not fetched" in ml.notice and "deadline of the live step" in ml.notice
    assert api.disconnected.wait(WAIT)


def test_endless_fine_tune_pages_stop_at_the_deadline(api, monkeypatch):
    monkeypatch.setattr(live, "DEADLINE", 1.0)
    api.routes["/fine-tunes"] = endless_pages
    ml = models.load()
    assert ml.source == "live" and ml.served == frozenset(MODELS)
    assert "Pro Voice Clones not fetched" in ml.notice and "deadline of the live step" in ml.notice


def test_total_bytes_cap(api, monkeypatch):
    monkeypatch.setattr(live, "MAX_TOTAL_BYTES", 4000)
    pages = {"data": [{"id": "ft_%d" % i, "status": "failed"} for i in range(40)], "has_more": True}
    api.routes["/fine-tunes"] = (200, pages, 0)  # the same cursor each time is caught too: vary it
    for i in range(60):
        api.routes[("/fine-tunes", "ft_%d" % (39 + i * 40))] = (
            200, {"data": [{"id": "ft_%d" % j, "status": "failed"} for j in range(40 + i * 40, 80 + i * 40)],
                  "has_more": True}, 0)
    ml = models.load()
    assert ml.source == "live" and "the live step read more than 4000 bytes" in ml.notice


# ---- CARTESIA_BASE_URL (issue 18.9) -------------------------------------------------------------------------

BAD_BASES = ["http://[::1", "ftp://x", "http://", "http://exa mple.com", "https://:443", "https://host:99999",
             "api.cartesia.ai", "https://api.cartesia.ai/?x=1", "https://api.cartesia.ai\x1b[2J"]


@pytest.mark.parametrize("base", BAD_BASES)
def test_malformed_base_url_is_named_and_falls_back(monkeypatch, base):
    monkeypatch.setenv("CARTESIA_API_KEY", KEY)
    monkeypatch.setenv("CARTESIA_BASE_URL", base)
    ml = models.load()
    assert ml.source == "bundled"
    assert ml.notice.startswith("CARTESIA_BASE_URL ")
    assert ml.notice.endswith("the live models list is not used")
    assert "\n" not in ml.notice and "\x1b" not in ml.notice


def test_base_url_with_user_info_is_not_echoed(monkeypatch):
    monkeypatch.setenv("CARTESIA_API_KEY", KEY)
    monkeypatch.setenv("CARTESIA_BASE_URL", "https://me:%s@api.cartesia.ai" % OTHER_KEY)
    ml = models.load()
    assert ml.source == "bundled" and "user name or password" in ml.notice
    assert OTHER_KEY not in ml.notice and OTHER_KEY[-6:] not in ml.notice
    assert "***@api.cartesia.ai" in ml.notice


@pytest.mark.parametrize("base", ["http://[::1", "ftp://x", "http://", "http://exa mple.com"])
def test_malformed_base_url_in_check_and_models(tmp_path, cli, base):
    write(tmp_path, "app.py", 'import cartesia\nMODEL_ID = "sonic-english"\n')
    normal = cli("check", "app.py", cwd=tmp_path)  # no key: the bundled list
    r = cli("check", "app.py", cwd=tmp_path, env={"CARTESIA_BASE_URL": base, "CARTESIA_API_KEY": KEY})
    assert (r.code, r.out) == (normal.code, normal.out), r
    assert "internal error" not in r.err
    (line,) = [ln for ln in r.err.splitlines() if "CARTESIA_BASE_URL" in ln]
    assert "bundled models snapshot" in line
    r = cli("models", cwd=tmp_path, env={"CARTESIA_BASE_URL": base, "CARTESIA_API_KEY": KEY})
    assert r.code == 0 and "internal error" not in r.err, r
    assert len([ln for ln in r.err.splitlines() if "CARTESIA_BASE_URL" in ln]) == 1
    assert KEY not in r.out + r.err


def test_base_url_trailing_slash_and_spaces_around(api, monkeypatch):
    monkeypatch.setenv("CARTESIA_BASE_URL", "  %s/  " % api.url)
    ml = models.load()
    assert ml.source == "live" and api.paths()[0] == "/models"


# ---- the cache on disk ------------------------------------------------------------------------------------

def test_cache_is_private(api):
    base = os.environ["CARTESIA_MIGRATE_CACHE_DIR"]
    os.makedirs(base, mode=0o755)
    os.chmod(base, 0o755)
    os.makedirs(live.cache_dir(), mode=0o755)
    os.chmod(live.cache_dir(), 0o755)  # left by an earlier version
    models.load()
    (path,) = cache_files()
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(live.cache_dir()).st_mode & 0o777 == 0o700


def test_cache_folders_are_created_private(api):
    models.load()
    assert os.stat(live.cache_dir()).st_mode & 0o777 == 0o700
    assert os.stat(os.path.dirname(live.cache_dir())).st_mode & 0o777 == 0o700


def test_cache_of_the_previous_format_is_a_miss(api):
    models.load()
    (path,) = cache_files()
    with open(path, encoding="utf-8") as f:
        entry = json.load(f)
    entry["format"] = 1
    with open(path, "w", encoding="utf-8") as f:
        json.dump(entry, f)
    n = len(api.requests)
    assert models.load().source == "live" and len(api.requests) > n
