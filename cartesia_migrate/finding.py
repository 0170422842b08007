"""Plain data that flows out of the engine: findings, fixes, edits, file errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple


@dataclass(frozen=True)
class Edit:
    """Replace text between two (1-based row, 1-based column) positions with ``content``.

    ``start_offset``/``end_offset`` index the decoded source text; rows/columns are
    what the output formats show (ruff's convention: both 1-based).
    """

    content: str
    start_offset: int
    end_offset: int
    location: Tuple[int, int]
    end_location: Tuple[int, int]


@dataclass(frozen=True)
class Fix:
    applicability: str  # "safe" | "unsafe"
    message: str
    edits: Tuple[Edit, ...]


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    message: str
    path: str
    location: Tuple[int, int]
    end_location: Tuple[int, int]
    severity: str = "error"
    fix: Optional[Fix] = None
    noqa_row: Optional[int] = None
    url: Optional[str] = None
    cell: Optional[int] = None  # notebooks: 1-based cell number
    fingerprint: Optional[str] = None
    # notebooks: (row, column, end row, end column) in the .ipynb file itself (SARIF regions)
    file_region: Optional[Tuple[int, int, int, int]] = None

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def sort_key(self):
        return (self.path, self.cell or 0, self.location, self.code)


@dataclass(frozen=True)
class FileError:
    """A file that could not be read, decoded or parsed.  Reported, never fatal to the run."""

    path: str
    reason: str
    #: the traceback of an internal error (shown with ``--verbose``), else None
    detail: Optional[str] = field(default=None, compare=False)


@dataclass
class FileResult:
    path: str
    findings: list = field(default_factory=list)
    error: Optional[FileError] = None
    fixed: int = 0  # number of findings fixed (fix mode)
    changed: bool = False
    diff: Optional[str] = None
    new_text: Optional[str] = None
    #: stdin fix: the bytes to print (the input's own encoding, BOM and newlines)
    new_bytes: Optional[bytes] = None
    applied: list = field(default_factory=list)  # findings whose fixes were applied (fix mode)
    #: the API keys the file spells (any spelling): every output hides them (redact.remember)
    secrets: tuple = ()
    #: fix mode: why the fixes were not written (a hard-linked or read-only file), else None
    not_written: Optional[str] = None
