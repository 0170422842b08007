"""Jupyter notebooks (``.ipynb``): code cells are checked and fixed like one Python module.

How (as ruff does): the code cells are joined into one virtual module, analysed with the
Python pipeline (so an ``import cartesia`` in cell 1 gives context to cell 5), and each finding is
mapped back to its cell: ``location`` rows are rows *within the cell* and ``Finding.cell`` is the
1-based cell number (markdown cells count, as editors number them).

IPython syntax is masked, never parsed: line magics (``%time``), shell lines (``!pip``),
``x = !cmd`` / ``x = %sx``, help lines (``obj?``), and whole cell magics (``%%bash``); only lines at
the start of a statement (outside brackets, strings and continuations) count.  A masked line becomes
``pass`` (or a blank line), so rows and columns of every other line are unchanged; a fix that would
touch a masked line is dropped (the finding is still reported).  Notebooks whose kernel is not
Python are skipped.

Fixes rewrite only the cells' ``source`` strings.  An edit inside one source line becomes an edit
inside that JSON string token; an edit that adds or removes lines replaces just the affected tokens,
written in the notebook's own layout (separator and indentation copied from the array, non-ASCII
escaped only if the file does so).  Outputs, metadata and every other byte stay identical.  The
edits of a notebook finding's ``fix`` are therefore offsets and rows/columns of the ``.ipynb`` file
itself (applying them to the file gives the fixed notebook), while the finding's own location is
cell-relative.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import replace
from typing import List, Optional, Tuple

from .. import engine, filetypes
from ..finding import Edit, Finding, Fix
from ..io import InputError, Source
from . import _jsonspan

KIND = "notebook"

#: cell magics whose body is Python: only their first line is masked
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}

_HELP_RE = re.compile(r"^\s*(?:\?{1,2}[\w.]+|[\w.]+\?{1,2})\s*$")
_ASSIGN_MAGIC_RE = re.compile(r"^\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[!%]")


# ---------------------------------------------------------------------------------------
# masking IPython syntax


def _scan_state(line: str, state: dict) -> None:
    """Advance a tiny Python lexer over ``line``: open brackets, open (triple) strings,
    a trailing backslash.  Enough to know whether the next line starts a statement."""
    i = 0
    n = len(line)
    q = state["quote"]
    while i < n:
        c = line[i]
        if q:
            if c == "\\":
                i += 2
                continue
            if line.startswith(q, i):
                i += len(q)
                q = None
                continue
            i += 1
            continue
        if c == "#":
            break
        if c in "\"'":
            triple = line[i:i + 3]
            q = triple if triple in ('"""', "'''") else c
            i += len(q)
            continue
        if c in "([{":
            state["depth"] += 1
        elif c in ")]}":
            state["depth"] = max(0, state["depth"] - 1)
        i += 1
    if q and len(q) == 1 and not line.rstrip("\r\n").endswith("\\"):
        q = None  # an unterminated one-line string: a syntax error the parser will report
    state["quote"] = q
    body = line.rstrip("\r\n")
    state["continued"] = body.endswith("\\") and not q


