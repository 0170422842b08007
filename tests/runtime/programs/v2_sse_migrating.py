# source: https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("TTS SSE (Server-Sent Events)", v2.x)
# shape: 2.x loop testing event.type, base64.b64decode(event.data) on chunks, break on done
# expect-file: output.raw = raw:Hello, world!
import base64
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

stream = client.tts.sse(
    model_id="sonic-latest",
    transcript="Hello, world!",
    voice={"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"},
    output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100},
)

chunks = []
for event in stream:
    if event.type == "chunk":
        audio_bytes = base64.b64decode(event.data)
        chunks.append(audio_bytes)
    elif event.type == "done":
        break

with open("output.raw", "wb") as f:
    f.write(b"".join(chunks))
