"""The models list in use, the knowledge behind it, and the one successor policy.

Three things live here:

- *the knowledge* (``knowledge.json``, bundled): every model ID the tool knows, its
  status, dates and alias target, per family the languages, locales, speed/volume and
  Pro Voice Clone training it serves, the recommended order of families, and for each
  fact its source and whether it is *sourced* or *inferred*;
- *the list in use* (``ModelsList.served``): the IDs a fix may write.  It comes from the
  live API, the cache, or the bundled knowledge (see ``live.py``); a fix never writes an
  ID that is not on it.  The live list decides what is served (and may add families);
  the knowledge decides what each ID means;
- *the policy* (``ModelsList.successor`` / ``ModelsList.pin``): which dated ID a call
  should move to, and whether that choice is certain (safe) or rests on inferred facts
  (unsafe, with the inferred facts named).  Python files, notebooks and config files all
  ask it.

No rule module holds a model ID, a family name or a date: they read them from here.
"""
from __future__ import annotations

import datetime
import json
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

KNOWLEDGE_FILE = "knowledge.json"

#: a dated ID: ``<family>-YYYY-MM-DD`` (ASCII digits only)
DATED_RE = re.compile(r"^(?P<family>[a-z][a-z0-9.\-]*?)-(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})$", re.ASCII)

SERVED_STATUSES = ("current", "partial", "preview")
SOURCED = "sourced"
INFERRED = "inferred"

#: an environment variable holding an ISO date that replaces today (tests, reproducible runs)
TODAY_ENV = "CARTESIA_MIGRATE_TODAY"


# ---- the knowledge file ------------------------------------------------------------------------

_DATA: Optional[dict] = None
_DIGEST = ""


def bundled_data() -> dict:
    """The parsed knowledge file (read once)."""
    global _DATA, _DIGEST
    if _DATA is None:
        import hashlib

        text = resources.files(__package__).joinpath(KNOWLEDGE_FILE).read_text(encoding="utf-8")
        _DATA = json.loads(text)
        _DIGEST = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return _DATA


def knowledge_digest() -> str:
    """Identifies the knowledge file's content (for the findings cache)."""
    bundled_data()
    return _DIGEST


def _grammar() -> dict:
    return bundled_data()["grammar"]


#: model-ID prefixes of the grammar (``sonic`` -> tts, ``ink`` -> stt), from the knowledge
ID_PREFIXES: Dict[str, str] = dict(_grammar()["prefixes"])
#: model IDs outside the grammar (pre-sonic names)
OUTSIDE_GRAMMAR: Tuple[str, ...] = tuple(_grammar()["outside_grammar"])
#: words that make an ID mean a Cartesia model in any string literal
UNAMBIGUOUS_WORDS: Tuple[str, ...] = tuple(_grammar()["unambiguous_words"])
#: the longest model ID the tool accepts (live IDs, fix targets, CM106 comparisons)
MAX_ID_LENGTH: int = int(_grammar()["max_id_length"])
_FAMILY_VERSION = re.compile(_grammar()["family_version"], re.ASCII)

# Model-ID grammar (cartesia-facts A.2), for "looks like a Cartesia model ID" (ASCII only)
MODEL_ID_RE = re.compile(r"^(?:%s)(?:-[a-z0-9.]+)*?(?:-[0-9]{4}-[0-9]{2}-[0-9]{2})?$"
                         % "|".join(re.escape(p) for p in ID_PREFIXES), re.ASCII)


# A well-formed model ID of any family (what a live list or a cache may hold): lowercase ASCII letters and
# digits in parts joined by "." or "-"; a dated suffix "-YYYY-MM-DD" must be a real calendar date.
_WELL_FORMED_RE = re.compile(r"[a-z][a-z0-9]*(?:[.\-][a-z0-9]+)*", re.ASCII)


