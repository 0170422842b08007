"""CM413 language-locale: ``language=`` and ``locale=`` in one 4.x TTS call (report only).

4.2.0: "A request may set `language` or `locale`, never both."  Which one to keep is
the author's choice: ``locale=`` (e.g. ``"en-GB"``) pins the accent, ``language=`` only
the language.
"""

from __future__ import annotations

from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import TTS_LANGUAGE_PATHS, SdkRule, Site


class LanguageLocale(SdkRule):
    CODE = "CM413"
    PREFILTER = ((IMPORTS_CARTESIA, ident("tts"), ident("language"), ident("locale")),)
    METHODS = frozenset({"bytes", "sse", "generate", "generate_sse", "send", "push", "context"})

    def check(self, site: Site) -> None:
        if site.path not in TTS_LANGUAGE_PATHS:
            return
        lang, loc = site.arg("language"), site.arg("locale")
        if lang is None or loc is None:
            return
        self.report_site(
            site,
            "4.x rejects a request with both `language=` and `locale=`: keep `locale=%s` (it "
            "implies the language) or `language=%s`, not both"
            % (self.code(loc.value), self.code(lang.value)),
            node=loc,
        )
