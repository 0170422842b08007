"""Reading and writing source files without losing a byte.

Reading: only regular files are opened (FIFOs, sockets and devices are refused from
``stat`` alone, and the opened descriptor is checked again with ``fstat``); bytes are
decoded per PEP 263 (cookie or BOM); BOM and newlines are kept as they are (no
universal-newline translation).

Writing (:func:`write_atomic`): a temp file in the same folder, fsync, the original
mode and owner, ``os.replace``, then an fsync of the folder.  While the temp file
exists SIGINT/SIGTERM/SIGHUP are held back, so an interruption lands before or after
the replace, never between: the file is old or new, never half, and no temp file is
left behind.  Only SIGKILL (or a power cut) can leave a temp file; it is named
``.cartesia-migrate-<pid>-*.tmp`` and the next run that writes into that folder removes
the ones whose process is gone.  A file that changed on disk since it was read is not
overwritten (:class:`FileChanged`): the caller reads it again.

Files that cannot be written with that promise are not written (:class:`NotWritten`, the
reason in one line; the caller reports the file as not fixed):

- a file with several hard links: replacing it would leave the other names on the old
  content, and rewriting it in place is not atomic (a kill between the write and the
  truncation leaves the new text followed by the old tail under every name);
- a file whose mode denies us writing (``chmod a-w``), even as root, who bypasses it: as
  ruff and Black do, a read-only file is left alone.
"""
from __future__ import annotations

import codecs
import errno
import os
import re
import signal
import stat
import sys
import tempfile
import tokenize
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional, Set, Tuple

MAX_BYTES = 10 * 1024 * 1024  # larger files are reported, not parsed


class InputError(Exception):
    """A file we refuse or fail to read; str(self) is the one-line reason."""


class TooDeep(InputError):
    """Nesting deeper than the analysis can follow (even on a large stack)."""


class FileChanged(Exception):
    """The file on disk is no longer the one that was read: it was not overwritten."""


class NotWritten(Exception):
    """The file is deliberately not written (hard links, read-only); str(self) says why."""


def refuse_reason(st: os.stat_result) -> Optional[str]:
    """Why a file with this ``stat`` must not be rewritten, or None."""
    if not _mode_allows_writing(st):
        return ("read-only (mode %04o); not rewritten: make it writable (chmod u+w) to fix it"
                % stat.S_IMODE(st.st_mode))
    if st.st_nlink > 1:
        return ("it has %d hard links: replacing it would split them and rewriting it in place "
                "cannot be made atomic; not rewritten (fix one name after `cp NAME tmp && mv tmp NAME`)"
                % st.st_nlink)
    return None


def _mode_allows_writing(st: os.stat_result) -> bool:
    """The permission bits, as for a process that cannot bypass them (root can: not us)."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows: the read-only attribute
        return bool(st.st_mode & stat.S_IWRITE)
    uid = os.geteuid()
    if uid == 0 or uid == st.st_uid:
        return bool(st.st_mode & stat.S_IWUSR)
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return bool(st.st_mode & stat.S_IWGRP)
    return bool(st.st_mode & stat.S_IWOTH)


#: (device, inode, size, mtime in ns) of the file as it was read
Identity = Tuple[int, int, int, int]


@dataclass
class Source:
    path: str
    raw: bytes
    text: str
    encoding: str
    bom: bool
    newline: str
    mode: Optional[int] = None
    identity: Optional[Identity] = None


def detect_newline(text: str) -> str:
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    if i < 0 and "\r" in text:
        return "\r"
    return "\n"


def identity_of(st: os.stat_result) -> Identity:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "symbolic link loop",
    errno.ENOENT: "no such file or directory",
    errno.ENOTDIR: "a component of the path is not a directory",
    errno.ENAMETOOLONG: "file name too long",
    errno.EIO: "input/output error",
    errno.EISDIR: "is a directory",
}


def os_reason(e: OSError) -> str:
    """A short lower-case reason for an OSError (no path, no errno number)."""
    if e.errno in _REASONS:
        return _REASONS[e.errno]
    text = e.strerror or str(e) or type(e).__name__
    return text[:1].lower() + text[1:]


def check_regular_file(path: str) -> os.stat_result:
    """``os.stat`` of ``path``, or InputError unless it is a regular file.  Never opens it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError("broken symbolic link")
        raise InputError("no such file or directory")
    except OSError as e:
        raise InputError(os_reason(e))
    except ValueError:  # embedded NUL in the name
        raise InputError("invalid file name")
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file (FIFO, socket or device); not opened")
    return st


