"""CM202 api-key-to-client: the Cartesia API key sent where a browser or device receives it.

A small, file-local data flow, computed in the shared traversal without scope metadata:

- **sources**: ``os.environ["CARTESIA_API_KEY"]``, ``os.getenv(...)``/``environ.get(...)``/
  ``X.get(...)`` and ``X[...]`` of a name with ``cartesia`` and ending in ``key``
  (``app.config["CARTESIA_API_KEY"]``, ``st.secrets[...]``), attributes and names named for
  it (``settings.cartesia_api_key``, ``config.cartesia.api_key``, ``CARTESIA_API_KEY``), the
  ``.api_key`` of a Cartesia client, and key literals (``"sk_car_…"``);
- **propagation**: assignments (any number, to names, tuples, ``self.`` attributes and other
  attribute chains, subscript stores into a container), f-strings, ``+``/``%``,
  ``.format()``, ``str()``/``dict()``/``json.dumps()``, containers and ``a or b``.  Names
  are resolved per function (parameters and local assignments shadow module names; class
  bodies are not visible from methods, ``self.x`` is per class);
- **sinks**: the return value of a web handler (Flask/FastAPI/aiohttp/Sanic route decorators,
  class-based views), arguments of response constructors (``jsonify``, ``JSONResponse``,
  ``JsonResponse``, ``HttpResponse``, ``web.json_response``, framework ``Response``...),
  template contexts (``render_template``, ``TemplateResponse``, Django ``render``), HTML/JS
  text (f-strings, ``+``, ``%`` and ``.format()`` around ``<script``, ``const x =``...),
  ``send_json``/``send_text``/``send_str`` on the WebSocket a route handler received, and
  Streamlit/Gradio components and Gradio event handlers' return values.

The flow is solved once at the end of the module (a fixpoint over the recorded assignments),
so definition order does not matter.  No fix: the remedy is a token endpoint.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from ._model_ids import string_value
from ..bindings import dotted_name
from ..rule import Rule
from ._prefilter import BETWEEN, ESCAPE, IMPORTS_CARTESIA, any_of, fold, ident, pattern, pattern_any, suffixes
from .cm201_hardcoded_api_key import is_key_literal, is_test_path

MESSAGE = ("Cartesia API key %s, so a browser or end-user device receives it: keep the key on the "
           "server and send a short-lived Access Token instead "
           "(`client.access_token.create(grants={\"tts\": True}, expires_in=600).token`)")

ROUTE_ATTRS = {"route", "get", "post", "put", "patch", "delete", "head", "options", "api_route",
               "websocket", "websocket_route", "view", "add_route"}
VIEW_BASES = {"MethodView", "View", "HTTPEndpoint", "APIView", "Resource", "TemplateView"}
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "get_context_data"}
WEB_ROOTS = {"flask", "fastapi", "starlette", "django", "aiohttp", "rest_framework", "werkzeug", "sanic",
             "quart", "litestar", "aiohttp_jinja2", "tornado"}
RESPONSE_NAMES = {"jsonify", "make_response", "JSONResponse", "HTMLResponse", "PlainTextResponse",
                  "ORJSONResponse", "UJSONResponse", "StreamingResponse", "Response", "JsonResponse",
                  "HttpResponse", "StreamingHttpResponse", "json_response", "HTTPResponse", "html", "json",
                  "text"}
# names distinctive enough to count even when their import is not visible
UNAMBIGUOUS = {"jsonify", "make_response", "JSONResponse", "HTMLResponse", "PlainTextResponse",
               "ORJSONResponse", "UJSONResponse", "JsonResponse", "HttpResponse", "json_response",
               "render_template", "render_template_string", "TemplateResponse", "render_to_response",
               "render_to_string"}
TEMPLATE_NAMES = {"render_template", "render_template_string", "TemplateResponse", "render_to_response",
                  "render_to_string", "render"}
NOT_BODY_KEYWORDS = {"status", "status_code", "mimetype", "media_type", "content_type", "reason"}
STREAMLIT_SERVER_SIDE = {"secrets", "session_state", "cache_data", "cache_resource", "cache", "set_page_config",
                         "stop", "rerun", "experimental_rerun", "connection", "experimental_connection",
                         "fragment", "query_params", "logger"}
GRADIO_SERVER_SIDE = {"State", "Blocks", "Row", "Column", "Tab", "Tabs", "Group", "Accordion", "Interface",
                      "ChatInterface", "TabbedInterface", "Request", "Progress", "Server", "on", "load"}
GRADIO_CALLS = {"update", "Info", "Warning", "Error"}
GRADIO_EVENTS = {"click", "change", "submit", "input", "select", "upload", "load", "then", "success", "blur"}
WS_SENDS = {"send_json", "send_text", "send_str"}  # Starlette/FastAPI and aiohttp server WebSockets
PROPAGATING_CALLS = {"str", "dict", "list", "tuple", "json.dumps", "base64.b64encode", "urlencode",
                     "urllib.parse.urlencode"}
PROPAGATING_METHODS = {"strip", "lstrip", "rstrip", "encode", "decode", "get_secret_value", "copy"}
HTML_RE = re.compile(
    r"<\s*/?\s*(?:script|html|body|head|div|span|input|meta|iframe|button|form|p|a|template|code|pre)\b"
    r"|\b(?:window|document|localStorage|sessionStorage)\.|\b(?:const|let|var)\s+[A-Za-z_$][\w$]*\s*="
    r"|new\s+WebSocket\s*\(|\bfetch\s*\(", re.I)
MAX_DEPTH = 60
# The prefilter (a necessary condition; see rules/_prefilter.py) is a source and a sink.
# HTML/JS text for HTML_RE (re.I) on literals joined over "+", or f-string text joined around its
# fields: "<", a backslash (escapes), a match as written, or a literal (or f-string text after a
# field) that starts with the rest of a match split over several
_WS = r"(?:\s|[\x80-\xff])"
_JS_OBJECTS = ("window", "document", "localstorage", "sessionstorage")
_TRIPLE = r"""[+("']""" + BETWEEN + r"""[a-z]{0,2}(?:\"\"\"|''')[\w$\s\x80-\xff]*="""
_HTML = any_of(
    pattern("<", "<"), pattern(r"\\", "\\"),
    *[pattern(r"%s\." % fold(w), *(h.decode() for h in fold(w).hints[0])) for w in _JS_OBJECTS],
    *[pattern(fold(w) + _WS, w[:2]) for w in ("const", "let", "var")],
    *[pattern(r"%s%s*\(" % (fold(w), _WS), "(") for w in ("websocket", "fetch")],
    pattern(r"[\"'}](?:%s)?\." % "|".join(suffixes(w) for w in _JS_OBJECTS), "."),
    pattern(r"[\"'}](?:%s|%s)?%s*\(" % (suffixes("websocket"), suffixes("fetch"), _WS), "("),
    # "const x =" split: the rest starts a literal (on its first line, unless the literal is
    # triple-quoted: then it follows "+", "(" or another literal) or f-string text after a field
    pattern(r"[\"'}][\w$ \t\f\v\x80-\xff]*=", "="),
    pattern_any(_TRIPLE, ("=", '"""'), ("=", "'''")))
_SINK = any_of(ident(*(WEB_ROOTS | {"streamlit", "gradio"})), ident(*UNAMBIGUOUS), ident(*VIEW_BASES), _HTML)
#: a triple-quoted f-string whose text after a field starts with the rest of "const x =" over lines
_SINK_F = (any_of(pattern(r"(?:[fF][rR]?|[rR][fF])'''", "'''"), pattern(r'(?:[fF][rR]?|[rR][fF])"""', '"""')),
           pattern(r"\}[\w$\s\x80-\xff]*=", "}", "="))
#: a route decorator: @x.get("/...") / @x.route("") / @aiohttp_jinja2.template(...)
_ROUTE = (pattern("@", "@"), ident(*(ROUTE_ATTRS | {"template"})),
          any_of(pattern(r"""["'](?:/|["'])"""), "jinja", ESCAPE))
#: key sources: a name, string or path (``a.b["c: d"]``, ``x.get("c")``) with cartesia and ending in
#: key (key_named: "cartesia" and "key", the k maybe a Kelvin sign), ``client.api_key``, a key
#: literal, an escaped string
_SOURCES = (("cartesia", fold("key")), (any_of("(?-i:sk_car_)", ESCAPE),), (IMPORTS_CARTESIA, ident("api_key")))


def key_named(parts: List[str]) -> bool:
    """``CARTESIA_API_KEY``, ``settings.cartesia_api_key``, ``config.cartesia.api_key``."""
    if not parts:
        return False
    last = parts[-1].lower().replace("-", "_")
    if not last.endswith("key"):
        return False
    if "cartesia" in last:
        return True
    return last in ("api_key", "apikey", "key") and any("cartesia" in p.lower() for p in parts[:-1])


def _string(node: cst.CSTNode) -> Optional[str]:
    return string_value(node) if isinstance(node, cst.SimpleString) else None


def _path(node: cst.CSTNode) -> Optional[List[str]]:
    """Components of ``a.b["c"].d`` (string subscripts included), else None."""
    parts: List[str] = []
    while True:
        if isinstance(node, cst.Attribute):
            parts.append(node.attr.value)
            node = node.value
        elif isinstance(node, cst.Subscript):
            if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
                return None
            s = _string(node.slice[0].slice.value)
            if s is None:
                return None
            parts.append(s)
            node = node.value
        elif isinstance(node, cst.Name):
            parts.append(node.value)
            return list(reversed(parts))
        else:
            return None


class _Scope:
    __slots__ = ("kind", "parent", "locals", "globals", "cls", "self_name", "handler", "name", "params")

    def __init__(self, kind: str, parent: Optional["_Scope"]) -> None:
        self.kind = kind
        self.parent = parent
        self.locals: Set[str] = set()
        self.globals: Set[str] = set()
        self.cls: Optional[_Scope] = None  # methods: the class scope
        self.self_name: Optional[str] = None
        self.handler: Optional[str] = None  # web handlers: how to name them in the message
        self.name = ""
        self.params: Set[str] = set()

    @property
    def module(self) -> "_Scope":
        s = self
        while s.parent is not None:
            s = s.parent
        return s


Key = Tuple[object, str]


class ApiKeyToClient(Rule):
    CODE = "CM202"
    # a source (a name or string with cartesia and ending in key, client.api_key, a key literal) and
    # a sink: a web/UI library import, an unambiguous response/template call, a view class, HTML/JS
    # text (maybe split over +, f-string fields or escapes), or a route decorator ("/..." or "" path)
    PREFILTER = tuple(source + sink for source in _SOURCES for sink in ((_SINK,), _SINK_F, _ROUTE))

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.scope = _Scope("module", None)
        self.imports: Dict[str, str] = {}
        self.assigns: List[Tuple[_Scope, cst.CSTNode, List[cst.CSTNode]]] = []
        # (scope, value nodes, where, statement, ancestors' ids for HTML sinks)
        self.sinks: List[Tuple[_Scope, List[cst.CSTNode], str, Optional[cst.CSTNode], Optional[Set[int]]]] = []
        self.strict = is_test_path(ctx.path)
        self.taint: Set[Key] = set()
        # every function's return values; sinks when the function is a handler (known at the end:
        # a Gradio event handler is named by a later .click(fn=...))
        self.returns: List[Tuple[_Scope, cst.CSTNode, Optional[cst.CSTNode]]] = []
        self.gradio_handlers: Set[str] = set()

    # ---- imports -----------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for a in node.names:
            full = dotted_name(a.name)
            if not full:
                continue
            if a.asname is not None and isinstance(a.asname.name, cst.Name):
                self.imports[a.asname.name.value] = full
                self.scope.locals.add(a.asname.name.value)
            else:
                head = full.split(".")[0]
                self.imports[head] = head
                self.scope.locals.add(head)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        mod = dotted_name(node.module)
        for a in node.names:
            if not isinstance(a.name, cst.Name):
                continue
            local = a.asname.name.value if a.asname is not None and isinstance(a.asname.name, cst.Name) \
                else a.name.value
            self.imports[local] = "%s.%s" % (mod, a.name.value)
            self.scope.locals.add(local)

    def _qualify(self, func: cst.CSTNode) -> Tuple[Optional[str], bool]:
        """(qualified or dotted name, resolved through an import?)"""
        dotted = dotted_name(func)
        if dotted is None:
            return None, False
        head, _, rest = dotted.partition(".")
        if head in self.imports:
            return self.imports[head] + ("." + rest if rest else ""), True
        return dotted, False

    # ---- scopes ------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.locals.add(node.name.value)
        s = _Scope("class", self.scope)
        bases = {(dotted_name(a.value) or "").rpartition(".")[2] for a in node.bases}
        s.handler = "view" if bases & VIEW_BASES else None
        self.scope = s

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope = self.scope.parent

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.locals.add(node.name.value)
        s = _Scope("function", self.scope)
        params = node.params
        names = [p.name.value for p in list(params.posonly_params) + list(params.params) + list(params.kwonly_params)]
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                names.append(star.name.value)
        s.locals.update(names)
        s.name = node.name.value
        s.params = set(names)
        if self.scope.kind == "class":
            s.cls = self.scope
            s.self_name = names[0] if names else None
            if self.scope.handler and node.name.value in HTTP_METHODS:
                s.handler = "the %s method of a class-based view" % node.name.value
        if s.handler is None and self._is_route(node):
            s.handler = "the web handler `%s`" % node.name.value
        self.scope = s

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scope = self.scope.parent

    def visit_Lambda(self, node: cst.Lambda) -> None:
        s = _Scope("function", self.scope)
        s.locals.update(p.name.value for p in node.params.params)
        self.scope = s

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scope = self.scope.parent

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.globals.update(n.name.value for n in node.names)

    @staticmethod
    def _is_route(node: cst.FunctionDef) -> bool:
        for d in node.decorators:
            dec = d.decorator
            if not isinstance(dec, cst.Call) or not isinstance(dec.func, cst.Attribute):
                continue
            attr = dec.func.attr.value
            if attr == "template" and "jinja" in (dotted_name(dec.func.value) or "").lower():
                return True  # @aiohttp_jinja2.template("page.html"): the return value is the context
            if attr not in ROUTE_ATTRS or not dec.args:
                continue
            first = _string(dec.args[0].value)
            if first is not None and (first == "" or first.startswith("/")):
                return True
        return False

    # ---- assignments -------------------------------------------------------------------
    def _bind_local(self, target: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.scope.locals.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for e in target.elements:
                self._bind_local(e.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_local(target.value)

    def _record(self, target: cst.CSTNode, value: cst.CSTNode) -> None:
        self._bind_local(target)
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) and \
                len(target.elements) == len(value.elements):
            for t, v in zip(target.elements, value.elements):
                self._record(t.value, v.value)
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            return  # unpacking of an unknown value: nothing known
        self.assigns.append((self.scope, target, [value]))

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            self._record(t.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._record(node.target, node.value)
        else:
            self._bind_local(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._record(node.target, node.value)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._record(node.target, node.value)

    def visit_For(self, node: cst.For) -> None:
        self._bind_local(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_local(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_local(node.name.name)

    # ---- sinks -------------------------------------------------------------------------
    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and self.scope.kind == "function" and self.scope.name:
            self.returns.append((self.scope, node.value, self.ctx.enclosing_statement()))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("update", "setdefault", "append", "extend",
                                                                     "add", "insert"):
            # d.update(key=k) / items.append(k): the container now holds the key
            self.assigns.append((self.scope, func.value, [a.value for a in node.args]))
        if isinstance(func, cst.Attribute) and func.attr.value == "format":
            text = _string(func.value)
            if text is not None and HTML_RE.search(text):
                self._html_sink(node, [a.value for a in node.args])
        self._gradio_event(node)
        where = self._call_sink(func) or self._websocket_send(func)
        if where is None:
            return
        values = [a.value for a in node.args
                  if a.keyword is None or a.keyword.value not in NOT_BODY_KEYWORDS]
        if values:
            self.sinks.append((self.scope, values, where, self.ctx.enclosing_statement(), None))

    def _call_sink(self, func: cst.CSTNode) -> Optional[str]:
        q, resolved = self._qualify(func)
        if q is None:
            return None
        parts = q.split(".")
        last, root = parts[-1], parts[0]
        shown = dotted_name(func)
        if root == "streamlit" and resolved:
            if len(parts) > 1 and parts[1] not in STREAMLIT_SERVER_SIDE and last not in STREAMLIT_SERVER_SIDE:
                return "is shown by the Streamlit call `%s()`" % shown
            return None
        if root == "gradio" and resolved:
            if (last[:1].isupper() and last not in GRADIO_SERVER_SIDE) or last in GRADIO_CALLS:
                return "is shown by the Gradio component `%s()`" % shown
            return None
        web = resolved and root in WEB_ROOTS
        if last in TEMPLATE_NAMES:
            if web or (last in UNAMBIGUOUS and (not resolved or last == "TemplateResponse")):
                return "is put in the template context of `%s()`" % shown
            return None
        if last in RESPONSE_NAMES and (web or (not resolved and last in UNAMBIGUOUS)):
            return "is in the response of `%s()`" % shown
        return None

    def _websocket_send(self, func: cst.CSTNode) -> Optional[str]:
        """``await websocket.send_json(...)`` on the socket a WebSocket route handler received."""
        if not isinstance(func, cst.Attribute) or func.attr.value not in WS_SENDS or \
                not isinstance(func.value, cst.Name):
            return None
        s: Optional[_Scope] = self.scope
        while s is not None and s.kind == "function":
            if s.handler and func.value.value in s.params:
                return "is sent over the WebSocket of %s" % s.handler
            s = s.parent
        return None

    def _gradio_event(self, node: cst.Call) -> None:
        """``btn.click(fn=show, ...)`` / ``gr.Interface(fn=show, ...)``: show's return value is displayed."""
        func = node.func
        if func.__class__ is not cst.Attribute or "gradio" not in self.imports.values():  # (no subclasses)
            return
        q, resolved = self._qualify(func)
        if not (func.attr.value in GRADIO_EVENTS or
                (resolved and q in ("gradio.Interface", "gradio.ChatInterface"))):
            return
        fn = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "fn"),
                  node.args[0].value if node.args and node.args[0].keyword is None else None)
        if isinstance(fn, cst.Name):
            self.gradio_handlers.add(fn.value)

    def _html_sink(self, node: cst.CSTNode, values: List[cst.CSTNode]) -> None:
        if values:
            ancestors = {id(n) for n in self.ctx.stack} | {id(node)}
            self.sinks.append((self.scope, values, "is embedded in HTML/JS text", self.ctx.enclosing_statement(),
                               ancestors))

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        text = "".join(p.value for p in node.parts if isinstance(p, cst.FormattedStringText))
        if HTML_RE.search(text):
            self._html_sink(node, [p.expression for p in node.parts
                                   if isinstance(p, cst.FormattedStringExpression)])

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        op = node.operator
        if isinstance(op, cst.Modulo):
            text = _string(node.left)
            if text is not None and HTML_RE.search(text):
                self._html_sink(node, [node.right])
            return
        if not isinstance(op, cst.Add):
            return
        parent = self.ctx.parent()
        if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add):
            return  # the outermost + of a chain decides
        leaves: List[cst.CSTNode] = []
        stack: List[cst.CSTNode] = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, cst.BinaryOperation) and isinstance(n.operator, cst.Add) and not n.lpar:
                stack.extend((n.right, n.left))
            else:
                leaves.append(n)
        text = "".join(_string(n) or "" for n in leaves)
        if HTML_RE.search(text):
            self._html_sink(node, [n for n in leaves if _string(n) is None])

    # ---- the flow, solved at the end ---------------------------------------------------
    def leave_Module(self, original_node: cst.Module) -> None:
        for scope, value, stmt in self.returns:
            where = scope.handler
            if where is None and scope.name in self.gradio_handlers and scope.parent is not None and \
                    scope.parent.kind != "class":
                where = "the Gradio event handler `%s`" % scope.name
            if where is not None:
                self.sinks.append((scope, [value], "is returned by %s" % where, stmt, None))
        if not self.sinks:
            return
        changed = True
        rounds = 0
        while changed and rounds <= len(self.assigns):
            changed = False
            rounds += 1
            for scope, target, values in self.assigns:
                key = self._target_key(target, scope)
                if key is None or key in self.taint:
                    continue
                if any(self._tainted(v, scope, 0) for v in values):
                    self.taint.add(key)
                    changed = True
        reported: Set[int] = set()
        # response/template/return sinks first: an HTML string inside one is the same leak
        for scope, values, where, stmt, ancestors in sorted(self.sinks, key=lambda s: s[4] is not None):
            if ancestors is not None and ancestors & reported:
                continue
            for v in values:
                if id(v) in reported or not self._tainted(v, scope, 0):
                    continue
                reported.add(id(v))
                self.report(v, MESSAGE % where, statement=stmt)

    def _target_key(self, target: cst.CSTNode, scope: _Scope) -> Optional[Key]:
        if isinstance(target, cst.Name):
            n = target.value
            if n in scope.globals:
                return (scope.module, n)
            if scope.kind == "class":
                return (scope, "self." + n)  # a class attribute, read as self.NAME
            return (scope, n)
        if isinstance(target, cst.Subscript):
            return self._target_key(target.value, scope)  # a store into a container taints it
        if isinstance(target, cst.Attribute):
            return self._attr_key(target, scope)
        return None

    def _attr_key(self, node: cst.Attribute, scope: _Scope) -> Optional[Key]:
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        method = scope
        while method is not None and method.kind == "function" and method.cls is None:
            method = method.parent  # a closure inside a method sees its self
        if method is not None and method.cls is not None and head == method.self_name:
            return (method.cls, "self." + rest)
        if scope.kind == "class" and head in ("self", "cls"):
            return (scope, "self." + rest)
        return ("*", dotted)

    def _name_key(self, name: str, scope: _Scope) -> Key:
        s: Optional[_Scope] = scope
        while s is not None:
            if s.parent is None:
                return (s, name)
            if name in s.globals:
                return (s.module, name)
            if (s.kind != "class" or s is scope) and name in s.locals:
                return (s, name)
            s = s.parent
        return (scope.module, name)

    def _tainted(self, node: cst.CSTNode, scope: _Scope, depth: int) -> bool:
        if depth > MAX_DEPTH:
            return False
        d = depth + 1
        if isinstance(node, cst.Name):
            if key_named([node.value]):
                return True
            k = self._name_key(node.value, scope)
            if k in self.taint:
                return True
            # a class body's NAME is also self.NAME
            return k[0] is not None and getattr(k[0], "kind", "") == "class" and \
                (k[0], "self." + node.value) in self.taint
        if isinstance(node, cst.Attribute):
            p = _path(node)
            if p is not None and key_named(p):
                return True
            if node.attr.value == "api_key" and self.ctx.bindings is not None and \
                    self.ctx.bindings.client_kind(node.value):
                return True  # client.api_key
            k = self._attr_key(node, scope)
            return k is not None and k in self.taint
        if isinstance(node, cst.Subscript):
            p = _path(node)
            if p is not None and key_named(p):
                return True  # os.environ["CARTESIA_API_KEY"], app.config[...], st.secrets[...]
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                idx = _string(node.slice[0].slice.value)
                if idx is not None and idx.lower().endswith("key"):
                    return self._tainted(node.value, scope, d)  # creds["api_key"] of a tainted dict
            return False
        if isinstance(node, cst.Call):
            return self._call_tainted(node, scope, d)
        if isinstance(node, cst.SimpleString):
            v = _string(node)
            return v is not None and "sk_car_" in v and is_key_literal(v, self.strict)
        if isinstance(node, cst.FormattedString):
            return any(self._tainted(p.expression, scope, d) for p in node.parts
                       if isinstance(p, cst.FormattedStringExpression))
        if isinstance(node, cst.ConcatenatedString):
            return self._tainted(node.left, scope, d) or self._tainted(node.right, scope, d)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, (cst.Add, cst.Modulo)):
                return self._tainted(node.left, scope, d) or self._tainted(node.right, scope, d)
            return False
        if isinstance(node, cst.BooleanOperation):
            return self._tainted(node.left, scope, d) or self._tainted(node.right, scope, d)
        if isinstance(node, cst.IfExp):
            return self._tainted(node.body, scope, d) or self._tainted(node.orelse, scope, d)
        if isinstance(node, cst.Dict):
            return any(self._tainted(e.value, scope, d) for e in node.elements)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return any(self._tainted(e.value, scope, d) for e in node.elements)
        if isinstance(node, (cst.NamedExpr, cst.Await)):
            return self._tainted(node.value if isinstance(node, cst.NamedExpr) else node.expression, scope, d)
        return False

    def _call_tainted(self, node: cst.Call, scope: _Scope, d: int) -> bool:
        func = node.func
        dotted = dotted_name(func) or ""
        last = dotted.rpartition(".")[2]
        if last in ("getenv", "get") and node.args:
            name = _string(node.args[0].value)
            if name is not None:
                recv = _path(func.value) if isinstance(func, cst.Attribute) else []
                if key_named((recv or []) + [name]):
                    return True  # os.getenv("CARTESIA_API_KEY"), config.get("CARTESIA_API_KEY")
        if dotted in PROPAGATING_CALLS:
            return any(self._tainted(a.value, scope, d) for a in node.args)
        if isinstance(func, cst.Attribute):
            attr = func.attr.value
            if attr in PROPAGATING_METHODS:
                return self._tainted(func.value, scope, d)
            if attr in ("format", "join"):
                return any(self._tainted(a.value, scope, d) for a in node.args)
        return False
