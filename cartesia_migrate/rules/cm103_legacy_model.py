"""CM103 legacy-model: sonic-2 / sonic-turbo IDs, still served for some languages but legacy."""
from __future__ import annotations

from ..rule import Rule
from ._model_ids import (MODEL_PREFILTER, ModelIdSites, ModelSite, choose_successor, language_evidence,
                         quoted_list)


class LegacyModel(ModelIdSites, Rule):
    CODE = "CM103"
    PREFILTER = MODEL_PREFILTER

    def on_model_id(self, site: ModelSite) -> None:
        info = self.ctx.models.info(site.model_id)
        if info is None or info.status != "partial":
            return
        ev = language_evidence(self, site, info.removed_languages)
        if ev.removed:
            return  # CM102 (removed-language) reports it
        msg = "Model %r is legacy: since %s it no longer serves %s" % (
            site.model_id, info.removed_on, quoted_list(info.removed_languages))
        if not ev.complete:
            msg += " (requests in those languages fail)"
        new_id, why = choose_successor(self, site, info.successor or "sonic-3.5")
        if new_id:
            self.report_site(site, "%s; migrate to %r (%s; review: the voice output changes)" % (msg, new_id, why),
                             new_id, fix_message="Replace %r with %r" % (site.model_id, new_id))
        else:
            self.report_site(site, "%s; not fixed: %s" % (msg, why), None)
