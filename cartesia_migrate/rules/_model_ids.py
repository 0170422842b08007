"""Where a model ID counts: the precision rules of RULES.md, shared by CM101-CM106.

One ``ModelIdAnalysis`` per file (in ``ctx.notes``) does the work in the shared
traversal: it visits string literals, decides whether each is a model ID in a
model-ID position (a *site*), and collects what is needed to follow names in the
same file: module constants, class attributes (``model: str = ...``,
``self.x = ...``), local variables and parameter defaults.  Only the first
CM1xx rule of a file feeds the analysis (the others' visit methods return at
once), so enabling six rules does not analyse six times.  At the end of the
module every rule gets ``self.on_model_id(site)`` once per site.

Counts (in a file with Cartesia context):
- ``model_id=`` / ``model=`` arguments, ``"model_id"`` / ``"model"`` dict values and
  ``payload["model_id"] = ...`` items, defaults of parameters and fields named like
  ``model`` (also ``Field(default=...)``), constants and attribute assignments named
  like ``model``, ``os.getenv("CARTESIA_MODEL", "...")`` defaults, ``Literal[...]`` members;
- a string passed as ``model_id=NAME`` through a constant, variable, parameter
  default or ``self.`` attribute (the string is the site);
- an unambiguous ID (dated, ``sonic-english``, ...) in any other string literal;
- a provider-prefixed string ``"cartesia/<id>"`` (only the part after the slash).

Never: docstrings, comments, f-strings and concatenations, comparison and
membership operands (also collections bound to a name used only there),
``startswith``/``endswith`` arguments, subscript keys, dict keys, non-Cartesia names.

Each site knows the places it is used (``Use``: the call or payload dict it is
passed to, directly or through a name), from which the rules read the voice
(CM104), the language (CM102) and speed/volume settings (successor choice).
Voice and language expressions are followed through literals, constants,
variables, ``self.`` attributes and parameter defaults of the same file;
anything else is unknown, and rules do not fix what depends on the unknown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from ..bindings import dotted_name
from .. import models as _models
from ..models import MODEL_ID_RE, Choice, Needs, split_dated
from ._prefilter import ESCAPE, pattern

_TTS_PREFIXES = tuple(p for p, cap in _models.ID_PREFIXES.items() if cap == "tts")
_OTHER_PREFIXES = tuple(p for p, cap in _models.ID_PREFIXES.items() if cap != "tts")
#: the words that start a model ID (the grammar's prefixes and the IDs outside it), from the knowledge
ID_STARTS = tuple(_models.ID_PREFIXES) + _models.OUTSIDE_GRAMMAR
#: trigger tokens for the prefilter: a site is a literal whose raw text has one of ``ID_STARTS`` (a
#: short one such as the STT prefix only right after a quote) and whose value starts with it, after
#: a "cartesia/" prefix or not (``visit_SimpleString``); an escape can spell the value otherwise
def _literal(word: str) -> str:
    return word if re.fullmatch(r"[a-z0-9-]+", word) else re.escape(word)


MODEL_PREFILTER = tuple(_literal(p) for p in _TTS_PREFIXES + _models.OUTSIDE_GRAMMAR) + tuple(
    pattern(r"%s(?<=[\"']%s)" % (re.escape(p), re.escape(p)), p) for p in _OTHER_PREFIXES) + tuple(
    "cartesia/" + _literal(p) for p in _OTHER_PREFIXES) + (ESCAPE,)
#: bytes at least one of which a file holding a model ID contains (lower-cased)
GATE_TOKENS = tuple(p.encode() for p in _TTS_PREFIXES + _models.OUTSIDE_GRAMMAR)
_RAW_TOKENS = tuple(p.split("-")[0] for p in ID_STARTS)

MODEL_KEYWORDS = {"model", "model_id", "tts_model", "tts_model_id", "model_name", "voice_model"}
PROVIDER_PREFIX = "cartesia/"
PRE_SONIC = _models.OUTSIDE_GRAMMAR  # model IDs outside the grammar
_CANDIDATE = re.compile(r"^(?:cartesia/)?(?:%s)" % "|".join(re.escape(p) for p in ID_STARTS))
_AMBIGUOUS_EXTRA = re.compile("|".join(re.escape(w) for w in _models.UNAMBIGUOUS_WORDS))
_CONTAINERS = (cst.Element, cst.StarredElement, cst.List, cst.Set, cst.Tuple)
_STRING_METHODS = ("startswith", "endswith", "removeprefix", "removesuffix", "find", "index", "count",
                   "replace", "split", "strip", "rstrip", "lstrip", "rfind", "partition")
_GETTERS = ("getenv", "get", "setdefault", "pop")  # os.getenv("X_MODEL", "sonic"), d.get("model", "sonic")
_FIELD_CALLS = ("Field", "field")
_LANGUAGE_ENUM = re.compile(r"^([A-Z]{2})(?:_[A-Z]{2,4})?$")
_WORD = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
_WORD_CHAR = re.compile(r"\w")
_WORD_OR_DOT = re.compile(r"[\w.]")
_UNKNOWN = object()  # an assignment whose value cannot be followed (tuple targets, augmented)


def is_model_name(name: str) -> bool:
    """``model``, ``model_id``, ``DEFAULT_MODEL_ID``, ``tts_model``, ``self.model``..."""
    n = name.rsplit(".", 1)[-1].lower()
    return n in MODEL_KEYWORDS or n.endswith(("_model", "_model_id", "_model_name", "model_id"))


def is_unambiguous(model_id: str) -> bool:
    """IDs that mean a Cartesia model in any string literal (dated, sonic-english, ...)."""
    _, date = split_dated(model_id)
    return bool(date) or bool(_AMBIGUOUS_EXTRA.search(model_id))


def string_value(node: cst.CSTNode) -> Optional[str]:
    if not isinstance(node, cst.SimpleString):
        return None
    prefix = node.prefix.lower()
    if "b" in prefix or "f" in prefix:
        return None
    raw = node.value
    if not prefix and len(raw) >= 2 and raw[0] == raw[-1] and raw[:3] not in ('"""', "'''") \
            and "\\" not in raw:
        return raw[1:-1]  # the common case, without evaluating the literal
    try:
        v = node.evaluated_value
    except Exception:
        return None
    return v if isinstance(v, str) else None


