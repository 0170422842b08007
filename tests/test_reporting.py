"""What the CLI tells: --statistics with the readiness summary, fix's report of what it changed and
what it left, the text output's fix and applicability, rules --output-format json, explain for
every code, and shell completion."""
import json
import os

import pytest

from tests.inproc import invoke

from cartesia_migrate import catalog
from cartesia_migrate.finding import Finding, Fix
from cartesia_migrate.readiness import BROKEN, DEPRECATED, HYGIENE, UPCOMING, group_of, readiness

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = (
    "import os\n"
    "from cartesia import Cartesia\n"
    "\n"
    "client = Cartesia(api_key=os.environ['CARTESIA_API_KEY'])\n"
    "client.tts.generate(model_id=\"sonic-english\", transcript=\"a\")\n"
    "client.tts.generate(model_id=\"sonic-2\", transcript=\"b\")\n"
    "client.tts.generate(model_id=\"sonic-3\", transcript=\"c\")\n"
    "URL = \"http://api.cartesia.ai/tts/bytes\"\n"
)


def _f(code, fix=None, path="a.py"):
    return Finding(code, catalog.get(code).name, "m", path, (1, 1), (1, 2), fix=fix)


def test_every_code_has_a_readiness_group():
    groups = {c: group_of(c, today="2026-11-25")[0] for c in catalog.CATALOG}
    assert groups["CM101"] == groups["CM102"] == groups["CM104"] == groups["CM106"] == BROKEN
    assert groups["CM103"] == groups["CM301"] == groups["CM305"] == groups["CM401"] == DEPRECATED
    assert groups["CM105"] == groups["CM201"] == groups["CM204"] == HYGIENE
    # before the sunset date the same rules are "upcoming", with their date
    assert group_of("CM101", today="2026-05-01") == (UPCOMING, "2026-06-01")


def test_readiness_counts_and_fixability():
    safe = Fix("safe", "x", ())
    unsafe = Fix("unsafe", "x", ())
    groups = readiness([_f("CM101", safe), _f("CM101", safe, "b.py"), _f("CM102"), _f("CM103", unsafe),
                        _f("CM105", safe)], today="2026-11-25")
    assert [(g["group"], g["count"], g["files"], g["fixable_safe"], g["fixable_unsafe"]) for g in groups] == [
        (BROKEN, 3, 2, 2, 0), (DEPRECATED, 1, 1, 0, 1), (HYGIENE, 1, 1, 1, 0)]
    assert groups[0]["title"] == "Already broken since 2026-06-01"
    assert [(r["code"], r["count"]) for r in groups[0]["rules"]] == [("CM101", 2), ("CM102", 1)]


