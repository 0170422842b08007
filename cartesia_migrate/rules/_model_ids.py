"""Where a model ID counts: the precision rules of RULES.md, shared by CM101-CM106.

``ModelIdSites`` is a mixin for rules: it visits string literals, decides
whether each is a model ID in a model-ID position, follows module/class
constants to their uses, and calls ``self.on_model_id(site)`` once per site
(deferred to the end of the module so that constant uses are known).

Counts (in a file with Cartesia context):
- ``model_id=`` / ``model=`` arguments, ``"model_id"`` / ``"model"`` dict values,
  defaults of parameters and fields named like ``model``, constants and
  attribute assignments named like ``model``, ``Literal[...]`` members;
- an unambiguous ID (dated, ``sonic-english``, ...) in any other string literal;
- a provider-prefixed string ``"cartesia/<id>"`` (only the part after the slash).

Never: docstrings, comments, f-strings and concatenations, comparison and
membership operands (also collections bound to a name used only there),
``startswith``/``endswith`` arguments, subscript keys, dict keys, non-Cartesia names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import libcst as cst

from ..bindings import dotted_name
from ..models import MODEL_ID_RE, split_dated

#: trigger tokens for the prefilter
MODEL_PREFILTER = (r"sonic", r"upbeat-moon")

MODEL_KEYWORDS = {"model", "model_id", "tts_model", "tts_model_id", "model_name", "voice_model"}
PROVIDER_PREFIX = "cartesia/"
_CANDIDATE = re.compile(r"^(?:cartesia/)?(?:sonic|upbeat-moon|ink)")
_AMBIGUOUS_EXTRA = re.compile(r"english|multilingual|turbo|upbeat-moon")
_CONTAINERS = (cst.Element, cst.StarredElement, cst.List, cst.Set, cst.Tuple)


def is_model_name(name: str) -> bool:
    """``model``, ``model_id``, ``DEFAULT_MODEL_ID``, ``tts_model``, ``self.model``..."""
    n = name.rsplit(".", 1)[-1].lower()
    return n in MODEL_KEYWORDS or n.endswith(("_model", "_model_id", "_model_name", "model_id"))


def is_unambiguous(model_id: str) -> bool:
    """IDs that mean a Cartesia model in any string literal (dated, sonic-english, ...)."""
    _, date = split_dated(model_id)
    return bool(date) or bool(_AMBIGUOUS_EXTRA.search(model_id))


def string_value(node: cst.SimpleString) -> Optional[str]:
    prefix = node.prefix.lower()
    if "b" in prefix or "f" in prefix:
        return None
    try:
        v = node.evaluated_value
    except Exception:
        return None
    return v if isinstance(v, str) else None


@dataclass
class ModelSite:
    node: cst.SimpleString  # the string literal to rewrite
    model_id: str  # without the provider prefix
    provider_prefix: str  # "" or "cartesia/"
    kind: str  # kwarg | dict | param | field | constant | attribute | literal | other
    call: Optional[cst.Call] = None  # the call the ID is passed to (kwarg sites, dict payload args)
    dict_node: Optional[cst.Dict] = None  # the payload dict (dict sites)
    literal: Optional[cst.Subscript] = None  # the Literal[...] (literal sites)
    constant: Optional[str] = None  # the constant's name when the site is a definition
    uses: List["ConstantUse"] = field(default_factory=list)  # use sites of that constant
    function: Optional[cst.FunctionDef] = None  # for parameter defaults
    statement: Optional[cst.CSTNode] = None

    def replacement_text(self, new_id: str) -> str:
        """The literal rewritten to ``new_id``, keeping prefix, quotes and provider prefix."""
        n = self.node
        body = self.provider_prefix + new_id
        return "%s%s%s%s" % (n.prefix, n.quote, body, n.quote)

    @property
    def settings_sets_speed_or_volume(self) -> bool:
        calls = [self.call] + [u.call for u in self.uses]
        if any(c is not None and call_sets_speed_or_volume(c) for c in calls):
            return True
        return self.dict_node is not None and dict_sets_speed_or_volume(self.dict_node)


@dataclass
class ConstantUse:
    name_node: cst.CSTNode
    call: Optional[cst.Call]
    statement: Optional[cst.CSTNode]


def _string_keys(d: cst.Dict) -> Dict[str, cst.BaseExpression]:
    out = {}
    for el in d.elements:
        if isinstance(el, cst.DictElement) and isinstance(el.key, cst.SimpleString):
            k = string_value(el.key)
            if k is not None:
                out[k] = el.value
    return out


def dict_sets_speed_or_volume(d: cst.Dict) -> bool:
    keys = _string_keys(d)
    if "speed" in keys or "volume" in keys:
        return True
    gc = keys.get("generation_config")
    return isinstance(gc, cst.Dict) and bool({"speed", "volume"} & set(_string_keys(gc)))


def call_sets_speed_or_volume(call: cst.Call) -> bool:
    for arg in call.args:
        kw = arg.keyword.value if arg.keyword else None
        if kw in ("speed", "volume", "_experimental_voice_controls"):
            return True
        if kw == "generation_config":
            v = arg.value
            if isinstance(v, cst.Dict):
                return dict_sets_speed_or_volume(v)
            if isinstance(v, cst.Call) and dotted_name(v.func) in ("GenerationConfig", "dict",
                                                                  "GenerationConfigParam"):
                return any(a.keyword and a.keyword.value in ("speed", "volume") for a in v.args)
            return True  # a variable: may well set speed/volume; stay on sonic-3
        if isinstance(arg.value, cst.Dict) and dict_sets_speed_or_volume(arg.value):
            return True
    return False


def voice_of_call(call: Optional[cst.Call]) -> Optional[cst.BaseExpression]:
    """The voice expression of a TTS call: ``voice_id=X``, ``voice=X`` or ``voice={"id": X}``."""
    if call is None:
        return None
    for arg in call.args:
        kw = arg.keyword.value if arg.keyword else None
        if kw in ("voice_id", "voice"):
            return _voice_id_expr(arg.value)
    return None


def voice_of_dict(d: Optional[cst.Dict]) -> Optional[cst.BaseExpression]:
    if d is None:
        return None
    keys = _string_keys(d)
    for k in ("voice_id", "voice"):
        if k in keys:
            return _voice_id_expr(keys[k])
    return None


def _voice_id_expr(v: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    if isinstance(v, cst.Dict):
        return _string_keys(v).get("id")
    return v


class ModelIdSites:
    """Mixin for Rule subclasses: collects model-ID sites; calls ``on_model_id`` at module end."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self._sites: List[ModelSite] = []
        self._constants: Dict[str, Tuple[cst.SimpleString, int]] = {}  # name -> (string, #assignments)
        self._constant_sites: Dict[str, ModelSite] = {}
        self._constant_uses: Dict[str, List[ConstantUse]] = {}
        self._collection_names: Dict[int, str] = {}  # id(string) -> name of the collection holding it
        self._compared_names: set = set()
        self.string_constants: Dict[str, cst.SimpleString] = {}  # module/class constants, single def

    # -- the mixin's traversal ----------------------------------------------------------
    def visit_Comparison(self, node: cst.Comparison) -> None:
        for part in [node.left] + [t.comparator for t in node.comparisons]:
            if isinstance(part, (cst.Name, cst.Attribute)):
                name = dotted_name(part)
                if name:
                    self._compared_names.add(name)

    def visit_Arg(self, node: cst.Arg) -> None:
        # model_id=CONSTANT: a use site of a constant
        if node.keyword is None or not is_model_name(node.keyword.value):
            return
        if isinstance(node.value, cst.Name):
            call = self.ctx.parent()
            self._constant_uses.setdefault(node.value.value, []).append(
                ConstantUse(node.value, call if isinstance(call, cst.Call) else None,
                            self.ctx.enclosing_statement()))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if not self.ctx.has_cartesia_context:
            return
        raw = node.value
        if "sonic" not in raw and "upbeat" not in raw and "ink" not in raw:
            return
        value = string_value(node)
        if value is None or not _CANDIDATE.match(value):
            return
        prefix = ""
        if value.startswith(PROVIDER_PREFIX):
            prefix, value = PROVIDER_PREFIX, value[len(PROVIDER_PREFIX):]
        if not MODEL_ID_RE.match(value):
            return
        site = self._classify(node, value, prefix)
        if site is None:
            return
        if site.kind == "other" and not is_unambiguous(value) and not prefix:
            return
        self._sites.append(site)

    def leave_Module(self, node: cst.Module) -> None:
        # constants: attach uses; drop collections used only in comparisons
        for site in self._sites:
            if site.constant:
                site.uses = self._constant_uses.get(site.constant, [])
            coll = self._collection_names.get(id(site.node))
            if coll is not None and coll in self._compared_names:
                site.kind = "skip"
        # a constant that is not itself a model position but is passed as model_id=NAME
        for name, uses in self._constant_uses.items():
            hit = self._constants.get(name)
            if hit is None or hit[1] != 1:
                continue
            string = hit[0]
            if any(s.node is string for s in self._sites):
                continue
            value = string_value(string)
            if value is None:
                continue
            prefix = ""
            if value.startswith(PROVIDER_PREFIX):
                prefix, value = PROVIDER_PREFIX, value[len(PROVIDER_PREFIX):]
            if not MODEL_ID_RE.match(value):
                continue
            self._sites.append(ModelSite(string, value, prefix, "constant", constant=name, uses=uses,
                                         statement=None))
        for site in self._sites:
            if site.kind != "skip":
                self.on_model_id(site)

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
                edits = [_literal_edit(self.ctx.module, site, new_id)]
            else:
                from ..rule import Replace

                edits = [Replace(site.node, site.replacement_text(new_id))]
        self.report(site.node, message, edits=edits, statement=site.statement, **kw)
        if site.constant:
            for use in site.uses:
                kw2 = {k: v for k, v in kw.items() if k in ("severity", "code")}
                self.report(use.name_node, "%s is %r: %s" % (site.constant, site.model_id, message),
                            statement=use.statement, **kw2)

    # -- classification ----------------------------------------------------------------------
    def _classify(self, node: cst.SimpleString, value: str, prefix: str) -> Optional[ModelSite]:
        stack = self.ctx.stack  # [..., parent, node]
        stmt = self.ctx.enclosing_statement()
        i = len(stack) - 2
        child: cst.CSTNode = node
        parent = stack[i] if i >= 0 else None
        if isinstance(parent, (cst.Expr,)):
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
            if isinstance(call, cst.Call):
                fn = call.func
                if isinstance(fn, cst.Attribute) and fn.attr.value in ("startswith", "endswith",
                                                                         "removeprefix", "removesuffix",
                                                                         "find", "index", "count",
                                                                         "replace", "split", "strip"):
                    return None
                kw = parent.keyword.value if parent.keyword else None
                if kw is not None and is_model_name(kw) and not in_container:
                    return ModelSite(node, value, prefix, "kwarg", call=call, statement=stmt)
            return ModelSite(node, value, prefix, "other", call=call if isinstance(call, cst.Call) else None,
                             statement=stmt)
        if isinstance(parent, cst.DictElement):
            if child is parent.key:
                return None
            d = stack[i - 1] if i >= 1 else None
            key = string_value(parent.key) if isinstance(parent.key, cst.SimpleString) else None
            if key is not None and is_model_name(key) and not in_container and isinstance(d, cst.Dict):
                call = self._call_of_dict(i - 1)
                return ModelSite(node, value, prefix, "dict", dict_node=d, call=call, statement=stmt)
            return ModelSite(node, value, prefix, "other", statement=stmt)
        if isinstance(parent, cst.Index):
            sub_el = stack[i - 1] if i >= 1 else None
            sub = stack[i - 2] if i >= 2 else None
            if isinstance(sub_el, cst.SubscriptElement) and isinstance(sub, cst.Subscript):
                if self._is_literal(sub.value):
                    return ModelSite(node, value, prefix, "literal", literal=sub, statement=stmt)
                # Optional["..."] style annotations, x["sonic"] lookups: never a model position
                return None
            return None
        if isinstance(parent, cst.Param):
            if child is parent.default and not in_container:
                kind = "param" if is_model_name(parent.name.value) else "other"
                fn = next((a for a in self.ctx.ancestors() if isinstance(a, cst.FunctionDef)), None)
                return ModelSite(node, value, prefix, kind, function=fn, statement=stmt)
            return None
        if isinstance(parent, (cst.Assign, cst.AnnAssign)):
            targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
            names = [dotted_name(t) for t in targets]
            top_level = self._is_module_or_class_level()
            if in_container:
                # MODELS = {"sonic", ...}: remember the collection's name (membership tests)
                if len(names) == 1 and names[0]:
                    self._collection_names[id(node)] = names[0]
                return ModelSite(node, value, prefix, "other", statement=stmt)
            kind = "other"
            constant = None
            for n in names:
                if n is None:
                    continue
                if top_level and "." not in n:
                    cnt = self._constants.get(n, (node, 0))[1] + 1
                    self._constants[n] = (node, cnt)
                    constant = n if cnt == 1 else None
                if is_model_name(n):
                    if "." in n:
                        kind = "attribute"
                    elif isinstance(parent, cst.AnnAssign) and self._in_class_body():
                        kind = "field"
                    else:
                        kind = "constant" if top_level else "variable"
            site = ModelSite(node, value, prefix, kind, constant=constant if top_level else None,
                             statement=stmt)
            if constant and kind in ("constant", "field", "other"):
                self._constant_sites[constant] = site
            return site
        if isinstance(parent, cst.Return) or isinstance(parent, cst.IfExp) or isinstance(parent, cst.Yield):
            return ModelSite(node, value, prefix, "other", statement=stmt)
        if isinstance(parent, cst.Subscript) or isinstance(parent, cst.SubscriptElement):
            return None
        return ModelSite(node, value, prefix, "other", statement=stmt)

    def _call_of_dict(self, dict_index: int) -> Optional[cst.Call]:
        """The call a payload dict is passed to directly (``send(json={...})``), if any."""
        stack = self.ctx.stack
        j = dict_index - 1
        if j >= 1 and isinstance(stack[j], cst.Arg) and isinstance(stack[j - 1], cst.Call):
            return stack[j - 1]
        return None

    def _is_literal(self, value: cst.BaseExpression) -> bool:
        name = dotted_name(value)
        return name is not None and name.rsplit(".", 1)[-1] == "Literal"

    def _is_module_or_class_level(self) -> bool:
        for a in self.ctx.ancestors():
            if isinstance(a, (cst.FunctionDef, cst.Lambda)):
                return False
        return True

    def _in_class_body(self) -> bool:
        for a in self.ctx.ancestors():
            if isinstance(a, cst.FunctionDef):
                return False
            if isinstance(a, cst.ClassDef):
                return True
        return False