# ---- data ----------------------------------------------------------------------------------

@dataclass
class Use:
    """One place a model ID is used: the call and/or payload dict it is passed to."""

    call: Optional[cst.Call]
    dict_node: Optional[cst.Dict]
    function: Optional[cst.FunctionDef]
    klass: Optional[cst.ClassDef]


@dataclass
class ConstantUse:
    """``model_id=NAME``: a use of a module constant, reported naming the constant."""

    name_node: cst.CSTNode
    call: Optional[cst.Call]
    statement: Optional[cst.CSTNode]


@dataclass
class _Ref:
    """A model-position reference to a name: ``model_id=X``, ``"model": self.x``."""

    dotted: str
    node: cst.CSTNode
    use: Use
    statement: Optional[cst.CSTNode]


@dataclass
class ModelSite:
    node: cst.SimpleString  # the string literal to rewrite
    model_id: str  # without the provider prefix
    provider_prefix: str  # "" or "cartesia/"
    kind: str  # kwarg | dict | item | default | param | field | constant | variable | attribute | literal | other
    call: Optional[cst.Call] = None  # the call the ID is passed to directly
    dict_node: Optional[cst.Dict] = None  # the payload dict it is a value of
    literal: Optional[cst.Subscript] = None  # the Literal[...] (literal sites)
    constant: Optional[str] = None  # a module constant's name, when the site is its only definition
    uses: List[ConstantUse] = field(default_factory=list)  # use sites of that constant
    function: Optional[cst.FunctionDef] = None  # the function the site is in
    klass: Optional[cst.ClassDef] = None  # the class the site is in (methods included)
    statement: Optional[cst.CSTNode] = None
    handle: Optional[Tuple] = None  # how the value is referred to: ("name", N) ("local", fn, N)
    #                                 ("param", fn, N) ("attr", klass, N)
    usages: List[Use] = field(default_factory=list)  # every call/dict the ID reaches (filled at the end)
    incomplete: bool = False  # the value also flows where we cannot follow it

    def replacement_text(self, new_id: str) -> str:
        """The literal rewritten to ``new_id``, keeping prefix, quotes and provider prefix."""
        n = self.node
        body = self.provider_prefix + new_id
        return "%s%s%s%s" % (n.prefix, n.quote, body, n.quote)

    @property
    def settings_sets_speed_or_volume(self) -> bool:
        return any(
            (u.call is not None and call_sets_speed_or_volume(u.call))
            or (u.dict_node is not None and dict_sets_speed_or_volume(u.dict_node))
            for u in self.usages)


# ---- reading calls and payloads --------------------------------------------------------------

def _string_keys(d: cst.Dict) -> Dict[str, cst.BaseExpression]:
    out = {}
    for el in d.elements:
        if isinstance(el, cst.DictElement):
            k = string_value(el.key)
            if k is not None:
                out[k] = el.value
    return out


def _has_star(node) -> bool:
    if isinstance(node, cst.Call):
        return any(a.star == "**" for a in node.args)
    if isinstance(node, cst.Dict):
        return any(isinstance(el, cst.StarredDictElement) for el in node.elements)
    return False


def dict_sets_speed_or_volume(d: cst.Dict) -> bool:
    keys = _string_keys(d)
    if "speed" in keys or "volume" in keys:
        return True
    gc = keys.get("generation_config")
    if gc is not None:
        return not isinstance(gc, cst.Dict) or bool({"speed", "volume"} & set(_string_keys(gc)))
    voice = keys.get("voice")
    if isinstance(voice, cst.Dict):  # 2.x {"mode": "id", "__experimental_controls": {"speed": ...}}
        return "__experimental_controls" in _string_keys(voice)
    return False


def call_sets_speed_or_volume(call: cst.Call) -> bool:
    for arg in call.args:
        kw = arg.keyword.value if arg.keyword else None
        if kw in ("speed", "volume", "_experimental_voice_controls"):
            return True
        if kw == "generation_config":
            v = arg.value
            if isinstance(v, cst.Dict):
                return dict_sets_speed_or_volume(v)
            if isinstance(v, cst.Call) and (dotted_name(v.func) or "").rsplit(".", 1)[-1] in (
                    "GenerationConfig", "dict", "GenerationConfigParam"):
                return any(a.keyword and a.keyword.value in ("speed", "volume") for a in v.args)
            return True  # a variable: may well set speed/volume; stay on sonic-3
        if kw == "voice" and isinstance(arg.value, cst.Dict) and \
                "__experimental_controls" in _string_keys(arg.value):
            return True
        if isinstance(arg.value, cst.Dict) and dict_sets_speed_or_volume(arg.value):
            return True
    return False


def _kwarg(call: cst.Call, names: Sequence[str]) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in names:
            return arg.value
    return None


def _voice_id_expr(v: Optional[cst.BaseExpression]) -> Optional[cst.BaseExpression]:
    if isinstance(v, cst.Dict):
        return _string_keys(v).get("id")
    return v


def voice_expr(use: Use) -> Optional[cst.BaseExpression]:
    """The voice expression of a use: ``voice_id=X``, ``voice=X``, ``voice={"id": X}``, payload keys."""
    if use.call is not None:
        e = _kwarg(use.call, ("voice_id", "voice"))
        if e is not None:
            return _voice_id_expr(e)
    if use.dict_node is not None:
        keys = _string_keys(use.dict_node)
        for k in ("voice_id", "voice"):
            if k in keys:
                return _voice_id_expr(keys[k])
    return None


def language_expr(use: Use) -> Optional[cst.BaseExpression]:
    """The ``language=`` / ``locale=`` expression of a use (call keyword or payload key)."""
    if use.call is not None:
        e = _kwarg(use.call, ("language", "locale"))
        if e is not None:
            return e
    if use.dict_node is not None:
        keys = _string_keys(use.dict_node)
        for k in ("language", "locale"):
            if k in keys:
                return keys[k]
    return None