def test_statistics_text(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    r = invoke("check", "--statistics", "--no-cache", "--select", "CM1,CM204", "app.py", cwd=tmp_path)
    assert r.code == 1
    lines = r.out.splitlines()
    assert lines[0].split("\t")[:3] == ["    1", "CM101", "discontinued-model"]
    assert "Migration readiness: 4 findings in 1 file" in r.out
    assert "  Already broken since 2026-06-01: 1 finding in 1 file (1 fixable by `cartesia-migrate fix`)" in r.out
    assert "  Deprecated (works today, on its way out): 1 finding in 1 file (1 with --unsafe-fixes)" in r.out
    assert "  Hygiene (no deadline): 2 findings in 1 file (2 fixable by `cartesia-migrate fix`)" in r.out


def test_statistics_json(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    r = invoke("check", "--statistics", "--no-cache", "--select", "CM1", "--output-format", "json", "app.py",
            cwd=tmp_path)
    data = json.loads(r.out)
    by = {s["code"]: s for s in data["statistics"]}
    assert by["CM101"] == {"code": "CM101", "name": "discontinued-model", "count": 1, "fixable": True,
                           "fixable_count": 1, "unsafe_fixable_count": 0}
    assert [g["group"] for g in data["readiness"]] == [BROKEN, DEPRECATED, HYGIENE]


def test_clean_statistics(tmp_path):
    (tmp_path / "ok.py").write_text("print(1)\n", encoding="utf-8")
    r = invoke("check", "--statistics", "--no-cache", "ok.py", cwd=tmp_path)
    assert r.code == 0 and "nothing to migrate" in r.out


def test_text_output_shows_old_new_and_applicability(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    r = invoke("check", "--no-cache", "--select", "CM1", "app.py", cwd=tmp_path)
    out = r.out.splitlines()
    assert out[0].startswith("app.py:5:30: CM101 ")
    assert out[0].endswith("[*] Replace 'sonic-english' with 'sonic-3.6-2026-08-27'")
    assert out[1].startswith("app.py:6:30: CM103 ")
    assert out[1].endswith("[unsafe fix] Replace 'sonic-2' with 'sonic-3.6-2026-08-27'")


def test_fix_reports_what_it_changed_and_what_it_left(tmp_path):
    (tmp_path / "app.py").write_text(APP + "DEFAULT_MODEL = 'sonic-3.7'\n", encoding="utf-8")
    r = invoke("fix", "--no-cache", "--select", "CM1,CM204", "app.py", cwd=tmp_path)
    assert r.code == 1
    assert "Applied 3 fixes:\n" in r.err
    assert "  app.py:5:30: CM101 Replace 'sonic-english' with 'sonic-3.6-2026-08-27'\n" in r.err
    assert "  app.py:7:30: CM105 Replace 'sonic-3' with 'sonic-3-2026-01-12'\n" in r.err
    assert "Left 1 finding:\n  CM103: unsafe fix not applied: review it, then run `fix --unsafe-fixes`" in r.err
    # what is left is still printed on stdout, with its (unsafe) fix
    assert r.out.startswith("app.py:6:30: CM103 ") and "[unsafe fix]" in r.out


def test_fix_names_findings_without_an_automatic_fix(tmp_path):
    (tmp_path / "k.py").write_text(
        "import cartesia\nURL = 'wss://api.cartesia.ai/tts/websocket?api_key=' + KEY\n", encoding="utf-8")
    r = invoke("fix", "--no-cache", "--select", "CM203", "k.py", cwd=tmp_path)
    if r.code == 0:
        pytest.skip("CM203 did not fire on this shape")
    assert "CM203: no automatic fix (the message says what to do)" in r.err


def test_rules_json_lists_the_catalogue_with_doc_urls():
    r = invoke("rules", "--output-format", "json")
    rows = json.loads(r.out)
    assert r.code == 0 and rows
    for row in rows:
        assert set(row) >= {"code", "name", "fix", "severity", "summary", "url", "implemented"}
        assert row["fix"] in ("safe", "unsafe", "none") and row["severity"] in ("error", "warning")
        assert row["implemented"] is True
        assert row["url"] == catalog.DOCS_BASE_URL + row["code"] + ".md"
        # the URL points at a doc that exists in this repository
        assert os.path.isfile(os.path.join(ROOT, "rules", row["code"] + ".md")), row["code"]
    everything = json.loads(invoke("rules", "--all", "--output-format", "json").out)
    assert [x["code"] for x in everything] == list(catalog.CATALOG)


@pytest.mark.parametrize("code", catalog.implemented_codes())
def test_explain_every_implemented_code(code):
    from click.testing import CliRunner

    from cartesia_migrate.cli import main

    r = CliRunner().invoke(main, ["explain", code.lower()])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("# %s %s\n" % (code, catalog.get(code).name))
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in r.output


def test_explain_unknown_code_is_a_usage_error():
    r = invoke("explain", "CM999")
    assert r.code == 2 and "CM999" in r.err


def _script(env):
    """The installed ``cartesia-migrate`` command (completion keys on the program's name)."""
    import subprocess
    import sys

    exe = os.path.join(os.path.dirname(sys.executable), "cartesia-migrate")
    p = subprocess.run([exe], capture_output=True, text=True, env=dict(os.environ, **env), timeout=60)
    return p.returncode, p.stdout


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete --no-files --command cartesia-migrate")])
def test_shell_completion_scripts(shell, marker):
    code, out = _script({"_CARTESIA_MIGRATE_COMPLETE": "%s_source" % shell})
    assert code == 0 and marker in out and "cartesia-migrate" in out


def test_shell_completion_offers_commands_and_options():
    _, out = _script({"_CARTESIA_MIGRATE_COMPLETE": "bash_complete", "COMP_WORDS": "cartesia-migrate ch",
                      "COMP_CWORD": "1"})
    assert "plain,check" in out.split()  # bash_complete answers type,value lines
    _, out = _script({"_CARTESIA_MIGRATE_COMPLETE": "bash_complete",
                      "COMP_WORDS": "cartesia-migrate check --base", "COMP_CWORD": "2"})
    assert "plain,--baseline" in out.split()
