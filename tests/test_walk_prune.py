"""The walker skips subtrees no visitor can observe; nothing a visitor sees may change.

Two checks on real code (libcst's own sources, the examples, a tricky snippet):
- libcst's field annotations, from which the walker decides what may occur below a
  field, hold for every node of those trees;
- for many sets of visitor methods, the calls a visitor receives (in order, with the
  ancestor stack at each call) are the same as in a walk that enters every node.
"""
import glob
import os
import random

import libcst as cst
import pytest

from cartesia_migrate import walk as W

HERE = os.path.dirname(__file__)
SAMPLES = sorted(glob.glob(os.path.join(os.path.dirname(cst.__file__), "_nodes", "*.py")))[:6] + sorted(
    glob.glob(os.path.join(os.path.dirname(HERE), "examples", "**", "*.py"), recursive=True))[:6]
TRICKY = (
    'x = (\r\n  1,  # c\r\n)\r\n@d  # deco\r\nclass A(B, metaclass=M):  # cls\r\n'
    '    """doc"""\r\n    def f(self, a: "T" = 1, *, b=[  # in list\r\n 2]) -> int: return a\r\n'
    'y = f"{a!r:>{w}} {b}" + rb"z"  # tail\r\nimport a.b as c, d\r\nfrom . import (e,  # imp\r\n f)\r\n'
    'async def g():\r\n    async with h() as (i, j):\r\n        await k[1:2, ::3]\r\n'
    '    return [m async for m in n if m]\r\nlambda p, *q, **r: {**p, "s": q}\r\n'
    'while not x: del x; break\r\nelse: pass\r\ntry: ...\r\nexcept* E as e: raise\r\n'
    'z = ~x @ y ** -1 if x is not y else {x for x in y}\r\nglobal t; nonlocal u\r\n'
)


def _trees():
    out = [("<tricky>", cst.parse_module(TRICKY))]
    for path in SAMPLES:
        with open(path, encoding="utf-8") as f:
            out.append((path, cst.parse_module(f.read())))
    return out


TREES = _trees()


def _classes_in(module):
    seen = set()

    def rec(node):
        seen.add(type(node))
        for f in W._fields(type(node)):
            v = getattr(node, f)
            for c in (v if isinstance(v, (list, tuple)) else (v,)):
                if isinstance(c, cst.CSTNode):
                    rec(c)

    rec(module)
    return seen


@pytest.mark.parametrize("name,module", TREES, ids=[t[0] for t in TREES])
def test_annotations_hold(name, module):
    def rec(node):
        kinds = W._field_classes(type(node))
        for f in W._fields(type(node)):
            v = getattr(node, f)
            allowed = kinds[f]
            for c in (v if isinstance(v, (list, tuple)) else (v,)):
                if isinstance(c, cst.CSTNode):
                    if W._is_node(type(c)):
                        assert allowed is None or type(c) in allowed, (type(node).__name__, f, type(c).__name__)
                        assert W._reach(type(node)) is None or type(c).__name__ in W._reach(type(node))
                    rec(c)

    rec(module)


def _recorder(names):
    """A visitor class with the given visit_/leave_ method names, recording each call."""
    ns = {}
    for n in names:
        def method(self, node, n=n):
            self.log.append((n, type(node).__name__, tuple(id(x) for x in self.stack)))
        ns[n] = method
    return type("Rec", (cst.BatchableCSTVisitor,), ns)


def _trace(module, names, everything):
    stack = []
    rec = _recorder(names)()
    rec.log, rec.stack = [], stack
    visitors = [rec]
    if everything:  # a visitor with a method for every node type: nothing can be skipped
        visitors.append(_recorder(["visit_" + c.__name__ for c in W._subclasses(cst.CSTNode)])())
        visitors[-1].log, visitors[-1].stack = [], stack
    W.walk(module, visitors, stack)
    assert stack == []
    return rec.log


def _method_sets(module):
    classes = sorted(c.__name__ for c in _classes_in(module) if W._is_node(c))
    sets = [["visit_Comment"], ["visit_Name"], ["leave_Comma"], ["visit_EmptyLine", "leave_Integer"],
            ["visit_TrailingWhitespace"], ["visit_FormattedStringText"], ["visit_Param_name", "leave_Param_name"],
            ["visit_ClassDef_body", "leave_ClassDef_body", "visit_LeftParen"], ["visit_Dot"],
            ["visit_FunctionDef_returns", "visit_Lambda_params", "leave_Call_args", "visit_AssignEqual"],
            ["visit_ImportFrom_names", "visit_ImportStar", "visit_Semicolon"], []]
    rnd = random.Random(len(classes))
    for _ in range(6):
        pick = rnd.sample(classes, min(3, len(classes)))
        sets.append(["visit_" + c for c in pick] + ["leave_" + pick[0]])
    return sets


@pytest.mark.parametrize("name,module", TREES, ids=[t[0] for t in TREES])
def test_pruned_walk_calls_what_a_full_walk_calls(name, module):
    for names in _method_sets(module):
        full = _trace(module, names, everything=True)
        assert _trace(module, names, everything=False) == full, names
        if name == "<tricky>" and names and names[0].count("_") == 1:
            assert full, names  # the set exercises something
