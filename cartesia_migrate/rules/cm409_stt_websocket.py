"""CM409 stt-websocket: 2.x ``client.stt.websocket(...)`` -> ``client.stt.manual_finalize.websocket(...)``.

Unsafe: the keywords carry over (the 2.x defaults ``model="ink-whisper"``,
``encoding="pcm_s16le"``, ``sample_rate=16000`` become explicit, 4.x requires them), but
the object differs: 2.x returned a connected socket (``send(bytes)``, ``receive()``
dicts, ``transcribe()``, ``close()``); 4.x returns a connection manager to enter with
``with``.  So 2.x socket methods called on a ``manual_finalize.websocket(...)`` that was
not entered are reported too, with the 4.x usage: after the fix, those findings tell
what is left to do.
"""

from __future__ import annotations

import libcst as cst

from ..models import sdk_default
from ..rule import Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, call_with, kw_arg, string_value

LEGACY_METHODS = frozenset({"send", "receive", "transcribe", "close", "connect"})
DEFAULTS = (("model", '"%s"' % sdk_default("stt_websocket_model_2x")), ("encoding", '"pcm_s16le"'), ("sample_rate", "16000"))
USAGE = (
    "{a}with {stt}.manual_finalize.websocket(model=..., encoding=..., sample_rate=...) as ws: "
    '{aw}ws.send_raw(chunk) per audio chunk, {aw}ws.send("finalize") / {aw}ws.send("close"), '
    '{a}for event in ws: if event.type == "transcript": event.text'
)


class SttWebsocket(SdkRule):
    CODE = "CM409"
    PREFILTER = ((IMPORTS_CARTESIA, ident("stt"), ident("websocket")),)
    METHODS = frozenset({"websocket"}) | LEGACY_METHODS

    def _usage(self, site: Site, stt: str) -> str:
        a = "async " if site.kind == "async" else ""
        return USAGE.format(a=a, aw="await " if a else "", stt=stt)

    def check(self, site: Site) -> None:
        if site.path == "stt.websocket":
            self._legacy(site)
        elif site.path.count(".") == 3 and site.path.startswith("stt.manual_finalize.websocket()."):
            # a method of the manager itself (not of `.enter()` / `with ... as ws`: the connection)
            self._socket_method(site)

    def _legacy(self, site: Site) -> None:
        func = site.call.func
        assert isinstance(func, cst.Attribute)
        stt = self.code(func.value)
        missing = [kw_arg(k, cst.parse_expression(v)) for k, v in DEFAULTS if site.arg(k) is None]
        new = self.code(
            call_with(
                site.call, func=cst.parse_expression(stt + ".manual_finalize.websocket"), append=missing
            ),
            site.stack,
        )
        msg = (
            "`%s.websocket()` is the 2.x STT socket: 4.x streams with `%s.manual_finalize.websocket(...)`, "
            "a connection manager: %s" % (stt, stt, self._usage(site, stt))
        )
        self.report_site(
            site,
            msg,
            edits=[Replace(site.outer, new)],
            fix_message="Use %s.manual_finalize.websocket(...) (then enter it with `with`)" % stt,
        )

    def _socket_method(self, site: Site) -> None:
        method = site.path.rsplit(".", 1)[1]
        if method not in LEGACY_METHODS:
            return
        if (
            method == "send"
            and len(site.call.args) == 1
            and string_value(site.call.args[0].value) in ("finalize", "close")
        ):
            return  # the manager's own send("finalize") / send("close")
        receiver = self.code(site.receiver)  # type: ignore[arg-type]
        self.report_site(
            site,
            "`%s.%s()` is a 2.x STT socket method; a 4.x `manual_finalize.websocket(...)` is "
            "a connection manager: %s" % (receiver, method, self._usage(site, "client.stt")),
        )
