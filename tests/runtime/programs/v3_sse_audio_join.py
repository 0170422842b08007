# source: https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("TTS SSE", v3.x: chunks.append(event.audio))
# shape: 3.x `chunks.append(event.audio)` for every chunk event, then b"".join(chunks)
# expect-file: output.raw = raw:Hello, world!
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
stream = client.tts.generate_sse(
    model_id="sonic-latest",
    transcript="Hello, world!",
    voice={"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"},
    output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100},
)

chunks = []
for event in stream:
    if event.type == "chunk":
        chunks.append(event.audio)  # v3.x puts decoded bytes in event.audio
    elif event.type == "done":
        break
with open("output.raw", "wb") as f:
    f.write(b"".join(chunks))
