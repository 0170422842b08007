"""Baselines: --write-baseline records today's findings, --baseline reports only new ones;
entries match by rule, path and a fingerprint of the code, so moved lines stay baselined."""
import json
import os

import pytest

from tests.inproc import invoke

from cartesia_migrate import baseline as bl

APP = (
    "from cartesia import Cartesia\n"
    "\n"
    "client = Cartesia(api_key='x')\n"
    "client.tts.generate(model_id=\"sonic-english\", transcript=\"a\")\n"
    "client.tts.generate(model_id=\"sonic-2\", transcript=\"b\")\n"
)
ARGS = ("--no-cache", "--select", "CM1")


def write(p, text):
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "src" / "app.py", APP)
    write(tmp_path / ".env", "CARTESIA_MODEL=sonic-3\n")
    return tmp_path


def test_write_baseline_records_every_finding_and_exits_0(project):
    r = invoke("check", ".", "--write-baseline", "baseline.json", *ARGS, cwd=project)
    assert r.code == 0, r.err
    assert "Wrote 3 findings to the baseline baseline.json" in r.err
    data = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert data["cartesia-migrate-baseline"] == 1
    assert [(e["code"], e["path"]) for e in data["findings"]] == [
        ("CM105", ".env"), ("CM101", "src/app.py"), ("CM103", "src/app.py")]
    assert all(len(e["fingerprint"]) == 16 for e in data["findings"])


def test_baseline_hides_recorded_findings(project):
    invoke("check", ".", "--write-baseline", "baseline.json", *ARGS, cwd=project)
    r = invoke("check", ".", "--baseline", "baseline.json", *ARGS, cwd=project)
    assert r.code == 0, r.out + r.err
    assert r.out == ""
    assert "3 findings in the baseline baseline.json not shown" in r.err


def test_moved_lines_stay_baselined_and_new_findings_are_reported(project):
    invoke("check", ".", "--write-baseline", "baseline.json", *ARGS, cwd=project)
    # code added above moves every finding down; a new problem is added at the end
    moved = "import os\n# a comment\n\n" + APP.replace("client = Cartesia(api_key='x')\n",
                                                         "client = Cartesia(\n    api_key='x',\n)\n")
    moved += "client.tts.generate(model_id=\"sonic\", transcript=\"c\")\n"
    write(project / "src" / "app.py", moved)
    write(project / ".env", "# settings\n\nOTHER=1\nCARTESIA_MODEL=sonic-3\n")
    r = invoke("check", ".", "--baseline", "baseline.json", *ARGS, cwd=project)
    assert r.code == 1
    lines = r.out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("src/app.py:11:30: CM101 Model 'sonic' ")


def test_a_second_copy_of_baselined_code_is_new(project):
    invoke("check", ".", "--write-baseline", "baseline.json", *ARGS, cwd=project)
    write(project / "src" / "app.py", APP + "client.tts.generate(model_id=\"sonic-english\", transcript=\"a\")\n")
    r = invoke("check", ".", "--baseline", "baseline.json", *ARGS, cwd=project)
    assert r.code == 1 and len(r.out.splitlines()) == 1


def test_baseline_paths_do_not_depend_on_the_working_directory(project):
    invoke("check", ".", "--write-baseline", "baseline.json", *ARGS, cwd=project)
    r = invoke("check", "app.py", "--baseline", os.path.join("..", "baseline.json"), *ARGS, cwd=project / "src")
    assert r.code == 0, r.out + r.err
    r = invoke("check", str(project / "src"), "--baseline", str(project / "baseline.json"), *ARGS,
            cwd=str(project.parent))
    assert r.code == 0, r.out + r.err


def test_stale_entries_are_reported(project):
    invoke("check", ".", "--write-baseline", "baseline.json", *ARGS, cwd=project)
    write(project / ".env", "CARTESIA_MODEL=sonic-3-2026-01-12\n")
    r = invoke("check", ".", "--baseline", "baseline.json", *ARGS, cwd=project)
    assert r.code == 0
    assert "1 baseline entry no longer found" in r.err


def test_fix_with_a_baseline_fixes_but_reports_only_new_leftovers(project):
    invoke("check", ".", "--write-baseline", "baseline.json", *ARGS, cwd=project)
    r = invoke("fix", ".", "--baseline", "baseline.json", *ARGS, cwd=project)
    # the safe fixes are applied; the baselined unsafe CM103 is not reported, so exit 0
    assert r.code == 0, r.out + r.err
    assert "sonic-3.6-2026-08-27" in (project / "src" / "app.py").read_text(encoding="utf-8")
    assert r.out == ""


def test_fix_write_baseline_records_what_is_left(project):
    r = invoke("fix", ".", "--write-baseline", "left.json", *ARGS, cwd=project)
    assert r.code == 0
    data = json.loads((project / "left.json").read_text(encoding="utf-8"))
    assert [e["code"] for e in data["findings"]] == ["CM103"]


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{", "not valid JSON"),
    ('{"findings": []}', "not a cartesia-migrate baseline"),
    ('{"cartesia-migrate-baseline": 1, "findings": [{"code": 1}]}', "malformed entry"),
])
def test_bad_baseline_files_are_usage_errors(project, content, message):
    if content is not None:
        write(project / "b.json", content)
    r = invoke("check", ".", "--baseline", "b.json", *ARGS, cwd=project)
    assert r.code == 2 and message in r.err and "b.json" in r.err


def test_json_and_sarif_outputs_respect_the_baseline(project):
    invoke("check", ".", "--write-baseline", "baseline.json", *ARGS, cwd=project)
    write(project / "src" / "new.py", "import cartesia\nMODEL_ID = 'sonic'\n")
    r = invoke("check", ".", "--baseline", "baseline.json", "--output-format", "json", *ARGS, cwd=project)
    assert [d["filename"] for d in json.loads(r.out)] == ["src/new.py"]
    r = invoke("check", ".", "--baseline", "baseline.json", "--output-format", "sarif", *ARGS, cwd=project)
    results = json.loads(r.out)["runs"][0]["results"]
    assert [x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in results] == ["src/new.py"]


def test_api_round_trip(tmp_path):
    from cartesia_migrate.engine import check_paths

    write(tmp_path / "a.py", APP)
    run = check_paths([str(tmp_path)], use_cache=False)
    n = bl.write(str(tmp_path / "b.json"), run.findings)
    assert n == len(run.findings) > 0
    run2 = check_paths([str(tmp_path)], use_cache=False)
    applied = bl.apply(run2, bl.load(str(tmp_path / "b.json")))
    assert applied.baselined == n and applied.stale == 0 and run2.findings == []


def test_keys_are_never_written_in_full(tmp_path, cli):
    key = "sk_car_" + "Xy7Qp2Lm9Rt4Vb8Nc3Wd6"
    write(tmp_path / "k.py", "import cartesia\nc = cartesia.Cartesia(api_key=%r)\n" % key)
    r = cli("check", ".", "--write-baseline", "b.json", "--no-cache", cwd=tmp_path)
    assert r.code == 0
    assert key not in (tmp_path / "b.json").read_text(encoding="utf-8")
