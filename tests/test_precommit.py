"""The pre-commit hooks, run for real: ``pre-commit try-repo`` on this checkout.

pre-commit builds the hook's virtualenv with ``pip install`` of this project, so the test needs
the package index (as CI has) and takes a while the first time; pip's own cache is kept (the
suite isolates XDG_CACHE_HOME, so the user's pip cache dir is passed on explicitly).
"""
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOOKS_FILE = os.path.join(ROOT, ".pre-commit-hooks.yaml")

# read before the suite's autouse fixture points XDG_CACHE_HOME at a temporary folder
_PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pip")


def test_hooks_file_declares_check_and_fix():
    with open(HOOKS_FILE, encoding="utf-8") as f:
        hooks = {h["id"]: h for h in yaml.safe_load(f)}
    assert set(hooks) == {"cartesia-migrate", "cartesia-migrate-fix"}
    assert hooks["cartesia-migrate"]["entry"] == "cartesia-migrate check"
    assert hooks["cartesia-migrate-fix"]["entry"] == "cartesia-migrate fix"
    for h in hooks.values():
        assert h["language"] == "python"
        assert {"python", "pyi", "jupyter", "json", "yaml", "toml", "dotenv"} <= set(h["types_or"])


def test_hooks_file_is_valid_for_pre_commit():
    from identify.identify import ALL_TAGS
    from pre_commit.clientlib import load_manifest

    hooks = load_manifest(HOOKS_FILE)  # raises on a schema error
    for h in hooks:
        assert set(h["types_or"]) <= ALL_TAGS


def test_every_hook_file_type_has_a_handler():
    """Every file pre-commit hands the hooks (by identify's tags) is one the tool reads as such."""
    from identify.identify import tags_from_filename

    from cartesia_migrate.filetypes import kind_of

    names = ["a.py", "b.pyi", "c.ipynb", "d.json", "e.yaml", "f.yml", "g.toml", "prod.env",
             "Pipfile", "pyproject.toml", "h.geojson", ".clang-format"]
    wanted = {"python", "pyi", "jupyter", "json", "yaml", "toml", "dotenv"}
    for name in names:
        tags = tags_from_filename(name)
        if tags & wanted:
            assert kind_of(name) is not None, name
    assert kind_of("c.ipynb") == "notebook"
    assert kind_of("d.json") == kind_of(".env") == kind_of(".env.local") == "config"


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                            GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com"))


def _snapshot_of_this_checkout(dest):
    """This working tree (uncommitted changes included) as a one-commit git repository."""
    os.makedirs(dest)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("cartesia_migrate", "rules"):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(dest, name), ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(os.path.join(ROOT, name), dest)
    _git("init", "-q", cwd=dest)
    _git("add", ".", cwd=dest)
    _git("commit", "-q", "-m", "snapshot", cwd=dest)


NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Demo: sonic-english"]},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["%pip install cartesia\n", "from cartesia import Cartesia\n",
                    "MODEL = \"sonic-english\""]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.mark.slow
def test_try_repo_check_then_fix(tmp_path):
    if shutil.which("git") is None:
        pytest.fail("git is required for pre-commit")
    hooks_repo = str(tmp_path / "hooks-repo")
    _snapshot_of_this_checkout(hooks_repo)

    work = tmp_path / "project"
    work.mkdir()
    (work / "app.py").write_text(
        "from cartesia import Cartesia\n\n"
        "client = Cartesia(api_key='x')\n"
        "client.tts.generate(model_id=\"sonic-english\", transcript=\"hi\")\n", encoding="utf-8")
    (work / "clean.py").write_text("print('nothing to see')\n", encoding="utf-8")
    (work / "tts.yaml").write_text("provider: cartesia\nmodel: sonic-english  # the voice model\n",
                                   encoding="utf-8")
    (work / "demo.ipynb").write_text(json.dumps(NOTEBOOK, indent=1) + "\n", encoding="utf-8")
    _git("init", "-q", cwd=str(work))
    _git("add", ".", cwd=str(work))

    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PIP_CACHE_DIR=_PIP_CACHE,
               PRE_COMMIT_COLOR="never", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("CARTESIA_API_KEY", None)
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", hooks_repo, "--ref", "HEAD", "--all-files",
           "--color", "never", "--verbose"]

    first = subprocess.run(cmd, cwd=str(work), capture_output=True, text=True, env=env, timeout=900)
    out = first.stdout + first.stderr
    assert first.returncode == 1, out
    # the check hook reports (python, notebook cell, config file), the fix hook rewrites
    assert "app.py:4:" in out and "CM101" in out, out
    assert "demo.ipynb:cell 2:3:" in out, out
    assert "tts.yaml:2:" in out, out
    assert "files were modified by this hook" in out, out

    assert '"sonic-3.6-2026-08-27"' in (work / "app.py").read_text(encoding="utf-8")
    assert (work / "tts.yaml").read_text(encoding="utf-8") == \
        "provider: cartesia\nmodel: sonic-3.6-2026-08-27  # the voice model\n"
    nb = json.loads((work / "demo.ipynb").read_text(encoding="utf-8"))
    assert nb["cells"][1]["source"][2] == "MODEL = \"sonic-3.6-2026-08-27\""
    assert nb["cells"][1]["source"][0] == "%pip install cartesia\n"
    assert (work / "clean.py").read_text(encoding="utf-8") == "print('nothing to see')\n"

    # second run: nothing left; the hook environment is reused (fast)
    second = subprocess.run(cmd, cwd=str(work), capture_output=True, text=True, env=env, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
