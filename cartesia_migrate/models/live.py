"""The live models list: ``GET {base}/models?capability=tts`` and the Pro Voice Clones, with a cache.

Order (``load``):

1. a cache entry for this base URL fetched less than 24 h ago (and, when a key is
   set, fetched with the same key): no request at all;
2. ``--offline`` / a malformed ``CARTESIA_BASE_URL`` / no ``CARTESIA_API_KEY`` / a
   base URL the key must not go to: the bundled snapshot;
3. the live API, one step under one deadline (``DEADLINE``, 20 s, for every request
   together): ``GET {base}/models?capability=tts`` (``Authorization: Bearer``,
   ``Cartesia-Version: 2026-08-14``), then the Pro Voice Clones: ``GET {base}/fine-tunes``
   and ``GET {base}/fine-tunes/{id}/voices`` (a clone's dated base model), and
   ``GET {base}/voices?is_owner=true`` (voices marked ``is_pro``); the result is
   written to the cache;
4. when the request fails (HTTP error, 401, timeout, deadline, size cap, malformed
   JSON): the cache if it is at most 7 days old, else the bundled snapshot.

Every fallback sets ``ModelsList.notice`` (printed on stderr with the source).

Everything that comes back is outside input: each response is streamed with a byte cap
(``MAX_MODELS_BYTES``, ``MAX_PAGE_BYTES``, ``MAX_TOTAL_BYTES``; a compressed body is
capped after decompression), the deadline is checked between chunks and bounds every
read, and the caller never waits past it (the requests run in a worker thread that is
abandoned at the deadline; each of its reads ends by itself).  Every model ID, from
the network or from the cache, must match the ASCII model-ID grammar (``valid_model_id``)
before it can enter the list; the others are dropped and counted in the notice.

``{base}`` is ``CARTESIA_BASE_URL`` (the SDK's own variable), default
``https://api.cartesia.ai``; a malformed value is named in the notice, never an error.
The API key is sent only to ``https://`` URLs or to a loopback host; it is never
written to the cache (the cache stores a truncated SHA-256 fingerprint of it, to tell
accounts apart) and never printed.

The response shape of ``/models`` is not published in full, so any of these is
accepted: a JSON array of IDs or of objects; an object whose ``data`` or ``models``
list (or its only list of objects carrying an ID) holds them; objects carry ``id`` (or
``model_id``), and those whose ``capability`` is given and is not ``tts`` are skipped.
An object with ``has_more: true`` is followed with ``starting_after``.
"""
from __future__ import annotations

import hashlib
import ipaddress
import json
import math
import os
import re
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Tuple
from urllib.parse import quote, urlsplit

from . import ModelsList, bundled, from_ids, split_dated, well_formed_model_id

API_VERSION = "2026-08-14"
DEFAULT_BASE_URL = "https://api.cartesia.ai"
DEADLINE = 20.0  # seconds for the whole live step (models, fine-tunes, voices)
TIMEOUT = 5.0  # seconds for a connect or a single read (never past the deadline)
MAX_MODELS_BYTES = 2 * 1024 * 1024  # one /models response, decompressed
MAX_PAGE_BYTES = 1024 * 1024  # one page of /fine-tunes, /fine-tunes/{id}/voices or /voices
MAX_TOTAL_BYTES = 16 * 1024 * 1024  # everything the live step reads
MAX_PAGES = 50  # per paginated list
MAX_VOICE_ID_LENGTH = 128  # a voice or fine-tune ID
MAX_CACHE_BYTES = 4 * 1024 * 1024
CACHE_TTL = 24 * 3600
STALE_IF_ERROR = 7 * 24 * 3600
CACHE_FORMAT = 2  # 2: pro_voices, dropped; every entry validated when read

Log = Optional[Callable[[str], None]]

# voice and fine-tune IDs (UUIDs, "ft_..."): they go into URL paths and onto the terminal
_RESOURCE_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*", re.ASCII)


class LiveError(Exception):
    """A live request failed; ``str(self)`` says why, without the key."""


class BaseUrlError(ValueError):
    """``CARTESIA_BASE_URL`` cannot be used; ``str(self)`` says why in one line."""


# ---- what may enter the list ----------------------------------------------------------------