def _literal_edit(module: cst.Module, site: ModelSite, new_id: str):
    """Rewrite a whole ``Literal[...]`` with this member replaced and duplicates dropped."""
    from ..rule import Replace

    sub = site.literal
    seen = set()
    kept = []
    for el in sub.slice:
        inner = el.slice.value if isinstance(el.slice, cst.Index) else None
        if inner is site.node:
            inner = cst.SimpleString(site.replacement_text(new_id))
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


# ---- successors ---------------------------------------------------------------------------

def voice_id_of_site(rule, site: ModelSite) -> Optional[str]:
    """The literal voice ID used with this model ID (same call/dict, or a constant), if known."""
    exprs = [voice_of_call(site.call), voice_of_dict(site.dict_node)]
    exprs += [voice_of_call(u.call) for u in site.uses]
    for e in exprs:
        if isinstance(e, cst.SimpleString):
            return string_value(e)
        if isinstance(e, cst.Name):
            hit = rule._constants.get(e.value)
            if hit is not None and hit[1] == 1:
                return string_value(hit[0])
    return None


def pvc_base_for(ctx, voice_id: Optional[str]) -> Optional[str]:
    """The dated model a Pro Voice Clone was trained on (live fine-tunes first, then config)."""
    if not voice_id:
        return None
    live = getattr(ctx.models, "pvc_voices", {}) or {}
    if voice_id in live:
        return live[voice_id]
    return ctx.settings.pvc_map.get(voice_id)


