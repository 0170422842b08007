"""Bytes in, bytes out: a fix changes the bytes it fixes and nothing else (newlines, BOM,
PEP 263 encodings, mode, owner), and writes are atomic."""
import codecs
import difflib
import os
import signal
import stat
import subprocess
import sys
import threading

import pytest

from cartesia_migrate import io as cio
from cartesia_migrate.engine import fix_source
from .inproc import invoke

# FIFOs, symlinks, POSIX signals and modes: the contract is the same on Windows, these tests are not
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file system and signals")

OLD, NEW = "sonic-english", "sonic-3.6-2026-08-27"

# a docstring, a client built without api_key= (CM405 adds it and `import os`), a discontinued
# model (CM101), non-ASCII text, a form feed and a tab, trailing spaces, no newline at the end
SOURCE = (
    '#!/usr/bin/env python3\n'
    '{cookie}'
    '"""Voix de démonstration : café, crème, à la française."""\n'
    'from cartesia import Cartesia\n'
    '\x0c\n'
    'client = Cartesia()   \n'
    'MODEL = "sonic-english"\t# déjà vu\n'
    'OTHER = {{"model_id": "sonic-english"}}'
)


def _reference(text):
    """The fixed text of the LF version: what every variant must become, modulo its own bytes."""
    fixed, remaining = fix_source(text, "ref.py")
    assert fixed != text and not [f for f in remaining if f.fix and f.fix.applicability == "safe"]
    return fixed


def _write(path, data, mode):
    with open(str(path), "wb") as f:
        f.write(data)
    os.chmod(str(path), mode)


