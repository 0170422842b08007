"""Bad input: each bad file is one clear line naming the file and the reason, exit 2, every
other file still checked and fixed, the bad file untouched, no traceback unless --verbose."""
import codecs
import json
import os
import stat
import subprocess
import sys

import pytest

from .conftest import run_cli
from .inproc import invoke

# FIFOs, symlinks, POSIX signals and modes: the contract is the same on Windows, these tests are not
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file system and signals")

BAD_MODEL = 'from cartesia import Cartesia\nMODEL = "sonic-english"\n'
FIXED_MODEL = 'from cartesia import Cartesia\nMODEL = "sonic-3.6-2026-08-27"\n'

# name -> (bytes, substring the error must contain); every file mentions cartesia, so each
# one is really read and parsed (files that never mention Cartesia are not parsed at all)
BAD_FILES = {
    "syntax.py": (b"import cartesia\ndef f(:\n    pass\n", "syntax error at line 2, column 7: invalid syntax"),
    "py2_print.py": (b'import cartesia\nprint "hello"\n', "looks like Python 2"),
    "py2_exec.py": (b'import cartesia\nexec "x = 1"\n', "looks like Python 2"),
    "py2_backtick.py": (b"import cartesia\nx = `cartesia`\n", "looks like Python 2"),
    "nul.py": (b"import cartesia\nx = 1\x00\n", "binary file (contains NUL bytes"),
    "bad_utf8.py": (b'import cartesia\nx = "\xff\xfe"\n', "cannot decode as utf-8: invalid byte 0xff at line 2"),
    "bad_ascii.py": (b'# -*- coding: ascii -*-\nimport cartesia\nx = "\xe9"\n',
                     "cannot decode as ascii: invalid byte 0xe9 at line 3"),
    "bad_cookie.py": (b"# -*- coding: no-such-codec -*-\nimport cartesia\n", "bad encoding declaration"),
    "bad_latin1_bom.py": (codecs.BOM_UTF8 + b"# -*- coding: latin-1 -*-\nimport cartesia\n",
                          "bad encoding declaration"),
    "deep_parens.py": (b"import cartesia\nx = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
                       "too deeply nested to parse safely"),
    "deep_brackets.py": (b"import cartesia\nx = " + b"[" * 100000 + b"]" * 100000 + b"\n",
                         "too deeply nested to parse safely"),
    "deep_unary.py": (b"import cartesia\nx = " + b"-" * 100000 + b"1\n", "too deeply nested to parse safely"),
    "long_chain.py": (b"import cartesia\nx = " + b" + ".join([b"a"] * 5000) + b"\n", "too deeply nested"),
    "deep_indent.py": (b"import cartesia\n" + b"".join(b" " * i + b"if x:\n" for i in range(120))
                       + b" " * 120 + b"pass\n", "too deeply nested to parse safely"),
}


def _tree(tmp_path):
    for name, (data, _reason) in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.py").write_text(BAD_MODEL)
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "bom_only.py").write_bytes(codecs.BOM_UTF8)
    pkg = tmp_path / "pkg.py"  # a folder named like a Python file: walked, never opened
    pkg.mkdir()
    (pkg / "inner.py").write_text(BAD_MODEL)
    os.mkfifo(str(tmp_path / "fifo.py"))
    os.symlink("/dev/zero", str(tmp_path / "device.py"))
    os.symlink("loop_b.py", str(tmp_path / "loop_a.py"))
    os.symlink("loop_a.py", str(tmp_path / "loop_b.py"))
    os.symlink("missing_target.py", str(tmp_path / "dangling.py"))


SPECIAL = {
    "fifo.py": "not a regular file (FIFO, socket or device); not opened",
    "device.py": "not a regular file (FIFO, socket or device); not opened",
    "loop_a.py": "symbolic link loop",
    "loop_b.py": "symbolic link loop",
    "dangling.py": "broken symbolic link",
}


