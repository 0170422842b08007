"""The models list in use: the facts we ship, and the list a fix must land on.

Two things live here:

- *knowledge* (always from the bundled snapshot, ``snapshot.json``): which IDs
  are discontinued, partial (languages removed), aliases, and their successors;
- *the list in use* (``ModelsList.served``): the IDs a fix may write.  It comes
  from the live API, the cache, or the bundled snapshot (see ``live.py``); a fix
  never writes an ID that is not on it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Dict, FrozenSet, Optional, Tuple

DATED_RE = re.compile(r"^(?P<family>[a-z][a-z0-9.\-]*?)-(?P<date>\d{4}-\d{2}-\d{2})$")
# Model-ID grammar (cartesia-facts A.2), for "looks like a Cartesia model ID"
MODEL_ID_RE = re.compile(r"^(?:sonic|ink)(?:-[a-z0-9.]+)*?(?:-\d{4}-\d{2}-\d{2})?$")

SERVED_STATUSES = ("current", "partial", "preview")


def split_dated(model_id: str) -> Tuple[str, Optional[str]]:
    """'sonic-3-2026-01-12' -> ('sonic-3', '2026-01-12'); 'sonic-3' -> ('sonic-3', None)."""
    m = DATED_RE.match(model_id)
    if m:
        return m.group("family"), m.group("date")
    return model_id, None


def family_of(model_id: str) -> str:
    fam, date = split_dated(model_id)
    if date and fam == "sonic":
        return "sonic"
    return fam


@dataclass(frozen=True)
class ModelInfo:
    id: str
    capability: str
    kind: str
    status: str
    resolves_to: Optional[str] = None
    released: Optional[str] = None
    removed_languages: Tuple[str, ...] = ()
    removed_on: Optional[str] = None
    successor: Optional[str] = None
    note: Optional[str] = None


@dataclass
class ModelsList:
    """The list in use.  ``served`` are the IDs a fix may write; ``known`` is our knowledge."""

    known: Dict[str, ModelInfo]
    served: FrozenSet[str]
    source: str  # "live" | "cache" | "bundled"
    snapshot_date: str
    fetched_at: Optional[float] = None  # epoch seconds for live/cache
    pvc_voices: Dict[str, str] = field(default_factory=dict)  # voice id -> dated base (live)
    pro_voices: FrozenSet[str] = frozenset()  # voice ids known to be Pro Voice Clones (live; base maybe unknown)
    notice: Optional[str] = None  # why we fell back, if we did

    @property
    def version(self) -> str:
        """Identifies the list for the findings cache."""
        import hashlib

        h = hashlib.sha256("\n".join(sorted(self.served)).encode())
        h.update(json.dumps(sorted(self.pvc_voices.items())).encode())
        return h.hexdigest()[:16]

    def info(self, model_id: str) -> Optional[ModelInfo]:
        return self.known.get(model_id)

    def is_served(self, model_id: str) -> bool:
        return model_id in self.served

    def newest_dated(self, family: str) -> Optional[str]:
        """The newest dated snapshot of ``family`` on the list in use (``sonic-3.5`` -> ``sonic-3.5-2026-05-04``)."""
        best: Optional[Tuple[str, str]] = None
        for mid in self.served:
            fam, date = split_dated(mid)
            if date and fam == family and (best is None or date > best[0]):
                best = (date, mid)
        return best[1] if best else None

    def resolve_alias(self, model_id: str) -> Optional[str]:
        """The dated snapshot an alias resolves to, if it is on the list in use.

        Known resolution first (``sonic-3`` -> ``sonic-3-2026-01-12``), else the
        newest dated snapshot of the alias's own family.
        """
        info = self.known.get(model_id)
        if info and info.resolves_to and self.is_served(info.resolves_to):
            # a newer snapshot of the same family on a live list wins
            fam, _ = split_dated(info.resolves_to)
            return self.newest_dated(fam) or info.resolves_to
        if model_id.endswith("-latest"):
            return None
        return self.newest_dated(model_id)

    def describe_source(self, now: Optional[float] = None) -> str:
        import time

        if self.source == "bundled":
            s = "bundled models snapshot made %s" % self.snapshot_date
        else:
            age = max(0.0, (now or time.time()) - (self.fetched_at or 0))
            s = "%s models list (%s old)" % ("live" if self.source == "live" else "cached", _age(age))
        if self.notice:
            s += "; " + self.notice
        return s


def _age(seconds: float) -> str:
    if seconds < 90:
        return "%ds" % seconds
    if seconds < 5400:
        return "%dm" % (seconds // 60)
    if seconds < 172800:
        return "%dh" % (seconds // 3600)
    return "%dd" % (seconds // 86400)


_BUNDLED: Optional[dict] = None


def bundled_data() -> dict:
    global _BUNDLED
    if _BUNDLED is None:
        text = resources.files(__package__).joinpath("snapshot.json").read_text(encoding="utf-8")
        _BUNDLED = json.loads(text)
    return _BUNDLED


def knowledge() -> Dict[str, ModelInfo]:
    data = bundled_data()
    out = {}
    for m in data["models"]:
        m = dict(m)
        m["removed_languages"] = tuple(m.get("removed_languages", ()))
        out[m["id"]] = ModelInfo(**m)
    return out


def bundled() -> ModelsList:
    known = knowledge()
    served = frozenset(i for i, m in known.items() if m.status in SERVED_STATUSES)
    return ModelsList(known, served, "bundled", bundled_data()["snapshot_date"])


def from_ids(ids, source: str, fetched_at: Optional[float], pvc_voices=None, pro_voices=None) -> ModelsList:
    """A list in use built from IDs fetched live (or cached): knowledge stays bundled."""
    known = knowledge()
    return ModelsList(known, frozenset(ids), source, bundled_data()["snapshot_date"],
                      fetched_at=fetched_at, pvc_voices=dict(pvc_voices or {}),
                      pro_voices=frozenset(pro_voices or ()))


def load(offline: bool = False, use_cache: bool = True, log=None) -> ModelsList:
    """The models list in use: live, then cache, then bundled (see live.py).

    ``offline``: a fresh cache entry, else the bundled snapshot; never the network."""
    try:
        from . import live
    except ImportError:  # pragma: no cover - live client not installed
        return bundled()
    return live.load(use_cache=use_cache, log=log, offline=offline)