def well_formed_model_id(value: object) -> bool:
    """``value`` is an ASCII model ID of at most ``MAX_ID_LENGTH`` characters, with a real date if dated."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID_LENGTH or not _WELL_FORMED_RE.fullmatch(value):
        return False
    date = split_dated(value)[1]
    return date is None or parse_date(date) is not None


def valid_model_id(model_id: object) -> bool:
    """An ID that may be written into code: well formed (the ASCII grammar, at most ``MAX_ID_LENGTH``
    characters, a real calendar date if dated) and of a Cartesia prefix, or a known pre-grammar name."""
    if isinstance(model_id, str) and model_id in OUTSIDE_GRAMMAR:
        return True
    return well_formed_model_id(model_id) and MODEL_ID_RE.match(model_id) is not None  # type: ignore[arg-type]


def parse_date(text: Optional[str]) -> Optional[datetime.date]:
    if not text or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text, re.ASCII):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def today() -> datetime.date:
    """Today, or the date in ``$CARTESIA_MIGRATE_TODAY`` (ISO) when set."""
    forced = parse_date(os.environ.get(TODAY_ENV, "").strip())
    return forced or datetime.date.today()


def split_dated(model_id: str) -> Tuple[str, Optional[str]]:
    """'sonic-3-2026-01-12' -> ('sonic-3', '2026-01-12'); 'sonic-3' -> ('sonic-3', None)."""
    m = DATED_RE.match(model_id)
    if m:
        return m.group("family"), m.group("date")
    return model_id, None


def family_of(model_id: str) -> str:
    """The family an ID belongs to: the knowledge's, else the ID without its date."""
    info = knowledge().get(model_id)
    if info is not None and info.family:
        return info.family
    return split_dated(model_id)[0]


def family_version(family: str) -> Optional[Tuple[int, ...]]:
    """``(3, 6)`` for a numbered family, None otherwise (the pattern is knowledge)."""
    m = _FAMILY_VERSION.match(family)
    return tuple(int(x) for x in m.group("version").split(".")) if m else None


def strip_control(text: object) -> str:
    """Text from outside (IDs, notices) made safe for a terminal: control characters dropped."""
    return "".join(c for c in str(text) if c.isprintable() or c == " ")


@dataclass(frozen=True)
class Fact:
    """One fact of the knowledge: its value, sources and confidence."""

    value: object
    source: Tuple[str, ...] = ()
    confidence: str = SOURCED
    note: Optional[str] = None

    @property
    def sourced(self) -> bool:
        return self.confidence == SOURCED

    def as_json(self) -> dict:
        d = {"value": self.value, "source": list(self.source), "confidence": self.confidence}
        if self.note:
            d["note"] = self.note
        return d


def _fact(entry: dict, key: str, default=None) -> Fact:
    raw = entry.get(key, default)
    src = tuple(entry.get("source", ()))
    conf = entry.get("confidence", SOURCED)
    if isinstance(raw, dict) and "value" in raw:
        return Fact(raw["value"], tuple(raw.get("source", src)), raw.get("confidence", conf), raw.get("note"))
    return Fact(raw, src, conf)


@dataclass(frozen=True)
class ModelInfo:
    id: str
    capability: str
    kind: str  # alias | dated
    status: str  # current | partial | preview | discontinued
    family: Optional[str] = None
    resolves_to: Optional[str] = None
    released: Optional[str] = None
    removed_languages: Tuple[str, ...] = ()
    removed_on: Optional[str] = None
    note: Optional[str] = None
    source: Tuple[str, ...] = ()
    confidence: str = SOURCED
    facts: Tuple[Tuple[str, Fact], ...] = ()  # every fact with its source (for `models` and the policy)

    def fact(self, name: str) -> Optional[Fact]:
        return dict(self.facts).get(name)

    @property
    def sunset_question(self) -> Optional[Fact]:
        """An announced but unconfirmed sunset (an open question): never a safe target."""
        f = self.fact("sunset")
        return f if f is not None and f.value and not f.sourced else None


@dataclass(frozen=True)
class FamilyInfo:
    family: str
    capability: str
    status: str  # stable | legacy | discontinued
    source: Tuple[str, ...]
    languages: Optional[Fact] = None
    locales: Optional[Fact] = None
    speed_volume: Optional[Fact] = None
    trains_pvc: Optional[Fact] = None


