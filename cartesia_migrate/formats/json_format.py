"""JSON with ruff's schema (``ruff check --output-format json``), field for field."""
from __future__ import annotations

import json


def finding_to_dict(f) -> dict:
    fix = None
    if f.fix is not None:
        fix = {
            "applicability": f.fix.applicability,
            "message": f.fix.message,
            "edits": [
                {"content": e.content,
                 "location": {"row": e.location[0], "column": e.location[1]},
                 "end_location": {"row": e.end_location[0], "column": e.end_location[1]}}
                for e in f.fix.edits
            ],
        }
    return {
        "cell": f.cell,
        "code": f.code,
        "end_location": {"row": f.end_location[0], "column": f.end_location[1]},
        "filename": f.path,
        "fix": fix,
        "location": {"row": f.location[0], "column": f.location[1]},
        "message": f.message,
        "name": f.name,
        "noqa_row": f.noqa_row,
        "severity": f.severity,
        "url": f.url,
    }


def render(run, **_kw) -> str:
    return json.dumps([finding_to_dict(f) for f in run.findings], indent=2) + "\n"
