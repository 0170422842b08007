"""Model IDs in config files: ``.env``, YAML, JSON (JSONC too) and TOML.

A value counts when its key is a model key -- ``model``, ``model_id``, ``tts_model``,
``CARTESIA_MODEL*``, anything ``*_model`` / ``*_model_id`` / ``*_model_name`` (also written
``modelId`` / ``tts-model``) -- and the value is a Cartesia model ID (``cartesia/`` provider
prefix allowed).  As in Python files, an ambiguous ID (``sonic``, ``sonic-3``) needs Cartesia
context: the file or its path mentions Cartesia, the key names it, or the value has the
``cartesia/`` prefix; an unambiguous one (dated, ``sonic-english``) counts anywhere.

Rules CM101-CM105 apply with the knowledge and successor order of the Python rules (the models list
in use, ``replacement-model``, ``pvc-voices`` and live fine-tunes, languages and speed/volume).  What a
Python call would pass alongside the model is read from the *sibling keys* of the same mapping
(for ``.env``: the whole file): ``voice`` / ``voice_id`` / ``*_VOICE_ID`` (CM104 and a clone's own
base), ``language`` / ``*_LANGUAGE`` (CM102 vs CM103), ``speed`` / ``volume`` /
``generation_config``.

A fix replaces only the characters of the model ID (never quotes, comments, keys or layout); a
value written with escapes is reported without a fix.  Files that cannot be read as their format
(templates, other dialects) are skipped, not errors: they are not ours to judge.  Files larger than
10 MB, binary files and files that mention no model ID are not even decoded.

Suppression as in Python files: ``# noqa: CM101`` on the line (YAML, TOML, .env) and
``# cartesia-migrate: skip-file``.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .. import engine, filetypes
from ..finding import Finding, Fix
from ..io import MAX_BYTES, InputError, Source, check_regular_file, source_from_bytes
from . import _jsonspan

KIND = "config"
CODES = ("CM101", "CM102", "CM103", "CM104", "CM105")

_JSON_EXT = (".json", ".jsonc", ".json5", ".geojson", ".jsonld", ".ejson")
_YAML_EXT = (".yaml", ".yml", ".eyaml", ".yamlld")
_TOML_EXT = (".toml",)
# files identify (pre-commit) tags json / yaml / toml by name
_JSON_NAMES = {".babelrc", ".bowerrc", ".jshintrc", ".csslintrc", ".mention-bot", "Pipfile.lock"}
_YAML_NAMES = {".ansible-lint", ".clang-format", ".clang-tidy", ".salt-lint", ".yamllint"}
_TOML_NAMES = {"Pipfile", "Cargo.lock", "poetry.lock", "uv.lock"}

_PROVIDER = "cartesia/"


def file_format(name: str) -> Optional[str]:
    """env | json | yaml | toml for a file name, or None."""
    name = os.path.basename(name)
    low = name.lower()
    if low == ".env" or low.startswith(".env.") or low.endswith(".env"):
        return "env"
    if low.endswith(_JSON_EXT) or name in _JSON_NAMES:
        return "json"
    if low.endswith(_YAML_EXT) or name in _YAML_NAMES:
        return "yaml"
    if low.endswith(_TOML_EXT) or name in _TOML_NAMES:
        return "toml"
    return None


# ---------------------------------------------------------------------------------------
# what the scanners produce


@dataclass
class Entry:
    """A scalar value under a key, with where its characters are in the text."""

    key: str
    value: str  # decoded
    start: int  # offsets of the value's characters (inside quotes) in the text
    end: int
    exact: bool  # text[start:end] == value (no escapes): a fix may rewrite it in place
    group: int  # entries with the same group are siblings (one mapping)


@dataclass
class Scan:
    entries: List[Entry] = field(default_factory=list)
    groups: Dict[int, dict] = field(default_factory=dict)  # group -> {key: python value}

    def add(self, key: str, value, group: int, entry: Optional[Entry] = None) -> None:
        self.groups.setdefault(group, {})
        self.groups[group].setdefault(key, value)  # the first definition wins for siblings
        if entry is not None:
            self.entries.append(entry)


class _Skip(Exception):
    """The file cannot be read as its format: no findings."""


# ---- .env ------------------------------------------------------------------------------

_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=[ \t]*")


def _env_value(line: str, i: int) -> Optional[Tuple[str, int, int, bool]]:
    """(value, start, end, exact) of a dotenv value starting at ``line[i]``."""
    if i < len(line) and line[i] in "\"'":
        q = line[i]
        j = i + 1
        while j < len(line):
            if line[j] == "\\" and q == '"':
                j += 2
                continue
            if line[j] == q:
                inner = line[i + 1:j]
                exact = q == "'" or "\\" not in inner
                value = inner if exact else inner.replace('\\"', '"').replace("\\\\", "\\")
                return value, i + 1, j, exact
            j += 1
        return None  # a value spanning lines
    # an unquoted value ends at " #" (a comment) or at trailing blanks
    j = i
    while j < len(line):
        if line[j] == "#" and j > i and line[j - 1] in " \t":
            break
        j += 1
    end = len(line[:j].rstrip())
    return line[i:end], i, end, True


def scan_env(text: str) -> Scan:
    scan = Scan()
    offset = 0
    for line in text.splitlines(True):
        m = _ENV_LINE.match(line)
        if m:
            v = _env_value(line.rstrip("\r\n"), m.end())
            if v is not None:
                value, s, e, exact = v
                scan.add(m.group(1), value, 0, Entry(m.group(1), value, offset + s, offset + e, exact, 0))
        offset += len(line)
    return scan


# ---- JSON --------------------------------------------------------------------------------

def scan_json(text: str) -> Scan:
    try:
        root = _jsonspan.parse(text, lenient=True)
    except _jsonspan.JSONSpanError:
        raise _Skip()
    scan = Scan()
    counter = [0]

    def walk(node) -> None:
        if node.kind == "object":
            counter[0] += 1
            group = counter[0]
            scan.groups[group] = node  # converted lazily (see _siblings)
            for key, _kn, v in node.items:
                if v.kind == "string" and _maybe_model(v.raw):
                    raw = v.raw[1:-1]
                    value = v.value
                    scan.entries.append(Entry(key, value, v.start + 1, v.end - 1, raw == value, group))
                walk(v)
        elif node.kind == "array":
            for v in node.items:
                walk(v)

    walk(root)
    return scan


# ---- TOML ----------------------------------------------------------------------------------

_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_\-]+")


def _toml_key(s: str, i: int) -> Tuple[Optional[List[str]], int]:
    """A dotted TOML key at ``s[i]``: (parts, end) or (None, i)."""
    parts = []
    while True:
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] in "\"'":
            q = s[i]
            j = s.find(q, i + 1)
            if j < 0:
                return None, i
            raw = s[i + 1:j]
            if q == '"' and "\\" in raw:
                try:
                    raw = json.loads(s[i:j + 1])
                except ValueError:
                    return None, i
            parts.append(raw)
            i = j + 1
        else:
            m = _TOML_BARE_KEY.match(s, i)
            if not m:
                return None, i
            parts.append(m.group(0))
            i = m.end()
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] == ".":
            i += 1
            continue
        return parts, i


def _toml_string(s: str, i: int) -> Optional[Tuple[str, int, int, bool, int]]:
    """A one-line TOML string at ``s[i]``: (value, start, end, exact, after)."""
    q = s[i]
    if s.startswith(q * 3, i):
        return None  # multi-line strings are not model IDs
    if q == "'":
        j = s.find("'", i + 1)
        if j < 0:
            return None
        return s[i + 1:j], i + 1, j, True, j + 1
    j = i + 1
    while j < len(s):
        if s[j] == "\\":
            j += 2
            continue
        if s[j] == '"':
            raw = s[i + 1:j]
            if "\\" not in raw:
                return raw, i + 1, j, True, j + 1
            try:
                return json.loads(s[i:j + 1]), i + 1, j, False, j + 1
            except ValueError:
                return None
        j += 1
    return None


class _TomlScanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.scan = Scan()
        self.groups: Dict[Tuple, int] = {}
        self.paths: List[Tuple[Entry, Tuple]] = []  # entry -> its full key path (for verification)

    def group(self, path: Tuple) -> int:
        if path not in self.groups:
            self.groups[path] = len(self.groups) + 1
        return self.groups[path]

    def value(self, s: str, i: int, base: int, table: Tuple, key: List[str]) -> int:
        """Scan the value at s[i] of ``table`` + ``key``; returns the offset after it."""
        if i >= len(s):
            return i
        c = s[i]
        full = table + tuple(key)
        if c in "\"'":
            st = _toml_string(s, i)
            if st is None:
                raise _Skip()
            value, a, b, exact, after = st
            group = self.group(full[:-1])
            entry = Entry(key[-1], value, base + a, base + b, exact, group)
            self.scan.add(key[-1], value, group, entry)
            self.paths.append((entry, full))
            return after
        if c == "{":
            j = i + 1
            group = self.group(full)
            self.scan.groups.setdefault(group, {})
            self.scan.add(key[-1], _Nested(group), self.group(full[:-1]))
            while True:
                while j < len(s) and s[j] in " \t":
                    j += 1
                if j < len(s) and s[j] == "}":
                    return j + 1
                parts, j = _toml_key(s, j)
                if parts is None or j >= len(s) or s[j] != "=":
                    raise _Skip()
                j += 1
                while j < len(s) and s[j] in " \t":
                    j += 1
                j = self.value(s, j, base, full, parts)
                while j < len(s) and s[j] in " \t":
                    j += 1
                if j < len(s) and s[j] == ",":
                    j += 1
                    continue
                if j < len(s) and s[j] == "}":
                    return j + 1
                raise _Skip()
        # numbers, booleans, dates, arrays: not model IDs; skip to the end of the value
        depth = 0
        j = i
        while j < len(s):
            ch = s[j]
            if ch in "\"'":
                st = _toml_string(s, j)
                j = st[4] if st else j + 1
                continue
            if ch in "[{":
                depth += 1
            elif ch in "]}":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                break
            elif ch == "#" and depth == 0:
                break
            j += 1
        self.scan.add(key[-1], s[i:j].strip(), self.group(full[:-1]))
        return j

    def run(self) -> Scan:
        table: Tuple = ()
        offset = 0
        lines = self.text.splitlines(True)
        k = 0
        array_counts: Dict[Tuple, int] = {}
        while k < len(lines):
            line = lines[k]
            base = offset
            offset += len(line)
            k += 1
            s = line.rstrip("\r\n")
            st = s.lstrip()
            if not st or st.startswith("#"):
                continue
            if st.startswith("[["):
                parts, j = _toml_key(st, 2)
                if parts is None:
                    raise _Skip()
                path = tuple(parts)
                array_counts[path] = array_counts.get(path, 0) + 1
                table = path + ("#%d" % (array_counts[path] - 1),)
                continue
            if st.startswith("["):
                parts, j = _toml_key(st, 1)
                if parts is None:
                    raise _Skip()
                table = tuple(parts)
                # [tts.voice] is the "voice" sibling of the keys of [tts]
                self.scan.add(table[-1], _Nested(self.group(table)), self.group(table[:-1]))
                continue
            parts, j = _toml_key(s, 0)
            if parts is None or j >= len(s) or s[j] != "=":
                raise _Skip()
            j += 1
            while j < len(s) and s[j] in " \t":
                j += 1
            rest = s[j:]
            if rest.startswith(('"""', "'''")) or (rest.startswith("[") and not _balanced(rest)):
                # a multi-line string or array: skip its lines
                closer = rest[:3] if rest.startswith(('"""', "'''")) else None
                text_so_far = rest[3:] if closer else rest
                while not (closer in text_so_far if closer else _balanced(text_so_far)):
                    if k >= len(lines):
                        raise _Skip()
                    text_so_far += lines[k]
                    offset += len(lines[k])
                    k += 1
                self.scan.add(parts[-1], None, self.group(table + tuple(parts[:-1])))
                continue
            self.value(s, j, base, table, parts)
        return self.scan


class _Nested:
    """A sibling whose value is another group (inline table / sub-mapping)."""

    def __init__(self, group: int) -> None:
        self.group = group


def _balanced(s: str) -> bool:
    depth = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c in "\"'":
            j = s.find(c, i + 1)
            if j < 0:
                return False
            i = j + 1
            continue
        if c == "#":
            break
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        i += 1
    return depth <= 0


def scan_toml(text: str) -> Scan:
    from ..config import tomllib

    try:
        data = tomllib.loads(text)
    except Exception:
        raise _Skip()
    sc = _TomlScanner(text)
    scan = sc.run()
    # keep only what the real TOML reader agrees with (precision over recall)
    verified = []
    for entry, path in sc.paths:
        node = data
        ok = True
        for part in path:
            if part.startswith("#") and isinstance(node, list):
                idx = int(part[1:])
                node = node[idx] if idx < len(node) else None
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                ok = False
                break
        if ok and node == entry.value:
            verified.append(entry)
    scan.entries = verified
    return scan


# ---- YAML ------------------------------------------------------------------------------------

_YAML_KEY = re.compile(r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}\[\],&*!|>%@`:-][^#:]*?|-[^\s#:][^#:]*?)"""
                       r"""[ \t]*:(?=[ \t]|$)""")
_YAML_ENV_ITEM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")


def _yaml_scalar(s: str, i: int) -> Optional[Tuple[str, int, int, bool]]:
    """A one-line YAML scalar at ``s[i]`` (plain, '...' or "..."): (value, start, end, exact)."""
    if i >= len(s):
        return None
    c = s[i]
    if c in "&*!|>{[%@`":
        return None  # anchors, aliases, tags, block scalars, flow collections: not rewritten
    if c == "'":
        j = i + 1
        while True:
            j = s.find("'", j)
            if j < 0:
                return None
            if s.startswith("''", j):
                j += 2
                continue
            break
        inner = s[i + 1:j]
        rest = s[j + 1:].strip()
        if rest and not rest.startswith("#"):
            return None
        return inner.replace("''", "'"), i + 1, j, "''" not in inner
    if c == '"':
        j = i + 1
        while j < len(s):
            if s[j] == "\\":
                j += 2
                continue
            if s[j] == '"':
                break
            j += 1
        else:
            return None
        inner = s[i + 1:j]
        rest = s[j + 1:].strip()
        if rest and not rest.startswith("#"):
            return None
        if "\\" in inner:
            try:
                return json.loads(s[i:j + 1]), i + 1, j, False
            except ValueError:
                return None
        return inner, i + 1, j, True
    # a plain scalar: up to " #" (a comment) or the end of the line
    j = i
    while j < len(s):
        if s[j] == "#" and j > i and s[j - 1] in " \t":
            break
        j += 1
    end = len(s[:j].rstrip())
    value = s[i:end]
    if ": " in value or value.endswith(":"):
        return None
    return value, i, end, True


def scan_yaml(text: str) -> Scan:
    scan = Scan()
    stack: List[Tuple[int, int]] = []  # (indent of the mapping's keys, group)
    pending_child: Optional[Tuple[int, str, int]] = None  # (parent indent, key, parent group)
    next_group = [0]

    def new_group() -> int:
        next_group[0] += 1
        scan.groups[next_group[0]] = {}
        return next_group[0]

    block_indent: Optional[int] = None  # inside a block scalar: lines indented deeper are text
    flow_depth = 0
    offset = 0
    for line in text.splitlines(True):
        base = offset
        offset += len(line)
        s = line.rstrip("\r\n")
        st = s.lstrip(" ")
        indent = len(s) - len(st)
        if block_indent is not None:
            if not st.strip() or indent > block_indent:
                continue
            block_indent = None
        if flow_depth > 0:
            flow_depth += _flow_delta(s)
            continue
        if not st or st.startswith("#"):
            continue
        if st.startswith(("---", "...")) and (len(st) == 3 or st[3] in " \t"):
            stack, pending_child = [], None
            continue
        if st.startswith("%") or "\t" in s[:indent]:
            continue
        # "- " sequence markers: each starts a new mapping at the column after it
        col = indent
        new_item = False
        while st.startswith("- ") or st == "-":
            new_item = True
            step = 2 + len(st[2:]) - len(st[2:].lstrip(" ")) if st != "-" else 1
            col += step
            st = st[step:] if st != "-" else ""
        if not st:
            continue
        while stack and stack[-1][0] > col:
            stack.pop()
        m = _YAML_KEY.match(st)
        if m is None:
            # a sequence item scalar: docker-compose style "KEY=value"
            if new_item:
                em = _YAML_ENV_ITEM.match(st)
                if em:
                    group = _env_group(stack, col, scan, new_group)
                    sc = _yaml_scalar(st, em.end())
                    if sc is not None:
                        value, a, b, exact = sc
                        start = base + col + a
                        scan.add(em.group(1), value, group,
                                 Entry(em.group(1), value, start, base + col + b, exact, group))
            if st.startswith(("{", "[")):
                flow_depth = _flow_delta(st)
            continue
        key = m.group("key")
        if key[0] in "\"'":
            key = key[1:-1]
        if new_item or not stack or stack[-1][0] < col:
            group = new_group()
            if pending_child is not None and not new_item and pending_child[0] < col:
                scan.groups[pending_child[2]][pending_child[1]] = _Nested(group)
            stack.append((col, group))
        else:
            group = stack[-1][1]
        pending_child = None
        vi = m.end()
        while vi < len(st) and st[vi] in " \t":
            vi += 1
        rest = st[vi:]
        if not rest or rest.startswith("#"):
            pending_child = (col, key, group)
            scan.add(key, None, group)
            continue
        if rest[0] in "|>":
            block_indent = col
            scan.add(key, None, group)
            continue
        if rest[0] in "{[":
            flow_depth = _flow_delta(rest)
            scan.add(key, None, group)
            continue
        sc = _yaml_scalar(st, vi)
        if sc is None:
            scan.add(key, None, group)
            continue
        value, a, b, exact = sc
        scan.add(key, value, group, Entry(key, value, base + col + a, base + col + b, exact, group))
    return scan


def _env_group(stack, col, scan, new_group) -> int:
    """Sibling group of ``- KEY=value`` items: one per sequence (keyed by its parent and column)."""
    parent = stack[-1][1] if stack else 0
    key = ("env-seq", parent, col)
    g = scan.groups.get(key)
    if g is None:
        g = new_group()
        scan.groups[key] = g
    return g


def _flow_delta(s: str) -> int:
    depth = 0
    q = None
    for c in s:
        if q:
            if c == q:
                q = None
            continue
        if c in "\"'":
            q = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        elif c == "#":
            break
    return max(depth, 0)


SCANNERS = {"env": scan_env, "json": scan_json, "toml": scan_toml, "yaml": scan_yaml}


def _maybe_model(raw: str) -> bool:
    from ..rules._model_ids import GATE_TOKENS

    low = raw.lower().encode("utf-8", "replace")
    return any(t in low for t in GATE_TOKENS)


# ---------------------------------------------------------------------------------------
# siblings: what a Python call would pass alongside the model


def _norm_key(key: str) -> str:
    """``modelId`` / ``tts-model`` / ``CARTESIA_MODEL_ID`` -> ``model_id`` / ``tts_model`` / ..."""
    k = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key.strip())
    return k.replace("-", "_").replace(".", "_").lower()


