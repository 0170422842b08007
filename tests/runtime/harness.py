"""The runtime proof of the CM4xx fixes (issue 14): fix a legacy program, run it on cartesia 4.2.0 against
the fake server, and judge the result.

A program in `programs/` is a legacy script (1.x, 2.x or 3.x SDK shapes) with a header of comment lines:

    # source: <public URL it was taken from>
    # shape: <what legacy shape it exercises>
    # expect-file: NAME = PART|PART...   (the file's exact bytes; PART is KIND:TEXT, see `expected_bytes`)
    # expect-file: NAME nonempty
    # expect-stdout: LINE                (these lines appear in stdout, in this order)
    # expect-stdout-re: REGEX            (a stdout line matches, in order with the others)
    # expect-streaming: LINE             (the program prints LINE on its first audio chunk, which it must get
                                          while the server still holds the rest of the body: see StreamGate)
    # expect-request: METHOD PATH [FIELD=VALUE ...]  (the server received such a request; METHOD WS for a
                                          WebSocket message; a voice field compares its ID)

Outcomes (`Outcome.status`):

- `correct`: after `cartesia-migrate fix --unsafe-fixes`, the program exits 0 and produces the expected output;
- `stopped_at_finding`: it does not, and `cartesia-migrate check` on the fixed file still reports a finding at
  the statement where it fails (the last frame of the traceback in the program);
  (or, when it exits 0 with a wrong result and so no traceback names a statement, anywhere in the fixed file:
  the tool did not call it clean);
- `silent_failure`: it fails after the tool called it clean, at a statement without a finding, or gives a wrong
  result without an error in a file the tool calls clean. This is what the suite refuses.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.runtime.fake_server import FakeCartesia, audio_bytes, pcm_bytes

PROGRAMS_DIR = Path(__file__).parent / "programs"
REPO_ROOT = Path(__file__).resolve().parents[2]
#: where `python -m cartesia_migrate` is imported from (the report's --tool-root measures another checkout)
TOOL_ROOT = REPO_ROOT
FAKE_API_KEY = "sk_car_runtime_proof_0123456789"
#: a safety net only: the programs finish in about a second; a hung program is a failure, reported as such.
RUN_TIMEOUT = 120

#: A run that fails on a transport timeout of the client (the SDK's own connect/handshake/read timeouts, which a
#: program cannot wait out on an overloaded machine) is run again, up to this many runs in all: no program is
#: meant to time out, so a timeout says nothing about the fix.
TRANSPORT_ATTEMPTS = 3
TRANSPORT_TIMEOUT = re.compile(r"^(TimeoutError: timed out while waiting for handshake response"
                               r"|(httpx\.|httpcore\.)?(Connect|Read|Write|Pool)Timeout\b"
                               r"|cartesia\.APITimeoutError\b)", re.M)

#: Input files every program may read (deterministic bytes).
INPUT_FILES = {
    "clip.wav": b"RIFF" + hashlib.sha256(b"clip").digest() * 64,
    "left.wav": b"RIFF" + hashlib.sha256(b"left").digest() * 32,
    "right.wav": b"RIFF" + hashlib.sha256(b"right").digest() * 32,
    "audio.wav": bytes(range(256)) * 12 + bytes(128),  # 3200 bytes of "16 kHz s16le" audio
}


@dataclass
class Program:
    name: str
    path: Path
    source: str
    sources: list[str]
    files: dict[str, str]
    stdout: list[tuple[str, str]]  # ("line", text) or ("re", pattern)
    streaming: str | None = None  # a stdout line the program prints on its first audio chunk
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # (method, path, fields)


@dataclass
class Outcome:
    program: str
    status: str
    reason: str
    fixed_source: str = ""
    fix_output: str = ""
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    fail_line: int | None = None
    fail_statement: tuple[int, int] | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def fixed_line(self) -> str:
        if self.fail_line is None:
            return ""
        lines = self.fixed_source.splitlines()
        return lines[self.fail_line - 1].strip() if 0 < self.fail_line <= len(lines) else ""

    def error(self) -> str:
        """The exception line of the traceback (or the reason when there is none)."""
        exception = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Iteration|Warning)?: ")
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        for line in reversed(lines):
            if exception.match(line) and not line.startswith("sys:") and "Warning: " not in line:
                return line.strip()[:300]
        return self.reason

    def describe(self) -> str:
        parts = [f"{self.program}: {self.status}: {self.reason}"]
        if self.fail_line is not None:
            parts.append(f"  fails at line {self.fail_line}: {self.fixed_line()}")
            parts.append(f"  error: {self.error()}")
        if self.findings:
            parts.append("  findings after fix: " + ", ".join(
                f"{f['code']}@{f['location']['row']}" for f in self.findings))
        if self.stderr and self.status != "correct":
            parts.append("  stderr (tail):\n    " + "\n    ".join(self.stderr.strip().splitlines()[-12:]))
        return "\n".join(parts)


def programs() -> list[Program]:
    return [load_program(path) for path in sorted(PROGRAMS_DIR.glob("*.py"))]


def load_program(path: Path) -> Program:
    source = path.read_text(encoding="utf-8")
    sources: list[str] = []
    files: dict[str, str] = {}
    stdout: list[tuple[str, str]] = []
    streaming = None
    requests: list[tuple[str, str, dict[str, str]]] = []
    for line in source.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(": ")
        if key == "source":
            sources.append(value)
        elif key == "expect-file":
            name, _, spec = value.partition(" ")
            files[name] = spec.strip()
        elif key == "expect-stdout":
            stdout.append(("line", value))
        elif key == "expect-stdout-re":
            stdout.append(("re", value))
        elif key == "expect-streaming":
            streaming = value
            stdout.append(("line", value))
        elif key == "expect-request":
            method, req_path, *pairs = value.split()
            requests.append((method, req_path, dict(pair.split("=", 1) for pair in pairs)))
    return Program(path.stem, path, source, sources, files, stdout, streaming, requests)


def expected_bytes(spec: str) -> bytes | None:
    """The exact bytes an `expect-file` spec names; None for `nonempty`.

    `= PART|PART...` concatenates parts; a part is `raw:TEXT` (the server's audio for TEXT),
    `wav:RATE:TEXT`, `mp3:TEXT`, or `vc:VOICE_ID:CONTAINER:RATE` (the voice changer's answer for clip.wav).
    """
    if spec == "nonempty":
        return None
    if not spec.startswith("= "):
        raise ValueError(f"bad expect-file spec {spec!r}")
    out = b""
    for part in spec[2:].split("|"):
        kind, _, rest = part.partition(":")
        if kind == "raw":
            out += pcm_bytes(rest)
        elif kind == "wav":
            rate, _, text = rest.partition(":")
            out += audio_bytes(text, {"container": "wav", "sample_rate": int(rate)})
        elif kind == "mp3":
            out += audio_bytes(rest, {"container": "mp3"})
        elif kind == "vc":
            voice, container, rate = rest.split(":")
            clip = hashlib.sha256(INPUT_FILES["clip.wav"]).hexdigest()
            out += audio_bytes(f"{clip}:{voice}", {"container": container, "sample_rate": int(rate)})
        else:
            raise ValueError(f"bad expect-file part {part!r}")
    return out


def _field(body: Any, name: str) -> str | None:
    if not isinstance(body, dict) or name not in body:
        return None
    value = body[name]
    if isinstance(value, dict) and "id" in value:  # a voice specifier: {"id"} / {"mode": "id", "id"}
        value = value["id"]
    return str(value)


def check_requests(program: Program, requests: list[dict[str, Any]]) -> str | None:
    """None when the server received every request the program's header expects, else what is missing."""
    for method, path, fields in program.requests:
        if not any(r["method"] == method and r["path"] == path
                   and all(_field(r["body"], k) == v for k, v in fields.items()) for r in requests):
            seen = [(r["method"], r["path"], {k: _field(r["body"], k) for k in fields}) for r in requests]
            return f"the server got no {method} {path} with {fields} (got {seen})"
    return None


def check_output(program: Program, workdir: Path, stdout: str) -> str | None:
    """None when the output is right, else what is wrong."""
    for name, spec in program.files.items():
        path = workdir / name
        if not path.is_file():
            return f"{name} was not written"
        data = path.read_bytes()
        want = expected_bytes(spec)
        if want is None:
            if not data:
                return f"{name} is empty"
        elif data != want:
            return f"{name} has {len(data)} bytes, not the {len(want)} expected ({spec[:60]})"
    lines = stdout.splitlines()
    at = 0
    for kind, text in program.stdout:
        while at < len(lines) and not (lines[at] == text if kind == "line" else re.search(text, lines[at])):
            at += 1
        if at == len(lines):
            return f"stdout lacks {text!r} (in order)"
        at += 1
    return None


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cartesia_migrate", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT, env={**_base_env(), "PYTHONPATH": str(TOOL_ROOT)})


def _base_env() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "PYTHONHASHSEED")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"NO_PROXY": "*", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"})
    return env


def statement_span(source: str, line: int) -> tuple[int, int]:
    """The lines of the innermost statement at `line`; for a compound statement, its header only."""
    best = (line, line)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return best
    best_size = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        start, end = node.lineno, node.end_lineno or node.lineno
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            end = max(start, min(getattr(b, "lineno", end) for b in body) - 1)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                end = start
        if start <= line <= end and (best_size is None or end - start <= best_size):
            best, best_size = (start, end), end - start
    return best


def failing_line(stderr: str, path: Path) -> int | None:
    """The line of the last traceback frame in the program file."""
    pattern = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)', re.M)
    lines = [int(m["line"]) for m in pattern.finditer(stderr) if Path(m["file"]).resolve() == path.resolve()]
    return lines[-1] if lines else None