def _snapshot(root):
    out = {}
    for folder, _dirs, files in os.walk(str(root)):
        for f in files:
            p = os.path.join(folder, f)
            if os.path.islink(p) or not stat.S_ISREG(os.lstat(p).st_mode):
                out[p] = ("special", os.lstat(p).st_mode, os.readlink(p) if os.path.islink(p) else None)
            else:
                with open(p, "rb") as fh:
                    out[p] = fh.read()
    return out


def _error_lines(err):
    return [line for line in err.splitlines() if ": error: " in line]


@pytest.mark.parametrize("mode", ["check", "fix"])
def test_every_bad_file_is_one_line_and_the_run_goes_on(tmp_path, mode):
    """A real process: a crash of the native parser (SIGSEGV) would show as a negative exit code."""
    _tree(tmp_path)
    before = _snapshot(tmp_path)
    r = run_cli(mode, "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 2, r.err
    assert "Traceback" not in r.err and "Traceback" not in r.out
    errors = _error_lines(r.err)
    expected = dict((name, reason) for name, (_d, reason) in BAD_FILES.items())
    expected.update(SPECIAL)
    for name, reason in expected.items():
        mine = [e for e in errors if e.startswith(name + ": error: ")]
        assert len(mine) == 1, (name, errors)
        assert reason in mine[0], (name, mine[0])
    assert len(errors) == len(expected), errors  # nothing else failed: not empty.py, not bom_only.py
    assert all(len(e) < 400 for e in errors)
    after = _snapshot(tmp_path)
    good = str(tmp_path / "good.py")
    inner = str(tmp_path / "pkg.py" / "inner.py")
    if mode == "check":
        assert "good.py:2:9: CM101" in r.out and "pkg.py/inner.py:2:9: CM101" in r.out
        assert after == before
    else:
        assert after.pop(good) == FIXED_MODEL.encode() and after.pop(inner) == FIXED_MODEL.encode()
        before.pop(good), before.pop(inner)
        assert after == before  # every bad file (and empty.py, bom_only.py) byte-identical
        assert stat.S_ISFIFO(os.lstat(str(tmp_path / "fifo.py")).st_mode)
    assert not [p for p in after if ".cartesia-migrate-" in p]


def test_explicit_special_paths_are_never_opened(tmp_path):
    """Named explicitly, a FIFO would block any open(): the run must finish (timeout) without it."""
    _tree(tmp_path)
    p = subprocess.run([sys.executable, "-m", "cartesia_migrate", "fix", "--offline", "--no-cache",
                        "fifo.py", "device.py", "loop_a.py", "dangling.py", "nope.py", "pkg.py", "good.py"],
                       cwd=str(tmp_path), capture_output=True, timeout=60)
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert "nope.py: error: no such file or directory" in err
    for name, reason in SPECIAL.items():
        if name != "loop_b.py":
            assert "%s: error: %s" % (name, reason) in err
    assert (tmp_path / "good.py").read_text() == FIXED_MODEL
    assert (tmp_path / "pkg.py" / "inner.py").read_text() == FIXED_MODEL


def test_fifo_among_many_files_with_cache_does_not_block(tmp_path):
    """Above the parallel threshold the cache lookup used to open() every target: a FIFO hung the run."""
    for i in range(40):
        (tmp_path / ("f%02d.py" % i)).write_text(BAD_MODEL)
    os.mkfifo(str(tmp_path / "zz_fifo.py"))
    os.mkfifo(str(tmp_path / ".gitignore"))  # a FIFO where discovery reads ignore rules
    os.mkfifo(str(tmp_path / "requirements.txt"))  # and one where it reads includes
    r = run_cli("check", "--offline", ".", cwd=tmp_path)  # the cache is on
    assert r.code == 2
    assert "zz_fifo.py: error: not a regular file" in r.err
    assert r.out.count("CM101") == 40


def test_empty_and_bom_only_files_are_clean_and_never_rewritten(tmp_path):
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "bom.py").write_bytes(codecs.BOM_UTF8)
    (tmp_path / "bom_nl.py").write_bytes(codecs.BOM_UTF8 + b"\r\n")
    r = invoke("fix", "--offline", "--no-cache", "empty.py", "bom.py", "bom_nl.py", cwd=tmp_path)
    assert r.code == 0, r.err
    assert (tmp_path / "empty.py").read_bytes() == b""
    assert (tmp_path / "bom.py").read_bytes() == codecs.BOM_UTF8
    assert (tmp_path / "bom_nl.py").read_bytes() == codecs.BOM_UTF8 + b"\r\n"
    from cartesia_migrate.engine import check_source

    assert check_source("") == [] and check_source("\ufeff") == []