#: what may enter the list: a well-formed ID of any family (the grammar is the knowledge module's)
valid_model_id = well_formed_model_id


def dated_model_id(value) -> bool:
    """A valid model ID with a dated suffix (``<family>-YYYY-MM-DD``): what a clone's base must be."""
    return valid_model_id(value) and split_dated(value)[1] is not None


def valid_resource_id(value) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= MAX_VOICE_ID_LENGTH
            and _RESOURCE_ID_RE.fullmatch(value) is not None)


def _printable(text: str, limit: int = 300) -> str:
    """``text`` without control characters, at most ``limit`` characters (for text read from outside)."""
    out = "".join(c if c.isprintable() else "?" for c in text)
    return out if len(out) <= limit else out[:limit] + "\u2026"


# ---- where and whether to send the key ---------------------------------------------------

def _shown_url(url: str) -> str:
    """``url`` for a message: user info hidden, control characters escaped, length bounded."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    host, slash, path = rest.partition("/")
    if "@" in host:
        host = "***@" + host.rsplit("@", 1)[1]
    shown = scheme + sep + host + slash + path
    if len(shown) > 80:
        shown = shown[:80] + "\u2026"
    return repr(shown)


def _base_url_problem(url: str) -> Optional[str]:
    if any(c.isspace() or not c.isprintable() for c in url):
        return "contains spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
        host = parts.hostname
    except ValueError as e:
        return f"is not a valid URL ({_printable(str(e), 80)})"
    if not parts.scheme:
        return "has no scheme (write https://...)"
    if parts.scheme not in ("http", "https"):
        return f"is not an http:// or https:// URL (scheme {parts.scheme!r})"
    if not host:
        return "has no host"
    if parts.username is not None or parts.password is not None:
        return "holds a user name or password, which is not supported"
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return "has a query or fragment"
    return None


def base_url() -> str:
    """``CARTESIA_BASE_URL`` without a trailing slash, default ``https://api.cartesia.ai``.

    Raises ``BaseUrlError`` (one line, naming the variable) for a malformed value."""
    url = (os.environ.get("CARTESIA_BASE_URL") or "").strip()
    if not url:
        return DEFAULT_BASE_URL
    problem = _base_url_problem(url)
    if problem:
        raise BaseUrlError(f"CARTESIA_BASE_URL {_shown_url(url)} {problem}")
    return url.rstrip("/")


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
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme == "https":
        return bool(host)
    return parts.scheme == "http" and is_loopback(host)


def key_fingerprint(key: str) -> str:
    return hashlib.sha256(("cartesia-migrate\0" + key).encode()).hexdigest()[:12]


# ---- cache --------------------------------------------------------------------------------

def cache_dir() -> str:
    from ..cache import cache_root

    return os.path.join(cache_root(), "models")


def cache_file(base: str) -> str:
    return os.path.join(cache_dir(), hashlib.sha256(base.encode()).hexdigest()[:16] + ".json")


def read_cache(base: str) -> Optional[dict]:
    """The cache entry for ``base``, validated like a live response, or None (missing, corrupt, other format).

    Invalid IDs are dropped and counted in ``entry["dropped"]``; an entry with no valid model ID is a miss."""
    from ..io import InputError, read_bytes

    try:  # read_bytes: a FIFO or device where the entry should be is never opened
        raw, _st = read_bytes(cache_file(base), MAX_CACHE_BYTES)
        entry = json.loads(raw.decode("utf-8"))
    except (InputError, OSError, ValueError, RecursionError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or entry.get("base_url") != base:
        return None
    fetched_at, ids = entry.get("fetched_at"), entry.get("ids")
    pvc, pro = entry.get("pvc_voices", {}), entry.get("pro_voices", [])
    if not _number(fetched_at) or not math.isfinite(fetched_at):
        return None
    if not isinstance(ids, list) or not isinstance(pvc, dict) or not isinstance(pro, list):
        return None
    good = sorted({i for i in ids if valid_model_id(i)})
    if not good:
        return None
    good_pvc = {v: b for v, b in pvc.items() if valid_resource_id(v) and dated_model_id(b)}
    good_pro = sorted({v for v in pro if valid_resource_id(v)})
    dropped = len(ids) - len(good) + len(pvc) - len(good_pvc) + len(pro) - len(good_pro)
    earlier = entry.get("dropped")
    pvc_error, account = entry.get("pvc_error"), entry.get("account")
    return {"fetched_at": float(fetched_at), "ids": good, "pvc_voices": good_pvc, "pro_voices": good_pro,
            "account": account if isinstance(account, str) else None,
            "pvc_error": _printable(pvc_error) if isinstance(pvc_error, str) and pvc_error else None,
            "dropped": earlier if type(earlier) is int and earlier > 0 else 0,
            "invalid_in_cache": dropped}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _private_dir(path: str) -> None:
    """``path`` exists, 0700 when we create it; an existing one of ours is narrowed to 0700."""
    from ..io import make_private_dirs, own_private_dir

    make_private_dirs(os.path.dirname(path))
    own_private_dir(path)


def write_cache(base: str, entry: dict, log: Log = None) -> None:
    from ..io import write_private_file

    path = cache_file(base)
    try:
        _private_dir(os.path.dirname(path))
        write_private_file(path, json.dumps(entry, indent=1, sort_keys=True).encode("utf-8"))
    except OSError as e:
        if log is not None:
            log(f"cartesia-migrate: warning: cannot write the models cache {path}: {e.strerror or e}")


def _dropped_note(n: int, where: str) -> Optional[str]:
    if not n:
        return None
    return f"ignored {n} invalid ID{'' if n == 1 else 's'} {where}"


def _from_cache(entry: dict, notice: Optional[str] = None) -> ModelsList:
    ml = from_ids(entry["ids"], "cache", entry["fetched_at"], entry["pvc_voices"], entry["pro_voices"])
    notes = [notice, _dropped_note(entry["dropped"], "in the live response"),
             _dropped_note(entry["invalid_in_cache"], "in the cached list"), entry["pvc_error"]]
    ml.notice = "; ".join(n for n in notes if n) or None
    return ml


# ---- parsing ----------------------------------------------------------------------------------

def _row_id(item) -> Optional[str]:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for k in ("id", "model_id"):
            if isinstance(item.get(k), str):
                return item[k]
    return None


def _is_tts(item) -> bool:
    """A row without a capability is taken as TTS (the request asked for ``capability=tts``)."""
    cap = item.get("capability") if isinstance(item, dict) else None
    if cap is None:
        return True
    if isinstance(cap, str):
        return cap.strip().lower() == "tts"
    if isinstance(cap, list):
        return any(isinstance(c, str) and c.strip().lower() == "tts" for c in cap)
    return False


def _model_rows(payload) -> list:
    if isinstance(payload, list):
        return payload
    if not isinstance(payload, dict):
        raise LiveError(f"unexpected response shape ({type(payload).__name__})")
    for k in ("data", "models"):
        if isinstance(payload.get(k), list):
            return payload[k]
    lists = [v for v in payload.values()
             if isinstance(v, list) and any(isinstance(it, dict) and _row_id(it) is not None for it in v)]
    if len(lists) == 1:
        return lists[0]
    if lists:
        raise LiveError("unexpected response shape (an object with several lists of models)")
    raise LiveError("unexpected response shape (an object without a 'data' or 'models' list)")


def parse_models(payload) -> Tuple[List[str], int]:
    """(valid TTS model IDs, number of invalid IDs dropped) from one ``/models`` response (JSON-decoded)."""
    ids, dropped = set(), 0
    for it in _model_rows(payload):
        mid = _row_id(it)
        if mid is None or not _is_tts(it):
            continue
        mid = mid.strip()
        if valid_model_id(mid):
            ids.add(mid)
        else:
            dropped += 1
    return sorted(ids), dropped


def _page_items(payload, what: str) -> Tuple[list, bool]:
    if isinstance(payload, list):
        return payload, False
    if isinstance(payload, dict) and isinstance(payload.get("data"), list):
        return payload["data"], payload.get("has_more") is True
    raise LiveError(f"unexpected {what} response shape")


# ---- requests ----------------------------------------------------------------------------------

class _Step:
    """One live step: its deadline, its byte budget, and the caller's way to stop it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.cancelled = threading.Event()
        self.lock = threading.Lock()
        self.bytes_read = 0

    def deadline_error(self, what: str) -> LiveError:
        return LiveError(f"{what}: no complete answer within the {self.seconds:g}s deadline of the live step")

    def remaining(self, what: str) -> float:
        """Seconds left; LiveError once the deadline has passed or the caller gave up."""
        left = self.deadline - time.monotonic()
        if left <= 0 or self.cancelled.is_set():
            raise self.deadline_error(what)
        return left

    def count(self, n: int, what: str) -> None:
        self.bytes_read += n
        if self.bytes_read > MAX_TOTAL_BYTES:
            raise LiveError(f"{what}: the live step read more than {_size(MAX_TOTAL_BYTES)}")


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 and n % (1024 * 1024) == 0 else f"{n} bytes"