_KNOWN: Optional[Dict[str, ModelInfo]] = None
_FAMILIES: Optional[Dict[str, FamilyInfo]] = None


def knowledge() -> Dict[str, ModelInfo]:
    """model ID -> what the knowledge says about it."""
    global _KNOWN
    if _KNOWN is None:
        out = {}
        for m in bundled_data()["models"]:
            facts = tuple((k, _fact(m, k)) for k in ("status", "resolves_to", "released", "removed_on",
                                                      "removed_languages", "sunset") if k in m or k == "status")
            f = dict(facts)
            out[m["id"]] = ModelInfo(
                id=m["id"], capability=m["capability"], kind=m["kind"], status=m["status"],
                family=m.get("family"),
                resolves_to=f["resolves_to"].value if "resolves_to" in f else None,
                released=f["released"].value if "released" in f else None,
                removed_languages=tuple(f["removed_languages"].value) if "removed_languages" in f else (),
                removed_on=f["removed_on"].value if "removed_on" in f else None,
                note=m.get("note"), source=tuple(m.get("source", ())),
                confidence=m.get("confidence", SOURCED), facts=facts)
        _KNOWN = out
    return _KNOWN


def families() -> Dict[str, FamilyInfo]:
    global _FAMILIES
    if _FAMILIES is None:
        out = {}
        for fam in bundled_data()["families"]:
            out[fam["family"]] = FamilyInfo(
                fam["family"], fam["capability"], fam["status"], tuple(fam.get("source", ())),
                *(_fact(fam, k) if k in fam else None for k in ("languages", "locales", "speed_volume",
                                                                 "trains_pvc")))
        _FAMILIES = out
    return _FAMILIES


def successor_order() -> Fact:
    return _fact(bundled_data(), "successor_order")


def sdk_default(name: str) -> str:
    """A model ID an SDK version used by default (``stt_websocket_model_2x``), from the knowledge."""
    return bundled_data()["sdk_defaults"][name]["value"]


def knowledge_date() -> str:
    return bundled_data()["knowledge_date"]


def sources() -> Dict[str, dict]:
    return bundled_data()["sources"]


def knowledge_age_days(on: Optional[datetime.date] = None) -> int:
    made = parse_date(knowledge_date())
    return ((on or today()) - made).days if made else 0


def knowledge_is_stale(on: Optional[datetime.date] = None) -> bool:
    return knowledge_age_days(on) > int(bundled_data().get("stale_after_days", 90))


# ---- the policy: what a call needs, what it may move to ---------------------------------------

@dataclass(frozen=True)
class Needs:
    """What a call uses that a successor must serve."""

    languages: FrozenSet[str] = frozenset()  # language codes sent ('ur'), normalized
    language_unknown: bool = False  # a language is sent that cannot be read
    locale: bool = False  # locale= is set
    speed_volume: bool = False  # speed/volume are set (or may be)

    @property
    def any(self) -> bool:
        return bool(self.languages or self.language_unknown or self.locale or self.speed_volume)

    def describe(self) -> str:
        parts = []
        if self.languages:
            parts.append("language %s" % ", ".join(sorted(self.languages)))
        if self.language_unknown:
            parts.append("a language that cannot be known")
        if self.locale:
            parts.append("locale=")
        if self.speed_volume:
            parts.append("speed/volume")
        return " and ".join(parts)


@dataclass(frozen=True)
class Choice:
    """A fix target and why; ``inferred`` names each inferred fact it rests on (then unsafe)."""

    target: Optional[str]
    why: str
    inferred: Tuple[str, ...] = ()

    @property
    def safe(self) -> bool:
        return self.target is not None and not self.inferred

    def explain(self) -> str:
        """``why``, plus what is inferred (for messages)."""
        if not self.inferred:
            return self.why
        return "%s; inferred, review it: %s" % (self.why, "; ".join(self.inferred))

    def with_inferred(self, *facts: str) -> "Choice":
        return Choice(self.target, self.why, self.inferred + tuple(f for f in facts if f not in self.inferred))


