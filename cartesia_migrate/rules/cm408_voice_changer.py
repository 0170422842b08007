"""CM408 voice-changer: ``voice_changer.bytes/sse`` (2.x), ``change_voice_bytes/sse`` (3.0) -> ``generate/generate_sse``.

Same keywords in every version.  2.x ``bytes`` returned an iterator of chunks, so it
becomes ``generate(...).iter_bytes()`` (awaited first on ``AsyncCartesia``); 3.x
``change_voice_bytes`` already returned the response.  2.x's async ``sse`` was an async
generator; 4.x's ``generate_sse`` must be awaited.
"""

from __future__ import annotations

import libcst as cst

from ..rule import Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, call_with, needs_parens_for_await

NEW = {
    "bytes": "generate",
    "change_voice_bytes": "generate",
    "sse": "generate_sse",
    "change_voice_sse": "generate_sse",
}
WHAT = {
    "bytes": "the 2.x API",
    "sse": "the 2.x API",
    "change_voice_bytes": "a 3.0 name kept as an alias",
    "change_voice_sse": 'deprecated (4.x: "use .generate_sse() instead")',
}


class VoiceChanger(SdkRule):
    CODE = "CM408"
    PREFILTER = ((IMPORTS_CARTESIA, ident("voice_changer"), ident(*NEW)),)
    METHODS = frozenset(NEW)

    def check(self, site: Site) -> None:
        if not site.path.startswith("voice_changer.") or site.path.count(".") != 1:
            return
        old = site.path.split(".", 1)[1]
        new = NEW.get(old)
        if new is None:
            return
        vc = self.code(site.receiver)  # type: ignore[arg-type]
        msg = "`%s.%s()` is %s: use `%s.%s()`" % (vc, old, WHAT[old], vc, new)
        call = site.call
        if old == "bytes":
            msg += (
                ", which returns a response (`.iter_bytes()` for the chunks 2.x yielded, `.read()`, "
                "`.write_to_file(path)`)"
            )
            code = self.code(call_with(call, func=cst.parse_expression("%s.%s" % (vc, new))), site.stack)
            if site.kind == "sync":
                text = code + ".iter_bytes()"
            elif site.awaited:
                self.report_site(site, msg + " (not fixed: awaited 2.x async generator)")
                return
            elif site.in_async_function:
                text = "(await %s).iter_bytes()" % code
            else:
                self.report_site(site, msg + " (not fixed: await the call in an async function)")
                return
            self.report_site(
                site, msg, edits=[Replace(call, text)], fix_message="Use %s.generate(...).iter_bytes()" % vc
            )
            return
        if old == "sse" and site.kind == "async" and not site.awaited:
            if not site.in_async_function:
                self.report_site(site, msg + " (not fixed: 4.x's async generate_sse() must be awaited)")
                return
            text = "await " + self.code(
                call_with(call, func=cst.parse_expression("%s.%s" % (vc, new))), site.stack
            )
            if needs_parens_for_await(site.parent, call):
                text = "(%s)" % text
            self.report_site(
                site, msg, edits=[Replace(call, text)], fix_message="Use await %s.%s(...)" % (vc, new)
            )
            return
        self.report_site(
            site, msg, edits=self.rename_method(site, new), fix_message="Use %s.%s()" % (vc, new)
        )
