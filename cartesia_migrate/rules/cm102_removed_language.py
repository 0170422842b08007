"""CM102 removed-language: a partially discontinued model used with a language it lost on 2026-06-01."""
from __future__ import annotations

from ..rule import Rule, severity_by_date
from ._model_ids import (MODEL_PREFILTER, ModelIdSites, ModelSite, choose_successor, language_evidence,
                         quoted_list)


class RemovedLanguage(ModelIdSites, Rule):
    CODE = "CM102"
    PREFILTER = MODEL_PREFILTER

    def on_model_id(self, site: ModelSite) -> None:
        info = self.ctx.models.info(site.model_id)
        if info is None or info.status != "partial" or not info.removed_languages:
            return
        ev = language_evidence(self, site, info.removed_languages)
        if not ev.removed:
            return  # no known removed language: CM103 (legacy-model) reports it
        msg = "Model %r no longer serves %s since %s" % (
            site.model_id, ("language %s" if len(ev.removed) == 1 else "languages %s") % quoted_list(ev.removed),
            info.removed_on)
        severity = severity_by_date(info.removed_on)
        if ev.kept:
            why = "it is also used with %s, which %r still serves: give those calls their own model ID" % (
                quoted_list(ev.kept), site.model_id)
        elif not ev.complete:
            why = "it is also used where the language cannot be known"
        else:
            new_id, why = choose_successor(self, site, info.successor or "sonic-3.5")
            if new_id:
                self.report_site(site, "%s: use %r (%s)" % (msg, new_id, why), new_id, severity=severity,
                                 fix_message="Replace %r with %r" % (site.model_id, new_id))
                return
        self.report_site(site, "%s; not fixed: %s" % (msg, why), None, severity=severity)
