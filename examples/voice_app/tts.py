"""Text-to-speech helpers."""
from typing import Literal

from cartesia import Cartesia

from .settings import CARTESIA_API_KEY, DEFAULT_VOICE_ID

Model = Literal["sonic-english", "sonic-multilingual", "sonic-3"]

client = Cartesia(api_key=CARTESIA_API_KEY)


def speak(text: str, model: str = "sonic-english") -> bytes:
    """Synthesize ``text`` (the default model used to be sonic-english)."""
    chunks = client.tts.bytes(
        model_id=model,
        transcript=text,
        voice={"mode": "id", "id": DEFAULT_VOICE_ID},
        output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
    )
    return b"".join(chunks)


def speak_slowly(text: str) -> bytes:
    chunks = client.tts.bytes(
        model_id="sonic-2-2025-03-07",
        transcript=text,
        voice={"mode": "id", "id": DEFAULT_VOICE_ID},
        output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
        generation_config={"speed": 0.8},
    )
    return b"".join(chunks)


def speak_urdu(text: str) -> bytes:
    # Urdu arrived with Sonic 3.6: the fix moves this call only to a family that serves it
    chunks = client.tts.bytes(
        model_id="sonic-multilingual",
        transcript=text,
        voice={"mode": "id", "id": DEFAULT_VOICE_ID},
        output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
        language="ur",
    )
    return b"".join(chunks)


def is_legacy(model: str) -> bool:
    # comparisons are never rewritten: that would flip the logic
    return model in {"sonic", "sonic-english"} or model.startswith("sonic-2")
