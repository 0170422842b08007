"""CM402 tts-sse: ``tts.sse(...)`` -> ``tts.generate_sse(...)``; ``b64decode(event.data)`` -> ``event.audio``.

4.x keeps ``sse`` as a plain alias of ``generate_sse`` (3.x deprecated it).  The events
of ``generate_sse`` decode their audio: ``event.audio`` (``bytes``, or None for an empty
chunk) replaces ``base64.b64decode(event.data)`` -- the unsafe part (None instead of
``b""``).  1.x streamed dicts (``chunk["audio"]``) and took ``stream=``: ``stream=True``
(the default) is dropped; ``stream=False`` and dict access are reported for a human.
2.x's ``AsyncCartesia.tts.sse`` was an async generator; 4.x's must be awaited.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..bindings import Scope, dotted_name
from ..rule import Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, call_with, is_true, needs_parens_for_await, remove_args, string_value

EVENT_PATHS = ("tts.sse()[]", "tts.generate_sse()[]")
B64DECODE = frozenset({"base64.b64decode", "b64decode", "base64.standard_b64decode", "standard_b64decode"})


class TtsSse(SdkRule):
    CODE = "CM402"
    # sse( and generate_sse( (the events of the renamed call are still checked)
    PREFILTER = ((IMPORTS_CARTESIA, ident("tts"), ident("sse", "generate_sse")),)
    METHODS = frozenset({"sse"})

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.decodes: List[Tuple[cst.Call, cst.BaseExpression, Scope, Optional[cst.CSTNode]]] = []
        self.subscripts: List[Tuple[cst.Subscript, Scope, Optional[cst.CSTNode]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if len(node.args) == 1 and dotted_name(node.func) in B64DECODE:
            arg = node.args[0].value
            if isinstance(arg, cst.Attribute) and arg.attr.value == "data" and not node.args[0].keyword:
                self.decodes.append(
                    (node, arg.value, self.ctx.bindings.scope, self.ctx.enclosing_statement())
                )

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if (
            len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Index)
            and string_value(node.slice[0].slice.value) == "audio"
        ):
            self.subscripts.append((node, self.ctx.bindings.scope, self.ctx.enclosing_statement()))

    def check(self, site: Site) -> None:
        if site.path != "tts.sse":
            return
        call = site.call
        receiver = self.code(site.receiver)  # type: ignore[arg-type]
        stream = site.arg("stream")
        msg = (
            "`%s.sse()` is the pre-3.x name of `%s.generate_sse()`, whose chunk events decode the audio "
            'for you: `if event.type == "chunk": audio = event.audio`' % (receiver, receiver)
        )
        if stream is not None and not is_true(stream.value):
            self.report_site(
                site,
                msg + "; not fixed: 4.x always streams, and 1.x `stream=False` returned one "
                '`{"audio": bytes}` dict instead: for the whole audio use `%s.generate(...).read()`' % receiver,
            )
            return
        drop = [stream] if stream is not None else []
        fix_message = "Use %s.generate_sse(...)" % receiver
        if site.kind == "async" and not site.awaited:
            # 2.x async generator -> 4.x coroutine returning an AsyncStream
            if not site.in_async_function:
                self.report_site(site, msg + "; not fixed: 4.x's async `generate_sse()` must be awaited")
                return
            new = self.code(
                call_with(call, func=cst.parse_expression(receiver + ".generate_sse"), drop=drop), site.stack
            )
            text = "await " + new
            if needs_parens_for_await(site.parent, call):
                text = "(%s)" % text
            self.report_site(site, msg, edits=[Replace(call, text)], fix_message=fix_message + " (awaited)")
            return
        edits = self.rename_method(site, "generate_sse") + remove_args(call, drop)
        self.report_site(site, msg, edits=edits, fix_message=fix_message)

    def finish(self) -> None:
        b = self.ctx.bindings
        for call, event, scope, stmt in self.decodes:
            r = b.resolve(event, scope)
            if r is None or r[1] not in EVENT_PATHS:
                continue
            ev = self.code(event)
            self.report(
                call,
                "The SSE events of 4.x decode the audio: `%s.audio` (bytes; None for an empty chunk) "
                "replaces `base64.b64decode(%s.data)`" % (ev, ev),
                edits=[Replace(call, ev + ".audio")],
                statement=stmt,
                fix_message="Use %s.audio" % ev,
            )
        for sub, scope, stmt in self.subscripts:
            r = b.resolve(sub.value, scope)
            if r is None or r[1] not in EVENT_PATHS:
                continue
            ev = self.code(sub.value)
            self.report(
                sub,
                '1.x streamed `{"audio": bytes}` dicts; 4.x streams typed events: '
                '`if %s.type == "chunk": audio = %s.audio` (None for an empty chunk)' % (ev, ev),
                statement=stmt,
            )
