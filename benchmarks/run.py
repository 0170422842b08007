"""Side-by-side benchmark: cartesia-migrate vs ruff vs a bare libcst parse loop.

    .venv/bin/python benchmarks/run.py [--runs 3] [--quick]
    .venv/bin/python benchmarks/run.py --startup 15 [--compare-with DIR]  # only the 5-file start-up

Builds, reproducibly, under $CM_BENCH_DIR (default: <tmp>/cm-bench):

- sparse: every .py file of this environment's site-packages (what the test extra
  installs: libcst, hypothesis, mypy, cartesia, ...; a few percent mention Cartesia)
  plus 3% generated Cartesia files; and a 4x copy of it;
- dense: generated files that all use the SDK (benchmarks/gen_dense.py); and 4x;
- dense_migrated: the dense tree after `fix --unsafe-fixes` (CI's steady state after
  adoption: every file mentions Cartesia, few have a finding left), rebuilt from the
  dense tree on every run in its own directory;
- sparse_migrated: the sparse tree whose generated Cartesia files are migrated the same way.

Then runs each command several times and prints medians, the ratios the performance
issue asks for, peak memory (max RSS of any process of the run) and the growth from
1x to 4x.  Nothing here asserts: numbers are for people.
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# outside any git checkout: the tools honour .gitignore, which would hide a tree inside this repo
TREES = os.environ.get("CM_BENCH_DIR") or os.path.join(tempfile.gettempdir(), "cm-bench")  # no "cartesia" in the path: it would give every file Cartesia context
sys.path.insert(0, HERE)
import gen_dense

PARSE_FILES = r"""
import sys, libcst
for f in sys.argv[1:]:
    with open(f, 'rb') as fh:
        libcst.parse_module(fh.read())
"""

BARE = r"""
import glob, sys, libcst
files = sorted(glob.glob(sys.argv[1] + '/**/*.py', recursive=True))
for f in files:
    try:
        with open(f, 'rb') as fh:
            libcst.parse_module(fh.read())
    except Exception:
        pass
"""


def site_packages() -> str:
    return sysconfig.get_paths()["purelib"]


def build_sparse(dest: str, copies: int) -> int:
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    src = site_packages()
    n = 0
    for c in range(copies):
        root = os.path.join(dest, f"copy{c}")
        for folder, dirs, files in os.walk(src):
            dirs[:] = [d for d in dirs if d != "__pycache__" and not d.endswith(".dist-info")]
            for f in files:
                if f.endswith(".py"):
                    rel = os.path.relpath(os.path.join(folder, f), src)
                    out = os.path.join(root, "lib", rel)
                    os.makedirs(os.path.dirname(out), exist_ok=True)
                    shutil.copyfile(os.path.join(folder, f), out)
                    n += 1
        extra = max(1, n // copies * 3 // 100)
        gen_dense.generate(os.path.join(root, "app"), extra, seed=100 + c)
        n += extra
    return n


def build_dense(dest: str, count: int) -> int:
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    gen_dense.generate(dest, count, seed=7)
    return count


def build_migrated(src: str, dest: str, cm, env, subdirs=None) -> int:
    """A copy of ``src`` after ``fix --unsafe-fixes`` (of ``subdirs`` only, when given).

    ``fix`` is deterministic, so the tree is the same on every run.  It runs twice, in case
    one run leaves a fix that only the next analysis can apply (normally the second run
    changes nothing)."""
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    if subdirs is None:
        targets = [dest]
    else:
        targets = sorted(glob.glob(os.path.join(dest, subdirs)))
    for _ in range(2):
        subprocess.run(cm + ["fix", "--unsafe-fixes", "--offline", "--no-cache", "--exit-zero"] + targets,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, **env),
                       check=True)
    return sum(1 for _ in glob.iglob(os.path.join(dest, "**", "*.py"), recursive=True))


def findings_in(cm, tree: str, env) -> tuple:
    """(findings, files with a finding) of ``check`` on ``tree``."""
    import json

    p = subprocess.run(cm + ["check", "--offline", "--no-cache", "--exit-zero", "--output-format", "json", tree],
                       capture_output=True, env=dict(os.environ, **env), check=True)
    items = json.loads(p.stdout.decode("utf-8"))
    return len(items), len({f["filename"] for f in items})


def compile_package(env) -> str:
    """Byte-compile the cartesia_migrate the command imports (pip does it for a regular
    install; an editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile
    every module in every process, which is not what users' start-up costs)."""
    import compileall

    where = subprocess.run([sys.executable, "-c", ("import cartesia_migrate, os; "
                            "print(os.path.dirname(cartesia_migrate.__file__))")],
                           capture_output=True, env=dict(os.environ, **env), check=True).stdout.decode().strip()
    compileall.compile_dir(where, quiet=1)
    return where


def lines_of(tree: str) -> int:
    total = 0
    for folder, _, files in os.walk(tree):
        for f in files:
            if f.endswith(".py"):
                with open(os.path.join(folder, f), "rb") as fh:
                    total += fh.read().count(b"\n")
    return total


def timed(cmd, env=None, cwd=None):
    """(seconds, peak RSS in MB of the largest process of the run)."""
    dt, mem, _cpu = timed_cpu(cmd, env, cwd)
    return dt, mem


def timed_cpu(cmd, env=None, cwd=None):
    """(seconds, peak RSS in MB, CPU seconds (user + system) of the process and its children)."""
    e = dict(os.environ)
    e.update(env or {})
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=e, cwd=cwd)
    _, _status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    return dt, ru.ru_maxrss / 1024.0, ru.ru_utime + ru.ru_stime


