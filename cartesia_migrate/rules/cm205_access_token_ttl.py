"""CM205 access-token-ttl: an access token requested with ``expires_in`` above 3600 s.

Requests recognised:

- ``<client>.access_token.create(..., expires_in=N)`` (3.x/4.x) and
  ``<client>.auth.access_token(..., expires_in=N)`` (2.x), in files that use Cartesia;
  ``**params`` with ``params`` a dict literal assigned in the file counts too;
- a raw ``.post(URL, json=/data=/content=PAYLOAD)`` (or ``.request("POST", URL, ...)``)
  where URL's text has ``/access-token`` (literal, f-string, ``+`` chain, or a name
  assigned such a string) and PAYLOAD is a dict literal (or a name assigned one, or
  ``json.dumps(<dict>)``) with an ``"expires_in"`` entry.

``N`` is an integer literal, a constant (a name or attribute assigned once in the file),
or arithmetic on those (``2 * 60 * 60``).  Values assigned more than once are not
guessed.  The check runs at the end of the module, so constants may be defined later.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple, Union

import libcst as cst

from ._model_ids import string_value
from ..bindings import dotted_name
from ..rule import Rule
from ._prefilter import ESCAPE

MAX_TTL = 3600
MESSAGE = ("Access token requested with expires_in=%s s, above the 3600 s (1 hour) maximum of the "
           "access-token API: use at most 3600 and mint a new token when it expires")
_AMBIGUOUS = object()
Number = Union[int, float]


def _string(node: cst.CSTNode) -> Optional[str]:
    return string_value(node) if isinstance(node, cst.SimpleString) else None


class AccessTokenTtl(Rule):
    CODE = "CM205"
    PREFILTER = (r"(?-i:expires_in)", ESCAPE)  # the keyword, or a payload key (a literal)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.consts: Dict[str, object] = {}  # dotted target -> value node (or _AMBIGUOUS)
        # (expires_in value node, statement); and (payload expr, url expr, statement)
        self.values: List[Tuple[cst.CSTNode, Optional[cst.CSTNode]]] = []
        self.payloads: List[Tuple[cst.CSTNode, cst.CSTNode, Optional[cst.CSTNode]]] = []
        self.spreads: List[Tuple[cst.CSTNode, Optional[cst.CSTNode]]] = []

    # ---- constants
    def _assign(self, target: cst.CSTNode, value: cst.CSTNode) -> None:
        name = dotted_name(target)
        if name is None:
            return
        names = [name]
        cls = self.ctx.parent(3)  # Assign -> SimpleStatementLine -> IndentedBlock -> ClassDef
        if isinstance(cls, cst.ClassDef) and isinstance(target, cst.Name):
            names += ["%s.%s" % (cls.name.value, name), "self." + name, "cls." + name]
        for n in names:
            self.consts[n] = value if n not in self.consts else _AMBIGUOUS

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            self._assign(t.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assign(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        name = dotted_name(node.target)
        if name is not None:
            self.consts[name] = _AMBIGUOUS

    # ---- requests
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        attr = func.attr.value
        owner = func.value
        if (attr == "create" and isinstance(owner, cst.Attribute) and owner.attr.value == "access_token") or \
                (attr == "access_token" and isinstance(owner, cst.Attribute) and owner.attr.value == "auth"):
            base = owner.value
            if not (self.ctx.has_cartesia_context or
                    (self.ctx.bindings is not None and self.ctx.bindings.client_kind(base))):
                return
            stmt = self.ctx.enclosing_statement()
            for a in node.args:
                if a.keyword is not None and a.keyword.value == "expires_in":
                    self.values.append((a.value, stmt))
                elif a.star == "**":
                    self.spreads.append((a.value, stmt))
            return
        if attr in ("post", "request"):
            self._raw_request(node, attr)

    def _raw_request(self, node: cst.Call, attr: str) -> None:
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if attr == "request":
            if not positional or (_string(positional[0]) or "").upper() != "POST":
                return
            positional = positional[1:]
        url = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "url"),
                   positional[0] if positional else None)
        payload = next((a.value for a in node.args
                        if a.keyword is not None and a.keyword.value in ("json", "data", "content")), None)
        if url is not None and payload is not None:
            self.payloads.append((payload, url, self.ctx.enclosing_statement()))

    # ---- resolution at the end
    def leave_Module(self, original_node: cst.Module) -> None:
        for payload, url, stmt in self.payloads:
            if not self._is_token_url(url, 0):
                continue
            d = self._dict(payload, 0)
            if d is None:
                continue
            for e in d.elements:
                if isinstance(e, cst.DictElement) and _string(e.key) == "expires_in":
                    self.values.append((e.value, stmt))
        for spread, stmt in self.spreads:
            d = self._dict(spread, 0)
            if d is not None:
                for e in d.elements:
                    if isinstance(e, cst.DictElement) and _string(e.key) == "expires_in":
                        self.values.append((e.value, stmt))
        seen = set()
        for value, stmt in self.values:
            if id(value) in seen:
                continue
            seen.add(id(value))
            n = self._number(value, 0)
            if n is not None and n > MAX_TTL:
                shown = int(n) if float(n).is_integer() else n
                self.report(value, MESSAGE % shown, statement=stmt)

    def _const(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        name = dotted_name(node)
        v = self.consts.get(name) if name else None
        return v if isinstance(v, cst.CSTNode) else None

    def _number(self, node: cst.CSTNode, depth: int) -> Optional[Number]:
        if depth > 20:
            return None
        if isinstance(node, cst.Integer):
            return node.evaluated_value
        if isinstance(node, cst.Float):
            return node.evaluated_value
        if isinstance(node, (cst.Name, cst.Attribute)):
            v = self._const(node)
            return self._number(v, depth + 1) if v is not None else None
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
            v = self._number(node.expression, depth + 1)
            return -v if v is not None else None
        if isinstance(node, cst.BinaryOperation):
            left = self._number(node.left, depth + 1)
            right = self._number(node.right, depth + 1)
            if left is None or right is None:
                return None
            op = node.operator
            if isinstance(op, cst.Add):
                return left + right
            if isinstance(op, cst.Subtract):
                return left - right
            if isinstance(op, cst.Multiply):
                return left * right
            if isinstance(op, cst.FloorDivide) and right:
                return left // right
            return None
        if isinstance(node, cst.Call) and dotted_name(node.func) == "int" and len(node.args) == 1:
            return self._number(node.args[0].value, depth + 1)
        return None

    def _dict(self, node: cst.CSTNode, depth: int) -> Optional[cst.Dict]:
        if depth > 5:
            return None
        if isinstance(node, cst.Dict):
            return node
        if isinstance(node, (cst.Name, cst.Attribute)):
            v = self._const(node)
            return self._dict(v, depth + 1) if v is not None else None
        if isinstance(node, cst.Call) and dotted_name(node.func) in ("json.dumps", "dumps") and node.args:
            return self._dict(node.args[0].value, depth + 1)
        return None

    def _is_token_url(self, node: cst.CSTNode, depth: int) -> bool:
        if depth > 5:
            return False
        if isinstance(node, (cst.Name, cst.Attribute)):
            v = self._const(node)
            return v is not None and self._is_token_url(v, depth + 1)
        text = []
        stack = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, cst.BinaryOperation) and isinstance(n.operator, cst.Add):
                stack.extend((n.right, n.left))
            elif isinstance(n, cst.ConcatenatedString):
                stack.extend((n.right, n.left))
            elif isinstance(n, cst.SimpleString):
                text.append(_string(n) or "")
            elif isinstance(n, cst.FormattedString):
                text.extend(p.value for p in n.parts if isinstance(p, cst.FormattedStringText))
            elif isinstance(n, (cst.Name, cst.Attribute)) and depth < 5:
                v = self._const(n)
                if isinstance(v, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
                    text.append(self._flat(v))
        joined = "".join(text)
        return "/access-token" in joined and ("cartesia" in joined.lower() or self.ctx.has_cartesia_context)

    @staticmethod
    def _flat(node: cst.CSTNode) -> str:
        if isinstance(node, cst.SimpleString):
            return _string(node) or ""
        if isinstance(node, cst.FormattedString):
            return "".join(p.value for p in node.parts if isinstance(p, cst.FormattedStringText))
        if isinstance(node, cst.ConcatenatedString):
            return AccessTokenTtl._flat(node.left) + AccessTokenTtl._flat(node.right)
        return ""
