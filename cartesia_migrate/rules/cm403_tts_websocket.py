"""CM403 tts-websocket: ``tts.websocket()`` sessions -> ``tts.websocket_connect()``.

``tts.websocket()`` survives in 4.x as the "SDK v2 compatible" wrapper (3.x deprecated
it), but code written for it breaks there: ``send(..., stream=True)`` yields
``BackcompatWebSocketTtsOutput`` objects (1.x ``out["audio"]`` raises) and, unlike 2.x, also
one for the final ``done`` event, whose ``audio`` is None; 1.x ``voice_id=`` goes through
unchecked ``**kwargs``.  Contexts (``ws.context()``) already are 4.x ``WebSocketContext``
objects, whose ``receive()`` yields typed events.

The unsafe fix covers the common shape, a session held in a local (or module) variable
used only in its own scope::

    ws = client.tts.websocket()                      ws = client.tts.websocket_connect().enter()
    for out in ws.send(model_id=M, transcript=T,     ctx = ws.context(model_id=M, voice=V, output_format=F)
                       voice=V, output_format=F,     ctx.push(T)
                       stream=True):                 ctx.no_more_inputs()
        play(out["audio"])                   ->      for out in ctx.receive():
    ws.close()                                           if out.type == "error":
                                                             raise RuntimeError(out.message)
                                                         if out.type != "chunk":
                                                             continue
                                                         play(out.audio)
                                                     ws.close()

and the context shape (``ctx = ws.context()``; ``ctx.send(..., continue_=True)`` /
``ctx.no_more_inputs()``, unchanged; ``for out in ctx.receive():`` loops get the same guard
and ``out["audio"]`` -> ``out.audio``).  ``.enter()`` opens the socket at once, as 1.x/2.x
``websocket()`` did, and the session stays open until your ``ws.close()``.  Everything else
is reported with the new shape: ``stream=False``, a ``send`` result stored or passed on, a
session on ``self.`` or used by other functions, a context passed to other code, 1.x
generator contexts (``for out in ctx.send(transcript=gen())``), loops that read more than
the audio (timestamps) and ``send`` keywords ``context()`` lacks.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from .. import catalog
from ..bindings import Scope
from ..rule import EditRequest, Replace
from ._imports import block_indent
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, code_at, fresh_name, is_skip_guard, is_true, is_type_test, string_value

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

#: ``send(...)`` keywords of the 1.x/2.x session and where they go in 4.x: ``context(...)``
#: (``TTSResourceConnection.context`` in 4.2.0 ``cartesia/lib/_tts.py``), ``push(...)``, or nowhere
TO_CONTEXT = frozenset(
    {"model_id", "voice", "output_format", "language", "add_timestamps", "add_phoneme_timestamps",
     "generation_config", "pronunciation_dict_id", "use_normalized_timestamps", "context_id",
     "max_buffer_delay_ms"}
)
TO_PUSH = frozenset({"speed"})
DROPPED = {"stream", "duration"}  # stream=True only; duration: no 4.x equivalent (unsafe anyway)
CONTEXT_METHODS = frozenset({"send", "push", "no_more_inputs", "cancel"})  # (2.x async ``flush()``: gone)

#: fields of 4.2.0 ``BackcompatWebSocketTtsOutput`` (``cartesia/lib/_tts.py``), what 1.x dict keys become
BACKCOMPAT_FIELDS = frozenset({"audio", "word_timestamps", "phoneme_timestamps", "context_id", "flush_done", "flush_id"})


class Blocked(Exception):
    """The session has a use the fix does not cover (the message says which); ``at``: a call
    that fails on 4.x as it stands (reported there too)."""

    def __init__(self, message: str, at: Optional[cst.CSTNode] = None, statement: Optional[cst.CSTNode] = None):
        super().__init__(message)
        self.at = at
        self.statement = statement


class _Use:
    __slots__ = ("node", "scope", "up")

    def __init__(self, node: cst.Name, scope: Scope, up: Tuple[cst.CSTNode, ...]) -> None:
        self.node = node
        self.scope = scope
        self.up = up  # the nearest ancestors, nearest first

    def at(self, i: int) -> Optional[cst.CSTNode]:
        return self.up[i] if i < len(self.up) else None


class TtsWebsocket(SdkRule):
    CODE = "CM403"
    PREFILTER = ((IMPORTS_CARTESIA, ident("tts"), ident("websocket")),)
    METHODS = frozenset({"websocket"})

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.names: Dict[str, List[_Use]] = {}
        self.loops: Dict[int, Tuple[cst.CSTNode, ...]] = {}  # id(For) -> its ancestors
        self.functions: Dict[str, List[cst.FunctionDef]] = {}
        self.subscripts: List[Tuple[cst.Subscript, Scope, Optional[cst.CSTNode]]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.setdefault(node.name.value, []).append(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if isinstance(node.value, cst.Name) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            self.subscripts.append((node, self.ctx.bindings.scope, self.ctx.enclosing_statement()))

    def visit_Name(self, node: cst.Name) -> None:
        stack = self.ctx.stack
        up = tuple(reversed(stack[-7:-1]))
        self.names.setdefault(node.value, []).append(_Use(node, self.ctx.bindings.scope, up))

    def visit_For(self, node: cst.For) -> None:
        self.loops[id(node)] = tuple(self.ctx.stack[:-1])

    def check(self, site: Site) -> None:
        if site.path != "tts.websocket":
            return
        r = self.code(site.receiver)  # type: ignore[arg-type]
        is_async = site.kind == "async"
        if is_async:
            shape = ASYNC_SHAPE.format(r=r)
            extra = " (`websocket_connect()` itself is not awaited)"
        else:
            shape = SYNC_SHAPE.format(r=r)
            extra = ""
        msg = (
            f"`{r}.websocket()` is the 2.x-compatible WebSocket wrapper (deprecated in 3.x; on 4.x its `send()` "
            "yields objects, not 1.x dicts, and one more without audio for the final event; `stream=`, "
            f"`voice_id=` and `continue_=` are legacy): use `{shape}`{extra}"
        )
        try:
            edits, what = self._session_fix(site, r, is_async)
        except Blocked as e:
            self.report_site(site, msg + f"; not fixed: {e}")
            if e.at is not None:
                self.report(e.at, f"On 4.x this fails: {e}", statement=e.statement)
            if is_async:
                self._async_contexts(site)
            return
        self.report_site(
            site,
            msg + f"; the fix opens the session with `{r}.websocket_connect().enter()` (closed by your `.close()` "
            f"as before){what}; not covered: `stream=False`, sessions on attributes or shared with other functions, "
            "contexts passed to other code, loops that read timestamps",
            edits=edits,
            applicability=catalog.UNSAFE,
            fix_message=f"Use {r}.websocket_connect()",
        )

    def finish(self) -> None:
        """``response["word_timestamps"]`` on what a 2.x-compatible ``send(..., stream=False)`` returned:
        4.x returns an object (``BackcompatWebSocketTtsOutput``), 1.x returned a dict."""
        b = self.ctx.bindings
        for sub, scope, stmt in self.subscripts:
            key = string_value(sub.slice[0].slice.value)  # type: ignore[attr-defined]
            if key not in BACKCOMPAT_FIELDS:
                continue
            r = b.resolve(sub.value, scope)
            if r is None or r[1] != "tts.websocket().send()":
                continue
            res = sub.value.value  # type: ignore[attr-defined]
            self.report(
                sub,
                f'4.x `send(..., stream=False)` returns an object, not the 1.x dict: `{res}.{key}`',
                edits=[Replace(sub, f"{res}.{key}")],
                applicability=catalog.UNSAFE,
                statement=stmt,
                fix_message=f"Use {res}.{key}",
            )

    # -- the session ---------------------------------------------------------------------

    def _session_fix(self, site: Site, r: str, is_async: bool) -> Tuple[List[EditRequest], str]:
        outer = site.outer
        assign = site.outer_parent()
        if (
            not isinstance(assign, cst.Assign)
            or assign.value is not outer
            or len(assign.targets) != 1
            or not isinstance(assign.targets[0].target, cst.Name)
        ):
            raise Blocked("the session is not assigned to a plain variable")
        if is_async and not site.awaited:
            raise Blocked("the 2.x async session is not awaited")
        if site.awaited and not is_async:
            raise Blocked("a synchronous client's call is awaited")
        name = assign.targets[0].target.value
        uses = self._uses(name, site.scope, assign.targets[0].target)
        call = site.call
        edits: List[EditRequest] = [
            Replace(call, f"{r}.websocket_connect({self._args_code(call)}).enter()")
        ]
        what: List[str] = []
        taken: Set[str] = set()
        for u in uses:
            attr = u.at(0)
            call_node = u.at(1)
            if not isinstance(attr, cst.Attribute) or attr.value is not u.node or not isinstance(call_node, cst.Call) \
                    or call_node.func is not attr:
                raise Blocked(f"`{name}` is used other than by calling its methods")
            method = attr.attr.value
            after = u.at(2)
            awaited = isinstance(after, cst.Await)
            if awaited:
                after = u.at(3)
            if awaited != is_async and method in ("close", "send"):
                raise Blocked("`{}.{}()` is {}awaited".format(name, method, "" if awaited else "not "))
            if method == "close":
                if not isinstance(after, cst.Expr):
                    raise Blocked(f"the result of `{name}.close()` is used")
                continue
            if method == "send":
                if not isinstance(after, cst.For) or after.iter is not (u.at(2) if awaited else call_node):
                    raise Blocked(f"a `{name}.send(...)` result is stored or passed on (only `for out in {name}.send(...)` "
                                  "loops are rewritten)")
                edits += self._send_loop(after, call_node, name, is_async, taken)
                what.append(f"`{name}.send(...)` loops become `ctx.push(...)` on a context")
                continue
            if method == "context":
                if isinstance(after, cst.Assign) and len(after.targets) == 1 and \
                        isinstance(after.targets[0].target, cst.Name) and after.value is call_node:
                    edits += self._context(after.targets[0].target, u.scope, is_async)
                    what.append("`ctx.receive()` loops skip events without audio")
                    continue
                raise Blocked(f"a `{name}.context(...)` is not assigned to a plain variable")
            raise Blocked(f"`{name}.{method}()` has no 4.x equivalent the fix knows")
        return edits, ("; " + "; ".join(dict.fromkeys(what))) if what else ""

    def _async_contexts(self, site: Site) -> None:
        """A session left as it is: 4.2.0's async wrapper raises "Must call connect() before creating
        context" on ``ws.context()`` unless ``await ws.connect()`` came first; report each one."""
        assign = site.outer_parent()
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 \
                or not isinstance(assign.targets[0].target, cst.Name):
            return
        name = assign.targets[0].target.value
        calls = []
        for u in self.names.get(name, ()):
            if u.scope is not site.scope:
                continue
            attr, call = u.at(0), u.at(1)
            if isinstance(attr, cst.Attribute) and attr.value is u.node and isinstance(call, cst.Call) \
                    and call.func is attr:
                if attr.attr.value == "connect":
                    return
                if attr.attr.value == "context":
                    calls.append((call, _statement(u)))
        for call, stmt in calls:
            self.report(
                call,
                f"On 4.x, `{name}.context()` of the async 2.x-compatible session raises \"Must call connect() before "
                f"creating context\": `await {name}.connect()` first, or open the session with `await "
                f"{self.code(site.receiver)}.websocket_connect().enter()`",  # type: ignore[arg-type]
                statement=stmt,
            )

    def _args_code(self, call: cst.Call) -> str:
        """The arguments of ``websocket(...)`` (4.x: ``extra_query``, ``extra_headers``, options)."""
        if not call.args:
            return ""
        for a in call.args:
            if a.keyword is None or a.keyword.value not in ("extra_query", "extra_headers",
                                                             "websocket_connection_options"):
                raise Blocked("`websocket(...)` arguments the 4.x `websocket_connect()` may not take")
        return ", ".join(f"{a.keyword.value}={self.code(a.value)}" for a in call.args)  # type: ignore[union-attr]

    def _uses(self, name: str, scope: Scope, binding: cst.Name) -> List[_Use]:
        """Every use of ``name`` other than ``binding``: all in ``scope``, none in nested scopes."""
        out = []
        for u in self.names.get(name, ()):
            if u.node is binding:
                continue
            s: Optional[Scope] = u.scope
            if s is scope:
                parent = u.at(0)
                if isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.Global, cst.Nonlocal)) or (
                    isinstance(parent, (cst.For, cst.CompFor, cst.AsName, cst.Param, cst.ImportAlias))
                ):
                    raise Blocked(f"`{name}` is bound more than once")
                if isinstance(parent, cst.Attribute) and parent.attr is u.node:
                    continue  # ``x.ws``: another object's attribute
                if isinstance(parent, cst.Arg) and parent.keyword is u.node:
                    continue  # ``f(ws=...)``
                out.append(u)
                continue
            local = False
            while s is not None and s is not scope:
                local = local or (id(s), name) in self.ctx.bindings._records  # its own variable
                s = s.parent
            if s is scope and not local:
                if isinstance(u.at(0), cst.Attribute) and u.at(0).attr is u.node:  # type: ignore[union-attr]
                    continue
                if isinstance(u.at(0), cst.Arg) and u.at(0).keyword is u.node:  # type: ignore[union-attr]
                    continue
                raise Blocked(f"`{name}` is used in a nested function or class")
        return out

    # -- ``for out in ws.send(..., stream=True):`` -----------------------------------------

    def _send_loop(self, loop: cst.For, send: cst.Call, ws: str, is_async: bool,
                   taken: Set[str]) -> List[EditRequest]:
        if not isinstance(loop.target, cst.Name):
            raise Blocked("the `send` loop does not bind one name")
        ctx_args: List[str] = []
        push_args: List[str] = []
        transcript = None
        for a in send.args:
            if a.star or a.keyword is None:
                raise Blocked(f"`{ws}.send(...)` passes positional or `**` arguments")
            k = a.keyword.value
            v = self.code(a.value)
            if k == "transcript":
                transcript = v
            elif k == "stream":
                if not is_true(a.value):
                    raise Blocked("`stream=False` returns one object with all the audio: use "
                                  "`b\"\".join(e.audio for e in ctx.receive() if e.type == \"chunk\")`")
            elif k == "duration":
                continue
            elif k == "voice_id":
                ctx_args.append(f"voice={v}")
            elif k in TO_CONTEXT:
                ctx_args.append(f"{k}={v}")
            elif k in TO_PUSH:
                push_args.append(f"{k}={v}")
            else:
                raise Blocked(f"`{k}=` has no place in the 4.x context")
        if transcript is None:
            raise Blocked(f"`{ws}.send(...)` has no `transcript=`")
        if not any(x.startswith("voice=") for x in ctx_args):
            raise Blocked(f"`{ws}.send(...)` has no voice ID (`voice=` / `voice_id=`)")
        module = self.ctx.module
        assert module is not None
        ctx_name = fresh_name(module, "ctx")
        while ctx_name in taken:
            ctx_name = fresh_name(module, ctx_name + "_")
        taken.add(ctx_name)
        out = loop.target.value
        body = self._event_body(loop, out)
        aw = "await " if is_async else ""
        stack = self.loops.get(id(loop), ())
        indent = block_indent(module, stack)
        if "\n" in self.code(send):  # the call was laid out over lines: one argument a line
            step = module.default_indent
            args = "\n" + "".join(f"{indent}{step}{a},\n" for a in ctx_args) + indent
        else:
            args = ", ".join(ctx_args)
        lines = [
            f"{ctx_name} = {ws}.context({args})",
            "{}{}.push({})".format(aw, ctx_name, ", ".join([transcript] + push_args)),
            f"{aw}{ctx_name}.no_more_inputs()",
        ]
        new_loop = loop.with_changes(
            iter=cst.parse_expression(f"{ctx_name}.receive()"), body=body, leading_lines=()
        )
        loop_code = code_at(module, new_loop, stack).strip(" \t\r\n")
        text = ("\n" + indent).join(lines) + "\n" + indent + loop_code
        return [Replace(loop, text)]

    # -- ``ctx = ws.context(...)`` --------------------------------------------------------------

    def _context(self, binding: cst.Name, scope: Scope, is_async: bool, depth: int = 0) -> List[EditRequest]:
        name = binding.value
        edits: List[EditRequest] = []
        for u in self._uses(name, scope, binding):
            attr = u.at(0)
            call_node = u.at(1)
            if isinstance(attr, cst.Arg) and depth < 2:
                followed = self._follow(u, is_async, depth)
                if followed is not None:
                    edits += followed
                    continue
            if not isinstance(attr, cst.Attribute) or not isinstance(call_node, cst.Call) \
                    or call_node.func is not attr:
                raise Blocked(f"the context `{name}` is passed on or used other than by calling its methods")
            method = attr.attr.value
            after = u.at(2)
            awaited = isinstance(after, cst.Await)
            if awaited:
                after = u.at(3)
            if method == "receive":
                if not isinstance(after, cst.For) or after.iter is not call_node:
                    raise Blocked(f"`{name}.receive()` is not iterated by a `for` statement")
                if not isinstance(after.target, cst.Name):
                    raise Blocked(f"the `{name}.receive()` loop does not bind one name")
                body = self._event_body(after, after.target.value)
                if body is not after.body:
                    module = self.ctx.module
                    assert module is not None
                    new_loop = after.with_changes(body=body, leading_lines=())
                    edits.append(Replace(after, code_at(module, new_loop, self.loops.get(id(after), ())).strip(" \t\r\n")))
                continue
            if method in CONTEXT_METHODS:
                if method == "send" and not isinstance(after, cst.Expr):
                    raise Blocked("a 1.x context `send(...)` result is used (1.x streamed a text generator and "
                                  f"yielded the audio; 4.x `send()` returns None: `{name}.push(text)` each piece, then "
                                  f"`{name}.no_more_inputs()` and `for out in {name}.receive(): ...`)",
                                  at=call_node, statement=_statement(u))
                if method == "send":
                    edits += _voice_id_to_voice(call_node)
                continue
            raise Blocked(f"`{name}.{method}()` has no 4.x equivalent the fix knows", at=call_node,
                          statement=_statement(u))
        return edits

    def _follow(self, u: _Use, is_async: bool, depth: int) -> Optional[List[EditRequest]]:
        """``listen(ctx)``, where ``listen`` is a function of this file called only there: its
        parameter is the context (``asyncio.create_task(listen(ctx))`` too)."""
        arg = u.at(0)
        call = u.at(1)
        if not isinstance(arg, cst.Arg) or arg.keyword is not None or arg.star or not isinstance(call, cst.Call):
            return None
        if not isinstance(call.func, cst.Name):
            return None
        fname = call.func.value
        defs = self.functions.get(fname, [])
        if len(defs) != 1 or len(self.names.get(fname, ())) != 2:  # the def and this call only
            return None
        fn = defs[0]
        index = next((i for i, a in enumerate(call.args) if a is arg), -1)
        positional = list(fn.params.posonly_params) + list(fn.params.params)
        if any(a.star or a.keyword is not None for a in call.args[:index]) or index >= len(positional):
            return None
        param = positional[index].name
        fscope = next((x.scope for x in self.names.get(param.value, ()) if x.scope.node is fn), None)
        if fscope is None:
            return []  # the parameter is not used
        return self._context(param, fscope, is_async, depth + 1)

    # -- loop bodies over events -----------------------------------------------------------

    def _event_body(self, loop: cst.For, out: str) -> cst.BaseSuite:
        """The loop's body reading 4.x events: the guard first, ``out["audio"]`` -> ``out.audio``."""
        body = loop.body
        if not isinstance(body, cst.IndentedBlock):
            raise Blocked("the loop body is on the `for` line")
        if loop.orelse is not None:
            raise Blocked("the loop has an `else:`")
        stmts = list(body.body)
        if stmts and is_skip_guard(stmts[0], out):
            return body  # already reads 4.x events
        if len(stmts) > 1 and _is_error_raise(stmts[0], out) and is_skip_guard(stmts[1], out):
            return body
        fixer = _AudioReads(out)
        new_body = body.visit(fixer)
        if fixer.blocked:
            raise Blocked(f"the loop reads {fixer.blocked} of its outputs (4.x events carry audio, timestamps and "
                          f"flushes apart: test `{out}.type`)")
        guard = cst.parse_module(
            f'if {out}.type == "error":\n    raise RuntimeError({out}.message)\nif {out}.type != "chunk":\n    continue\n'
            
        ).body
        assert isinstance(new_body, cst.IndentedBlock)
        return new_body.with_changes(body=list(guard) + list(new_body.body))


