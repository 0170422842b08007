"""CM103 legacy-model: IDs still served for some languages but legacy (the knowledge says which).

The decision (and its message) is ``_model_ids.decide``, shared with notebooks and config files;
the successor is computed by the one policy in ``cartesia_migrate.models`` from the knowledge.
"""
from __future__ import annotations

from ..rule import Rule
from ._model_ids import MODEL_PREFILTER, ModelIdSites, ModelSite, report_decision


class LegacyModel(ModelIdSites, Rule):
    CODE = "CM103"
    PREFILTER = MODEL_PREFILTER

    def on_model_id(self, site: ModelSite) -> None:
        report_decision(self, site)