def median_run(cmd, runs, env=None, before=None):
    times, mems = [], []
    for _ in range(runs):
        if before:
            before()
        dt, mem = timed(cmd, env)
        times.append(dt)
        mems.append(mem)
    return statistics.median(times), max(mems)


def startup(cm, py, env, runs: int, dense_files: int, other: str = "") -> None:
    """A pre-commit run on 5 files, against interpreter start-up plus parsing them: the runs of
    the commands compared are interleaved (the machine's load changes by the minute), median
    and minimum of ``runs`` each.  ``cold plan`` empties the walker's plan cache before each
    run (what every process paid before the plan was cached).  ``other``: a folder holding
    another cartesia_migrate (``git archive <commit> cartesia_migrate | tar -x -C DIR``),
    measured in the same rounds (``cm check, other``)."""
    plans = os.path.join(env["CARTESIA_MIGRATE_CACHE_DIR"], "plans")
    dense = os.path.join(TREES, "dense1")
    if not os.path.isdir(dense):
        build_dense(dense, dense_files)
    migrated = dense + "_migrated"
    if not os.path.isdir(migrated):
        build_migrated(dense, migrated, cm, env)
    for name, tree in (("dense", dense), ("dense_migrated", migrated)):
        five = sorted(glob.glob(os.path.join(tree, "**", "*.py"), recursive=True))[:5]
        check = cm + ["check", "--offline", "--no-cache", "--exit-zero"] + five
        timed(check, env)  # fills the plan cache
        cmds = {
            "python -c pass": ([py, "-c", "pass"], None),
            "start-up + parse": ([py, "-c", PARSE_FILES] + five, None),
            "cm check": (check, None),
            "cm check, cold plan": (check, lambda: shutil.rmtree(plans, ignore_errors=True)),
        }
        if other:
            cmds["cm check, other"] = (check, None)
        times = {k: [] for k in cmds}
        cpus = {k: [] for k in cmds}
        for _ in range(runs):
            for k, (cmd, before) in cmds.items():
                if before:
                    before()
                dt, _mem, cpu = timed_cpu(cmd, dict(env, PYTHONPATH=other) if k == "cm check, other" else env)
                times[k].append(dt)
                cpus[k].append(cpu)
        timed(check, env)  # leaves the plan cache filled
        print(f"\n== 5 files of {name}: {runs} interleaved runs each; wall median / min, CPU (user+sys) median")
        for k, ts in times.items():
            print(f"  {k:<22} {statistics.median(ts):6.3f} s / {min(ts):6.3f} s   CPU {statistics.median(cpus[k]):6.3f} s")
        base, base_cpu = times["start-up + parse"], cpus["start-up + parse"]
        for k in [k for k in cmds if k.startswith("cm check")]:
            print(f"  {k:<22} - (start-up + parse) = {statistics.median(times[k]) - statistics.median(base):+.3f} s"
                  f" (medians) / {min(times[k]) - min(base):+.3f} s (minima) / "
                  f"CPU {statistics.median(cpus[k]) - statistics.median(base_cpu):+.3f} s  (goal <= +0.05)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dense", type=int, default=200, help="files in the 1x dense tree")
    ap.add_argument("--quick", action="store_true", help="skip the 4x trees")
    ap.add_argument("--startup", type=int, metavar="RUNS", help="only the 5-file start-up, RUNS runs each")
    ap.add_argument("--compare-with", metavar="DIR", default="",
                    help="with --startup: also run the cartesia_migrate found in DIR (PYTHONPATH=DIR)")
    args = ap.parse_args()

    py = sys.executable
    bindir = os.path.dirname(py)
    cm = [os.path.join(bindir, "cartesia-migrate")]
    ruff = shutil.which("ruff", path=bindir) or shutil.which("ruff")
    os.makedirs(TREES, exist_ok=True)
    cache = tempfile.mkdtemp(prefix="cm-bench-cache-")
    env = {"CARTESIA_MIGRATE_CACHE_DIR": cache, "CARTESIA_API_KEY": ""}

    where = compile_package(env)
    if args.startup:
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; cartesia_migrate from {where}")
        if args.compare_with:
            import compileall

            compileall.compile_dir(args.compare_with, quiet=1)
        startup(cm, py, env, args.startup, args.dense, os.path.abspath(args.compare_with) if args.compare_with else "")
        shutil.rmtree(cache, ignore_errors=True)
        return
    sparse1, dense1 = os.path.join(TREES, "sparse1"), os.path.join(TREES, "dense1")
    trees = {
        "sparse": (sparse1, lambda d: build_sparse(d, 1)),
        # built from the tree above, once per run, in its own directory
        "sparse_migrated": (os.path.join(TREES, "sparse1_migrated"),
                            lambda d: build_migrated(sparse1, d, cm, env, subdirs=os.path.join("copy*", "app"))),
        "dense": (dense1, lambda d: build_dense(d, args.dense)),
        "dense_migrated": (os.path.join(TREES, "dense1_migrated"), lambda d: build_migrated(dense1, d, cm, env)),
    }
    if not args.quick:
        trees["sparse4x"] = (os.path.join(TREES, "sparse4"), lambda d: build_sparse(d, 4))
        trees["dense4x"] = (os.path.join(TREES, "dense4"), lambda d: build_dense(d, args.dense * 4))
    results = {}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, runs={args.runs} (medians); "
          f"cartesia_migrate from {where}")
    for name, (path, build) in trees.items():
        n = build(path)
        loc = lines_of(path)
        r = {"files": n, "lines": loc}
        r["findings"] = findings_in(cm, path, env)
        clear = lambda: shutil.rmtree(cache, ignore_errors=True)
        r["cm_cold"] = median_run(cm + ["check", "--offline", "--no-cache", "--exit-zero", path], args.runs, env)
        # warm: a first run fills the cache, then measure
        clear()
        timed(cm + ["check", "--offline", "--exit-zero", path], env)
        r["cm_warm"] = median_run(cm + ["check", "--offline", "--exit-zero", path], args.runs, env)
        if ruff:
            rcache = tempfile.mkdtemp(prefix="ruff-bench-")
            r["ruff_cold"] = median_run([ruff, "check", "--isolated", "--no-cache", "--exit-zero", "-q", path],
                                        args.runs)
            timed([ruff, "check", "--isolated", "--cache-dir", rcache, "--exit-zero", "-q", path])
            r["ruff_warm"] = median_run([ruff, "check", "--isolated", "--cache-dir", rcache, "--exit-zero", "-q",
                                         path], args.runs)
            shutil.rmtree(rcache, ignore_errors=True)
        if name.startswith("dense"):  # also dense_migrated
            r["bare"] = median_run([py, "-c", BARE, path], args.runs)
            work = path + "_fix"

            def fresh(work=work, path=path):
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(path, work)

            r["cm_fix"] = median_run(cm + ["fix", "--offline", "--exit-zero", work], args.runs, env, before=fresh)
            shutil.rmtree(work, ignore_errors=True)
            if name in ("dense", "dense_migrated"):
                # a pre-commit run: five staged files, against start-up plus parsing them
                five = sorted(glob.glob(os.path.join(path, "**", "*.py"), recursive=True))[:5]
                r["cm_5files"] = median_run(cm + ["check", "--offline", "--no-cache", "--exit-zero"] + five,
                                            max(args.runs, 5), env)
                r["parse_5"] = median_run([py, "-c", PARSE_FILES] + five, max(args.runs, 5))
        results[name] = r
        found, with_findings = r["findings"]
        print(f"\n== {name}: {n} files, {loc} lines, {found} findings in {with_findings} files")
        for k, v in r.items():
            if isinstance(v, tuple) and isinstance(v[0], float):
                print(f"  {k:<10} {v[0]:7.2f} s  peak {v[1]:6.0f} MB")

    print("\n== ratios (goal)")
    for name, r in results.items():
        w = f"{name:<15}"
        if "ruff_cold" in r and name.startswith("sparse"):
            print(f"  {w} check --no-cache / ruff --no-cache = {r['cm_cold'][0] / r['ruff_cold'][0]:.2f}  (<= 1.0)")
            print(f"  {w} check warm / ruff warm            = {r['cm_warm'][0] / r['ruff_warm'][0]:.2f}  (<= 1.0)")
        if "bare" in r:
            goal = "<= 0.35" if name == "dense_migrated" else "<= 1.0"
            print(f"  {w} check --no-cache / bare parse     = {r['cm_cold'][0] / r['bare'][0]:.2f}  ({goal})")
            print(f"  {w} fix / bare parse                  = {r['cm_fix'][0] / r['bare'][0]:.2f}  (<= 1.5)")
        if "cm_5files" in r:
            five, parse = r["cm_5files"][0], r["parse_5"][0]
            print(f"  {w} 5 files: check {five:.2f} s, start-up + parse {parse:.2f} s: +{five - parse:.2f} s"
                  "  (<= +0.05)")
        peak = max(v[1] for k, v in r.items() if k.startswith("cm_"))
        print(f"  {w} peak memory check/fix             = {peak:.0f} MB  (<= 300)")
    for base in ("sparse", "dense"):
        if base + "4x" in results:
            a, b = results[base], results[base + "4x"]
            print(f"  {base:<15} 1x -> 4x: files x{b['files'] / a['files']:.1f}, "
                  f"time x{b['cm_cold'][0] / a['cm_cold'][0]:.2f}, peak memory x{b['cm_cold'][1] / a['cm_cold'][1]:.2f}")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
