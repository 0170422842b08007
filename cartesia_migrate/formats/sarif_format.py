"""SARIF 2.1.0: one run, the catalogue as ``tool.driver.rules``, fixes as ``artifactChanges``."""
from __future__ import annotations

import json

from .. import __version__, catalog

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    path = path.replace("\\", "/")
    return path[2:] if path.startswith("./") else path


def _region(start, end) -> dict:
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


def render(run, **_kw) -> str:
    codes = [c for c, info in catalog.CATALOG.items() if info.implemented]
    rules = []
    for c in codes:
        info = catalog.CATALOG[c]
        rules.append({
            "id": c,
            "name": info.name,
            "shortDescription": {"text": info.summary},
            "fullDescription": {"text": "%s (fix: %s)" % (info.summary, info.fix)},
            "helpUri": info.url,
            "help": {"text": "%s. See %s" % (info.summary, info.url)},
            "defaultConfiguration": {"level": "error" if info.severity == "error" else "warning"},
            "properties": {"fix_applicability": info.fix},
        })
    index = {c: i for i, c in enumerate(codes)}
    results = []
    for f in run.findings:
        r = {
            "ruleId": f.code,
            "level": "error" if f.severity == "error" else "warning",
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.path)},
                "region": _region(f.file_region[:2], f.file_region[2:]) if getattr(f, "file_region", None)
                else _region(f.location, f.end_location),
            }}],
        }
        if f.code in index:
            r["ruleIndex"] = index[f.code]
        if f.fingerprint:
            r["partialFingerprints"] = {"cartesiaMigrate/v1": f.fingerprint}
        if f.fix is not None:
            r["fixes"] = [{
                "description": {"text": "%s (%s)" % (f.fix.message, f.fix.applicability)},
                "artifactChanges": [{
                    "artifactLocation": {"uri": _uri(f.path)},
                    "replacements": [{
                        "deletedRegion": _region(e.location, e.end_location),
                        "insertedContent": {"text": e.content},
                    } for e in f.fix.edits],
                }],
            }]
        results.append(r)
    notifications = [{"level": "error", "message": {"text": "%s: %s" % (e.path, e.reason)},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(e.path)}}}]}
                     for e in run.errors]
    notifications += [{"level": "warning", "message": {"text": "%s: not fixed: %s" % (r.path, r.not_written)},
                       "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}]}
                      for r in getattr(run, "results", ()) if getattr(r, "not_written", None)]
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cartesia-migrate",
                "version": __version__,
                "informationUri": "https://github.com/cartesia-migrate/cartesia-migrate",
                "rules": rules,
            }},
            "results": results,
            "invocations": [{"executionSuccessful": not run.errors,
                             "toolExecutionNotifications": notifications}],
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