@dataclass
class ModelsList:
    """The list in use.  ``served`` are the IDs a fix may write; ``known`` is the knowledge."""

    known: Dict[str, ModelInfo]
    served: FrozenSet[str]
    source: str  # "live" | "cache" | "bundled"
    snapshot_date: str  # the knowledge's date
    fetched_at: Optional[float] = None  # epoch seconds for live/cache
    pvc_voices: Dict[str, Optional[str]] = field(default_factory=dict)  # voice -> dated base (None: not stated)
    notice: Optional[str] = None  # why we fell back, if we did
    pro_voices: FrozenSet[str] = frozenset()  # voices the live voices API marks is_pro (base unknown)

    # -- identity -----------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """Identifies the list (and the knowledge) for the findings cache."""
        import hashlib

        h = hashlib.sha256("\n".join(sorted(self.served)).encode())
        h.update(json.dumps(sorted((k, v or "") for k, v in self.pvc_voices.items())).encode())
        h.update(json.dumps(sorted(self.pro_voices)).encode())
        h.update(knowledge_digest().encode())
        return h.hexdigest()[:16]

    @property
    def fetched(self) -> bool:
        """A list from the API (live or cached)."""
        return self.source in ("live", "cache")

    @property
    def has_dated(self) -> bool:
        """Whether the list in use names dated snapshots at all (a live list may hold aliases only)."""
        return any(split_dated(i)[1] for i in self.served)

    def info(self, model_id: str) -> Optional[ModelInfo]:
        return self.known.get(model_id)

    def is_served(self, model_id: str) -> bool:
        return valid_model_id(model_id) and model_id in self.served

    def is_known_or_served(self, model_id: str) -> bool:
        return model_id in self.known or self.is_served(model_id)

    # -- dated snapshots -----------------------------------------------------------------------
    def _open_question(self, model_id: str) -> bool:
        """A snapshot whose sunset is an open question; a live list that serves it settles it."""
        info = self.known.get(model_id)
        return bool(info and info.sunset_question) and not (self.fetched and model_id in self.served)

    def newest_dated(self, family: str, allow_open: bool = False) -> Optional[str]:
        """The newest dated snapshot of ``family`` on the list in use (never one whose sunset is
        an open question, unless ``allow_open``)."""
        best: Optional[Tuple[datetime.date, str]] = None
        for mid in self.served:
            if not valid_model_id(mid):
                continue
            d = parse_date(split_dated(mid)[1])
            if d is None or family_of(mid) != family:
                continue
            if not allow_open and self._open_question(mid):
                continue
            if best is None or d > best[0]:
                best = (d, mid)
        return best[1] if best else None

    def _family_served(self, family: str) -> bool:
        return any(family_of(i) == family for i in self.served if valid_model_id(i))

    def dated_target(self, family: str) -> Tuple[Optional[str], Optional[str]]:
        """(the newest dated snapshot of ``family`` to write, a note when it comes from the
        bundled knowledge because the live list names no dated snapshots)."""
        target = self.newest_dated(family)
        if target is not None or not self.fetched or self.has_dated or not self._family_served(family):
            return target, None
        best = None
        for mid, info in self.known.items():
            d = parse_date(split_dated(mid)[1])
            if d is None or info.family != family or info.status != "current" or info.sunset_question:
                continue
            if best is None or d > best[0]:
                best = (d, mid)
        if best is None:
            return None, None
        return best[1], ("the %s models list names no dated snapshots: %s is from the bundled knowledge "
                         "(made %s)" % ("live" if self.source == "live" else "cached", best[1], knowledge_date()))

    # -- families --------------------------------------------------------------------------------
    def live_only_families(self) -> List[str]:
        """Numbered families the list serves that the knowledge does not describe (``sonic-3.7``)."""
        fams = families()
        out = set()
        for mid in self.served:
            if mid in self.known or not valid_model_id(mid):
                continue
            fam = split_dated(mid)[0]
            if fam not in fams and family_version(fam) is not None:
                out.add(fam)
        return sorted(out, key=lambda f: family_version(f) or (), reverse=True)

    def family_order(self) -> List[str]:
        """The successor order in use: families newer than the knowledge's newest (seen only on
        the live list) first, then the knowledge's order."""
        order = [f for f in successor_order().value if f in families()]
        top = family_version(order[0]) if order else None
        newer = [f for f in self.live_only_families() if top is None or (family_version(f) or ()) > top]
        return newer + order

    def _serves(self, family: str, needs: Needs) -> Tuple[bool, Tuple[str, ...], str]:
        """(whether ``family`` serves ``needs``, the inferred facts that says so rests on, why not)."""
        info = families().get(family)
        inferred: List[str] = []
        if info is None:
            if needs.any:
                return False, (), "%s is not described by the knowledge" % family
            return True, ("the knowledge does not describe %s (seen only on the live list): it is assumed "
                          "stable and to serve this call" % family,), ""

        def check(fact: Optional[Fact], ok, what: str) -> Optional[str]:
            if fact is None or not ok(fact.value):
                return "%s does not serve %s" % (family, what)
            if not fact.sourced:
                inferred.append("%s serves %s%s" % (family, what, " (%s)" % fact.note if fact.note else ""))
            return None

        problems = []
        if needs.languages:
            problems.append(check(info.languages, lambda v: needs.languages <= set(v or ()),
                                  "language %s" % ", ".join(sorted(needs.languages))))
        if needs.language_unknown:
            everything = set()
            for other in families().values():
                if other.capability == info.capability and other.languages:
                    everything |= set(other.languages.value or ())
            problems.append(check(info.languages, lambda v: everything <= set(v or ()), "every language"))
        if needs.locale:
            problems.append(check(info.locales, bool, "locale="))
        if needs.speed_volume:
            problems.append(check(info.speed_volume, bool, "speed/volume"))
        problems = [p for p in problems if p]
        if problems:
            return False, (), problems[0]
        return True, tuple(inferred), ""

    def successor(self, needs: Needs = Needs()) -> Choice:
        """The newest dated snapshot of the newest stable family on the list in use that serves
        what the call uses."""
        order_fact = successor_order()
        base_inferred = () if order_fact.sourced else ("the order of families (%s)" % (order_fact.note or ""),)
        reasons = []
        for family in self.family_order():
            ok, inferred, why_not = self._serves(family, needs)
            if not ok:
                reasons.append(why_not)
                continue
            if family in families():
                target, note = self.dated_target(family)
            else:
                target, note = self.newest_dated(family), None
            if target is None:
                continue
            why = "the newest snapshot of %s, the newest stable family on the %s" % (family, self.list_name)
            if needs.any:
                why += " that serves %s" % needs.describe()
            if note:
                why += "; " + note
            tinfo = self.known.get(target)
            extra = ()
            if tinfo is not None and tinfo.confidence != SOURCED:
                extra = ("that %s exists" % target,)
            return Choice(target, why, base_inferred + inferred + extra)
        why = "no model on the %s serves %s" % (self.list_name, needs.describe() or "this call")
        if reasons and needs.any:
            why += " (%s)" % "; ".join(dict.fromkeys(reasons))
        return Choice(None, why)

    def pin(self, alias: str, needs: Needs = Needs()) -> Choice:
        """The dated snapshot to pin an alias to (CM105): sourced when the alias's target is a
        sourced fact; the successor, inferred, when where the alias points is not known."""
        info = self.known.get(alias)
        if info is None:
            return Choice(None, "%s is not in the knowledge" % alias)
        fact = info.fact("resolves_to")
        if fact is not None and fact.value and fact.sourced:
            family = family_of(fact.value)
            target, note = self.dated_target(family)
            if target is None and self.is_served(fact.value):
                target = fact.value
            if target is None:
                return Choice(None, "no dated %s snapshot is on the %s" % (family, self.list_name))
            why = "the snapshot it resolves to"
            if note:
                why += "; " + note
            return Choice(target, why)
        what = (fact.note if fact is not None and fact.note else "where %s points is not known" % alias)
        if info.capability != "tts":
            return Choice(None, "where %s points is not known" % alias)
        choice = self.successor(needs)
        if choice.target is None:
            return choice
        return Choice(choice.target, choice.why,
                      choice.inferred + ("what %r points to (%s)" % (alias, what),))

    def pvc_target(self, base: str) -> Choice:
        """A Pro Voice Clone's own base as a fix target."""
        if not valid_model_id(base) or split_dated(base)[1] is None:
            return Choice(None, "the clone's base %r is not a dated model ID" % base)
        served = self.is_served(base)
        if not served and self.fetched and not self.has_dated and base in self.known:
            served = True  # an aliases-only live list: the knowledge says what is dated
        if not served:
            return Choice(None, "the clone's base model %s is not on the %s" % (base, self.list_name))
        if self._open_question(base):
            q = self.known[base].sunset_question
            return Choice(base, "the Pro Voice Clone's own base model",
                          ("that %s is still served: a sunset on %s is an open question" % (base, q.value),))
        return Choice(base, "the Pro Voice Clone's own base model")

    # -- describing -------------------------------------------------------------------------------
    @property
    def list_name(self) -> str:
        return {"live": "live models list", "cache": "cached models list"}.get(self.source, "bundled models list")

    def describe_source(self, now: Optional[float] = None, stale_note: bool = True) -> str:
        import time

        if self.source == "bundled":
            s = f"bundled models snapshot made {self.snapshot_date}"
        else:
            age = max(0.0, (now or time.time()) - (self.fetched_at or 0))
            s = "%s models list (%s old)" % ("live" if self.source == "live" else "cached", _age(age))
        if self.notice:
            s += "; " + strip_control(self.notice)
        if stale_note and (note := self.stale_notice()):
            s += "; " + note
        return s

    def stale_notice(self) -> Optional[str]:
        """Said once per run (on stderr) when only the bundled knowledge was used and it is old."""
        if self.source != "bundled" or not knowledge_is_stale():
            return None
        return (f"the bundled model knowledge is {knowledge_age_days()} days old: successors may be out of "
                "date (set CARTESIA_API_KEY for the live list, or upgrade cartesia-migrate)")


