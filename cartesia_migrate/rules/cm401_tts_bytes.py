"""CM401 tts-bytes: ``tts.bytes(...)`` -> ``tts.generate(...)`` (3.x deprecated ``bytes``).

What ``bytes`` returned decides the new shape:

- 2.x, 3.x and 4.x returned an iterator of chunks: ``tts.generate(...).iter_bytes()``
  (exactly what 4.x's deprecated ``bytes`` does), awaited first on ``AsyncCartesia``;
- 1.x returned all the audio as ``bytes`` (1.x calls say ``voice_id=`` /
  ``voice_embedding=``; no later version accepts those): ``tts.generate(...).read()``,
  unless the result is iterated.

``duration=`` has no 4.x equivalent (4.x ``bytes`` ignored it): dropped, which makes
the fix unsafe.
"""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from .. import catalog
from ..rule import Append, EditRequest, Prepend, Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, call_with, iterated

LEGACY_1X_KEYWORDS = ("voice_id", "voice_embedding", "_experimental_voice_controls")


class TtsBytes(SdkRule):
    CODE = "CM401"
    PREFILTER = ((IMPORTS_CARTESIA, ident("tts"), ident("bytes")),)
    METHODS = frozenset({"bytes"})

    def check(self, site: Site) -> None:
        if site.path != "tts.bytes":
            return
        call = site.call
        receiver = self.code(site.receiver)  # type: ignore[arg-type]
        duration = site.arg("duration")
        legacy_1x = any(site.arg(k) is not None for k in LEGACY_1X_KEYWORDS)
        target: cst.CSTNode = call
        before = after = None  # the text around ``target`` with the call renamed in place
        if site.kind == "sync":
            if not site.awaited:
                if iterated(call, site.parent, site.ancestor(2)) or not legacy_1x:
                    before, after, what = "", ".iter_bytes()", "the audio chunks"
                else:
                    before, after, what = "", ".read()", "all the audio as bytes (what 1.x returned)"
        else:
            if site.awaited:
                target = site.outer
                if iterated(target, site.ancestor(2), site.ancestor(3)) or not legacy_1x:
                    before, after, what = "(", ").iter_bytes()", "the audio chunks"
                else:
                    before, after, what = "await (", ").read()", "all the audio as bytes (what 1.x returned)"
            elif site.in_async_function:
                # 2.x: ``async for chunk in client.tts.bytes(...)`` (an async generator)
                before, after, what = "(await ", ").iter_bytes()", "the audio chunks"
        shape = "%s.generate(...)" % receiver
        msg = (
            '`%s.bytes()` is deprecated since 3.x (4.x: "bytes() is deprecated; use .generate() instead"): '
            "use `%s`, which returns a response: `.iter_bytes()` for the chunks, `.read()` for all the audio, "
            "`.write_to_file(path)`" % (receiver, shape)
        )
        if duration is not None:
            msg += "; `duration=` has no 4.x equivalent and is dropped"
        if after is None:
            why = "a synchronous client's call is awaited" if site.kind == "sync" else \
                "await the call in an async function"
            self.report_site(site, msg + " (not fixed: %s)" % why)
            return
        self.report_site(
            site,
            msg,
            edits=self._edits(site, target, before or "", after, duration, receiver),
            applicability=catalog.UNSAFE if duration is not None else catalog.SAFE,
            fix_message="Use %s.generate(...), reading %s" % (receiver, what),
        )

    def _edits(self, site: Site, target: cst.CSTNode, before: str, after: str,
               duration: Optional[cst.Arg], receiver: str) -> List[EditRequest]:
        """Rename ``bytes`` in place and wrap the call: the arguments stay free for other
        rules' fixes (CM404's voice, a model ID) in the same pass.  Dropping ``duration=``
        rewrites the whole call (an unsafe fix anyway)."""
        if duration is None:
            edits: List[EditRequest] = self.rename_method(site, "generate")
            if before:
                edits.insert(0, Prepend(target, before))
            return edits + [Append(target, after)]
        new_call = call_with(site.call, func=cst.parse_expression(receiver + ".generate"), drop=[duration])
        new = self.code(new_call, site.stack)
        if target is site.call:
            return [Replace(target, before + new + after)]
        # the awaited form: ``await`` and the call are rewritten together
        return [Replace(target, before + "await " + new + after)]