def test_bom_only_file_named_as_cartesia_module_parses(tmp_path):
    """The gate also matches the path: a BOM-only file called cartesia_*.py is really parsed."""
    (tmp_path / "cartesia_empty.py").write_bytes(codecs.BOM_UTF8)
    r = invoke("fix", "--offline", "--no-cache", "cartesia_empty.py", cwd=tmp_path)
    assert r.code == 0, r.err
    assert (tmp_path / "cartesia_empty.py").read_bytes() == codecs.BOM_UTF8


def test_files_of_several_megabytes(tmp_path):
    """A 3.3 MB module (code plus an embedded base64 blob, as generated modules have) is checked
    and fixed; one above the 10 MB limit is refused without being read."""
    import base64
    import random

    rnd = random.Random(7)
    blob = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(2_400_000))).decode()
    code = "".join("def f%d(a, b):\n    return a + b * %d\n\n\n" % (i, i) for i in range(3000))
    rest = code + 'DATA = """\n' + "\n".join(blob[i:i + 76] for i in range(0, len(blob), 76)) + '\n"""\n'
    assert len(BAD_MODEL + rest) > 3_000_000
    (tmp_path / "big.py").write_text(BAD_MODEL + rest)
    with open(str(tmp_path / "huge.py"), "wb") as f:
        f.write(b"import cartesia\n" + b"# padding\n" * (11 * 1024 * 1024 // 10))
    r = invoke("fix", "--offline", "--no-cache", "big.py", "huge.py", cwd=tmp_path)
    assert r.code == 2
    assert _error_lines(r.err) == [
        "huge.py: error: file too large (%d bytes; limit %d)" % (os.path.getsize(str(tmp_path / "huge.py")),
                                                                 10 * 1024 * 1024)]
    assert (tmp_path / "big.py").read_text() == FIXED_MODEL + rest


# ---- unreadable files -------------------------------------------------------------------------

def _without_dac_override():
    """preexec_fn that makes chmod 000 effective for the child even when the tests run as root.

    Root reads any file through CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH; dropping both from
    the capability bounding set (prctl PR_CAPBSET_DROP) keeps them from coming back at exec.
    Not root: chmod 000 already works, nothing to drop.
    """
    if os.geteuid() != 0:
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    def drop():
        for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                os._exit(97)

    return drop


def test_unreadable_file_and_folder(tmp_path):
    drop = _without_dac_override()
    for name in ("good.py", "secret.py"):
        (tmp_path / name).write_text(BAD_MODEL)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.py").write_text(BAD_MODEL)
    os.chmod(str(tmp_path / "secret.py"), 0)
    os.chmod(str(locked), 0)
    try:
        probe = subprocess.run([sys.executable, "-c", "open('secret.py').read()"], cwd=str(tmp_path),
                               preexec_fn=drop, capture_output=True)
        if probe.returncode != 1 or b"PermissionError" not in probe.stderr:
            pytest.skip("cannot make a file unreadable here (root without CAP_SETPCAP?)")
        p = subprocess.run([sys.executable, "-m", "cartesia_migrate", "fix", "--offline", "--no-cache", "."],
                           cwd=str(tmp_path), preexec_fn=drop, capture_output=True, timeout=120)
        err = p.stderr.decode()
        assert p.returncode == 2, err
        assert "secret.py: error: permission denied" in err.splitlines()
        assert "locked: error: cannot list the folder: permission denied" in err.splitlines()
        assert "Traceback" not in err
        assert (tmp_path / "good.py").read_text() == FIXED_MODEL
    finally:
        os.chmod(str(locked), 0o755)
        os.chmod(str(tmp_path / "secret.py"), 0o644)
    assert (tmp_path / "secret.py").read_text() == BAD_MODEL


def test_read_error_from_the_kernel(tmp_path):
    """/proc/self/mem exists and is 'regular', but reading it at offset 0 fails (EIO)."""
    if not os.path.exists("/proc/self/mem"):
        pytest.skip("no /proc")
    r = invoke("check", "--offline", "--no-cache", "/proc/self/mem", str(tmp_path), cwd=tmp_path)
    assert r.code == 2
    lines = _error_lines(r.err)
    assert len(lines) == 1 and lines[0].startswith("/proc/self/mem: error: ")


# ---- configuration and cache ------------------------------------------------------------------

def test_bad_sub_project_config_skips_only_that_sub_project(tmp_path):
    (tmp_path / "a.py").write_text(BAD_MODEL)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.py").write_text(BAD_MODEL)
    (sub / "pyproject.toml").write_text('[tool.cartesia-migrate]\nselect = 5\n')
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.py").write_text(BAD_MODEL)
    (other / "pyproject.toml").write_text('[tool.cartesia-migrate\n')  # not TOML at all
    r = invoke("fix", "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 2
    lines = _error_lines(r.err)
    assert len(lines) == 2, lines
    assert lines[0].startswith("other/pyproject.toml: error: invalid TOML")
    assert lines[1] == ("sub/pyproject.toml: error: [tool.cartesia-migrate] select must be a list of rule "
                        "codes (the files it applies to were not checked)")
    assert (tmp_path / "a.py").read_text() == FIXED_MODEL
    assert (sub / "b.py").read_text() == BAD_MODEL and (other / "c.py").read_text() == BAD_MODEL
    # named explicitly, a file under the bad config is an error of its own; the rest goes on
    r = invoke("check", "--offline", "--no-cache", "sub/b.py", "other/c.py", "a.py", cwd=tmp_path)
    assert r.code == 2
    assert [e.split(": error: ")[0] for e in _error_lines(r.err)] == ["sub/b.py", "other/c.py"]


def test_bad_top_level_config_is_one_line(tmp_path):
    (tmp_path / "a.py").write_text(BAD_MODEL)
    (tmp_path / "pyproject.toml").write_text('[tool.cartesia-migrate]\npin-dated = "yes"\n')
    for args in (["check", "."], ["fix", "a.py"], ["check", "-"]):
        r = run_cli(*args, "--offline", cwd=tmp_path, input=BAD_MODEL.encode())
        assert r.code == 2
        assert r.err.strip().splitlines() == [
            "cartesia-migrate: error: %s: [tool.cartesia-migrate] pin-dated must be true or false"
            % (tmp_path / "pyproject.toml")], r.err
    assert (tmp_path / "a.py").read_text() == BAD_MODEL
    r = invoke("check", "--offline", "--config", str(tmp_path), "a.py", cwd=tmp_path)  # a folder
    assert r.code == 2 and "cannot read: is a directory" in r.err and "Traceback" not in r.err
    # --config may name a pipe (process substitution): it is read, not refused
    r = run_cli("check", "--offline", "--config", "/dev/stdin", "a.py", cwd=tmp_path,
                input=b'[tool.cartesia-migrate]\nignore = ["CM101"]\n')
    assert r.code == 0, r.err


def _cache_files(root):
    return [os.path.join(d, f) for d, _s, fs in os.walk(str(root)) for f in fs]


@pytest.mark.parametrize("garbage", [b"{not json", b"", b"\x00\xff" * 10, b"[1, 2]", b'{"a": 1}',
                                     b'[{"code": "CM101"}]', b'{"format": 1, "ids": 5, "fetched_at": "x"}'])
def test_corrupt_cache_is_a_miss(tmp_path, garbage):
    cache = tmp_path / "cache"
    (tmp_path / "proj").mkdir()
    for i in range(3):
        (tmp_path / "proj" / ("m%d.py" % i)).write_text(BAD_MODEL)
    env = {"CARTESIA_MIGRATE_CACHE_DIR": str(cache)}
    first = run_cli("check", "--offline", ".", cwd=tmp_path / "proj", env=env)
    assert first.code == 1 and _cache_files(cache)
    for f in _cache_files(cache):
        with open(f, "wb") as fh:
            fh.write(garbage)
    again = run_cli("check", "--offline", ".", cwd=tmp_path / "proj", env=env)
    assert (again.code, again.out) == (first.code, first.out)
    assert "Traceback" not in again.err and "error" not in again.err


@pytest.mark.parametrize("damage", ["location", "code", "edit", "fifo"])
def test_damaged_cache_entry_that_is_still_json_is_a_miss(tmp_path, damage):
    cache = tmp_path / "cache"
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "m.py").write_text(BAD_MODEL)
    env = {"CARTESIA_MIGRATE_CACHE_DIR": str(cache)}
    first = run_cli("check", "--offline", ".", cwd=tmp_path / "proj", env=env)
    (entry,) = [f for f in _cache_files(cache) if os.sep + "findings" + os.sep in f]
    if damage == "fifo":  # a FIFO where an entry should be: never opened (it would block)
        os.unlink(entry)
        os.mkfifo(entry)
    else:
        with open(entry) as fh:
            data = json.load(fh)
        if damage == "location":
            data[0]["location"] = "2:9"
        elif damage == "code":
            data[0]["code"] = 101
        else:
            data[0]["fix"]["edits"][0]["start_offset"] = -5
        with open(entry, "w") as fh:
            json.dump(data, fh)
    again = run_cli("check", "--offline", ".", cwd=tmp_path / "proj", env=env)
    assert (again.code, again.out) == (first.code, first.out)


def test_cache_folder_that_is_a_file(tmp_path):
    (tmp_path / "cache").write_text("not a folder")
    (tmp_path / "a.py").write_text(BAD_MODEL)
    r = run_cli("check", "--offline", "a.py", cwd=tmp_path, env={"CARTESIA_MIGRATE_CACHE_DIR": str(tmp_path / "cache")})
    assert r.code == 1 and "a.py:2:9: CM101" in r.out and "Traceback" not in r.err


# ---- internal errors ----------------------------------------------------------------------------

def test_internal_error_is_one_line_and_the_traceback_needs_verbose(tmp_path, monkeypatch):
    from cartesia_migrate import engine

    monkeypatch.delenv("CARTESIA_MIGRATE_DEBUG", raising=False)
    real = engine.analyze_python

    def flaky(source, *a, **kw):
        if source.path.endswith("boom.py"):
            raise ValueError("a bug of ours\nsecond line")
        return real(source, *a, **kw)

    monkeypatch.setattr(engine, "analyze_python", flaky)
    (tmp_path / "boom.py").write_text(BAD_MODEL)
    (tmp_path / "ok.py").write_text(BAD_MODEL)
    r = invoke("fix", "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 2
    assert _error_lines(r.err) == [
        "boom.py: error: internal error: ValueError: a bug of ours (run with --verbose for the traceback)"]
    assert "Traceback" not in r.err
    assert (tmp_path / "ok.py").read_text() == FIXED_MODEL and (tmp_path / "boom.py").read_text() == BAD_MODEL
    r = invoke("check", "--offline", "--no-cache", "--verbose", ".", cwd=tmp_path)
    assert r.code == 2 and "Traceback (most recent call last)" in r.err and "in flaky" in r.err


def test_internal_error_outside_files_is_one_line(tmp_path, monkeypatch):
    from cartesia_migrate import engine

    monkeypatch.delenv("CARTESIA_MIGRATE_DEBUG", raising=False)

    def broken(*a, **kw):
        raise RuntimeError("discovery exploded")

    monkeypatch.setattr(engine, "discover", broken)
    r = invoke("check", "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 2
    assert r.err.strip().splitlines()[-1] == (
        "cartesia-migrate: internal error: RuntimeError: discovery exploded (run with --verbose for the traceback)")
    assert "Traceback" not in r.err
    r = invoke("check", "--offline", "--no-cache", "-v", ".", cwd=tmp_path)
    assert r.code == 2 and "Traceback (most recent call last)" in r.err


def test_closed_stdout_pipe_is_quiet(tmp_path):
    for i in range(200):
        (tmp_path / ("m%03d.py" % i)).write_text(BAD_MODEL)
    p = subprocess.Popen([sys.executable, "-m", "cartesia_migrate", "check", "--offline", "--no-cache", "."],
                         cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()  # like `| head -1`
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    assert "Traceback" not in err


# ---- symlinks -----------------------------------------------------------------------------------

def test_never_writes_through_a_link_out_of_the_tree(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shared.py").write_text(BAD_MODEL)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "own.py").write_text(BAD_MODEL)
    os.symlink(str(outside / "shared.py"), str(tree / "link_out.py"))
    os.symlink("own.py", str(tree / "link_in.py"))
    r = invoke("fix", "--offline", "--no-cache", ".", cwd=tree)
    assert r.code == 2
    assert _error_lines(r.err) == [
        "link_out.py: error: symbolic link to %s, outside the checked tree; not written (fix that file directly)"
        % os.path.realpath(str(outside / "shared.py"))]
    assert (outside / "shared.py").read_text() == BAD_MODEL
    assert (tree / "own.py").read_text() == FIXED_MODEL and os.path.islink(str(tree / "link_in.py"))
    # named explicitly: still not written through
    r = invoke("fix", "--offline", "--no-cache", "link_out.py", cwd=tree)
    assert r.code == 2 and (outside / "shared.py").read_text() == BAD_MODEL
    assert os.path.islink(str(tree / "link_out.py"))
    # check reads through links (it never writes)
    r = invoke("check", "--offline", "--no-cache", "link_out.py", cwd=tree)
    assert r.code == 1 and "link_out.py:2:9: CM101" in r.out


def test_symlinked_folder_loop_is_not_followed(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "m.py").write_text(BAD_MODEL)
    os.symlink("..", str(tmp_path / "a" / "up"))
    os.symlink("self", str(tmp_path / "self"))
    r = invoke("check", "--offline", "--no-cache", ".", "--output-format", "json", cwd=tmp_path)
    assert r.code == 1
    assert [f["filename"] for f in json.loads(r.out)] == ["a/m.py"]


# ---- deep but valid ------------------------------------------------------------------------------

@pytest.mark.parametrize("expr", [
    "(" + "\n".join("'line %d of a long prompt '" % i for i in range(3000)) + ")",  # implicit concatenation
    " + ".join(["part"] * 800),  # a long left-recursive chain
    "-" * 900 + "1",
    "a" + ".b" * 700,
    "(" * 150 + "1" + ")" * 150,
])
def test_deep_code_that_cpython_compiles_is_analysed_and_fixed(tmp_path, expr):
    """Deeper than the default recursion limit lets libcst's tree be walked: analysed again on a
    large stack instead of being refused (``pydoc_data/topics.py`` is such a file)."""
    src = "from cartesia import Cartesia\nMODEL = 'sonic-english'\nTEXT = " + expr + "\n"
    compile(src, "x.py", "exec")
    (tmp_path / "deep.py").write_text(src)
    r = invoke("fix", "--offline", "--no-cache", "deep.py", cwd=tmp_path)
    assert r.code == 0, r.err
    assert (tmp_path / "deep.py").read_text() == src.replace("sonic-english", "sonic-3.6-2026-08-27")


@pytest.mark.parametrize("shape", ["parens", "brackets", "calls", "unary", "not", "chain", "attrs", "lambda",
                                   "concat", "subscripts", "ifexp", "await"])
def test_no_nesting_shape_crashes_the_process(shape):
    """Every shape at depths around each limit: findings or a one-line InputError, never a crash."""
    from cartesia_migrate.engine import check_source
    from cartesia_migrate.io import InputError

    make = {
        "parens": lambda n: "(" * n + "1" + ")" * n,
        "brackets": lambda n: "[" * n + "]" * n,
        "calls": lambda n: "f(" * n + ")" * n,
        "unary": lambda n: "~" * n + "1",
        "not": lambda n: "not " * n + "x",
        "chain": lambda n: " * ".join(["x"] * n),
        "attrs": lambda n: "x" + ".y" * n,
        "lambda": lambda n: "lambda: " * n + "1",
        "concat": lambda n: "(" + " ".join(["'s'"] * n) + ")",
        "subscripts": lambda n: "x" + "[0]" * n,
        "ifexp": lambda n: "1 if x else " * n + "2",
        "await": lambda n: "await " * n + "x",
    }[shape]
    for n in (10, 199, 201, 999, 1001, 3000, 20000):
        body = "x = " + make(n) + "\n"
        if shape == "await":
            body = "async def f():\n    " + body
        src = "import cartesia\nm = 'sonic-english'\n" + body
        try:
            found = check_source(src, "x.py")
            assert [f.code for f in found] == ["CM101"], (shape, n)
        except InputError as e:
            assert "\n" not in str(e), e
            assert any(m in str(e) for m in ("too deeply nested", "syntax error", "libcst cannot parse")), (shape, n, e)


def test_a_fix_cpython_would_not_compile_is_never_written():
    """libcst accepts `import os` above `from __future__ import ...`; CPython's compiler does not.
    A fix producing it is an internal error and the file keeps its bytes."""
    from cartesia_migrate import models
    from cartesia_migrate.config import Settings
    from cartesia_migrate.engine import fix_text
    from cartesia_migrate.finding import Edit, Finding, Fix
    from cartesia_migrate.io import InputError, Source

    class BadRule:
        kind = "python"

        def analyze(self, source, *_a):
            if source.text.startswith("import os"):
                return []
            edit = Edit("import os\n", 0, 0, (1, 1), (1, 1))
            return [Finding("CM101", "n", "m", "x.py", (1, 1), (1, 1), fix=Fix("safe", "m", (edit,)))]

        def validate(self, text):
            return None  # libcst would say it parses

    text = 'from __future__ import annotations\nimport cartesia\n'
    with pytest.raises(InputError, match="would not compile .*from __future__ imports must occur"):
        fix_text(Source("x.py", b"", text, "utf-8", False, "\n"), Settings(), models.bundled(), ["CM101"],
                 False, BadRule())


def test_fifo_in_place_of_the_models_cache_does_not_block(tmp_path, monkeypatch):
    from cartesia_migrate.models import live

    cache = tmp_path / "cache"
    monkeypatch.setenv("CARTESIA_MIGRATE_CACHE_DIR", str(cache))
    path = live.cache_file(live.DEFAULT_BASE_URL)
    os.makedirs(os.path.dirname(path))
    os.mkfifo(path)
    (tmp_path / "a.py").write_text(BAD_MODEL)
    r = run_cli("check", "--offline", "a.py", cwd=tmp_path)
    assert r.code == 1 and "a.py:2:9: CM101" in r.out