def is_model_key(key: str) -> bool:
    from ..rules._model_ids import is_model_name

    n = _norm_key(key)
    return is_model_name(n) or n.startswith("cartesia_model")


def _canonical(key: str) -> Optional[str]:
    n = _norm_key(key)
    if n in ("voice_id", "voice") or n.endswith("_voice_id"):
        return "voice_id" if n != "voice" else "voice"
    if n.endswith("_voice"):
        return "voice"
    if n in ("language", "lang") or n.endswith("_language"):
        return "language"
    if n == "locale" or n.endswith("_locale"):
        return "locale"
    for k in ("speed", "volume"):
        if n == k or n.endswith("_" + k):
            return k
    if n == "generation_config" or n.endswith("_generation_config"):
        return "generation_config"
    return None


def _python(value, scan: Scan, depth: int = 0):
    if isinstance(value, _Nested):
        return _sibling_dict(scan, value.group, depth + 1) if depth < 8 else None
    if isinstance(value, _jsonspan.JNode):
        return value.to_python()
    return value


def _sibling_dict(scan: Scan, group: int, depth: int = 0) -> dict:
    g = scan.groups.get(group, {})
    if isinstance(g, _jsonspan.JNode):
        g = {k: v for k, _kn, v in g.items}
    return {k: _python(v, scan, depth) for k, v in g.items()}


