"""CM403 tts-websocket: ``tts.websocket()`` sessions -> ``tts.websocket_connect()`` (report only).

``tts.websocket()`` survives in 4.x as the "SDK v2 compatible" wrapper (3.x deprecated
it): ``send(..., stream=True)`` returns either an iterator or one object, 1.x
``voice_id=`` / ``_experimental_voice_controls=`` go through unchecked ``**kwargs``.  The
4.x session is a context manager with per-context ``push`` / ``receive``; moving to it
restructures the code, so the finding spells out the new shape instead of fixing it.
"""

from __future__ import annotations

from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site

SYNC_SHAPE = (
    "with {r}.websocket_connect() as ws: "
    "ctx = ws.context(model_id=..., voice=VOICE_ID, output_format={{...}}); "
    "ctx.push(transcript); ctx.no_more_inputs(); "
    'for event in ctx.receive(): if event.type == "chunk": play(event.audio)'
)
ASYNC_SHAPE = (
    "async with {r}.websocket_connect() as ws: "
    "ctx = ws.context(model_id=..., voice=VOICE_ID, output_format={{...}}); "
    "await ctx.push(transcript); await ctx.no_more_inputs(); "
    'async for event in ctx.receive(): if event.type == "chunk": play(event.audio)'
)


class TtsWebsocket(SdkRule):
    CODE = "CM403"
    PREFILTER = ((IMPORTS_CARTESIA, ident("tts"), ident("websocket")),)
    METHODS = frozenset({"websocket"})

    def check(self, site: Site) -> None:
        if site.path != "tts.websocket":
            return
        r = self.code(site.receiver)  # type: ignore[arg-type]
        if site.kind == "async":
            shape = ASYNC_SHAPE.format(r=r)
            extra = " (`websocket_connect()` itself is not awaited)"
        else:
            shape = SYNC_SHAPE.format(r=r)
            extra = ""
        self.report_site(
            site,
            "`%s.websocket()` is the 2.x-compatible WebSocket wrapper (deprecated in 3.x; `stream=`, `voice_id=` "
            "and `continue_=` are legacy): use `%s`%s" % (r, shape, extra),
        )
