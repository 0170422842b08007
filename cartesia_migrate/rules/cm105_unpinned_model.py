"""CM105 unpinned-model: an undated alias where production code should pin a dated snapshot."""
from __future__ import annotations

from ..rule import Rule
from ._model_ids import MODEL_PREFILTER, ModelIdSites, ModelSite, pvc_evidence


class UnpinnedModel(ModelIdSites, Rule):
    CODE = "CM105"
    PREFILTER = MODEL_PREFILTER

    def on_model_id(self, site: ModelSite) -> None:
        if not self.ctx.settings.pin_dated or site.literal is not None:
            return  # a Literal[...] type lists what is accepted, not what is sent
        models = self.ctx.models
        info = models.info(site.model_id)
        if info is None or info.kind != "alias" or info.capability != "tts" or \
                info.status not in ("current", "preview"):
            return
        if pvc_evidence(self, site) is not None:
            return  # used with a Pro Voice Clone: CM104 (undated-pvc-model) reports it
        if site.model_id.endswith("-latest"):
            msg = "Model alias %r can be updated without notice and is not meant for production" % site.model_id
        else:
            msg = "Undated model alias %r moves to each new snapshot without notice" % site.model_id
        target = models.resolve_alias(site.model_id)
        if target:
            self.report_site(site, "%s: pin %r, the snapshot it resolves to" % (msg, target), target,
                             fix_message="Replace %r with %r" % (site.model_id, target))
        else:
            self.report_site(site, "%s; not fixed: no dated snapshot it resolves to is on the models list in use"
                             % msg, None)
