"""Generate a reproducible "dense" tree: every file talks to Cartesia (SDK and raw HTTP).

Each file is ~320 lines of realistic legacy integration code (clients, TTS calls with
old model IDs and voice shapes, payload dicts, error handling, raw httpx/websocket
calls, plugin classes), varied by a seeded RNG so files differ.
"""
from __future__ import annotations

import os
import random
from typing import List

HEADER = '''"""Voice integration module {n}: generated for benchmarks."""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Literal, Optional

import httpx
from cartesia import AsyncCartesia, Cartesia

log = logging.getLogger(__name__)

DEFAULT_MODEL_ID = "{model}"
FALLBACK_MODEL = "{model2}"
VOICE_ID = "{voice}"
BASE_URL = "{scheme}://api.cartesia.ai"
ModelName = Literal["{model}", "{model2}", "sonic-3"]
'''

CLASS = '''

@dataclass
class {cls}Config:
    model: str = "{model}"
    voice_id: str = VOICE_ID
    sample_rate: int = {rate}
    language: str = "{lang}"
    retries: int = {retries}


class {cls}Synth:
    """Wraps the Cartesia client for {cls}."""

    def __init__(self, config: Optional[{cls}Config] = None) -> None:
        self.config = config or {cls}Config()
        self.client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
        self._cache: Dict[str, bytes] = {{}}

    def synth(self, text: str) -> bytes:
        key = "%s:%s" % (self.config.model, text)
        if key in self._cache:
            return self._cache[key]
        chunks = self.client.tts.bytes(
            model_id=self.config.model,
            transcript=text,
            voice={{"mode": "id", "id": self.config.voice_id}},
            output_format={{"container": "raw", "encoding": "pcm_f32le", "sample_rate": self.config.sample_rate}},
            language=self.config.language,
        )
        audio = b"".join(chunks)
        self._cache[key] = audio
        return audio

    def synth_many(self, texts: List[str]) -> List[bytes]:
        out = []
        for i, t in enumerate(texts):
            try:
                out.append(self.synth(t))
            except Exception as e:
                title, _, message = str(e).partition(":")
                log.warning("synthesis %d failed: %s (%s)", i, title, message)
                out.append(b"")
        return out

    def stream(self, text: str) -> Iterator[bytes]:
        for event in self.client.tts.sse(
            model_id="{model}",
            transcript=text,
            voice={{"mode": "id", "id": VOICE_ID}},
            output_format={{"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}},
        ):
            if event.data:
                yield event.data

    def is_legacy(self) -> bool:
        return self.config.model in {{"sonic", "sonic-english"}} or self.config.model.startswith("sonic-2")
'''

FUNCS = '''

def raw_tts_{i}(text: str, model: str = "{model}") -> bytes:
    payload = {{
        "model_id": model,
        "transcript": text,
        "voice": {{"mode": "id", "id": VOICE_ID}},
        "output_format": {{"container": "wav", "encoding": "pcm_s16le", "sample_rate": {rate}}},
        "language": "{lang}",
    }}
    resp = httpx.post(
        BASE_URL + "/tts/bytes",
        json=payload,
        headers={{"X-API-Key": os.environ["CARTESIA_API_KEY"], "Cartesia-Version": "{version}"}},
        timeout=30,
    )
    if resp.status_code != 200:
        raise RuntimeError("TTS failed: %s" % resp.text)
    return resp.content


async def async_tts_{i}(text: str) -> bytes:
    client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])
    parts = []
    async for chunk in client.tts.bytes(
        model_id=DEFAULT_MODEL_ID,
        transcript=text,
        voice={{"mode": "id", "id": VOICE_ID}},
        output_format={{"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}},
    ):
        parts.append(chunk)
    return b"".join(parts)


def summarize_{i}(items: List[Dict[str, Any]]) -> Dict[str, int]:
    counts: Dict[str, int] = {{}}
    for item in items:
        name = item.get("name", "unknown")
        counts[name] = counts.get(name, 0) + 1
        if item.get("duration", 0) > {retries} * 10:
            log.info("long item %s", name)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ordered[:{rate_small}])


def websocket_url_{i}() -> str:
    return "{wscheme}://api.cartesia.ai/tts/websocket?cartesia_version={version}"
'''

MODELS = ["sonic", "sonic-english", "sonic-multilingual", "sonic-2", "sonic-2-2025-03-07", "sonic-turbo",
          "sonic-3", "sonic-3.5", "sonic-3-2026-01-12", "sonic-3.5-2026-05-04", "sonic-latest"]
LANGS = ["en", "de", "fr", "es", "it", "pl", "ja", "hi"]
VERSIONS = ["2024-06-10", "2024-11-13", "2025-04-16", "2026-03-01"]


def make_file(n: int, rng: random.Random) -> str:
    model, model2 = rng.sample(MODELS, 2)
    parts = [HEADER.format(n=n, model=model, model2=model2, voice="%08x-0000-4000-8000-%012x" % (n, n),
                           scheme=rng.choice(["https", "https", "http"]))]
    for c in range(3):
        parts.append(CLASS.format(cls="Svc%d%s" % (n, chr(65 + c)), model=rng.choice(MODELS),
                                  rate=rng.choice([16000, 22050, 44100]), lang=rng.choice(LANGS),
                                  retries=rng.randint(1, 5)))
    for i in range(2):
        parts.append(FUNCS.format(i=i, model=rng.choice(MODELS), rate=rng.choice([16000, 44100]),
                                  lang=rng.choice(LANGS), version=rng.choice(VERSIONS), retries=rng.randint(1, 9),
                                  rate_small=rng.randint(3, 20), wscheme=rng.choice(["wss", "ws"])))
    return "".join(parts)


def generate(dest: str, count: int, seed: int = 1234, prefix: str = "voice") -> List[str]:
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        sub = os.path.join(dest, "pkg%02d" % (n % 10))
        os.makedirs(sub, exist_ok=True)
        p = os.path.join(sub, "%s_%04d.py" % (prefix, n))
        with open(p, "w", encoding="utf-8") as f:
            f.write(make_file(n, rng))
        paths.append(p)
    return paths


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Generate a dense tree of Cartesia-using Python files.")
    ap.add_argument("dest")
    ap.add_argument("count", type=int, nargs="?", default=200)
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args()
    generate(a.dest, a.count, a.seed)