_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def read_at_most(fd: int, max_bytes: int) -> bytes:
    """Up to ``max_bytes + 1`` bytes of ``fd``: one byte more than allowed tells the caller it is too large."""
    chunks = []
    left = max_bytes + 1
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def make_private_dirs(path: str) -> None:
    """``path`` and its missing parents, created 0700 whatever the umask; existing folders stay as they are."""
    if os.path.isdir(path):
        return
    parent = os.path.dirname(path)
    if parent and parent != path:
        make_private_dirs(parent)
    try:
        os.mkdir(path, 0o700)
        os.chmod(path, 0o700)
    except FileExistsError:
        pass


def own_private_dir(folder: str) -> None:
    """A folder of the tool's own (its parent exists): created 0700, or narrowed to 0700 if it is ours and an
    older version (or the umask) made it wider."""
    try:
        os.mkdir(folder, 0o700)
        os.chmod(folder, 0o700)
        return
    except FileExistsError:
        pass
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise NotADirectoryError(folder)
    if stat.S_IMODE(st.st_mode) & 0o077 and st.st_uid == os.geteuid():
        os.chmod(folder, 0o700)


def _discard(tmp: str) -> None:
    """Remove a temporary file that will not be renamed into place (it may already be gone)."""
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_private_file(path: str, data: bytes) -> None:
    """Replace ``path`` atomically with ``data`` in a new 0600 file (the tool's caches: never a user's file)."""
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=os.path.dirname(path))  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def read_bytes(path: str, max_bytes: int = MAX_BYTES) -> Tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its ``fstat``; InputError with the reason otherwise.

    FIFOs and devices are refused before any ``open``; the descriptor is opened
    non-blocking and checked with ``fstat`` (the path may have been swapped for a FIFO
    in between), so this call never blocks on a special file.
    """
    st = check_regular_file(path)
    if st.st_size > max_bytes:
        raise InputError("file too large (%d bytes; limit %d)" % (st.st_size, max_bytes))
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as e:
        raise InputError(os_reason(e))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError("not a regular file (FIFO, socket or device); not read")
        raw = read_at_most(fd, max_bytes)
        if len(raw) > max_bytes:
            raise InputError("file too large (more than %d bytes)" % max_bytes)
        return raw, st
    except OSError as e:
        raise InputError(os_reason(e))
    finally:
        os.close(fd)


_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
              (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def wide_encoding(raw: bytes) -> Optional[str]:
    """"UTF-16" or "UTF-32" for bytes that start with that byte order mark, else None."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return name
    return None


#: how long a pipe given as a configuration file may take to send it all
PIPE_SECONDS = 30.0


