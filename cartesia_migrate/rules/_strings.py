"""String literal values without compiling them in the common case.

``libcst.SimpleString.evaluated_value`` is ``ast.literal_eval(node.value)``: a compile per
call.  Most literals are prefix-less, single-quoted and free of backslashes, and the value
of such a literal is the text between its quotes.
"""
from __future__ import annotations

from typing import Optional, Union

import libcst as cst


def plain_body(value: str) -> Optional[str]:
    """The value of the literal spelled ``value`` when it is a prefix-less, single-quoted,
    backslash-free one-line literal (exactly what ``ast.literal_eval`` returns), else None."""
    q = value[:1]
    if q != '"' and q != "'" or len(value) < 2 or value[-1] != q:
        return None
    body = value[1:-1]
    if q in body or "\\" in body or "\n" in body or "\r" in body or "\0" in body:
        return None  # triple-quoted (or not a literal), escapes, line breaks
    if not body.isascii():
        try:
            body.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: literal_eval refuses the source
            return None
    return body


def evaluated_value(node: cst.SimpleString) -> Union[str, bytes]:
    """``node.evaluated_value`` (raising what it raises), cheaply for plain literals."""
    v = plain_body(node.value)
    return node.evaluated_value if v is None else v
