"""A wire-compatible fake Cartesia API server for the runtime proof (issue 14).

It answers the 4.x wire shapes that `cartesia==4.2.0` sends and parses: `GET /`, `POST /tts/bytes`,
`POST /tts/sse`, the TTS WebSocket (`/tts/websocket`), the STT WebSockets (`/stt/websocket`,
`/stt/turns/websocket`), `POST /stt`, voices (list/get/update/delete/clone/localize/accents, and the
discontinued create-from-embedding and mix endpoints), the voice changer (`/voice-changer/bytes|sse`),
infill (`/infill/bytes`) and `POST /access-token`. Bad requests get the 2026-03-01 error JSON
(`{"error_code", "title", "message", "request_id"}`); WebSocket and SSE errors get the event shape of
the 4.2.0 `Error` / `TTSSSEErrorEvent` types.

The shapes follow the 4.2.0 SDK's own types: `cartesia.types.tts_sse_event`, `websocket_response`,
`voice_changer_sse_event`, `voice`, `get_status_response`, `access_token_create_response`, the
`stt.stt_manual_finalize_*` responses and `pagination.SyncCursorIDPage`; the request fields each
endpoint accepts are read from the SDK's request TypedDicts (`TTSGenerateParams`, ...), so a keyword
the 4.x API does not take is rejected, as the real API rejects unknown body fields.

It serves HTTPS (and WSS) on 127.0.0.1 with a throw-away CA from `trustme`: the 4.2.0 client derives
its WebSocket URL from the base URL by switching the scheme to `wss`, so a plain-HTTP server could not
take its WebSocket calls. Clients trust the CA through `SSL_CERT_FILE` (httpx and `websockets` both
read it).

Audio is deterministic: `audio_bytes(transcript, output_format)` is what every endpoint returns for a
transcript (the streaming endpoints send the same bytes split in chunks), so a program's output file
can be compared byte for byte.

Every request is logged (`FakeCartesia.requests`): method, path, query, the headers that matter
(`cartesia-version`, auth scheme) and the JSON or form body (files as their sizes); each WebSocket
message received is logged too.

Use it in-process (`with FakeCartesia() as server: server.base_url`) or as a process:
`python -m tests.runtime.fake_server` prints one JSON line with `base_url` and `ca_file` when ready
and serves until its standard input closes.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import ssl
import sys
import tempfile
import threading
import typing
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import trustme
from aiohttp import WSMsgType, web

from cartesia.types import (
    access_token_create_params,
    generation_request_param,
    tts_generate_params,
    tts_generate_sse_params,
    tts_infill_params,
    voice_changer_generate_params,
    voice_clone_params,
    voice_localize_params,
    voice_update_params,
)

# ---------------------------------------------------------------------------------------------------------
# Test data: what the server knows about models. Kept here on purpose (not read from cartesia_migrate's own
# data file, which is what is under test). Sources: Cartesia's api-changes page (June 1, 2026 tables, the
# `model_sunsetted` body) and the December 2026 corrections (sonic-3.6, sonic-preview live).
# ---------------------------------------------------------------------------------------------------------

#: fully discontinued on 2026-06-01: any request answers `model_sunsetted`.
SUNSETTED_MODELS = frozenset(
    {
        "sonic",
        "sonic-2024-10-19",
        "sonic-2024-12-12",
        "sonic-english",
        "sonic-multilingual",
        "sonic-2-2025-03-07",
        "sonic-turbo-2025-03-07",
    }
)
#: TTS models that answer.
LIVE_TTS_MODELS = frozenset(
    {
        "sonic-3.6",
        "sonic-3.6-2026-08-27",
        "sonic-3.5",
        "sonic-3.5-2026-05-04",
        "sonic-3",
        "sonic-3-2026-01-12",
        "sonic-3-2025-10-27",
        "sonic-3-latest",
        "sonic-latest",
        "sonic-preview",
        "sonic-2",
        "sonic-2-2025-04-16",
        "sonic-2-2025-05-08",
        "sonic-2-2025-06-11",
        "sonic-turbo",
        "sonic-turbo-2025-06-04",
    }
)
#: partially discontinued: the model answers, these languages do not.
REMOVED_LANGUAGES = {
    **{m: frozenset({"it", "nl", "pl", "ru", "sv", "tr", "hi"}) for m in (
        "sonic-2", "sonic-2-2025-04-16", "sonic-2-2025-05-08", "sonic-2-2025-06-11")},
    **{m: frozenset({"it", "nl", "pl", "ru", "sv", "tr"}) for m in ("sonic-turbo", "sonic-turbo-2025-06-04")},
}
LIVE_STT_MODELS = frozenset({"ink-whisper", "ink-whisper-2025-06-04", "ink-2", "ink-preview"})

#: voices the server knows from the start (the IDs the SDK READMEs use).
SEED_VOICES = {
    "a0e99841-438c-4a64-b679-ae501e7d6091": "Barbershop Man",
    "87748186-23bb-4158-a1eb-332911b0b708": "Wizardman",
    "694f9389-aac1-45b6-b726-9d9369183238": "Sarah",
    "6ccbfb76-1fc6-48f7-b71d-91ac6298247b": "Tessa",
    "bf0a246a-8642-498a-9950-80c35e9276b5": "Sophie",
    "f9836c6e-a0bd-460e-9d3c-f7299fa60f94": "Southern Woman",
}
ACCENTS = ("southern-us", "parisian", "castilian", "mexican", "british-rp")

API_VERSION = "2026-08-14"
_OUTPUT_CONTAINERS = frozenset({"raw", "wav", "mp3"})


def _fields(typed_dict: Any) -> frozenset[str]:
    """The top-level wire names of a request TypedDict: its keys, or their `PropertyInfo(alias=...)`
    (`voice_id` is sent as `voice[id]`: top-level `voice`)."""
    hints = typing.get_type_hints(typed_dict, include_extras=True)
    names = set()
    for key, hint in hints.items():
        alias = next((m.alias for m in getattr(hint, "__metadata__", ()) if getattr(m, "alias", None)), None)
        names.add((alias or key).split("[", 1)[0])
    return frozenset(names)


# The request fields each endpoint takes, from the 4.2.0 SDK's request types.
TTS_BYTES_FIELDS = _fields(tts_generate_params.TTSGenerateParams)
TTS_SSE_FIELDS = _fields(tts_generate_sse_params.TTSGenerateSSEParams)
TTS_WS_FIELDS = _fields(generation_request_param.GenerationRequestParam)
INFILL_FIELDS = _fields(tts_infill_params.TTSInfillParams)
VOICE_CHANGER_FIELDS = _fields(voice_changer_generate_params.VoiceChangerGenerateParams)
CLONE_FIELDS = _fields(voice_clone_params.VoiceCloneParams)
LOCALIZE_FIELDS = _fields(voice_localize_params.VoiceLocalizeParams)
UPDATE_FIELDS = _fields(voice_update_params.VoiceUpdateParams)
ACCESS_TOKEN_FIELDS = _fields(access_token_create_params.AccessTokenCreateParams)


# ---------------------------------------------------------------------------------------------------------
# Deterministic audio
# ---------------------------------------------------------------------------------------------------------


def pcm_bytes(transcript: str) -> bytes:
    """The raw audio the server "speaks" for a transcript: deterministic, 64 bytes or more."""
    if not transcript:
        return b""
    digest = hashlib.sha256(transcript.encode("utf-8")).digest()
    size = 32 * (2 + len(transcript) // 8)
    return (digest * (size // 32 + 1))[:size]


def audio_bytes(transcript: str, output_format: dict[str, Any] | None = None) -> bytes:
    """The bytes `/tts/bytes` answers for a transcript and output format (a header for wav and mp3)."""
    pcm = pcm_bytes(transcript)
    container = (output_format or {}).get("container", "raw")
    if container == "wav":
        rate = int((output_format or {}).get("sample_rate", 44100))
        return b"RIFF" + (36 + len(pcm)).to_bytes(4, "little") + b"WAVEfmt " + rate.to_bytes(4, "little") + pcm
    if container == "mp3":
        return b"ID3\x04\x00" + pcm
    return pcm


def chunks_of(data: bytes, parts: int = 3) -> list[bytes]:
    """How the streaming endpoints split audio: `parts` pieces (fewer for tiny audio), in order."""
    if not data:
        return []
    step = max(1, -(-len(data) // parts))
    return [data[i : i + step] for i in range(0, len(data), step)]


def words_of(transcript: str) -> dict[str, list[Any]]:
    words = transcript.split()
    return {"words": words, "start": [0.25 * i for i in range(len(words))],
            "end": [0.25 * i + 0.2 for i in range(len(words))]}


# ---------------------------------------------------------------------------------------------------------
# Errors (2026-03-01 format)
# ---------------------------------------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status: int, error_code: str, title: str, message: str) -> None:
        super().__init__(f"{title}: {message}")
        self.status = status
        self.error_code = error_code
        self.title = title
        self.message = message
        self.request_id = str(uuid.uuid4())

    def body(self) -> dict[str, Any]:
        return {"error_code": self.error_code, "title": self.title, "message": self.message,
                "request_id": self.request_id}


def _bad(message: str, code: str = "invalid_request", title: str = "Invalid request") -> ApiError:
    return ApiError(400, code, title, message)


def check_model(model_id: Any, *, language: Any = None, stt: bool = False) -> None:
    if not isinstance(model_id, str) or not model_id:
        raise _bad("`model_id` is required.")
    if model_id in SUNSETTED_MODELS:
        # The status code of this body is not documented; 400 is what the rest of the API uses for a bad model.
        raise ApiError(400, "model_sunsetted", "Model sunsetted",
                       "The requested model has been sunsetted and is no longer available.")
    if model_id not in (LIVE_STT_MODELS if stt else LIVE_TTS_MODELS):
        raise ApiError(400, "model_not_found", "Invalid model",
                       f"The model '{model_id}' is not valid, make sure it is a valid model ID.")
    if isinstance(language, str) and language in REMOVED_LANGUAGES.get(model_id, ()):
        raise ApiError(400, "language_not_supported", "Unsupported language",
                       f"The model '{model_id}' no longer supports the language '{language}'.")


def check_unknown(body: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(k for k in body if k not in allowed)
    if unknown:
        raise _bad(f"Unknown field(s) in request body: {', '.join(unknown)}.")


def check_output_format(fmt: Any, *, containers: frozenset[str] = _OUTPUT_CONTAINERS) -> dict[str, Any]:
    if not isinstance(fmt, dict):
        raise _bad("`output_format` must be an object with `container`, `encoding` and `sample_rate`.")
    container = fmt.get("container")
    if container not in containers:
        raise _bad(f"Unsupported output_format.container {container!r}.")
    if not isinstance(fmt.get("sample_rate"), int):
        raise _bad("`output_format.sample_rate` is required.")
    if container in ("raw", "wav") and not isinstance(fmt.get("encoding"), str):
        raise _bad("`output_format.encoding` is required for raw and wav.")
    return fmt


# ---------------------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------------------


def _now() -> str:
    return datetime(2026, 12, 1, tzinfo=timezone.utc).isoformat()


class StreamGate:
    """Proves streaming without timing anything: the next audio body (`/tts/bytes`, `/voice-changer/bytes`,
    `/infill/bytes`) is sent as a first part, then held until `release()`: a client that streams hands the first
    part to the program, which says so (the harness watches its output and releases); a client that buffers the
    whole body waits for the rest, so the program cannot say so, and the gate gives up after `timeout` seconds
    (a safety net of the failing case only) and records `timed_out`."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.state = "armed"  # -> "holding" -> "released" | "timed_out"
        self._released = threading.Event()

    def release(self) -> None:
        self._released.set()

    async def hold(self) -> None:
        self.state = "holding"
        released = await asyncio.get_running_loop().run_in_executor(None, self._released.wait, self.timeout)
        self.state = "released" if released else "timed_out"


