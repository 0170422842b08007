"""CM407 removed-voice-api: voices APIs and keywords that 3.x+ removed.

- ``voices.create(...)`` (a voice from an embedding) and ``voices.mix(...)`` were removed
  with the embeddings endpoints (discontinued 2026-06-01): reported with the clone shape;
- 1.x ``voices.clone(filepath=...)`` returned an embedding: reported with the 4.x shape;
- 2.x ``voices.clone(mode=..., enhance=...)``: both keywords are gone (safe: dropped);
- 2.x ``voices.list(is_starred=...)``: gone; dropping it lists every voice (unsafe);
- 0.x ``get_voice_embedding(...)`` (``CartesiaTTS``): reported;
- what 4.x returns is used in an older shape (cartesia 4.2.0 ``types/voice.py``,
  ``pagination.py``): 1.x ``voices.get()`` / the items of ``voices.list()`` were dicts
  (``voice["name"]`` -> ``voice.name``, unsafe, for the fields ``Voice`` has); ``voice.embedding``
  is gone (reported); 3.x ``voice.is_public`` -> ``voice.access == "public"`` (unsafe);
  1.x ``voices.list()`` was a list, 4.x returns a page iterator (``len(voices)`` ->
  ``len(list(voices))``, unsafe; indexing reported); a 2.x/3.x page's ``.items`` is ``.data``
  in 4.x (unsafe).
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from .. import catalog
from ..bindings import Scope
from ..rule import Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, remove_args, string_value

#: ``Voice`` fields in cartesia 4.2.0 (``types/voice.py``): a 1.x dict key among them becomes an attribute
VOICE_FIELDS = frozenset(
    {"id", "access", "created_at", "description", "is_owner", "language", "locales", "name", "tagline",
     "visibility", "accent", "country", "gender", "preview_file_url"}
)
VOICE_PATHS = frozenset({"voices.get()", "voices.list()[]"})
LIST_PATHS = frozenset({"voices.list()"})
PAGE_PATHS = frozenset({"voices.list().iter_pages()[]"})

CLONE_SHAPE = (
    'voice = {c}.clone(clip=open("voice.wav", "rb"), name="...", language="en"); then pass `voice=voice.id`'
)
LEGACY_0X = (
    "cartesia.tts.CartesiaTTS",
    "cartesia.tts.AsyncCartesiaTTS",
    "cartesia.CartesiaTTS",
    "cartesia.AsyncCartesiaTTS",
)


class RemovedVoiceApi(SdkRule):
    CODE = "CM407"
    PREFILTER = ((IMPORTS_CARTESIA, ident("voices"), ident("create", "mix", "clone", "list", "get")),
                 (IMPORTS_CARTESIA, ident("get_voice_embedding"), ident("CartesiaTTS", "AsyncCartesiaTTS")))
    METHODS = frozenset({"create", "mix", "clone", "list", "get_voice_embedding"})

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.reads: List[Tuple[cst.CSTNode, cst.Name, Optional[cst.CSTNode], Scope, Optional[cst.CSTNode]]] = []

    def _read(self, node: cst.CSTNode, name: cst.Name) -> None:
        stack = self.ctx.stack
        parent = stack[-2] if len(stack) > 1 else None
        self.reads.append((node, name, parent, self.ctx.bindings.scope, self.ctx.enclosing_statement()))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if isinstance(node.value, cst.Name):
            self._read(node, node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.attr.value in ("embedding", "is_public", "items"):
            self._read(node, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Name) and func.value == "len" and len(node.args) == 1 \
                and isinstance(node.args[0].value, cst.Name) and not node.args[0].star:
            self._read(node, node.args[0].value)
        if isinstance(func, cst.Attribute) and func.attr.value == "get_voice_embedding":
            if any(q in LEGACY_0X for q in self.ctx.bindings.names.values()):
                self.report(
                    node,
                    "`get_voice_embedding()` is the 0.x API; voice embeddings were discontinued on "
                    "2026-06-01: use a voice ID (`client.voices.get(id)`, or clone one: `%s`)"
                    % CLONE_SHAPE.format(c="client.voices"),
                )
            return
        super().visit_Call(node)

    def check(self, site: Site) -> None:
        if not site.path.startswith("voices."):
            return
        method = site.path[len("voices.") :]
        voices = self.code(site.receiver)  # type: ignore[arg-type]
        if method == "create":
            self.report_site(
                site,
                "`%s.create()` (a voice from an embedding) was removed: embeddings were "
                "discontinued on 2026-06-01; clone from audio instead: `%s`"
                % (voices, CLONE_SHAPE.format(c=voices)),
            )
        elif method == "mix":
            self.report_site(
                site,
                "`%s.mix()` was removed with voice embeddings (discontinued 2026-06-01) and "
                "has no replacement: pick an existing voice or clone one: `%s`"
                % (voices, CLONE_SHAPE.format(c=voices)),
            )
        elif method == "clone":
            self._clone(site, voices)
        elif method == "list":
            starred = site.arg("is_starred")
            if starred is not None:
                self.report_site(
                    site,
                    "`is_starred=` was removed from `%s.list()` in 3.x; without it the list "
                    "includes every voice (filter on your side)" % voices,
                    edits=remove_args(site.call, [starred]),
                    applicability=catalog.UNSAFE,
                    fix_message="Remove is_starred=",
                    node=starred,
                )

    def _clone(self, site: Site, voices: str) -> None:
        filepath = site.arg("filepath")
        if filepath is not None:
            self.report_site(
                site,
                "1.x `%s.clone(filepath=...)` returned an embedding; 4.x clones a voice and "
                'returns it: `voice = %s.clone(clip=open(%s, "rb"), name="...", '
                'language="en")`, then pass `voice=voice.id`' % (voices, voices, self.code(filepath.value)),
            )
            return
        gone = [a for a in (site.arg("mode"), site.arg("enhance")) if a is not None]
        if not gone:
            return
        names = ", ".join("%s=" % a.keyword.value for a in gone if a.keyword is not None)
        self.report_site(
            site,
            "`%s` no longer exist on `%s.clone()` (3.x+ clones in one high-similarity mode)"
            % (names, voices),
            edits=remove_args(site.call, gone),
            fix_message="Remove %s" % names,
            node=gone[0],
        )

    def finish(self) -> None:
        b = self.ctx.bindings
        for node, name, parent, scope, stmt in self.reads:
            r = b.resolve(name, scope)
            if r is None:
                continue
            path, v = r[1], name.value
            if path in VOICE_PATHS:
                self._voice_read(node, v, parent, stmt)
            elif path in LIST_PATHS:
                if isinstance(node, cst.Call):
                    self.report(
                        node,
                        "1.x `voices.list()` returned a list; 4.x returns a page iterator (no `len()`): "
                        "`len(list(%s))`" % v,
                        edits=[Replace(node.args[0].value, "list(%s)" % v)],
                        applicability=catalog.UNSAFE,
                        statement=stmt,
                        fix_message="Use len(list(%s))" % v,
                    )
                elif isinstance(node, cst.Subscript):
                    self.report(
                        node,
                        "1.x `voices.list()` returned a list; 4.x returns a page iterator, which cannot be "
                        "indexed: `list(%s)[...]`, or `%s.data` for the voices of the first page" % (v, v),
                        statement=stmt,
                    )
            elif path in PAGE_PATHS and isinstance(node, cst.Attribute) and node.attr.value == "items":
                self.report(
                    node,
                    "4.x pages hold their voices in `.data` (`.items` was the 2.x/3.x name): `%s.data`" % v,
                    edits=[Replace(node.attr, "data")],
                    applicability=catalog.UNSAFE,
                    statement=stmt,
                    fix_message="Use %s.data" % v,
                )

    def _voice_read(self, node: cst.CSTNode, v: str, parent: Optional[cst.CSTNode],
                    stmt: Optional[cst.CSTNode]) -> None:
        if isinstance(node, cst.Subscript):
            if isinstance(parent, (cst.AssignTarget, cst.Del)) or len(node.slice) != 1 \
                    or not isinstance(node.slice[0].slice, cst.Index):
                return
            key = string_value(node.slice[0].slice.value)
            if key == "embedding":
                self.report(node, _EMBEDDING % v, statement=stmt)
            elif key in VOICE_FIELDS:
                self.report(
                    node,
                    "1.x voices were dicts; 4.x returns `Voice` objects: `%s.%s`" % (v, key),
                    edits=[Replace(node, "%s.%s" % (v, key))],
                    applicability=catalog.UNSAFE,
                    statement=stmt,
                    fix_message="Use %s.%s" % (v, key),
                )
            else:
                self.report(
                    node,
                    "1.x voices were dicts; 4.x returns `Voice` objects (fields: %s)"
                    % ", ".join(sorted(VOICE_FIELDS)),
                    statement=stmt,
                )
        elif isinstance(node, cst.Attribute):
            if isinstance(parent, (cst.AssignTarget, cst.AugAssign)):
                return
            if node.attr.value == "embedding":
                self.report(node, _EMBEDDING % v, statement=stmt)
            elif node.attr.value == "is_public":
                new = '%s.access == "public"' % v
                if not isinstance(parent, (cst.If, cst.IfExp, cst.While, cst.BooleanOperation, cst.UnaryOperation,
                                           cst.Arg, cst.Assign, cst.Return, cst.Element)) or (
                    isinstance(parent, cst.UnaryOperation) and not isinstance(parent.operator, cst.Not)
                ):
                    new = "(%s)" % new
                self.report(
                    node,
                    '4.x `Voice` has no `is_public`: `%s.access == "public"` (`access` is "public" or "private"; '
                    "`visibility` says who may see it)" % v,
                    edits=[Replace(node, new)],
                    applicability=catalog.UNSAFE,
                    statement=stmt,
                    fix_message='Use %s.access == "public"' % v,
                )


_EMBEDDING = (
    "4.x voices carry no embedding (`%s.embedding` / `[\"embedding\"]`): voice embeddings were discontinued "
    "on 2026-06-01; refer to the voice by its ID (`voice=voice.id`)"
)
