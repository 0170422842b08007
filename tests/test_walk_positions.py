"""The lean traversal and position pass agree with libcst's own visitor and PositionProvider."""
import glob
import os

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from cartesia_migrate.engine import LineIndex
from cartesia_migrate.positions import spans
from cartesia_migrate.walk import walk

SAMPLES = sorted(glob.glob(os.path.join(os.path.dirname(cst.__file__), "_nodes", "*.py")))[:12] + sorted(
    glob.glob(os.path.join(os.path.dirname(os.path.dirname(__file__)), "examples", "**", "*.py"), recursive=True))
TRICKY = 'x = (\r\n  1,  # c\r\n)\r\n@d\r\nclass A(B, metaclass=M):\r\n    """doc"""\r\n    def f(self, a: "T" = 1) -> int: return a\r\n'


@pytest.mark.parametrize("path", SAMPLES + ["<tricky>"])
def test_spans_match_position_provider(path):
    text = TRICKY if path == "<tricky>" else open(path, encoding="utf-8").read()
    module = cst.parse_module(text)
    pos = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    ours = spans(module, list(pos))
    index = LineIndex(text)
    for node, rng in pos.items():
        s, e = ours[id(node)]
        assert index.position(s) == (rng.start.line, rng.start.column + 1), type(node).__name__
        assert index.position(e) == (rng.end.line, rng.end.column + 1), type(node).__name__


@pytest.mark.parametrize("path", SAMPLES[:4] + ["<tricky>"])
def test_walk_visits_every_node_libcst_visits(path):
    text = TRICKY if path == "<tricky>" else open(path, encoding="utf-8").read()
    module = cst.parse_module(text)
    expected = []

    class All(cst.CSTVisitor):
        def on_visit(self, node):
            expected.append(type(node).__name__)
            return True

    module.visit(All())
    got = []

    class Rec(cst.BatchableCSTVisitor):
        pass

    stack = []
    names = sorted(set(expected))
    for n in names:  # a visitor with a visit_ method for every node type seen
        setattr(Rec, "visit_" + n, lambda self, node, n=n: got.append(n))
    walk(module, [Rec()], stack)
    leaf = {"SimpleWhitespace", "Newline"}
    assert sorted(got) == sorted(n for n in expected if n not in leaf)
    assert stack == []