def _statement(u: _Use) -> Optional[cst.CSTNode]:
    for n in u.up:
        if isinstance(n, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return n
    return None


def _voice_id_to_voice(call: cst.Call) -> List[EditRequest]:
    """1.x ``voice_id=`` -> ``voice=`` in a context ``send`` (4.x requires ``voice``)."""
    names = {a.keyword.value for a in call.args if a.keyword is not None}
    for a in call.args:
        if a.keyword is not None and a.keyword.value == "voice_id" and "voice" not in names:
            return [Replace(a.keyword, "voice")]
    return []


def _is_error_raise(stmt: cst.CSTNode, out: str) -> bool:
    return isinstance(stmt, cst.If) and stmt.orelse is None and is_type_test(stmt.test, out, cst.Equal, "error")


class _AudioReads(cst.CSTTransformer):
    """``OUT["audio"]`` -> ``OUT.audio``; any other use of ``OUT`` blocks the fix."""

    def __init__(self, out: str) -> None:
        super().__init__()
        self.out = out
        self.blocked = ""
        self._ok: Set[int] = set()
        self._stack: List[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._stack.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node, updated_node):  # type: ignore[override]
        out = super().on_leave(original_node, updated_node)
        self._stack.pop()
        return out

    def _audio(self, value: cst.BaseExpression) -> cst.BaseExpression:
        """``OUT.audio or b""``: a 4.x chunk's ``audio`` is None when it carries no data (2.x: ``b""``)."""
        expr = cst.BooleanOperation(
            left=cst.Attribute(value=value, attr=cst.Name("audio")), operator=cst.Or(),
            right=cst.SimpleString('b""'),
        )
        parent = self._stack[-2] if len(self._stack) > 1 else None
        if isinstance(parent, (cst.Arg, cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return, cst.Expr,
                               cst.Element, cst.If, cst.While)):
            return expr
        return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.blocked = self.blocked or "a nested function"
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.blocked = self.blocked or "a lambda"
        return False

    def visit_Arg(self, node: cst.Arg) -> Optional[bool]:
        if node.keyword is not None:
            self._ok.add(id(node.keyword))  # ``f(out=...)``: a keyword, not the variable
        return None

    def visit_Subscript(self, node: cst.Subscript) -> Optional[bool]:
        if self._is_out(node.value) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            key = string_value(node.slice[0].slice.value)
            if key == "audio":
                self._ok.add(id(node.value))
            else:
                self.blocked = self.blocked or "`{}[{}]`".format(self.out, key if key is not None else "...")
        return None

    def visit_Attribute(self, node: cst.Attribute) -> Optional[bool]:
        self._ok.add(id(node.attr))  # ``x.out``: another object's attribute
        if self._is_out(node.value):
            if node.attr.value == "audio":
                self._ok.add(id(node.value))
            else:
                self.blocked = self.blocked or f"`{self.out}.{node.attr.value}`"
        return None

    def visit_Name(self, node: cst.Name) -> Optional[bool]:
        if node.value == self.out and id(node) not in self._ok:
            self.blocked = self.blocked or f"`{self.out}` itself"
        return None

    def visit_AssignTarget(self, node: cst.AssignTarget) -> Optional[bool]:
        if any(isinstance(n, cst.Name) and n.value == self.out for n in _names(node.target)):
            self.blocked = self.blocked or f"a rebinding of `{self.out}`"
        return None

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        if self._is_out(original.value) and id(original.value) in self._ok:
            return self._audio(updated.value)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if self._is_out(original.value) and original.attr.value == "audio":
            parent = self._stack[-2] if len(self._stack) > 1 else None
            if isinstance(parent, cst.BooleanOperation) and parent.left is original and isinstance(parent.operator, cst.Or):
                return updated  # already ``OUT.audio or ...``
            return self._audio(updated.value)
        return updated

    def _is_out(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Name) and node.value == self.out


def _names(node: cst.CSTNode) -> List[cst.CSTNode]:
    if isinstance(node, cst.Name):
        return [node]
    return [n for c in node.children for n in _names(c)]
