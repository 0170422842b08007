"""The rule catalogue: code -> name, fix applicability, default severity, summary.

This module is pure data and imports nothing heavy, so `rules`, `explain` and
`--version` stay fast (no libcst, no httpx).  Rule codes are a public contract:
never renumber, only add.  The implementation of rule ``CMnnn`` lives in
``cartesia_migrate/rules/cmnnn_<name>.py``; its doc in ``rules/CMnnn.md``.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

SAFE = "safe"
UNSAFE = "unsafe"
NONE = "none"

ERROR = "error"
WARNING = "warning"

DOCS_BASE_URL = "https://github.com/cartesia-migrate/cartesia-migrate/blob/main/rules/"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    fix: str  # best applicability any finding of this rule may carry: safe | unsafe | none
    severity: str  # default severity: error | warning
    summary: str
    sunset: Optional[str] = None  # ISO date after which the problem breaks at runtime
    #: byte regexes that let a file without the word "cartesia" reach this rule; empty means
    #: the rule needs Cartesia context (see ``gate``)
    gate: Tuple[str, ...] = ()

    @property
    def module(self) -> str:
        return "cartesia_migrate.rules.%s_%s" % (self.code.lower(), self.name.replace("-", "_"))

    @property
    def url(self) -> str:
        return DOCS_BASE_URL + self.code + ".md"

    @property
    def implemented(self) -> bool:
        try:
            return importlib.util.find_spec(self.module) is not None
        except ModuleNotFoundError:  # pragma: no cover
            return False


def _r(code, name, fix, severity, summary, sunset=None, gate=()):
    return RuleInfo(code, name, fix, severity, summary, sunset, tuple(gate))


CATALOG: Dict[str, RuleInfo] = {
    r.code: r
    for r in [
        _r("CM101", "discontinued-model", SAFE, ERROR,
           "Model ID discontinued on 2026-06-01", "2026-06-01"),
        _r("CM102", "removed-language", SAFE, ERROR,
           "Language removed from a partially discontinued model on 2026-06-01", "2026-06-01"),
        _r("CM103", "legacy-model", UNSAFE, WARNING,
           "Legacy sonic-2 / sonic-turbo model ID"),
        _r("CM104", "undated-pvc-model", SAFE, ERROR,
           "Pro Voice Clone used without the dated model it was trained on"),
        _r("CM105", "unpinned-model", SAFE, WARNING,
           "Undated model alias where a dated snapshot should be pinned"),
        _r("CM106", "unknown-model", UNSAFE, WARNING,
           "Model ID that is on no models list"),
        _r("CM201", "hardcoded-api-key", UNSAFE, ERROR,
           "Cartesia API key hard-coded in source", gate=(r"sk_car_",)),
        _r("CM202", "api-key-to-client", NONE, ERROR,
           "Cartesia API key sent to a browser or end-user device", gate=(r"sk_car_",)),
        _r("CM203", "api-key-in-url", NONE, ERROR,
           "Cartesia API key in a URL query"),
        _r("CM204", "insecure-transport", SAFE, ERROR,
           "Cartesia API called over http:// or ws://"),
        _r("CM205", "access-token-ttl", NONE, ERROR,
           "Access token expires_in above 3600 seconds"),
        _r("CM301", "legacy-error-parsing", NONE, WARNING,
           "Cartesia error parsed as legacy plain text"),
        _r("CM302", "legacy-exception-import", SAFE, ERROR,
           "Exception class or catch from a removed SDK version"),
        _r("CM303", "missing-api-version", SAFE, WARNING,
           "Raw Cartesia API call without a Cartesia-Version"),
        _r("CM304", "legacy-api-version", UNSAFE, WARNING,
           "Cartesia-Version before 2026-03-01 (legacy error format)"),
        _r("CM305", "outdated-sdk-requirement", UNSAFE, WARNING,
           "cartesia requirement that admits no 4.x release"),
        _r("CM401", "tts-bytes", SAFE, WARNING, "tts.bytes() is deprecated: use tts.generate()"),
        _r("CM402", "tts-sse", UNSAFE, WARNING, "tts.sse() with base64 event.data: use tts.generate_sse() and event.audio"),
        _r("CM403", "tts-websocket", UNSAFE, WARNING, "tts.websocket() session: use tts.websocket_connect()"),
        _r("CM404", "voice-specifier", SAFE, ERROR, "voice_id= / {'mode': 'id'} voice specifier: use voice=ID"),
        _r("CM405", "client-constructor", SAFE, ERROR, "Client constructor argument removed or renamed"),
        _r("CM406", "access-token-api", SAFE, ERROR, "client.auth.access_token(): use client.access_token.create()"),
        _r("CM407", "removed-voice-api", SAFE, ERROR, "Removed voices API or keyword"),
        _r("CM408", "voice-changer", SAFE, WARNING, "voice_changer.bytes/sse: use generate/generate_sse"),
        _r("CM409", "stt-websocket", UNSAFE, ERROR, "stt.websocket(): use stt.manual_finalize.websocket()"),
        _r("CM410", "api-status", SAFE, ERROR, "client.api_status.get(): use client.get_status()"),
        _r("CM411", "experimental-controls", NONE, ERROR, "Experimental voice controls: use generation_config"),
        _r("CM412", "moved-import", SAFE, ERROR, "Import from a module that no longer exists"),
        _r("CM413", "language-locale", NONE, ERROR, "language= and locale= in one call"),
        _r("CM414", "localize-accent", NONE, ERROR, "voices.localize(language=, dialect=): use accent="),
        _r("CM415", "infill-params", SAFE, ERROR, "Infill parameters renamed"),
    ]
}


def get(code: str) -> RuleInfo:
    return CATALOG[code.upper()]


def implemented_codes():
    return [c for c, info in CATALOG.items() if info.implemented]


_GATES: Dict[Tuple[str, ...], object] = {}


def gate(codes):
    """The first, cheapest filter: a file's bytes (or path) must match it to be parsed at all.

    ``cartesia`` for every rule that needs Cartesia context, plus the ``gate`` tokens of rules
    that can fire elsewhere (a leaked ``sk_car_`` key).  Pure data: deciding that a file is
    not ours imports neither libcst nor the rules.
    """
    import re

    key = tuple(sorted(codes))
    pat = _GATES.get(key)
    if pat is None:
        pats = {"cartesia"}
        for c in key:
            info = CATALOG.get(c)
            if info is not None:
                pats.update(info.gate)
        if all(re.fullmatch(r"[a-z0-9_]+", p) for p in pats):
            pat = _GATES[key] = _Literals(sorted(pats))
        else:
            pat = _GATES[key] = re.compile("|".join("(?:%s)" % p for p in sorted(pats)).encode(), re.I)
    return pat


class _Literals:
    """A gate of lower-case literal tokens: ``bytes.lower`` and substring search run at
    memory speed, several times faster than a case-insensitive regex over a whole tree."""

    def __init__(self, tokens) -> None:
        self.tokens = tuple(t.encode() for t in tokens)
        self.pattern = "|".join(tokens)

    def search(self, data: bytes):
        low = data.lower()
        return next((t for t in self.tokens if t in low), None)
