# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/tests/custom/test_client.py (test_sse_sync)
# shape: 2.x `base64.b64decode(response.data)` per event, then b"".join(chunks)
# expect-file: output.raw = raw:Hello, world! I'm generating audio on Cartesia.
# expect-request: POST /tts/sse voice=f9836c6e-a0bd-460e-9d3c-f7299fa60f94
import base64
import os

from cartesia import Cartesia

DEFAULT_MODEL_ID = "sonic-2"
SAMPLE_VOICE_ID = "f9836c6e-a0bd-460e-9d3c-f7299fa60f94"
SAMPLE_TRANSCRIPT = "Hello, world! I'm generating audio on Cartesia."
output_format = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

output_generate = client.tts.sse(
    transcript=SAMPLE_TRANSCRIPT,
    voice={"mode": "id", "id": SAMPLE_VOICE_ID},
    output_format=output_format,
    model_id=DEFAULT_MODEL_ID,
)

chunks = []
for response in output_generate:
    audio_bytes = base64.b64decode(response.data)
    chunks.append(audio_bytes)

data = b"".join(chunks)
with open("output.raw", "wb") as f:
    f.write(data)
