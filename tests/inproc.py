"""Run the command line in this process (click's CliRunner): the same code path as the installed
command, without a subprocess's ~1-2 s of start-up per call.  ``tests/conftest.py``'s ``cli`` fixture
stays the way to test the real process contract (exit codes, streams, encodings)."""
import os
from dataclasses import dataclass


@dataclass
class Result:
    code: int
    out: str
    err: str


def invoke(*args, cwd=None):
    from click.testing import CliRunner

    from cartesia_migrate.cli import main

    old = os.getcwd()
    if cwd is not None:
        os.chdir(str(cwd))
    try:
        r = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return Result(r.exit_code, r.stdout, r.stderr)
