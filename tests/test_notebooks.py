"""Jupyter notebooks: code cells checked like Python, fixes that touch only the cells' source."""
import json
import os

import pytest

from tests.inproc import invoke

from cartesia_migrate.config import Settings
from cartesia_migrate.engine import check_source, fix_source
from cartesia_migrate.handlers.notebook import mask_cell, read_notebook

CM1 = Settings(select=("CM1",))  # other rule families may also fire on these snippets
KEY = "sk_car_" + "Xy7Qp2Lm9Rt4Vb8Nc3Wd6"
OUTPUT_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def nb(cells, language="python", indent=1, ensure_ascii=False):
    doc = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": language, "name": "python3"},
                     "language_info": {"name": language}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    return json.dumps(doc, indent=indent, ensure_ascii=ensure_ascii, sort_keys=True) + "\n"


def code(*lines, outputs=None, count=None):
    return {"cell_type": "code", "execution_count": count, "id": "c%d" % len(lines), "metadata": {"tags": []},
            "outputs": outputs or [], "source": list(lines)}


def md(text):
    return {"cell_type": "markdown", "id": "m", "metadata": {}, "source": [text]}


DEMO = [
    md("# Migrating off sonic-english — notes"),
    code("%pip install cartesia\n",
         "from cartesia import Cartesia\n",
         "!echo sonic-english\n",
         "files = !ls\n",
         "Cartesia?\n",
         "x = (1\n",
         "     % 2)\n",
         "MODEL = \"sonic-english\"  # é",
         outputs=[{"output_type": "stream", "name": "stdout", "text": ["sonic-english\n"]},
                  {"output_type": "display_data", "data": {"image/png": OUTPUT_PNG, "text/plain": ["<img>"]},
                   "metadata": {}}],
         count=3),
    code("client = Cartesia(api_key='x')\n",
         "client.tts.generate(model_id='sonic', transcript='hi')\n",
         "client.tts.generate(model_id='sonic-english', transcript='hi')  # noqa: CM101\n"),
    code("%%bash\n", "echo model_id=sonic-english\n"),
]


def test_findings_are_located_by_cell_and_row_within_the_cell():
    found = check_source(nb(DEMO), "demo.ipynb", CM1)
    assert [(f.code, f.cell, f.location, f.end_location) for f in found] == [
        ("CM101", 2, (8, 9), (8, 24)),
        ("CM101", 3, (2, 30), (2, 37)),
    ]


def test_text_and_json_output_name_the_cell(tmp_path):
    p = tmp_path / "demo.ipynb"
    p.write_text(nb(DEMO), encoding="utf-8")
    r = invoke("check", str(p), "--no-cache", "--select", "CM1")
    assert r.code == 1
    assert "%s:cell 2:8:9: CM101" % p in r.out
    assert "%s:cell 3:2:30: CM101" % p in r.out
    r = invoke("check", str(p), "--no-cache", "--select", "CM1", "--output-format", "json")
    data = json.loads(r.out)
    assert [(d["cell"], d["location"]) for d in data] == [(2, {"row": 8, "column": 9}),
                                                           (3, {"row": 2, "column": 30})]


def test_fix_round_trip_changes_only_the_source_strings():
    text = nb(DEMO)
    new, remaining = fix_source(text, "demo.ipynb", CM1)
    assert remaining == []
    old_lines, new_lines = text.splitlines(True), new.splitlines(True)
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert changed == [
        ('    "MODEL = \\"sonic-english\\"  # é"\n', '    "MODEL = \\"sonic-3.6-2026-08-27\\"  # é"\n'),
        ('    "client.tts.generate(model_id=\'sonic\', transcript=\'hi\')\\n",\n',
         '    "client.tts.generate(model_id=\'sonic-3.6-2026-08-27\', transcript=\'hi\')\\n",\n'),
    ]
    before, after = json.loads(text), json.loads(new)
    for cell_before, cell_after in zip(before["cells"], after["cells"]):
        assert {k: v for k, v in cell_before.items() if k != "source"} == \
            {k: v for k, v in cell_after.items() if k != "source"}
    assert fix_source(new, "demo.ipynb", CM1)[0] == new  # idempotent


