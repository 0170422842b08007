"""CM408 voice-changer: ``voice_changer.bytes/sse`` (2.x), ``change_voice_bytes/sse`` (3.0) -> ``generate/generate_sse``.

Same keywords in every version.  2.x ``bytes`` returned an iterator of chunks, so it
becomes ``generate(...).iter_bytes()`` (awaited first on ``AsyncCartesia``); 3.x
``change_voice_bytes`` already returned the response.  2.x's async ``sse`` was an async
generator; 4.x's ``generate_sse`` must be awaited.

The events differ: 2.x typed every SSE event (``type`` "chunk" / "done" / "error");
4.2.0's ``VoiceChangerSSEChunk`` and ``VoiceChangerSSEDone`` declare no ``type``
(``cartesia/types/voice_changer_sse_event.py``; reading it raises ``AttributeError`` unless
the server happens to send one).  Only a chunk has ``done=False``, so ``event.type ==
"chunk"`` becomes ``not event.done``, and any other read of ``event.type`` becomes
``getattr(event, "type", "done" if event.done else "chunk")`` -- the same value for every
4.2.0 event.  A keyword 4.2.0 ``generate``/``generate_sse`` lacks blocks the rename.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..bindings import Scope
from ..rule import Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, call_with, check_keywords, needs_parens_for_await, string_value

EVENT_PATHS = frozenset(
    {"voice_changer.sse()[]", "voice_changer.generate_sse()[]", "voice_changer.change_voice_sse()[]"}
)

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
    # (and generate_sse: the events of a 4.x-named call are checked too)
    PREFILTER = ((IMPORTS_CARTESIA, ident("voice_changer"), ident(*NEW, "generate_sse")),)
    METHODS = frozenset(NEW)
    COLLECT_NAMES = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.type_reads: List[Tuple[cst.Attribute, Optional[cst.CSTNode], Scope, Optional[cst.CSTNode]]] = []

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "type" and isinstance(node.value, cst.Name):
            stack = self.ctx.stack
            parent = stack[-2] if len(stack) > 1 else None
            self.type_reads.append((node, parent, self.ctx.bindings.scope, self.ctx.enclosing_statement()))

    def finish(self) -> None:
        b = self.ctx.bindings
        for node, parent, scope, stmt in self.type_reads:
            if isinstance(parent, (cst.AssignTarget, cst.AugAssign)) or (
                isinstance(parent, cst.AnnAssign) and parent.target is node
            ):
                continue
            r = b.resolve(node.value, scope)
            if r is None or r[1] not in EVENT_PATHS:
                continue
            ev = node.value.value  # type: ignore[attr-defined]
            msg = (
                "4.x voice-changer SSE events declare no `type` (`%s.type` raises AttributeError on chunk and "
                "done events); only a chunk has `done=False`" % ev
            )
            target: cst.CSTNode = node
            if (
                isinstance(parent, cst.Comparison)
                and parent.left is node
                and len(parent.comparisons) == 1
                and isinstance(parent.comparisons[0].operator, (cst.Equal, cst.NotEqual))
                and string_value(parent.comparisons[0].comparator) == "chunk"
            ):
                target = parent
                new = ("not %s.done" if isinstance(parent.comparisons[0].operator, cst.Equal) else "%s.done") % ev
            else:
                new = 'getattr(%s, "type", "done" if %s.done else "chunk")' % (ev, ev)
            self.report(
                target,
                msg + ": use `%s`" % new,
                edits=[Replace(target, new)],
                statement=stmt,
                fix_message="Use %s" % new,
            )

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
        kc = check_keywords(call, "voice_changer." + new)
        if kc.refused:
            self.report_site(site, msg + "; " + kc.note())
            return
        if old == "bytes":
            msg += (
                ", which returns a response (`.iter_bytes()` for the chunks 2.x yielded, `.read()`, "
                "`.write_to_file(path)`)"
            )
            found = self.streamed_loop(site)
            if found is not None:
                # ``generate()`` reads the whole body first: keep streaming what 2.x streamed
                self.report_site(
                    site,
                    msg + "; the loop streams from `with_streaming_response.generate(...)`, as 2.x did",
                    edits=self.streamed_loop_edits(site, found[0], found[1], vc + ".with_streaming_response.generate"),
                    fix_message="Stream the chunks from %s.with_streaming_response.generate(...)" % vc,
                )
                return
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