@dataclass
class Siblings:
    voice: Optional[str] = None
    language: Optional[str] = None
    speed_or_volume: bool = False
    locale: bool = False  # a locale key is set
    language_unreadable: bool = False  # a language is set that cannot be read (several, not a string)
    voice_keys: Tuple[str, ...] = ()  # the keys the voice came from (``PVC_VOICE_ID`` says it is a clone)


def siblings_of(scan: Scan, group: int) -> Siblings:
    """Voice, language and speed/volume from the keys next to a model key (ambiguous -> None)."""
    from ..rules._model_ids import normalize_language

    found: Dict[str, set] = {}
    sv = False
    for key, value in _sibling_dict(scan, group).items():
        c = _canonical(key)
        if c is None:
            continue
        if c in ("speed", "volume"):
            sv = True
        elif c == "generation_config":
            if not isinstance(value, dict) or {"speed", "volume"} & set(value):
                sv = True  # a generation config we cannot see into may set them
        elif c in ("voice", "voice_id"):
            found.setdefault("voice_keys", set()).add(key)
            if isinstance(value, dict):
                value = value.get("id")
            found.setdefault("voice", set()).add(value if isinstance(value, str) else None)
        elif c in ("language", "locale"):
            found.setdefault("language", set()).add(value if isinstance(value, str) else None)
            if c == "locale":
                found.setdefault("locale", set()).add(True)
    voices = found.get("voice", set())
    langs = found.get("language", set())
    return Siblings(
        voice=next(iter(voices)) if len(voices) == 1 else None,
        language=normalize_language(next(iter(langs))) if len(langs) == 1 and None not in langs else None,
        speed_or_volume=sv,
        locale=bool(found.get("locale")),
        language_unreadable=bool(langs) and (len(langs) > 1 or None in langs),
        voice_keys=tuple(sorted(found.get("voice_keys", ()))),
    )


