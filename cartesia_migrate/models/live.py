"""The live models list: ``GET {base}/models?capability=tts`` and the PVC voices, with a cache.

Order (``load``):

1. a cache entry for this base URL fetched less than 24 h ago (and, when a key is
   set, fetched with the same key): no request at all;
2. ``--offline`` / no ``CARTESIA_API_KEY`` / a base URL the key must not go to:
   the bundled snapshot;
3. the live API: ``GET {base}/models?capability=tts`` (``Authorization: Bearer``,
   ``Cartesia-Version: 2026-03-01``, 5 s timeout), then the Pro Voice Clones from
   ``GET {base}/fine-tunes`` and ``GET {base}/fine-tunes/{id}/voices``; the result
   is written to the cache;
4. when the request fails (HTTP error, 401, timeout, malformed JSON): the cache if
   it is at most 7 days old, else the bundled snapshot.

Every fallback sets ``ModelsList.notice`` (printed on stderr with the source).

``{base}`` is ``CARTESIA_BASE_URL`` (the SDK's own variable), default
``https://api.cartesia.ai``.  The API key is sent only to ``https://`` URLs or
to a loopback host; it is never written to the cache (the cache stores a
truncated SHA-256 fingerprint of it, to tell accounts apart) and never printed.

The response shape of ``/models`` is not published in full, so any of these is
accepted: a JSON array; an object with ``data`` or ``models``; items that are
strings or objects with ``id`` (or ``model_id``).
"""
from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import time
from typing import Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from . import DATED_RE, ModelsList, bundled, from_ids

API_VERSION = "2026-03-01"
DEFAULT_BASE_URL = "https://api.cartesia.ai"
TIMEOUT = 5.0  # seconds, per request
PVC_DEADLINE = 20.0  # seconds for all fine-tune requests together
CACHE_TTL = 24 * 3600
STALE_IF_ERROR = 7 * 24 * 3600
MAX_PAGES = 50
CACHE_FORMAT = 1
#: the only fine-tune base since March 2026: a clone whose base is not given is on it
DEFAULT_PVC_BASE = "sonic-3-2026-01-12"

Log = Optional[Callable[[str], None]]


class LiveError(Exception):
    """A live request failed; ``str(self)`` says why, without the key."""


# ---- where and whether to send the key ---------------------------------------------------

def base_url() -> str:
    return (os.environ.get("CARTESIA_BASE_URL") or "").strip().rstrip("/") or DEFAULT_BASE_URL


