"""Shared machinery of the SDK-upgrade rules (CM401-CM415).

A rule collects candidate calls during the traversal (cheaply, by method name), and
decides in ``leave_Module``: by then ``ctx.bindings`` knows every assignment of the
file, so ``client.tts.bytes(...)`` is matched on what ``client`` is (a ``Cartesia``
/ ``AsyncCartesia`` object, see ``cartesia_migrate.bindings``), not on the method name
alone.  Paths name what a call calls, from the client: ``"tts.bytes"``,
``"auth.access_token"``, ``"tts.websocket().send"`` (see ``ScopedBindings``).

Edits are minimal where they can be (a renamed method or keyword replaces one
``Name``) so that other findings in the same call are fixed in the same pass; a call
whose shape changes (``.iter_bytes()`` appended, keywords folded into a dict) is
rewritten whole from its own nodes, which keeps its formatting and comments.
"""

from __future__ import annotations

import re

from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState

from ..bindings import Scope
from ..rule import EditRequest, FileContext, Replace, Rule
from ._strings import plain_body

#: TTS calls whose voice parameter is ``voice`` in 4.x (1.x: ``voice_id=``; 2.x/3.x: a dict)
TTS_VOICE_PATHS: FrozenSet[str] = frozenset(
    {
        "tts.bytes",
        "tts.sse",
        "tts.generate",
        "tts.generate_sse",
        "tts.websocket().send",
        "tts.websocket().context().send",
        "tts.websocket().context().push",
        "tts.websocket().context",
        "tts.websocket_connect()@.context",
        "tts.websocket_connect()@.context().send",
        "tts.websocket_connect()@.context().push",
    }
)

#: TTS calls that take ``language=`` (and ``locale=`` in 4.x)
TTS_LANGUAGE_PATHS: FrozenSet[str] = TTS_VOICE_PATHS


#: The keyword parameters of the 4.x methods CM4xx fixes call, as cartesia 4.2.0 declares them
#: (``cartesia/resources/tts.py``: ``TTSResource.generate`` / ``generate_sse`` / ``infill``;
#: ``cartesia/resources/voice_changer.py``: ``VoiceChangerResource.generate`` / ``generate_sse``;
#: the async resources take the same).  A fix never moves a keyword to a method that lacks it:
#: tests/rules/test_cm4xx.py compares this table with ``inspect.signature`` of the installed 4.2.0.
REQUEST_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})
ACCEPTED_KEYWORDS: Dict[str, FrozenSet[str]] = {
    "tts.generate": frozenset(
        {"model_id", "output_format", "transcript", "voice", "generation_config", "language", "locale",
         "normalization", "pronunciation_dict_id", "save", "speed"}
    ) | REQUEST_OPTIONS,
    "tts.generate_sse": frozenset(
        {"model_id", "output_format", "transcript", "voice", "add_phoneme_timestamps", "add_timestamps",
         "context_id", "generation_config", "language", "locale", "normalization", "pronunciation_dict_id",
         "speed", "use_normalized_timestamps"}
    ) | REQUEST_OPTIONS,
    "tts.infill": frozenset(
        {"language", "left_audio", "model_id", "output_format", "right_audio", "transcript", "voice_id"}
    ) | REQUEST_OPTIONS,
    "voice_changer.generate": frozenset(
        {"clip", "output_format_bit_rate", "output_format_container", "output_format_encoding",
         "output_format_sample_rate", "voice_id"}
    ) | REQUEST_OPTIONS,
}
ACCEPTED_KEYWORDS["voice_changer.generate_sse"] = ACCEPTED_KEYWORDS["voice_changer.generate"]

#: keywords of ``WebSocketContext.send`` / ``AsyncWebSocketContext.send`` in 4.2.0
#: (``cartesia/lib/_tts.py``; it also takes ``**kwargs``, sent to the server unchecked)
WS_CONTEXT_KEYWORDS: FrozenSet[str] = frozenset(
    {"transcript", "voice", "model_id", "output_format", "continue_", "language", "speed", "add_timestamps",
     "add_phoneme_timestamps", "flush", "generation_config"}
)

