import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory, monkeypatch):
    """No network, no user cache: every test gets its own cache dir and no API key."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("CARTESIA_MIGRATE_CACHE_DIR", str(cache / "cartesia-migrate"))
    monkeypatch.delenv("CARTESIA_API_KEY", raising=False)
    monkeypatch.delenv("CARTESIA_BASE_URL", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args, cwd=None, input=None, env=None):
    """Run the installed command in a subprocess (the real contract: exit codes, stdout, stderr)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([sys.executable, "-m", "cartesia_migrate", *args], cwd=cwd, input=input,
                       capture_output=True, env=e, timeout=300)
    return Result(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


@pytest.fixture
def cli():
    return run_cli
