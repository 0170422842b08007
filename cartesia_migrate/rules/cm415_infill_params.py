"""CM415 infill-params: 1.x/2.x infill calls -> 4.x ``client.tts.infill(...)``.

- ``tts.infill(left_audio_path=P)`` -> ``left_audio=pathlib.Path(P)`` (4.x takes a file,
  bytes or a path object; a plain ``str`` is rejected), same for ``right_audio_path``;
- 2.x ``tts.infill(voice={"mode": "id", "id": X})`` -> ``voice_id=X``;
- 2.x ``client.infill.bytes(..., output_format_container=..., output_format_sample_rate=...)``
  -> ``client.tts.infill(..., output_format={"container": ..., "sample_rate": ...})``,
  iterated with ``.iter_bytes()`` like the chunks 2.x yielded;
- 1.x/2.x ``tts.infill`` returned ``(infill_audio, total_audio)``; 4.x returns the
  infill audio only (a response): reported where the result is unpacked;
- 1.x/2.x skipped a side passed as ``None`` (``right_audio=None``); 4.x raises on it
  ("Expected entry at `right_audio` to be bytes, an io.IOBase instance, PathLike or a
  tuple"): the keyword is dropped, in ``tts.infill`` and ``infill.bytes`` calls alike;
- a keyword 4.2.0 ``tts.infill`` lacks (``_sdk.ACCEPTED_KEYWORDS``) blocks the fix.
"""

from __future__ import annotations

from typing import List

import libcst as cst

from .. import catalog
from ..bindings import dotted_name
from ..rule import EditRequest, Replace
from ._imports import ensure_import
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, call_with, check_keywords, kw_arg, remove_args, rename_kwarg, voice_dict

AUDIO_SIDES = ("left_audio", "right_audio")


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"

FORMAT_KEYS = (
    ("output_format_container", "container"),
    ("output_format_encoding", "encoding"),
    ("output_format_sample_rate", "sample_rate"),
    ("output_format_bit_rate", "bit_rate"),
)


