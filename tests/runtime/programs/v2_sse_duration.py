# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.tts.sse: duration, "The maximum duration of the audio in seconds")
# shape: 2.x tts.sse(..., duration=5): a keyword 4.x generate_sse does not take
# expect-file: output.raw = raw:Keep it short.
import base64
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

response = client.tts.sse(
    model_id="sonic-2",
    transcript="Keep it short.",
    voice={"mode": "id", "id": "694f9389-aac1-45b6-b726-9d9369183238"},
    language="en",
    duration=5,
    output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100},
)
with open("output.raw", "wb") as f:
    for chunk in response:
        if chunk.type == "chunk":
            f.write(base64.b64decode(chunk.data))