# ---------------------------------------------------------------------------------------
# the decision: the Python rules' own (``_model_ids.decide``), for one value


class _Ctx:
    def __init__(self, models, settings) -> None:
        self.models = models
        self.settings = settings



def evidence_of(model_id: str, sib: Siblings, models, settings):
    """What the sibling keys tell, in the Python rules' terms (``_model_ids.Evidence``)."""
    from ..rules._model_ids import _NOT_PVC, _PVC_NAME, Evidence, LanguageEvidence, PvcEvidence, pvc_base_for

    info = models.info(model_id)
    removed_languages = info.removed_languages if info else ()
    if sib.language is None:
        lang = LanguageEvidence(set(), set(), 1, 1 if sib.language_unreadable else 0, sib.locale)
    elif sib.language in removed_languages:
        lang = LanguageEvidence({sib.language}, set(), 0, 0, sib.locale)
    else:
        lang = LanguageEvidence(set(), {sib.language}, 0, 0, sib.locale)
    pvc = None
    base = pvc_base_for(_Ctx(models, settings), sib.voice)
    if base is _NOT_PVC and len(sib.voice_keys) == 1 and _PVC_NAME.search(_norm_key(sib.voice_keys[0])):
        base = None  # a key that says the voice is a clone (``PVC_VOICE_ID``): its base is not known
    if base is not _NOT_PVC:
        pvc = PvcEvidence(set() if base is None else {base}, [sib.voice], True,
                          [sib.voice] if base is None else [])
    return Evidence(lang, sib.speed_or_volume, pvc)


