"""A progress bar on stderr for long runs (``check``/``fix`` of many files).

Shown only when stderr is a terminal, the report is text (never json, sarif or github:
those are read by programs), ``--quiet`` is not given, and the run parses more than a few
dozen files (files that the byte gate lets through and the cache does not answer).  It is
one line, redrawn in place (files done / total, elapsed time) and erased before the report
is printed.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from typing import Callable, Optional, TextIO

#: fewer files to parse than this: no bar (a short run is over before it would help)
MIN_FILES = 40
#: redraw at most this often (seconds); the first and the last state are always drawn
REDRAW = 0.1


class ProgressBar:
    def __init__(self, stream: Optional[TextIO] = None, min_files: int = MIN_FILES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.min_files = min_files
        self.clock = clock
        self.started = clock()
        self.drawn_at: Optional[float] = None
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < self.min_files:
            return
        now = self.clock()
        if self.shown and 0 < done < total and self.drawn_at is not None and now - self.drawn_at < REDRAW:
            return
        self.drawn_at = now
        self._draw(self.line(done, total, now - self.started))

    def line(self, done: int, total: int, elapsed: float) -> str:
        width = max(20, _columns(self.stream) - 1)
        tail = f" {done}/{total} files {elapsed:.1f}s"
        head = "cartesia-migrate: checking "
        room = width - len(head) - len(tail) - 2
        if room < 10:
            return (head + tail.strip())[:width]
        filled = room * done // total if total else room
        return f"{head}[{'#' * filled}{'-' * (room - filled)}]{tail}"

    def _draw(self, text: str) -> None:
        try:
            self.stream.write(f"\r{text}\x1b[K")
            self.stream.flush()
            self.shown = True
        except (OSError, ValueError):  # a closed or broken terminal: no bar, the run goes on
            pass

    def clear(self) -> None:
        """Erase the bar (before the report is printed)."""
        if self.shown:
            self.shown = False
            try:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
            except (OSError, ValueError):
                pass


def _columns(stream) -> int:
    try:
        cols = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        cols = 0
    return cols or shutil.get_terminal_size((80, 24)).columns or 80


def for_run(output_format: str, quiet: bool, stream: Optional[TextIO] = None) -> Optional[ProgressBar]:
    """The bar for a run, or None when none may be shown."""
    stream = stream if stream is not None else sys.stderr
    if quiet or output_format.lower() != "text" or os.environ.get("TERM") == "dumb":
        return None
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return ProgressBar(stream)
