"""CM106 unknown-model: a model ID that is on no models list (typo, made-up snapshot).

With a list fetched from the API (live or cached) any TTS-looking ID missing from
both the list and our knowledge is reported (undated names only when the list
holds undated aliases at all, since the API's listing of aliases is not
documented).  With only the bundled snapshot, only what it must know: a dated
snapshot of a known family, dated before the snapshot was made.  A newer name
(``sonic-3.6``, ``sonic-3.5-2027-01-01``) may be real and is not reported.
"""
from __future__ import annotations

import datetime
from typing import Iterable, List, Optional

from ..models import family_of, split_dated
from ..rule import Rule
from ._model_ids import MODEL_PREFILTER, ModelIdSites, ModelSite


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps)."""
    prev2: List[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def closest(model_id: str, candidates: Iterable[str]) -> Optional[str]:
    """The one candidate within a small edit distance of ``model_id``; None if none or several."""
    limit = max(1, min(2, len(model_id) // 6))
    close = [c for c in candidates if edit_distance(model_id, c) <= limit]
    return close[0] if len(close) == 1 else None


def _valid_date(date: str) -> bool:
    try:
        datetime.date.fromisoformat(date)
        return True
    except ValueError:
        return False


class UnknownModel(ModelIdSites, Rule):
    CODE = "CM106"
    PREFILTER = MODEL_PREFILTER

    def on_model_id(self, site: ModelSite) -> None:
        models = self.ctx.models
        mid = site.model_id
        if models.info(mid) is not None or models.is_served(mid):
            return
        family, date = split_dated(mid)
        fetched = models.source in ("live", "cache") and mid.startswith("sonic")  # the API lists TTS only
        if date is not None and not _valid_date(date):
            why = "%s is not a date" % date
        elif fetched:
            if date is None and all(split_dated(i)[1] for i in models.served):
                return  # the list holds no undated aliases: it cannot tell whether this one exists
            why = "it is not on the %s models list" % ("live" if models.source == "live" else "cached")
        else:
            known_families = {family_of(i) for i in models.known if split_dated(i)[1]}
            if date is None or family_of(mid) not in known_families or date >= models.snapshot_date:
                return  # may be newer than the bundled snapshot
            why = "the bundled models list (made %s) knows every %s snapshot before that date" % (
                models.snapshot_date, family)
        candidates = sorted(i for i in models.served
                            if (models.info(i) is None or models.info(i).status != "discontinued")
                            and i[:3] == mid[:3])
        target = closest(mid, candidates)
        msg = "Unknown model ID %r: %s" % (mid, why)
        if target:
            self.report_site(site, "%s; did you mean %r?" % (msg, target), target,
                             fix_message="Replace %r with %r" % (mid, target))
        else:
            self.report_site(site, msg, None)