def test_clean_notebook_is_left_byte_identical():
    text = nb([md("sonic"), code("import cartesia\n", "MODEL = 'sonic-3.6-2026-08-27'")])
    assert check_source(text, "ok.ipynb", CM1) == []
    assert fix_source(text, "ok.ipynb", CM1)[0] == text


def test_fix_that_adds_a_line_writes_it_as_its_own_source_element():
    text = nb([code("import cartesia\n", "client = cartesia.Cartesia(api_key=\"%s\")" % KEY)], indent=2)
    new, remaining = fix_source(text, "k.ipynb", Settings(select=("CM201",)), unsafe=True)
    assert remaining == []
    cell = json.loads(new)["cells"][0]
    assert cell["source"] == ["import os\n", "import cartesia\n",
                              "client = cartesia.Cartesia(api_key=os.environ[\"CARTESIA_API_KEY\"])"]
    # same layout as the other elements: one per line, the array's own indentation
    assert '        "import os\\n",\n        "import cartesia\\n",\n' in new
    assert fix_source(new, "k.ipynb", Settings(select=("CM201",)), unsafe=True)[0] == new


def test_source_written_as_one_string_is_fixed_in_place():
    doc = json.loads(nb([code()]))
    doc["cells"][0]["source"] = "import cartesia\nm = cartesia.Cartesia().tts.generate(model_id=\"sonic\")\n"
    text = json.dumps(doc, indent=1)
    new, _ = fix_source(text, "s.ipynb", CM1)
    assert json.loads(new)["cells"][0]["source"] == \
        "import cartesia\nm = cartesia.Cartesia().tts.generate(model_id=\"sonic-3.6-2026-08-27\")\n"
    assert new.replace("sonic-3.6-2026-08-27", "sonic") == text


def test_ascii_escaped_notebooks_stay_escaped():
    text = nb([code("import cartesia  # café\n", "MODEL = 'sonic-english'  # naïve")], ensure_ascii=True)
    assert text.isascii()
    new, _ = fix_source(text, "a.ipynb", CM1)
    assert new.isascii() and "\\u00ef" in new and "sonic-3.6-2026-08-27" in new


def test_cells_share_one_module_context():
    # the import in cell 1 gives Cartesia context to an ambiguous ID in cell 3
    text = nb([code("from cartesia import Cartesia"), md("text"), code("MODEL_ID = 'sonic'")])
    found = check_source(text, "ctx.ipynb", CM1)
    assert [(f.cell, f.location) for f in found] == [(3, (1, 12))]


def test_non_python_kernels_are_skipped():
    text = nb([code("MODEL = 'sonic-english'")], language="R")
    assert check_source(text, "r.ipynb", CM1) == []


def test_a_cell_that_does_not_parse_is_an_error_naming_the_cell(tmp_path):
    p = tmp_path / "bad.ipynb"
    p.write_text(nb([code("import cartesia\n"), code("x = 'sonic-english'\n", "def f(:\n")]), encoding="utf-8")
    r = invoke("check", str(p), "--no-cache", "--select", "CM1")
    assert r.code == 2
    assert "cell 2" in r.err and "line 2" in r.err


def test_invalid_json_is_an_error(tmp_path, cli):
    p = tmp_path / "broken.ipynb"
    p.write_text('{"cells": ["import cartesia"', encoding="utf-8")
    r = cli("check", str(p), "--no-cache", "--select", "CM1")
    assert r.code == 2 and "invalid notebook JSON" in r.err


def test_fix_writes_the_notebook_in_place(tmp_path, cli):
    p = tmp_path / "demo.ipynb"
    p.write_text(nb(DEMO), encoding="utf-8")
    r = cli("fix", str(p), "--no-cache", "--select", "CM1")
    assert r.code == 0, r.err
    assert "sonic-english\\\"  # é" not in p.read_text(encoding="utf-8")
    assert cli("check", str(p), "--no-cache", "--select", "CM1").code == 0


