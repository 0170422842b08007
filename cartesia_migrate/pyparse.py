"""Parsing Python with libcst without ever taking the process down.

libcst's native (Rust) parser overflows the C stack -- a SIGSEGV no ``except`` can
catch -- on deeply nested input (about 3,000 nested brackets on an 8 MB stack; see
Instagram/LibCST#619, #980, #1000), and it is super-linear on long left-recursive chains
(``a + a + ...``, ``a.b.c...``: 2,000 terms take seconds, 4,000 take 15 s).  The rest of
the pipeline (the rule walk, code generation) is recursive Python that stops at a few
hundred levels anyway.  So before libcst sees a file, CPython's own parser (``ast``; a
few percent of libcst's time) checks it:

- CPython refuses it as too deep (more than 200 nested brackets, 100 indentation
  levels, or its recursion limit): refused here too, with that reason;
- CPython parses it: the tree's depth must stay within ``MAX_DEPTH``;
- CPython reports a syntax error: libcst may still accept the file (syntax newer than
  the running interpreter), so a bracket count that cannot crash decides, and if libcst
  fails too, CPython's message (which places errors precisely and recognises Python 2)
  is the one reported.

Every failure is an :class:`~cartesia_migrate.io.InputError` with a one-line reason.
"""
from __future__ import annotations

import ast
import gc
import re
import warnings
from typing import Optional

from .io import InputError

#: CPython's own limit on nested brackets (the tokenizer's MAXLEVEL)
MAX_BRACKETS = 200
#: deepest syntax tree handed to libcst (CPython's ``ast`` depth; libcst's is about the same)
MAX_DEPTH = 1000

_CPYTHON_TOO_DEEP = ("too many nested parentheses", "too many levels of indentation", "too complex",
                     "too many nested", "parser stack overflow")


def parse_module(text: str, outline: Optional[list] = None):
    """The libcst Module of ``text``; InputError (one line, with line and column) otherwise.

    ``outline`` (a list) receives CPython's ``ast`` tree of ``text`` when CPython parses it
    (``positions.statement_offsets`` places statements by its line numbers).
    """
    import libcst as cst

    cpython_error = precheck(text, outline)
    enabled = gc.isenabled()
    gc.disable()  # parsing makes millions of young objects and few cycles: about 35% faster
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as e:
        if cpython_error is not None:
            raise InputError(describe_syntax_error(cpython_error, text))
        raise InputError(_libcst_message(e))
    except RecursionError:
        raise InputError("too deeply nested to parse")
    except MemoryError:
        raise InputError("out of memory while parsing")
    except Exception as e:  # the native parser's own errors
        if cpython_error is not None:
            raise InputError(describe_syntax_error(cpython_error, text))
        raise InputError("cannot parse: %s" % _shorten(str(e).splitlines()[0] if str(e) else type(e).__name__))
    finally:
        if enabled:
            gc.enable()


def precheck(text: str, outline: Optional[list] = None) -> Optional[SyntaxError]:
    """Refuse (InputError) what could crash or stall libcst; return CPython's SyntaxError, if any."""
    enabled = gc.isenabled()
    gc.disable()  # an AST has no cycles: the collector would only slow the parse down (3-4x)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning / DeprecationWarning for escapes
            tree = ast.parse(text)
    except SyntaxError as e:
        msg = str(e.msg or "")
        if any(m in msg for m in _CPYTHON_TOO_DEEP):
            raise InputError("too deeply nested to parse safely (%s at line %s)" % (msg, e.lineno))
        depth, line = bracket_depth(text)
        if depth > MAX_BRACKETS:
            raise InputError("too deeply nested to parse safely (%d nested brackets at line %d; limit %d)"
                             % (depth, line, MAX_BRACKETS))
        return e
    except (RecursionError, MemoryError):
        raise InputError("too deeply nested to parse safely (CPython's own parser gives up on it)")
    except ValueError:  # NUL bytes: refused earlier by io.decode_python
        return None
    finally:
        if enabled:
            gc.enable()
    depth, line = tree_depth(tree, text)
    if outline is not None:
        outline.append(tree)  # the engine places statements by its line numbers
    del tree
    if depth > MAX_DEPTH:
        raise InputError("too deeply nested to parse safely (syntax tree %d levels deep at line %d; limit %d)"
                         % (depth, line, MAX_DEPTH))
    return None


def tree_depth(tree: ast.AST, text: str = "") -> "tuple[int, int]":
    """(depth, line) of the deepest node of an ``ast`` tree that could exceed ``MAX_DEPTH``.

    Iterative (no recursion).  With ``text``, a subtree whose source is too short to nest
    past the limit is not walked (a level of nesting takes at least one character of
    source, and at most one position-less node sits between two that have positions), so
    ordinary files cost a walk over their statements, not over every node.
    """
    starts = [0] + [m.end() for m in _NEWLINE.finditer(text)] if text else None
    best, best_line = 0, 1
    stack = [(tree, 1)]
    iter_children = ast.iter_child_nodes
    while stack:
        node, d = stack.pop()
        if d > best:
            best, best_line = d, getattr(node, "lineno", best_line)
        if starts is not None:
            end_line = getattr(node, "end_lineno", None)
            if end_line is not None and end_line <= len(starts):
                # columns are UTF-8 byte offsets: never fewer than the characters they span
                span = starts[end_line - 1] + node.end_col_offset - starts[node.lineno - 1]
                if d + 2 * span + 2 < MAX_DEPTH:
                    continue
        for child in iter_children(node):
            stack.append((child, d + 1))
    return best, best_line


