"""A Cartesia API key is never printed in full: every output format, diffs, errors, usage errors.

Each test runs the real command in a subprocess on a tree whose files hold literal keys in
every place a finding, a fix, a diff line or an error message could echo them, and scans
all of stdout and stderr for the keys (and for their bodies without the 4 characters the
redacted form shows).
"""
import json
import socket

import pytest

KEYS = [
    "sk_car_26auCJp8cHzlQEWht8NC1",
    "sk_car_admin_Wd3N52OWt3O2VcbNs6UPKl.NfprBQuXpxxSrWLYubZWWuONUCzDhTCjoACmMCdN674",
    "sk_car_-VPmtFehhIRz5S16IlL",
]
K1, K2, K3 = KEYS

APP = '''"""Voice app.  Old key: %(k1)s"""
import os

from cartesia import Cartesia

client = Cartesia(api_key="%(k1)s")
BACKUP = os.getenv("CARTESIA_BACKUP_KEY", "%(k2)s")
HEADERS = {"Authorization": "Bearer %(k3)s"}
URL = "http://api.cartesia.ai/tts/websocket?api_key=%(k1)s&cartesia_version=2024-06-10"
WS = f"ws://api.cartesia.ai/tts/websocket?api_key=%(k3)s&v={client}"
MODEL = "sonic-english"  # rotate %(k2)s
AUDIO = client.tts.bytes(model_id="sonic-3", transcript="%(k1)s", voice="v", duration=3)
''' % {"k1": K1, "k2": K2, "k3": K3}

BROKEN = 'import cartesia\nKEY = "%s"\ndef f(:\n    return KEY\n' % K1
UNDECODABLE = ('import cartesia\nKEY = "%s"\n' % K2).encode() + b"\xff\xfe\n"
NOTEBOOK = json.dumps({
    "cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
               "source": ["from cartesia import Cartesia\n", 'client = Cartesia(api_key="%s")\n' % K3,
                          'URL = "http://api.cartesia.ai/voices?api_key=%s"\n' % K1]}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
}, indent=1)
DOTENV = "CARTESIA_API_KEY=%s\nCARTESIA_MODEL=sonic-english\n" % K1


def _tree(tmp_path, broken=True):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "nb.ipynb").write_text(NOTEBOOK, encoding="utf-8")
    (tmp_path / ".env").write_text(DOTENV, encoding="utf-8")
    if broken:
        (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")
        (tmp_path / "latin.py").write_bytes(UNDECODABLE)
    return tmp_path


def _assert_redacted(r, *, expect_redacted=True):
    text = r.out + r.err
    for key in KEYS:
        assert key not in text, "API key printed in full"
        body = key[len("sk_car_"):-4]
        assert body not in text, "API key printed all but its last 4 characters"
        assert key.upper() not in text
    if expect_redacted:
        # (JSON and SARIF escape the ellipsis)
        assert "sk_car_\u2026" in text or "sk_car_\\u2026" in text, \
            "nothing key-related was printed: the test proves nothing"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_check_every_format(tmp_path, cli, fmt):
    _tree(tmp_path)
    r = cli("check", "--no-cache", "--output-format", fmt, ".", cwd=tmp_path)
    assert r.code == 2  # findings, plus two files that cannot be checked
    _assert_redacted(r)
    if fmt == "json":
        data = json.loads(r.out)
        codes = {d["code"] for d in data}
        assert {"CM201", "CM203", "CM204"} <= codes
        # the fixes' edits are redacted as well (CM401 rewrites a call holding a key: duration= goes)
        contents = [e["content"] for d in data if d["fix"] for e in d["fix"]["edits"]]
        assert any("sk_car_\u2026" in c for c in contents)
    elif fmt == "sarif":
        doc = json.loads(r.out)
        notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert any("broken.py" in n["message"]["text"] for n in notes)
    else:
        assert "CM201" in r.out
    if fmt != "github":
        assert "broken.py: error: syntax error" in r.err and "latin.py: error:" in r.err


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_check_stdin_every_format(tmp_path, cli, fmt):
    r = cli("check", "--output-format", fmt, "--stdin-filename", "app.py", "-", cwd=tmp_path,
            input=APP.encode())
    assert r.code == 1
    _assert_redacted(r)


def test_statistics(tmp_path, cli):
    _tree(tmp_path, broken=False)
    r = cli("check", "--no-cache", "--statistics", ".", cwd=tmp_path)
    assert "CM201" in r.out
    _assert_redacted(r, expect_redacted=False)


@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_diff(tmp_path, cli, unsafe):
    _tree(tmp_path)
    args = ["fix", "--diff"] + (["--unsafe-fixes"] if unsafe else []) + ["."]
    r = cli(*args, cwd=tmp_path)
    assert r.code == 2
    assert "+++ b/" in r.out and "-URL = " in r.out and "+URL = \"https://" in r.out
    if unsafe:
        assert '+client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])' in r.out
    _assert_redacted(r)
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == APP  # --diff writes nothing


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_fix_in_place_reports_what_is_left(tmp_path, cli, fmt):
    _tree(tmp_path)
    r = cli("fix", "--output-format", fmt, ".", cwd=tmp_path)
    assert r.code == 2
    _assert_redacted(r)


def test_usage_and_config_errors(tmp_path, cli):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    for args in (
        ("check", "--output-format", K1, "app.py"),
        ("check", "--select", "CM2," + K1, "app.py"),
        ("check", "--config", K1 + ".toml", "app.py"),
        ("check", "--no-such-option-" + K1),
        ("check", K1 + ".py"),
        ("explain", K1),
    ):
        r = cli(*args, cwd=tmp_path)
        assert r.code == 2, args
        _assert_redacted(r, expect_redacted=False)
    (tmp_path / "pyproject.toml").write_text('[tool.cartesia-migrate]\n%s = 1\n' % K1, encoding="utf-8")
    r = cli("check", "app.py", cwd=tmp_path)
    assert r.code == 2 and "unknown key" in r.err
    _assert_redacted(r)


def test_models_log_with_the_key_in_the_environment(tmp_path, cli):
    """The key in CARTESIA_API_KEY (used for the live models list) is not echoed when that fails."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there: the live request fails fast
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    r = cli("check", "--no-cache", "app.py", cwd=tmp_path,
            env={"CARTESIA_API_KEY": K1, "CARTESIA_BASE_URL": "http://127.0.0.1:%d" % port})
    assert r.code == 1
    _assert_redacted(r)
