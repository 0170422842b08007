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


TRICKY2 = (
    "#!/usr/bin/env python\n# header\n\nimport os  ; import sys  # two\n\n\n# before\n@dec  # c\n"
    "# between decorators\n@dec2(\n    1)\nclass A(B):\n    # first\n\n    x = 1; y = 2\n    @property\n"
    "    def f(self):\n        return 1\n    # indented trailing comment\n# dedented comment\n"
    "def g(): pass\nif x:\n    pass\nelse:\n    class C: z = 3\n\tbad = 0\n" .replace("\tbad = 0\n", "")
    + "class T:\n\tdef t(self):\n\t\treturn 't'\n\n\n# end\n"
    + "async def h():\n    async with a as b:\n        async for c in d:\n            pass\n        else:\n"
    "            # c\n            e = 1\n    try:\n        f()\n    except E:  # x\n        g(); h()\n"
    "    except* F:\n        pass\n" .replace("    except* F:\n        pass\n", "")
    + "    else:\n        i = 2\n    finally:\n        j = 3\n"
    "    while k:\n        break\n    else:\n        l = 4\n"
    "    if m:\n        n = 5\n    elif o:\n        p = 6\n    elif q: r = 7\n    else:\n        s = 8\n"
    "    match t:\n        case 1:\n            u = 9\n        case _:\n            pass\n"
)


def _nodes_under(node):
    out = [node]
    for child in node.children:
        out += _nodes_under(child)
    return out


@pytest.mark.parametrize("path", SAMPLES + ["<tricky>", "<tricky2>", "<tricky2-crlf>"])
def test_spans_of_single_statements_match_the_whole_pass(path):
    """Code generation started at any statement of any block, placed by CPython's line
    numbers, gives the offsets of the whole pass."""
    from cartesia_migrate.positions import spans_in_units, statement_offsets
    from cartesia_migrate.pyparse import parse_module

    text = {"<tricky>": TRICKY, "<tricky2>": TRICKY2, "<tricky2-crlf>": TRICKY2.replace("\n", "\r\n")}.get(path)
    if text is None:
        text = open(path, encoding="utf-8").read()
    outline = []
    module = parse_module(text, outline)
    offsets = statement_offsets(module, outline[0], LineIndex(text))
    assert offsets is not None
    everything = _nodes_under(module)
    units = [n for n in everything if id(n) in offsets]
    assert len(units) == len(offsets) and len(units) >= len(module.body)
    full = spans(module, everything)
    for unit in units:
        nodes = _nodes_under(unit)
        part = spans_in_units(module, nodes, [unit], offsets, text)
        assert part is not None, type(unit).__name__
        for n in nodes:
            if id(n) in full:
                assert part[id(n)] == full[id(n)], type(n).__name__
    # a node outside the generated statements: no answer (the engine generates everything)
    if len(module.body) > 1:
        assert spans_in_units(module, [module.body[-1]], [module.body[0]], offsets, text) is None