def assess(model_id: str, sib: Siblings, models, settings):
    """What CM101-CM105 say about ``model_id`` used with ``sib`` (None: nothing): the decision
    and messages of the Python rules."""
    from ..rules._model_ids import decide

    return decide(models, settings, model_id, evidence_of(model_id, sib, models, settings))


# ---------------------------------------------------------------------------------------
# the handler


def _has_context(text: str, path: str, key: str) -> bool:
    return "cartesia" in text.lower() or "cartesia" in path.lower() or "cartesia" in key.lower()


def analyze_config(source: Source, settings, models, codes, fmt: Optional[str] = None) -> List[Finding]:
    """Findings of CM101-CM105 in one config file (``fmt``: env|json|yaml|toml, else from the name)."""
    from .. import catalog
    from ..models import MAX_ID_LENGTH, MODEL_ID_RE
    from ..rules._model_ids import is_unambiguous
    from ..suppress import Suppressions, skip_file

    wanted = [c for c in CODES if c in codes]
    text = source.text
    fmt = fmt or file_format(source.path)
    if not wanted or fmt is None or not _maybe_model(text) or skip_file(text):
        return []
    try:
        scan = SCANNERS[fmt](text)
    except (_Skip, RecursionError):
        why = _unreadable(fmt, text)
        if why is not None:  # it mentions a model ID and cannot be read: say so, as for bad Python
            raise InputError("%s; it mentions a model ID and could not be checked" % why)
        return []
    except Exception:  # a shape our readers do not expect: not a file to judge (nor to fail the run on)
        if os.environ.get("CARTESIA_MIGRATE_DEBUG"):
            raise
        return []
    index = None
    sup = None
    out: List[Finding] = []
    seen: Dict[str, int] = {}
    for entry in scan.entries:
        if not is_model_key(entry.key) or not _maybe_model(entry.value):
            continue
        value = entry.value.strip()
        prefix = _PROVIDER if value.startswith(_PROVIDER) else ""
        model_id = value[len(prefix):]
        if len(model_id) > MAX_ID_LENGTH or not MODEL_ID_RE.match(model_id):
            continue
        if not (prefix or is_unambiguous(model_id) or _has_context(text, source.path, entry.key)):
            continue
        verdict = assess(model_id, siblings_of(scan, entry.group), models, settings)
        if verdict is None or verdict.code not in wanted or not settings.enabled_for(verdict.code, source.path):
            continue
        if index is None:
            index = engine.LineIndex(text)
            sup = Suppressions(text)
        lead = len(entry.value) - len(entry.value.lstrip())
        start = entry.start + lead + len(prefix) if entry.exact else entry.start
        end = start + len(model_id) if entry.exact else entry.end
        loc, end_loc = index.position(start), index.position(end)
        if sup.suppressed(verdict.code, loc[0], end_loc[0]):
            continue
        info = catalog.get(verdict.code)
        fix = None
        if verdict.new_id and entry.exact:
            fix = Fix(verdict.applicability or info.fix, verdict.fix_message, (engine.make_edit(index, start, end, verdict.new_id),))
        key = "%s\0%s\0%s" % (verdict.code, entry.key, model_id)
        occ = seen.get(key, 0)
        seen[key] = occ + 1
        out.append(Finding(
            code=verdict.code, name=info.name, message=verdict.message, path=source.path,
            location=loc, end_location=end_loc, severity=verdict.severity or info.severity, fix=fix,
            noqa_row=loc[0], url=info.url,
            fingerprint=engine.fingerprint(verdict.code, key, 0, len(key), occ),
        ))
    return out


