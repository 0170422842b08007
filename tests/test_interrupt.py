"""Interruption and concurrency, with real processes and real signals: Ctrl-C (SIGINT to the
process group, as a terminal sends it, or to the main process alone), SIGKILL, and two ``fix``
runs on one tree at once.  Every file must end up either byte-identical to the original or
byte-identical to the complete fix; no temp file may remain (after SIGKILL: once the next run
has written into the folder)."""
import os
import signal
import subprocess
import sys
import time

import pytest

from cartesia_migrate.engine import fix_source

# FIFOs, symlinks, POSIX signals and modes: the contract is the same on Windows, these tests are not
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file system and signals")

FILLER = "".join("def helper_%d(a, b):\n    return (a + b) * %d\n\n\n" % (i, i) for i in range(40))
TEMPLATES = [
    ("lf", b'from cartesia import Cartesia\nMODEL = "sonic-english"\n' + FILLER.encode()),
    ("crlf", ('"""Client."""\nfrom cartesia import Cartesia\n\nclient = Cartesia()\n'
              'LANG = {"model_id": "sonic-multilingual"}\n' + FILLER).replace("\n", "\r\n").encode()),
    ("latin1", ('# -*- coding: latin-1 -*-\n"""Café."""\nfrom cartesia import Cartesia\n'
                'MODEL = "sonic-english"  # déjà\n' + FILLER).encode("latin-1")),
]


def _expected(raw, name):
    """The fixed bytes, computed in this process (the same engine, no CLI)."""
    from cartesia_migrate.io import encode, source_from_bytes

    src = source_from_bytes(name, raw)
    fixed, _ = fix_source(src.text, name)
    assert fixed != src.text
    return encode(src, fixed)


def _tree(root, count, templates=TEMPLATES):
    want = {}
    expected = {name: _expected(raw, "x.py") for name, raw in templates}
    for i in range(count):
        name, raw = templates[i % len(templates)]
        sub = root / ("pkg%d" % (i % 5))
        sub.mkdir(exist_ok=True)
        p = sub / ("m%03d_%s.py" % (i, name))
        p.write_bytes(raw)
        want[str(p)] = (raw, expected[name])
    return want


