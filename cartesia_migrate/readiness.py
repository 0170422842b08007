"""What ``--statistics`` and ``fix`` tell about a run: counts per rule, a migration-readiness
summary grouped by deadline, and what ``fix`` changed and what it left (and why).

Readiness groups (each rule belongs to one):

- **broken** -- fails at runtime today: model IDs discontinued on 2026-06-01 (CM101) or used with a
  language removed that day (CM102), a Pro Voice Clone without its dated model (CM104: PVC routing
  requires it since March 2026), an ID on no models list (CM106).  A rule whose sunset date is
  still ahead is listed as **upcoming** ("breaks on DATE") instead, so the summary stays right
  on any day;
- **deprecated** -- works today, on its way out: legacy sonic-2 / sonic-turbo (CM103), legacy error
  format and API versions and old SDK requirements (CM3xx), SDK 1.x-3.x call shapes (CM4xx);
- **hygiene** -- not tied to a deadline: pinning dated snapshots (CM105), credentials and transport
  (CM2xx).
"""
from __future__ import annotations

import datetime
import json
from collections import Counter, OrderedDict
from typing import Dict, List, Optional, Tuple

from . import catalog

BROKEN, UPCOMING, DEPRECATED, HYGIENE = "broken", "upcoming", "deprecated", "hygiene"
ORDER = (BROKEN, UPCOMING, DEPRECATED, HYGIENE)
TITLES = {
    BROKEN: "Already broken",
    UPCOMING: "Breaks soon",
    DEPRECATED: "Deprecated (works today, on its way out)",
    HYGIENE: "Hygiene (no deadline)",
}
#: when a problem started failing, for rules the catalogue gives no sunset date
_BROKEN_SINCE = {"CM104": "2026-03", "CM106": None}
_HYGIENE = ("CM105", "CM2")


def group_of(code: str, today: Optional[str] = None) -> Tuple[str, Optional[str]]:
    """(group, date) of a rule: the date it broke (or breaks) on, when known."""
    today = today or datetime.date.today().isoformat()
    info = catalog.get(code)
    if info.sunset:
        return (BROKEN if today >= info.sunset else UPCOMING), info.sunset
    if code in _BROKEN_SINCE:
        return BROKEN, _BROKEN_SINCE[code]
    if code.startswith(_HYGIENE):
        return HYGIENE, None
    return DEPRECATED, None


def _plural(n: int, word: str) -> str:
    return "%d %s%s" % (n, word, "" if n == 1 else ("es" if word.endswith("x") else "s"))


def per_rule(findings) -> "OrderedDict[str, dict]":
    """code -> {count, safe, unsafe}, most frequent first."""
    stats: Dict[str, dict] = {}
    for f in findings:
        s = stats.setdefault(f.code, {"count": 0, "safe": 0, "unsafe": 0})
        s["count"] += 1
        if f.fix is not None:
            s["safe" if f.fix.applicability == catalog.SAFE else "unsafe"] += 1
    return OrderedDict(sorted(stats.items(), key=lambda kv: (-kv[1]["count"], kv[0])))


def readiness(findings, today: Optional[str] = None) -> List[dict]:
    """The summary: one dict per non-empty group, in ORDER."""
    groups: Dict[str, dict] = {}
    for f in findings:
        g, date = group_of(f.code, today)
        d = groups.setdefault(g, {"group": g, "title": TITLES[g], "count": 0, "files": set(),
                                  "fixable_safe": 0, "fixable_unsafe": 0, "rules": {}})
        d["count"] += 1
        d["files"].add(f.path)
        if f.fix is not None:
            d["fixable_safe" if f.fix.applicability == catalog.SAFE else "fixable_unsafe"] += 1
        r = d["rules"].setdefault(f.code, {"code": f.code, "name": catalog.get(f.code).name, "count": 0,
                                           "date": date})
        r["count"] += 1
    out = []
    for g in ORDER:
        if g in groups:
            d = groups[g]
            d["files"] = len(d["files"])
            d["rules"] = sorted(d["rules"].values(), key=lambda r: (-r["count"], r["code"]))
            dates = sorted({r["date"] for r in d["rules"] if r["date"]})
            if dates:
                d["title"] = "%s %s %s" % (TITLES[g], "since" if g == BROKEN else "on", ", ".join(dates))
            out.append(d)
    return out


