"""CM414 localize-accent: ``voices.localize(language=, dialect=)`` without ``accent=`` (report only).

4.x: "Localize takes `accent` instead of `language` + `dialect`" (MIGRATING.md);
``accent`` is required, a catalog accent id from ``GET /accents``
(``client.voices.list_accents()``), e.g. ``"southern-us"`` or ``"parisian"``.  The id
cannot be derived from a language and dialect mechanically.
"""

from __future__ import annotations

from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site


class LocalizeAccent(SdkRule):
    CODE = "CM414"
    PREFILTER = ((IMPORTS_CARTESIA, ident("voices"), ident("localize")),)
    METHODS = frozenset({"localize"})

    def check(self, site: Site) -> None:
        if site.path != "voices.localize" or site.arg("accent") is not None:
            return
        voices = self.code(site.receiver)  # type: ignore[arg-type]
        given = [k for k in ("language", "dialect") if site.arg(k) is not None]
        self.report_site(
            site,
            "4.x `%s.localize()` requires `accent=`: a catalog accent id from "
            '`%s.list_accents()` (e.g. "southern-us", "parisian"); `%s.localize(voice_id=..., '
            "name=..., accent=...)`%s"
            % (
                voices,
                voices,
                voices,
                " replaces %s" % " + ".join("`%s=`" % k for k in given) if given else "",
            ),
        )