def _unreadable(fmt: str, text: str) -> Optional[str]:
    """Why a JSON or TOML file is not valid (one line), or None (valid, or another format:
    our scanners skip shapes they do not follow, that is not the file's fault)."""
    from ..config import tomllib

    try:
        if fmt == "json":
            try:
                json.loads(text)
            except ValueError as e:
                try:  # comments and trailing commas (tsconfig, VS Code settings) are read too
                    _jsonspan.parse(text, lenient=True)
                except _jsonspan.JSONSpanError:
                    return "invalid JSON: %s" % str(e).splitlines()[0]
        elif fmt == "toml":
            try:
                tomllib.loads(text)
            except tomllib.TOMLDecodeError as e:
                return "invalid TOML: %s" % str(e).splitlines()[0]
    except RecursionError:
        return "invalid %s: nested too deeply" % fmt.upper()
    if fmt == "json":
        try:
            _jsonspan.parse(text, lenient=True)
        except _jsonspan.JSONSpanError as e:
            if "too deeply" in str(e):
                return "invalid JSON: nested too deeply to check"
    return None


def _wide(raw: bytes) -> Optional[Tuple[str, str]]:
    """(encoding, text) of a UTF-16/UTF-32 file with a byte order mark, else None."""
    from ..io import wide_encoding

    name = wide_encoding(raw)
    if name is None:
        return None
    return name, raw.decode(name.lower().replace("-", ""), "replace")


