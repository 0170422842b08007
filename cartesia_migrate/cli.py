"""The command line: a thin printer over ``cartesia_migrate.engine``.

Exit codes: 0 nothing to report; 1 findings remain (for ``fix``: findings it could
not fix); 2 error (bad usage, bad config, missing path, unreadable/unparsable file).
``--version``, ``rules`` and ``explain`` import neither libcst nor httpx.
"""
from __future__ import annotations

import os
import sys
from typing import Optional

import click

from . import __version__, catalog
from .redact import printable, redact

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMAT_CHOICE = click.Choice(["text", "json", "sarif", "github"], case_sensitive=False)


class UsageError(click.UsageError):
    exit_code = EXIT_ERROR


class ConfigFailure(click.ClickException):
    """A bad configuration: one line on stderr, exit 2 (no usage text: the command line was fine)."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:
        click.echo(printable(redact("cartesia-migrate: error: %s" % self.format_message())), err=True)


def _err(msg: str) -> None:
    """A message to stderr: keys redacted, control characters escaped (each line)."""
    click.echo("\n".join(printable(line) for line in redact(msg).split("\n")), err=True)


def _file_line(path: str, what: str, reason: str) -> str:
    """``path: what: reason`` on one line, whatever the file name or the reason hold."""
    return "%s: %s: %s" % (printable(path), what, printable(reason))


class _RedactingGroup(click.Group):
    """Usage errors (ours and click's own, e.g. an option value) never echo an API key."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as e:
            e.message = redact(e.message)
            raise

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException as e:
            e.message = redact(e.message)
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt as e:
            if ctx.invoked_subcommand == "fix":
                _err("cartesia-migrate: interrupted; every file is either unchanged or completely fixed")
            else:
                _err("cartesia-migrate: interrupted")
            ctx.exit(128 + getattr(e, "signum", 2))
        except Exception as e:
            import errno

            if isinstance(e, OSError) and e.errno == errno.EPIPE:
                raise  # click exits quietly on a closed pipe (| head)
            if os.environ.get("CARTESIA_MIGRATE_DEBUG"):
                import traceback

                _err(traceback.format_exc().rstrip("\n"))
            first = (str(e).splitlines() or [""])[0][:300]
            _err("cartesia-migrate: internal error: %s%s (run with --verbose for the traceback)"
                 % (type(e).__name__, ": " + first if first else ""))
            ctx.exit(EXIT_ERROR)


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _codes_option(value: Optional[str]):
    if value is None:
        return None
    from .config import ConfigError, parse_codes

    try:
        return parse_codes(value)
    except ConfigError as e:
        raise UsageError(str(e))


def common_options(f):
    opts = [
        click.argument("paths", nargs=-1, type=click.Path()),
        click.option("--select", metavar="CODES", help="Comma-separated rule codes or prefixes to enable (CM1, CM101)."),
        click.option("--ignore", metavar="CODES", help="Comma-separated rule codes or prefixes to disable."),
        click.option("--output-format", type=FORMAT_CHOICE, default="text", show_default=True),
        click.option("--offline", is_flag=True, help="Never touch the network: use the cache, then the bundled models snapshot."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the findings and models caches."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (errors still exit 2)."),
        click.option("--stdin-filename", metavar="NAME", help="The file name to use for source read from stdin (-)."),
        click.option("--config", "config_file", type=click.Path(), help="Use this TOML file instead of the closest pyproject.toml."),
        click.option("--statistics", is_flag=True, help="Show the number of findings per rule and a migration-readiness summary (by deadline) instead of each finding."),
        click.option("--baseline", type=click.Path(dir_okay=False), metavar="FILE", help="Report only findings not recorded in FILE (matched by rule, path and a fingerprint of the code, not the line)."),
        click.option("--write-baseline", type=click.Path(dir_okay=False), metavar="FILE", help="Record every current finding in FILE and exit 0 (adopt on a legacy codebase, then use --baseline FILE)."),
        click.option("--exclude", multiple=True, metavar="GLOB", help="Exclude files and folders (replaces the defaults)."),
        click.option("--extend-exclude", multiple=True, metavar="GLOB", help="Exclude files and folders (in addition)."),
        click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of internal errors."),
        click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no progress bar, no summary, no models-list line."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


@click.group(cls=_RedactingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cartesia-migrate")
def main() -> None:
    """Find and fix Python code that breaks on Cartesia's API and SDK changes."""


def _overrides(select, ignore, exclude, extend_exclude, offline):
    from .config import Overrides

    return Overrides(
        select=_codes_option(select),
        ignore=_codes_option(ignore) or (),
        exclude=tuple(exclude) if exclude else None,
        extend_exclude=tuple(extend_exclude),
        offline=True if offline else None,
    )


def _load_models(offline: bool, no_cache: bool):
    from . import models

    return models.load(offline=offline, use_cache=not no_cache, log=_err)


def _stdin_run(mode: str, opts: dict, unsafe: bool, diff: bool = False):
    """check/fix of source read from stdin."""
    from .config import ConfigError, Resolver
    from .engine import RunResult, fix_text, handler_for
    from .filetypes import kind_of
    from .finding import FileError, FileResult
    from .io import InputError, encode, source_from_bytes

    name = opts["stdin_filename"] or "-"
    try:
        resolver = Resolver(opts["config_file"], opts["overrides"])
        settings = resolver.for_path(name if name != "-" else os.path.join(os.getcwd(), "stdin.py"))
    except ConfigError as e:
        raise ConfigFailure(str(e))
    models = _load_models(opts["offline"] or settings.offline, opts["no_cache"])
    run = RunResult(models_source=models.describe_source(), files_checked=1)
    raw = sys.stdin.buffer.read()
    handler = handler_for(kind_of(name) or "python")
    codes = [c for c in settings.enabled_codes() if settings.enabled_for(c, name)]
    try:
        source = source_from_bytes(name, raw, python=getattr(handler, "python_encoding", True))
        from .engine import _secrets

        if mode == "check":
            found = handler.analyze(source, settings, models, codes)
            run.results.append(FileResult(name, findings=found, secrets=_secrets(source.text) if found else ()))
        else:
            text, remaining, fixed = fix_text(source, settings, models, codes, unsafe, handler)
            r = FileResult(name, findings=remaining, fixed=fixed, changed=text != source.text, new_text=text,
                           new_bytes=encode(source, text) if text != source.text else raw,
                           secrets=_secrets(source.text, text))
            if diff and r.changed:
                import difflib

                r.diff = "".join(difflib.unified_diff(source.text.splitlines(True), text.splitlines(True),
                                                      fromfile="a/" + printable(name), tofile="b/" + printable(name)))
            run.results.append(r)
    except Exception as e:  # the input goes back unchanged (an editor would replace its buffer)
        if isinstance(e, InputError):
            error = FileError(name, str(e))
        else:
            import traceback

            first = (str(e).splitlines() or [""])[0][:200]
            error = FileError(name, "internal error: %s%s (run with --verbose for the traceback)"
                              % (type(e).__name__, ": " + first if first else ""), detail=traceback.format_exc())
        run.errors.append(error)
        run.results[:] = [FileResult(name, error=error, new_text=raw.decode("utf-8", "replace"), new_bytes=raw)]
    return run


class _Terminated(KeyboardInterrupt):
    """SIGTERM/SIGHUP: stopped like Ctrl-C (queued files cancelled, running ones finish whole)."""

    def __init__(self, signum: int) -> None:
        super().__init__()
        self.signum = signum


def _stop_like_ctrl_c() -> dict:
    """Install the handlers; returns the previous ones (to restore)."""
    import signal
    import threading

    old: dict = {}
    if threading.current_thread() is not threading.main_thread():
        return old  # signal handlers can only be set from the main thread

    def handler(signum, _frame):
        raise _Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            num = getattr(signal, name)
            old[num] = signal.signal(num, handler)
    return old


def _restore_signals(old: dict) -> None:
    import signal

    for num, previous in old.items():
        signal.signal(num, previous)


def _do(mode: str, paths, *, unsafe=False, diff=False, progress=None, **opts):
    from .redact import remember_run

    old_handlers = _stop_like_ctrl_c()
    try:
        run = _do_run(mode, paths, unsafe=unsafe, diff=diff, progress=progress, **opts)
    finally:
        if progress is not None:
            progress.clear()  # before the report (or the error) is printed
        _restore_signals(old_handlers)
    remember_run(run)  # every output from now on hides the keys the files spell, in any spelling
    return run


def _progress(output_format: str, quiet: bool):
    """The progress bar of a long run on a terminal (text output only, not with --quiet), or None."""
    from .progress import for_run

    return for_run(output_format, quiet)


def _do_run(mode: str, paths, *, unsafe=False, diff=False, progress=None, **opts):
    from .config import ConfigError
    from .engine import check_paths, fix_paths


    opts["overrides"] = _overrides(opts.pop("select"), opts.pop("ignore"), opts.pop("exclude"),
                                   opts.pop("extend_exclude"), opts["offline"])
    if opts["verbose"]:
        os.environ["CARTESIA_MIGRATE_DEBUG"] = "1"
    paths = list(paths) or ["."]
    if "-" in paths:
        if len(paths) > 1:
            raise UsageError("'-' (stdin) cannot be combined with other paths")
        run = _stdin_run(mode, opts, unsafe, diff)
    else:
        models = None
        if opts["offline"]:
            models = _load_models(True, opts["no_cache"])
        kw = dict(config_file=opts["config_file"], overrides=opts["overrides"], models=models,
                  use_cache=not opts["no_cache"], log=_err, progress=progress)
        try:
            if mode == "check":
                run = check_paths(paths, **kw)
            else:
                run = fix_paths(paths, diff=diff, unsafe=unsafe, **kw)
        except ConfigError as e:
            raise ConfigFailure(str(e))
    return run


def _report(run, mode: str, fmt: str, statistics: bool, exit_zero: bool, diff: bool = False,
            stdin_fix: bool = False, unsafe: bool = False, quiet: bool = False) -> int:
    from .formats import render

    if not quiet:
        _err("cartesia-migrate: models: %s" % run.models_source)
    out = sys.stdout
    if stdin_fix:
        # fixed source to stdout, diagnostics to stderr (like ruff)
        r = run.results[0]
        data = r.new_bytes if r.new_bytes is not None else (r.new_text or "").encode("utf-8")
        out.flush()
        buffer = getattr(out, "buffer", None)
        if buffer is not None:  # bytes as they came: encoding, BOM and newlines untouched
            buffer.write(data)
            buffer.flush()
        else:  # pragma: no cover - a text-only stream
            out.write(r.new_text or "")
        out.flush()
        out = sys.stderr
    if diff:
        for r in run.results:
            if r.diff:
                out.write(redact(_safe_diff(r.diff)))
    elif statistics:
        out.write(redact(_statistics(run, fmt.lower())))
    else:
        text = render(fmt.lower(), run, color=_color() and fmt == "text")
        out.write(text)
    out.flush()
    for e in run.errors:
        if fmt != "github":
            _err(_file_line(e.path, "error", e.reason))
            if getattr(e, "detail", None) and os.environ.get("CARTESIA_MIGRATE_DEBUG"):
                _err(e.detail.rstrip("\n"))
    if fmt != "github":  # (github: workflow warnings in the output)
        for r in run.results:
            if r.not_written:
                _err(_file_line(r.path, "not fixed", r.not_written))
    findings = run.findings
    if fmt == "text" and mode == "fix" and not diff and not statistics and not quiet:
        from .readiness import fix_report

        report = fix_report(run, unsafe)
        if report:
            _err(report)
    if fmt == "text" and not quiet:
        _err(_summary(run, mode, diff))
    if run.errors:
        return EXIT_ERROR
    if findings and not exit_zero:
        return EXIT_FINDINGS
    if diff and run.changed_files and not exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


_DIFF_HEADER = ("--- ", "+++ ")


def _safe_diff(diff: str) -> str:
    """A diff for a terminal: file names in the headers escaped (a newline in a name would
    forge a line), terminal control characters of the code escaped (tabs, form feeds and
    line ends stay: the diff still applies to ordinary code)."""
    from .redact import printable_code

    out = []
    for line in diff.splitlines(True):
        body = line.rstrip("\r\n")
        end = line[len(body):]
        out.append((printable(body) if line.startswith(_DIFF_HEADER) else printable_code(body)) + end)
    return "".join(out)


def _statistics(run, fmt: str = "text") -> str:
    """Count per rule, then the migration-readiness summary (JSON for --output-format json)."""
    from .readiness import statistics_json, statistics_text

    return statistics_json(run.findings) if fmt == "json" else statistics_text(run.findings)


def _baseline(run, baseline: Optional[str], write_baseline: Optional[str], quiet: bool = False) -> Optional[int]:
    """Apply ``--baseline`` to ``run`` / write ``--write-baseline``; an exit code when done."""
    from . import baseline as bl

    if write_baseline:
        try:
            n = bl.write(write_baseline, run.findings)
        except (bl.BaselineError, OSError) as e:
            raise UsageError(str(e) if isinstance(e, bl.BaselineError) else "%s: %s" % (write_baseline, e))
        _err("cartesia-migrate: models: %s" % run.models_source)
        for e in run.errors:
            _err(_file_line(e.path, "error", e.reason))
        _err("Wrote %d finding%s to the baseline %s." % (n, "" if n == 1 else "s", write_baseline))
        return EXIT_ERROR if run.errors else EXIT_CLEAN
    if baseline:
        try:
            applied = bl.apply(run, bl.load(baseline))
        except bl.BaselineError as e:
            raise UsageError(str(e))
        if (applied.baselined or applied.stale) and not quiet:
            msg = "%d finding%s in the baseline %s not shown" % (
                applied.baselined, "" if applied.baselined == 1 else "s", baseline)
            if applied.stale:
                msg += "; %d baseline entr%s no longer found (fixed?): refresh it with --write-baseline" % (
                    applied.stale, "y" if applied.stale == 1 else "ies")
            _err(msg + ".")
    return None


def _summary(run, mode: str, diff: bool) -> str:
    findings = run.findings
    safe = sum(1 for f in findings if f.fix and f.fix.applicability == "safe")
    unsafe = sum(1 for f in findings if f.fix and f.fix.applicability == "unsafe")
    parts = []
    if mode == "fix" and not diff:
        parts.append("Fixed %d finding%s in %d file%s." % (run.fixed, "" if run.fixed == 1 else "s",
                                                           len(run.changed_files),
                                                           "" if len(run.changed_files) == 1 else "s"))
    if diff:
        parts.append("Would fix %d file%s." % (len(run.changed_files), "" if len(run.changed_files) == 1 else "s"))
    if findings:
        noun = "remaining" if mode == "fix" and not diff else "found"
        s = "%d finding%s %s" % (len(findings), "" if len(findings) == 1 else "s", noun)
        extra = []
        if safe:
            extra.append("%d fixable with `cartesia-migrate fix`" % safe)
        if unsafe:
            extra.append("%d more with `--unsafe-fixes`" % unsafe)
        if extra:
            s += " (" + ", ".join(extra) + ")"
        parts.append(s + ".")
    elif not run.errors:
        parts.append("All checks passed! (%d file%s)" % (run.files_checked, "" if run.files_checked == 1 else "s"))
    if run.errors:
        parts.append("%d file%s could not be checked." % (len(run.errors), "" if len(run.errors) == 1 else "s"))
    return " ".join(parts)


@main.command()
@common_options
def check(paths, output_format, statistics, exit_zero, baseline, write_baseline, quiet, **opts):
    """Report problems; never writes.  PATHS default to "."; "-" reads stdin."""
    run = _do("check", paths, progress=_progress(output_format, quiet), **opts)
    code = _baseline(run, baseline, write_baseline, quiet)
    if code is not None:
        sys.exit(code)
    sys.exit(_report(run, "check", output_format, statistics, exit_zero, quiet=quiet))


@main.command()
@common_options
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change behaviour (review them).")
def fix(paths, output_format, statistics, exit_zero, diff, unsafe_fixes, baseline, write_baseline, quiet, **opts):
    """Apply safe fixes in place and report what is left.

    With --baseline, every fixable finding is still fixed; only the report of what is left
    (and the exit code) leaves out the baselined ones."""
    stdin_fix = list(paths) == ["-"] and not diff
    if stdin_fix and write_baseline:
        raise UsageError("--write-baseline cannot be combined with fixing stdin (-): the fixed source goes to stdout")
    run = _do("fix", paths, unsafe=unsafe_fixes, diff=diff, progress=_progress(output_format, quiet), **opts)
    code = _baseline(run, baseline, write_baseline, quiet)
    if code is not None:
        sys.exit(code)
    sys.exit(_report(run, "fix", output_format, statistics, exit_zero, diff=diff, stdin_fix=stdin_fix,
                     unsafe=unsafe_fixes, quiet=quiet))


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Also list codes reserved in the catalogue but not implemented yet.")
def rules_cmd(output_format, show_all):
    """The rule catalogue: code, name, fix applicability."""
    import json

    rows = [info for info in catalog.CATALOG.values() if show_all or info.implemented]
    if output_format == "json":
        click.echo(json.dumps([{
            "code": i.code, "name": i.name, "fix": i.fix, "severity": i.severity,
            "summary": i.summary, "url": i.url, "implemented": i.implemented,
        } for i in rows], indent=2))
        return
    for i in rows:
        click.echo("%-6s %-26s %-7s %s%s" % (i.code, i.name, i.fix, i.summary,
                                           "" if i.implemented else "  (not implemented yet)"))


@main.command()
@click.argument("code")
def explain(code):
    """Print a rule's doc: what, why, example, use instead, fix safety, dates."""
    from .docs import for_reading, load_doc

    code = code.upper()
    if code not in catalog.CATALOG:
        raise UsageError("unknown rule code %r (see `cartesia-migrate rules`)" % code)
    doc = load_doc(code)
    if doc is None:
        raise UsageError("%s (%s) is reserved in the catalogue but not implemented yet"
                         % (code, catalog.get(code).name))
    click.echo(for_reading(doc).rstrip("\n"))
    if code in ("CM101", "CM102", "CM103"):
        from . import models as m

        ml = m.bundled()
        click.echo("\n## Successor (computed)\nThe successor is not written in code: it is the newest dated snapshot of the "
                   "newest stable family on the models list in use that serves what the call uses (language or "
                   "locale, speed/volume, a Pro Voice Clone's base).\nOrder in the bundled knowledge (made %s): %s; "
                   "today's target for a plain call: %s.\nSee `cartesia-migrate models` for the live list, "
                   "what each family serves and the sources." % (
                       m.knowledge_date(), " > ".join(ml.family_order()), ml.successor().target or "none"))


@main.command()
@click.option("--offline", is_flag=True, help="Show the bundled knowledge (or cache) without touching the network.")
@click.option("--no-cache", is_flag=True, help="Do not use the models cache.")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def models(offline, no_cache, output_format):
    """The models list in use and what the tool knows: per family what it serves, the successor
    order, every model ID with its status and sources, and the knowledge's date."""
    import json

    from . import models as m

    ml = _load_models(offline, no_cache)
    clean = m.strip_control
    if ml.notice:  # a fallback or a problem (a malformed CARTESIA_BASE_URL): on stderr, as check says it
        _err(f"cartesia-migrate: models: {ml.describe_source(stale_note=False)}")
    known = ml.known
    ids = sorted(set(known) | set(ml.served), key=lambda i: (known[i].capability if i in known else "tts", i))
    rows = []
    for mid in ids:
        info = known.get(mid)
        dated = m.split_dated(mid)[1] is not None
        kind = info.kind if info else ("dated" if dated else "alias")
        status = info.status if info else "listed"
        successor = pin = None
        if info is not None and info.status in ("discontinued", "partial"):
            successor = ml.successor()
        elif kind == "alias" and info is not None:
            pin = ml.pin(mid)
        choice = successor or pin
        rows.append({
            "id": clean(mid),
            "on_list": mid in ml.served,
            # IDs only the live list knows come from GET /models?capability=tts
            "capability": info.capability if info else "tts",
            "kind": kind,
            "family": info.family if info else m.split_dated(mid)[0],
            "status": status,
            "deprecated": bool(info and info.status in ("discontinued", "partial")),
            "resolves_to": pin.target if pin else None,
            "released": info.released if info else None,
            "removed_on": info.removed_on if info else None,
            "removed_languages": list(info.removed_languages) if info else [],
            # what a fix writes for a call that uses nothing special (None: nothing on the list)
            "successor": successor.target if successor else None,
            "fix": None if choice is None or choice.target is None else ("safe" if choice.safe else "unsafe"),
            "inferred": list(choice.inferred) if choice else [],
            "source": list(info.source) if info else ["%s models list" % ml.source],
            "confidence": info.confidence if info else "sourced",
            "facts": {k: f.as_json() for k, f in info.facts} if info else {},
            "note": info.note if info else None,
        })
    order = ml.family_order()
    fams = m.families()
    families = []
    for fam in order + [f for f in fams if f not in order]:
        fi = fams.get(fam)
        snap, note = ml.dated_target(fam) if fi else (ml.newest_dated(fam), None)
        families.append({
            "family": clean(fam),
            "described": fi is not None,
            "capability": fi.capability if fi else "tts",
            "status": fi.status if fi else "seen only on the %s" % ml.list_name,
            "in_successor_order": fam in order,
            "newest_snapshot": snap,
            "snapshot_note": note,
            **{k: (getattr(fi, k).as_json() if fi and getattr(fi, k) else None)
               for k in ("languages", "locales", "speed_volume", "trains_pvc")},
            "source": list(fi.source) if fi else ["%s models list" % ml.source],
        })
    pvc = {clean(k): (clean(v) if v else None) for k, v in sorted(ml.pvc_voices.items())}
    order_fact = m.successor_order()
    knowledge = {"date": m.knowledge_date(), "age_days": m.knowledge_age_days(),
                 "stale": m.knowledge_is_stale(), "sources": m.sources(),
                 "successor_order": order_fact.as_json()}
    stale = ml.stale_notice()
    if stale:
        _err("cartesia-migrate: %s" % stale)  # stderr only: stdout stays machine-readable
    if output_format == "json":
        click.echo(json.dumps({"source": ml.source, "description": ml.describe_source(stale_note=False),
                               "snapshot_date": ml.snapshot_date, "fetched_at": ml.fetched_at,
                               "notice": clean(ml.notice) if ml.notice else None,
                               "successor_order": order, "knowledge": knowledge, "families": families,
                               "models": rows, "pvc_voices": pvc,
                               "pro_voices": sorted(clean(v) for v in ml.pro_voices)}, indent=2))
        return
    click.echo(printable("Models list: %s" % ml.describe_source(stale_note=False)))
    click.echo("Knowledge: made %s (%d days ago), cartesia_migrate/models/knowledge.json" % (
        m.knowledge_date(), m.knowledge_age_days()))
    click.echo("Successor order in use (newest stable family first): %s" % " > ".join(clean(f) for f in order))
    click.echo("  the successor of a discontinued or legacy ID is the newest dated snapshot of the first family")
    click.echo("  on the list that serves what the call uses (language or locale, speed/volume, a clone's base)")
    click.echo("")
    click.echo("%-12s %-13s %-22s %-10s %-8s %-12s %-9s %s" % (
        "FAMILY", "STATUS", "NEWEST SNAPSHOT", "LANGUAGES", "LOCALES", "SPEED/VOLUME", "TRAINS PVC", "SOURCES"))

    def flag(fact) -> str:
        if fact is None or fact["value"] is None:
            return "?"
        v = fact["value"]
        text = ("%d" % len(v)) if isinstance(v, list) else ("yes" if v else "no")
        return text + ("" if fact["confidence"] == "sourced" else "~")

    for f in families:
        click.echo("%-12s %-13s %-22s %-10s %-8s %-12s %-9s %s" % (
            f["family"], f["status"] if f["described"] else "live only", f["newest_snapshot"] or "-",
            flag(f["languages"]), flag(f["locales"]), flag(f["speed_volume"]), flag(f["trains_pvc"]),
            ",".join(f["source"])))
    click.echo("  ~ inferred (a safe fix never rests on it); ? not described")
    click.echo("")
    click.echo("%-26s %-5s %-7s %-13s %-11s %-22s %s" % ("ID", "CAP", "KIND", "STATUS", "REMOVED ON",
                                                        "REMOVED LANGUAGES", "SUCCESSOR / RESOLVES TO"))
    for r in rows:
        if r["successor"]:
            target = r["successor"]
        elif r["deprecated"]:
            target = "(no successor on the list)"
        else:
            target = ("-> " + r["resolves_to"]) if r["resolves_to"] else ""
        if target and r["fix"] == "unsafe":
            target += " (inferred: unsafe fix)"
        removed_on = r["removed_on"] or ("unsourced" if r["status"] == "discontinued" else "")
        click.echo(printable("%-26s %-5s %-7s %-13s %-11s %-22s %s" % (
            r["id"], r["capability"] or "", r["kind"], r["status"] + ("" if r["on_list"] else "*"),
            removed_on, ",".join(r["removed_languages"]), target)))
    click.echo("* not on the list in use: a fix never writes it")
    click.echo("")
    click.echo("Sources:")
    for key, src in m.sources().items():
        click.echo("  %-22s %s%s" % (key, src["title"], (" <%s>" % src["url"]) if src.get("url") else ""))
    if pvc:
        click.echo("Pro Voice Clones (fine-tunes API): %d" % len(pvc))
        for voice, base in pvc.items():
            click.echo(printable("  %s -> %s" % (voice, base or "(base not stated)")))
    if ml.pro_voices:
        click.echo("Pro voices (voices API is_pro, base unknown): %d" % len(ml.pro_voices))


@main.command()
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this TOML file instead of the closest pyproject.toml of each document.")
@click.option("--debounce", type=click.FloatRange(0, 10), default=0.2, show_default=True, metavar="SECONDS",
              help="Check a changed document this long after the last change (open and save check at once).")
def server(config_file, debounce):
    """Run the language server (LSP) on stdin/stdout, for editors.

    Needs the `lsp` extra: pip install 'cartesia-migrate[lsp]'."""
    try:
        import pygls  # noqa: F401
    except ImportError:
        _err("cartesia-migrate: error: the language server needs pygls: pip install 'cartesia-migrate[lsp]'")
        sys.exit(EXIT_ERROR)
    from .server import serve

    serve(config_file, debounce)


if __name__ == "__main__":  # pragma: no cover
    main()