def _age(seconds: float) -> str:
    if seconds < 90:
        return "%ds" % seconds
    if seconds < 5400:
        return "%dm" % (seconds // 60)
    if seconds < 172800:
        return "%dh" % (seconds // 3600)
    return "%dd" % (seconds // 86400)


def bundled() -> ModelsList:
    known = knowledge()
    served = frozenset(i for i, m in known.items() if m.status in SERVED_STATUSES)
    return ModelsList(known, served, "bundled", knowledge_date())


def from_ids(ids: Iterable[str], source: str, fetched_at: Optional[float], pvc_voices=None,
             pro_voices=None) -> ModelsList:
    """A list in use built from IDs fetched live (or cached): the knowledge stays bundled.
    IDs that fail the ASCII model-ID grammar or the length cap are dropped."""
    known = knowledge()
    pvc = {}
    for voice, base in dict(pvc_voices or {}).items():
        if isinstance(voice, str) and voice:
            pvc[voice] = base if valid_model_id(base) and split_dated(base)[1] else None
    pro = frozenset(v for v in (pro_voices or ()) if isinstance(v, str) and v)
    return ModelsList(known, frozenset(i for i in ids if valid_model_id(i)), source, knowledge_date(),
                      fetched_at=fetched_at, pvc_voices=pvc, pro_voices=pro)


def load(offline: bool = False, use_cache: bool = True, log=None) -> ModelsList:
    """The models list in use: live, then cache, then bundled (see live.py).

    ``offline``: a fresh cache entry, else the bundled knowledge; never the network."""
    try:
        from . import live
    except ImportError:  # pragma: no cover - live client not installed
        return bundled()
    return live.load(use_cache=use_cache, log=log, offline=offline)

