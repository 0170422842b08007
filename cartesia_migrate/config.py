"""Configuration: ``[tool.cartesia-migrate]`` in the closest pyproject.toml, or ``--config``.

Hierarchical like ruff: each file uses the closest ``pyproject.toml`` among its
ancestors that has a ``[tool.cartesia-migrate]`` section.  Command-line options
override: ``--select`` replaces, ``--ignore``/``--extend-exclude`` add.
Unknown keys are an error that names them.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from . import catalog

SECTION = "cartesia-migrate"
DEFAULT_EXCLUDE = (".venv", "venv", "site-packages", "node_modules", "build", "dist", ".git",
                   "__pycache__", ".tox", ".nox", ".mypy_cache", ".ruff_cache", ".pytest_cache")
KNOWN_KEYS = {
    "select", "ignore", "exclude", "extend-exclude", "per-file-ignores", "pin-dated",
    "replacement-model", "pvc-voices", "target-sdk", "offline",
}


class ConfigError(Exception):
    """Bad configuration; str(self) is the one-line message (exit 2)."""


@dataclass(frozen=True)
class Settings:
    select: Tuple[str, ...] = ("CM",)
    ignore: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    pin_dated: bool = True
    replacement_model: Optional[str] = None
    pvc_voices: Tuple[Tuple[str, str], ...] = ()
    target_sdk: str = "4"
    offline: bool = False
    root: str = "."  # folder of the pyproject.toml the settings came from
    source: Optional[str] = None

    def enabled(self, code: str) -> bool:
        return rule_enabled(code, self.select, self.ignore)

    def enabled_for(self, code: str, path: str) -> bool:
        if not self.enabled(code):
            return False
        if not self.per_file_ignores:
            return True
        return code not in _per_file_ignores(self.per_file_ignores).ignored(path, self.root)

    def enabled_codes(self) -> List[str]:
        return [c for c in catalog.CATALOG if self.enabled(c)]

    @property
    def pvc_map(self) -> Dict[str, str]:
        return dict(self.pvc_voices)

    def fingerprint(self) -> str:
        """A stable hash of everything that changes findings (for the cache)."""
        hit = _FINGERPRINTS.get(id(self))
        if hit is not None and hit[0] is self:
            return hit[1]
        d = {k: v for k, v in self.__dict__.items() if k not in ("root", "source")}
        fp = hashlib.sha256(json.dumps(d, sort_keys=True, default=list).encode()).hexdigest()[:16]
        _FINGERPRINTS[id(self)] = (self, fp)
        return fp


_FINGERPRINTS: Dict[int, Tuple[Settings, str]] = {}


class _PerFileIgnores:
    """``per-file-ignores`` compiled once: for each rule code, one regex of all the globs that
    ignore it (codes ignored by the same globs share it), and per file the set of codes its
    globs ignore.  (Matching each glob separately, per rule and per file, took minutes for
    thousands of globs.)"""

    def __init__(self, table: Tuple[Tuple[str, Tuple[str, ...]], ...]) -> None:
        self.table = table
        by_code: Dict[str, List[str]] = {}
        for pattern, codes in table:
            for code in catalog.CATALOG:
                if any(code.startswith(c) for c in codes):
                    by_code.setdefault(code, []).append(pattern)
        # the matchers are compiled on first use (most runs never need most codes')
        self._by_code = {code: tuple(patterns) for code, patterns in by_code.items()}
        self._any = tuple(dict.fromkeys(p for p, _c in table))
        self._matchers: Dict[str, Any] = {}
        self._files: Dict[Tuple[str, str], frozenset] = {}

    def _matcher(self, code: str):
        m = self._matchers.get(code)
        if m is None:
            m = self._matchers[code] = globs_matcher(self._any if code == "" else self._by_code[code])
        return m

    def ignored(self, path: str, root: str) -> frozenset:
        hit = self._files.get((path, root))
        if hit is not None:
            return hit
        out = frozenset()
        if self._any and self._matcher("")(path, root):
            out = frozenset(code for code in self._by_code if self._matcher(code)(path, root))
        self._files[(path, root)] = out
        return out


_PFI: Dict[int, _PerFileIgnores] = {}


def _per_file_ignores(table) -> _PerFileIgnores:
    hit = _PFI.get(id(table))
    if hit is None or hit.table is not table:
        hit = _PFI[id(table)] = _PerFileIgnores(table)
    return hit


def rule_enabled(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """ruff semantics: the most specific matching prefix wins; on a tie, ignore wins."""
    s = max((len(p) for p in select if code.startswith(p)), default=-1)
    if s < 0:
        return False
    i = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return s > i


def path_matches(path: str, pattern: str, root: str = ".") -> bool:
    """Glob match of ``path`` (made relative to ``root``) or any of its parts against ``pattern``."""
    return globs_matcher((pattern,))(path, root)


_MATCHERS: Dict[Tuple[str, ...], Any] = {}
_ABS: Dict[str, str] = {}


def globs_matcher(patterns: Tuple[str, ...]):
    """``path_matches`` for any of ``patterns`` at once: one compiled regex, tried on the
    path relative to the root, its base name and each of its leading parts (discovery asks
    this for every file and folder of the tree: a loop of ``fnmatch`` calls cost seconds)."""
    m = _MATCHERS.get(patterns)
    if m is not None:
        return m
    rx = _compile_globs(patterns)
    normcase = os.path.normcase

    def matches(path: str, root: str = ".") -> bool:
        if rx is None:
            return False
        base = _ABS.get(root)
        if base is None:
            base = os.path.abspath(root)
            if os.path.isabs(root):  # a relative root follows the working directory
                _ABS[root] = base
        rel = os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
        if rx.match(normcase(rel)) or rx.match(normcase(os.path.basename(path))):
            return True
        parts = rel.split("/")
        return any(rx.match(normcase("/".join(parts[: i + 1]))) for i in range(len(parts) - 1))

    _MATCHERS[patterns] = matches
    return matches


def _compile_globs(patterns: Tuple[str, ...]):
    """One regex for a set of globs (None for none)."""
    if not patterns:
        return None
    return re.compile("|".join("(?:%s)" % fnmatch.translate(os.path.normcase(p)) for p in patterns))


def parse_codes(value: str) -> Tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in value.split(",") if c.strip())
    for c in codes:
        if not c.startswith("CM") or not any(k.startswith(c) for k in catalog.CATALOG) and c != "CM":
            raise ConfigError("unknown rule code or prefix %r" % c)
    return codes


def _codes(value, key: str) -> Tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError("%s must be a list of rule codes" % key)
    return parse_codes(",".join(value))


def settings_from_table(table: dict, root: str, source: str) -> Settings:
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError("%s: unknown key%s in [tool.%s]: %s" % (
            source, "s" if len(unknown) > 1 else "", SECTION, ", ".join(unknown)))
    s = Settings(root=root, source=source)
    try:
        if "select" in table:
            s = replace(s, select=_codes(table["select"], "select"))
        if "ignore" in table:
            s = replace(s, ignore=_codes(table["ignore"], "ignore"))
        for key, attr in (("exclude", "exclude"), ("extend-exclude", "extend_exclude")):
            if key in table:
                v = table[key]
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    raise ConfigError("%s must be a list of globs" % key)
                s = replace(s, **{attr: tuple(v)})
        if "per-file-ignores" in table:
            pfi = table["per-file-ignores"]
            if not isinstance(pfi, dict):
                raise ConfigError("per-file-ignores must be a table of glob = [codes]")
            s = replace(s, per_file_ignores=tuple(
                (k, _codes(v, "per-file-ignores")) for k, v in pfi.items()))
        for key, attr in (("pin-dated", "pin_dated"), ("offline", "offline")):
            if key in table:
                if not isinstance(table[key], bool):
                    raise ConfigError("%s must be true or false" % key)
                s = replace(s, **{attr: table[key]})
        if "replacement-model" in table:
            if not isinstance(table["replacement-model"], str):
                raise ConfigError("replacement-model must be a string")
            s = replace(s, replacement_model=table["replacement-model"])
        if "pvc-voices" in table:
            pv = table["pvc-voices"]
            if not isinstance(pv, dict) or not all(isinstance(v, str) for v in pv.values()):
                raise ConfigError("pvc-voices must be a table of voice-id = \"dated-model-id\"")
            s = replace(s, pvc_voices=tuple(sorted(pv.items())))
        if "target-sdk" in table:
            v = str(table["target-sdk"])
            if v not in ("3", "4"):
                raise ConfigError("target-sdk must be \"3\" or \"4\"")
            s = replace(s, target_sdk=v)
    except ConfigError as e:
        if str(e).startswith(source):
            raise
        raise ConfigError("%s: [tool.%s] %s" % (source, SECTION, e))
    return s


#: a configuration file larger than this is refused (``--config /dev/zero`` would read for ever)
MAX_CONFIG_BYTES = 10 * 1024 * 1024


def read_toml(path: str, max_bytes: Optional[int] = None) -> dict:
    """A TOML file as a dict, or ConfigError naming the file: a regular file or a pipe that
    sends it (a FIFO nobody writes to or a device is refused: nothing blocks us), at most
    ``max_bytes``, UTF-8, valid TOML."""
    from .io import InputError, read_setting_bytes

    try:
        raw = read_setting_bytes(path, MAX_CONFIG_BYTES if max_bytes is None else max_bytes)
    except InputError as e:
        raise ConfigError("%s: cannot read: %s" % (path, e))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError("%s: invalid TOML: not UTF-8 (invalid byte 0x%02x at offset %d)"
                          % (path, raw[e.start], e.start))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("%s: invalid TOML: %s" % (path, e))
    except RecursionError:
        raise ConfigError("%s: invalid TOML: nested too deeply" % path)


def load_file(path: str) -> Optional[Settings]:
    """Settings from one TOML file, or None when it has no [tool.cartesia-migrate]."""
    data = read_toml(path)
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        if os.path.basename(path) == "pyproject.toml":
            raise ConfigError("%s: invalid pyproject.toml: `tool` must be a table, not %s"
                              % (path, _toml_type(tool)))
        tool = {}
    if os.path.basename(path) == "pyproject.toml" or "tool" in data:
        table = tool.get(SECTION)
        if table is None:
            return None
    else:  # a dedicated config file: the table may be top level
        table = tool.get(SECTION, data)
    if not isinstance(table, dict):
        raise ConfigError("%s: [tool.%s] must be a table" % (path, SECTION))
    return settings_from_table(table, os.path.dirname(os.path.abspath(path)), path)


def _toml_type(value) -> str:
    return {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
            list: "an array"}.get(type(value), "a %s" % type(value).__name__)


@dataclass
class Overrides:
    """Command-line options that override file settings."""

    select: Optional[Tuple[str, ...]] = None
    ignore: Tuple[str, ...] = ()
    exclude: Optional[Tuple[str, ...]] = None
    extend_exclude: Tuple[str, ...] = ()
    offline: Optional[bool] = None

    def apply(self, s: Settings) -> Settings:
        if self.select is not None:
            s = replace(s, select=self.select)
        if self.ignore:
            s = replace(s, ignore=s.ignore + self.ignore)
        if self.exclude is not None:
            s = replace(s, exclude=self.exclude)
        if self.extend_exclude:
            s = replace(s, extend_exclude=s.extend_exclude + self.extend_exclude)
        if self.offline is not None:
            s = replace(s, offline=self.offline or s.offline)
        return s


@dataclass
class Resolver:
    """Finds the settings for each file: ``--config`` for all, or the closest pyproject.toml."""

    config_file: Optional[str] = None
    overrides: Overrides = field(default_factory=Overrides)
    _by_dir: Dict[str, Settings] = field(default_factory=dict)
    _fixed: Optional[Settings] = None

    def __post_init__(self) -> None:
        if self.config_file is not None:
            s = load_file(self.config_file)
            if s is None:
                s = Settings(root=os.path.dirname(os.path.abspath(self.config_file)),
                             source=self.config_file)
            self._fixed = self.overrides.apply(s)

    def for_dir(self, folder: str) -> Settings:
        if self._fixed is not None:
            return self._fixed
        folder = os.path.abspath(folder)
        hit = self._by_dir.get(folder)
        if hit is not None:
            return hit
        candidate = os.path.join(folder, "pyproject.toml")
        s = load_file(candidate) if os.path.isfile(candidate) else None
        if s is None:
            parent = os.path.dirname(folder)
            if parent == folder:
                s = self.overrides.apply(Settings(root=os.getcwd()))
            else:
                s = self.for_dir(parent)
        else:
            s = self.overrides.apply(s)
        self._by_dir[folder] = s
        return s

    def for_path(self, path: str) -> Settings:
        return self.for_dir(os.path.dirname(os.path.abspath(path)))