class _Inflate:
    """A gzip/deflate body, decompressed no further than the cap allows."""

    def __init__(self, encoding: str) -> None:
        self.z = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        # at most ``room`` bytes out; more input left over means the body is over the cap anyway
        try:
            return self.z.decompress(data, room)
        except zlib.error:
            raise LiveError("malformed compressed response body") from None


class _Api:
    def __init__(self, base: str, key: str, step: _Step) -> None:
        import httpx

        from .. import __version__

        self.base = base
        self.step = step
        self.httpx = httpx
        # proxies from the environment, except for a local server (a proxy would not reach it)
        local = is_loopback(urlsplit(base).hostname)
        self.client = httpx.Client(
            timeout=TIMEOUT, follow_redirects=False, trust_env=not local,
            headers={"Authorization": "Bearer " + key, "Cartesia-Version": API_VERSION,
                     "Accept": "application/json", "Accept-Encoding": "gzip, deflate",
                     "User-Agent": f"cartesia-migrate/{__version__}"})

    def close(self) -> None:
        self.client.close()

    def get(self, path: str, params=None, cap: int = MAX_PAGE_BYTES):
        """The JSON body of ``GET {base}{path}``, read within the deadline and ``cap`` bytes."""
        httpx = self.httpx
        what = f"GET {path}"
        budget = min(TIMEOUT, self.step.remaining(what))
        timeout = httpx.Timeout(budget)
        try:
            with self.client.stream("GET", self.base + path, params=params, timeout=timeout) as r:
                if r.status_code in (401, 403):
                    raise LiveError(f"{what}: HTTP {r.status_code}, the API key was rejected")
                if r.status_code != 200:
                    raise LiveError(f"{what}: HTTP {r.status_code}")
                body = self._body(r, what, cap)
        except httpx.TimeoutException:
            if budget < TIMEOUT or self.step.cancelled.is_set():
                raise self.step.deadline_error(what) from None
            raise LiveError(f"{what} timed out after {TIMEOUT:g}s") from None
        except httpx.InvalidURL as e:
            raise LiveError(f"{what}: invalid URL ({_printable(str(e), 120)})") from None
        except (httpx.HTTPError, httpx.StreamError) as e:
            detail = _printable(str(e), 120)
            raise LiveError(f"{what} failed: {type(e).__name__}{': ' + detail if detail else ''}") from None
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise LiveError(f"{what}: malformed JSON in the response") from None

    def _body(self, r, what: str, cap: int) -> bytes:
        encoding = r.headers.get("content-encoding", "").strip().lower()
        inflate = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            inflate = _Inflate(encoding)
        elif encoding not in ("", "identity"):
            raise LiveError(f"{what}: unsupported Content-Encoding {_printable(encoding, 40)!r}")
        too_big = LiveError(f"{what}: the response is larger than {_size(cap)}")
        length = r.headers.get("content-length", "")
        if inflate is None and length.isdigit() and int(length) > cap:
            raise too_big
        out = bytearray()
        for chunk in r.iter_raw():
            self.step.remaining(what)  # between chunks: a trickling body stops at the deadline
            self.step.count(len(chunk), what)
            if inflate is not None:
                chunk = inflate.feed(chunk, cap - len(out) + 1)
            out += chunk
            if len(out) > cap:  # an endless body stops at the cap
                raise too_big
        if inflate is not None:
            out += inflate.z.flush()
            if len(out) > cap:
                raise too_big
        return bytes(out)

    def pages(self, path: str, what: str, params=None) -> Iterator:
        """Items of a cursor-paginated list (``{"data": [...], "has_more": bool}``, ``starting_after``)."""
        after = None
        seen = set()
        for _ in range(MAX_PAGES):
            query = dict(params or {}, limit=100)
            if after:
                query["starting_after"] = after
            items, more = _page_items(self.get(path, query, MAX_PAGE_BYTES), what)
            yield from items
            if not more or not items:
                return
            after = _next_cursor(items, seen, what)
        raise LiveError(f"{what}: more than {MAX_PAGES} pages")


