"""The walker's plan cached on disk (cartesia_migrate/plan_cache.py) changes nothing a walk does.

A process that finds the plan on disk neither reads libcst's type hints nor compiles the
per-shape functions; the walks it makes must be the very walks of a process that computed
everything itself: the same visitor calls with the same ancestor stacks, hence the same
findings over every program of the test corpora, before and after ``fix --unsafe-fixes``.
A damaged, foreign or unsafe cache file is never used, and the plan's key follows libcst's
version (a new libcst may have other node classes and fields).
"""
import marshal
import os
import stat
import sys

import libcst
import libcst._version
import pytest

import cartesia_migrate
from cartesia_migrate import models, plan_cache
from cartesia_migrate import walk as W
from cartesia_migrate.config import Settings
from cartesia_migrate.engine import check_source, fix_source

from . import corpus
from .test_walk_prune import TREES, _method_sets, _trace

PVC = "a0e99841-438c-4a64-b679-ae501e7d6091"
SETTINGS = Settings(pvc_voices=((PVC, "sonic-3-2026-01-12"),))


def _plan_file():
    return plan_cache.plan_path(plan_cache.plan_key())


def _fresh_process():
    """Forget everything this process learnt, as a new process would start."""
    W._reset()


class _Saves:
    def __init__(self, monkeypatch):
        self.calls = 0
        real = plan_cache.save

        def save(rows, code):
            self.calls += 1
            return real(rows, code)

        monkeypatch.setattr(plan_cache, "save", save)


def _programs():
    out = []
    for name, text in corpus.suite_programs(skip=("test_plan_cache.py",)):
        out.append((name, text))
    out += [(f"{code} {doc}", text) for code, doc, text in corpus.doc_programs()]
    out += corpus.file_programs("tests/fixtures", "examples")
    out += corpus.dense_programs(6, seed=23)
    return [(name, "app.py" if "cartesia" in text.lower() else "cartesia_app/app.py", text) for name, text in out]


def _findings(path, text, m):
    try:
        found = check_source(text, path, SETTINGS, models=m)
    except Exception as e:  # refused alike with and without the cache
        return type(e).__name__
    return [(f.code, f.location, f.end_location, f.message, f.fix) for f in found]


def test_cached_plan_gives_the_same_findings_over_the_corpora(monkeypatch):
    m = models.bundled()
    programs = _programs()

    # a process without a plan on disk: computes everything, and stores it
    _fresh_process()
    assert not os.path.exists(_plan_file())
    computed = []
    for name, path, text in list(programs):
        found = _findings(path, text, m)
        computed.append(found)
        if isinstance(found, list) and found:  # the fixed program too: what CI checks after adoption
            try:
                out, _ = fix_source(text, path, SETTINGS, models=m, unsafe=True)
            except Exception:
                continue
            if out != text:
                programs.append((f"{name} (fixed)", path, out))
    computed += [_findings(path, text, m) for _, path, text in programs[len(computed):]]
    assert os.path.isfile(_plan_file())
    assert W._REACH, "the first process learnt the node classes from libcst's annotations"

    # a new process finds the plan on disk: it computes nothing and writes nothing
    _fresh_process()
    saves = _Saves(monkeypatch)
    for (name, path, text), want in zip(programs, computed):
        assert _findings(path, text, m) == want, f"{name} ({path}): the cached plan changes the findings"
    assert W._STORE.rows and W._STORE.code, "the plan came from the disk"
    assert not W._REACH and not W._FIELD_CLASSES, "no type hint was read: every row came from the disk"
    assert saves.calls == 0, "every shape function came from the disk"

    # not vacuous: many findings, of many rules, in programs before and after fixing
    flat = [f for found in computed if isinstance(found, list) for f in found]
    assert len(flat) > 500 and len({f[0] for f in flat}) > 20
    assert sum(1 for name, _, _ in programs if name.endswith("(fixed)")) > 50


@pytest.mark.parametrize("name,module", TREES, ids=[t[0] for t in TREES])
def test_cached_plan_gives_the_same_walks(name, module):
    """The visitor calls and ancestor stacks, for many sets of visitor methods, with the plan
    from the disk are those of a walk that enters every node."""
    sets = _method_sets(module)
    _fresh_process()
    want = [_trace(module, names, everything=True) for names in sets]
    for names in sets:  # fills the cache
        _trace(module, names, everything=False)
    _fresh_process()
    assert [_trace(module, names, everything=False) for names in sets] == want
    assert W._STORE.rows and not W._REACH, "the plan came from the disk"


def _walk_something():
    """Findings of a program that exercises many node classes."""
    text = corpus.dense_programs(1, seed=5)[0][1]
    return [(f.code, f.location, f.message) for f in check_source(text, "app.py", SETTINGS, models=models.bundled())]


def _replace_plan_file(data: bytes):
    path = _plan_file()
    os.chmod(path, 0o600)
    with open(path, "wb") as f:
        f.write(data)


def _valid_plan():
    with open(_plan_file(), "rb") as f:
        return marshal.loads(f.read())