# backwards-compatible helpers (a call / a dict as the only use)
def voice_of_call(call: Optional[cst.Call]) -> Optional[cst.BaseExpression]:
    return voice_expr(Use(call, None, None, None)) if call is not None else None


def voice_of_dict(d: Optional[cst.Dict]) -> Optional[cst.BaseExpression]:
    return voice_expr(Use(None, d, None, None)) if d is not None else None


def normalize_language(value: Optional[str]) -> Optional[str]:
    """'it' / 'it-IT' / 'pt_BR' -> 'it' / 'it' / 'pt'."""
    if not value:
        return None
    return re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower() or None


# ---- the per-file analysis ---------------------------------------------------------------------

class ModelIdAnalysis:
    """Collects model-ID sites and name bindings of one file (one instance per file)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self._sites: List[ModelSite] = []
        self._promotable: List[ModelSite] = []  # ambiguous strings bound to a name (promoted if used)
        self._refs: List[_Ref] = []
        self._collection_names: Dict[int, str] = {}  # id(string) -> name of the collection holding it
        self._compared_names: Set[str] = set()
        self.module_assigns: Dict[str, list] = {}  # NAME -> [value expr | _UNKNOWN]
        self.local_assigns: Dict[cst.FunctionDef, Dict[str, list]] = {}
        self.class_attrs: Dict[cst.ClassDef, Dict[str, List[tuple]]] = {}  # attr -> [(value, function)]
        self._done: Optional[List[ModelSite]] = None
        self._words: Optional[Dict[str, int]] = None
        self.memo: Dict[Tuple[str, int], object] = {}  # per-site results shared by the rules

    @classmethod
    def of(cls, ctx) -> Tuple["ModelIdAnalysis", bool]:
        """The file's analysis, and whether the caller is the first to ask (it then visits)."""
        a = ctx.notes.get("model_ids")
        if a is None:
            a = ctx.notes["model_ids"] = cls(ctx)
            return a, True
        return a, False

    # -- scopes ------------------------------------------------------------------------------
    def _scope(self) -> Tuple[Optional[cst.FunctionDef], Optional[cst.ClassDef]]:
        """(nearest enclosing function, the class it is a method of / the class body we are in)."""
        fn = None
        stack = self.ctx.stack
        for i in range(len(stack) - 2, -1, -1):  # the ancestors, nearest first
            a = stack[i]
            cls = a.__class__  # (identity: isinstance is slow on libcst's ABCs; no subclasses)
            if cls is cst.FunctionDef:
                if fn is not None:
                    return fn, None  # a nested function: not a method
                fn = a
            elif cls is cst.ClassDef:
                return fn, a
            elif cls is cst.Lambda and fn is None:
                return None, None
        return fn, None

    # -- traversal -----------------------------------------------------------------------------
    def visit_Comparison(self, node: cst.Comparison) -> None:
        for part in [node.left] + [t.comparator for t in node.comparisons]:
            if isinstance(part, (cst.Name, cst.Attribute)):
                name = dotted_name(part)
                if name:
                    self._compared_names.add(name)

    def _add_ref(self, value: cst.BaseExpression, call, dict_node) -> None:
        dotted = dotted_name(value)
        if dotted is None:
            return
        fn, klass = self._scope()
        self._refs.append(_Ref(dotted, value, Use(call, dict_node, fn, klass), self.ctx.enclosing_statement()))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is None or not is_model_name(node.keyword.value):
            return
        if isinstance(node.value, (cst.Name, cst.Attribute)):
            call = self.ctx.parent()
            self._add_ref(node.value, call if isinstance(call, cst.Call) else None, None)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if not isinstance(node.value, (cst.Name, cst.Attribute)):
            return
        key = string_value(node.key)
        if key is None or not is_model_name(key):
            return
        d = self.ctx.parent()
        if isinstance(d, cst.Dict):
            self._add_ref(node.value, self._call_of_dict(len(self.ctx.stack) - 2), d)

    def _bind(self, target: cst.BaseExpression, value) -> None:
        fn, klass = self._scope()
        if isinstance(target, cst.Name):
            n = target.value
            if fn is not None:
                self.local_assigns.setdefault(fn, {}).setdefault(n, []).append(value)
            elif klass is not None:
                self.class_attrs.setdefault(klass, {}).setdefault(n, []).append((value, None))
            else:
                self.module_assigns.setdefault(n, []).append(value)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            if fn is not None and klass is not None and _first_param(fn) == target.value.value:
                self.class_attrs.setdefault(klass, {}).setdefault(target.attr.value, []).append((value, fn))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for el in target.elements:
                self._bind(el.value, _UNKNOWN)

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            self._bind(t.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, _UNKNOWN)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        raw = node.value
        if not any(t in raw for t in _RAW_TOKENS):
            return
        if not self.ctx.has_cartesia_context:
            return
        value = string_value(node)
        if value is None or not _CANDIDATE.match(value):
            return
        prefix = ""
        if value.startswith(PROVIDER_PREFIX):
            prefix, value = PROVIDER_PREFIX, value[len(PROVIDER_PREFIX):]
        if len(value) > _models.MAX_ID_LENGTH or (not MODEL_ID_RE.match(value) and value not in PRE_SONIC):
            return
        site = self._classify(node, value, prefix)
        if site is None:
            return
        if site.kind == "other" and not is_unambiguous(value) and not prefix:
            if site.handle is not None:
                self._promotable.append(site)
            return
        self._sites.append(site)

    # -- classification ----------------------------------------------------------------------------
    def _classify(self, node: cst.SimpleString, value: str, prefix: str) -> Optional[ModelSite]:
        stack = self.ctx.stack  # [..., parent, node]
        stmt = self.ctx.enclosing_statement()
        fn, klass = self._scope()
        i = len(stack) - 2
        child: cst.CSTNode = node
        parent = stack[i] if i >= 0 else None

        def site(kind, **kw):
            return ModelSite(node, value, prefix, kind, statement=stmt, function=fn, klass=klass, **kw)

        if isinstance(parent, cst.Expr):
            return None  # a docstring or a bare string statement
        if isinstance(parent, (cst.ConcatenatedString, cst.FormattedString)):
            return None
        # climb through containers (list/set/tuple elements)
        in_container = False
        while isinstance(parent, _CONTAINERS):
            in_container = True
            child = parent
            i -= 1
            parent = stack[i] if i >= 0 else None
        if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
            return None
        if isinstance(parent, cst.Arg):
            call = stack[i - 1] if i >= 1 else None
            if not isinstance(call, cst.Call):
                return site("other")
            fname = dotted_name(call.func) or ""
            last = fname.rsplit(".", 1)[-1]
            if isinstance(call.func, cst.Attribute) and last in _STRING_METHODS:
                return None
            kw = parent.keyword.value if parent.keyword else None
            if kw is not None and is_model_name(kw) and not in_container:
                return site("kwarg", call=call)
            if not in_container and self._is_model_default(call, parent, last):
                return site("default")
            if not in_container and last in _FIELD_CALLS and (
                    kw == "default" or (kw is None and call.args[0] is parent)):
                target = self._assigned_name(i - 1)  # model: str = Field(default="sonic")
                if target is not None and is_model_name(target):
                    handle = ("attr", klass, target) if klass is not None and fn is None else None
                    return site("field", handle=handle)
            return site("other", call=call)
        if isinstance(parent, cst.DictElement):
            if child is parent.key:
                return None
            d = stack[i - 1] if i >= 1 else None
            key = string_value(parent.key)
            if key is not None and is_model_name(key) and not in_container and isinstance(d, cst.Dict):
                return site("dict", dict_node=d, call=self._call_of_dict(i - 1))
            return site("other")
        if isinstance(parent, cst.Index):
            sub_el = stack[i - 1] if i >= 1 else None
            sub = stack[i - 2] if i >= 2 else None
            if isinstance(sub_el, cst.SubscriptElement) and isinstance(sub, cst.Subscript):
                if _is_literal(sub.value):
                    return site("literal", literal=sub)
            # Optional["..."] style annotations, x["sonic"] lookups: never a model position
            return None
        if isinstance(parent, cst.Param):
            if child is parent.default and not in_container:
                kind = "param" if is_model_name(parent.name.value) else "other"
                return site(kind, handle=("param", fn, parent.name.value) if fn is not None else None)
            return None
        if isinstance(parent, (cst.Assign, cst.AnnAssign)):
            targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
            if in_container:
                # MODELS = {"sonic", ...}: remember the collection's name (membership tests)
                names = [dotted_name(t) for t in targets]
                if len(names) == 1 and names[0]:
                    self._collection_names[id(node)] = names[0]
                return site("other")
            kind, handle, constant = "other", None, None
            for t in targets:
                if isinstance(t, cst.Subscript):
                    key = _subscript_key(t)
                    if key is not None and is_model_name(key):
                        kind = "item"
                    continue
                n = dotted_name(t)
                if n is None:
                    continue
                if isinstance(t, cst.Name):
                    if fn is not None:
                        handle = ("local", fn, n)
                        k = "variable"
                    elif klass is not None:
                        handle = ("attr", klass, n)
                        k = "field"
                    else:
                        handle = ("name", n)
                        constant = n
                        k = "constant"
                elif isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name) and fn is not None \
                        and klass is not None and _first_param(fn) == t.value.value:
                    handle = ("attr", klass, t.attr.value)
                    k = "attribute"
                else:
                    k = "attribute"
                if is_model_name(n):
                    kind = k
            return site(kind, handle=handle, constant=constant)
        if isinstance(parent, (cst.Subscript, cst.SubscriptElement)):
            return None
        return site("other")

    def _is_model_default(self, call: cst.Call, arg: cst.Arg, last: str) -> bool:
        """``os.getenv("CARTESIA_MODEL", "sonic")`` / ``d.get("model_id", "sonic")``."""
        if last not in _GETTERS or not call.args:
            return False
        key = string_value(call.args[0].value)
        if key is None or not is_model_name(key):
            return False
        if arg.keyword is not None:
            return arg.keyword.value == "default"
        return len(call.args) > 1 and call.args[1] is arg

    def _assigned_name(self, call_index: int) -> Optional[str]:
        stack = self.ctx.stack
        p = stack[call_index - 1] if call_index >= 1 else None
        if isinstance(p, cst.AnnAssign):
            return dotted_name(p.target)
        if isinstance(p, cst.Assign) and len(p.targets) == 1:
            return dotted_name(p.targets[0].target)
        return None

    def _call_of_dict(self, dict_index: int) -> Optional[cst.Call]:
        """The call a payload dict is passed to directly (``send(json={...})``), if any."""
        stack = self.ctx.stack
        j = dict_index - 1
        if j >= 1 and isinstance(stack[j], cst.Arg) and isinstance(stack[j - 1], cst.Call):
            return stack[j - 1]
        return None

    # -- the end of the module --------------------------------------------------------------------------
    def sites(self) -> List[ModelSite]:
        """Every site of the file with its uses (computed once, at the end of the module)."""
        if self._done is None:
            self._done = self._finish()
        return self._done

    def _finish(self) -> List[ModelSite]:
        # strings that are not model positions themselves but reach one through a name
        for s in self._promotable:
            if self._refs_of(s):
                s.kind = {"name": "constant", "local": "variable", "param": "param"}.get(s.handle[0], "attribute")
                self._sites.append(s)
        module_defs = {}
        for s in self._sites:
            if s.handle is not None and s.handle[0] == "name":
                module_defs[s.handle[1]] = module_defs.get(s.handle[1], 0) + 1
        out = []
        for s in self._sites:
            coll = self._collection_names.get(id(s.node))
            if coll is not None and coll in self._compared_names:
                continue
            own = Use(s.call, s.dict_node, s.function, s.klass) if (s.call or s.dict_node) else None
            refs = self._refs_of(s) if s.handle is not None else []
            s.usages = ([own] if own else []) + [r.use for r in refs]
            if s.handle is not None and s.handle[0] == "name":
                n = s.handle[1]
                if module_defs.get(n, 0) == 1 and len(self.module_assigns.get(n, ())) == 1:
                    s.uses = [ConstantUse(r.node, r.use.call, r.statement) for r in refs]
                else:
                    s.constant = None
                    s.incomplete = True
                # every other mention of the name (passed positionally, re-exported...) is a use we cannot read
                targets = len(self.module_assigns.get(n, ()))
                if self._mentions(n) > targets + len(refs):
                    s.incomplete = True
            elif s.handle is not None and s.handle[0] == "attr":
                if len(self.class_attrs.get(s.handle[1], {}).get(s.handle[2], ())) != 1:
                    s.incomplete = True
            else:
                s.constant = None
            out.append(s)
        return out

    def _mentions(self, name: str) -> int:
        """How often ``name`` occurs as a word in the file (strings and comments included: an
        overcount only makes a constant look used elsewhere, which is the cautious side)."""
        # = the number of ``_WORD`` matches equal to ``name``, counted at the name's few
        # occurrences instead of splitting the whole file into words
        if self._words is None:
            self._words = {}
        n = self._words.get(name)
        if n is None:
            n = 0
            if _WORD.fullmatch(name):
                text = self.ctx.text
                size = len(name)
                i = text.find(name)
                while i >= 0:
                    if (i == 0 or not _WORD_OR_DOT.match(text, i - 1)) and not _WORD_CHAR.match(text, i + size):
                        n += 1
                    i = text.find(name, i + 1)
            self._words[name] = n
        return n

    def _refs_of(self, s: ModelSite) -> List[_Ref]:
        h = s.handle
        kind = h[0]
        out = []
        for r in self._refs:
            u = r.use
            if kind == "name":
                if r.dotted != h[1] or self._shadowed(h[1], u.function):
                    continue
            elif kind in ("local", "param"):
                if r.dotted != h[2] or u.function is not h[1]:
                    continue
            elif kind == "attr":
                if u.klass is not h[1] or r.dotted not in self._attr_spellings(h[1], h[2], u.function):
                    continue
            out.append(r)
        if kind == "param":
            # def __init__(self, model="sonic-2"): self._model = model  ->  uses of self._model
            fn = h[1]
            klass = s.klass
            if klass is not None:
                for attr, entries in self.class_attrs.get(klass, {}).items():
                    if any(f is fn and isinstance(v, cst.Name) and v.value == h[2] for v, f in entries):
                        for r in self._refs:
                            if r.use.klass is klass and r.dotted in self._attr_spellings(klass, attr, r.use.function):
                                out.append(r)
        return out

    def _attr_spellings(self, klass: cst.ClassDef, attr: str, fn: Optional[cst.FunctionDef]) -> Tuple[str, ...]:
        names = [klass.name.value + "." + attr]
        if fn is not None:
            p = _first_param(fn)
            if p:
                names.append(p + "." + attr)
        return tuple(names)

    def _shadowed(self, name: str, fn: Optional[cst.FunctionDef]) -> bool:
        if fn is None:
            return False
        return _param(fn, name) is not None or name in self.local_assigns.get(fn, {})

    # -- following names ----------------------------------------------------------------------------------
    def resolve(self, expr, use: Use, _depth: int = 0) -> Optional[str]:
        """The string an expression stands for, followed through this file; None when unknown."""
        if expr is None or expr is _UNKNOWN or _depth > 6:
            return None
        if isinstance(expr, cst.SimpleString):
            return string_value(expr)
        fn, klass = use.function, use.klass
        if isinstance(expr, cst.Name):
            n = expr.value
            if fn is not None:
                p = _param(fn, n)
                if p is not None:
                    return self.resolve(p.default, Use(None, None, None, None), _depth + 1) \
                        if p.default is not None else None
                local = self.local_assigns.get(fn, {}).get(n)
                if local:
                    return _agree([self.resolve(v, use, _depth + 1) for v in local])
            vals = self.module_assigns.get(n)
            if vals:
                return _agree([self.resolve(v, Use(None, None, None, None), _depth + 1) for v in vals])
            return None
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and klass is not None:
            owner = expr.value.value
            if owner == klass.name.value or (fn is not None and owner == _first_param(fn)):
                entries = self.class_attrs.get(klass, {}).get(expr.attr.value)
                if entries:
                    return _agree([self.resolve(v, Use(None, None, f, klass), _depth + 1) for v, f in entries])
            return None
        return None

    def names_along(self, expr, use: Use, _depth: int = 0) -> List[str]:
        """The dotted names an expression is spelled with, following parameter defaults and
        ``self.`` attributes (``voice=voice`` with ``voice=PVC_VOICE`` -> voice, PVC_VOICE)."""
        name = dotted_name(expr) if expr is not None and expr is not _UNKNOWN else None
        if name is None or _depth > 3:
            return []
        out = [name]
        fn, klass = use.function, use.klass
        if isinstance(expr, cst.Name) and fn is not None:
            p = _param(fn, expr.value)
            if p is not None and p.default is not None:
                out += self.names_along(p.default, Use(None, None, None, None), _depth + 1)
        elif isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and klass is not None:
            for v, f in self.class_attrs.get(klass, {}).get(expr.attr.value, ()):
                out += self.names_along(v, Use(None, None, f, klass), _depth + 1)
        return out

    def language_of(self, use: Use) -> Optional[str]:
        """The language code a use sends ('it'), or None when absent or not known."""
        e = language_expr(use)
        if e is None:
            return None
        if isinstance(e, cst.Attribute) and (dotted_name(e.value) or "").rsplit(".", 1)[-1] == "Language":
            m = _LANGUAGE_ENUM.match(e.attr.value)  # pipecat's Language.IT / Language.PT_BR
            return m.group(1).lower() if m else None
        return normalize_language(self.resolve(e, use))

    def voice_of(self, use: Use) -> Optional[str]:
        return self.resolve(voice_expr(use), use)