def _next_cursor(items: list, seen: set, what: str) -> str:
    last = items[-1].get("id") if isinstance(items[-1], dict) else items[-1]
    if not (valid_resource_id(last) or valid_model_id(last)) or last in seen:
        raise LiveError(f"{what}: has_more without a usable cursor")
    seen.add(last)
    return last


def fetch_models(api: _Api) -> Tuple[List[str], int]:
    """(model IDs, number dropped) from ``GET /models?capability=tts``, following ``has_more``."""
    ids, dropped = set(), 0
    params = {"capability": "tts"}
    seen: set = set()
    for _ in range(MAX_PAGES):
        payload = api.get("/models", params, MAX_MODELS_BYTES)
        page, n = parse_models(payload)
        ids.update(page)
        dropped += n
        if not (isinstance(payload, dict) and payload.get("has_more") is True):
            break
        rows = _model_rows(payload)
        if not rows:
            break
        params = {"capability": "tts", "starting_after": _next_cursor([_row_id(rows[-1])], seen, "models")}
    else:
        raise LiveError(f"models: more than {MAX_PAGES} pages")
    if not ids:
        invalid = f" ({dropped} invalid ID{'' if dropped == 1 else 's'} ignored)" if dropped else ""
        raise LiveError(f"the response lists no model IDs{invalid}")
    return sorted(ids), dropped


