"""CM411 experimental-controls: 1.x/2.x experimental voice controls -> ``generation_config`` (report only).

1.x ``_experimental_voice_controls={"speed": ..., "emotion": [...]}`` (``experimental_voice_controls=``
on ``tts.infill``), 2.x ``voice={..., "__experimental_controls": {...}}`` and
``voice_experimental_controls_speed=`` / ``_emotion=`` on ``infill.bytes``: 4.x has none of
them.  Sonic-3 models take ``generation_config={"speed": 0.6-1.5, "volume": 0.5-2.0,
"emotion": "<name>"}``, with other scales and one emotion, so the values cannot be
converted mechanically.
"""

from __future__ import annotations

import libcst as cst

from ._prefilter import ESCAPE, IMPORTS_CARTESIA, TOUCHING_LITERALS, any_of
from ._sdk import TTS_VOICE_PATHS, SdkRule, Site, string_value

SHAPE = (
    'generation_config={"speed": 1.0, "volume": 1.0, "emotion": "neutral"} (Sonic 3 and later; speed '
    '0.6-1.5, volume 0.5-2.0, one emotion such as "happy" or "calm")'
)
KEYWORDS = (
    "_experimental_voice_controls",
    "experimental_voice_controls",
    "voice_experimental_controls_speed",
    "voice_experimental_controls_emotion",
)
PATHS = TTS_VOICE_PATHS | {"tts.infill", "infill.bytes"}


class ExperimentalControls(SdkRule):
    CODE = "CM411"
    # the keywords, or a "__experimental_controls" key (evaluated, concatenations joined)
    PREFILTER = ((IMPORTS_CARTESIA, any_of(r"(?-i:experimental)", TOUCHING_LITERALS, ESCAPE)),)

    def visit_Call(self, node: cst.Call) -> None:
        if any(a.keyword is not None and a.keyword.value in KEYWORDS for a in node.args):
            self.sites.append(self.site(node))

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if string_value(node.key) == "__experimental_controls" and self.ctx.bindings.imports_cartesia:
            self.report(
                node,
                '`"__experimental_controls"` (2.x) was removed from the voice specifier: '
                "pass the voice ID as `voice=` and use %s" % SHAPE,
            )

    def check(self, site: Site) -> None:
        if site.path not in PATHS:
            return
        for a in site.call.args:
            if a.keyword is not None and a.keyword.value in KEYWORDS:
                self.report_site(
                    site,
                    "`%s=` (experimental voice controls) was removed: use %s" % (a.keyword.value, SHAPE),
                    node=a,
                )