#: legacy keywords another CM4xx rule rewrites or reports at the same statement (so a fix that
#: renames the method may leave them: the statement keeps a finding until they are gone)
HANDLED_BY: Dict[str, str] = {
    "voice_id": "CM404",
    "voice_embedding": "CM404",
    "_experimental_voice_controls": "CM411",
    "request_options": "CM405",
}

#: legacy keywords with no 4.x equivalent that a fix may drop (which makes it unsafe), and why
DROPPABLE: Dict[str, str] = {
    # 2.x: "the maximum duration of the audio in seconds"; 4.x ``bytes()`` accepts and ignores it
    "duration": "`duration=` has no 4.x equivalent (4.x `bytes()` ignored it) and is dropped",
}


class KeywordCheck:
    """How the keywords of a legacy call fit the 4.x method a fix would call."""

    __slots__ = ("target", "drop", "refused", "star")

    def __init__(self, target: str, drop: List[cst.Arg], refused: List[str], star: bool) -> None:
        self.target = target  # the 4.x method (a key of ``ACCEPTED_KEYWORDS``)
        self.drop = drop  # DROPPABLE keywords the fix removes (unsafe)
        self.refused = refused  # keywords the target lacks and nothing handles: no fix
        self.star = star  # ``**kwargs`` / ``*args``: what they hold is not known

    def added_to(self, msg: str) -> str:
        """``msg`` with the note appended (``"; ..."``), if there is one."""
        note = self.note()
        return f"{msg}; {note}" if note else msg

    def note(self) -> str:
        target = self.target
        parts = [DROPPABLE[a.keyword.value] for a in self.drop if a.keyword is not None]
        if self.refused:
            names = ["`%s=`" % k for k in self.refused if k]
            if "" in self.refused:
                names.append("positional arguments (it takes keywords only)")
            parts.append("not fixed: 4.x `%s()` has no %s" % (_method(target), ", ".join(names)))
        elif self.star:
            parts.append(
                "check what the `**` arguments hold: 4.x `%s()` takes only %s"
                % (_method(target), ", ".join("`%s`" % k for k in sorted(ACCEPTED_KEYWORDS[target] - REQUEST_OPTIONS)))
            )
        return "; ".join(parts)


def _method(target: str) -> str:
    return target.rsplit(".", 1)[-1]


def check_keywords(call: cst.Call, target: str, handled: Iterable[str] = ()) -> KeywordCheck:
    """Keywords of ``call`` that the 4.x method ``target`` (a key of ``ACCEPTED_KEYWORDS``) lacks."""
    accepted = ACCEPTED_KEYWORDS[target]
    extra = set(handled)
    drop: List[cst.Arg] = []
    refused: List[str] = []
    star = False
    for a in call.args:
        if a.star:
            star = True
            continue
        if a.keyword is None:
            refused.append("")  # 4.x methods take keywords only
            continue
        k = a.keyword.value
        if k in accepted or k in extra or k in HANDLED_BY:
            continue
        if k in DROPPABLE:
            drop.append(a)
        else:
            refused.append(k)
    return KeywordCheck(target, drop, refused, star)


#: ``client.tts.with_raw_response.generate(...)`` calls what ``client.tts.generate(...)`` calls
_WRAPPERS = re.compile(r"\.with_(?:raw|streaming)_response(?=\.)")


def sdk_path(path: str) -> str:
    """``path`` with the wrappers that call the same thing taken out: ``with_raw_response`` /
    ``with_streaming_response``, and ``websocket_connect().enter()`` (the connection a ``with``
    block gives, ``...websocket_connect()@``)."""
    return _WRAPPERS.sub("", path).replace("tts.websocket_connect().enter()", "tts.websocket_connect()@")