def fetch_pvc_voices(api: _Api) -> Tuple[Dict[str, str], FrozenSet[str], int]:
    """(voice ID -> the dated model its fine-tune was trained on, clone voices whose base is not stated,
    number of invalid IDs dropped).  A base that is not a valid dated model ID is not guessed."""
    pvc: Dict[str, str] = {}
    no_base = set()
    dropped = 0
    for ft in list(api.pages("/fine-tunes", "fine-tunes")):
        if not isinstance(ft, dict) or ft.get("status") == "failed":
            continue
        if not valid_resource_id(ft.get("id")):
            dropped += 1
            continue
        base = next((b for b in (ft.get("model_id"), ft.get("llm_model_id")) if dated_model_id(b)), None)
        for v in api.pages(f"/fine-tunes/{quote(ft['id'], safe='')}/voices", "fine-tune voices"):
            vid = v.get("id") if isinstance(v, dict) else v
            if not valid_resource_id(vid):
                dropped += 1
            elif base is not None:
                pvc[vid] = base
            else:
                no_base.add(vid)
    return pvc, frozenset(no_base - set(pvc)), dropped


def fetch_pro_voices(api: _Api) -> Tuple[FrozenSet[str], int]:
    """(the account's voices marked ``is_pro`` by ``GET /voices``, number of invalid IDs dropped)."""
    pro = set()
    dropped = 0
    for v in api.pages("/voices", "voices", {"is_owner": "true"}):
        if isinstance(v, dict) and v.get("is_pro") is True:
            if valid_resource_id(v.get("id")):
                pro.add(v["id"])
            else:
                dropped += 1
    return frozenset(pro), dropped


@dataclass
class Fetched:
    ids: List[str]
    dropped: int = 0
    pvc_voices: Dict[str, str] = field(default_factory=dict)
    pro_voices: FrozenSet[str] = frozenset()
    pvc_error: Optional[str] = None


_NO_PVC = "Pro Voice Clones not fetched ({}): CM104 uses pvc-voices from the configuration"