def mask_cell(text: str) -> Tuple[str, List[int]]:
    """(Python text with IPython lines masked, 0-based numbers of the masked lines)."""
    lines = text.splitlines(True)
    if not lines:
        return text, []
    masked: List[int] = []
    out: List[str] = []
    first = next((ln for ln in lines if ln.strip()), "")
    if first.lstrip().startswith("%%"):
        name = first.lstrip()[2:].split(None, 1)[0] if first.lstrip()[2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            for i, ln in enumerate(lines):
                out.append(_ending(ln))
                masked.append(i)
            return "".join(out), masked
    state = {"depth": 0, "quote": None, "continued": False}
    magic_continues = False
    for i, ln in enumerate(lines):
        at_statement_start = state["depth"] == 0 and not state["quote"] and not state["continued"]
        body = ln.rstrip("\r\n")
        stripped = body.lstrip()
        if magic_continues:
            out.append(_ending(ln))
            masked.append(i)
            magic_continues = body.endswith("\\")
            continue
        if at_statement_start and stripped and (
                stripped[0] in "%!" or _HELP_RE.match(body) or _ASSIGN_MAGIC_RE.match(body)):
            indent = body[:len(body) - len(stripped)]
            out.append(indent + "pass" + _ending(ln))
            masked.append(i)
            magic_continues = body.endswith("\\")
            continue
        out.append(ln)
        _scan_state(ln, state)
    return "".join(out), masked


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


# ---------------------------------------------------------------------------------------
# the notebook model


class _Cell:
    def __init__(self, number: int, node: _jsonspan.JNode, text: str) -> None:
        self.number = number  # 1-based, all cells counted
        self.node = node  # the "source" value: an array of strings or one string
        self.text = text
        self.masked, self.masked_lines = mask_cell(text)
        self.extra_nl = 1 if text and not text.endswith("\n") else 0
        self.vstart = 0  # offset of the cell in the virtual module
        self.vrow = 1  # first row of the cell in the virtual module

    @property
    def elements(self) -> List[_jsonspan.JNode]:
        return self.node.items if self.node.kind == "array" else [self.node]


class Notebook:
    def __init__(self, text: str, root: _jsonspan.JNode, cells: List[_Cell]) -> None:
        self.text = text
        self.root = root
        self.cells = cells
        self.virtual = ""
        starts = []
        rows = []
        parts = []
        offset = 0
        row = 1
        for c in cells:
            c.vstart, c.vrow = offset, row
            starts.append(offset)
            rows.append(row)
            chunk = c.masked + "\n" * c.extra_nl + "\n"  # the cell, then a blank separator line
            parts.append(chunk)
            offset += len(chunk)
            row += chunk.count("\n")
        self.virtual = "".join(parts)
        self._starts = starts
        self._rows = rows

    def cell_at_row(self, row: int) -> Optional[_Cell]:
        i = bisect.bisect_right(self._rows, row) - 1
        return self.cells[i] if i >= 0 else None

    def cell_at_offset(self, offset: int) -> Optional[_Cell]:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.cells[i] if i >= 0 else None


def _language(root: _jsonspan.JNode) -> Optional[str]:
    meta = root.get("metadata")
    if meta is None or meta.kind != "object":
        return None
    for key, sub in (("kernelspec", "language"), ("language_info", "name")):
        node = meta.get(key)
        if node is not None and node.kind == "object":
            v = node.get(sub)
            if v is not None and v.kind == "string":
                return v.value
    return None


def read_notebook(text: str) -> Optional[Notebook]:
    """The notebook's code cells, or None for a notebook whose kernel is not Python."""
    try:
        root = _jsonspan.parse(text)
    except _jsonspan.JSONSpanError as e:
        raise InputError("invalid notebook JSON: %s" % e)
    if root.kind != "object":
        raise InputError("invalid notebook: the top level is not a JSON object")
    lang = _language(root)
    if lang is not None and lang.lower() not in ("python", "python3", "ipython", "ipython3"):
        return None
    cells_node = root.get("cells")
    if cells_node is None or cells_node.kind != "array":
        raise InputError("invalid notebook: no \"cells\" list (nbformat 4 is supported)")
    cells = []
    for number, cell in enumerate(cells_node.items, start=1):
        if cell.kind != "object":
            continue
        ctype = cell.get("cell_type")
        if ctype is None or ctype.kind != "string" or ctype.value != "code":
            continue
        src = cell.get("source")
        if src is None:
            continue
        if src.kind == "string":
            text_ = src.value
        elif src.kind == "array" and all(e.kind == "string" for e in src.items):
            text_ = "".join(e.value for e in src.items)
        else:
            continue
        cells.append(_Cell(number, src, text_))
    return Notebook(text, root, cells)


# ---------------------------------------------------------------------------------------
# mapping edits of the virtual module back into the JSON text


def _line_starts(text: str) -> List[int]:
    return [0] + [m.end() for m in re.finditer(r"\n", text)]


def _to_real(cell: _Cell, rel: int) -> Optional[int]:
    """A cell-relative offset in the masked text -> the same place in the real text."""
    vstarts = _line_starts(cell.masked + "\n" * cell.extra_nl)
    rstarts = _line_starts(cell.text + "\n" * cell.extra_nl)
    i = bisect.bisect_right(vstarts, rel) - 1
    if i in cell.masked_lines and rel != vstarts[i]:
        return None
    return rstarts[i] + (rel - vstarts[i])


def _raw_offset(cell: _Cell, real: int) -> int:
    """The offset in the JSON text of a character of the cell's source (by its offset there)."""
    elems = cell.elements
    pos = 0
    for k, e in enumerate(elems):
        n = len(e.value)
        if real < pos + n or k == len(elems) - 1:
            return e.start + _jsonspan.raw_index_map(e.raw)[max(0, min(real - pos, n))]
        pos += n
    return cell.node.start


def _layout(node: _jsonspan.JNode, text: str) -> Tuple[str, str]:
    """(text between '[' and the first element, separator between elements) of an array."""
    items = node.items
    lead = text[node.start + 1:items[0].start]
    if len(items) > 1:
        sep = text[items[0].end:items[1].start]
    else:
        sep = "," + lead if "\n" in lead else ", "
    return lead, sep


def _split_lines(s: str) -> List[str]:
    return [p for p in re.split(r"(?<=\n)", s) if p]


class _Unmappable(Exception):
    pass


def _cell_edit(nb: Notebook, cell: _Cell, new_text: str, ascii_only: bool,
               change: Optional[Tuple[int, int, str]] = None) -> Tuple[int, int, str]:
    """One raw edit of the JSON text that turns ``cell``'s source into ``new_text``.

    ``change`` is (start, end, content) in the cell's text when known; else the changed
    region is found by comparing the texts."""
    old = cell.text
    if change is not None:
        p, q_old, segment = change
    else:
        p = 0
        limit = min(len(old), len(new_text))
        while p < limit and old[p] == new_text[p]:
            p += 1
        s = 0
        while s < limit - p and old[len(old) - 1 - s] == new_text[len(new_text) - 1 - s]:
            s += 1
        q_old = len(old) - s
        segment = new_text[p:len(new_text) - s]
    elems = cell.elements
    if not elems:
        raise _Unmappable("empty cell")
    bounds = []
    pos = 0
    for e in elems:
        bounds.append((pos, pos + len(e.value)))
        pos += len(e.value)

    def element_of(offset: int) -> int:
        for k, (a, b) in enumerate(bounds):
            if a <= offset < b:
                return k
        return len(elems) - 1

    i = element_of(p)
    j = element_of(q_old - 1) if q_old > p else i
    if cell.node.kind == "string" or (i == j and "\n" not in segment and
                                      (q_old < bounds[i][1] or not elems[i].value.endswith("\n"))):
        # inside one string token
        tok = elems[i]
        raw = tok.raw
        index = _jsonspan.raw_index_map(raw)
        a, b = p - bounds[i][0], q_old - bounds[i][0]
        enc = _jsonspan.encode(segment, ascii_only)[1:-1]
        return tok.start + index[a], tok.start + index[b], enc
    # whole elements i..j are rewritten, one JSON string per line
    start, end = bounds[i][0], bounds[j][1]
    new_part = new_text[start:end + (len(new_text) - len(old))]
    lines = _split_lines(new_part)
    lead, sep = _layout(cell.node, nb.text)
    tokens = sep.join(_jsonspan.encode(ln, ascii_only) for ln in lines)
    if tokens:
        return elems[i].start, elems[j].end, tokens
    # every line of the elements removed: drop their tokens and one separator
    if j + 1 < len(elems):
        return elems[i].start, elems[j + 1].start, ""
    if i > 0:
        return elems[i - 1].end, elems[j].end, ""
    return elems[i].start, elems[j].end, ""


def _map_edit(nb: Notebook, e: Edit, ascii_only: bool) -> Tuple[int, int, str]:
    cell = nb.cell_at_offset(e.start_offset)
    if cell is None:
        raise _Unmappable("before the first cell")
    end_limit = cell.vstart + len(cell.masked) + cell.extra_nl
    a_rel, b_rel = e.start_offset - cell.vstart, e.end_offset - cell.vstart
    if e.end_offset > end_limit:
        raise _Unmappable("spans cells")
    ra, rb = _to_real(cell, a_rel), _to_real(cell, b_rel)
    if ra is None or rb is None:
        raise _Unmappable("touches a masked line")
    if e.start_offset != e.end_offset:
        vstarts = _line_starts(cell.masked)
        first = bisect.bisect_right(vstarts, a_rel) - 1
        last = bisect.bisect_right(vstarts, max(a_rel, b_rel - 1)) - 1
        if any(first <= m <= last for m in cell.masked_lines):
            raise _Unmappable("touches a masked line")
    extended = cell.text + "\n" * cell.extra_nl
    new = extended[:ra] + e.content + extended[rb:]
    if cell.extra_nl and new.endswith("\n"):
        new = new[:-1]
    change = (ra, rb, e.content) if rb <= len(cell.text) else None
    return _cell_edit(nb, cell, new, ascii_only, change)


# ---------------------------------------------------------------------------------------
# the handler


class NotebookHandler:
    kind = KIND
    python_encoding = False

    def analyze(self, source: Source, settings, models, codes) -> List[Finding]:
        from .. import registry

        classes = registry.select(codes, "python")
        if not classes:
            return []
        pf = registry.gate(classes)
        raw = source.raw if source.raw else source.text.encode("utf-8", "replace")
        if pf is not None and not pf.search(raw) and not pf.search(source.path.encode("utf-8", "replace")):
            return []
        nb = read_notebook(source.text)
        if nb is None or not nb.cells:
            return []
        virtual = Source(source.path, b"", nb.virtual, "utf-8", False, "\n")
        try:
            found = engine.analyze_python(virtual, settings, models, codes)
        except InputError as e:
            raise InputError(self._locate_error(nb, str(e)))
        if not found:
            return []
        ascii_only = _jsonspan.prefers_ascii(source.text)
        index = engine.LineIndex(source.text)
        vindex = engine.LineIndex(nb.virtual)
        out = []
        for f in found:
            cell = nb.cell_at_row(f.location[0])
            if cell is None:
                continue
            fix = f.fix
            if fix is not None:
                fix = self._map_fix(nb, fix, index, ascii_only)
            out.append(replace(
                f, cell=cell.number, fix=fix, file_region=self._file_region(cell, f, vindex, index),
                location=(f.location[0] - cell.vrow + 1, f.location[1]),
                end_location=self._end_in_cell(cell, f.end_location),
                noqa_row=(f.noqa_row - cell.vrow + 1) if f.noqa_row else f.noqa_row,
            ))
        return out

    @staticmethod
    def _file_region(cell: _Cell, f: Finding, vindex, index) -> Optional[Tuple[int, int, int, int]]:
        """Where the finding is in the .ipynb file (row/column of its JSON text)."""
        limit = len(cell.masked)
        spots = []
        for row, col in (f.location, f.end_location):
            rel = min(vindex.offset(row, col - 1) - cell.vstart, limit)
            real = _to_real(cell, rel)
            if real is None:
                return None
            spots.append(index.position(_raw_offset(cell, min(real, len(cell.text)))))
        return spots[0] + spots[1]

    @staticmethod
    def _end_in_cell(cell: _Cell, end: Tuple[int, int]) -> Tuple[int, int]:
        rows = cell.text.count("\n") + 1
        row = end[0] - cell.vrow + 1
        if row > rows:  # ends in the separator: clamp to the end of the cell's last line
            return rows, len(cell.text.rsplit("\n", 1)[-1]) + 1
        return row, end[1]

    @staticmethod
    def _map_fix(nb: Notebook, fix: Fix, index, ascii_only: bool) -> Optional[Fix]:
        try:
            raw = [_map_edit(nb, e, ascii_only) for e in fix.edits]
        except _Unmappable:
            return None
        raw.sort()
        for (a1, b1, _), (a2, b2, _) in zip(raw, raw[1:]):
            if a2 < b1 or (a1 == b1 == a2 == b2):
                return None  # edits of one fix collide once mapped to the JSON text
        edits = tuple(engine.make_edit(index, a, b, content) for a, b, content in raw)
        return Fix(fix.applicability, fix.message, edits)

    @staticmethod
    def _locate_error(nb: Notebook, message: str) -> str:
        """The parse error with its cell and the row within the cell."""
        import ast

        try:  # CPython's parser places syntax errors more precisely than libcst's
            ast.parse(nb.virtual)
        except SyntaxError as e:
            if e.lineno:
                cell = nb.cell_at_row(e.lineno)
                if cell is not None:
                    rows = cell.text.count("\n") + 1
                    return "cell %d: syntax error at line %d, column %d: %s" % (
                        cell.number, min(e.lineno - cell.vrow + 1, rows), (e.offset or 1), e.msg)
        except (ValueError, RecursionError, MemoryError):
            pass
        m = re.search(r"line (\d+)", message)
        cell = nb.cell_at_row(int(m.group(1))) if m else None
        if cell is None:
            return message
        rows = cell.text.count("\n") + 1
        return "cell %d: %sline %d%s" % (cell.number, message[:m.start()],
                                          min(int(m.group(1)) - cell.vrow + 1, rows), message[m.end():])

    def validate(self, text: str) -> Optional[str]:
        try:
            json.loads(text)
            nb = read_notebook(text)
        except (ValueError, InputError) as e:
            return str(e)
        if nb is None:
            return None
        return engine.HANDLERS["python"].validate(nb.virtual)


def _matches(name: str) -> bool:
    return name.endswith(".ipynb")


filetypes.register_kind(KIND, _matches)
engine.register_handler(KIND, NotebookHandler())