class Site:
    """A call the rule may report, with what the traversal knew about its place."""

    __slots__ = ("call", "scope", "stack", "statement", "kind", "path")

    def __init__(
        self, call: cst.Call, scope: Scope, stack: Sequence[cst.CSTNode], statement: Optional[cst.CSTNode]
    ) -> None:
        self.call = call
        self.scope = scope
        self.stack = tuple(stack)  # ancestors, nearest last (the call excluded)
        self.statement = statement
        self.kind = ""  # "sync" | "async", once resolved
        self.path = ""  # "tts.bytes", once resolved

    @property
    def parent(self) -> Optional[cst.CSTNode]:
        return self.stack[-1] if self.stack else None

    def ancestor(self, depth: int) -> Optional[cst.CSTNode]:
        return self.stack[-depth] if len(self.stack) >= depth else None

    @property
    def awaited(self) -> bool:
        p = self.parent
        return isinstance(p, cst.Await) and p.expression is self.call

    @property
    def outer(self) -> cst.BaseExpression:
        """The call, or the ``await`` expression around it."""
        return self.parent if self.awaited else self.call  # type: ignore[return-value]

    def outer_parent(self) -> Optional[cst.CSTNode]:
        return self.ancestor(2) if self.awaited else self.parent

    def arg(self, name: str) -> Optional[cst.Arg]:
        return kwarg(self.call, name)

    @property
    def in_async_function(self) -> bool:
        s: Optional[Scope] = self.scope
        while s is not None and s.kind != "function":
            s = s.parent
        return bool(s is not None and s.is_async)

    @property
    def receiver(self) -> Optional[cst.BaseExpression]:
        """``client.tts`` in ``client.tts.bytes(...)``."""
        return self.call.func.value if isinstance(self.call.func, cst.Attribute) else None


