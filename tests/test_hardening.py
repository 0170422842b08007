"""Issue 18, as a hostile or unlucky user would try it: a kill at every write syscall of a
hard-linked file, keys spelled so no ``sk_car_<body>`` appears, the findings cache on disk,
bad sub-project configs, non-UTF-8 and control-character file names, 20,000
per-file-ignores globs, devices and FIFOs as --config/--baseline, UTF-16 and invalid config
files, read-only files."""
import codecs
import json
import os
import signal
import stat
import subprocess
import sys

import pytest

from .inproc import invoke

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file system, modes and signals")

BAD_MODEL = 'from cartesia import Cartesia\nMODEL = "sonic-english"\n'
FIXED_MODEL = 'from cartesia import Cartesia\nMODEL = "sonic-3.6-2026-08-27"\n'

# ---- 1. a kill at any write syscall leaves every name of a file original or fixed -------------

# Runs the real command in a child process that SIGKILLs itself right before the N-th
# file-writing call made inside ``write_atomic`` (os.* calls, and write/truncate/flush of the
# files io.py opens): N = 1, 2, ... until a run completes without being killed.  No strace
# needed (CI has none); the product code has no test hook.
KILLER = r'''
import builtins, os, signal, sys
import cartesia_migrate.engine as eng
import cartesia_migrate.io as cio

target = int(os.environ["KILL_AT"])
state = {"n": 0, "armed": False}

def hit(name):
    if state["armed"]:
        state["n"] += 1
        if state["n"] == target:
            os.write(2, ("killed before %s\n" % name).encode())
            os.kill(os.getpid(), signal.SIGKILL)

class Proxy:
    def __init__(self, f):
        self._f = f
    def __getattr__(self, name):
        attr = getattr(self._f, name)
        if name in ("write", "writelines", "truncate", "flush"):
            def call(*a, **k):
                hit(name)
                return attr(*a, **k)
            return call
        return attr
    def __enter__(self):
        self._f.__enter__()
        return self
    def __exit__(self, *exc):
        return self._f.__exit__(*exc)

def wrap(name):
    real = getattr(os, name)
    def call(*a, **k):
        hit(name)
        return real(*a, **k)
    setattr(os, name, call)

for name in ("write", "pwrite", "ftruncate", "truncate", "replace", "rename", "link", "unlink", "fsync",
             "fchmod", "fchown", "chmod", "posix_fallocate", "open"):
    if hasattr(os, name):
        wrap(name)
real_fdopen = os.fdopen
os.fdopen = lambda *a, **k: Proxy(real_fdopen(*a, **k))
cio.open = lambda *a, **k: Proxy(builtins.open(*a, **k))
real_write_atomic = cio.write_atomic

def armed_write_atomic(*a, **k):
    state["armed"] = True
    try:
        return real_write_atomic(*a, **k)
    finally:
        state["armed"] = False

cio.write_atomic = eng.write_atomic = armed_write_atomic
from cartesia_migrate.cli import main
main(sys.argv[1:])
'''

# a CM405 finding (httpx_client=) and a last line whose tail an in-place rewrite would leave
LINKED_OLD = b"from cartesia import Cartesia\nclient = Cartesia(httpx_client=None)\nx = 1\nRETRIES = 5\n"


def _kill_run(cwd, n, *args):
    env = dict(os.environ, KILL_AT=str(n))
    return subprocess.run([sys.executable, "-c", KILLER, "fix", "--offline", "--no-cache", *args],
                          cwd=str(cwd), env=env, capture_output=True, timeout=300)


