"""CM101 discontinued-model: model IDs that no longer work (the knowledge says which).

The decision (and its message) is ``_model_ids.decide``, shared with notebooks and config files;
the successor is computed by the one policy in ``cartesia_migrate.models`` from the knowledge.
"""
from __future__ import annotations

from ..rule import Rule
from ._model_ids import MODEL_PREFILTER, ModelIdSites, ModelSite, report_decision


class DiscontinuedModel(ModelIdSites, Rule):
    CODE = "CM101"
    PREFILTER = MODEL_PREFILTER

    def on_model_id(self, site: ModelSite) -> None:
        report_decision(self, site)
