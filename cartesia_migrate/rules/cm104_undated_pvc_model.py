"""CM104 undated-pvc-model: a Pro Voice Clone used without the dated model it was trained on."""
from __future__ import annotations

from ..models import split_dated
from ..rule import Rule
from ._model_ids import MODEL_PREFILTER, ModelIdSites, ModelSite, pvc_evidence, quoted_list, tts_model_in_service


class UndatedPvcModel(ModelIdSites, Rule):
    CODE = "CM104"
    PREFILTER = MODEL_PREFILTER

    def on_model_id(self, site: ModelSite) -> None:
        models = self.ctx.models
        if site.literal is not None or not tts_model_in_service(models, site.model_id):
            return  # discontinued / legacy IDs: CM101-CM103 move them to the clone's base
        ev = pvc_evidence(self, site)
        if ev is None or ev.bases == {site.model_id}:
            return
        voices = quoted_list(repr(v) for v in set(ev.voices))
        if len(ev.bases) > 1:
            self.report_site(site, "Model %r is used with Pro Voice Clones %s trained on different models (%s); "
                             "not fixed: each clone needs its own dated model" % (
                                 site.model_id, voices, quoted_list(ev.bases)), None)
            return
        base = next(iter(ev.bases))
        if split_dated(site.model_id)[1]:
            problem = "%r is not the model it was trained on" % site.model_id
        else:
            problem = "%r is an undated alias, and clones only work with the exact dated model" % site.model_id
        msg = "Pro Voice Clone %s was trained on %r: %s" % (voices, base, problem)
        neutral = models.resolve_alias(site.model_id) == base  # the alias serves that snapshot today
        if ev.guessed:
            msg = ("Voice %s is named as a Pro Voice Clone: %s; clones are trained on %r since March 2026 "
                   "(set pvc-voices in the configuration for the exact model)" % (voices, problem, base))
        if not models.is_served(base):
            why = "%s is not on the models list in use" % base
        elif ev.guessed and not neutral:
            why = "the clone's base model is not known (set pvc-voices, or a key for the live fine-tunes)"
        elif not ev.all_pvc and not neutral:
            why = "%r is also used where the voice is not that clone or cannot be known" % site.model_id
        else:
            self.report_site(site, "%s; use %r" % (msg, base), base,
                             fix_message="Replace %r with %r" % (site.model_id, base))
            return
        self.report_site(site, "%s; not fixed: %s" % (msg, why), None)
