# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("WebSocket": from cartesia.tts import ..., OutputFormat_RawParams) and tests/custom/test_client.py (TtsRequestIdSpecifierParams)
# shape: 2.x typed request dicts imported from cartesia.tts, used with tts.sse()
# expect-file: output.raw = raw:Typed dictionaries.
import base64
import os

from cartesia import Cartesia
from cartesia.tts import OutputFormat_RawParams, TtsRequestIdSpecifierParams

FORMAT = OutputFormat_RawParams(container="raw", encoding="pcm_f32le", sample_rate=44100)
VOICE = TtsRequestIdSpecifierParams(mode="id", id="a0e99841-438c-4a64-b679-ae501e7d6091")

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
with open("output.raw", "wb") as f:
    for event in client.tts.sse(model_id="sonic-3", transcript="Typed dictionaries.", voice=VOICE,
                                output_format=FORMAT):
        if event.type == "chunk":
            f.write(base64.b64decode(event.data))
