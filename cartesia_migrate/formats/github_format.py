"""GitHub Actions workflow commands: ``::error file=...,line=...::message``."""
from __future__ import annotations

from ..redact import printable


def _escape_data(s: str) -> str:
    # the workflow command escapes first, then the other control characters (escape sequences)
    return printable(s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render(run, **_kw) -> str:
    out = []
    for f in run.findings:
        level = "error" if f.severity == "error" else "warning"
        # notebooks: the place in the .ipynb file itself (annotations are on the file's lines)
        row, col, end_row, end_col = getattr(f, "file_region", None) or (f.location + f.end_location)
        out.append("::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s" % (
            level, _escape_prop(f.path), row, col, end_row, end_col, _escape_prop(f.code),
            _escape_data("%s %s" % (f.code, f.message))))
    for e in run.errors:
        out.append("::error file=%s,title=%s::%s" % (_escape_prop(e.path), "cartesia-migrate",
                                                     _escape_data(e.reason)))
    for r in getattr(run, "results", ()):
        if getattr(r, "not_written", None):
            out.append("::warning file=%s,title=%s::%s" % (_escape_prop(r.path), "cartesia-migrate",
                                                           _escape_data("not fixed: " + r.not_written)))
    return "\n".join(out) + ("\n" if out else "")
