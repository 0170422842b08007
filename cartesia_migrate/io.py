"""Reading and writing source files without losing a byte.

Read bytes, decode per PEP 263 (cookie or BOM), keep BOM and newlines as they
are (no universal-newline translation), and write back atomically: a temp file
in the same folder, fsync, ``os.replace``, the original mode kept.
"""
from __future__ import annotations

import codecs
import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from typing import Optional

MAX_BYTES = 10 * 1024 * 1024  # larger files are reported, not parsed


class InputError(Exception):
    """A file we refuse or fail to read; str(self) is the one-line reason."""


@dataclass
class Source:
    path: str
    raw: bytes
    text: str
    encoding: str
    bom: bool
    newline: str
    mode: Optional[int] = None


def detect_newline(text: str) -> str:
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    if i < 0 and "\r" in text:
        return "\r"
    return "\n"


def check_regular_file(path: str) -> os.stat_result:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError("broken symbolic link")
        raise InputError("no such file or directory")
    except PermissionError:
        raise InputError("permission denied")
    except OSError as e:  # ELOOP and friends
        raise InputError(e.strerror or str(e))
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file (FIFO, socket or device); not opened")
    return st


def decode_python(raw: bytes) -> "tuple[str, str, bool]":
    """Decode Python source bytes: returns (text, encoding, has_bom)."""
    if b"\x00" in raw:
        raise InputError("binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as e:
        raise InputError("bad encoding declaration: %s" % e)
    bom = raw.startswith(codecs.BOM_UTF8)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    body = raw[len(codecs.BOM_UTF8):] if bom else raw
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError("cannot decode as %s: invalid byte at offset %d" % (encoding, e.start))
    except LookupError:
        raise InputError("unknown encoding %r" % encoding)
    return text, encoding, bom


def decode_text(raw: bytes) -> "tuple[str, str, bool]":
    """Decode a non-Python text file (config, notebook): UTF-8, BOM kept aside."""
    if b"\x00" in raw:
        raise InputError("binary file (contains NUL bytes)")
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[3:] if bom else raw
    try:
        return body.decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError as e:
        raise InputError("cannot decode as utf-8: invalid byte at offset %d" % e.start)


def read_source(path: str, python: bool = True, max_bytes: int = MAX_BYTES) -> Source:
    st = check_regular_file(path)
    if st.st_size > max_bytes:
        raise InputError("file too large (%d bytes; limit %d)" % (st.st_size, max_bytes))
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except PermissionError:
        raise InputError("permission denied")
    except OSError as e:
        raise InputError(e.strerror or str(e))
    return source_from_bytes(path, raw, python=python, mode=stat.S_IMODE(st.st_mode))


def source_from_bytes(path: str, raw: bytes, python: bool = True, mode: Optional[int] = None) -> Source:
    text, encoding, bom = (decode_python if python else decode_text)(raw)
    return Source(path, raw, text, encoding, bom, detect_newline(text), mode)


def encode(source: Source, text: str) -> bytes:
    data = text.encode(source.encoding)
    if source.bom:
        data = codecs.BOM_UTF8 + data
    return data


_TEMP_PREFIX = ".cartesia-migrate-"


def write_atomic(path: str, data: bytes, mode: Optional[int] = None) -> None:
    """Replace ``path`` with ``data`` atomically; the file is either old or new, never half."""
    real = os.path.realpath(path)
    folder = os.path.dirname(real) or "."
    if mode is None:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:  # KeyboardInterrupt included: never leave the temp file behind
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
