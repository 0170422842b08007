"""CM101 discontinued-model: model IDs that stopped working on 2026-06-01."""
from __future__ import annotations

from ..rule import Rule, severity_by_date
from ._model_ids import MODEL_PREFILTER, ModelIdSites, ModelSite, choose_successor


class DiscontinuedModel(ModelIdSites, Rule):
    CODE = "CM101"
    PREFILTER = MODEL_PREFILTER

    def on_model_id(self, site: ModelSite) -> None:
        info = self.ctx.models.info(site.model_id)
        if info is None or info.status != "discontinued":
            return
        new_id, why = choose_successor(self, site, info.successor or "sonic-3.5")
        severity = severity_by_date(info.removed_on)
        msg = "Model %r was discontinued on %s" % (site.model_id, info.removed_on)
        if new_id:
            self.report_site(site, "%s: use %r (%s)" % (msg, new_id, why), new_id, severity=severity,
                             fix_message="Replace %r with %r" % (site.model_id, new_id))
        else:
            self.report_site(site, "%s; not fixed: %s" % (msg, why), None, severity=severity)