@dataclass
class Prepared:
    """A program copied to its own directory (with the input files) and fixed."""

    program: Program
    workdir: Path
    target: Path
    fixed_source: str
    fix_output: str
    fix_error: str | None
    findings: list[dict[str, Any]]


def prepare(selected: list[Program], tmp: Path) -> dict[str, Prepared]:
    """Copy every program to `tmp/NAME/NAME.py`, run ONE `fix --unsafe-fixes` over all of them and ONE `check`
    over the fixed files (the findings are what the tool still reports after fixing)."""
    targets: dict[str, Path] = {}
    for program in selected:
        workdir = tmp / program.name
        if workdir.exists():
            shutil.rmtree(workdir)
        workdir.mkdir(parents=True)
        for name, data in INPUT_FILES.items():
            (workdir / name).write_bytes(data)
        targets[program.name] = workdir / f"{program.name}.py"
        shutil.copyfile(program.path, targets[program.name])
    rel = [str(t.relative_to(tmp)) for t in targets.values()]
    fix = _cli("fix", "--unsafe-fixes", "--offline", "--no-cache", *rel, cwd=tmp)
    fix_output = (fix.stdout + fix.stderr)
    if fix.returncode not in (0, 1, 2):
        raise RuntimeError(f"`fix` exited {fix.returncode}: {fix_output.strip()[-1000:]}")
    # Exit 2: some files could not be fixed, each named on an `error:` line; the others were fixed.
    errors = {line.partition(": error: ")[0]: line for line in fix.stderr.splitlines() if ": error: " in line}
    check = _cli("check", "--output-format", "json", "--offline", "--no-cache", "--exit-zero", *rel, cwd=tmp)
    try:
        findings = json.loads(check.stdout or "[]")
    except json.JSONDecodeError:
        raise RuntimeError(f"`check` gave no JSON: {check.stderr.strip()[-500:]}") from None
    by_file: dict[Path, list[dict[str, Any]]] = {}
    for finding in findings:
        by_file.setdefault((tmp / finding["filename"]).resolve(), []).append(finding)
    prepared = {}
    for program in selected:
        target = targets[program.name]
        mine = [line for line in fix_output.splitlines() if program.name in line]
        error = errors.get(str(target.relative_to(tmp)))
        prepared[program.name] = Prepared(program, target.parent, target, target.read_text(encoding="utf-8"),
                                          "\n".join(mine)[-4000:], error and f"`fix` failed: {error}",
                                          by_file.get(target.resolve(), []))
    return prepared