@pytest.mark.parametrize("damage", [
    "garbage", "truncated", "empty", "not a dict", "other key", "other format", "a row of the wrong shape",
    "a row with fields the class does not have", "a foreign plan skipping everything", "foreign code",
    "writable by others",
])
def test_a_damaged_or_foreign_plan_file_is_ignored_and_rebuilt(damage):
    _fresh_process()
    want = _walk_something()  # computes and stores the plan
    plan = _valid_plan()
    raw = marshal.dumps(plan)
    if damage == "garbage":
        _replace_plan_file(b"\x00garbage" * 100)
    elif damage == "truncated":
        _replace_plan_file(raw[: len(raw) // 2])
    elif damage == "empty":
        _replace_plan_file(b"")
    elif damage == "not a dict":
        _replace_plan_file(marshal.dumps([plan]))
    elif damage == "other key":
        _replace_plan_file(marshal.dumps(dict(plan, key="0" * 64)))
    elif damage == "other format":
        _replace_plan_file(marshal.dumps(dict(plan, format=plan["format"] + 1)))
    elif damage == "a row of the wrong shape":
        rows = dict(plan["rows"], Call=(("func", "args"), (None,), None))
        _replace_plan_file(marshal.dumps(dict(plan, rows=rows)))
    elif damage == "a row with fields the class does not have":
        # a well-formed row that does not fit the live class: that row is recomputed
        rows = dict(plan["rows"], Call=(("callee",), (frozenset(),), frozenset()))
        _replace_plan_file(marshal.dumps(dict(plan, rows=rows)))
    elif damage == "a foreign plan skipping everything":
        # well-formed, fitting every class's fields, but not made for this key
        rows = {n: (r[0], tuple(frozenset() for _ in r[0]), frozenset()) for n, r in plan["rows"].items()}
        _replace_plan_file(marshal.dumps(dict(plan, rows=rows, key="f" * 64)))
    elif damage == "foreign code":
        code = {b"\x01" * 32: compile("import os", "<elsewhere>", "exec")}
        _replace_plan_file(marshal.dumps(dict(plan, code=code)))
    elif damage == "writable by others":
        if sys.platform == "win32":
            pytest.skip("POSIX permissions")
        os.chmod(_plan_file(), 0o666)
    _fresh_process()
    assert plan_cache.load() == ({}, {}) or damage == "a row with fields the class does not have"
    _fresh_process()
    assert _walk_something() == want
    # rebuilt: the next process loads a valid plan again
    _fresh_process()
    rows, code = plan_cache.load()
    assert rows and code
    if damage == "a row with fields the class does not have":
        assert rows["Call"] == plan["rows"]["Call"]


def test_a_link_or_a_folder_in_place_of_the_plan_file_is_not_read(tmp_path):
    _fresh_process()
    _walk_something()
    path = _plan_file()
    os.unlink(path)
    os.mkdir(path)
    _fresh_process()
    assert plan_cache.load() == ({}, {})
    _walk_something()  # cannot write over a folder: runs on without the cache
    os.rmdir(path)
    if sys.platform != "win32":
        target = tmp_path / "elsewhere.marshal"
        _fresh_process()
        _walk_something()
        os.replace(path, target)
        os.symlink(target, path)
        _fresh_process()
        assert plan_cache.load() == ({}, {})


def test_plan_key_follows_libcst_tool_and_python_versions(monkeypatch):
    key = plan_cache.plan_key()
    assert key == plan_cache.plan_key()
    monkeypatch.setattr(libcst._version, "__version__", libcst._version.__version__ + ".post1")
    other_libcst = plan_cache.plan_key()
    monkeypatch.undo()
    monkeypatch.setattr(cartesia_migrate, "__version__", cartesia_migrate.__version__ + "+1")
    other_tool = plan_cache.plan_key()
    monkeypatch.undo()
    monkeypatch.setattr(sys, "version", sys.version + " (other build)")
    other_python = plan_cache.plan_key()
    monkeypatch.undo()
    assert len({key, other_libcst, other_tool, other_python}) == 4
    assert plan_cache.plan_path(key) != plan_cache.plan_path(other_libcst)


def test_a_plan_stored_under_another_libcst_version_is_not_used(monkeypatch):
    _fresh_process()
    want = _walk_something()
    assert plan_cache.load()[0]
    monkeypatch.setattr(libcst._version, "__version__", libcst._version.__version__ + ".post1")
    _fresh_process()
    assert plan_cache.load() == ({}, {})
    assert _walk_something() == want
    assert W._REACH, "computed again for the other libcst"


def test_plan_cache_disabled_and_unwritable(monkeypatch, tmp_path):
    monkeypatch.setattr(plan_cache, "ENABLED", False)
    _fresh_process()
    want = _walk_something()
    assert not os.path.exists(_plan_file())
    monkeypatch.setattr(plan_cache, "ENABLED", True)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("CARTESIA_MIGRATE_CACHE_DIR", str(blocker))
    _fresh_process()
    assert _walk_something() == want  # the cache cannot be written: runs on without it


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_plan_file_and_folders_are_private(monkeypatch, tmp_path):
    root = tmp_path / "deep" / "cache"
    monkeypatch.setenv("CARTESIA_MIGRATE_CACHE_DIR", str(root))
    _fresh_process()
    _walk_something()
    path = _plan_file()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    for folder in (os.path.dirname(path), str(root), str(root.parent)):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
    assert [n for n in os.listdir(os.path.dirname(path)) if n.endswith(".tmp")] == []


def test_plan_cache_follows_xdg_cache_home(monkeypatch, tmp_path):
    if sys.platform != "linux":
        pytest.skip("XDG_CACHE_HOME is the Linux convention")
    monkeypatch.delenv("CARTESIA_MIGRATE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _fresh_process()
    _walk_something()
    assert _plan_file().startswith(str(tmp_path / "xdg" / "cartesia-migrate" / "plans"))
    assert os.path.isfile(_plan_file())


def test_libcst_classes_of_one_name_have_one_row():
    """Rows are stored by class name: libcst's slotted copies of a node class (same name)
    must agree, or a row could describe the wrong class."""
    _fresh_process()
    rows = {}
    for cls in W._subclasses(libcst.CSTNode):
        if W._is_node(cls):
            row = W._compute_row(cls)
            assert rows.setdefault(cls.__name__, row) == row, cls
