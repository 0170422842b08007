"""Programs for the tests that compare two ways of getting one answer (with and without
prefilters, one fix analysis or several): the test suite's own programs, the rule docs,
the fixtures and examples, and benchmark-generated files."""
import ast
import pathlib
import random
import sys
import textwrap
import warnings
from typing import List, Tuple

from cartesia_migrate import catalog
from cartesia_migrate.docs import load_doc, parse_doc

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _compiles(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<t>", "exec", dont_inherit=True)
        return True
    except (SyntaxError, ValueError):
        return False


def suite_programs(folder: str = "tests", skip: Tuple[str, ...] = ()) -> List[Tuple[str, str]]:
    """(test file name, program): every multi-line string constant of the test files under
    ``folder`` that CPython compiles (dedented, as the tests' ``d(...)`` does)."""
    out = []
    for p in sorted((ROOT / folder).rglob("test_*.py")):
        if p.name in skip:
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\n" in node.value:
                text = textwrap.dedent(node.value)
                if _compiles(text):
                    out.append((p.name, text))
    return out


def doc_programs() -> List[Tuple[str, str, str]]:
    """(code, the doc's file name, program): every rule doc's Example and Use instead."""
    out = []
    for code in catalog.implemented_codes():
        doc = parse_doc(load_doc(code), code)
        out += [(code, doc.filename, doc.example_clean), (code, doc.filename, doc.use_instead)]
    return out


def file_programs(*folders: str) -> List[Tuple[str, str]]:
    """(file name, text) of the Python files under ``folders`` (relative to the repository)."""
    return [(p.name, p.read_text(encoding="utf-8"))
            for d in folders for p in sorted((ROOT / d).rglob("*.py"))]


def dense_programs(count: int, seed: int) -> List[Tuple[str, str]]:
    """``count`` files of benchmarks/gen_dense.py (every one a legacy Cartesia integration)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import gen_dense
    finally:
        sys.path.pop(0)
    rng = random.Random(seed)
    return [("dense%d" % i, gen_dense.make_file(i, rng)) for i in range(count)]
