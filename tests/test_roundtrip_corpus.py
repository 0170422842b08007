"""Round trip over real code: two thousand Python files installed here (the standard
library and this environment's site-packages), copied and run through the real ``fix`` twice.

Files that never mention Cartesia are not even parsed, so every copy gets Cartesia code
appended at its end, which makes the tool parse and walk the whole real file:

- two files in three: ``import cartesia`` only -- nothing to fix: byte-identical afterwards;
- one file in three: a legacy client and a discontinued model ID -- CM405 adds ``api_key=``
  and ``import os`` (in the right place of a real file: after docstrings, ``__future__``
  imports, shebangs and encoding cookies), CM101 replaces the ID.  Outside the appended
  lines the only change allowed is that one inserted ``import os`` line.

Asserted: no crash (no traceback, no internal error, no signal); a bad file is a one-line
error, stays untouched, and is one CPython or libcst cannot parse; no file changes unless fix
reports a fix applied in it, and every reported fix changes its file; every changed file
still parses with libcst and compiles with CPython; a second ``fix`` changes nothing.

``CARTESIA_MIGRATE_CORPUS_FILES`` sets how many files (default 2000, 27 MB: about 2 minutes for
both runs on 2 cores); files are picked evenly over the sorted list of all of them.
"""
import os
import re
import subprocess
import sys
import sysconfig
import time
import warnings

import pytest

pytestmark = pytest.mark.slow

LIMIT = int(os.environ.get("CARTESIA_MIGRATE_CORPUS_FILES", "2000"))
#: one file in EVERY gets the legacy snippet (fixing costs ~4x a clean file: positions, re-parse)
EVERY = 3
PLAIN = b"import cartesia  # cartesia-migrate corpus\n"
SNIPPET = PLAIN + b'_cm_client = cartesia.Cartesia()\n_cm_model = "sonic-english"\n'
# known troublemakers for libcst's native parser, always included when present
ALWAYS = ("pydoc_data/topics.py",)


def _all_files():
    paths = sysconfig.get_paths()
    roots = []
    for key in ("stdlib", "purelib", "platlib"):
        root = paths.get(key)
        if root and os.path.isdir(root) and os.path.realpath(root) not in [os.path.realpath(r) for r in roots]:
            roots.append(root)
    out = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "site-packages", "dist-packages"))
            for f in sorted(files):
                p = os.path.join(folder, f)
                if f.endswith(".py") and os.path.isfile(p) and not os.path.islink(p):
                    out.append(p)
    return sorted(out)


