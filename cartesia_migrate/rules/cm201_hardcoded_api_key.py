"""CM201 hardcoded-api-key: a Cartesia API key literal in source code.

A key is ``sk_car_`` (or ``sk_car_admin_``) followed by a key body that looks random:
real keys are ~22 characters of mixed case and digits (``sk_car_<id>.<secret>`` for
admin keys).  Bare prefixes, ``sk_car_...``, and placeholders (``sk_car_xxx``,
``sk_car_your_key_here``, ``sk_car_test...``, ``sk_car_1234567890``) are not keys;
in test files the bar is higher (all three character classes, 16+ characters), so
fixture values are left alone while a real key pasted into a test still fires.

The unsafe fix replaces the literal by ``os.environ["CARTESIA_API_KEY"]`` only where
the literal is the value being used (an assignment, a call argument, a dict value, a
return value); ``os.getenv(NAME, "sk_car_…")`` and ``os.getenv(NAME) or "sk_car_…"``
become ``os.environ[NAME]``.  Keys written *into* the environment
(``os.environ[...] = ``, ``setenv``, ``setdefault``, ``patch.dict(os.environ, …)``),
keys in longer strings, f-strings, docstrings, parameter defaults and comments are
reported without a fix.
"""
from __future__ import annotations

import re
from typing import List, Optional

import libcst as cst

from ..bindings import dotted_name
from ..redact import redact
from ..rule import EditRequest, Replace, Rule
from ._imports import ensure_import
from ._prefilter import ESCAPE

# sk_car_ then a key body (bare prefixes never match: the body needs 10+ characters)
KEY_RE = re.compile(r"sk_car_(?:admin_)?(?P<body>[A-Za-z0-9_\-][A-Za-z0-9_.\-]{9,})")
PLACEHOLDER_RE = re.compile(
    r"\.\.\.|x{3,}|your|here|example|placeholder|dummy|fake|test|changeme|change_me|redacted|"
    r"insert|replace|secret_?key|api_?key|todo|sample|mock|demo|invalid|foobar", re.I)
ENV = 'os.environ["CARTESIA_API_KEY"]'
GETENV = {"os.getenv", "getenv", "os.environ.get", "environ.get"}
# calls that write a value into the environment: the literal is not a use of the key
ENV_WRITERS = {"setenv", "putenv", "setdefault", "update", "__setitem__", "dict"}
TEST_DIRS = {"tests", "test", "testing"}


def is_test_path(path: str) -> bool:
    parts = re.split(r"[\\/]", path)
    base = parts[-1]
    return base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py" or \
        any(p in TEST_DIRS for p in parts[:-1])


def _classes(body: str) -> int:
    return sum(1 for pat in (r"[a-z]", r"[A-Z]", r"[0-9]") if re.search(pat, body))


def _patterned(body: str) -> bool:
    """Runs like ``aaaa``, ``1234``, ``abcd`` (or two of ``123``/``abc``): typed by a human."""
    runs3 = 0
    for i in range(len(body) - 2):
        a, b, c = body[i:i + 3]
        if not (a.isalnum() and b.isalnum() and c.isalnum()):
            continue
        same_class = (a.isdigit() == b.isdigit() == c.isdigit()) and (a.isupper() == b.isupper() == c.isupper())
        if not same_class:
            continue
        step1, step2 = ord(b) - ord(a), ord(c) - ord(b)
        if step1 == step2 and step1 in (-1, 0, 1):
            if i + 3 < len(body) and ord(body[i + 3]) - ord(c) == step1:
                return True  # four in a row
            if step1 != 0:
                runs3 += 1
    return runs3 >= 2


def is_real_key_body(body: str, strict: bool = False) -> bool:
    if PLACEHOLDER_RE.search(body):
        return False
    classes = _classes(body)
    if classes < 2 or len(set(body)) < 8 or _patterned(body):
        return False
    if strict and (classes < 3 or len(body) < 16):
        return False
    return True


def find_key(text: str, strict: bool = False) -> Optional["re.Match"]:
    """The first key in ``text`` that is not a placeholder."""
    if "sk_car_" not in text:
        return None
    for m in KEY_RE.finditer(text):
        if is_real_key_body(m.group("body"), strict):
            return m
    return None


def is_key_literal(value: str, strict: bool = False) -> bool:
    """``value`` (an evaluated string) is exactly one API key."""
    m = KEY_RE.fullmatch(value)
    return m is not None and is_real_key_body(m.group("body"), strict)