def statistics_text(findings, today: Optional[str] = None) -> str:
    findings = list(findings)
    lines = []
    for code, s in per_rule(findings).items():
        fixable = s["safe"] + s["unsafe"]
        tag = ""
        if fixable:
            tag = "[*] %d fixable" % fixable
            if s["unsafe"]:
                tag += " (%d with --unsafe-fixes)" % s["unsafe"]
        lines.append("%5d\t%s\t%s\t%s" % (s["count"], code, catalog.get(code).name, tag))
    lines.append("")
    lines.append(readiness_text(findings, today))
    return "\n".join(lines)


def readiness_text(findings, today: Optional[str] = None) -> str:
    findings = list(findings)
    groups = readiness(findings, today)
    if not groups:
        return "Migration readiness: nothing to migrate.\n"
    files = len({f.path for f in findings})
    lines = ["Migration readiness: %s in %s" % (_plural(len(findings), "finding"), _plural(files, "file"))]
    for d in groups:
        fix = []
        if d["fixable_safe"]:
            fix.append("%d fixable by `cartesia-migrate fix`" % d["fixable_safe"])
        if d["fixable_unsafe"]:
            fix.append("%d with --unsafe-fixes" % d["fixable_unsafe"])
        manual = d["count"] - d["fixable_safe"] - d["fixable_unsafe"]
        if manual:
            fix.append("%d by hand" % manual)
        lines.append("  %s: %s in %s (%s)" % (d["title"], _plural(d["count"], "finding"),
                                               _plural(d["files"], "file"), ", ".join(fix)))
        for r in d["rules"]:
            lines.append("    %5d  %-6s %s%s" % (r["count"], r["code"], r["name"],
                                                "  (since %s)" % r["date"] if r["date"] and d["group"] == BROKEN
                                                else "  (on %s)" % r["date"] if r["date"] else ""))
    return "\n".join(lines) + "\n"


def statistics_json(findings, today: Optional[str] = None) -> str:
    findings = list(findings)
    stats = [{"code": code, "name": catalog.get(code).name, "count": s["count"],
              "fixable": bool(s["safe"] + s["unsafe"]), "fixable_count": s["safe"] + s["unsafe"],
              "unsafe_fixable_count": s["unsafe"]}
             for code, s in per_rule(findings).items()]
    return json.dumps({"statistics": stats, "readiness": readiness(findings, today)}, indent=2) + "\n"


# ---------------------------------------------------------------------------------------
# what fix did


def _why_left(f, unsafe: bool, not_written=frozenset()) -> str:
    if f.fix is not None and f.path in not_written:
        return "file not rewritten (hard-linked or read-only: see the line above)"
    if f.fix is None:
        return "no automatic fix (the message says what to do)"
    if f.fix.applicability != catalog.SAFE and not unsafe:
        return "unsafe fix not applied: review it, then run `fix --unsafe-fixes`"
    return "fix not applied: it overlaps another fix (run `fix` again)"


def fix_report(run, unsafe: bool) -> str:
    """Every fix applied, then the findings left grouped by why (for stderr, text format)."""
    from .formats.text_format import location

    lines = []
    applied = [f for r in run.results for f in (getattr(r, "applied", None) or [])]
    if applied:
        lines.append("Applied %s:" % _plural(len(applied), "fix"))
        for f in sorted(applied, key=lambda f: f.sort_key()):
            lines.append("  %s: %s %s" % (location(f), f.code, f.fix.message))
    left = run.findings
    if left:
        reasons: "OrderedDict[str, Counter]" = OrderedDict()
        not_written = {r.path for r in run.results if getattr(r, "not_written", None)}
        for f in left:
            reasons.setdefault(_why_left(f, unsafe, not_written), Counter())[f.code] += 1
        lines.append("Left %s:" % _plural(len(left), "finding"))
        for why, codes in reasons.items():
            lines.append("  %s: %s" % (", ".join("%s x%d" % (c, n) if n > 1 else c
                                                 for c, n in sorted(codes.items())), why))
    return "\n".join(lines)
