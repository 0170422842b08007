"""Baselines: adopt the tool on a big legacy codebase without fixing everything first.

``check --write-baseline FILE`` records today's findings; ``check --baseline FILE`` then reports
only findings that are not in it.  An entry is matched by rule code, path and the finding's
fingerprint -- a hash of the rule and the normalised code it points at, not of the line number --
so lines that move (code added above, a function moved down) stay baselined, while the same
problem written somewhere new is reported.  Identical code reported twice in one file is told
apart by its order among its twins, so a baseline holding one ``"sonic-english"`` does not hide a
second one added later.

The file is JSON, sorted, one entry per finding, meant to be committed and reviewed::

    {
      "cartesia-migrate-baseline": 1,
      "findings": [
        {"code": "CM101", "path": "src/tts.py", "fingerprint": "3b9a307224e32a30",
         "message": "Model 'sonic' was discontinued on 2026-06-01: ..."}
      ]
    }

Paths are relative to the baseline file's folder (``/`` separators), so the same baseline works
from any working directory and for ``check .`` as well as ``check src/``.  The message is for
humans reading the file; it is not matched.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, List, Tuple

from .io import InputError, NotWritten, read_setting_bytes, write_atomic
from .redact import redact

#: a baseline larger than this is refused (a device or a runaway file would fill the memory)
MAX_BASELINE_BYTES = 64 * 1024 * 1024

FORMAT_KEY = "cartesia-migrate-baseline"
VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read; str(self) names it and says why."""


def _key_path(path: str, base_dir: str) -> str:
    if path in ("-", "<stdin>"):
        return path
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base_dir))
    return rel.replace(os.sep, "/")


def _key(f, base_dir: str) -> Tuple[str, str, str]:
    return f.code, _key_path(f.path, base_dir), f.fingerprint or "%d:%d" % f.location


def write(file: str, findings: Iterable) -> int:
    """Record ``findings`` in ``file`` (atomically); returns how many."""
    base_dir = os.path.dirname(os.path.abspath(file))
    entries = []
    for f in findings:
        code, path, fp = _key(f, base_dir)
        entries.append({"code": code, "path": path, "fingerprint": fp, "message": redact(f.message)})
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    data = json.dumps({FORMAT_KEY: VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"
    # a non-UTF-8 file name is a lone surrogate in its path: written as its JSON escape
    # (``\udcff``), which reads back as the same path
    payload = data.encode("utf-8", "backslashreplace")
    folder = os.path.dirname(os.path.abspath(file))
    if not os.path.isdir(folder):
        raise BaselineError("%s: the folder does not exist" % file)
    if os.path.lexists(file):
        try:
            write_atomic(file, payload)
        except (InputError, NotWritten) as e:  # a FIFO, a device, a read-only or hard-linked file
            raise BaselineError("%s: not written: %s" % (file, e))
    else:
        try:
            write_atomic(file, payload, 0o666 & ~_umask())
        except (InputError, NotWritten) as e:
            raise BaselineError("%s: not written: %s" % (file, e))
    return len(entries)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@dataclass
class Baseline:
    file: str
    entries: Counter  # (code, path, fingerprint) -> count

    @property
    def base_dir(self) -> str:
        return os.path.dirname(os.path.abspath(self.file))


def load(file: str) -> Baseline:
    """The baseline in ``file``: a regular file or a pipe that sends it (a FIFO nobody writes to
    or a device is refused, never blocking), at most MAX_BASELINE_BYTES, or BaselineError
    naming it."""
    try:
        raw = read_setting_bytes(file, MAX_BASELINE_BYTES)
    except InputError as e:
        if str(e) == "no such file or directory":
            raise BaselineError("%s: no such file (create it with --write-baseline)" % file)
        raise BaselineError("%s: cannot read: %s" % (file, e))
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise BaselineError("%s: not valid JSON: nested too deeply" % file)
    except ValueError as e:  # (UnicodeDecodeError too)
        raise BaselineError("%s: not valid JSON: %s" % (file, e))
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError("%s: not a cartesia-migrate baseline (version %d)" % (file, VERSION))
    entries: Counter = Counter()
    for e in data["findings"]:
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("code", "path", "fingerprint")):
            raise BaselineError("%s: malformed entry %r" % (file, e))
        entries[(e["code"], e["path"], e["fingerprint"])] += 1
    return Baseline(file, entries)


@dataclass
class Applied:
    baselined: int  # findings hidden because the baseline has them
    stale: int  # baseline entries that matched nothing (fixed since, or code removed)


def apply(run, baseline: Baseline) -> Applied:
    """Drop the findings ``baseline`` records from ``run`` (in place)."""
    left = Counter(baseline.entries)
    hidden = 0
    for r in run.results:
        kept: List = []
        for f in r.findings:
            k = _key(f, baseline.base_dir)
            if left[k] > 0:
                left[k] -= 1
                hidden += 1
            else:
                kept.append(f)
        r.findings = kept
    return Applied(hidden, sum(left.values()))