def _run_watching(cmd: list[str], cwd: Path, env: dict[str, str], line: str | None,
                  on_line: Any) -> tuple[int | None, str, str]:
    """Run `cmd`; call `on_line()` as soon as it prints `line` (while it runs). (returncode, stdout, stderr);
    returncode None when it had to be killed after RUN_TIMEOUT (a safety net only)."""
    import threading

    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", errors="replace")
    out: list[str] = []
    err: list[str] = []

    def read_stdout() -> None:
        assert proc.stdout is not None
        for text in proc.stdout:
            out.append(text)
            if on_line is not None and text.rstrip("\n") == line:
                on_line()

    def read_stderr() -> None:
        assert proc.stderr is not None
        err.append(proc.stderr.read())

    readers = [threading.Thread(target=read_stdout, daemon=True), threading.Thread(target=read_stderr, daemon=True)]
    for reader in readers:
        reader.start()
    try:
        returncode: int | None = proc.wait(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        returncode = None
        err.append(f"\ntimed out after {RUN_TIMEOUT} s")
    for reader in readers:
        reader.join()
    if on_line is not None:
        on_line()  # never leave the server holding a body
    return returncode, "".join(out), "".join(err)


def execute(prep: Prepared, server: FakeCartesia) -> Outcome:
    """Run a fixed program with the installed cartesia against `server` and judge it."""
    program, workdir, target, fixed = prep.program, prep.workdir, prep.target, prep.fixed_source
    outcome = Outcome(program.name, "", "", fixed_source=fixed, fix_output=prep.fix_output,
                      findings=prep.findings)
    if prep.fix_error is not None:
        outcome.status, outcome.reason = "silent_failure", prep.fix_error
        return outcome

    env = {**_base_env(), "CARTESIA_API_KEY": FAKE_API_KEY, "PYTHONUNBUFFERED": "1", **server.env()}
    for _attempt in range(TRANSPORT_ATTEMPTS):
        server.reset()
        gate = server.arm_stream_gate() if program.streaming else None
        mark = server.mark()
        outcome.returncode, outcome.stdout, outcome.stderr = _run_watching(
            [sys.executable, target.name], workdir, env, program.streaming, gate.release if gate else None)
        outcome.requests = server.log_since(mark)
        if outcome.returncode == 0 or not TRANSPORT_TIMEOUT.search(outcome.stderr):
            break

    if outcome.returncode == 0:
        wrong = check_output(program, workdir, outcome.stdout) or check_requests(program, outcome.requests)
        if wrong is None and gate is not None and gate.state != "released":
            wrong = ("the audio was not streamed: the program got its first chunk only after the whole body "
                     f"(stream gate: {gate.state})")
        if wrong is None:
            outcome.status, outcome.reason = "correct", "produces the expected output"
            return outcome
        outcome.reason = f"exits 0 but {wrong}"
    elif outcome.returncode is None:
        outcome.reason = f"timed out after {RUN_TIMEOUT} s"
    else:
        outcome.reason = f"exits {outcome.returncode}"

    outcome.fail_line = failing_line(outcome.stderr, target)
    if outcome.fail_line is None and outcome.returncode == 0 and outcome.findings:
        # a wrong result without an error: no traceback names the statement, but the tool did not call the
        # fixed file clean (it still reports these findings): the user is told, so this is not silent
        rows = sorted({f["location"]["row"] for f in outcome.findings})
        outcome.status = "stopped_at_finding"
        outcome.reason += (f"; no traceback, and `check` still reports "
                           f"{', '.join(sorted({f['code'] for f in outcome.findings}))} (lines {rows})")
        return outcome
    if outcome.fail_line is None:
        outcome.status = "silent_failure"
        outcome.reason += ("; no traceback line in the program" if outcome.findings
                           else "; and `check` calls the fixed file clean")
        return outcome
    start, end = outcome.fail_statement = statement_span(fixed, outcome.fail_line)
    at = [f for f in outcome.findings
          if f["location"]["row"] <= end and f.get("end_location", f["location"])["row"] >= start]
    if at:
        outcome.status = "stopped_at_finding"
        outcome.reason += f"; `check` reports {', '.join(sorted({f['code'] for f in at}))} at that statement"
    else:
        outcome.status = "silent_failure"
        outcome.reason += ("; `check` calls the fixed file clean" if not outcome.findings
                           else "; no finding at the failing statement")
    return outcome


def run_all(tmp: Path, workers: int = 2, names: list[str] | None = None) -> list[Outcome]:
    """Every program (or those named): fixed in one batch, then run `workers` at a time, each worker with
    its own server (a server's state is reset per program, so a server runs one program at a time)."""
    from concurrent.futures import ThreadPoolExecutor

    selected = [p for p in programs() if names is None or p.name in names]
    prepared = prepare(selected, tmp)
    servers = [FakeCartesia().start() for _ in range(max(1, workers))]
    try:
        lanes = [selected[i::len(servers)] for i in range(len(servers))]
        with ThreadPoolExecutor(max_workers=len(servers)) as pool:
            results = pool.map(lambda lane, server: [execute(prepared[p.name], server) for p in lane],
                               lanes, servers)
            outcomes = [o for lane in results for o in lane]
    finally:
        for server in servers:
            server.stop()
    return sorted(outcomes, key=lambda o: o.program)
