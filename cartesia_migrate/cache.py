"""A findings cache for unchanged files (check mode).

Keyed by the file's bytes (sha256), its path as shown, the tool version, the
settings, the enabled rules and the models list in use.  One small JSON file a
key under ``<user cache dir>/findings``; a corrupt or unreadable entry is a
miss, never an error.
"""
from __future__ import annotations

import hashlib
import json
import os
from typing import List, Optional

from . import __version__
from .finding import Edit, Finding, Fix


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


class FindingsCache:
    def __init__(self, root: str) -> None:
        self.dir = os.path.join(root, "findings")
        self._ok = True

    @classmethod
    def open(cls) -> "FindingsCache":
        return cls(cache_root())

    def key(self, raw: bytes, settings, models, codes, path: str) -> str:
        h = hashlib.sha256(raw)
        h.update(("\0".join([__version__, settings.fingerprint(), models.version, ",".join(codes), path])).encode())
        return h.hexdigest()

    def _file(self, key: str) -> str:
        return os.path.join(self.dir, key[:2], key + ".json")

    def get(self, key: Optional[str]) -> Optional[List[Finding]]:
        if key is None:
            return None
        try:
            with open(self._file(key), encoding="utf-8") as f:
                data = json.load(f)
            return [_finding_from_json(d) for d in data]
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def put(self, key: Optional[str], findings: List[Finding]) -> None:
        if key is None or not self._ok:
            return
        path = self._file(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = "%s.%d.tmp" % (path, os.getpid())
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump([_finding_to_json(x) for x in findings], f)
            os.replace(tmp, path)
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

    def store_job(self, job, models, findings) -> None:
        self.put(self._job_key(job, models), findings)

    def flush(self) -> None:
        pass