class InfillParams(SdkRule):
    CODE = "CM415"
    PREFILTER = ((IMPORTS_CARTESIA, ident("infill")),)
    METHODS = frozenset({"infill", "bytes"})

    def check(self, site: Site) -> None:
        if site.path == "tts.infill":
            self._tts_infill(site)
        elif site.path == "infill.bytes":
            self._infill_bytes(site)

    def _tts_infill(self, site: Site) -> None:
        edits: List[EditRequest] = []
        changes = []
        unsafe = False
        dropped = []
        for old, new in (("left_audio_path", "left_audio"), ("right_audio_path", "right_audio")):
            a = site.arg(old)
            if a is None or site.arg(new) is not None:
                continue
            value = a.value
            if isinstance(value, cst.Name) and value.value == "None":
                dropped.append(a)  # 1.x/2.x: None meant "no audio on this side"
                changes.append("`%s=None` is dropped" % old)
                continue
            if _is_path(value):
                edits += rename_kwarg(a, new)
            else:
                edits.append(Replace(a, "%s=pathlib.Path(%s)" % (new, self.code(value))))
                # a str literal is certainly a path; a variable may hold None, which Path() rejects
                unsafe = unsafe or not isinstance(value, (cst.SimpleString, cst.FormattedString,
                                                          cst.ConcatenatedString))
            changes.append("`%s=` -> `%s=pathlib.Path(...)`" % (old, new))
        for side in AUDIO_SIDES:
            a = site.arg(side)
            if a is not None and _is_none(a.value):
                dropped.append(a)  # 4.x raises on None
                changes.append("`%s=None` is dropped (4.x raises on None; 1.x/2.x skipped it)" % side)
        if dropped:
            edits += remove_args(site.call, dropped)
        if any(isinstance(e, Replace) and isinstance(e.text, str) and "pathlib.Path(" in e.text for e in edits):
            edits += ensure_import(self.ctx.module, "import pathlib", "pathlib")
        voice = site.arg("voice")
        blocked = None
        if voice is not None and site.arg("voice_id") is None:
            vd = voice_dict(voice.value)
            if vd is not None and vd[0] == "id" and set(vd[1]) == {"mode", "id"}:
                edits += rename_kwarg(voice, "voice_id") + [Replace(voice.value, self.code(vd[1]["id"]))]
                changes.append('`voice={"mode": "id", "id": X}` -> `voice_id=X`')
            else:
                blocked = '`voice=` -> `voice_id="<voice id>"` (a string)'
        tts = self.code(site.receiver)  # type: ignore[arg-type]
        kc = check_keywords(site.call, "tts.infill", handled=("left_audio_path", "right_audio_path", "voice"))
        if kc.refused and (changes or blocked):
            blocked = kc.note().replace("not fixed: ", "")
            edits = []
        if changes or blocked:
            msg = "4.x `%s.infill()` renamed its parameters: %s" % (
                tts,
                "; ".join(changes + ([blocked] if blocked else [])),
            )
            if unsafe:
                msg += " (unsafe: `pathlib.Path()` rejects a None path)"
            self.report_site(
                site,
                msg + (" (not fixed: %s)" % blocked if blocked and not edits else ""),
                edits=edits,
                applicability=catalog.UNSAFE if unsafe and edits else None,
                fix_message="Rename the infill parameters" if edits else None,
            )
        parent = site.outer_parent()
        if isinstance(parent, cst.Assign) and any(
            isinstance(t.target, (cst.Tuple, cst.List)) for t in parent.targets
        ):
            self.report_site(
                site,
                "1.x/2.x `%s.infill()` returned `(infill_audio, total_audio)`; 4.x returns the "
                "infill audio only, as a response: `infill_audio = %s%s.infill(...)%s.read()` "
                "(join it with the left/right audio yourself)"
                % (tts, "(await " if site.kind == "async" else "", tts, ")" if site.kind == "async" else ""),
                node=parent,
            )

    def _infill_bytes(self, site: Site) -> None:
        call = site.call
        func = call.func
        assert isinstance(func, cst.Attribute)
        direct = isinstance(func.value, cst.Attribute) and func.value.attr.value == "infill"
        client = self.code(func.value.value) if isinstance(func.value, cst.Attribute) and direct else "client"
        msg = (
            '`%s.infill.bytes()` (2.x) is `%s.tts.infill()` in 3.x+, with `output_format={"container": ..., '
            '"sample_rate": ..., "encoding": ...}` instead of `output_format_*=` keywords; it returns a '
            "response (`.iter_bytes()`, `.read()`, `.write_to_file(path)`)" % (client, client)
        )
        if not direct:
            self.report_site(site, msg)
            return
        if any(
            site.arg(k) is not None
            for k in ("voice_experimental_controls_speed", "voice_experimental_controls_emotion")
        ):
            self.report_site(site, msg + " (not fixed: experimental controls, see CM411)")
            return
        kc = check_keywords(call, "tts.infill", handled=[old for old, _ in FORMAT_KEYS])
        if kc.refused:
            self.report_site(site, msg + "; " + kc.note())
            return
        fmt = [(key, site.arg(old)) for old, key in FORMAT_KEYS if site.arg(old) is not None]
        drop = [a for _, a in fmt[1:]]
        nones = [a for a in map(site.arg, AUDIO_SIDES) if a is not None and _is_none(a.value)]
        if nones:
            drop += nones
            msg += "; %s dropped (4.x raises on None; 2.x skipped it)" % " and ".join(
                "`%s=None`" % a.keyword.value for a in nones if a.keyword is not None
            )
        replace = {}
        if fmt:
            value = cst.parse_expression(
                "{%s}" % ", ".join('"%s": %s' % (k, self.code(a.value)) for k, a in fmt)
            )
            replace[id(fmt[0][1])] = kw_arg("output_format", value).with_changes(comma=fmt[0][1].comma)
        code = self.code(
            call_with(call, func=cst.parse_expression(client + ".tts.infill"), drop=drop, replace=replace),
            site.stack,
        )
        if site.kind == "sync":
            text = code + ".iter_bytes()"
        elif not site.awaited and site.in_async_function:
            text = "(await %s).iter_bytes()" % code
        else:
            self.report_site(site, msg + " (not fixed: await it in an async function)")
            return
        self.report_site(
            site, msg, edits=[Replace(call, text)], fix_message="Use %s.tts.infill(...)" % client
        )


def _is_path(node: cst.BaseExpression) -> bool:
    """``Path(...)`` / ``pathlib.Path(...)``: already what 4.x accepts."""
    return isinstance(node, cst.Call) and dotted_name(node.func) in ("Path", "pathlib.Path", "PurePath")