class HardcodedApiKey(Rule):
    CODE = "CM201"
    # a raw literal, comment or f-string text; the escaped parts of a concatenation
    PREFILTER = (r"(?-i:sk_car_)", ESCAPE)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.strict = is_test_path(ctx.path)

    def _message(self, key: str) -> str:
        return ("Cartesia API key %s is hard-coded: rotate it now (it is exposed) and read it from the "
                "environment (CARTESIA_API_KEY); give browsers and devices short-lived Access Tokens"
                % redact(key))

    # -- string literals
    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "sk_car_" not in node.value:
            return
        value = _evaluated(node)
        m = find_key(value if isinstance(value, str) else node.value, self.strict)
        if m is None:
            return
        edits: List[EditRequest] = []
        if isinstance(value, str) and is_key_literal(value, self.strict):
            edits = self._fix(node)
        self.report(node, self._message(m.group(0)), edits=edits, fix_message=self._fix_message(edits))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        """``"sk_car_9fQ2" "mX4t..."``: a key split over implicitly joined literals."""
        if isinstance(self.ctx.parent(), cst.ConcatenatedString):
            return  # the outermost one checks the whole
        parts = _parts(node)
        if parts is None or not any("sk_car_" in p for p in parts):
            return
        if any(find_key(p, self.strict) for p in parts):
            return  # that part reports itself
        joined = "".join(parts)
        m = find_key(joined, self.strict)
        if m is None:
            return
        edits = self._fix(node) if is_key_literal(joined, self.strict) else []
        self.report(node, self._message(m.group(0)), edits=edits, fix_message=self._fix_message(edits))

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        m = find_key(node.value, self.strict)
        if m is not None:
            self.report(node, self._message(m.group(0)))

    def visit_Comment(self, node: cst.Comment) -> None:
        m = find_key(node.value, self.strict)
        if m is not None:
            self.report(node, self._message(m.group(0)) + " (found in a comment: delete it by hand)")

    # -- the fix
    @staticmethod
    def _fix_message(edits) -> Optional[str]:
        if not edits:
            return None
        return "Read the key from the environment: %s" % edits[0].text

    def _fix(self, node: cst.CSTNode) -> List[EditRequest]:
        """Edits replacing the key where it is the value in use; [] where that is not certain."""
        parent = self.ctx.parent()
        target: cst.CSTNode = node
        text = ENV
        if isinstance(parent, cst.Arg):
            call = self.ctx.parent(2)
            if not isinstance(call, cst.Call) or _writes_env(call):
                return []
            getenv = _getenv_default(call, parent)
            if getenv is not None:
                target, text = call, getenv
        elif isinstance(parent, cst.Assign):
            if any(_is_environ_subscript(t.target) for t in parent.targets):
                return []
        elif isinstance(parent, cst.AnnAssign):
            if _is_environ_subscript(parent.target):
                return []
        elif isinstance(parent, cst.DictElement):
            if parent.value is not node:
                return []
            call = self.ctx.parent(4)  # DictElement -> Dict -> Arg -> Call
            if isinstance(self.ctx.parent(3), cst.Arg) and isinstance(call, cst.Call) and _writes_env(call):
                return []
        elif isinstance(parent, cst.Return):
            pass
        elif isinstance(parent, cst.BooleanOperation):
            # os.getenv("NAME") or "sk_car_..." -> os.environ["NAME"]
            left = parent.left
            if parent.right is not node or not isinstance(parent.operator, cst.Or) or \
                    not isinstance(left, cst.Call) or dotted_name(left.func) not in GETENV or \
                    len(left.args) != 1 or left.args[0].keyword is not None or left.args[0].star:
                return []
            target, text = parent, "os.environ[%s]" % self.ctx.module.code_for_node(left.args[0].value)
        else:
            return []
        return [Replace(target, text)] + ensure_import(self.ctx.module, "import os", "os")


def _evaluated(node: cst.SimpleString):
    try:
        return node.evaluated_value
    except Exception:
        return None


def _parts(node: cst.ConcatenatedString) -> Optional[List[str]]:
    out: List[str] = []
    for side in (node.left, node.right):
        if isinstance(side, cst.ConcatenatedString):
            sub = _parts(side)
            if sub is None:
                return None
            out.extend(sub)
        elif isinstance(side, cst.SimpleString):
            v = _evaluated(side)
            if not isinstance(v, str):
                return None
            out.append(v)
        else:
            return None  # f-string parts are checked on their own
    return out


def _writes_env(call: cst.Call) -> bool:
    """``os.environ.setdefault(...)``, ``monkeypatch.setenv(...)``, ``patch.dict(os.environ, ...)``."""
    name = dotted_name(call.func) or ""
    last = name.rpartition(".")[2]
    if last in ENV_WRITERS and last != "dict":
        return True
    return any((dotted_name(a.value) or "").endswith("environ") for a in call.args)


def _is_environ_subscript(target: cst.CSTNode) -> bool:
    return isinstance(target, cst.Subscript) and (dotted_name(target.value) or "").endswith("environ")


def _getenv_default(call: cst.Call, arg: cst.Arg) -> Optional[str]:
    """``os.getenv(NAME, "sk_car_...")``: the whole call becomes ``os.environ[NAME]``."""
    if dotted_name(call.func) not in GETENV or len(call.args) != 2 or call.args[1] is not arg:
        return None
    first = call.args[0]
    if first.keyword is not None or first.star or (arg.keyword is not None and arg.keyword.value != "default"):
        return None
    return "os.environ[%s]" % cst.Module([]).code_for_node(first.value)

