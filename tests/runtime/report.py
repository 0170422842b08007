"""Print the runtime-proof counts (issue 14): programs, ran correctly, stopped at a finding, failed silently.

    python -m tests.runtime.report [-j N] [--verbose] [--failures-md PATH] [NAME ...]

Each program in tests/runtime/programs is fixed with `cartesia-migrate fix --unsafe-fixes` and run with the
installed cartesia (4.2.0) against the fake server (see tests/runtime/harness.py). `--failures-md` writes the
programs that do not run correctly as a Markdown table (program, failing fixed line, error).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.runtime import harness
from tests.runtime.harness import Outcome, run_all


def failures_markdown(outcomes: list[Outcome]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")[:400]

    rows = ["| program | status | fails at (fixed code) | error | findings at the statement / why |",
            "| --- | --- | --- | --- | --- |"]
    for o in outcomes:
        if o.status == "correct":
            continue
        where = f"L{o.fail_line}: `{cell(o.fixed_line())}`" if o.fail_line else "-"
        rows.append(f"| {o.program} | {o.status} | {where} | {cell(o.error())} | {cell(o.reason)} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.runtime.report", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="program names (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("-v", "--verbose", action="store_true", help="describe every program that is not correct")
    parser.add_argument("--failures-md", type=Path, help="write the non-correct programs as a Markdown table")
    parser.add_argument("--tool-root", type=Path,
                        help="run cartesia_migrate from this source tree (e.g. an older checkout) instead of this one")
    args = parser.parse_args(argv)
    if args.tool_root:
        harness.TOOL_ROOT = args.tool_root.resolve()
    with tempfile.TemporaryDirectory(prefix="runtime-proof-") as tmp:
        outcomes = run_all(Path(tmp), workers=args.jobs, names=args.names or None)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("correct", "stopped_at_finding", "silent_failure")}
    for o in outcomes:
        print(f"{o.status:<20} {o.program}")
        if args.verbose and o.status != "correct":
            print("    " + o.describe().replace("\n", "\n    "))
    print()
    print(f"programs: {len(outcomes)}")
    print(f"ran correctly: {counts['correct']}")
    print(f"stopped at a finding: {counts['stopped_at_finding']}")
    print(f"failed silently: {counts['silent_failure']}")
    if args.failures_md:
        args.failures_md.write_text(failures_markdown(outcomes), encoding="utf-8")
    return 0 if counts["silent_failure"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