def _fetch_all(base: str, key: str, step: _Step, box: dict) -> Fetched:
    api = _Api(base, key, step)
    try:
        ids, dropped = fetch_models(api)
        with step.lock:
            box["models"] = (ids, dropped)
        got = Fetched(ids, dropped)
        try:
            got.pvc_voices, no_base, n = fetch_pvc_voices(api)
        except LiveError as e:
            got.pvc_error = _NO_PVC.format(e)
            return got
        got.dropped += n
        try:
            pro, n = fetch_pro_voices(api)
        except LiveError as e:
            pro, n = frozenset(), 0
            got.pvc_error = f"voices marked is_pro not fetched ({e})"
        got.pro_voices = no_base | pro
        got.dropped += n
        return got
    finally:
        api.close()


def fetch(base: str, key: str) -> Fetched:
    """The live step under one deadline (``DEADLINE``).  Raises LiveError.

    The requests run in a daemon thread; at the deadline the caller takes what is complete
    (the models list without the clones, or nothing) and leaves; the thread's next read or
    chunk check ends it."""
    step = _Step(DEADLINE)
    box: dict = {}
    done = threading.Event()

    def work() -> None:
        try:
            result = _fetch_all(base, key, step, box)
        except BaseException as e:  # handed to the caller
            result = e
        with step.lock:
            if not step.cancelled.is_set():
                box["result"] = result
        done.set()

    threading.Thread(target=work, name="cartesia-migrate-models", daemon=True).start()
    done.wait(max(0.0, step.deadline - time.monotonic()))
    with step.lock:
        step.cancelled.set()
        result, models = box.get("result"), box.get("models")
    if isinstance(result, BaseException):
        raise result
    if result is not None:
        return result
    if models is None:
        raise step.deadline_error("GET /models")
    return Fetched(models[0], models[1], pvc_error=_NO_PVC.format(step.deadline_error("GET /fine-tunes")))


# ---- the list in use --------------------------------------------------------------------------------

def load(use_cache: bool = True, log: Log = None, offline: bool = False) -> ModelsList:
    """The models list in use (see the module docstring for the order)."""
    from ..redact import redact, redact_key

    key = (os.environ.get("CARTESIA_API_KEY") or "").strip()

    def scrub(text: Optional[str]) -> Optional[str]:
        if not text:
            return text
        text = redact(text)
        return text.replace(key, redact_key(key)) if key and key in text else text

    try:
        base: Optional[str] = base_url()
        bad_base = None
    except BaseUrlError as e:
        base, bad_base = None, str(e)
    now = time.time()
    entry = read_cache(base) if use_cache and base else None
    if entry is not None:
        age = now - entry["fetched_at"]
        same_account = offline or not key or entry["account"] == key_fingerprint(key)
        if 0 <= age < CACHE_TTL and same_account:
            ml = _from_cache(entry)
            ml.notice = scrub(ml.notice)
            return ml

    def fallback(why: str) -> ModelsList:
        why = scrub(why)
        if entry is not None and 0 <= now - entry["fetched_at"] <= STALE_IF_ERROR:
            ml = _from_cache(entry, f"{why}; using the cached list instead")
            ml.notice = scrub(ml.notice)
            return ml
        ml = bundled()
        ml.notice = why
        return ml

    if offline:
        ml = bundled()
        ml.notice = "offline"
        return ml
    if bad_base:
        return fallback(f"{bad_base}: the live models list is not used")
    if not key:
        ml = bundled()
        ml.notice = "set CARTESIA_API_KEY to check against the live list"
        return ml
    if not key_may_go_to(base):
        return fallback(f"not sending the API key to {_shown_url(base)} (only https:// or a loopback host)")
    try:
        got = fetch(base, key)
    except LiveError as e:
        return fallback(f"live models list unavailable: {e}")
    except Exception as e:  # never let the models list stop a run
        return fallback(f"live models list unavailable: {type(e).__name__}")
    fetched_at = time.time()
    if use_cache:
        write_cache(base, {"format": CACHE_FORMAT, "base_url": base, "fetched_at": fetched_at,
                           "account": key_fingerprint(key), "ids": got.ids, "pvc_voices": got.pvc_voices,
                           "pro_voices": sorted(got.pro_voices), "pvc_error": scrub(got.pvc_error),
                           "dropped": got.dropped}, log)
    ml = from_ids(got.ids, "live", fetched_at, got.pvc_voices, got.pro_voices)
    notes = [_dropped_note(got.dropped, "in the live response"), got.pvc_error]
    ml.notice = scrub("; ".join(n for n in notes if n)) or None
    return ml