class ConfigHandler:
    kind = KIND
    python_encoding = False

    def read(self, path: str) -> Optional[Source]:
        """The file, or None when it cannot hold a model ID (too large, binary, not UTF-8,
        no candidate bytes): such config files are skipped, not errors."""
        import stat

        from .. import io as _io

        st = check_regular_file(path)
        if st.st_size > MAX_BYTES:
            return None
        read_bytes = getattr(_io, "read_bytes", None)  # never blocks on a FIFO swapped in after the stat
        try:
            if read_bytes is not None:
                raw, st = read_bytes(path)
            else:  # pragma: no cover - older io module
                with open(path, "rb") as f:
                    raw = f.read()
        except InputError as e:
            if "too large" in str(e):
                return None
            raise
        except OSError as e:  # pragma: no cover - older io module
            raise InputError(e.strerror or str(e))
        wide = _wide(raw)
        if wide is not None:  # UTF-16/32: named when it mentions a model ID (we read UTF-8 only)
            if _maybe_model(wide[1]):
                raise InputError("encoded as %s (byte order mark); only UTF-8 is read: save it as UTF-8 "
                                 "to check it (it mentions a model ID)" % wide[0])
            return None
        low = raw.lower()
        from ..rules._model_ids import GATE_TOKENS

        if not any(t in low for t in GATE_TOKENS):
            return None
        try:
            source = source_from_bytes(path, raw, python=False, mode=stat.S_IMODE(st.st_mode))
        except InputError:
            return None
        identity_of = getattr(_io, "identity_of", None)
        if identity_of is not None:
            source.identity = identity_of(st)  # fix does not overwrite a file changed meanwhile
        return source

    def analyze(self, source: Source, settings, models, codes) -> List[Finding]:
        return analyze_config(source, settings, models, codes)

    def validate(self, text: str) -> Optional[str]:
        # a fix only swaps the characters of a model ID inside a scalar that already held one,
        # for other model-ID characters ([a-z0-9.-]): the file's syntax cannot change
        return None


def _matches(name: str) -> bool:
    if file_format(name) is None:
        return False
    # the generic reader of these formats: a more specific kind (requirement files, ...) wins
    return not any(kind != KIND and m(name) for kind, m in filetypes._EXTRA_KINDS)


filetypes.register_kind(KIND, _matches)
engine.register_handler(KIND, ConfigHandler())
