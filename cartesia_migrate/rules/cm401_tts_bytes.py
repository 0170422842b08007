"""CM401 tts-bytes: ``tts.bytes(...)`` -> ``tts.generate(...)`` (3.x deprecated ``bytes``).

What ``bytes`` returned decides the new shape:

- 2.x, 3.x and 4.x returned an iterator of chunks: ``tts.generate(...).iter_bytes()``
  (exactly what 4.x's deprecated ``bytes`` does), awaited first on ``AsyncCartesia``;
- 1.x returned all the audio as ``bytes`` (1.x calls say ``voice_id=`` /
  ``voice_embedding=``; no later version accepts those): ``tts.generate(...).read()``,
  unless the result is iterated.

``duration=`` has no 4.x equivalent (4.x ``bytes`` ignored it): dropped, which makes
the fix unsafe; any other keyword ``generate()`` lacks (``_sdk.ACCEPTED_KEYWORDS``, read from
4.2.0) blocks the fix, and ``**kwargs`` make it unsafe.

``generate()`` reads the whole body before it returns, where 2.x ``bytes()`` streamed: a
``for`` statement that consumes the chunks as they come (plays or writes each one) becomes
``with client.tts.with_streaming_response.generate(...) as response: for chunk in
response.iter_bytes(): ...``, which keeps the time to first audio.
"""

from __future__ import annotations

from typing import List

import libcst as cst

from .. import catalog
from ..rule import Append, EditRequest, Prepend, Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, call_with, check_keywords, iterated

LEGACY_1X_KEYWORDS = ("voice_id", "voice_embedding", "_experimental_voice_controls")


class TtsBytes(SdkRule):
    CODE = "CM401"
    PREFILTER = ((IMPORTS_CARTESIA, ident("tts"), ident("bytes")),)
    METHODS = frozenset({"bytes"})
    COLLECT_NAMES = True

    def check(self, site: Site) -> None:
        if site.path != "tts.bytes":
            return
        call = site.call
        receiver = self.code(site.receiver)  # type: ignore[arg-type]
        kc = check_keywords(call, "tts.generate")
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
        msg = kc.added_to(msg)
        if kc.refused:
            self.report_site(site, msg)
            return
        # a 1.x call (``voice_id=``) returned all the audio at once: not a stream
        found = None if legacy_1x else self.streamed_loop(site)
        if found is not None:
            self._fix_loop(site, found, kc, msg, receiver)
            return
        if after is None:
            why = "a synchronous client's call is awaited" if site.kind == "sync" else \
                "await the call in an async function"
            self.report_site(site, msg + " (not fixed: %s)" % why)
            return
        self.report_site(
            site,
            msg,
            edits=self._edits(site, target, before or "", after, kc.drop, receiver),
            applicability=catalog.UNSAFE if kc.drop or kc.star else catalog.SAFE,
            fix_message="Use %s.generate(...), reading %s" % (receiver, what),
        )

    def _edits(self, site: Site, target: cst.CSTNode, before: str, after: str,
               drop: List[cst.Arg], receiver: str) -> List[EditRequest]:
        """Rename ``bytes`` in place and wrap the call: the arguments stay free for other
        rules' fixes (CM404's voice, a model ID) in the same pass.  Dropping ``duration=``
        rewrites the whole call (an unsafe fix anyway)."""
        if not drop:
            edits: List[EditRequest] = self.rename_method(site, "generate")
            if before:
                edits.insert(0, Prepend(target, before))
            return edits + [Append(target, after)]
        new_call = call_with(site.call, func=cst.parse_expression(receiver + ".generate"), drop=drop)
        new = self.code(new_call, site.stack)
        if target is site.call:
            return [Replace(target, before + new + after)]
        # the awaited form: ``await`` and the call are rewritten together
        return [Replace(target, before + "await " + new + after)]

    # -- streaming loops -----------------------------------------------------------------

    def _fix_loop(self, site: Site, found, kc, msg: str, receiver: str) -> None:
        loop, var = found
        self.report_site(
            site,
            msg + "; `generate()` reads the whole audio before it returns: the loop streams from "
            "`with_streaming_response.generate(...)` instead, as 2.x `bytes()` did",
            edits=self.streamed_loop_edits(site, loop, var, receiver + ".with_streaming_response.generate", kc.drop),
            applicability=catalog.UNSAFE if kc.drop or kc.star else catalog.SAFE,
            fix_message="Stream the chunks from %s.with_streaming_response.generate(...)" % receiver,
        )