def _first_param(fn: cst.FunctionDef) -> Optional[str]:
    ps = fn.params.posonly_params or fn.params.params
    return ps[0].name.value if ps else None


def _param(fn: cst.FunctionDef, name: str) -> Optional[cst.Param]:
    p = fn.params
    for param in list(p.posonly_params) + list(p.params) + list(p.kwonly_params):
        if param.name.value == name:
            return param
    for star in (p.star_arg, p.star_kwarg):
        if isinstance(star, cst.Param) and star.name.value == name:
            return star
    return None


def _agree(values: List[Optional[str]]) -> Optional[str]:
    if values and all(v is not None for v in values) and len(set(values)) == 1:
        return values[0]
    return None


def _is_literal(value: cst.BaseExpression) -> bool:
    name = dotted_name(value)
    return name is not None and name.rsplit(".", 1)[-1] == "Literal"


def _subscript_key(t: cst.Subscript) -> Optional[str]:
    if len(t.slice) == 1 and isinstance(t.slice[0].slice, cst.Index):
        return string_value(t.slice[0].slice.value)
    return None


# ---- the rule mixin -------------------------------------------------------------------------------------

#: the visit methods of ``ModelIdSites`` that feed the shared analysis (first CM1xx rule only)
_FEEDS = ("visit_SimpleString", "visit_Comparison", "visit_Arg", "visit_DictElement", "visit_Assign",
          "visit_AnnAssign", "visit_AugAssign")