def is_loopback(host: Optional[str]) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def key_may_go_to(url: str) -> bool:
    """The key goes only to https:// URLs or to a loopback host (local test servers)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and is_loopback(parts.hostname)


def key_fingerprint(key: str) -> str:
    return hashlib.sha256(("cartesia-migrate\0" + key).encode()).hexdigest()[:12]


# ---- cache --------------------------------------------------------------------------------

def cache_dir() -> str:
    from ..cache import cache_root

    return os.path.join(cache_root(), "models")


def cache_file(base: str) -> str:
    return os.path.join(cache_dir(), hashlib.sha256(base.encode()).hexdigest()[:16] + ".json")


def read_cache(base: str) -> Optional[dict]:
    """The cache entry for ``base``, or None (missing, corrupt, other format: a miss)."""
    from ..io import InputError, read_bytes

    try:  # read_bytes: a FIFO or device where the entry should be is never opened
        raw, _st = read_bytes(cache_file(base), 16 * 1024 * 1024)
        entry = json.loads(raw.decode("utf-8"))
    except (InputError, OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or entry.get("base_url") != base:
        return None
    ids = entry.get("ids")
    pvc = entry.get("pvc_voices", {})
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        return None
    if not isinstance(pvc, dict) or not isinstance(entry.get("fetched_at"), (int, float)):
        return None
    return entry


def write_cache(base: str, entry: dict, log: Log = None) -> None:
    path = cache_file(base)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = "%s.%d.tmp" % (path, os.getpid())
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entry, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError as e:
        if log is not None:
            log("cartesia-migrate: warning: cannot write the models cache %s: %s" % (path, e.strerror or e))


def _from_cache(entry: dict, notice: Optional[str] = None) -> ModelsList:
    ml = from_ids(entry["ids"], "cache", float(entry["fetched_at"]), entry.get("pvc_voices") or {})
    notes = [n for n in (notice, entry.get("pvc_error")) if n]
    ml.notice = "; ".join(notes) or None
    return ml


# ---- parsing ----------------------------------------------------------------------------------

def parse_models(payload) -> List[str]:
    """Model IDs from a ``/models`` response body (already JSON-decoded)."""
    items = payload
    if isinstance(payload, dict):
        for k in ("data", "models"):
            if isinstance(payload.get(k), list):
                items = payload[k]
                break
        else:
            raise LiveError("unexpected response shape (an object without a 'data' or 'models' list)")
    if not isinstance(items, list):
        raise LiveError("unexpected response shape (%s)" % type(payload).__name__)
    ids = []
    for it in items:
        mid = it if isinstance(it, str) else None
        if isinstance(it, dict):
            for k in ("id", "model_id"):
                if isinstance(it.get(k), str):
                    mid = it[k]
                    break
        if mid and mid.strip():
            ids.append(mid.strip())
    if not ids:
        raise LiveError("the response lists no model IDs")
    return sorted(set(ids))


def _page_items(payload, what: str) -> Tuple[list, bool]:
    if isinstance(payload, list):
        return payload, False
    if isinstance(payload, dict) and isinstance(payload.get("data"), list):
        return payload["data"], bool(payload.get("has_more"))
    raise LiveError("unexpected %s response shape" % what)


# ---- requests ----------------------------------------------------------------------------------

class _Api:
    def __init__(self, base: str, key: str) -> None:
        import httpx

        from .. import __version__

        self.base = base
        self.httpx = httpx
        # proxies from the environment, except for a local server (a proxy would not reach it)
        local = is_loopback(urlsplit(base).hostname)
        self.client = httpx.Client(
            timeout=TIMEOUT, follow_redirects=False, trust_env=not local,
            headers={"Authorization": "Bearer " + key, "Cartesia-Version": API_VERSION,
                     "Accept": "application/json", "User-Agent": "cartesia-migrate/%s" % __version__})

    def close(self) -> None:
        self.client.close()

    def get(self, path: str, params=None):
        httpx = self.httpx
        url = self.base + path
        try:
            r = self.client.get(url, params=params)
        except httpx.TimeoutException:
            raise LiveError("GET %s timed out after %gs" % (path, TIMEOUT))
        except httpx.HTTPError as e:
            raise LiveError("GET %s failed: %s" % (path, type(e).__name__ + (": %s" % e if str(e) else "")))
        if r.status_code in (401, 403):
            raise LiveError("GET %s: HTTP %d, the API key was rejected" % (path, r.status_code))
        if r.status_code != 200:
            raise LiveError("GET %s: HTTP %d" % (path, r.status_code))
        try:
            return r.json()
        except ValueError:
            raise LiveError("GET %s: malformed JSON in the response" % path)

    def pages(self, path: str, what: str, deadline: float):
        """Items of a cursor-paginated list (``{"data": [...], "has_more": bool}``)."""
        after = None
        seen = set()
        for _ in range(MAX_PAGES):
            if time.monotonic() > deadline:
                raise LiveError("listing %s took too long" % what)
            params = {"limit": 100}
            if after:
                params["starting_after"] = after
            items, more = _page_items(self.get(path, params), what)
            for it in items:
                yield it
            if not more or not items:
                return
            last = items[-1].get("id") if isinstance(items[-1], dict) else None
            if not isinstance(last, str) or last in seen:
                raise LiveError("%s: has_more without a usable cursor" % what)
            seen.add(last)
            after = last
        raise LiveError("%s: more than %d pages" % (what, MAX_PAGES))


def fetch_pvc_voices(api: _Api) -> Dict[str, str]:
    """voice ID -> the dated model its fine-tune was trained on."""
    deadline = time.monotonic() + PVC_DEADLINE
    out: Dict[str, str] = {}
    for ft in list(api.pages("/fine-tunes", "fine-tunes", deadline)):
        if not isinstance(ft, dict) or not isinstance(ft.get("id"), str):
            continue
        if ft.get("status") == "failed":
            continue
        base = ft.get("model_id") or ft.get("llm_model_id")
        if not isinstance(base, str) or not DATED_RE.match(base):
            base = DEFAULT_PVC_BASE
        path = "/fine-tunes/%s/voices" % ft["id"]
        for v in api.pages(path, "fine-tune voices", deadline):
            vid = v.get("id") if isinstance(v, dict) else v
            if isinstance(vid, str) and vid:
                out[vid] = base
    return out


def fetch(base: str, key: str) -> Tuple[List[str], Dict[str, str], Optional[str]]:
    """(model IDs, PVC voices, why the PVC voices are missing or None). Raises LiveError."""
    api = _Api(base, key)
    try:
        ids = parse_models(api.get("/models", {"capability": "tts"}))
        try:
            pvc, pvc_error = fetch_pvc_voices(api), None
        except LiveError as e:
            pvc, pvc_error = {}, "Pro Voice Clones not fetched (%s): CM104 uses pvc-voices from the configuration" % e
        return ids, pvc, pvc_error
    finally:
        api.close()


# ---- the list in use --------------------------------------------------------------------------------

def load(use_cache: bool = True, log: Log = None, offline: bool = False) -> ModelsList:
    """The models list in use (see the module docstring for the order)."""
    from ..redact import redact

    base = base_url()
    key = (os.environ.get("CARTESIA_API_KEY") or "").strip()
    now = time.time()
    entry = read_cache(base) if use_cache else None
    if entry is not None:
        age = now - float(entry["fetched_at"])
        same_account = offline or not key or entry.get("account") == key_fingerprint(key)
        if 0 <= age < CACHE_TTL and same_account:
            return _from_cache(entry)

    def fallback(why: str) -> ModelsList:
        why = redact(why)
        if entry is not None and 0 <= now - float(entry["fetched_at"]) <= STALE_IF_ERROR:
            return _from_cache(entry, "%s; using the cached list instead" % why)
        ml = bundled()
        ml.notice = why
        return ml

    if offline:
        ml = bundled()
        ml.notice = "offline"
        return ml
    if not key:
        ml = bundled()
        ml.notice = "set CARTESIA_API_KEY to check against the live list"
        return ml
    if not key_may_go_to(base):
        return fallback("not sending the API key to %s (only https:// or a loopback host)" % base)
    try:
        ids, pvc, pvc_error = fetch(base, key)
    except LiveError as e:
        return fallback("live models list unavailable: %s" % e)
    except Exception as e:  # never let the models list stop a run
        return fallback("live models list unavailable: %s" % type(e).__name__)
    fetched_at = time.time()
    if use_cache:
        write_cache(base, {"format": CACHE_FORMAT, "base_url": base, "fetched_at": fetched_at,
                           "account": key_fingerprint(key), "ids": ids, "pvc_voices": pvc,
                           "pvc_error": pvc_error}, log)
    ml = from_ids(ids, "live", fetched_at, pvc)
    ml.notice = redact(pvc_error) if pvc_error else None
    return ml
