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


# Loaded by every Python process of the run under test (main and workers, whatever the start
# method) through PYTHONPATH: it pauses each process right after its first fixed file is in
# place, tells the test (a line in READY), and waits for the test's go (the RELEASE file).
# The test then interrupts a run that has provably fixed some files and not others: nothing
# depends on how fast the machine is.  It also notes when the main process starts stopping
# (ProcessPoolExecutor.shutdown(cancel_futures=True)), and can SIGKILL the whole process group
# right before the N-th rename of a fixed file (a kill in the middle of a write).
SITECUSTOMIZE = r'''
import os
import signal
import time

_ready = os.environ.get("CM_TEST_READY")
_release = os.environ.get("CM_TEST_RELEASE")
_kill_at = int(os.environ.get("CM_TEST_KILL_GROUP_AT_RENAME") or 0)
_renames = [0]


def _note(path, line):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


if _ready or _kill_at:
    _real_replace = os.replace

    def _replace(src, dst, *a, **k):
        fixed_file = os.path.basename(str(src)).startswith(".cartesia-migrate-") and str(dst).endswith(".py")
        if fixed_file:
            _renames[0] += 1
            if _renames[0] == _kill_at:
                _note(_ready, "killing %d\n" % os.getpid())
                os.killpg(0, signal.SIGKILL)
        _real_replace(src, dst, *a, **k)
        if fixed_file and _release and _renames[0] == 1:
            _note(_ready, "fixed %s in %d\n" % (dst, os.getpid()))
            while not os.path.exists(_release):  # the test's go
                time.sleep(0.005)

    os.replace = _replace

    import concurrent.futures

    _real_shutdown = concurrent.futures.ProcessPoolExecutor.shutdown

    def _shutdown(self, wait=True, *, cancel_futures=False):
        if cancel_futures:
            _note(_ready + ".stopping", "stopping\n")
        return _real_shutdown(self, wait, cancel_futures=cancel_futures)

    concurrent.futures.ProcessPoolExecutor.shutdown = _shutdown
'''


class Hook:
    """The files through which the run under test and the test talk (see SITECUSTOMIZE)."""

    def __init__(self, root, kill_at=0, pause=True):
        base = root.parent / (root.name + "-hook")
        base.mkdir(exist_ok=True)
        (base / "sitecustomize.py").write_text(SITECUSTOMIZE)
        self.ready = base / "ready"
        self.release = base / "release"
        self.env = {"PYTHONPATH": os.pathsep.join([str(base)] + [p for p in sys.path if p]),
                    "CM_TEST_READY": str(self.ready)}
        if pause:
            self.env["CM_TEST_RELEASE"] = str(self.release)
        if kill_at:
            self.env["CM_TEST_KILL_GROUP_AT_RENAME"] = str(kill_at)

    def wait_ready(self, proc):
        """Until a process of the run has fixed a file and paused (or the run ended)."""
        return _wait_until(lambda: self.ready.exists() and self.ready.read_text().endswith("\n"), proc)

    def wait_stopping(self, proc):
        """Until the main process, interrupted, has cancelled the queued files."""
        return _wait_until(lambda: (self.ready.parent / "ready.stopping").exists(), proc)

    def go(self):
        self.release.write_text("go\n")


def _wait_until(condition, proc, safety_net=600):
    """Poll for an event the run under test makes happen; the deadline is only a safety net
    (a hung run must not hang the suite)."""
    deadline = time.monotonic() + safety_net
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return condition()
        time.sleep(0.01)
    raise AssertionError("the run under test never got there (%ds)" % safety_net)