VARIANTS = {
    # name: (newline, encoding, bom, cookie, mode)
    "crlf_bom_exec.py": ("\r\n", "utf-8", True, "", 0o755),
    "latin1_cookie_crlf.py": ("\r\n", "latin-1", False, "# -*- coding: latin-1 -*-\n", 0o700),
    "latin1_cookie_lf.py": ("\n", "iso-8859-1", False, "# vim: set fileencoding=iso-8859-1 :\n", 0o644),
    "cp1252_cr.py": ("\r", "cp1252", False, "# coding=cp1252\n", 0o640),
    "utf8_lf_setgid.py": ("\n", "utf-8", False, "", 0o2755),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_fix_changes_only_the_fixed_bytes(tmp_path, name):
    nl, enc, bom, cookie, mode = VARIANTS[name]
    text = SOURCE.format(cookie=cookie)
    expected_text = _reference(text)
    data = (codecs.BOM_UTF8 if bom else b"") + text.replace("\n", nl).encode(enc)
    expected = (codecs.BOM_UTF8 if bom else b"") + expected_text.replace("\n", nl).encode(enc)
    path = tmp_path / name
    _write(path, data, mode)
    if os.geteuid() == 0:  # somebody else's file: it stays theirs
        os.chown(str(path), 65534, 65534)
        os.chmod(str(path), mode)  # chown cleared the set-ID bits
    before = os.stat(str(path))
    assert stat.S_IMODE(before.st_mode) == mode
    r = invoke("fix", "--offline", "--no-cache", name, cwd=tmp_path)
    assert r.code == 0, r.err
    assert path.read_bytes() == expected
    after = os.stat(str(path))
    assert stat.S_IMODE(after.st_mode) == mode
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert sorted(os.listdir(str(tmp_path))) == [name]  # no temp file left
    r = invoke("fix", "--offline", "--no-cache", name, cwd=tmp_path)
    assert r.code == 0 and path.read_bytes() == expected


def test_mixed_newlines_keep_every_untouched_byte(tmp_path):
    """Lines ending in \\n, \\r\\n and \\r in one file, a U+2028 inside a string and a form feed:
    every byte outside the fixed spans stays, inserted lines use the file's first newline."""
    data = ('"""Doc."""\r\n'
            'from cartesia import Cartesia\n'
            'S = "a\u2028b"\r'
            'client = Cartesia()\r\n'
            '\x0c# comment\n'
            'MODEL = "sonic-english"\n').encode("utf-8")
    (tmp_path / "mixed.py").write_bytes(data)
    r = invoke("fix", "--offline", "--no-cache", "mixed.py", cwd=tmp_path)
    assert r.code == 0, r.err
    new = (tmp_path / "mixed.py").read_bytes()
    sm = difflib.SequenceMatcher(None, data, new, autojunk=False)
    inserted = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        assert op in ("insert", "replace"), (op, data[i1:i2], new[j1:j2])
        inserted.append((data[i1:i2], new[j1:j2]))
    new_text = new.decode("utf-8")
    assert "import os\r\n" in new_text and 'Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))' in new_text
    assert NEW in new_text and OLD not in new_text
    assert new.replace(b"import os\r\n", b"").replace(b'api_key=os.environ.get("CARTESIA_API_KEY")', b"") \
        .replace(NEW.encode(), OLD.encode()) == data


def test_fixed_text_that_the_encoding_cannot_hold_is_not_written(tmp_path):
    source = cio.Source("x.py", b"", "x = 1\n", "latin-1", False, "\n")
    with pytest.raises(cio.InputError, match="cannot be encoded as latin-1"):
        cio.encode(source, "x = '\u2603'\n")


# ---- reading -------------------------------------------------------------------------------

def _alarm(seconds):
    def boom(*_a):
        raise TimeoutError("blocked")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    return old


def test_reading_a_fifo_never_blocks(tmp_path):
    fifo = tmp_path / "f.py"
    os.mkfifo(str(fifo))
    old = _alarm(120)  # a safety net only: the calls return at once
    try:
        with pytest.raises(cio.InputError, match="not a regular file"):
            cio.read_source(str(fifo))
        with pytest.raises(cio.InputError, match="not a regular file"):
            cio.read_bytes(str(fifo))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_read_records_identity_and_mode(tmp_path):
    p = tmp_path / "a.py"
    p.write_bytes(b"x = 1\r\n")
    os.chmod(str(p), 0o751)
    s = cio.read_source(str(p))
    st = os.stat(str(p))
    assert s.identity == (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    assert s.mode == 0o751 and s.newline == "\r\n" and s.text == "x = 1\r\n"


@pytest.mark.parametrize("raw, reason", [
    (b"x = 1\x00", "binary file (contains NUL bytes at offset 5)"),
    (b"# coding: utf-8\nx = '\xe9'\n", "cannot decode as utf-8: invalid byte 0xe9 at line 2 (offset 21)"),
    (codecs.BOM_UTF8 + b"x = '\xff'\n", "cannot decode as utf-8: invalid byte 0xff at line 1 (offset 8)"),
    (b"# coding: bogus-codec\n", "bad encoding declaration"),
    (codecs.BOM_UTF8 + b"# coding: latin-1\n", "bad encoding declaration"),
])
def test_decode_errors_are_one_line(raw, reason):
    with pytest.raises(cio.InputError) as e:
        cio.decode_python(raw)
    assert reason in str(e.value) and "\n" not in str(e.value)


def test_empty_and_bom_only_decode():
    assert cio.decode_python(b"") == ("", "utf-8", False)
    assert cio.decode_python(codecs.BOM_UTF8) == ("", "utf-8", True)


# ---- writing -------------------------------------------------------------------------------

def test_write_refuses_a_file_changed_since_it_was_read(tmp_path):
    p = tmp_path / "a.py"
    p.write_text("old\n")
    s = cio.read_source(str(p))
    p.write_text("someone else's edit\n")
    with pytest.raises(cio.FileChanged):
        cio.write_atomic(str(p), b"ours\n", s.mode, expect=s.identity)
    assert p.read_text() == "someone else's edit\n"
    # replaced by another file of the same size and time: the inode tells them apart
    s = cio.read_source(str(p))
    q = tmp_path / "b.py"
    q.write_text("someone else's edit\n")
    os.utime(str(q), ns=(os.stat(str(p)).st_atime_ns, os.stat(str(p)).st_mtime_ns))
    os.replace(str(q), str(p))
    with pytest.raises(cio.FileChanged):
        cio.write_atomic(str(p), b"ours\n", s.mode, expect=s.identity)
    assert sorted(os.listdir(str(tmp_path))) == ["a.py"]


def test_write_through_a_link_replaces_the_target_and_keeps_the_link(tmp_path):
    (tmp_path / "real.py").write_text("old\n")
    os.symlink("real.py", str(tmp_path / "link.py"))
    s = cio.read_source(str(tmp_path / "link.py"))
    cio.write_atomic(str(tmp_path / "link.py"), b"new\n", s.mode, expect=s.identity)
    assert os.path.islink(str(tmp_path / "link.py")) and (tmp_path / "real.py").read_text() == "new\n"


@pytest.mark.skipif(not hasattr(os, "link"), reason="hard links")
def test_a_hard_linked_file_is_not_rewritten(tmp_path):
    """Replacing it would split the links; rewriting it in place is not atomic (a kill between
    the write and the truncation leaves new text and the old tail under every name): the
    file is left alone and the caller is told why (tests/test_hardening.py kills a real run
    at every write call)."""
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_bytes(b"old content of the file\n")
    os.chmod(str(a), 0o640)
    os.link(str(a), str(b))
    before = os.stat(str(a))
    s = cio.read_source(str(a))
    with pytest.raises(cio.NotWritten, match="it has 2 hard links"):
        cio.write_atomic(str(a), b"new\n", s.mode, expect=s.identity)
    after = os.stat(str(b))
    assert a.read_bytes() == b.read_bytes() == b"old content of the file\n"
    assert (after.st_ino, after.st_nlink, after.st_mtime_ns) == (before.st_ino, 2, before.st_mtime_ns)
    assert sorted(os.listdir(str(tmp_path))) == ["a.py", "b.py"]
    # changed since it was read: that is said first (the caller reads it again)
    s = cio.read_source(str(a))
    b.write_bytes(b"someone else's edit, longer than before\n")
    with pytest.raises(cio.FileChanged):
        cio.write_atomic(str(a), b"ours\n", s.mode, expect=s.identity)
    assert a.read_bytes() == b"someone else's edit, longer than before\n"


def test_fix_through_the_cli_reports_a_hard_linked_file_as_not_fixed(tmp_path):
    app = tmp_path / "app.py"
    app.write_text('from cartesia import Cartesia\nMODEL = "sonic-english"\n')
    os.link(str(app), str(tmp_path / "copy.txt"))  # not a Python file: only reachable as a link
    (tmp_path / "other.py").write_text('from cartesia import Cartesia\nMODEL = "sonic-english"\n')
    r = invoke("fix", "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 1, r  # as for a finding it could not fix
    assert "app.py: not fixed: it has 2 hard links" in r.err
    assert "app.py:2:9: CM101" in r.out and "other.py" not in r.out
    assert "sonic-english" in (tmp_path / "copy.txt").read_text()
    assert os.stat(str(app)).st_nlink == 2
    assert NEW in (tmp_path / "other.py").read_text()
    # the file is fixed once the link is broken
    data = app.read_bytes()
    os.unlink(str(app))
    app.write_bytes(data)
    assert invoke("fix", "--offline", "--no-cache", ".", cwd=tmp_path).code == 0
    assert NEW in app.read_text() and "sonic-english" in (tmp_path / "copy.txt").read_text()


def test_a_failed_write_leaves_the_file_and_no_temp(tmp_path, monkeypatch):
    p = tmp_path / "a.py"
    p.write_text("old\n")

    def interrupted(*_a):
        raise KeyboardInterrupt

    monkeypatch.setattr(cio.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cio.write_atomic(str(p), b"new\n")
    assert p.read_text() == "old\n" and os.listdir(str(tmp_path)) == ["a.py"]


def test_write_into_a_read_only_folder_is_an_input_error(tmp_path):
    from .test_bad_input import _without_dac_override

    p = tmp_path / "a.py"
    p.write_text("old\n")
    os.chmod(str(tmp_path), 0o555)
    code = ("from cartesia_migrate import io\n"
            "try:\n    io.write_atomic('a.py', b'new\\n')\n"
            "except io.InputError as e:\n    print(e)\n")
    try:
        r = subprocess.run([sys.executable, "-c", code], cwd=str(tmp_path), preexec_fn=_without_dac_override(),
                           capture_output=True, timeout=60)
    finally:
        os.chmod(str(tmp_path), 0o755)
    if r.returncode == 97:
        pytest.skip("cannot drop root's DAC override here")
    assert r.stdout.decode().strip() == "cannot write: permission denied; file left unchanged", r.stderr
    assert p.read_text() == "old\n" and os.listdir(str(tmp_path)) == ["a.py"]


def test_signals_are_held_while_the_temp_file_exists(tmp_path):
    """In a process of its own: the held signal must reach the main thread (xdist runs tests elsewhere)."""
    code = """if True:
        import os, signal
        signal.signal(signal.SIGINT, signal.default_int_handler)  # xdist workers ignore SIGINT
        from cartesia_migrate import io
        got = []
        try:
            with io.signals_held():
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(100000):
                    pass
                got.append("not interrupted inside the block")
            for _ in range(100000):  # the pending signal is delivered once the block ends
                pass
            got.append("never reached")
        except KeyboardInterrupt:
            got.append("interrupted after the block")
        print(got)
    """
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert r.stdout.decode().strip() == str(["not interrupted inside the block", "interrupted after the block"])


def test_stale_temp_files_of_dead_processes_are_swept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    names = {
        ".cartesia-migrate-%d-abc.tmp" % dead.pid: False,  # its writer is gone: removed
        ".cartesia-migrate-%d-def.tmp" % os.getppid(): True,  # a live process: kept
        ".cartesia-migrate-%d-ghi.tmp" % os.getpid(): True,  # ours: kept
        ".cartesia-migrate-notapid.tmp": True,
        "unrelated-%d.tmp" % dead.pid: True,
    }
    for n in names:
        (tmp_path / n).write_text("partial")
    assert cio.sweep_stale_temp_files(str(tmp_path)) == 1
    assert sorted(os.listdir(str(tmp_path))) == sorted(n for n, keep in names.items() if keep)


def test_concurrent_writers_in_threads_leave_a_whole_file(tmp_path):
    p = tmp_path / "a.py"
    p.write_bytes(b"0" * 100000)
    payloads = [bytes([48 + i]) * (100000 + i * 7919) for i in range(8)]

    def writer(data):
        for _ in range(20):
            cio.write_atomic(str(p), data)

    threads = [threading.Thread(target=writer, args=(d,)) for d in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert p.read_bytes() in payloads
    assert os.listdir(str(tmp_path)) == ["a.py"]


# ---- stdin ---------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, fixed", [
    (codecs.BOM_UTF8 + b'# coding: utf-8\r\nimport cartesia\r\nm = "sonic-english"  # \xc3\xa9\r\n',
     codecs.BOM_UTF8 + b'# coding: utf-8\r\nimport cartesia\r\nm = "sonic-3.6-2026-08-27"  # \xc3\xa9\r\n'),
    (b'# -*- coding: latin-1 -*-\nimport cartesia\nm = "sonic-english"  # \xe9\n',
     b'# -*- coding: latin-1 -*-\nimport cartesia\nm = "sonic-3.6-2026-08-27"  # \xe9\n'),
    (b'import cartesia\rm = "sonic-english"\r', b'import cartesia\rm = "sonic-3.6-2026-08-27"\r'),
])
def test_fix_stdin_prints_bytes_in_the_inputs_own_encoding(tmp_path, raw, fixed):
    r = subprocess.run([sys.executable, "-m", "cartesia_migrate", "fix", "--offline", "-"], input=raw,
                       capture_output=True, cwd=str(tmp_path), timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout == fixed


@pytest.mark.parametrize("raw", [b'import cartesia\r\nx = "\xff"\r\n', b"import cartesia\nx = 1\x00\n",
                                 b"import cartesia\nx = " + b"(" * 3000 + b")" * 3000 + b"\n"])
def test_fix_stdin_echoes_a_bad_input_unchanged(tmp_path, raw):
    """An editor replaces its buffer with stdout: a file we cannot read must come back as it was."""
    r = subprocess.run([sys.executable, "-m", "cartesia_migrate", "fix", "--offline", "-"], input=raw,
                       capture_output=True, cwd=str(tmp_path), timeout=120)
    assert r.returncode == 2
    assert r.stdout == raw
    assert [line for line in r.stderr.decode().splitlines() if line.startswith("-: error: ")]
