"""Discovery: the files a run looks at.

Directories are walked without following symlinked folders (no loops);
``.gitignore`` files (nested too) are honoured with pathspec's gitignore
semantics; ``exclude``/``extend-exclude`` globs and the default excludes prune
the walk.  A file named explicitly is always checked.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Tuple

import pathspec

from .config import ConfigError, Resolver, globs_matcher
from .io import InputError, os_reason, read_bytes

MAX_GITIGNORE_BYTES = 10 * 1024 * 1024
from .filetypes import includes_of, kind_of


@dataclass(frozen=True)
class Target:
    path: str  # as shown to the user
    kind: str
    root: str  # absolute real path of the tree it was found under (write guard)
    explicit: bool = False


@dataclass(frozen=True)
class Missing:
    path: str
    reason: str


def _gitignore(folder: str) -> Optional[pathspec.PathSpec]:
    p = os.path.join(folder, ".gitignore")
    if not os.path.isfile(p):  # absent, or a FIFO/device: never opened
        return None
    try:  # read_bytes: a regular file only (never blocks), bounded in size
        raw, _st = read_bytes(p, MAX_GITIGNORE_BYTES)
    except InputError:
        return None
    lines = raw.decode("utf-8", "replace").splitlines()
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _excluded(path: str, resolver: Resolver) -> bool:
    s = resolver.for_path(path) if os.path.isfile(path) else resolver.for_dir(path)
    name = os.path.basename(path.rstrip("/"))
    patterns = s.exclude + s.extend_exclude
    return name in patterns or globs_matcher(patterns)(path, s.root)


def discover(paths: List[str], resolver: Resolver) -> Tuple[List[Target], List[Missing]]:
    targets: List[Target] = []
    missing: List[Missing] = []
    seen = set()
    for given in paths:
        try:
            os.stat(given)
        except (OSError, ValueError) as e:
            if isinstance(e, OSError) and e.errno == errno.ELOOP:
                reason = "symbolic link loop"
            elif os.path.islink(given):
                reason = "broken symbolic link"
            else:
                reason = os_reason(e) if isinstance(e, OSError) else "invalid file name"
            missing.append(Missing(given, reason))
            continue
        root = os.path.realpath(given if os.path.isdir(given) else os.path.dirname(given) or ".")
        if not os.path.isdir(given):
            # explicit file: always checked, even when excluded.  A file of no kind we read is
            # checked as Python when it has no extension (a script); other files (README.md,
            # notes.txt, as pre-commit may pass them) are not ours and are skipped.
            key = os.path.realpath(given)
            kind = kind_of(given)
            if kind is None and "." not in os.path.basename(given).lstrip("."):
                kind = "python"
            if key not in seen and kind is not None:
                seen.add(key)
                targets.append(Target(given, kind, root, explicit=True))
            continue
        for path in _walk(given, resolver, missing):
            key = os.path.realpath(path)
            if key in seen:
                continue
            seen.add(key)
            targets.append(Target(path, kind_of(path) or "python", root))
    _add_includes(targets, seen, resolver)
    return targets, missing


def _add_includes(targets: List[Target], seen: set, resolver: Resolver) -> None:
    """Files that targets pull in (requirements ``-r`` / ``-c``) are targets too, when they are
    regular files inside the same tree and not excluded."""
    i = 0
    while i < len(targets):
        t = targets[i]
        i += 1
        if t.kind == "python" or not os.path.isfile(t.path):  # FIFOs and devices are never opened
            continue
        for inc in includes_of(t.kind, t.path):
            key = os.path.realpath(inc)
            if key in seen or not os.path.isfile(inc) or os.path.islink(inc):
                continue
            if not (key + os.sep).startswith(t.root.rstrip(os.sep) + os.sep) or _excluded(inc, resolver):
                continue
            seen.add(key)
            targets.append(Target(_clean(inc), kind_of(inc) or t.kind, t.root))


def _walk(top: str, resolver: Resolver, missing: Optional[List[Missing]] = None) -> Iterator[str]:
    """Files under ``top``.  Folders that cannot be listed, and sub-projects whose
    ``[tool.cartesia-migrate]`` is invalid, are reported in ``missing`` and skipped (the
    rest of the tree is still checked); an invalid configuration that applies to ``top``
    itself is an error for the whole run (ConfigError)."""
    if missing is None:
        missing = []

    def unreadable(e: OSError) -> None:
        where = e.filename if isinstance(e.filename, str) else top
        missing.append(Missing(_clean(where), "cannot list the folder: %s" % os_reason(e)))

    specs: Dict[str, pathspec.PathSpec] = {}
    # .gitignore files above `top` up to the repository root also apply
    ancestors = []
    d = os.path.abspath(top)
    while True:
        ancestors.append(d)
        if os.path.isdir(os.path.join(d, ".git")):
            break
        parent = os.path.dirname(d)
        if parent == d:
            ancestors = [os.path.abspath(top)]
            break
        d = parent
    for a in ancestors:
        spec = _gitignore(a)
        if spec is not None:
            specs[a] = spec

    def ignored(abs_path: str, is_dir: bool) -> bool:
        for base, spec in specs.items():
            if abs_path == base or not abs_path.startswith(base + os.sep):
                continue
            rel = os.path.relpath(abs_path, base).replace(os.sep, "/")
            if spec.match_file(rel + ("/" if is_dir else "")):
                return True
        return False

    for folder, dirs, files in os.walk(top, onerror=unreadable, followlinks=False):
        afolder = os.path.abspath(folder)
        if afolder not in specs:
            spec = _gitignore(afolder)
            if spec is not None:
                specs[afolder] = spec
        keep = []
        for d in sorted(dirs):
            full = os.path.join(folder, d)
            if os.path.islink(full):
                continue
            try:
                excluded = _excluded(full, resolver)
            except ConfigError as e:  # a sub-project's own bad config: skip it, check the rest
                cfg = os.path.join(full, "pyproject.toml")
                reason = str(e)
                for prefix in (os.path.abspath(cfg) + ": ", cfg + ": "):
                    if reason.startswith(prefix):
                        reason = reason[len(prefix):]
                missing.append(Missing(_clean(cfg), "%s (the files it applies to were not checked)" % reason))
                continue
            if excluded or ignored(os.path.join(afolder, d), True):
                continue
            keep.append(d)
        dirs[:] = keep
        for f in sorted(files):
            full = os.path.join(folder, f)
            if kind_of(full) is None:
                continue
            if _excluded(full, resolver) or ignored(os.path.join(afolder, f), False):
                continue
            yield _clean(full)


def _clean(path: str) -> str:
    return path[2:] if path.startswith("./") else path
