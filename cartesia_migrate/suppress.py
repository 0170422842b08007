"""Suppression comments.

- ``# noqa: CM101`` / ``# noqa: CM101, CM203`` on any line the finding spans
  (a bare ``# noqa`` belongs to other linters and does not suppress ours);
- ``# cartesia-migrate: ignore[CM101]`` (or ``ignore`` for every rule) on any line
  of the enclosing statement, or on a comment line right above it;
- ``# cartesia-migrate: skip-file`` on a line of its own: the file is skipped.
"""
from __future__ import annotations

import re
from typing import Dict, Optional, Set

NOQA_RE = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)", re.I)
IGNORE_RE = re.compile(r"#\s*cartesia-migrate\s*:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.I)
SKIP_FILE_RE = re.compile(r"^[ \t]*#[ \t]*cartesia-migrate[ \t]*:[ \t]*skip-file\b", re.I | re.M)

ALL = "*"


def skip_file(text: str) -> bool:
    return "skip-file" in text and SKIP_FILE_RE.search(text) is not None


def _codes(s: Optional[str]) -> Set[str]:
    if not s:
        return {ALL}
    return {c.strip().upper() for c in s.split(",") if c.strip()}


class Suppressions:
    """Per-line suppression codes of one file, parsed lazily (only for files with findings)."""

    def __init__(self, text: str) -> None:
        self.noqa: Dict[int, Set[str]] = {}
        self.ignore: Dict[int, Set[str]] = {}
        self.comment_only: Set[int] = set()
        if "noqa" not in text and "cartesia-migrate" not in text:
            return
        for i, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
            if "#" not in line:
                continue
            m = NOQA_RE.search(line)
            if m:
                self.noqa[i] = _codes(m.group("codes"))
            m = IGNORE_RE.search(line)
            if m:
                self.ignore[i] = _codes(m.group("codes"))
                if line.lstrip().startswith("#"):
                    self.comment_only.add(i)

    @staticmethod
    def _hit(codes: Optional[Set[str]], code: str) -> bool:
        return bool(codes) and (ALL in codes or any(code.startswith(c) for c in codes))

    def suppressed(self, code: str, start_row: int, end_row: int,
                   stmt_start: Optional[int] = None, stmt_end: Optional[int] = None) -> bool:
        if not self.noqa and not self.ignore:
            return False
        for row in range(start_row, end_row + 1):
            if self._hit(self.noqa.get(row), code):
                return True
        lo = min(start_row, stmt_start or start_row)
        hi = max(end_row, stmt_end or end_row)
        for row in range(lo, hi + 1):
            if self._hit(self.ignore.get(row), code):
                return True
        # a comment line right above the statement
        row = lo - 1
        while row in self.comment_only:
            if self._hit(self.ignore.get(row), code):
                return True
            row -= 1
        return False

