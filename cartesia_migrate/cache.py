"""A findings cache for unchanged files (check mode).

Keyed by the file's bytes (sha256), its path as shown, the tool version, the
settings, the enabled rules and the models list in use.  One small JSON file a
key under ``<user cache dir>/findings``; a corrupt or unreadable entry is a
miss, never an error.

Nothing that holds an API key is stored: the findings of a file that spells a key (in any
spelling, see ``redact.find_keys``) are not cached (they are computed again on every run),
and an entry whose JSON shows a key is not written.  Folders are 0700 and files 0600: the
findings quote the user's code.
"""
from __future__ import annotations

import hashlib
import json
import os
from typing import List, Optional

from . import __version__
from .finding import Edit, Finding, Fix
from .io import make_private_dirs, own_private_dir, write_private_file


def cache_root() -> str:
    import platformdirs

    return os.environ.get("CARTESIA_MIGRATE_CACHE_DIR") or platformdirs.user_cache_dir("cartesia-migrate")


def _finding_to_json(f: Finding) -> dict:
    d = dict(f.__dict__)
    if f.fix is not None:
        d["fix"] = {"applicability": f.fix.applicability, "message": f.fix.message,
                    "edits": [dict(e.__dict__) for e in f.fix.edits]}
    return d


def _finding_from_json(d: dict) -> Finding:
    d = dict(d)
    fx = d.get("fix")
    if fx is not None:
        d["fix"] = Fix(fx["applicability"], fx["message"], tuple(
            Edit(e["content"], e["start_offset"], e["end_offset"], tuple(e["location"]),
                 tuple(e["end_location"])) for e in fx["edits"]))
    d["location"] = tuple(d["location"])
    d["end_location"] = tuple(d["end_location"])
    return Finding(**d)


def _pos(p) -> bool:
    return isinstance(p, tuple) and len(p) == 2 and all(type(x) is int and x >= 0 for x in p)


def _plausible(f: Finding) -> bool:
    """Valid JSON can still be damaged: reject what could not have been written by put()."""
    if not (isinstance(f.code, str) and f.code[:2] == "CM" and f.code[2:].isdigit()):
        return False
    if not all(isinstance(x, str) for x in (f.name, f.message, f.path, f.severity)):
        return False
    if not (_pos(f.location) and _pos(f.end_location)):
        return False
    if f.fix is not None:
        if not (isinstance(f.fix.message, str) and isinstance(f.fix.applicability, str)):
            return False
        for e in f.fix.edits:
            if not (isinstance(e.content, str) and type(e.start_offset) is int and type(e.end_offset) is int
                    and 0 <= e.start_offset <= e.end_offset):
                return False
    return True


class FindingsCache:
    def __init__(self, root: str) -> None:
        self.dir = os.path.join(root, "findings")
        self._ok = True
        self._made: set = set()

    @classmethod
    def open(cls) -> "FindingsCache":
        return cls(cache_root())

    def key(self, raw: bytes, settings, models, codes, path: str) -> str:
        h = hashlib.sha256(raw)
        h.update(("\0".join([__version__, settings.fingerprint(), models.version, ",".join(codes)])).encode())
        h.update(b"\0" + os.fsencode(path))  # a non-UTF-8 file name is bytes in a surrogate escape
        return h.hexdigest()

    def _file(self, key: str) -> str:
        return os.path.join(self.dir, key[:2], key + ".json")

    def get(self, key: Optional[str]) -> Optional[List[Finding]]:
        """The cached findings, or None: missing, unreadable, not JSON, or not findings."""
        if key is None:
            return None
        from .io import InputError, read_bytes

        try:  # read_bytes: never blocks on a FIFO planted in the cache folder
            raw, _st = read_bytes(self._file(key), 64 * 1024 * 1024)
            found = [_finding_from_json(d) for d in json.loads(raw.decode("utf-8"))]
        except (InputError, OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return found if all(_plausible(f) for f in found) else None

    def put(self, key: Optional[str], findings: List[Finding], secrets=()) -> None:
        """Store ``findings`` (not when the file holds an API key: ``secrets``)."""
        if key is None or not self._ok or secrets:
            return
        from .redact import KEY_RE

        data = json.dumps([_finding_to_json(x) for x in findings])
        if "sk_car_" in data.lower() and KEY_RE.search(data):
            return  # a key in a message or an edit: never on disk
        path = self._file(key)
        try:
            sub = os.path.dirname(path)
            if sub not in self._made:
                if not self._made:
                    make_private_dirs(os.path.dirname(self.dir))  # the cache root: created 0700, never chmodded
                    own_private_dir(self.dir)
                own_private_dir(sub)
                self._made.add(sub)
            write_private_file(path, data.encode("utf-8"))
        except OSError:
            self._ok = False  # read-only cache dir: run on without caching

    # -- used by the parallel runner (lookups in the main process)
    def _job_key(self, job, models) -> Optional[str]:
        from .io import InputError, read_bytes

        try:  # regular files only: a FIFO or device must never be opened (it would block)
            raw, _st = read_bytes(job.target.path)
        except InputError:
            return None
        codes = [c for c in job.settings.enabled_codes() if job.settings.enabled_for(c, job.target.path)]
        return self.key(raw, job.settings, models, codes, job.target.path)

    def lookup_job(self, job, models):
        from .finding import FileResult

        hit = self.get(self._job_key(job, models))
        return FileResult(job.target.path, findings=hit) if hit is not None else None

    def store_job(self, job, models, findings, secrets=()) -> None:
        if secrets:
            return
        self.put(self._job_key(job, models), findings)

    def flush(self) -> None:
        pass