def test_directories_pick_up_notebooks(tmp_path):
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "demo.ipynb").write_text(nb(DEMO), encoding="utf-8")
    r = invoke("check", str(tmp_path), "--no-cache", "--select", "CM1")
    assert r.code == 1 and "demo.ipynb:cell 2:8:9" in r.out


# ---- masking IPython syntax --------------------------------------------------------------

@pytest.mark.parametrize("src, masked_lines", [
    ("%time f()\nx = 1\n", [0]),
    ("!pip install x\n", [0]),
    ("!pip install \\\n  cartesia\nx = 1\n", [0, 1]),
    ("files = !ls\n", [0]),
    ("a, b = %sx ls\n", [0]),
    ("Cartesia?\n??Cartesia.tts\n", [0, 1]),
    ("for i in x:\n    !echo $i\n", [1]),
    ("x = (1\n     % 2)\n", []),  # a modulo continuation, not a magic
    ('s = """\n%not a magic\n"""\n', []),  # inside a string
    ("x = 1 \\\n    % 2\n", []),  # after a backslash continuation
    ("a != b\n", []),
    ("%%bash\necho hi\n", [0, 1]),
    ("%%time\nx = f()\n", [0]),
])
def test_mask_cell(src, masked_lines):
    masked, lines = mask_cell(src)
    assert lines == masked_lines
    assert masked.count("\n") == src.count("\n")
    import libcst

    libcst.parse_module(masked)  # masked cells are valid Python
    for i, (a, b) in enumerate(zip(src.splitlines(), masked.splitlines())):
        if i not in masked_lines:
            assert a == b


def test_a_fix_that_would_touch_a_masked_line_is_dropped():
    # the finding is reported; its fix would rewrite a statement that spans a magic line
    from cartesia_migrate.engine import LineIndex, make_edit
    from cartesia_migrate.finding import Fix
    from cartesia_migrate.handlers.notebook import NotebookHandler

    text = nb([code("if True:\n", "    !ls\n", "    m = 'sonic'\n")])
    notebook = read_notebook(text)
    v = notebook.virtual
    idx = LineIndex(v)
    whole = make_edit(idx, 0, v.index("m = "), "if False:\n    pass\n")
    fix = Fix("safe", "x", (whole,))
    assert NotebookHandler._map_fix(notebook, fix, LineIndex(text), False) is None
    inside = make_edit(idx, v.index("'sonic'"), v.index("'sonic'") + 7, "'sonic-3'")
    mapped = NotebookHandler._map_fix(notebook, Fix("safe", "x", (inside,)), LineIndex(text), False)
    a = mapped.edits[0]
    assert text[:a.start_offset] + a.content + text[a.end_offset:] == text.replace("'sonic'", "'sonic-3'")


def test_appending_to_a_cell_without_a_final_newline():
    from cartesia_migrate.engine import LineIndex, make_edit
    from cartesia_migrate.finding import Fix
    from cartesia_migrate.handlers.notebook import NotebookHandler

    text = nb([code("import cartesia\n", "x = 1"), code("y = 2")])
    notebook = read_notebook(text)
    v = notebook.virtual
    sep = v.index("x = 1\n") + len("x = 1\n")  # the blank separator line after cell 1
    e = make_edit(LineIndex(v), sep, sep, "import os\n")
    mapped = NotebookHandler._map_fix(notebook, Fix("safe", "x", (e,)), LineIndex(text), False)
    a = mapped.edits[0]
    new = text[:a.start_offset] + a.content + text[a.end_offset:]
    cells = json.loads(new)["cells"]
    assert cells[0]["source"] == ["import cartesia\n", "x = 1\n", "import os"]
    assert cells[1]["source"] == ["y = 2"]


def test_settings_and_per_file_ignores_apply(tmp_path):
    text = nb(DEMO)
    s = Settings(select=("CM1",), per_file_ignores=(("*.ipynb", ("CM101",)),), root=str(tmp_path))
    assert check_source(text, os.path.join(str(tmp_path), "demo.ipynb"), s) == []