@pytest.mark.parametrize("linked", [True, False])
def test_a_kill_at_any_write_syscall_leaves_every_name_original_or_fixed(tmp_path, linked):
    from cartesia_migrate.engine import fix_source

    new = fix_source(LINKED_OLD.decode(), "a.py")[0].encode()
    assert new != LINKED_OLD
    kills = 0
    for n in range(1, 60):
        work = tmp_path / str(n)
        work.mkdir()
        (work / "a.py").write_bytes(LINKED_OLD)
        names = ["a.py"]
        if linked:
            os.link(str(work / "a.py"), str(work / "b.py"))
            names.append("b.py")
        r = _kill_run(work, n, "a.py")
        for name in names:
            data = (work / name).read_bytes()
            assert data in (LINKED_OLD, new), "%s after a kill at write call %d: %r (%s)" % (
                name, n, data[-40:], r.stderr.decode(errors="replace")[-300:])
        if r.returncode == -signal.SIGKILL:
            kills += 1
            continue
        # the run completed: what it says and did
        err = r.stderr.decode()
        if linked:
            assert r.returncode == 1, err
            assert "a.py: not fixed: it has 2 hard links" in err
            assert [(work / x).read_bytes() for x in names] == [LINKED_OLD] * 2
            assert os.stat(str(work / "a.py")).st_nlink == 2
        else:
            assert r.returncode == 0, err
            assert (work / "a.py").read_bytes() == new
            assert kills >= 3  # the temp file write, its fsync, the rename: each one was a kill point
        break
    else:
        raise AssertionError("the run never completed")


# ---- 2. the findings cache holds no key; 0700 folders, 0600 files ------------------------------

BODY = "9fQ2mX4tLp8Zr1Wc7bN3vK"  # 22 characters, the shape of a real key body (synthetic)
KEY = "sk_car_" + BODY


def _pieces(body=BODY, n=8):
    return {body[i:i + n] for i in range(len(body) - n + 1)}


def _no_piece(text, where):
    leaked = sorted(p for p in _pieces() if p in text)
    assert not leaked, "key pieces %s in %s" % (leaked, where)


def test_the_findings_cache_never_stores_a_key_and_is_private(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("CARTESIA_MIGRATE_CACHE_DIR", str(cache))
    tree = tmp_path / "src"
    tree.mkdir()
    (tree / "req.py").write_text('import requests\nrequests.get("https://api.cartesia.ai/voices", '
                                 'headers={"Authorization": "Bearer %s"})\n' % KEY)
    (tree / "split.py").write_text('from cartesia import Cartesia\nclient = Cartesia(api_key="sk_car_" "%s")\n'
                                   % BODY)
    (tree / "model.py").write_text(BAD_MODEL)
    first = invoke("check", "--offline", ".", cwd=tree)
    assert first.code == 1 and "req.py:2:1: CM303" in first.out and "model.py:2:9: CM101" in first.out
    assert "split.py:2:27: CM201" in first.out
    for folder, dirs, files in os.walk(str(cache)):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
        for f in files:
            p = os.path.join(folder, f)
            assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p
            with open(p, "rb") as fh:  # findings (JSON) and the walker's plan (marshal): any bytes
                _no_piece(fh.read().decode("latin-1"), p)
    assert any(files for _d, _s, files in os.walk(str(cache))), "nothing was cached: the test proves nothing"
    second = invoke("check", "--offline", ".", cwd=tree)  # the files with keys are analysed again
    assert (second.code, second.out) == (first.code, first.out)


# ---- 3. keys spelled in pieces or with escapes: redacted by value everywhere -------------------

SPELLINGS = {
    "implicit.py": '"sk_car_" "%s"' % BODY,
    "two_lines.py": '("sk_car_%s"\n                  "%s")' % (BODY[:11], BODY[11:]),
    "hex_escape.py": '"sk\\x5fcar_%s"' % BODY,
    "named_escape.py": '"\\N{LATIN SMALL LETTER S}k_car_%s"' % BODY,
    "plus.py": '"sk_car_" + "%s"' % BODY,
    "continued.py": '"sk_car_%s\\\n%s"' % (BODY[:9], BODY[9:]),  # a backslash-newline inside the literal
    "octal.py": '"\\163k_car_%s"' % BODY,
    "triple.py": '"""sk_car_""" u"""%s"""' % BODY,
}


def _spelled_tree(tmp_path):
    for name, literal in SPELLINGS.items():
        (tmp_path / name).write_text('from cartesia import Cartesia\nclient = Cartesia(api_key=%s)\n'
                                     'MODEL = "sonic-english"\n' % literal)
    nb = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
                     "source": ["from cartesia import Cartesia\n",
                                'client = Cartesia(api_key="sk_car_%s")\n' % BODY,
                                'MODEL = "sonic-english"\n']}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb, indent=1).replace("sk_car_", "sk\\u005fcar_")  # a JSON escape in the file
    assert "sk_car_" not in text
    (tmp_path / "nb.ipynb").write_text(text)
    return tmp_path


