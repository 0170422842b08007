"""The walker's plan, kept on disk between processes (what ``__pycache__`` is to imports).

A process that walks a libcst tree first has to learn, from libcst's type hints, what
may occur below every field of every node class (``walk._reach``, ``walk._field_classes``)
and to compile one small function per node shape (``walk._factory``).  That costs a few
hundredths of a second per process: as much as parsing a file, so it matters for
pre-commit runs on a few files.  Both results depend only on libcst, the walker's source
and the Python version, never on the files checked, so they are stored once:

- ``rows``: node class name -> (fields in walk order, the names of the node classes each
  field may hold (None: unknown), the names of the node classes that may occur anywhere
  below (None: unknown));
- ``code``: sha256 of a shape function's generated source -> its compiled code object.

The file is ``<cache root>/plans/walk-<key>.marshal`` (the cache root of the findings
cache: ``CARTESIA_MIGRATE_CACHE_DIR``, else the user cache dir, which honours
``XDG_CACHE_HOME``).  The key hashes this format, the tool version, libcst's version,
the Python version and bytecode magic number, and the source of ``walk.py`` and of this
module.  The plan does not depend on which rules are enabled: what a given set of visitor
methods enters is computed from the rows in microseconds, and a shape function's code is
found by the hash of its source, which spells the fields and method counts it serves.

Nothing read is trusted blindly: the file must be a regular file of this user, not
writable by others, at most ``MAX_BYTES``; it is ``marshal`` data (no pickle) whose
structure is checked field by field, with the expected key inside; anything else is
ignored and rebuilt.  ``walk`` also checks each row's fields against the live class
before using it.  Written atomically (a 0600 temporary file, then ``os.replace``) in a
0700 directory; a cache that cannot be written is left alone for the rest of the process.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import threading
import types
from typing import Dict, FrozenSet, Optional, Tuple

from .io import make_private_dirs, read_at_most, write_private_file

FORMAT = 1
MAX_BYTES = 8 * 1024 * 1024
#: shape functions kept (a few hundred in practice); beyond it, only this process's are kept
MAX_CODE = 4096

Row = Tuple[Tuple[str, ...], Tuple[Optional[FrozenSet[str]], ...], Optional[FrozenSet[str]]]
Rows = Dict[str, Row]
Code = Dict[bytes, types.CodeType]

#: switched off by tests that compare walks with and without the cache
ENABLED = True

_LOCK = threading.Lock()
_STATE: Dict[str, object] = {}  # "key": the key of this process, "broken": a write failed


def libcst_version() -> str:
    from libcst._version import __version__

    return __version__


def _digest_of_sources() -> Optional[str]:
    """sha256 of walk.py and of this module (None when they cannot be read: no caching)."""
    from . import walk

    h = hashlib.sha256()
    for path in (walk.__file__, __file__):
        try:
            with open(path, "rb") as f:
                h.update(f.read())
        except (OSError, TypeError):
            return None
    return h.hexdigest()


def plan_key() -> Optional[str]:
    """The key of the plan this process computes (None: do not cache)."""
    from importlib.util import MAGIC_NUMBER

    from . import __version__

    sources = _digest_of_sources()
    if sources is None:
        return None
    parts = [f"format {FORMAT}", f"cartesia-migrate {__version__}", f"libcst {libcst_version()}",
             f"python {sys.version}", sys.implementation.cache_tag or "", MAGIC_NUMBER.hex(), sources]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _key() -> Optional[str]:
    if "key" not in _STATE:
        _STATE["key"] = plan_key()
    return _STATE["key"]  # type: ignore[return-value]


def plan_dir() -> str:
    from .cache import cache_root

    return os.path.join(cache_root(), "plans")


def plan_path(key: str) -> str:
    return os.path.join(plan_dir(), f"walk-{key[:40]}.marshal")


# ---- reading ------------------------------------------------------------------------------

_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
          | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def _read(path: str) -> Optional[bytes]:
    """The bytes of the plan file, or None: missing, a link, not a regular file, too large,
    not this user's, or writable by others."""
    try:
        fd = os.open(path, _FLAGS)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        if os.name == "posix" and (st.st_mode & 0o022 or st.st_uid != os.getuid()):
            return None  # another user's file, or one others could have written
        data = read_at_most(fd, MAX_BYTES)
        return data if len(data) <= MAX_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _names(x) -> bool:
    return type(x) is frozenset and all(type(n) is str for n in x)


def _valid_row(name, row) -> bool:
    if type(name) is not str or type(row) is not tuple or len(row) != 3:
        return False
    fields, kinds, reach = row
    if type(fields) is not tuple or not all(type(f) is str for f in fields):
        return False
    if type(kinds) is not tuple or len(kinds) != len(fields):
        return False
    if not all(k is None or _names(k) for k in kinds):
        return False
    return reach is None or _names(reach)


def _valid_code(digest, code) -> bool:
    return (type(digest) is bytes and len(digest) == 32 and type(code) is types.CodeType
            and code.co_filename.startswith("<cartesia_migrate.walk "))


def validate(obj, key: str) -> Optional[Tuple[Rows, Code]]:
    """(rows, code) of a loaded plan, or None when anything in it is not what ``save`` writes."""
    if type(obj) is not dict or set(obj) != {"format", "key", "rows", "code"}:
        return None
    if obj["format"] != FORMAT or obj["key"] != key:
        return None
    rows, code = obj["rows"], obj["code"]
    if type(rows) is not dict or type(code) is not dict:
        return None
    if not all(_valid_row(n, r) for n, r in rows.items()):
        return None
    if not all(_valid_code(d, c) for d, c in code.items()):
        return None
    return rows, code


def _load(key: str) -> Tuple[Rows, Code]:
    data = _read(plan_path(key))
    if data is None:
        return {}, {}
    try:
        obj = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return {}, {}
    return validate(obj, key) or ({}, {})


def load() -> Tuple[Rows, Code]:
    """The stored plan of this process's key (empty when there is none usable)."""
    if not ENABLED:
        return {}, {}
    key = _key()
    if key is None:
        return {}, {}
    try:
        return _load(key)
    except OSError:  # the cache root itself cannot be determined
        return {}, {}


# ---- writing ------------------------------------------------------------------------------

def save(rows: Rows, code: Code) -> bool:
    """Merge ``rows`` and ``code`` into the stored plan (what another process stored in the
    meantime is kept).  False when the cache cannot be written (then never again here)."""
    if not ENABLED or _STATE.get("broken"):
        return False
    key = _key()
    if key is None:
        return False
    with _LOCK:
        try:
            path = plan_path(key)
            folder = os.path.dirname(path)
            make_private_dirs(folder)
            old_rows, old_code = _load(key)
            old_rows.update(rows)
            old_code.update(code)
            if len(old_code) > MAX_CODE:  # bounded: many configurations over a long time
                old_code = dict(code)
            data = marshal.dumps({"format": FORMAT, "key": key, "rows": old_rows, "code": old_code})
            write_private_file(path, data)
        except (OSError, ValueError):
            _STATE["broken"] = True
            return False
    return True


def reset() -> None:
    """Forget this process's key and write failures (tests)."""
    _STATE.clear()