_NEWLINE = re.compile(r"\r\n|\r|\n")


# strings (any prefix, single or triple quoted, unterminated ones to the end of the line or
# file), comments and brackets: enough to count bracket nesting without tokenizing
_BRACKET_SCAN = re.compile(r'''
      \#[^\r\n]*
    | """[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*(?:"""|\Z)
    | \'\'\'[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*(?:\'\'\'|\Z)
    | "[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"?
    | '[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*'?
    | [(\[{]
    | [)\]}]
''', re.VERBOSE | re.DOTALL)


def bracket_depth(text: str) -> "tuple[int, int]":
    """(deepest bracket nesting, its line) outside strings and comments."""
    depth = best = 0
    best_pos = 0
    for m in _BRACKET_SCAN.finditer(text):
        c = m.group()
        if c in "([{":
            depth += 1
            if depth > best:
                best, best_pos = depth, m.start()
        elif c in ")]}":
            depth = max(0, depth - 1)
    return best, text.count("\n", 0, best_pos) + 1


def compile_problem(text: str) -> Optional[str]:
    """None when CPython compiles ``text`` (or cannot tell: too deep), else a one-line reason."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<fixed>", "exec", dont_inherit=True)
        except SyntaxError as e:
            return "line %s: %s" % (e.lineno, _shorten(str(e.msg or "invalid syntax"), 120))
        except (ValueError, RecursionError, MemoryError, OverflowError):
            return None
    return None


# ---------------------------------------------------------------------------------------
# deep trees

#: stack of the thread that re-runs an analysis the default recursion limit stopped
DEEP_STACK_BYTES = 512 * 1024 * 1024
#: recursion limit while it runs (about 13 KB of stack per frame: safe on every CPython)
DEEP_RECURSION_LIMIT = 40000


def call_with_deep_stack(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` in a thread with a 512 MB stack and a recursion limit of 40,000.

    For files that CPython compiles but whose libcst tree is deeper than the default limit
    of 1,000 lets the (recursive) rule walk and code generation go: long implicit string
    concatenations (``pydoc_data/topics.py``, long prompts split over hundreds of lines).
    The stack is only reserved address space; the pages used are the ones touched.
    """
    import sys
    import threading

    box = {}

    def run() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as e:  # handed to the caller's thread
            box["error"] = e

    try:
        old_size = threading.stack_size(DEEP_STACK_BYTES)
    except (ValueError, RuntimeError):  # pragma: no cover - platform without settable stacks
        return fn(*args, **kwargs)
    try:
        thread = threading.Thread(target=run, name="cartesia-migrate-deep", daemon=True)
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION_LIMIT))
        try:
            thread.start()
        finally:
            threading.stack_size(old_size)
        try:
            thread.join()
        finally:
            sys.setrecursionlimit(old_limit)
    except BaseException:
        raise
    if "error" in box:
        raise box["error"]
    return box["value"]


# ---------------------------------------------------------------------------------------
# messages

_PY2_MESSAGES = ("Missing parentheses in call to 'print'", "Missing parentheses in call to 'exec'",
                 "multiple exception types must be parenthesized",
                 "leading zeros in decimal integer literals")
_PY2_LINE = re.compile(r"""(?x)
      ^\s*raise\s+[\w.]+\s*,              # raise E, "message"
    | ^\s*print\s*>>                      # print >>f, x
    | ^\s*exec\s+[^\s(=]                  # exec code in ns
    | \b\d+[lL]\b                         # long literals
    | \b[uU][rR]['"]                      # ur"..."
""")


def describe_syntax_error(e: SyntaxError, text: str) -> str:
    """``syntax error at line L, column C: <CPython's message>`` (+ a Python 2 hint)."""
    msg = str(e.msg or "invalid syntax")
    line = e.lineno or 1
    col = e.offset or 1
    lines = text.splitlines()
    src_line = lines[line - 1] if 0 < line <= len(lines) else ""
    out = "syntax error at line %d, column %d: %s" % (line, col, _shorten(msg))
    if looks_like_python2(msg, src_line, col):
        out += " (this looks like Python 2 code; cartesia-migrate reads Python 3 only)"
    return out


def _libcst_message(e) -> str:
    """For a file CPython accepts and libcst does not (a libcst limitation, or syntax newer
    than libcst knows): say so, with libcst's own position (its ``raw_line`` is off by one)."""
    msg = str(getattr(e, "message", "") or "invalid syntax").splitlines()[0]
    m = re.match(r"(?:parser error: )?error at (\d+):(\d+): (.*)", msg)
    if m:
        where = "line %s, column %d" % (m.group(1), int(m.group(2)) + 1)
        msg = m.group(3)
    else:
        where = "line %d, column %d" % (e.raw_line, e.raw_column + 1)
    return "libcst cannot parse this file, though CPython can: %s: %s" % (where, _shorten(msg, 120))


def looks_like_python2(msg: str, line: str, col: int = 0) -> bool:
    if any(m in msg for m in _PY2_MESSAGES) or _PY2_LINE.search(line):
        return True
    at = line[max(col - 1, 0):max(col - 1, 0) + 2]
    return at.startswith("`") or at == "<>"


def _shorten(s: str, limit: int = 200) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "\u2026"
