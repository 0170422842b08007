"""``path:line:col: CODE message`` per finding (``path:cell N:line:col`` in notebooks).

File names and messages (which quote the code) are shown with control characters escaped
(``redact.printable``): a newline in a file name cannot split a line, an escape sequence in
the code cannot reach the terminal."""
from __future__ import annotations

from ..redact import printable


def location(f) -> str:
    if f.cell is not None:
        return "%s:cell %d:%d:%d" % (printable(f.path), f.cell, f.location[0], f.location[1])
    return "%s:%d:%d" % (printable(f.path), f.location[0], f.location[1])


def _style(s: str, color: bool, **kw) -> str:
    if not color:
        return s
    import click

    return click.style(s, **kw)


def render(run, color: bool = False, show_fixes: bool = True, **_kw) -> str:
    lines = []
    for f in run.findings:
        code = _style(f.code, color, fg="red" if f.severity == "error" else "yellow", bold=True)
        line = "%s: %s %s" % (_style(location(f), color, bold=True), code, printable(f.message))
        if show_fixes and f.fix is not None:
            tag = "[*]" if f.fix.applicability == "safe" else "[unsafe fix]"
            line += " %s %s" % (_style(tag, color, fg="cyan"), printable(f.fix.message))
        lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")
