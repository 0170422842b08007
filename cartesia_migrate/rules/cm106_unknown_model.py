"""CM106 unknown-model: a model ID that is on no models list (typo, made-up snapshot).

With a list fetched from the API (live or cached) that names dated snapshots, any TTS-looking ID
missing from both the list and the knowledge is reported (undated names only when the list holds
undated aliases at all, since the API's listing of aliases is not documented).  A fetched list
that holds aliases but no dated snapshots cannot tell whether a dated ID exists: dated IDs are
then judged by the bundled knowledge, as offline.  With only the bundled knowledge, only what it
must know: a dated snapshot of a known family, dated before the knowledge was made.  A newer name
may be real and is not reported.

Suggestions compare at most ``MAX_ID_LENGTH`` characters (longer IDs get none), and candidates
whose length differs by more than the allowed distance are not compared at all.
"""
from __future__ import annotations

from typing import Iterable, List, Optional

from ..models import MAX_ID_LENGTH, ID_PREFIXES, family_of, families, knowledge_date, parse_date, split_dated
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
    """The one candidate within a small edit distance of ``model_id``; None if none or several.

    Only IDs of at most ``MAX_ID_LENGTH`` characters are compared, and only when their lengths
    differ by no more than the distance allowed (the distance is at least that difference)."""
    if len(model_id) > MAX_ID_LENGTH:
        return None
    limit = max(1, min(2, len(model_id) // 6))
    close = [c for c in candidates
             if len(c) <= MAX_ID_LENGTH and abs(len(c) - len(model_id)) <= limit
             and edit_distance(model_id, c) <= limit]
    return close[0] if len(close) == 1 else None


class UnknownModel(ModelIdSites, Rule):
    CODE = "CM106"
    PREFILTER = MODEL_PREFILTER

    def on_model_id(self, site: ModelSite) -> None:
        models = self.ctx.models
        mid = site.model_id
        if models.info(mid) is not None or models.is_served(mid):
            return
        if len(mid) > MAX_ID_LENGTH:
            return  # not a model ID (the sites already skip such strings)
        family, date = split_dated(mid)
        tts = any(mid.startswith(p) for p, cap in ID_PREFIXES.items() if cap == "tts")
        if date is not None and parse_date(date) is None:
            why = "%s is not a date" % date
        elif models.fetched and tts and (models.has_dated or date is None):
            if date is None and all(split_dated(i)[1] for i in models.served):
                return  # the list holds no undated aliases: it cannot tell whether this one exists
            why = "it is not on the %s" % models.list_name
        else:
            # the bundled knowledge (offline, or a fetched list that names no dated snapshots)
            made = parse_date(knowledge_date())
            known_families = set(families()) | {family_of(i) for i in models.known if split_dated(i)[1]}
            if date is None or family_of(mid) not in known_families or made is None \
                    or parse_date(date) >= made:
                return  # may be newer than the bundled knowledge
            why = "the bundled model knowledge (made %s) knows every %s snapshot before that date" % (
                knowledge_date(), family)
            if models.fetched:
                why += " (the %s names no dated snapshots)" % models.list_name
        pool = set(models.served) | (set(models.known) if models.fetched and not models.has_dated else set())
        candidates = sorted(i for i in pool
                            if (models.info(i) is None or models.info(i).status != "discontinued")
                            and i[:3] == mid[:3])
        target = closest(mid, candidates)
        msg = "Unknown model ID %r: %s" % (mid, why)
        if target:
            self.report_site(site, "%s; did you mean %r?" % (msg, target), target,
                             fix_message="Replace %r with %r" % (mid, target))
        else:
            self.report_site(site, msg, None)
