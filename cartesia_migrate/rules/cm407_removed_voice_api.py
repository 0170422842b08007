"""CM407 removed-voice-api: voices APIs and keywords that 3.x+ removed.

- ``voices.create(...)`` (a voice from an embedding) and ``voices.mix(...)`` were removed
  with the embeddings endpoints (discontinued 2026-06-01): reported with the clone shape;
- 1.x ``voices.clone(filepath=...)`` returned an embedding: reported with the 4.x shape;
- 2.x ``voices.clone(mode=..., enhance=...)``: both keywords are gone (safe: dropped);
- 2.x ``voices.list(is_starred=...)``: gone; dropping it lists every voice (unsafe);
- 0.x ``get_voice_embedding(...)`` (``CartesiaTTS``): reported.
"""

from __future__ import annotations

import libcst as cst

from .. import catalog
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, remove_args

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
    PREFILTER = ((IMPORTS_CARTESIA, ident("voices"), ident("create", "mix", "clone", "list")),
                 (IMPORTS_CARTESIA, ident("get_voice_embedding"), ident("CartesiaTTS", "AsyncCartesiaTTS")))
    METHODS = frozenset({"create", "mix", "clone", "list", "get_voice_embedding"})

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
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