class FakeCartesia:
    """The fake API on an ephemeral 127.0.0.1 port, served by its own thread and event loop."""

    def __init__(self, workdir: str | Path | None = None) -> None:
        self._tmp = None if workdir is not None else tempfile.TemporaryDirectory(prefix="fake-cartesia-")
        self.workdir = Path(workdir if workdir is not None else self._tmp.name)  # type: ignore[union-attr]
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.voices: dict[str, dict[str, Any]] = {vid: self._voice(vid, name) for vid, name in SEED_VOICES.items()}
        self.tokens: set[str] = set()
        self.gate: StreamGate | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = str(self.workdir / "fake-cartesia-ca.pem")
        ca.cert_pem.write_to_path(self.ca_file)
        self._ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(self._ssl)

    def reset(self) -> None:
        """Back to the seed state (voices, tokens): each program starts from the same server."""
        with self._lock:
            self.voices = {vid: self._voice(vid, name) for vid, name in SEED_VOICES.items()}
            self.tokens = set()
            self.gate = None

    def arm_stream_gate(self, timeout: float = 30.0) -> StreamGate:
        """Hold the next audio body after its first part until the gate is released (see StreamGate)."""
        self.gate = StreamGate(timeout)
        return self.gate

    # -- lifecycle ----------------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """What a client process needs to reach this server (base URL and the CA to trust)."""
        return {"CARTESIA_BASE_URL": self.base_url, "SSL_CERT_FILE": self.ca_file}

    def start(self) -> FakeCartesia:
        self._thread = threading.Thread(target=self._serve, name="fake-cartesia", daemon=True)
        self._thread.start()
        # A safety net only: the thread sets the event as soon as the socket listens (or fails).
        if not self._ready.wait(timeout=60):
            raise RuntimeError("fake Cartesia server did not start")
        if self._error is not None:
            raise RuntimeError(f"fake Cartesia server failed to start: {self._error}") from self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> FakeCartesia:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        runner = web.AppRunner(self.app(), handle_signals=False, access_log=None)
        try:
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=self._ssl)
            loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        except BaseException as exc:  # noqa: BLE001 - reported to start()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()

    # -- request log --------------------------------------------------------------------------------------
    def _log(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(entry)

    def log_since(self, index: int) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.requests[index:])

    def mark(self) -> int:
        with self._lock:
            return len(self.requests)

    @staticmethod
    def _headers(request: web.Request) -> dict[str, str]:
        auth = request.headers.get("Authorization", "")
        return {
            "cartesia-version": request.headers.get("Cartesia-Version", request.query.get("cartesia_version", "")),
            "auth": "bearer" if auth.startswith("Bearer ") else ("x-api-key" if "X-API-Key" in request.headers
                                                                else ("query" if "api_key" in request.query
                                                                      or "access_token" in request.query else "")),
            "user-agent": request.headers.get("User-Agent", ""),
        }

    # -- app ----------------------------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=32 * 1024 * 1024)
        r = app.router
        r.add_get("/", self.status)
        r.add_post("/tts/bytes", self.tts_bytes)
        r.add_post("/tts/sse", self.tts_sse)
        r.add_get("/tts/websocket", self.tts_websocket)
        r.add_post("/infill/bytes", self.infill)
        r.add_post("/voice-changer/bytes", self.voice_changer_bytes)
        r.add_post("/voice-changer/sse", self.voice_changer_sse)
        r.add_get("/stt/websocket", self.stt_websocket)
        r.add_get("/stt/turns/websocket", self.stt_websocket)
        r.add_post("/stt", self.stt_batch)
        r.add_get("/voices", self.voices_list)
        r.add_get("/voices/", self.voices_list)
        r.add_post("/voices", self.voices_create)
        r.add_post("/voices/clone", self.voices_clone)
        r.add_post("/voices/clone/clip", self.gone)
        r.add_post("/voices/mix", self.gone)
        r.add_post("/voices/localize", self.voices_localize)
        r.add_get("/voices/{id}", self.voices_get)
        r.add_patch("/voices/{id}", self.voices_update)
        r.add_delete("/voices/{id}", self.voices_delete)
        r.add_get("/voices/{id}/embedding", self.gone)
        r.add_get("/accents", self.accents)
        r.add_post("/access-token", self.access_token)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        entry: dict[str, Any] = {"method": request.method, "path": request.path, "query": dict(request.query),
                                 "headers": self._headers(request), "body": None}
        self._log(entry)
        try:
            if request.method != "GET" or request.path not in ("/tts/websocket", "/stt/websocket",
                                                               "/stt/turns/websocket"):
                self._authorize(request)
                if not entry["headers"]["cartesia-version"]:
                    raise _bad("The Cartesia-Version header is required.", "missing_version", "Missing version")
            return await handler(request, entry)
        except ApiError as exc:
            entry["status"] = exc.status
            entry["error_code"] = exc.error_code
            return web.json_response(exc.body(), status=exc.status)
        except web.HTTPException:
            raise

    def _authorize(self, request: web.Request) -> None:
        auth = request.headers.get("Authorization", "")
        key = request.headers.get("X-API-Key") or request.query.get("api_key")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else request.query.get("access_token")
        if key or (token and (token in self.tokens or token.startswith("sk_car_"))):
            return
        raise ApiError(401, "unauthorized", "Unauthorized", "Provide an API key or an access token.")

    @staticmethod
    async def _json(request: web.Request, entry: dict[str, Any]) -> dict[str, Any]:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise _bad("The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise _bad("The request body must be a JSON object.")
        entry["body"] = body
        return body

    @staticmethod
    async def _form(request: web.Request, entry: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
        """A multipart form: fields (nested `a[b]` keys folded into dicts) and files."""
        if not request.content_type.startswith("multipart/"):
            raise _bad("This endpoint takes multipart/form-data.")
        fields: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        reader = await request.multipart()
        async for part in reader:
            name = part.name or ""
            if part.filename is not None:
                files[name] = await part.read()
                continue
            value = await part.text()
            if "[" in name and name.endswith("]"):
                outer, inner = name[:-1].split("[", 1)
                fields.setdefault(outer, {})[inner] = int(value) if value.isdigit() else value
            else:
                fields[name] = value
        entry["body"] = {**fields, **{k: f"<file {len(v)} bytes>" for k, v in files.items()}}
        return fields, files

    def _voice(self, vid: str, name: str, **extra: Any) -> dict[str, Any]:
        return {"id": vid, "name": name, "description": extra.get("description") or f"{name} voice",
                "is_owner": extra.get("is_owner", False), "language": extra.get("language") or "en",
                "locales": [{"locale": "en-US", "is_native": True}], "access": "public", "visibility": "all",
                "tagline": f"The {name} voice", "created_at": _now(), "gender": "masculine"}

    def _voice_id(self, voice: Any) -> str:
        """The voice ID of a TTS request's `voice` (a 4.x ID string or `{"id"}`, or the 2.x `{"mode": "id"}`)."""
        if voice is None:
            raise _bad("`voice` is required.", "voice_required", "Missing voice")
        if isinstance(voice, dict):
            if "embedding" in voice or voice.get("mode") == "embedding":
                raise _bad("Embeddings are not accepted in this API version.", "embedding_not_supported",
                           "Embeddings not supported")
            if "__experimental_controls" in voice:
                raise _bad("`__experimental_controls` is not supported: use generation_config.")
            unknown = sorted(set(voice) - {"id", "mode"})
            if unknown:
                raise _bad(f"Unknown field(s) in voice: {', '.join(unknown)}.")
            voice = voice.get("id")
        if not isinstance(voice, str) or not voice:
            raise _bad("`voice` must be a voice ID or {\"id\": ...}.", "voice_required", "Missing voice")
        if voice not in self.voices:
            raise ApiError(404, "voice_not_found", "Voice not found", f"No voice with ID '{voice}'.")
        return voice

    def _tts_request(self, body: dict[str, Any], allowed: frozenset[str], containers: frozenset[str]) -> None:
        check_unknown(body, allowed)
        check_model(body.get("model_id"), language=body.get("language"))
        if not isinstance(body.get("transcript"), str):
            raise _bad("`transcript` is required.")
        self._voice_id(body.get("voice"))
        check_output_format(body.get("output_format"), containers=containers)
        if body.get("language") is not None and body.get("locale") is not None:
            raise _bad("A request may set `language` or `locale`, never both.")

    # -- handlers -----------------------------------------------------------------------------------------
    async def status(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        return web.json_response({"ok": True, "version": API_VERSION})

    async def gone(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        raise ApiError(410, "endpoint_discontinued", "Endpoint discontinued",
                       "Embedding endpoints were discontinued on 2026-06-01: clone a voice from a clip.")

    async def tts_bytes(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        body = await self._json(request, entry)
        self._tts_request(body, TTS_BYTES_FIELDS, _OUTPUT_CONTAINERS)
        fmt = body["output_format"]
        return await self._audio(request, audio_bytes(body["transcript"], fmt),
                                 {"wav": "audio/wav", "mp3": "audio/mpeg"}.get(fmt["container"],
                                                                              "application/octet-stream"))

    async def _audio(self, request: web.Request, data: bytes, content_type: str) -> web.StreamResponse:
        """An audio body; behind an armed stream gate, its first part goes out alone until the gate opens."""
        gate = self.gate if self.gate is not None and self.gate.state == "armed" else None
        if gate is None:
            return web.Response(body=data, content_type=content_type)
        response = web.StreamResponse(headers={"Content-Type": content_type})
        response.content_length = len(data)
        await response.prepare(request)
        first = chunks_of(data)[0]
        await response.write(first)
        await gate.hold()
        await response.write(data[len(first):])
        await response.write_eof()
        return response

    async def _sse(self, request: web.Request, events: list[dict[str, Any]]) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(request)
        for event in events:
            name = event.get("type", "message")
            await response.write(f"event: {name}\ndata: {json.dumps(event)}\n\n".encode())
        await response.write_eof()
        return response

    async def tts_sse(self, request: web.Request, entry: dict[str, Any]) -> web.StreamResponse:
        body = await self._json(request, entry)
        self._tts_request(body, TTS_SSE_FIELDS, frozenset({"raw"}))
        ctx = body.get("context_id")
        extra = {"context_id": ctx} if ctx else {}
        events: list[dict[str, Any]] = []
        for piece in chunks_of(pcm_bytes(body["transcript"])):
            events.append({"type": "chunk", "data": base64.b64encode(piece).decode(), "done": False,
                           "status_code": 206, "step_time": 12.5, **extra})
        if body.get("add_timestamps"):
            events.append({"type": "timestamps", "done": False, "status_code": 206,
                           "word_timestamps": words_of(body["transcript"]), **extra})
        # The last audio event of a generation may carry no audio (an empty `data`): TTSSSEChunkEvent.audio
        # is then None.
        events.append({"type": "chunk", "data": "", "done": False, "status_code": 206, "step_time": 0.0, **extra})
        events.append({"type": "done", "done": True, "status_code": 200, **extra})
        return await self._sse(request, events)

    async def infill(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        fields, files = await self._form(request, entry)
        check_unknown({**fields, **files}, INFILL_FIELDS)
        check_model(fields.get("model_id"), language=fields.get("language"))
        if not fields.get("voice_id"):
            raise _bad("`voice_id` is required.", "voice_required", "Missing voice")
        self._voice_id(fields["voice_id"])
        if "left_audio" not in files and "right_audio" not in files:
            raise _bad("Provide `left_audio`, `right_audio` or both.")
        fmt = check_output_format(fields.get("output_format"))
        transcript = str(fields.get("transcript", ""))
        return await self._audio(request, audio_bytes(transcript, fmt), "audio/wav")

    def _voice_changer(self, fields: dict[str, Any], files: dict[str, bytes]) -> tuple[bytes, dict[str, Any]]:
        check_unknown({**fields, **files}, VOICE_CHANGER_FIELDS)
        if "clip" not in files:
            raise _bad("`clip` is required.")
        voice = fields.get("voice")
        voice_id = self._voice_id({"id": voice.get("id")} if isinstance(voice, dict) else None)
        fmt = check_output_format(fields.get("output_format"))
        # The converted audio: deterministic in the clip and the target voice.
        return audio_bytes(f"{hashlib.sha256(files['clip']).hexdigest()}:{voice_id}", fmt), fmt

    async def voice_changer_bytes(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        fields, files = await self._form(request, entry)
        data, _ = self._voice_changer(fields, files)
        return await self._audio(request, data, "audio/wav")

    async def voice_changer_sse(self, request: web.Request, entry: dict[str, Any]) -> web.StreamResponse:
        fields, files = await self._form(request, entry)
        data, fmt = self._voice_changer(fields, files)
        # VoiceChangerSSEChunk / VoiceChangerSSEDone declare no `type`: the server sends what the types declare.
        events: list[dict[str, Any]] = [
            {"data": base64.b64encode(piece).decode(), "done": False, "sample_rate": fmt["sample_rate"],
             "status_code": 206, "step_time": 10.0} for piece in chunks_of(data)]
        events.append({"done": True, "status_code": 200})
        return await self._sse(request, events)

    async def stt_batch(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        fields, files = await self._form(request, entry)
        check_model(fields.get("model"), stt=True)
        audio = files.get("file", b"")
        return web.json_response({"type": "transcript", "text": f"heard {len(audio)} bytes", "duration": 1.0,
                                  "language": "en", "request_id": str(uuid.uuid4())})

    async def voices_list(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        unknown = sorted(set(request.query) - {"limit", "starting_after", "ending_before", "q", "is_owner",
                                               "gender", "expand[]"})
        if unknown:
            raise _bad(f"Unknown query parameter(s): {', '.join(unknown)}.")
        voices = list(self.voices.values())
        after = request.query.get("starting_after")
        if after:
            ids = [v["id"] for v in voices]
            voices = voices[ids.index(after) + 1:] if after in ids else []
        limit = int(request.query.get("limit", "10"))
        return web.json_response({"data": voices[:limit], "has_more": len(voices) > limit})

    async def voices_get(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        vid = request.match_info["id"]
        if vid not in self.voices:
            raise ApiError(404, "voice_not_found", "Voice not found", f"No voice with ID '{vid}'.")
        return web.json_response(self.voices[vid])

    async def voices_update(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        body = await self._json(request, entry)
        check_unknown(body, UPDATE_FIELDS)
        vid = request.match_info["id"]
        if vid not in self.voices:
            raise ApiError(404, "voice_not_found", "Voice not found", f"No voice with ID '{vid}'.")
        self.voices[vid].update({k: v for k, v in body.items() if k in ("name", "description")})
        return web.json_response(self.voices[vid])

    async def voices_delete(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        vid = request.match_info["id"]
        if self.voices.pop(vid, None) is None:
            raise ApiError(404, "voice_not_found", "Voice not found", f"No voice with ID '{vid}'.")
        return web.Response(status=204)

    async def voices_create(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        body = await self._json(request, entry)
        if "embedding" in body:
            raise _bad("Embeddings are not accepted in this API version.", "embedding_not_supported",
                       "Embeddings not supported")
        raise _bad("Create a voice with POST /voices/clone.")

    async def voices_clone(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        fields, files = await self._form(request, entry)
        check_unknown({**fields, **files}, CLONE_FIELDS)
        if "clip" not in files or not fields.get("name"):
            raise _bad("`clip` and `name` are required.")
        vid = str(uuid.UUID(bytes=hashlib.sha256(files["clip"] + fields["name"].encode()).digest()[:16]))
        self.voices[vid] = self._voice(vid, fields["name"], description=fields.get("description"),
                                       language=fields.get("language"), is_owner=True)
        return web.json_response(self.voices[vid])

    async def voices_localize(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        body = await self._json(request, entry)
        check_unknown(body, LOCALIZE_FIELDS)
        if body.get("voice_id") not in self.voices:
            raise ApiError(404, "voice_not_found", "Voice not found", f"No voice with ID '{body.get('voice_id')}'.")
        accent = body.get("accent")
        if accent is None:
            raise _bad("`accent` is required: pick one from GET /accents.", "accent_required", "Missing accent")
        if accent not in ACCENTS:
            raise _bad(f"Unknown accent '{accent}': display names are rejected, use an accent id.")
        vid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{body['voice_id']}/{accent}"))
        self.voices[vid] = self._voice(vid, str(body.get("name", "Localized")), is_owner=True)
        return web.json_response(self.voices[vid])

    async def accents(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        return web.json_response({"data": [{"id": a, "name": a.replace("-", " ").title()} for a in ACCENTS]})

    async def access_token(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        body = await self._json(request, entry)
        check_unknown(body, ACCESS_TOKEN_FIELDS)
        expires = body.get("expires_in", 60)
        if not isinstance(expires, int) or not 1 <= expires <= 3600:
            raise _bad("`expires_in` must be between 1 and 3600 seconds.")
        token = f"tok_{uuid.uuid4().hex}"
        self.tokens.add(token)
        return web.json_response({"token": token})

    # -- WebSockets ---------------------------------------------------------------------------------------
    async def _ws_open(self, request: web.Request) -> web.WebSocketResponse:
        self._authorize(request)
        if not self._headers(request)["cartesia-version"]:
            raise _bad("The Cartesia-Version header is required.", "missing_version", "Missing version")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        return ws

    def _ws_error(self, exc: ApiError, context_id: Any = None) -> dict[str, Any]:
        event = {"type": "error", "done": True, "status_code": exc.status, **exc.body()}
        if context_id:
            event["context_id"] = context_id
        return event

    async def tts_websocket(self, request: web.Request, entry: dict[str, Any]) -> web.WebSocketResponse:
        ws = await self._ws_open(request)
        contexts: dict[str, dict[str, Any]] = {}
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            try:
                event = json.loads(msg.data)
            except json.JSONDecodeError:
                await ws.send_json(self._ws_error(_bad("Messages must be JSON.")))
                continue
            self._log({"method": "WS", "path": request.path, "query": {}, "headers": entry["headers"],
                       "body": event})
            ctx = event.get("context_id")
            if event.get("cancel"):
                contexts.pop(ctx, None)
                continue
            # A request without `context_id` gets one from the server, echoed on its events.
            ctx = ctx or str(uuid.uuid4())
            try:
                check_unknown(event, TTS_WS_FIELDS)
                check_model(event.get("model_id"), language=event.get("language"))
                self._voice_id(event.get("voice"))
                check_output_format(event.get("output_format"), containers=frozenset({"raw"}))
                if not isinstance(event.get("transcript"), str):
                    raise _bad("`transcript` is required.")
            except ApiError as exc:
                await ws.send_json(self._ws_error(exc, ctx))
                continue
            state = contexts.setdefault(ctx, {"flush_id": 0})
            transcript = event["transcript"]
            for piece in chunks_of(pcm_bytes(transcript)):
                await ws.send_json({"type": "chunk", "context_id": ctx, "data": base64.b64encode(piece).decode(),
                                    "done": False, "status_code": 206, "step_time": 11.0})
            if transcript and event.get("add_timestamps"):
                await ws.send_json({"type": "timestamps", "context_id": ctx, "done": False, "status_code": 206,
                                    "word_timestamps": words_of(transcript)})
            if event.get("flush"):
                state["flush_id"] += 1
                await ws.send_json({"type": "flush_done", "context_id": ctx, "done": False, "flush_done": True,
                                    "flush_id": state["flush_id"], "status_code": 206})
            if not event.get("continue", False):
                contexts.pop(ctx, None)
                await ws.send_json({"type": "done", "context_id": ctx, "done": True, "status_code": 200})
        return ws

    async def stt_websocket(self, request: web.Request, entry: dict[str, Any]) -> web.WebSocketResponse:
        check_model(request.query.get("model"), stt=True)
        if request.query.get("encoding") not in ("pcm_s16le", "pcm_s32le", "pcm_f16le", "pcm_f32le", "pcm_mulaw",
                                                 "pcm_alaw"):
            raise _bad("`encoding` is required (e.g. pcm_s16le).")
        if not request.query.get("sample_rate", "").isdigit():
            raise _bad("`sample_rate` is required.")
        ws = await self._ws_open(request)
        request_id = str(uuid.uuid4())
        buffered = 0
        received = 0

        async def transcript() -> None:
            nonlocal buffered
            if buffered:
                await ws.send_json({"type": "transcript", "is_final": True, "request_id": request_id,
                                    "text": f"heard {buffered} bytes", "duration": buffered / 32000,
                                    "language": "en"})
                buffered = 0

        async for msg in ws:
            if msg.type == WSMsgType.BINARY:
                buffered += len(msg.data)
                received += len(msg.data)
                continue
            if msg.type != WSMsgType.TEXT:
                continue
            self._log({"method": "WS", "path": request.path, "query": dict(request.query),
                       "headers": entry["headers"], "body": msg.data, "audio_bytes": received})
            command = msg.data.strip()
            if command == "finalize":
                await transcript()
                await ws.send_json({"type": "flush_done", "request_id": request_id})
            elif command in ("close", "done"):
                await transcript()
                await ws.send_json({"type": "done", "request_id": request_id})
                await ws.close()
                break
            else:
                await ws.send_json({"type": "error", "message": f"Unknown command {command!r}.",
                                    "request_id": request_id, "title": "Invalid request",
                                    "error_code": "invalid_request", "status_code": 400})
        return ws


def main() -> None:
    with FakeCartesia() as server:
        print(json.dumps({"base_url": server.base_url, "ca_file": server.ca_file}), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