def test_sarif_regions_point_into_the_ipynb_file(tmp_path):
    p = tmp_path / "demo.ipynb"
    text = nb(DEMO)
    p.write_text(text, encoding="utf-8")
    r = invoke("check", str(p), "--no-cache", "--select", "CM1", "--output-format", "sarif")
    results = json.loads(r.out)["runs"][0]["results"]
    lines = text.splitlines()
    for res in results:
        region = res["locations"][0]["physicalLocation"]["region"]
        line = lines[region["startLine"] - 1]
        assert region["startLine"] == region["endLine"]
        snippet = line[region["startColumn"] - 1:region["endColumn"] - 1]
        assert snippet in ('\\"sonic-english\\"', "'sonic'")
        # the fix's replacement applies to the same place of the file
        rep = res["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
        assert rep["startLine"] == region["startLine"]


# ---- robustness: random cells ------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_LINES = st.sampled_from([
    "%time f()\n", "!pip install cartesia\n", "files = !ls\n", "Cartesia?\n", "%%bash\n", "x = (1\n",
    "     % 2)\n", "import cartesia\n", "MODEL = 'sonic-english'\n", "M2 = \"sonic\"  # é\n",
    "client.tts.generate(model_id='sonic-2', language='it')\n", "def f():\n", "    !echo hi\n",
    "    return 'sonic-english'\n", "s = '''\n", "%not magic\n", "'''\n", "\n", "y = 1 \\\n",
    "c = cartesia.Cartesia(api_key='%s')\n" % KEY, "z = 'sonic-english'",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_LINES, max_size=6), min_size=1, max_size=4), st.booleans(), st.booleans())
def test_random_notebooks_round_trip(cells, as_string, ascii_only):
    from cartesia_migrate.io import InputError

    doc = json.loads(nb([code(*lines, outputs=[{"output_type": "stream", "name": "stdout", "text": ["é\n"]}])
                         for lines in cells], ensure_ascii=ascii_only))
    if as_string:
        for c in doc["cells"]:
            c["source"] = "".join(c["source"])
    text = json.dumps(doc, indent=1, ensure_ascii=ascii_only) + "\n"
    everything = Settings(select=("CM",))
    try:
        check_source(text, "r.ipynb", everything)
    except InputError:
        return  # a cell that is not Python: reported as an error, never fixed
    new, _ = fix_source(text, "r.ipynb", everything, unsafe=True)
    before, after = json.loads(text), json.loads(new)
    assert [{k: v for k, v in c.items() if k != "source"} for c in before["cells"]] == \
        [{k: v for k, v in c.items() if k != "source"} for c in after["cells"]]
    assert before["metadata"] == after["metadata"]
    for cb, c in zip(before["cells"], after["cells"]):  # one line per element stays so
        if isinstance(c["source"], list) and all(s.endswith("\n") for s in cb["source"][:-1]):
            assert all(s.endswith("\n") for s in c["source"][:-1])
            assert all(s.count("\n") <= 1 for s in c["source"])
    # masked IPython lines are never touched
    for cb, ca in zip(before["cells"], after["cells"]):
        src_b = "".join(cb["source"]) if isinstance(cb["source"], list) else cb["source"]
        src_a = "".join(ca["source"]) if isinstance(ca["source"], list) else ca["source"]
        for line in src_b.splitlines():
            if line.lstrip().startswith(("%", "!")) and not line.lstrip().startswith("%not"):
                assert line in src_a.splitlines()
    assert fix_source(new, "r.ipynb", everything, unsafe=True)[0] == new


def test_github_annotations_use_the_ipynb_lines(tmp_path):
    p = tmp_path / "demo.ipynb"
    text = nb(DEMO)
    p.write_text(text, encoding="utf-8")
    r = invoke("check", str(p), "--no-cache", "--select", "CM1", "--output-format", "github")
    first = r.out.splitlines()[0]
    row = int(first.split(",line=")[1].split(",")[0])
    assert 'MODEL = \\"sonic-english\\"' in text.splitlines()[row - 1]
