"""CM402 tts-sse: ``tts.sse(...)`` -> ``tts.generate_sse(...)``; ``b64decode(event.data)`` -> ``event.audio``.

4.x keeps ``sse`` as a plain alias of ``generate_sse`` (3.x deprecated it).  The events
of ``generate_sse`` decode their audio: ``event.audio or b""`` replaces
``base64.b64decode(event.data)`` (``event.audio`` is None for an empty chunk, where the
decode gave ``b""``).  4.x also yields events without audio (``done``, timestamps): a loop
over the stream that reads ``.data`` / ``.audio`` outside ``if event.type == "chunk":``
fails on the last event; the fix skips the other events (``if event.type != "chunk":
continue``) when the loop reads nothing else of them, and reports the loop otherwise.
A keyword ``generate_sse()`` lacks: ``duration=`` is dropped, others block the fix.  1.x streamed dicts (``chunk["audio"]``) and took ``stream=``: ``stream=True``
(the default) is dropped; ``stream=False`` and dict access are reported for a human.
2.x's ``AsyncCartesia.tts.sse`` was an async generator; 4.x's must be awaited.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from ..bindings import Scope, dotted_name
from ..rule import Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ..rule import InsertBefore
from ._imports import block_indent
from ._sdk import (
    EventUses,
    SdkRule,
    Site,
    bare_or_parenthesized,
    call_with,
    check_keywords,
    is_true,
    needs_parens_for_await,
    remove_args,
    string_value,
)

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
        self.parents: Dict[int, Optional[cst.CSTNode]] = {}
        self.sub_parents: Dict[int, Optional[cst.CSTNode]] = {}
        self.audio_reads: List[Tuple[cst.Attribute, Optional[cst.CSTNode], Scope, Optional[cst.CSTNode]]] = []
        self.loops: List[Tuple[cst.For, Scope, Tuple[cst.CSTNode, ...]]] = []

    def visit_For(self, node: cst.For) -> None:
        if isinstance(node.target, cst.Name):
            self.loops.append((node, self.ctx.bindings.scope, tuple(self.ctx.stack[:-1])))

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if len(node.args) == 1 and dotted_name(node.func) in B64DECODE:
            self.parents[id(node)] = self.ctx.stack[-2] if len(self.ctx.stack) > 1 else None
            arg = node.args[0].value
            if isinstance(arg, cst.Attribute) and arg.attr.value == "data" and not node.args[0].keyword:
                self.decodes.append(
                    (node, arg.value, self.ctx.bindings.scope, self.ctx.enclosing_statement())
                )

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "audio" and isinstance(node.value, cst.Name):
            stack = self.ctx.stack
            self.audio_reads.append(
                (node, stack[-2] if len(stack) > 1 else None, self.ctx.bindings.scope, self.ctx.enclosing_statement())
            )

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if (
            len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Index)
            and string_value(node.slice[0].slice.value) == "audio"
        ):
            self.subscripts.append((node, self.ctx.bindings.scope, self.ctx.enclosing_statement()))
            stack = self.ctx.stack
            self.sub_parents[id(node)] = stack[-2] if len(stack) > 1 else None

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
        kc = check_keywords(call, "tts.generate_sse", handled=("stream",))
        msg = kc.added_to(msg)
        if kc.refused:
            self.report_site(site, msg)
            return
        drop = ([stream] if stream is not None else []) + kc.drop
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
            new = bare_or_parenthesized(self.parents.get(id(call)), '%s.audio or b""' % ev)
            self.report(
                call,
                'The SSE events of 4.x decode the audio: `%s.audio or b""` replaces `base64.b64decode(%s.data)` '
                "(`%s.audio` is None for an empty chunk)" % (ev, ev, ev),
                edits=[Replace(call, new)],
                statement=stmt,
                fix_message="Use %s.audio" % ev,
            )
        self._loops()
        for node, parent, scope, stmt in self.audio_reads:
            if _tests_or_defaults(node, parent):
                continue
            r = b.resolve(node.value, scope)
            if r is None or r[1] not in EVENT_PATHS:
                continue
            ev = self.code(node.value)
            self.report(
                node,
                '`%s.audio` is None for a chunk without data (a 4.x SSE stream may send one; '
                '`base64.b64decode("")` gave `b""`): `%s.audio or b""`' % (ev, ev),
                edits=[Replace(node, bare_or_parenthesized(parent, '%s.audio or b""' % ev))],
                statement=stmt,
                fix_message='Use %s.audio or b""' % ev,
            )
        for sub, scope, stmt in self.subscripts:
            r = b.resolve(sub.value, scope)
            if r is None or r[1] not in EVENT_PATHS:
                continue
            ev = self.code(sub.value)
            msg = (
                '1.x streamed `{"audio": bytes}` dicts; 4.x streams typed events: '
                '`if %s.type == "chunk": audio = %s.audio` (None for an empty chunk)' % (ev, ev)
            )
            parent = self.sub_parents.get(id(sub))
            if isinstance(parent, (cst.AssignTarget, cst.Del)) or (
                isinstance(parent, cst.AugAssign) and parent.target is sub
            ):
                self.report(sub, msg, statement=stmt)
                continue
            self.report(
                sub,
                msg,
                edits=[Replace(sub, bare_or_parenthesized(parent, '%s.audio or b""' % ev))],
                statement=stmt,
                fix_message='Use %s.audio or b""' % ev,
            )

    def _loops(self) -> None:
        """``for event in <4.x SSE stream>:`` bodies that read audio from events that carry none."""
        b = self.ctx.bindings
        module = self.ctx.module
        assert module is not None
        for loop, scope, stack in self.loops:
            r = b.resolve(loop.target, scope)
            if r is None or r[1] not in EVENT_PATHS:
                continue
            ev = loop.target.value  # type: ignore[attr-defined]
            uses = EventUses(loop, ev)
            if uses.unguarded:
                first: cst.CSTNode = uses.unguarded[0]
                msg = (
                    "4.x streams also events without audio (the final `done` event; timestamps with "
                    "`add_timestamps=True`): `%s` fails on them" % self.code(first)
                )
            elif uses.escapes:
                first = uses.escapes[0]
                msg = (
                    "4.x streams also events without audio (the final `done` event; timestamps with "
                    "`add_timestamps=True`), which this loop keeps with the chunks: code that reads `.data` / "
                    "`.audio` from what it kept fails on them"
                )
            else:
                continue
            body = loop.body
            if uses.other or not isinstance(body, cst.IndentedBlock):
                self.report(
                    first,
                    msg + '; read the audio under `if %s.type == "chunk":`' % ev,
                    statement=loop,
                )
                continue
            indent = block_indent(module, list(stack) + [loop, body])
            inner = body.indent if body.indent is not None else module.default_indent
            guard = 'if %s.type != "chunk":\n%s%scontinue\n' % (ev, indent, inner)
            self.report(
                first,
                msg + "; the fix skips them: `if %s.type != \"chunk\": continue`" % ev,
                edits=[InsertBefore(body.body[0], indent + guard)],
                statement=loop,
                fix_message="Skip the events without audio",
            )


def _tests_or_defaults(node: cst.CSTNode, parent: Optional[cst.CSTNode]) -> bool:
    """``EV.audio or ...``, ``if EV.audio:``, ``EV.audio is None``, ``not EV.audio``, an assignment
    target: the read already handles None (or is not a read)."""
    if isinstance(parent, cst.BooleanOperation):
        return True
    if isinstance(parent, (cst.If, cst.While, cst.IfExp)) and getattr(parent, "test", None) is node:
        return True
    if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
        return True
    if isinstance(parent, cst.Comparison):
        return any(isinstance(c.operator, (cst.Is, cst.IsNot)) for c in parent.comparisons)
    return isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.Del))