def read_setting_bytes(path: str, max_bytes: int) -> bytes:
    """The bytes of a settings file named on the command line (``--config``, ``--baseline``).

    A regular file is read as by :func:`read_bytes`.  A pipe is read too (``--config
    <(...)``, ``/dev/stdin``), without ever blocking: it is opened non-blocking, read until
    its end within PIPE_SECONDS and ``max_bytes``, and one that sends nothing (a FIFO nobody
    writes to) is refused.  Devices (``/dev/zero``) and sockets are refused unopened."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return read_bytes(path, max_bytes)[0]  # the reason, as read_bytes words it
    if not stat.S_ISFIFO(st.st_mode):
        return read_bytes(path, max_bytes)[0]
    import select
    import time

    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as e:
        raise InputError(os_reason(e))
    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            raise InputError("not a regular file (FIFO, socket or device); not read")
        chunks = []
        size = 0
        deadline = time.monotonic() + PIPE_SECONDS
        while True:
            try:  # (a FIFO no writer ever opened is at its end at once; select would not say so)
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:  # a writer, nothing sent yet: wait for it, within the deadline
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    raise InputError("a pipe that did not finish sending within %g s; not read" % PIPE_SECONDS)
                continue
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise InputError("file too large (more than %d bytes)" % max_bytes)
        if not size:
            raise InputError("a FIFO or pipe with nothing to read (nobody writes to it); not read")
        return b"".join(chunks)
    except OSError as e:
        raise InputError(os_reason(e))
    finally:
        os.close(fd)


def decode_python(raw: bytes) -> "tuple[str, str, bool]":
    """Decode Python source bytes: returns (text, encoding, has_bom)."""
    wide = wide_encoding(raw)
    if wide is not None:  # (CPython cannot run it either)
        raise InputError("encoded as %s (byte order mark): Python source must be UTF-8 or declare an "
                         "ASCII-compatible encoding (PEP 263); save it as UTF-8" % wide)
    if b"\x00" in raw:
        raise InputError("binary file (contains NUL bytes at offset %d)" % raw.index(b"\x00"))
    bom = raw.startswith(codecs.BOM_UTF8)
    try:
        encoding, _ = tokenize.detect_encoding(_first_lines(raw))
    except SyntaxError as e:
        body = raw[len(codecs.BOM_UTF8):] if bom else raw
        if not _COOKIE.search(b"\n".join(_LINE.findall(body)[:2])):
            _decode_or_raise(body, "utf-8", bom)  # no declaration: the bytes are simply not UTF-8
        raise InputError("bad encoding declaration: %s" % str(e).splitlines()[0])
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    body = raw[len(codecs.BOM_UTF8):] if bom else raw
    return _decode_or_raise(body, encoding, bom), encoding, bom


# the first two lines, whatever their newlines (CPython accepts \r alone), for the cookie
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)


def _first_lines(raw: bytes):
    lines = iter(_LINE.findall(raw[:4096])[:2])
    return lambda: next(lines, b"")


def _decode_or_raise(body: bytes, encoding: str, bom: bool) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as e:
        line = len(_NEWLINES.findall(body, 0, e.start)) + 1
        raise InputError("cannot decode as %s: invalid byte 0x%02x at line %d (offset %d)"
                         % (encoding, body[e.start], line, e.start + (3 if bom else 0)))
    except LookupError:
        raise InputError("unknown encoding %r" % encoding)


_NEWLINES = re.compile(rb"\r\n|\r|\n")


def decode_text(raw: bytes) -> "tuple[str, str, bool]":
    """Decode a non-Python text file (config, notebook): UTF-8, BOM kept aside."""
    wide = wide_encoding(raw)
    if wide is not None:
        raise InputError("encoded as %s (byte order mark); only UTF-8 is read: save it as UTF-8" % wide)
    if b"\x00" in raw:
        raise InputError("binary file (contains NUL bytes at offset %d)" % raw.index(b"\x00"))
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[3:] if bom else raw
    return _decode_or_raise(body, "utf-8", bom), "utf-8", bom


def read_source(path: str, python: bool = True, max_bytes: int = MAX_BYTES) -> Source:
    raw, st = read_bytes(path, max_bytes)
    source = source_from_bytes(path, raw, python=python, mode=stat.S_IMODE(st.st_mode))
    source.identity = identity_of(st)
    return source


def source_from_bytes(path: str, raw: bytes, python: bool = True, mode: Optional[int] = None) -> Source:
    text, encoding, bom = (decode_python if python else decode_text)(raw)
    return Source(path, raw, text, encoding, bom, detect_newline(text), mode)


def encode(source: Source, text: str) -> bytes:
    try:
        data = text.encode(source.encoding)
    except UnicodeEncodeError as e:
        raise InputError("the fixed code cannot be encoded as %s (%r); file left unchanged"
                         % (source.encoding, text[e.start:e.end]))
    if source.bom:
        data = codecs.BOM_UTF8 + data
    return data


# ---------------------------------------------------------------------------------------
# atomic writes

TEMP_PREFIX = ".cartesia-migrate-"
TEMP_SUFFIX = ".tmp"
_HELD_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))
_swept: Set[str] = set()


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold back SIGINT/SIGTERM/SIGHUP (POSIX): delivered when the block ends."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - Windows
        yield
        return
    old = mask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by someone else
        return True
    return True


def sweep_stale_temp_files(folder: str) -> int:
    """Remove our temp files left in ``folder`` by a process that no longer exists (SIGKILL)."""
    removed = 0
    if sys.platform == "win32":  # pragma: no cover
        return removed
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
            continue
        pid_text = name[len(TEMP_PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _pid_alive(int(pid_text)):
            continue
        full = os.path.join(folder, name)
        try:
            if stat.S_ISREG(os.lstat(full).st_mode):
                os.unlink(full)
                removed += 1
        except OSError:
            pass
    return removed


def _fsync_dir(folder: str) -> None:
    if sys.platform == "win32":  # pragma: no cover
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str, data: bytes, mode: Optional[int] = None,
                 expect: Optional[Identity] = None) -> None:
    """Replace ``path`` (through a symlink: its target) with ``data`` atomically.

    ``mode``: the permission bits to keep (default: the current file's).  ``expect``:
    the identity of the file as it was read; when the file on disk is no longer that one
    (another process rewrote or replaced it), nothing is written and FileChanged is raised.
    """
    real = os.path.realpath(path)
    folder = os.path.dirname(real) or "."
    try:
        st = os.stat(real)
    except FileNotFoundError:
        if expect is not None:
            raise FileChanged("the file was removed while being fixed")
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file any more; not written")
    if expect is not None and identity_of(st) != expect:
        raise FileChanged("the file changed on disk while being fixed")
    if st is not None:
        why = refuse_reason(st)
        if why is not None:
            raise NotWritten(why)
    if mode is None:
        mode = stat.S_IMODE(st.st_mode) if st is not None else 0o644
    if folder not in _swept:
        _swept.add(folder)
        sweep_stale_temp_files(folder)
    try:
        _replace(real, folder, data, mode, st, expect)
    except OSError as e:
        raise InputError("cannot write: %s; file left unchanged" % os_reason(e))
    _fsync_dir(folder)


def _replace(real: str, folder: str, data: bytes, mode: int, st: Optional[os.stat_result],
             expect: Optional[Identity]) -> None:
    with signals_held():
        fd, tmp = tempfile.mkstemp(prefix="%s%d-" % (TEMP_PREFIX, os.getpid()), suffix=TEMP_SUFFIX,
                                   dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
                if st is not None and hasattr(os, "fchown"):
                    own = os.fstat(f.fileno())
                    if (own.st_uid, own.st_gid) != (st.st_uid, st.st_gid):
                        try:
                            os.fchown(f.fileno(), st.st_uid, st.st_gid)
                        except OSError:
                            pass  # not allowed to give it away: the file becomes ours
                if hasattr(os, "fchmod"):  # after fchown, which clears the set-ID bits
                    os.fchmod(f.fileno(), mode)
            if not hasattr(os, "fchmod"):  # pragma: no cover - Windows
                os.chmod(tmp, mode)
            if st is not None:  # narrow the window: check again right before the swap
                try:
                    now = os.stat(real)
                except FileNotFoundError:
                    raise FileChanged("the file was removed while being fixed")
                if expect is not None and identity_of(now) != expect:
                    raise FileChanged("the file changed on disk while being fixed")
                why = refuse_reason(now)  # linked (ln) or made read-only meanwhile
                if why is not None:
                    raise NotWritten(why)
            os.replace(tmp, real)
        except BaseException:
            _discard(tmp)
            raise