class ModelIdSites:
    """Mixin for Rule subclasses: calls ``on_model_id(site)`` for each site at the module's end."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.analysis, self._visits = ModelIdAnalysis.of(self.ctx)
        if not self._visits:  # the walker need not call the methods below, which would return at once
            cls = type(self)
            self.skip_methods = frozenset(n for n in _FEEDS if getattr(cls, n) is getattr(ModelIdSites, n))

    # the shared analysis runs in the first CM1xx rule of the file only (class-level methods, so
    # that both libcst's get_visitors() and the engine's walker find them)
    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._visits:
            self.analysis.visit_SimpleString(node)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if self._visits:
            self.analysis.visit_Comparison(node)

    def visit_Arg(self, node: cst.Arg) -> None:
        if self._visits:
            self.analysis.visit_Arg(node)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if self._visits:
            self.analysis.visit_DictElement(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._visits:
            self.analysis.visit_Assign(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self._visits:
            self.analysis.visit_AnnAssign(node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if self._visits:
            self.analysis.visit_AugAssign(node)

    def leave_Module(self, node: cst.Module) -> None:
        self._literal_fixes: Dict[int, list] = {}
        for site in self.analysis.sites():
            self.on_model_id(site)
        # one edit per Literal[...] with every member this rule fixes (identical edits merge,
        # so a Literal of ten old IDs is fixed in one pass)
        for items in self._literal_fixes.values():
            edit = _literal_edit(self.ctx.module, items[0][0].literal, {id(s.node): n for s, _, n, _ in items})
            for site, message, _, kw in items:
                self._report_site(site, message, [edit], kw)

    # -- to implement in the rule --------------------------------------------------------
    def on_model_id(self, site: ModelSite) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- helpers for rules -----------------------------------------------------------------
    def report_site(self, site: ModelSite, message: str, new_id: Optional[str], **kw) -> None:
        """Report ``site``; with ``new_id``, fix it (Literal members deduplicated); also report
        each use of a constant, naming the constant (fixed once, at its definition)."""
        edits = []
        if new_id is not None:
            if site.literal is not None:
                self._literal_fixes.setdefault(id(site.literal), []).append((site, message, new_id, kw))
                return
            from ..rule import Replace

            edits = [Replace(site.node, site.replacement_text(new_id))]
        self._report_site(site, message, edits, kw)

    def _report_site(self, site: ModelSite, message: str, edits: list, kw: dict) -> None:
        self.report(site.node, message, edits=edits, statement=site.statement, **kw)
        if site.constant:
            for use in site.uses:
                kw2 = {k: v for k, v in kw.items() if k in ("severity", "code")}
                self.report(use.name_node, "%s is %r: %s" % (site.constant, site.model_id, message),
                            statement=use.statement, related=(site.node,), **kw2)


def _literal_edit(module: cst.Module, sub: cst.Subscript, new_ids: Dict[int, str]):
    """Rewrite a whole ``Literal[...]`` with members replaced (``id(string node) -> new ID``)
    and duplicates dropped."""
    from ..rule import Replace

    seen = set()
    kept = []
    for el in sub.slice:
        inner = el.slice.value if isinstance(el.slice, cst.Index) else None
        new_id = new_ids.get(id(inner))
        if new_id is not None:
            value = string_value(inner) or ""
            prefix = PROVIDER_PREFIX if value.startswith(PROVIDER_PREFIX) else ""
            inner = cst.SimpleString("%s%s%s%s%s" % (inner.prefix, inner.quote, prefix, new_id, inner.quote))
            el = el.with_changes(slice=cst.Index(value=inner))
        key = string_value(inner) if isinstance(inner, cst.SimpleString) else None
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        kept.append(el)
    if kept:
        last_comma = sub.slice[-1].comma
        kept[-1] = kept[-1].with_changes(comma=last_comma)
    return Replace(sub, module.code_for_node(sub.with_changes(slice=kept)))


# ---- what the uses say ----------------------------------------------------------------------------------

#: how to make a fix possible where a Pro Voice Clone's base is not known
PVC_HOW_TO = ("set pvc-voices in the configuration ([tool.cartesia-migrate] pvc-voices = {VOICE = DATED MODEL}), "
              "or CARTESIA_API_KEY for the live fine-tunes API")


@dataclass
class PvcEvidence:
    """The Pro Voice Clones a model ID is used with."""

    bases: Set[str]  # the dated models those clones were trained on (when known)
    voices: List[str]  # the clone voice IDs (or the names that say PVC)
    all_pvc: bool  # every use is known and uses a clone
    unknown: List[str] = field(default_factory=list)  # clones whose base is not known

    @property
    def guessed(self) -> bool:  # kept for callers of the old API: some clone's base is not known
        return bool(self.unknown)


_PVC_NAME = re.compile(r"(?:^|[._])(?:pvc|pro_?voice_?clone)(?:_|$)", re.I)
_NOT_PVC = object()


def pvc_base_for(ctx, voice_id: Optional[str]):
    """The dated model a Pro Voice Clone was trained on: the live fine-tunes first, then the
    configuration.  None: a clone whose base is not known (live fine-tunes without a base, a voice
    the voices API marks ``is_pro``); ``_NOT_PVC``: not known to be a clone."""
    if not voice_id:
        return _NOT_PVC
    models = ctx.models
    live = getattr(models, "pvc_voices", {}) or {}
    configured = ctx.settings.pvc_map.get(voice_id)
    if configured is not None:
        return configured if split_dated(configured)[1] else None
    if voice_id in live:
        base = live[voice_id]
        return base if base and split_dated(base)[1] else None
    if voice_id in (getattr(models, "pro_voices", ()) or ()):
        return None
    return _NOT_PVC


def pvc_evidence(rule, site: ModelSite) -> Optional[PvcEvidence]:
    """None when no use of ``site`` is known to use a Pro Voice Clone."""
    a: ModelIdAnalysis = rule.analysis
    key = ("pvc", id(site))
    if key not in a.memo:
        a.memo[key] = _pvc_evidence(rule, site)
    return a.memo[key]


def _pvc_evidence(rule, site: ModelSite) -> Optional[PvcEvidence]:
    a: ModelIdAnalysis = rule.analysis
    bases, voices, unknown = set(), [], []
    all_pvc = not site.incomplete and bool(site.usages)
    for u in site.usages:
        e = voice_expr(u)
        v = a.resolve(e, u)
        base = pvc_base_for(rule.ctx, v)
        if base is _NOT_PVC:
            name = next((n for n in a.names_along(e, u) if _PVC_NAME.search(n)), None)
            if name is None:
                all_pvc = False
                continue
            base, v = None, v or name  # named like a clone: its base is not known
        if base is None:
            unknown.append(v)
        else:
            bases.add(base)
        voices.append(v)
    if not voices:
        return None
    return PvcEvidence(bases, voices, all_pvc, unknown)


@dataclass
class LanguageEvidence:
    """The languages a model ID is sent with, as far as the file tells."""

    removed: Set[str]  # known languages the model no longer serves
    kept: Set[str]  # known languages it still serves
    unknown: int  # uses whose language is absent or cannot be followed
    unreadable: int = 0  # uses that send a language that cannot be read
    locale: bool = False  # some use sets locale=

    @property
    def complete(self) -> bool:
        return self.unknown == 0

    @property
    def languages(self) -> Set[str]:
        return self.removed | self.kept


def _sets_locale(use: Use) -> bool:
    if use.call is not None and _kwarg(use.call, ("locale",)) is not None:
        return True
    return use.dict_node is not None and "locale" in _string_keys(use.dict_node)


def language_evidence(rule, site: ModelSite, removed_languages: Sequence[str]) -> LanguageEvidence:
    a: ModelIdAnalysis = rule.analysis
    removed, kept, unknown, unreadable, locale = set(), set(), 0, 0, False
    for u in site.usages:
        locale = locale or _sets_locale(u)
        lang = a.language_of(u)
        if lang is None:
            unknown += 1
            if language_expr(u) is not None:
                unreadable += 1
        elif lang in removed_languages:
            removed.add(lang)
        else:
            kept.add(lang)
    if site.incomplete or not site.usages:
        unknown += 1
    return LanguageEvidence(removed, kept, unknown, unreadable, locale)


@dataclass
class Evidence:
    """Everything the decision needs about how a model ID is used (Python and config files alike)."""

    language: LanguageEvidence
    speed_volume: bool
    pvc: Optional[PvcEvidence]

    @property
    def needs(self) -> Needs:
        lang = self.language
        return Needs(frozenset(lang.languages), lang.unreadable > 0, lang.locale, self.speed_volume)


def site_evidence(rule, site: ModelSite) -> Evidence:
    a: ModelIdAnalysis = rule.analysis
    key = ("evidence", id(site))
    if key not in a.memo:
        info = rule.ctx.models.info(site.model_id)
        removed = info.removed_languages if info else ()
        a.memo[key] = Evidence(language_evidence(rule, site, removed), site.settings_sets_speed_or_volume,
                               pvc_evidence(rule, site))
    return a.memo[key]


def successor_for(models, settings, ev: Evidence) -> Choice:
    """The one successor policy (Python files, notebooks and config files): a clone's own base for
    a Pro Voice Clone; ``replacement-model`` from the configuration; else the newest dated snapshot
    of the newest stable family on the list in use that serves what the call uses."""
    pvc = ev.pvc
    if pvc is not None:
        if pvc.unknown:
            return Choice(None, "it is used with Pro Voice Clone %s, whose base model is not known (%s)"
                          % (quoted_list(repr(v) for v in set(pvc.unknown)), PVC_HOW_TO))
        if len(pvc.bases) > 1:
            return Choice(None, "it is used with Pro Voice Clones trained on different models (%s)"
                          % quoted_list(pvc.bases))
        if not pvc.all_pvc:
            return Choice(None, "it is used with Pro Voice Clone %s and elsewhere: each needs its own model"
                          % quoted_list(repr(v) for v in set(pvc.voices)))
        return models.pvc_target(next(iter(pvc.bases)))
    override = settings.replacement_model
    if override:
        if split_dated(override)[1]:
            target = override if models.is_served(override) else None
        else:
            choice = models.pin(override, ev.needs) if models.info(override) else None
            target = choice.target if choice is not None and choice.safe else models.newest_dated(override)
        if target:
            return Choice(target, "replacement-model from the configuration")
        return Choice(None, "replacement-model %r is not on the %s" % (override, models.list_name))
    return models.successor(ev.needs)


def tts_model_in_service(models, model_id: str) -> bool:
    """A TTS ID that works today: current/preview in the knowledge, or an unknown ID the list serves."""
    info = models.info(model_id)
    if info is not None:
        return info.capability == "tts" and info.status in ("current", "preview")
    return any(model_id.startswith(p) for p in _TTS_PREFIXES) and models.is_served(model_id)


def quoted_list(items) -> str:
    return ", ".join(sorted(items))


# ---- the decision: CM101-CM105 for one model ID (one implementation, every file kind) ---------------

@dataclass
class Decision:
    code: str
    message: str
    new_id: Optional[str] = None
    applicability: Optional[str] = None  # safe | unsafe (None: no fix)
    severity: Optional[str] = None
    fix_message: Optional[str] = None


def _fixed(code: str, model_id: str, msg: str, choice: Choice, sep: str = ": use %r (%s)",
           safe_allowed: bool = True, **kw) -> Decision:
    from ..catalog import SAFE, UNSAFE

    if choice.target:
        return Decision(code, msg + sep % (choice.target, choice.explain()), choice.target,
                        SAFE if choice.safe and safe_allowed else UNSAFE,
                        fix_message="Replace %r with %r" % (model_id, choice.target), **kw)
    return Decision(code, "%s; not fixed: %s" % (msg, choice.why), None, **kw)


def decide(models, settings, model_id: str, ev: Evidence, literal: bool = False) -> Optional[Decision]:
    """What CM101-CM105 say about ``model_id`` used as ``ev`` tells (None: nothing).  ``literal``:
    the ID is a ``Literal[...]`` member (a type lists what is accepted: no CM104/CM105)."""
    from ..catalog import ERROR
    from ..rule import severity_by_date

    info = models.info(model_id)
    if info is None:
        if literal or not tts_model_in_service(models, model_id):
            return None
        return _decide_in_service(models, settings, model_id, info, ev)
    if info.status == "discontinued":
        if info.removed_on:
            msg = "Model %r was discontinued on %s" % (model_id, info.removed_on)
            severity = severity_by_date(info.removed_on)
        else:
            fact = info.fact("removed_on")
            msg = "Model %r is retired (%s)" % (model_id, fact.note if fact and fact.note else
                                                "no sourced removal date")
            severity = ERROR
        return _fixed("CM101", model_id, msg, successor_for(models, settings, ev), severity=severity)
    if info.status == "partial":
        lang = ev.language
        if lang.removed:
            msg = "Model %r no longer serves %s since %s" % (
                model_id, ("language %s" if len(lang.removed) == 1 else "languages %s") % quoted_list(lang.removed),
                info.removed_on)
            severity = severity_by_date(info.removed_on)
            if lang.kept:
                why = "it is also used with %s, which %r still serves: give those calls their own model ID" % (
                    quoted_list(lang.kept), model_id)
                return Decision("CM102", "%s; not fixed: %s" % (msg, why), severity=severity)
            if not lang.complete:
                return Decision("CM102", "%s; not fixed: it is also used where the language cannot be known"
                                % msg, severity=severity)
            return _fixed("CM102", model_id, msg, successor_for(models, settings, ev), severity=severity)
        msg = "Model %r is legacy: since %s it no longer serves %s" % (
            model_id, info.removed_on, quoted_list(info.removed_languages))
        if not lang.complete:
            msg += " (requests in those languages fail)"
        q = info.sunset_question
        if q is not None:
            msg += "; a sunset on %s is announced but unconfirmed (%s)" % (q.value, q.note or "open question")
        return _fixed("CM103", model_id, msg, successor_for(models, settings, ev),
                      sep="; migrate to %r (%s; review: the voice output changes)", safe_allowed=False)
    if literal or not tts_model_in_service(models, model_id):
        return None
    return _decide_in_service(models, settings, model_id, info, ev)


def _decide_in_service(models, settings, model_id: str, info, ev: Evidence) -> Optional[Decision]:
    pvc = ev.pvc
    dated = split_dated(model_id)[1] is not None
    if pvc is not None:
        if pvc.bases == {model_id} and not pvc.unknown:
            return None
        voices = quoted_list(repr(v) for v in set(pvc.voices))
        if dated:
            problem = "%r is not the model it was trained on" % model_id
        else:
            problem = "%r is an undated alias, and clones only work with the exact dated model" % model_id
        if pvc.unknown:
            if dated:
                return None  # it may well be the clone's base
            return Decision("CM104", "Pro Voice Clone %s: %s; not fixed: the clone's base model is not known "
                            "(%s)" % (voices, problem, PVC_HOW_TO))
        if len(pvc.bases) > 1:
            return Decision("CM104", "Model %r is used with Pro Voice Clones %s trained on different models "
                            "(%s); not fixed: each clone needs its own dated model" % (
                                model_id, voices, quoted_list(pvc.bases)))
        base = next(iter(pvc.bases))
        msg = "Pro Voice Clone %s was trained on %r: %s" % (voices, base, problem)
        choice = models.pvc_target(base)
        if choice.target is None:
            return Decision("CM104", "%s; not fixed: %s" % (msg, choice.why))
        pinned = models.pin(model_id) if info is not None and info.kind == "alias" else None
        neutral = pinned is not None and pinned.safe and pinned.target == base  # the alias serves it today
        if not pvc.all_pvc and not neutral:
            return Decision("CM104", "%s; not fixed: %r is also used where the voice is not that clone or "
                            "cannot be known" % (msg, model_id))
        return _fixed("CM104", model_id, msg, choice, sep="; use %r (%s)")
    if not settings.pin_dated or info is None or info.kind != "alias" or info.capability != "tts" \
            or info.status not in ("current", "preview"):
        return None
    if info.status == "preview" or not info.resolves_to:
        msg = "Model alias %r can be updated without notice and is not meant for production" % model_id
    else:
        msg = "Undated model alias %r moves to each new snapshot without notice" % model_id
    choice = models.pin(model_id, ev.needs)
    return _fixed("CM105", model_id, msg, choice, sep=": pin %r (%s)")


def site_decision(rule, site: ModelSite) -> Optional[Decision]:
    """The decision for a Python site (computed once per site, shared by CM101-CM105)."""
    a: ModelIdAnalysis = rule.analysis
    key = ("decision", id(site))
    if key not in a.memo:
        ctx = rule.ctx
        a.memo[key] = decide(ctx.models, ctx.settings, site.model_id, site_evidence(rule, site),
                             literal=site.literal is not None)
    return a.memo[key]


def report_decision(rule, site: ModelSite) -> None:
    """Report ``site`` when the decision names ``rule``'s code."""
    d = site_decision(rule, site)
    if d is None or d.code != rule.CODE:
        return
    kw = {"severity": d.severity} if d.severity else {}
    if d.new_id:
        kw.update(fix_message=d.fix_message, applicability=d.applicability)
    rule.report_site(site, d.message, d.new_id, **kw)