def _start(root, *extra):
    return subprocess.Popen([sys.executable, "-m", "cartesia_migrate", "fix", "--offline", "--no-cache", *extra, "."],
                            cwd=str(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_default_sigint)


def _default_sigint():
    # pytest-xdist workers ignore SIGINT and children inherit SIG_IGN, so Python would install no
    # KeyboardInterrupt handler: give the child what a terminal gives it
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_first_fix(proc, want, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path, (_old, new) in want.items():
            try:
                with open(path, "rb") as f:
                    if f.read() == new:
                        return True
            except OSError:
                pass
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError("no file was fixed within %ds" % timeout)


def _states(want):
    """{'old': n, 'new': n}; fails on any file that is neither."""
    counts = {"old": 0, "new": 0}
    for path, (old, new) in want.items():
        with open(path, "rb") as f:
            data = f.read()
        if data == old:
            counts["old"] += 1
        elif data == new:
            counts["new"] += 1
        else:
            raise AssertionError("%s is neither the original nor the fixed file (%d bytes)" % (path, len(data)))
    return counts


def _temp_files(root):
    return [os.path.join(d, f) for d, _s, fs in os.walk(str(root)) for f in fs if f.startswith(".cartesia-migrate-")]


def _group_gone(pgid, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _finish_and_verify(root, want):
    p = _start(root)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err.decode()
    assert _states(want) == {"old": 0, "new": len(want)}
    assert _temp_files(root) == []


@pytest.mark.parametrize("target", ["group", "main"])
def test_ctrl_c_during_parallel_fix(tmp_path, target):
    """120 files (worker processes): Ctrl-C to the whole group, or SIGINT to the main process only."""
    want = _tree(tmp_path, 120)
    proc = _start(tmp_path)
    started = _wait_for_first_fix(proc, want)
    if target == "group":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    err = err.decode()
    assert started, "the run finished before it could be interrupted"
    assert proc.returncode == 130, err
    assert "interrupted; every file is either unchanged or completely fixed" in err
    assert "Traceback" not in err
    assert _group_gone(proc.pid), "worker processes outlived the interrupted run"
    counts = _states(want)
    assert counts["new"] >= 1 and counts["old"] >= 1, counts  # really stopped half-way
    assert _temp_files(tmp_path) == []
    _finish_and_verify(tmp_path, want)


def test_ctrl_c_during_serial_fix(tmp_path):
    """Few large files: fixed one by one in the main process."""
    big = [(n, raw + FILLER.encode() * 20) for n, raw in TEMPLATES if n != "crlf"]
    want = _tree(tmp_path, 12, big)
    proc = _start(tmp_path)
    started = _wait_for_first_fix(proc, want)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert started and proc.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    counts = _states(want)
    assert counts["new"] >= 1 and counts["old"] >= 1, counts
    assert _temp_files(tmp_path) == []
    _finish_and_verify(tmp_path, want)


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_sigkill_leaves_no_half_written_file(tmp_path, delay):
    want = _tree(tmp_path, 100)
    proc = _start(tmp_path)
    assert _wait_for_first_fix(proc, want)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert _group_gone(proc.pid)
    _states(want)  # every file whole: original or completely fixed
    # a temp file may remain if the kill landed inside a write: the next run removes it
    _finish_and_verify(tmp_path, want)


def test_sigterm_to_the_main_process_stops_like_ctrl_c(tmp_path):
    """`timeout 60 cartesia-migrate fix .` or a CI cancel: SIGTERM to the main process only.
    Its workers must not outlive it (they would hold the CI step's output pipes open)."""
    want = _tree(tmp_path, 120)
    proc = _start(tmp_path)
    assert _wait_for_first_fix(proc, want)
    os.kill(proc.pid, signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err.decode()
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    assert _group_gone(proc.pid)
    counts = _states(want)
    assert counts["new"] >= 1 and counts["old"] >= 1, counts
    assert _temp_files(tmp_path) == []


def test_workers_do_not_outlive_a_killed_main_process(tmp_path):
    want = _tree(tmp_path, 120)
    proc = _start(tmp_path)
    assert _wait_for_first_fix(proc, want)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only: its workers are orphaned
    proc.wait(timeout=30)
    assert _group_gone(proc.pid, timeout=15), "orphaned workers kept running"
    proc.communicate(timeout=30)  # and the pipes they held are closed
    _states(want)


def test_two_fix_runs_at_once(tmp_path):
    want = _tree(tmp_path, 100)
    a = _start(tmp_path)
    b = _start(tmp_path)
    out_a, err_a = a.communicate(timeout=300)
    out_b, err_b = b.communicate(timeout=300)
    assert (a.returncode, b.returncode) == (0, 0), (err_a.decode(), err_b.decode())
    assert "error" not in err_a.decode() + err_b.decode()
    assert _states(want) == {"old": 0, "new": len(want)}
    assert _temp_files(tmp_path) == []


def test_a_file_edited_during_the_fix_is_not_clobbered(tmp_path, monkeypatch):
    """An editor saves the file between our read and our write: we read it again and fix that."""
    from cartesia_migrate import engine, io

    p = tmp_path / "a.py"
    p.write_text('from cartesia import Cartesia\nMODEL = "sonic-english"\n')
    real = io.write_atomic
    calls = []

    def editor_saves_first(path, data, mode=None, expect=None):
        if not calls:
            with open(path, "w") as f:  # the user's edit lands right now
                f.write('from cartesia import Cartesia\nMODEL = "sonic-english"  # edited\n')
        calls.append(expect)
        return real(path, data, mode, expect=expect)

    monkeypatch.setattr(engine, "write_atomic", editor_saves_first)
    from cartesia_migrate import models

    run = engine.fix_paths([str(p)], models=models.bundled(), use_cache=False)
    assert not run.errors and len(calls) == 2
    assert p.read_text() == 'from cartesia import Cartesia\nMODEL = "sonic-3.6-2026-08-27"  # edited\n'