def _start(root, *extra, hook=None):
    env = dict(os.environ, **(hook.env if hook else {}))
    return subprocess.Popen([sys.executable, "-m", "cartesia_migrate", "fix", "--offline", "--no-cache", *extra, "."],
                            cwd=str(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_default_sigint, env=env)


def _default_sigint():
    # pytest-xdist workers ignore SIGINT and children inherit SIG_IGN, so Python would install no
    # KeyboardInterrupt handler: give the child what a terminal gives it
    signal.signal(signal.SIGINT, signal.SIG_DFL)


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


def _group_gone(pgid):
    """Whether every process of the group exits (workers follow their main process at once:
    PR_SET_PDEATHSIG, or their watcher thread within a second); the wait is a safety net."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _finish_and_verify(root, want):
    p = _start(root)
    out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err.decode()
    assert _states(want) == {"old": 0, "new": len(want)}
    assert _temp_files(root) == []


@pytest.mark.parametrize("target", ["group", "main"])
def test_ctrl_c_during_parallel_fix(tmp_path, target):
    """120 files (worker processes): Ctrl-C to the whole group, or SIGINT to the main process only."""
    want = _tree(tmp_path, 120)
    hook = Hook(tmp_path)
    proc = _start(tmp_path, hook=hook)
    started = hook.wait_ready(proc)
    if target == "group":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGINT)
    hook.wait_stopping(proc)  # queued files cancelled: now let the running ones finish
    hook.go()
    out, err = proc.communicate(timeout=600)
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
    """Few large files: fixed one by one in the main process, which is paused after the first
    (inside the write, with the signals held): the Ctrl-C lands right after it."""
    big = [(n, raw + FILLER.encode() * 20) for n, raw in TEMPLATES if n != "crlf"]
    want = _tree(tmp_path, 12, big)
    hook = Hook(tmp_path)
    proc = _start(tmp_path, hook=hook)
    started = hook.wait_ready(proc)
    os.killpg(proc.pid, signal.SIGINT)
    hook.go()
    out, err = proc.communicate(timeout=600)
    assert started and proc.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    assert _states(want) == {"new": 1, "old": 11}
    assert _temp_files(tmp_path) == []
    _finish_and_verify(tmp_path, want)


@pytest.mark.parametrize("moment", ["after a write", "before a rename"])
def test_sigkill_leaves_no_half_written_file(tmp_path, moment):
    """kill -9 of the whole group: while a process has just fixed a file, or right before the
    rename of the 3rd file a process fixes (its temp file written and synced)."""
    want = _tree(tmp_path, 100)
    if moment == "after a write":
        hook = Hook(tmp_path)
        proc = _start(tmp_path, hook=hook)
        assert hook.wait_ready(proc)
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        hook = Hook(tmp_path, kill_at=3, pause=False)
        proc = _start(tmp_path, hook=hook)
    proc.communicate(timeout=600)
    assert proc.returncode == -signal.SIGKILL
    assert _group_gone(proc.pid)
    counts = _states(want)  # every file whole: original or completely fixed
    assert counts["old"] >= 1
    if moment == "before a rename":
        assert _temp_files(tmp_path), "the kill did not land inside a write"
    # the next run removes the temp file a kill inside a write leaves
    _finish_and_verify(tmp_path, want)


def test_sigterm_to_the_main_process_stops_like_ctrl_c(tmp_path):
    """`timeout 60 cartesia-migrate fix .` or a CI cancel: SIGTERM to the main process only.
    Its workers must not outlive it (they would hold the CI step's output pipes open)."""
    want = _tree(tmp_path, 120)
    hook = Hook(tmp_path)
    proc = _start(tmp_path, hook=hook)
    assert hook.wait_ready(proc)
    os.kill(proc.pid, signal.SIGTERM)
    hook.wait_stopping(proc)
    hook.go()
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 128 + signal.SIGTERM, err.decode()
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    assert _group_gone(proc.pid)
    counts = _states(want)
    assert counts["new"] >= 1 and counts["old"] >= 1, counts
    assert _temp_files(tmp_path) == []


def test_workers_do_not_outlive_a_killed_main_process(tmp_path):
    want = _tree(tmp_path, 120)
    hook = Hook(tmp_path)  # never released: only the main process's death ends the workers
    proc = _start(tmp_path, hook=hook)
    assert hook.wait_ready(proc)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only: its workers are orphaned
    proc.wait(timeout=600)
    assert _group_gone(proc.pid), "orphaned workers kept running"
    proc.communicate(timeout=600)  # and the pipes they held are closed
    _states(want)


def test_two_fix_runs_at_once(tmp_path):
    want = _tree(tmp_path, 100)
    a = _start(tmp_path)
    b = _start(tmp_path)
    out_a, err_a = a.communicate(timeout=600)
    out_b, err_b = b.communicate(timeout=600)
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
