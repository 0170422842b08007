"""The live models list against a real HTTP server on 127.0.0.1 (port 0), via CARTESIA_BASE_URL."""
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from cartesia_migrate import models
from cartesia_migrate.models import live

KEY = "sk_car_Tq9xV2mL7pR4wZ8n.Kd3fH6jB1sG5yC0a"
OTHER_KEY = "sk_car_Xy7Wv6Uu5Tt4Ss3R.r2Qq1Pp0Oo9Nn8Mm"

MODELS = ["sonic-3.5", "sonic-3.5-2026-05-04", "sonic-3", "sonic-3-2026-01-12", "sonic-3-2025-10-27",
          "sonic-latest", "sonic-2", "sonic-2-2025-06-11"]
# a list that lacks sonic-3.5-2026-05-04 but holds a newer sonic-3.5 snapshot
NEWER = ["sonic-3.5", "sonic-3.5-2026-10-06", "sonic-3", "sonic-3-2026-01-12", "sonic-latest"]


class Api:
    """A fake Cartesia API: ``routes[path] = (status, body, delay)``; records every request."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                api.requests.append({"path": parts.path, "query": parse_qs(parts.query),
                                     "headers": {k.lower(): v for k, v in self.headers.items()}})
                key = parts.path.rstrip("/")
                cursor = parse_qs(parts.query).get("starting_after", [None])[0]
                status, body, delay = api.routes.get((key, cursor)) or api.routes.get(key) or (404, {}, 0)
                if delay:
                    time.sleep(delay)
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
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
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api(monkeypatch):
    a = Api()
    a.routes["/models"] = (200, {"data": [{"id": m, "capability": "tts"} for m in MODELS]}, 0)
    a.routes["/fine-tunes"] = (200, {"data": [], "has_more": False}, 0)
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
    assert first["headers"]["cartesia-version"] == "2026-03-01"
    assert ml.served == frozenset(MODELS)
    # the PVC endpoints get the same headers
    ft = [r for r in api.requests if r["path"] == "/fine-tunes"]
    assert ft and ft[0]["headers"]["authorization"] == "Bearer " + KEY


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
    api.routes["/models"] = (200, MODELS, 2)
    t = time.monotonic()
    ml = models.load()
    assert time.monotonic() - t < 2
    assert ml.source == "bundled" and "timed out after 0.3s" in ml.notice


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
    api.routes["/models"] = (200, MODELS, 1)
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


@pytest.mark.parametrize("base", ["http://api.example.com", "ftp://127.0.0.1", "http://10.0.0.1:8080"])
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
