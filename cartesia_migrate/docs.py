"""Rule docs: ``rules/CMnnn.md`` (shipped in the wheel as ``cartesia_migrate/_docs``).

A doc has fixed sections -- What it does / Why is this bad? / Example / Use instead /
Fix safety / Dates and sources -- and its Example and Use instead code blocks are
executed by the tests.  Lines of an Example that must produce a finding end with a
marker comment ``# [CM101]``.  The examples are Python (run as ``app.py``) unless the Example
section names the file they stand for with ``<!-- file: requirements.txt -->``, and with the
``[tool.cartesia-migrate]`` configuration they assume when it says
``<!-- config: pvc-voices = { "VOICE" = "MODEL" } -->`` (TOML keys of that table).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety", "Dates and sources")
MARKER_RE = re.compile(r"[ \t]*# \[(CM\d{3})\][ \t]*$")
_FENCE_RE = re.compile(r"```(?P<lang>[a-z]*)\n(?P<code>.*?)```", re.S)
_FILE_RE = re.compile(r"<!--\s*file:\s*(?P<name>[^\s>]+)\s*-->")
_CONFIG_RE = re.compile(r"<!--\s*config:\s*(?P<toml>.*?)\s*-->", re.S)


def doc_dirs() -> List[str]:
    here = os.path.dirname(os.path.abspath(__file__))
    return [os.path.join(here, "_docs"), os.path.join(os.path.dirname(here), "rules")]


def doc_path(code: str) -> Optional[str]:
    for d in doc_dirs():
        p = os.path.join(d, code.upper() + ".md")
        if os.path.isfile(p):
            return p
    return None


def load_doc(code: str) -> Optional[str]:
    p = doc_path(code)
    if p is None:
        return None
    with open(p, encoding="utf-8") as f:
        return f.read()


@dataclass
class ParsedDoc:
    code: str
    name: str
    sections: Dict[str, str]
    example: str  # with markers
    use_instead: str
    path: str = ""
    filename: str = "app.py"  # the file the examples stand for
    config: str = ""  # TOML lines of [tool.cartesia-migrate] the examples assume

    def settings(self, select):
        """The settings the examples run with: ``select`` plus the doc's configuration."""
        import dataclasses

        from .config import Settings, settings_from_table

        if not self.config:
            return Settings(select=tuple(select))
        try:
            import tomllib
        except ImportError:  # pragma: no cover - Python < 3.11
            import tomli as tomllib
        table = tomllib.loads(self.config)
        return dataclasses.replace(settings_from_table(table, "", self.path or "doc"), select=tuple(select))

    @property
    def example_clean(self) -> str:
        return "".join(MARKER_RE.sub("", line) for line in self.example.splitlines(True))

    @property
    def expected(self) -> Set[Tuple[int, str]]:
        """(line, code) of every marked finding in the Example."""
        out = set()
        for i, line in enumerate(self.example.splitlines(), start=1):
            m = MARKER_RE.search(line)
            if m:
                out.add((i, m.group(1)))
        return out


def for_reading(text: str) -> str:
    """The doc as ``explain`` prints it: the configuration an example assumes, said in words."""
    return _CONFIG_RE.sub(lambda m: "The example assumes this configuration:\n\n```toml\n[tool.cartesia-migrate]\n"
                          f"{m.group('toml')}\n```", text)


def parse_doc(text: str, path: str = "") -> ParsedDoc:
    first = text.splitlines()[0] if text else ""
    m = re.match(r"^# (CM\d{3}) ([a-z0-9-]+)\s*$", first)
    if not m:
        raise ValueError("%s: the first line must be '# CMnnn rule-name'" % path)
    sections: Dict[str, str] = {}
    current = None
    for line in text.splitlines(True)[1:]:
        h = re.match(r"^## (.+?)\s*$", line)
        if h:
            current = h.group(1)
            sections[current] = ""
        elif current is not None:
            sections[current] += line
    missing = [s for s in SECTIONS if s not in sections]
    if missing:
        raise ValueError("%s: missing section(s): %s" % (path, ", ".join(missing)))

    def block(name: str) -> str:
        fm = _FENCE_RE.search(sections[name])
        if not fm:
            raise ValueError("%s: section %r has no code block" % (path, name))
        return fm.group("code")

    fm = _FILE_RE.search(sections["Example"])
    cm = _CONFIG_RE.search(sections["Example"])
    return ParsedDoc(m.group(1), m.group(2), sections, block("Example"), block("Use instead"), path,
                     fm.group("name") if fm else "app.py", cm.group("toml") if cm else "")
