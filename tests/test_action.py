"""The GitHub composite action (action.yml): its structure, and its shell steps run for real."""
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)  # where the installed `cartesia-migrate` command is

with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as _f:
    ACTION = yaml.safe_load(_f)
STEPS = ACTION["runs"]["steps"]
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def step(name):
    return next(s for s in STEPS if s.get("name") == name)


def expressions(obj):
    """Every expression used in the action (``${{ ... }}`` and ``if:`` conditions)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "if" and isinstance(v, str):
                yield v
            else:
                yield from expressions(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from expressions(v)
    elif isinstance(obj, str):
        yield from EXPR.findall(obj)


# ---- structure -----------------------------------------------------------------------------

def test_metadata():
    assert ACTION["name"] == "cartesia-migrate"
    assert ACTION["description"].strip()
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["branding"]) == {"icon", "color"}
    for name, spec in ACTION["inputs"].items():
        assert re.fullmatch(r"[a-z][a-z0-9-]*", name)
        assert spec["description"].strip() and "default" in spec and spec.get("required") is False
        assert isinstance(spec["default"], str)  # action inputs are strings


def test_every_run_step_has_a_shell_and_every_uses_is_pinned():
    for s in STEPS:
        assert ("run" in s) != ("uses" in s), s
        if "run" in s:
            assert s["shell"] == "bash"
        else:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", s["uses"]), s["uses"]


def test_inputs_steps_and_outputs_referenced_exist():
    ids = {s["id"] for s in STEPS if "id" in s}
    for expr in expressions(ACTION):
        for name in re.findall(r"inputs\.([\w-]+)", expr):
            assert name in ACTION["inputs"], name
        for sid, out in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr):
            assert sid in ids, sid
            assert out in {"check": ("exit-code", "sarif-file"), "cache-key": ("dir", "key", "restore-key"),
                           "restore-cache": ("cache-hit",)}[sid], out
    for out in ACTION["outputs"].values():
        assert EXPR.search(out["value"])


def test_no_expression_is_pasted_into_a_shell_script():
    # inputs reach the scripts through env: only (no script injection through an input's value)
    for s in STEPS:
        if "run" in s:
            assert "${{" not in s["run"], s["name"]


def test_sarif_is_uploaded_with_codeql_upload_sarif():
    up = step("Upload SARIF to code scanning")
    assert up["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "steps.check.outputs.sarif-file" in up["with"]["sarif_file"]
    assert "always()" in up["if"] and "inputs.mode == 'sarif'" in up["if"]
    check = step("Check")
    assert "--output-format sarif" in check["run"] and "--output-format github" in check["run"]
    # the check step never fails by itself: the upload happens first, the Result step decides
    assert step("Result")["if"].startswith("always()")
    assert STEPS.index(up) < STEPS.index(step("Result"))


def test_actions_own_yaml_is_not_a_config_file_finding():
    from cartesia_migrate.engine import check_source

    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as f:
        assert check_source(f.read(), "action.yml") == []


# ---- the shell steps, run with bash ---------------------------------------------------------

def run_step(name, env, cwd):
    e = {"PATH": BIN + os.pathsep + os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"),
         "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    e.update(env)
    # as the runner does: bash --noprofile --norc -eo pipefail
    p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step(name)["run"]], cwd=str(cwd),
                       env=e, capture_output=True, text=True, timeout=120)
    return p


def outputs(path):
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        k, _, v = line.partition("=")
        out[k] = v
    return out


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tts.py").write_text(
        "from cartesia import Cartesia\n\nclient = Cartesia(api_key='x')\n"
        "client.tts.generate(model_id='sonic-english', transcript='hi')\n", encoding="utf-8")
    (tmp_path / "ok.py").write_text("print(1)\n", encoding="utf-8")
    return tmp_path


def check_env(repo, **kw):
    env = {"INPUT_PATHS": "src\nok.py", "INPUT_ARGS": "--no-cache --select CM1", "INPUT_MODE": "sarif",
           "INPUT_BASELINE": "", "SARIF_FILE": "out.sarif", "GITHUB_OUTPUT": str(repo / "gh-output")}
    env.update(kw)
    return env


def test_check_step_writes_sarif_and_outputs(repo):
    p = run_step("Check", check_env(repo), repo)
    assert p.returncode == 0, p.stderr
    assert outputs(repo / "gh-output") == {"sarif-file": "out.sarif", "exit-code": "1"}
    sarif = json.loads((repo / "out.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["CM101"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/tts.py"
    assert results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == \
        "'sonic-3.6-2026-08-27'"


def test_check_step_github_annotations(repo):
    p = run_step("Check", check_env(repo, INPUT_MODE="github"), repo)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("::error file=src/tts.py,line=4,col=30,")
    assert outputs(repo / "gh-output") == {"exit-code": "1"}


def test_check_step_baseline_and_clean_tree(repo):
    subprocess.run([os.path.join(BIN, "cartesia-migrate"), "check", "src", "--no-cache", "--select", "CM1",
                    "--write-baseline", "bl.json"], cwd=str(repo), capture_output=True, check=True)
    p = run_step("Check", check_env(repo, INPUT_BASELINE="bl.json"), repo)
    assert p.returncode == 0
    assert outputs(repo / "gh-output")["exit-code"] == "0"
    assert json.loads((repo / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"] == []


def test_check_step_rejects_an_unknown_mode(repo):
    p = run_step("Check", check_env(repo, INPUT_MODE="junit"), repo)
    assert p.returncode == 2 and "::error title=cartesia-migrate::mode must be" in p.stdout


@pytest.mark.parametrize("code, fail, expected", [
    ("0", "true", 0), ("1", "true", 1), ("1", "false", 0), ("2", "false", 2)])
def test_result_step(tmp_path, code, fail, expected):
    p = run_step("Result", {"CODE": code, "FAIL_ON_FINDINGS": fail}, tmp_path)
    assert p.returncode == expected


@pytest.mark.parametrize("version, spec", [("", "/the/action"), ("0.1.0", "cartesia-migrate==0.1.0")])
def test_install_step(tmp_path, version, spec):
    # a stand-in `python` records what would be installed
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").write_text('#!/bin/sh\necho "$@" > "%s"\n' % (tmp_path / "args"), encoding="utf-8")
    os.chmod(str(fake / "python"), 0o755)
    env = {"VERSION": version, "ACTION_PATH": "/the/action", "PATH": str(fake) + os.pathsep + os.environ["PATH"]}
    p = subprocess.run(["bash", "-e", "-c", step("Install cartesia-migrate")["run"]], env=env,
                       capture_output=True, text=True, cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    args = (tmp_path / "args").read_text(encoding="utf-8").split()
    assert args[:3] == ["-m", "pip", "install"] and args[-1] == spec


def test_readme_workflow_uses_the_action_correctly():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", readme, re.S)]
    workflows = [b for b in blocks if isinstance(b, dict) and "jobs" in b]
    assert workflows, "the README shows a GitHub workflow"
    uses = [s for w in workflows for job in w["jobs"].values() for s in job["steps"]
            if "cartesia-migrate/cartesia-migrate@" in s.get("uses", "")]
    assert uses
    for s in uses:
        assert set(s.get("with", {})) <= set(ACTION["inputs"])
    sarif_jobs = [job for w in workflows for job in w["jobs"].values()
                  if any(s.get("with", {}).get("mode", "sarif") == "sarif" for s in job["steps"]
                         if "cartesia-migrate/cartesia-migrate@" in s.get("uses", ""))]
    assert all(job["permissions"]["security-events"] == "write" for job in sarif_jobs)


# ---- the findings cache ---------------------------------------------------------------------

def resolve(value, outputs):
    """An action value with ``${{ steps.ID.outputs.NAME }}`` / ``${{ runner.os }}`` / ``${{ github.sha }}``
    replaced as the runner would (``outputs``: step id -> its outputs)."""
    def one(m):
        expr = m.group(1)
        st = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        if st:
            return outputs.get(st.group(1), {}).get(st.group(2), "")
        return {"runner.os": "Linux", "github.sha": "0123abcd"}[expr]
    return EXPR.sub(one, value)


def step_env(name, outputs, **inputs):
    """The env: of a step as the runner sets it (inputs from ``inputs``, the action's defaults)."""
    env = {}
    for k, v in step(name).get("env", {}).items():
        inp = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", v)
        if inp:
            env[k] = inputs.get(inp.group(1), ACTION["inputs"][inp.group(1)]["default"])
        else:
            env[k] = resolve(v, outputs)
    return env


def test_cache_is_restored_before_the_check_and_saved_after_it_even_on_findings():
    restore, save = step("Restore the findings cache"), step("Save the findings cache")
    assert restore["uses"].startswith("actions/cache/restore@") and save["uses"].startswith("actions/cache/save@")
    order = [s["name"] for s in STEPS]
    assert order.index("Findings cache key") < order.index("Restore the findings cache") < order.index("Check") \
        < order.index("Save the findings cache") < order.index("Result")
    assert "always()" in save["if"] and "inputs.cache == 'true'" in save["if"]
    assert "inputs.cache == 'true'" in restore["if"] and "inputs.cache == 'true'" in step("Findings cache key")["if"]
    # one path everywhere: what is restored and saved is what the tool is told to use
    path = restore["with"]["path"]
    assert save["with"]["path"] == path == step("Check")["env"]["CARTESIA_MIGRATE_CACHE_DIR"]
    assert save["with"]["key"] == restore["with"]["key"]
    key_env = step("Findings cache key")["env"]
    assert key_env["RUNNER_OS_NAME"] == "${{ runner.os }}" and key_env["INPUT_ARGS"] == "${{ inputs.args }}"


def key_outputs(repo, **env):
    e = {"INPUT_ARGS": "", "RUNNER_OS_NAME": "Linux", "COMMIT": "c0ffee", "RUNNER_TEMP": str(repo / "_temp"),
         "GITHUB_OUTPUT": str(repo / "key-output")}
    e.update(env)
    (repo / "key-output").write_text("", encoding="utf-8")
    p = run_step("Findings cache key", e, repo)
    assert p.returncode == 0, p.stderr
    return outputs(repo / "key-output")


def test_cache_key_has_the_version_the_configuration_and_the_os(repo):
    from cartesia_migrate import __version__

    first = key_outputs(repo)
    assert os.path.isdir(first["dir"]) and first["dir"] == str(repo / "_temp" / "cartesia-migrate-cache")
    assert first["key"].startswith(first["restore-key"]) and first["key"].endswith("c0ffee")
    assert first["restore-key"].startswith("cartesia-migrate-findings-Linux-%s-" % __version__)
    assert key_outputs(repo) == first  # stable
    (repo / "src" / "other.py").write_text("x = 1\n", encoding="utf-8")
    assert key_outputs(repo) == first  # code is not configuration: the cache's entries are per file
    assert key_outputs(repo, RUNNER_OS_NAME="macOS")["restore-key"] != first["restore-key"]
    (repo / "src" / "pyproject.toml").write_text('[tool.cartesia-migrate]\nignore = ["CM105"]\n', encoding="utf-8")
    second = key_outputs(repo)
    assert second["restore-key"] != first["restore-key"]
    (repo / "cm.toml").write_text('ignore = ["CM105"]\n', encoding="utf-8")
    with_config = key_outputs(repo, INPUT_ARGS="--config cm.toml")
    assert with_config["restore-key"] not in (first["restore-key"], second["restore-key"])
    (repo / "cm.toml").write_text('ignore = ["CM104"]\n', encoding="utf-8")
    assert key_outputs(repo, INPUT_ARGS="--config cm.toml")["restore-key"] != with_config["restore-key"]
    assert key_outputs(repo, INPUT_ARGS="--config=cm.toml")["restore-key"] != with_config["restore-key"]


def test_the_actions_cache_path_is_the_one_the_tool_writes_and_reads(repo):
    outs = {"cache-key": key_outputs(repo)}
    cache_dir = resolve(step("Restore the findings cache")["with"]["path"], outs)
    assert cache_dir == outs["cache-key"]["dir"]
    env = step_env("Check", outs, paths="src\nok.py", args="--select CM1")
    assert env["CARTESIA_MIGRATE_CACHE_DIR"] == cache_dir
    env.update(SARIF_FILE="out.sarif", GITHUB_OUTPUT=str(repo / "gh-output"))
    p = run_step("Check", env, repo)
    assert p.returncode == 0, p.stderr
    assert outputs(repo / "gh-output")["exit-code"] == "1"
    entries = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(cache_dir, "findings")) for f in fs]
    assert entries and all(e.endswith(".json") for e in entries)
    # the next run (restored cache) answers from it: entries doctored to "no findings" are believed
    for e in entries:
        with open(e, "w", encoding="utf-8") as f:
            f.write("[]")
    p = run_step("Check", env, repo)
    assert p.returncode == 0, p.stderr
    assert outputs(repo / "gh-output")["exit-code"] == "0"
    assert json.loads((repo / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"] == []
