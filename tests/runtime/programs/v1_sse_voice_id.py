# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/tests/test_tts.py (test_sse_send_with_model_id, stream=True)
# shape: 1.x sse(stream=True) with voice_id=, events read as dicts: out["audio"]
# expect-file: output.raw = raw:Hello, world! I'm generating audio on Cartesia.
import os

from cartesia import Cartesia

SAMPLE_VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"
DEFAULT_MODEL_ID = "sonic-english"
DEFAULT_OUTPUT_FORMAT = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))
transcript = "Hello, world! I'm generating audio on Cartesia."

output_generate = client.tts.sse(
    transcript=transcript,
    voice_id=SAMPLE_VOICE_ID,
    output_format=DEFAULT_OUTPUT_FORMAT,
    stream=True,
    model_id=DEFAULT_MODEL_ID,
)

with open("output.raw", "wb") as f:
    for out in output_generate:
        f.write(out["audio"])
