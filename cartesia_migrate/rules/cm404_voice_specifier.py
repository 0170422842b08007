"""CM404 voice-specifier: 1.x ``voice_id=X`` / 2.x-3.x ``voice={"mode": "id", "id": X}`` -> 4.x ``voice=X``.

4.x types ``voice`` as ``Union[str, TTSRequestVoiceObject]`` (a voice ID, or ``{"id": ...}``);
"``{"mode": "id", ...}`` is no longer the typed shape" (MIGRATING.md).  Fixed in the
arguments of TTS calls on Cartesia clients, and in a variable holding such a dict that
is passed as ``voice=``: replaced by the ID when every use of the variable is such an
argument, else by ``{"id": X}`` (which keeps it a dict).  Embeddings
(``voice_embedding=``, ``{"mode": "embedding", ...}``) were discontinued on 2026-06-01:
reported, never fixed.  Dicts with ``"__experimental_controls"`` are CM411's.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from ..bindings import Scope
from ..rule import Replace
from ._prefilter import ESCAPE, IMPORTS_CARTESIA, TOUCHING_LITERALS, any_of, ident
from ._names import is_attribute_name, is_keyword_name, names_with_parents
from ._sdk import TTS_VOICE_PATHS, SdkRule, Site, rename_kwarg, string_value, voice_dict

#: the generation-request events of a 4.x ``websocket_connect()`` connection
WS_EVENT_PATHS = frozenset({"tts.websocket_connect()@.send"})
EMBEDDING_MSG = (
    'Voice embeddings were discontinued on 2026-06-01 (4.x: "Embeddings are not accepted in this '
    'API version"): clone the voice once with `client.voices.clone(clip=open(path, "rb"), '
    'name=..., language=...)` and pass its ID: `voice="<voice id>"`'
)


class VoiceSpecifier(SdkRule):
    CODE = "CM404"
    # voice_id= / voice_embedding= / voice=, or a "voice" key of a WebSocket event
    PREFILTER = ((IMPORTS_CARTESIA, ident("tts"),
                  ident("bytes", "sse", "generate", "generate_sse", "send", "push", "context"),
                  any_of(r"(?-i:\bvoice)", TOUCHING_LITERALS, ESCAPE)),)
    METHODS = frozenset({"bytes", "sse", "generate", "generate_sse", "send", "push", "context"})

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # NAME = {"mode": "id", "id": X}: (assign value, scope, statement)
        self.dict_vars: Dict[str, List[Tuple[cst.BaseExpression, Scope, Optional[cst.CSTNode], bool]]] = {}
        self.voice_arg_uses: Dict[str, List[Site]] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) and voice_dict(node.value):
            self.dict_vars.setdefault(node.targets[0].target.value, []).append(
                (node.value, self.ctx.bindings.scope, self.ctx.enclosing_statement(), True)
            )

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        # VOICE: TtsRequestIdSpecifierParams = {...} (CM412 moves the type to VoiceSpecifierParam)
        if isinstance(node.target, cst.Name) and node.value is not None and voice_dict(node.value):
            # a str fits the annotation only if it names a voice specifier type, not Dict[...]
            ann = self.code(node.annotation.annotation)
            self.dict_vars.setdefault(node.target.value, []).append(
                (
                    node.value,
                    self.ctx.bindings.scope,
                    self.ctx.enclosing_statement(),
                    "VoiceSpecifier" in ann or "IdSpecifier" in ann,
                )
            )

    def _name_uses(self, name: str) -> int:
        """How many Names ``name`` the file has, attribute names and keywords not counted."""
        return sum(1 for node, parent in names_with_parents(self.ctx).get(name, ())
                   if not (is_attribute_name(node, parent) or is_keyword_name(node, parent)))

    def check(self, site: Site) -> None:
        if site.path in WS_EVENT_PATHS:
            self._ws_event(site)
            return
        if site.path not in TTS_VOICE_PATHS:
            return
        voice = site.arg("voice")
        voice_id = site.arg("voice_id")
        embedding = site.arg("voice_embedding")
        if embedding is not None:
            self.report_site(site, EMBEDDING_MSG, node=embedding)
        if voice_id is not None:
            if voice is None:
                self.report_site(
                    site,
                    "`voice_id=` is the 1.x keyword: 4.x takes `voice=` with the ID",
                    edits=rename_kwarg(voice_id, "voice"),
                    node=voice_id,
                    fix_message="Rename voice_id= to voice=",
                )
            return
        if voice is None:
            return
        value = voice.value
        if isinstance(value, cst.Name):
            self.voice_arg_uses.setdefault(value.value, []).append(site)
            return
        self._check_dict(site, value, value, replace_with_id=True)

    def _ws_event(self, site: Site) -> None:
        """``ws.send({"model_id": ..., "voice": {"mode": "id", "id": X}, ...})`` on a 4.x WebSocket connection."""
        if len(site.call.args) != 1 or site.call.args[0].keyword is not None:
            return
        event = site.call.args[0].value
        if not isinstance(event, cst.Dict):
            return
        for el in event.elements:
            if isinstance(el, cst.DictElement) and string_value(el.key) == "voice":
                self._check_dict(site, el.value, el.value, replace_with_id=True)

    def _check_dict(
        self,
        site: Optional[Site],
        value: cst.BaseExpression,
        node: cst.CSTNode,
        replace_with_id: bool,
        statement: Optional[cst.CSTNode] = None,
    ) -> None:
        vd = voice_dict(value)
        if vd is None:
            return
        mode, items = vd
        stmt = site.statement if site is not None else statement
        if mode == "embedding":
            self.report(node, EMBEDDING_MSG, statement=stmt)
            return
        extra = sorted(k for k in items if k not in ("mode", "id"))
        if any("experimental" in k for k in extra):
            return  # CM411 reports the controls; dropping them here would change the voice
        id_code = self.code(items["id"])
        msg = '`{"mode": "id", "id": ...}` is the 2.x/3.x voice shape: 4.x takes `voice=%s`' % id_code
        if extra:
            self.report(
                node, msg + " (not fixed: the dict has other keys: %s)" % ", ".join(extra), statement=stmt
            )
            return
        if replace_with_id:
            self.report(
                node,
                msg,
                edits=[Replace(value, id_code)],
                statement=stmt,
                fix_message="Pass the voice ID: voice=%s" % id_code,
            )
        else:
            self.report(
                node,
                msg + ' (or `{"id": %s}`)' % id_code,
                edits=[Replace(value, '{"id": %s}' % id_code)],
                statement=stmt,
                fix_message='Use {"id": %s}' % id_code,
            )

    def finish(self) -> None:
        for name, sites in self.voice_arg_uses.items():
            assigns = self.dict_vars.get(name)
            if not assigns:
                continue
            uses = self._name_uses(name) - len(assigns)
            only_voice_args = len(assigns) == 1 and uses == len(sites)
            for value, scope, stmt, str_fits in assigns:
                # the variable must be the one the calls see: same scope chain
                if not any(self._same_binding(name, scope, s.scope) for s in sites):
                    continue
                self._check_dict(
                    None, value, value, replace_with_id=only_voice_args and str_fits, statement=stmt
                )

    def _same_binding(self, name: str, assign_scope: Scope, use_scope: Scope) -> bool:
        for s in use_scope.name_chain(name):
            if s is assign_scope:
                return True
        return False
