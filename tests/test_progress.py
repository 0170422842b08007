"""The progress bar of long runs: on stderr when it is a terminal (a pseudo-terminal here), never
when piped, in machine formats or with --quiet; erased before the report."""
import io
import os
import subprocess
import sys

import pytest

from cartesia_migrate.progress import MIN_FILES, ProgressBar, for_run

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")

BAR = b"cartesia-migrate: checking ["
APP = 'from cartesia import Cartesia\nclient = Cartesia(api_key=KEY)\nMODEL = "sonic-english"\n'


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("many")
    for i in range(60):
        (root / f"app{i:02d}.py").write_text(APP, encoding="utf-8")
    return root


def run_on_tty(*args, cwd, stderr_tty=True):
    """Run the command with stderr on a pseudo-terminal (or a pipe); stdout goes to a file.
    Reads the terminal until the process has closed it (EOF / EIO), then waits for it."""
    env = dict(os.environ, TERM="xterm", COLUMNS="100")
    out_path = os.path.join(str(cwd), ".stdout")
    with open(out_path, "wb") as out:
        if stderr_tty:
            master, slave = os.openpty()
            p = subprocess.Popen([sys.executable, "-m", "cartesia_migrate", *args], cwd=str(cwd), env=env,
                                 stdin=subprocess.DEVNULL, stdout=out, stderr=slave)
            os.close(slave)
            chunks = []
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: every writer closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            os.close(master)
            err = b"".join(chunks)
            code = p.wait(timeout=300)
        else:
            p = subprocess.run([sys.executable, "-m", "cartesia_migrate", *args], cwd=str(cwd), env=env,
                               stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE, timeout=300)
            err, code = p.stderr, p.returncode
    with open(out_path, "rb") as f:
        stdout = f.read()
    os.unlink(out_path)
    return code, stdout, err


def test_bar_on_a_terminal_erased_before_the_summary(tree):
    code, out, err = run_on_tty("check", "--no-cache", ".", cwd=tree)
    assert code == 1 and out.count(b"CM101") == 60
    assert BAR in err
    assert b" 60/60 files " in err  # files done / total ...
    assert b"s\x1b[K" in err  # ... and the elapsed seconds, each redraw erasing the rest of the line
    last = err.rindex(BAR)
    # erased ("\r" + erase line) after its last drawing, before anything else is printed
    erase = err.index(b"\r\x1b[K", last)
    assert err[erase + 4:].lstrip(b"\r\n").startswith(b"cartesia-migrate: models:")
    assert b"60 findings found" in err[erase:]


def test_no_bar_when_piped(tree):
    code, out, err = run_on_tty("check", "--no-cache", ".", cwd=tree, stderr_tty=False)
    assert code == 1 and out.count(b"CM101") == 60
    assert BAR not in err and b"\x1b" not in err and b"60 findings found" in err


def test_no_bar_with_a_machine_format(tree):
    code, out, err = run_on_tty("check", "--no-cache", "--output-format", "json", ".", cwd=tree)
    assert code == 1 and out.count(b'"CM101"') == 60
    assert BAR not in err and b"\x1b" not in err


def test_quiet_prints_the_findings_only(tree):
    code, out, err = run_on_tty("check", "--no-cache", "--quiet", ".", cwd=tree)
    assert code == 1 and out.count(b"CM101") == 60
    assert err == b""  # no bar, no models line, no summary


def test_quiet_keeps_errors(tmp_path):
    (tmp_path / "bad.py").write_text("import cartesia\ndef f(:\n", encoding="utf-8")
    code, out, err = run_on_tty("check", "--no-cache", "-q", ".", cwd=tmp_path, stderr_tty=False)
    assert code == 2 and b"bad.py: error:" in err and b"could not be checked" not in err


# ---- the bar itself (in process) ----------------------------------------------------------------

class Tty(io.StringIO):
    def isatty(self):
        return True


def test_short_runs_show_nothing():
    s = Tty()
    bar = ProgressBar(s, clock=iter(range(1000)).__next__)
    for i in range(MIN_FILES):
        bar(i, MIN_FILES - 1)
    bar.clear()
    assert s.getvalue() == ""


def test_line_fits_the_terminal_and_counts():
    bar = ProgressBar(Tty(), clock=lambda: 0.0)
    line = bar.line(30, 120, 2.345)
    assert line.startswith("cartesia-migrate: checking [") and line.endswith("] 30/120 files 2.3s")
    room = line.count("#") + line.count("-")
    assert len(line) <= 79 and line.count("#") == room * 30 // 120 > 0


def test_only_text_on_a_terminal_without_quiet():
    assert for_run("text", False, Tty()) is not None
    assert for_run("TEXT", False, Tty()) is not None
    for fmt in ("json", "sarif", "github"):
        assert for_run(fmt, False, Tty()) is None
    assert for_run("text", True, Tty()) is None
    assert for_run("text", False, io.StringIO()) is None