def choose_successor(rule, site: ModelSite, family: str = "sonic-3.5") -> Tuple[Optional[str], str]:
    """The dated ID a discontinued/legacy ``site`` should move to, on the list in use.

    Returns (new_id, why); new_id is None when no safe target is on the list (why says so).
    Order: the clone's own base for a PVC voice; ``replacement-model`` from config; the newest
    dated sonic-3 where the call sets speed/volume (disabled on sonic-3.5); else the newest dated
    snapshot of ``family``.
    """
    ctx = rule.ctx
    models = ctx.models
    base = pvc_base_for(ctx, voice_id_of_site(rule, site))
    if base is not None:
        if models.is_served(base):
            return base, "the Pro Voice Clone's own base model"
        return None, "the clone's base model %s is not on the models list in use" % base
    override = ctx.settings.replacement_model
    if override:
        target = override if split_dated(override)[1] else models.resolve_alias(override)
        if target and models.is_served(target):
            return target, "replacement-model from the configuration"
        return None, "replacement-model %r is not on the models list in use" % override
    if site.settings_sets_speed_or_volume:
        target = models.newest_dated("sonic-3")
        if target:
            return target, "the call sets speed/volume, which sonic-3.5 does not support yet"
        return None, "no dated sonic-3 snapshot is on the models list in use"
    target = models.newest_dated(family)
    if target:
        return target, "the recommended successor"
    return None, "no dated %s snapshot is on the models list in use" % family