@pytest.mark.parametrize("args", [
    ("check", "--output-format", "text"), ("check", "--output-format", "json"),
    ("check", "--output-format", "sarif"), ("check", "--output-format", "github"),
    ("check", "--statistics"),
    ("fix", "--diff"), ("fix", "--diff", "--unsafe-fixes"), ("fix", "--diff", "--output-format", "json"),
    ("fix", "--unsafe-fixes", "--output-format", "text"), ("fix", "--output-format", "json"),
])
def test_keys_in_any_spelling_are_redacted_by_value(tmp_path, args):
    _spelled_tree(tmp_path)
    r = invoke(*args, "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code in (0, 1), r.err
    if "--diff" in args:  # every spelling is on a line of some hunk (context of the model fix)
        for name in list(SPELLINGS) + ["nb.ipynb"]:
            assert "+++ b/%s" % name in r.out
        assert "client = Cartesia(api_key=" in r.out
    _no_piece(r.out + r.err, " ".join(args))


def test_key_values_are_found_whatever_the_spelling():
    import ast

    from cartesia_migrate.redact import find_keys

    for name, literal in SPELLINGS.items():
        assert ast.literal_eval(literal.replace(" + ", " ")) == KEY, name  # each really spells the key
        assert KEY in find_keys("client = Cartesia(api_key=%s)\n" % literal), name
    assert KEY in find_keys('{"source": ["x = \\"sk\\u005fcar_%s\\"\\n"]}' % BODY)
    assert KEY in find_keys('key = "sk\\u005Fcar_%s"\n' % BODY)  # TOML / YAML escapes
    assert not find_keys('PREFIX = "sk_car_"\nx = "hello"\n')


# ---- 7. a bad sub-project pyproject.toml: one line naming it, the rest checked -----------------

@pytest.mark.parametrize("content, reason", [
    (b"tool = 1\n", "invalid pyproject.toml: `tool` must be a table, not an integer"),
    (b"\xff[tool.cartesia-migrate]\n", "invalid TOML: not UTF-8 (invalid byte 0xff at offset 0)"),
    (b"x = " + b"[" * 3000 + b"]" * 3000 + b"\n", "invalid TOML: nested too deeply"),
])
def test_a_bad_sub_project_config_is_named_and_the_rest_checked(tmp_path, content, reason):
    (tmp_path / "top.py").write_text(BAD_MODEL)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_bytes(content)
    (sub / "inner.py").write_text(BAD_MODEL)
    r = invoke("check", "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 2, r.err
    assert "top.py:2:9: CM101" in r.out
    errors = [line for line in r.err.splitlines() if ": error: " in line]
    assert errors == ["sub/pyproject.toml: error: %s (the files it applies to were not checked)" % reason]
    assert "internal error" not in r.err
    # named explicitly: the file it applies to is an error naming the config
    r = invoke("check", "--offline", "--no-cache", "top.py", "sub/inner.py", cwd=tmp_path)
    assert r.code == 2 and "top.py:2:9: CM101" in r.out
    assert "sub/inner.py: error: " in r.err and "pyproject.toml: " + reason in r.err


# ---- 8 and 11. odd file names: non-UTF-8 bytes, a newline, an escape sequence -----------------

def test_a_non_utf8_file_name_is_checked_cached_and_shown_escaped(tmp_path, monkeypatch):
    monkeypatch.setenv("CARTESIA_MIGRATE_CACHE_DIR", str(tmp_path / "cache"))
    tree = tmp_path / "src"
    tree.mkdir()
    with open(os.path.join(os.fsencode(str(tree)), b"caf\xff.py"), "w") as f:
        f.write(BAD_MODEL)
    for _ in range(2):  # the second run reads the cache
        r = invoke("check", "--offline", ".", cwd=tree)
        assert r.code == 1, r.err
        assert r.out.splitlines() == ["caf\\xff.py:2:9: CM101 Model 'sonic-english' was discontinued on "
                                      "2026-06-01: use 'sonic-3.6-2026-08-27' (the newest snapshot of sonic-3.6, the newest stable family on the bundled models list) "
                                      "[*] Replace 'sonic-english' with 'sonic-3.6-2026-08-27'"]
    # a baseline records it and reads it back (the name as its JSON escape, the file valid UTF-8)
    r = invoke("check", "--offline", "--write-baseline", str(tmp_path / "bl.json"), ".", cwd=tree)
    assert r.code == 0, r.err
    assert '"path": "src/caf\\udcff.py"' in (tmp_path / "bl.json").read_text(encoding="utf-8")
    r = invoke("check", "--offline", "--baseline", str(tmp_path / "bl.json"), ".", cwd=tree)
    assert r.code == 0 and r.out == "", r.err
    r = invoke("fix", "--offline", ".", cwd=tree)
    assert r.code == 0, r.err
    with open(os.path.join(os.fsencode(str(tree)), b"caf\xff.py")) as f:
        assert f.read() == FIXED_MODEL


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_control_characters_in_file_names_never_reach_the_terminal(tmp_path, fmt):
    (tmp_path / "two\nlines.py").write_text(BAD_MODEL)
    (tmp_path / "esc\x1b[2Jape.py").write_text(BAD_MODEL)
    (tmp_path / "bad\x1b]0;x\x07.py").write_bytes(b"import cartesia\ndef f(:\n")  # an error line
    r = invoke("check", "--offline", "--no-cache", "--output-format", fmt, ".", cwd=tmp_path)
    assert r.code == 2
    text = r.out + r.err
    assert "\x1b" not in text and "\x07" not in text
    lines = text.splitlines()
    if fmt == "text":
        assert sum(1 for line in lines if line.startswith("two\\nlines.py:2:9: CM101 ")) == 1
        assert sum(1 for line in lines if line.startswith("esc\\x1b[2Jape.py:2:9: CM101 ")) == 1
        assert sum(1 for line in lines if line.startswith("bad\\x1b]0;x\\x07.py: error: syntax error")) == 1
    else:
        assert sum(1 for line in lines if line.startswith("::error file=two%0Alines.py,")) == 1
    assert not any(line.startswith("lines.py") for line in lines)


def test_diff_headers_escape_file_names(tmp_path):
    (tmp_path / "two\nlines.py").write_text(BAD_MODEL)
    r = invoke("fix", "--diff", "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 1
    assert "--- a/two\\nlines.py" in r.out.splitlines() and "+++ b/two\\nlines.py" in r.out.splitlines()


# ---- 10. per-file-ignores compiled once; devices and FIFOs as --config / --baseline ------------

def test_twenty_thousand_per_file_ignores_globs_are_compiled_once(tmp_path, monkeypatch):
    from cartesia_migrate import config

    globs = ["generated_%d/**/*.py" % i for i in range(20000)] + ["skipped.py"]
    table = "\n".join('"%s" = ["CM101"]' % g for g in globs)
    (tmp_path / "pyproject.toml").write_text("[tool.cartesia-migrate.per-file-ignores]\n" + table + "\n")
    for name in ("a.py", "b.py", "skipped.py"):
        (tmp_path / name).write_text(BAD_MODEL)
    import re

    compiled = []

    class CountingRe:
        """``re`` as config.py sees it, counting the regexes built from these globs."""

        def __getattr__(self, name):
            return getattr(re, name)

        @staticmethod
        def compile(pattern, *a):
            if "generated_" in pattern:
                compiled.append(len(pattern))
            return re.compile(pattern, *a)

    monkeypatch.setattr(config, "re", CountingRe())
    r = invoke("check", "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 1, r.err
    assert "a.py:2:9: CM101" in r.out and "b.py:2:9: CM101" in r.out and "skipped.py" not in r.out
    assert len(compiled) == 1, "per-file-ignores globs compiled %d times" % len(compiled)


def _limited_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # on failure: MemoryError, not a swap storm


def _cli(cwd, *args):
    # the timeout is only a safety net: a blocked read would otherwise hang the suite
    return subprocess.run([sys.executable, "-m", "cartesia_migrate", *args], cwd=str(cwd), capture_output=True,
                          timeout=600, preexec_fn=_limited_memory)


NO_WRITER = "a FIFO or pipe with nothing to read (nobody writes to it); not read"
DEVICE = "not a regular file (FIFO, socket or device); not opened"


def test_config_from_a_device_or_fifo_is_refused(tmp_path):
    (tmp_path / "a.py").write_text(BAD_MODEL)
    os.mkfifo(str(tmp_path / "fifo.toml"))
    for cfg, reason in (("/dev/zero", DEVICE), ("fifo.toml", NO_WRITER)):
        r = _cli(tmp_path, "check", "--offline", "--no-cache", "--config", cfg, "a.py")
        err = r.stderr.decode()
        assert r.returncode == 2, err
        assert err.strip().splitlines()[-1] == "cartesia-migrate: error: %s: cannot read: %s" % (cfg, reason)


def test_baseline_from_a_device_or_fifo_is_refused(tmp_path):
    (tmp_path / "a.py").write_text(BAD_MODEL)
    os.mkfifo(str(tmp_path / "fifo.json"))
    for bl, reason in (("/dev/zero", DEVICE), ("fifo.json", NO_WRITER)):
        r = _cli(tmp_path, "check", "--offline", "--no-cache", "--baseline", bl, "a.py")
        err = r.stderr.decode()
        assert r.returncode == 2, err
        assert "%s: cannot read: %s" % (bl, reason) in err
        assert "Traceback" not in err
    r = _cli(tmp_path, "check", "--offline", "--no-cache", "--write-baseline", "fifo.json", "a.py")
    err = r.stderr.decode()
    assert r.returncode == 2 and "fifo.json: not written: not a regular file" in err, err
    assert stat.S_ISFIFO(os.lstat(str(tmp_path / "fifo.json")).st_mode)


def test_settings_from_a_pipe_are_read_and_bounded(tmp_path, monkeypatch):
    """`--config <(...)` works; a pipe whose writer never finishes is given up (bounded time),
    one that sends too much is refused (bounded size)."""
    from cartesia_migrate import io as cio

    r, w = os.pipe()
    os.write(w, b'[tool.cartesia-migrate]\nignore = ["CM101"]\n')
    os.close(w)
    assert b"CM101" in cio.read_setting_bytes("/dev/fd/%d" % r, 1000)
    os.close(r)
    r, w = os.pipe()  # the writer stays open and silent
    monkeypatch.setattr(cio, "PIPE_SECONDS", 0.2)
    with pytest.raises(cio.InputError, match="did not finish sending"):
        cio.read_setting_bytes("/dev/fd/%d" % r, 1000)
    os.write(w, b"x" * 2000)
    with pytest.raises(cio.InputError, match="file too large"):
        cio.read_setting_bytes("/dev/fd/%d" % r, 1000)
    os.close(w)
    os.close(r)


def test_a_huge_config_is_refused(tmp_path, monkeypatch):
    from cartesia_migrate import config

    monkeypatch.setattr(config, "MAX_CONFIG_BYTES", 1000)
    (tmp_path / "a.py").write_text(BAD_MODEL)
    (tmp_path / "big.toml").write_text("# padding\n" * 200)
    r = invoke("check", "--offline", "--no-cache", "--config", "big.toml", "a.py", cwd=tmp_path)
    assert r.code == 2 and "big.toml: cannot read: file too large" in r.err


# ---- 11. files that would pass as clean: UTF-16, invalid JSON/TOML, nested 500 deep -------------

QUIETLY_WRONG = {
    "utf16.py": (codecs.BOM_UTF16_LE + BAD_MODEL.encode("utf-16-le"), "encoded as UTF-16 (byte order mark)"),
    "utf16.json": (codecs.BOM_UTF16_LE + '{"model_id": "sonic-english"}'.encode("utf-16-le"),
                   "encoded as UTF-16 (byte order mark)"),
    "utf32.yaml": (codecs.BOM_UTF32_LE + "model_id: sonic-english\n".encode("utf-32-le"),
                   "encoded as UTF-32 (byte order mark)"),
    "bad.json": (b'{"model_id": "sonic-english",}}', "invalid JSON: "),
    "bad.toml": (b'model_id = "sonic-english\n', "invalid TOML: "),
    "deep.json": (b'{"model_id": "sonic-english", "x": ' + b"[" * 500 + b"]" * 500 + b"}",
                  "invalid JSON: nested too deeply"),
    "deep.toml": (b'model_id = "sonic-english"\nx = ' + b"[" * 500 + b"]" * 500 + b"\n",
                  "invalid TOML: nested too deeply"),
}


def test_files_holding_a_model_id_that_cannot_be_read_are_named(tmp_path):
    for name, (data, _reason) in QUIETLY_WRONG.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "fine.json").write_text('{"model_id": "sonic-3.5-2026-05-04"}')
    (tmp_path / "other.json").write_text('{"broken": ')  # mentions no model: not ours to judge
    (tmp_path / "comments.json").write_text('{\n  // VS Code settings\n  "a": 1,\n}\n')
    r = invoke("check", "--offline", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 2
    errors = {line.split(": error: ")[0]: line.split(": error: ")[1] for line in r.err.splitlines()
              if ": error: " in line}
    assert sorted(errors) == sorted(QUIETLY_WRONG)
    for name, (_data, reason) in QUIETLY_WRONG.items():
        assert errors[name].startswith(reason), (name, errors[name])
    assert "All checks passed" not in r.err


# ---- 12. read-only files are not rewritten ----------------------------------------------------

@pytest.mark.parametrize("mode", [0o444, 0o555, 0o400])
def test_a_read_only_file_is_not_rewritten(tmp_path, mode):
    p = tmp_path / "ro.py"
    p.write_text(BAD_MODEL)
    (tmp_path / "rw.py").write_text(BAD_MODEL)
    os.chmod(str(p), mode)
    before = os.stat(str(p))
    try:
        r = invoke("fix", "--offline", "--no-cache", ".", cwd=tmp_path)
        assert r.code == 1, r.err  # as for a finding it could not fix
        assert "ro.py: not fixed: read-only (mode %04o)" % mode in r.err
        assert "ro.py:2:9: CM101" in r.out and "rw.py" not in r.out
        after = os.stat(str(p))
        assert p.read_text() == BAD_MODEL and (tmp_path / "rw.py").read_text() == FIXED_MODEL
        assert (after.st_ino, after.st_mode, after.st_mtime_ns) == (before.st_ino, before.st_mode, before.st_mtime_ns)
        r = invoke("fix", "--offline", "--no-cache", "--output-format", "github", ".", cwd=tmp_path)
        assert "::warning file=ro.py,title=cartesia-migrate::not fixed: read-only" in r.out
        r = invoke("fix", "--offline", "--no-cache", "--output-format", "sarif", ".", cwd=tmp_path)
        notes = json.loads(r.out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert [n["level"] for n in notes] == ["warning"] and "ro.py: not fixed: read-only" in notes[0]["message"]["text"]
    finally:
        os.chmod(str(p), 0o644)


def test_models_never_prints_control_characters_from_the_models_list(monkeypatch):
    """A hostile models list (IDs with escape sequences): `models` shows them escaped."""
    import time

    from cartesia_migrate import cli, models

    bad = "sonic-3\x1b[2J\x1b]0;owned\x07"
    hostile = models.from_ids(["sonic-3", bad, "sonic-english"], "live", time.time())
    assert bad not in hostile.served  # the ASCII model-ID grammar drops it when the list is built
    hostile.served = hostile.served | {bad}  # and should one get past it, `models` still escapes it
    monkeypatch.setattr(cli, "_load_models", lambda offline, no_cache: hostile)
    r = invoke("models")
    assert r.code == 0, r.err
    assert "\x1b" not in r.out + r.err and "\x07" not in r.out + r.err
    assert "owned" in r.out  # shown, its control characters dropped or escaped