def _pick(files, limit):
    if len(files) <= limit:
        return files
    chosen = [files[i * len(files) // limit] for i in range(limit)]
    for tail in ALWAYS:
        chosen += [f for f in files if f.endswith(tail) and f not in chosen]
    return chosen


def _cli(*args, cwd):
    """Run the real command; (exit code, stdout, stderr, seconds)."""
    t = time.time()
    p = subprocess.run([sys.executable, "-m", "cartesia_migrate", *args], cwd=str(cwd), capture_output=True,
                       timeout=900)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), time.time() - t


def _errors(err):
    out = {}
    for line in err.splitlines():
        m = re.match(r"^(\d{5}_[^:]*\.py): error: (.*)$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def _compiles(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(data, "<corpus>", "exec", dont_inherit=True)
            return True
        except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
            return False


def _libcst_parses(data):
    import libcst as cst

    try:
        cst.parse_module(data)
        return True
    except Exception:
        return False


def _allowed_change(old, new, newline):
    """Outside the appended snippet, the only change is one inserted ``import os`` line."""
    import difflib

    head_old = old[: len(old) - len(SNIPPET)]
    old_lines = head_old.splitlines(True)
    new_lines = new.splitlines(True)
    # the snippet is the last 3 lines of the new file too
    new_head = new_lines[:-3]
    sm = difflib.SequenceMatcher(None, old_lines, new_head, autojunk=False)
    inserted = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        if op != "insert":
            return False
        inserted += new_head[j1:j2]
    if inserted not in ([], [b"import os" + newline], [b"import os\n"]):
        return False
    tail = b"".join(new_lines[-3:])
    return tail == SNIPPET.replace(b"cartesia.Cartesia()", b'cartesia.Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))') \
        .replace(b"sonic-english", b"sonic-3.6-2026-08-27")


def _applied(err):
    """{file: [codes]} from fix's own report of the fixes it applied."""
    out = {}
    section = False
    for line in err.splitlines():
        if line.startswith("Applied "):
            section = True
            continue
        if section and not line.startswith("  "):
            section = False
        if section:
            m = re.match(r"^  (\d{5}_[^:]*\.py):\d+:\d+: (CM\d{3}) ", line)
            assert m, line
            out.setdefault(m.group(1), []).append(m.group(2))
    return out


def test_fix_round_trips_real_code(tmp_path):
    files = _pick(_all_files(), LIMIT)
    if len(files) < 200:
        pytest.skip("fewer than 200 Python files installed here")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    original = {}
    snippet = {}
    for i, src in enumerate(files):
        with open(src, "rb") as f:
            data = f.read()
        if data and not data.endswith((b"\n", b"\r")):
            data += b"\n"
        name = "%05d_%s" % (i, os.path.basename(src))
        snippet[name] = i % EVERY == 0
        data += SNIPPET if snippet[name] else PLAIN
        (corpus / name).write_bytes(data)
        original[name] = data

    code, out, err, t_fix = _cli("fix", "--offline", "--no-cache", ".", cwd=corpus)
    assert code in (0, 1, 2), (code, err[-3000:])  # a negative code is a signal: a crash
    assert "Traceback" not in err and "internal error" not in err, err[-3000:]
    errors = _errors(err)
    applied = _applied(err)

    fixed_now = {}
    problems = []
    for name, old in original.items():
        new = (corpus / name).read_bytes()
        fixed_now[name] = new
        if name in errors:
            if new != old:
                problems.append("%s: error %r but the file changed" % (name, errors[name]))
            if _compiles(old) and _libcst_parses(_decode(old)) and "too deeply nested to parse" not in errors[name]:
                problems.append("%s: CPython and libcst parse it, yet: %s" % (name, errors[name]))
            continue
        codes = sorted(applied.get(name, []))
        if new != old and not codes:
            problems.append("%s changed, but fix reported no fix applied in it" % name)
        if codes and new == old:
            problems.append("%s: fix reported %s applied, the file did not change" % (name, codes))
        if snippet[name] and not {"CM101", "CM405"} <= set(codes):
            problems.append("%s: the appended legacy code was not fixed (%s)" % (name, codes))
        if new != old:
            if not _libcst_parses(_decode(new)):
                problems.append("%s: the fixed file does not parse with libcst" % name)
            if _compiles(old) and not _compiles(new):
                problems.append("%s: CPython compiled the original, not the fixed file" % name)
            if codes == ["CM101", "CM405"] and not _allowed_change(old, new, _newline(old)):
                problems.append("%s: changed outside the appended code" % name)
    assert not problems, "\n".join(problems[:40])

    code2, out2, err2, t_fix2 = _cli("fix", "--offline", "--no-cache", ".", cwd=corpus)
    assert "Traceback" not in err2 and "internal error" not in err2
    again = [n for n in original if (corpus / n).read_bytes() != fixed_now[n]]
    assert again == [], "the second fix changed: %s" % again[:20]
    assert _applied(err2) == {}
    assert _errors(err2) == errors

    changed = sum(1 for n in original if fixed_now[n] != original[n])
    identical = sum(1 for n in original if not snippet[n] and fixed_now[n] == original[n])
    summary = ("corpus: %d files (%d MB) round-tripped; %d changed by fix (%d fixes); %d without findings "
               "byte-identical; %d one-line errors (%s); fix %.0fs, second fix %.0fs"
               % (len(original), sum(map(len, original.values())) // 2 ** 20, changed,
                  sum(len(v) for v in applied.values()), identical, len(errors),
                  "; ".join(sorted(set(r.split(":")[0] for r in errors.values()))), t_fix, t_fix2))
    print(summary)
    assert changed >= sum(snippet.values()) - len(errors)


def _newline(data):
    from cartesia_migrate.io import detect_newline

    return detect_newline(data.decode("latin-1")).encode()


def _decode(data):
    from cartesia_migrate.io import InputError, decode_python

    try:
        return decode_python(data)[0]
    except InputError:
        return data.decode("latin-1")