def kwarg(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for a in call.args:
        if a.keyword is not None and a.keyword.value == name:
            return a
    return None


def has_star_args(call: cst.Call) -> bool:
    return any(a.star for a in call.args)


def string_value(node: Optional[cst.CSTNode]) -> Optional[str]:
    if node.__class__ is cst.SimpleString:  # (no subclasses; isinstance on libcst's ABCs is slow)
        v = plain_body(node.value)
        if v is not None:
            return v
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            v = node.evaluated_value
        except Exception:  # pragma: no cover - malformed literal
            return None
        return v if isinstance(v, str) else None
    return None


def is_true(node: Optional[cst.CSTNode]) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


class SdkRule(Rule):
    """Collects calls whose method name is in ``METHODS``; ``check(site)`` runs at the end."""

    METHODS: FrozenSet[str] = frozenset()

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.sites: List[Site] = []
        self.name_uses: Dict[str, List[Tuple[cst.Name, Scope, Optional[cst.CSTNode]]]] = {}
        self.for_stacks: Dict[int, Tuple[cst.CSTNode, ...]] = {}

    def visit_For(self, node: cst.For) -> None:
        if self.COLLECT_NAMES:
            self.for_stacks[id(node)] = tuple(self.ctx.stack[:-1])

    #: collect every ``Name`` with its scope and parent (for rules that follow a variable's uses)
    COLLECT_NAMES = False

    # -- collection
    def visit_Name(self, node: cst.Name) -> None:
        if self.COLLECT_NAMES:
            stack = self.ctx.stack
            self.name_uses.setdefault(node.value, []).append(
                (node, self.ctx.bindings.scope, stack[-2] if len(stack) > 1 else None)
            )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        # (class identity: isinstance is slow on libcst's ABCs; Attribute has no subclasses)
        if func.__class__ is cst.Attribute and func.attr.value in self.METHODS:
            self.sites.append(self.site(node))

    def site(self, node: cst.Call) -> Site:
        ctx = self.ctx
        return Site(node, ctx.bindings.scope, ctx.stack[:-1], ctx.enclosing_statement())

    def leave_Module(self, node: cst.Module) -> None:
        b = self.ctx.bindings
        for site in self.sites:
            r = b.call_target(site.call, site.scope)
            if r is None:
                continue
            site.kind, site.path = r[0], sdk_path(r[1])
            self.check(site)
        self.finish()

    def check(self, site: Site) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after every site was checked."""

    # -- helpers
    def code(self, node: cst.CSTNode, where: Optional[Sequence[cst.CSTNode]] = None) -> str:
        """Source of ``node``; with ``where`` (its ancestors), continuation lines keep their indentation."""
        module = self.ctx.module
        assert module is not None
        if not where:
            return module.code_for_node(node)
        return code_at(module, node, where)

    def report_site(
        self,
        site: Site,
        message: str,
        edits: Sequence[EditRequest] = (),
        applicability: Optional[str] = None,
        fix_message: Optional[str] = None,
        node: Optional[cst.CSTNode] = None,
    ) -> None:
        self.report(
            node or site.call,
            message,
            edits=list(_dedupe(edits)),
            applicability=applicability,
            fix_message=fix_message,
            statement=site.statement,
        )

    # -- streaming: 2.x ``bytes()`` chunks consumed as they come ---------------------------------

    def streamed_loop(self, site: Site) -> Optional[Tuple[cst.For, Optional[cst.Name]]]:
        """``(loop, None)`` for ``for chunk in CALL:``; ``(loop, name)`` for ``name = CALL`` whose one
        other use is ``for chunk in name:`` in the same scope.  Sync loops on a sync client; ``async
        for`` on a 2.x async generator (the call not awaited) in an async function.  Needs
        ``COLLECT_NAMES``."""
        if site.awaited:
            return None
        if site.kind == "async" and not site.in_async_function:
            return None
        want_async = site.kind == "async"
        parent = site.parent
        if isinstance(parent, cst.For) and parent.iter is site.call:
            return (parent, None) if (parent.asynchronous is not None) == want_async else None
        if not (isinstance(parent, cst.Assign) and parent.value is site.call and len(parent.targets) == 1
                and isinstance(parent.targets[0].target, cst.Name)):
            return None
        target = parent.targets[0].target
        uses = []
        for node, scope, up in self.name_uses.get(target.value, ()):
            if node is target:
                continue
            if isinstance(up, cst.Attribute) and up.attr is node:
                continue  # ``x.output``
            if isinstance(up, cst.Arg) and up.keyword is node:
                continue  # ``f(output=...)``
            s: Optional[Scope] = scope
            while s is not None and s is not site.scope:
                if (id(s), target.value) in self.ctx.bindings._records:
                    break  # a nested scope's own variable
                s = s.parent
            if s is site.scope:
                uses.append((node, scope, up))
        if len(uses) != 1:
            return None
        node, scope, up = uses[0]
        if scope is not site.scope or not isinstance(up, cst.For) or up.iter is not node:
            return None
        if (up.asynchronous is not None) != want_async:
            return None
        return up, target

    def streamed_loop_edits(self, site: Site, loop: cst.For, var: Optional[cst.Name], func: str,
                            drop: Sequence[cst.Arg] = ()) -> List[EditRequest]:
        """``with FUNC(...) as response: for chunk in response.iter_bytes(): ...`` (``FUNC`` a
        ``with_streaming_response`` method; its context manager sends the request when entered)."""
        module = self.ctx.module
        assert module is not None
        name = fresh_name(module, "response")
        new_call = call_with(site.call, func=cst.parse_expression(func), drop=drop)
        inner = loop.with_changes(iter=cst.parse_expression(name + ".iter_bytes()"), leading_lines=())
        item: cst.BaseExpression = new_call if var is None else cst.Name(var.value)
        stmt = cst.With(
            items=[cst.WithItem(item=item, asname=cst.AsName(name=cst.Name(name)))],
            body=cst.IndentedBlock(body=[inner]),
            asynchronous=cst.Asynchronous() if loop.asynchronous is not None else None,
        )
        stack = site.stack[:-1] if var is None else self.for_stacks.get(id(loop), ())
        edits: List[EditRequest] = [Replace(loop, code_at(module, stmt, stack).strip(" \t\r\n"))]
        if var is not None:
            edits.append(Replace(site.call, self.code(new_call, site.stack)))
        return edits

    def rename_method(self, site: Site, new: str) -> List[EditRequest]:
        func = site.call.func
        assert isinstance(func, cst.Attribute)
        return [Replace(func.attr, new)]


def fresh_name(module: cst.Module, base: str) -> str:
    """``base``, or ``base_2``, ... : a name that occurs nowhere in the module's source."""
    code = module.code
    name, n = base, 1
    while re.search(r"\b%s\b" % re.escape(name), code):
        n += 1
        name = "%s_%d" % (base, n)
    return name


def code_at(module: cst.Module, node: cst.CSTNode, ancestors: Sequence[cst.CSTNode]) -> str:
    """``module.code_for_node(node)`` as it reads inside ``ancestors``' indented blocks."""
    state = CodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
    for n in ancestors:
        if isinstance(n, cst.IndentedBlock):
            state.indent_tokens.append(n.indent if n.indent is not None else module.default_indent)
    node._codegen(state)
    return "".join(state.tokens)


def _dedupe(edits: Iterable[EditRequest]) -> List[EditRequest]:
    out: List[EditRequest] = []
    seen = set()
    for e in edits:
        key = (
            type(e).__name__,
            id(getattr(e, "node", None)),
            getattr(e, "text", None)
            if isinstance(getattr(e, "text", None), str)
            else id(getattr(e, "text", None)),
        )
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


# ---- argument edits ------------------------------------------------------------------
#
# An ``Arg``'s source range excludes its comma (libcst's syntactic position), while its
# ``comma`` node carries the comma and the whitespace after it.  Deleting an argument
# therefore deletes the argument and the right comma, which keeps the layout of
# one-line and one-argument-per-line calls alike.


def remove_args(call: cst.Call, remove: Sequence[cst.Arg]) -> List[EditRequest]:
    """Edits deleting ``remove`` from ``call`` with their commas and the whitespace after them."""
    args = list(call.args)
    drop = {id(a) for a in remove}
    kept = [i for i, a in enumerate(args) if id(a) not in drop]
    last_kept = kept[-1] if kept else -1
    n = len(args)
    edits: List[EditRequest] = []

    def comma_edits(a: cst.Arg, with_space: bool = True) -> List[EditRequest]:
        out: List[EditRequest] = []
        c = a.comma
        if isinstance(c, cst.Comma):
            out += _blank(c.whitespace_before)
            out.append(Replace(c, ""))
            if with_space:
                out += _blank(c.whitespace_after)
        return out

    # A trailing run of removed arguments after a trailing comma: each goes with its own comma, and
    # the last kept argument's comma becomes the trailing one.  (So that the edits of two findings
    # removing neighbouring arguments compose: identical edits are applied once.)
    trailing_comma = bool(kept) and last_kept < n - 1 and isinstance(args[-1].comma, cst.Comma)
    for i, a in enumerate(args):
        if id(a) not in drop:
            continue
        edits.append(Replace(a, ""))
        edits += _blank(a.whitespace_after_arg) if i < n - 1 else []
        if not kept:
            edits += comma_edits(a, with_space=i < n - 1)
        elif trailing_comma and i > last_kept:
            edits += comma_edits(a, with_space=i < n - 1)
        elif i < last_kept or i < n - 1:
            # before a kept argument, or inside the trailing run (whose very last keeps its own comma)
            edits += comma_edits(a)
    if trailing_comma:
        c = args[last_kept].comma
        if isinstance(c, cst.Comma):
            edits += _blank(c.whitespace_after)
    elif kept and last_kept < n - 1:
        edits += comma_edits(args[last_kept])
    return _dedupe(edits)


def _blank(ws: object) -> List[EditRequest]:
    """Delete a whitespace node unless it is already empty."""
    if isinstance(ws, cst.SimpleWhitespace) and not ws.value:
        return []
    if isinstance(ws, cst.CSTNode):
        return [Replace(ws, "")]
    return []


def rename_kwarg(arg: cst.Arg, new: str) -> List[EditRequest]:
    assert arg.keyword is not None
    return [Replace(arg.keyword, new)]


def call_with(
    call: cst.Call,
    func: Optional[cst.BaseExpression] = None,
    drop: Sequence[cst.Arg] = (),
    replace: Optional[Dict[int, cst.Arg]] = None,
    append: Sequence[cst.Arg] = (),
) -> cst.Call:
    """A copy of ``call`` with another callee, some arguments dropped / replaced / appended.

    Commas follow the original layout: the new last argument takes the original last
    argument's trailing comma and whitespace.
    """
    replace = replace or {}
    drop_ids = {id(a) for a in drop}
    args = [replace.get(id(a), a) for a in call.args if id(a) not in drop_ids] + list(append)
    orig_last = call.args[-1] if call.args else None
    sep = _separator(call)
    out = []
    for i, a in enumerate(args):
        if i == len(args) - 1:
            if orig_last is not None:
                a = a.with_changes(comma=orig_last.comma, whitespace_after_arg=orig_last.whitespace_after_arg)
            else:
                a = a.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        elif not isinstance(a.comma, cst.Comma):
            a = a.with_changes(comma=sep, whitespace_after_arg=cst.SimpleWhitespace(""))
        out.append(a)
    return call.with_changes(func=func if func is not None else call.func, args=out)


def _separator(call: cst.Call) -> cst.Comma:
    """The comma (with its whitespace) the call already uses between arguments."""
    for a in call.args[:-1]:
        if isinstance(a.comma, cst.Comma):
            return a.comma
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def kw_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


# ---- contexts ------------------------------------------------------------------------


def iterated(expr: cst.CSTNode, parent: Optional[cst.CSTNode], grandparent: Optional[cst.CSTNode]) -> bool:
    """``for x in EXPR``, ``[... for x in EXPR]``, ``b"".join(EXPR)``, ``list(EXPR)``."""
    if isinstance(parent, cst.For) and parent.iter is expr:
        return True
    if isinstance(parent, cst.CompFor) and parent.iter is expr:
        return True
    if isinstance(parent, cst.Arg) and isinstance(grandparent, cst.Call) and len(grandparent.args) == 1:
        fn = grandparent.func
        if isinstance(fn, cst.Attribute) and fn.attr.value == "join":
            return True
        if isinstance(fn, cst.Name) and fn.value in ("list", "tuple"):
            return True
    return False


def needs_parens_for_await(parent: Optional[cst.CSTNode], expr: cst.CSTNode) -> bool:
    """Whether ``await EXPR`` must be parenthesized where ``expr`` stands."""
    if isinstance(parent, cst.Attribute) and parent.value is expr:
        return True
    if isinstance(parent, cst.Subscript) and parent.value is expr:
        return True
    if isinstance(parent, cst.Call) and parent.func is expr:
        return True
    if isinstance(parent, (cst.BinaryOperation, cst.UnaryOperation)):
        return True
    return False


# ---- voice dict literals ---------------------------------------------------------------


def dict_items(node: cst.CSTNode) -> Optional[List[Tuple[str, cst.BaseExpression]]]:
    """``[(key, value)]`` of a dict display with string keys or ``dict(k=v)``; None otherwise."""
    cls = node.__class__  # (identity: isinstance is slow on libcst's ABCs; no subclasses)
    if cls is cst.Dict:
        out = []
        for el in node.elements:
            if not isinstance(el, cst.DictElement):
                return None
            k = string_value(el.key)
            if k is None:
                return None
            out.append((k, el.value))
        return out
    if cls is cst.Call and node.func.__class__ is cst.Name and node.func.value == "dict":
        out = []
        for a in node.args:
            if a.keyword is None or a.star:
                return None
            out.append((a.keyword.value, a.value))
        return out
    return None


def voice_dict(node: cst.CSTNode) -> Optional[Tuple[str, Dict[str, cst.BaseExpression]]]:
    """``("id", items)`` / ``("embedding", items)`` for ``{"mode": ..., ...}`` voice specifiers."""
    items = dict_items(node)
    if items is None:
        return None
    d = dict(items)
    if len(d) != len(items):
        return None
    mode = string_value(d.get("mode"))
    if mode == "id" and "id" in d:
        return "id", d
    if mode == "embedding" or (mode is None and "embedding" in d and "id" not in d):
        return "embedding", d
    return None


# ---- loops over streamed events ----------------------------------------------------------


def is_type_test(test: cst.BaseExpression, ev: str, op: type, value: str) -> bool:
    """``EV.type == "chunk"`` (``op`` ``cst.Equal``) / ``EV.type != "chunk"`` (``cst.NotEqual``)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    c = test.comparisons[0]
    left = test.left
    return (
        isinstance(c.operator, op)
        and isinstance(left, cst.Attribute)
        and left.attr.value == "type"
        and isinstance(left.value, cst.Name)
        and left.value.value == ev
        and string_value(c.comparator) == value
    )


def is_skip_guard(stmt: cst.CSTNode, ev: str) -> bool:
    """``if EV.type != "chunk": continue`` (what the CM402 fix inserts)."""
    if not isinstance(stmt, cst.If) or stmt.orelse is not None or not is_type_test(stmt.test, ev, cst.NotEqual, "chunk"):
        return False
    body = stmt.body.body
    if len(body) != 1:
        return False
    only = body[0]
    if isinstance(only, cst.SimpleStatementLine):
        return len(only.body) == 1 and isinstance(only.body[0], cst.Continue)
    return isinstance(only, cst.Continue)


class EventUses:
    """How the body of ``for EV in <stream>:`` reads ``EV``.

    ``unguarded``: ``EV.data`` / ``EV.audio`` reads not under ``if EV.type == "chunk":`` (or after
    ``if EV.type != "chunk": continue``); ``other``: any other use of ``EV`` (``.type``, a
    timestamp field, ``EV`` itself).  Code in nested functions and classes counts as ``other``.
    """

    AUDIO_FIELDS = ("data", "audio")

    def __init__(self, loop: cst.For, ev: str) -> None:
        self.ev = ev
        self.unguarded: List[cst.CSTNode] = []
        self.escapes: List[cst.CSTNode] = []  # ``kept.append(EV)`` / ``yield EV`` outside a chunk test
        self.other = False
        self._block(loop.body, False)
        if loop.orelse is not None:
            self._walk(loop.orelse, False)

    def _block(self, block: cst.BaseSuite, guarded: bool) -> None:
        if isinstance(block, cst.IndentedBlock):
            for stmt in block.body:
                if not guarded and is_skip_guard(stmt, self.ev):
                    guarded = True
                    continue
                self._walk(stmt, guarded)
        else:
            self._walk(block, guarded)

    def _walk(self, node: cst.CSTNode, guarded: bool) -> None:
        ev = self.ev
        cls = node.__class__
        if cls is cst.If:
            if is_type_test(node.test, ev, cst.Equal, "chunk"):
                self._block(node.body, True)
                if node.orelse is not None:
                    self._walk(node.orelse, guarded)
                return
        if cls in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            if _mentions(node, ev):
                self.other = True
            return
        if (
            cls is cst.Call
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "append"
            and len(node.args) == 1
            and isinstance(node.args[0].value, cst.Name)
            and node.args[0].value.value == ev
        ) or (cls is cst.Yield and isinstance(node.value, cst.Name) and node.value.value == ev):
            if not guarded:
                self.escapes.append(node)
            if cls is cst.Call:
                self._walk(node.func, guarded)
            return
        if (
            cls is cst.Subscript
            and isinstance(node.value, cst.Name)
            and node.value.value == ev
            and len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Index)
            and string_value(node.slice[0].slice.value) == "audio"
        ):  # 1.x ``chunk["audio"]`` (CM402 rewrites it to ``chunk.audio or b""``)
            if not guarded:
                self.unguarded.append(node)
            return
        if cls is cst.Attribute and isinstance(node.value, cst.Name) and node.value.value == ev:
            if node.attr.value in self.AUDIO_FIELDS:
                if not guarded:
                    self.unguarded.append(node)
            else:
                self.other = True
            return
        if cls is cst.Name and node.value == ev:
            self.other = True
            return
        if cls is cst.Attribute:  # ``x.ev``: another object's attribute
            self._walk(node.value, guarded)
            return
        if cls is cst.Arg and node.keyword is not None:  # ``f(ev=...)``: a keyword
            self._walk(node.value, guarded)
            return
        for child in node.children:
            self._walk(child, guarded)


def _mentions(node: cst.CSTNode, name: str) -> bool:
    if isinstance(node, cst.Name):
        return node.value == name
    return any(_mentions(c, name) for c in node.children)


def bare_or_parenthesized(parent: Optional[cst.CSTNode], text: str) -> str:
    """``text`` (an ``a or b`` expression) as it may stand under ``parent``."""
    if isinstance(parent, (cst.Arg, cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return, cst.Expr,
                           cst.Element, cst.Yield, cst.Param)):
        return text
    return "(%s)" % text
