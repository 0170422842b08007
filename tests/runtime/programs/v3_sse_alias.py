# source: https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("TTS SSE": "The 3.x SDK also aliases .sse() to .generate_sse()") and https://github.com/cartesia-ai/cartesia-python/blob/v3.0.2/examples/examples.py (tts_sse_basic)
# shape: 3.x `.sse()` alias with a typed-event loop using event.audio
# expect-file: output.pcm = raw:Hello, world!
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
stream = client.tts.sse(
    model_id="sonic-3",
    transcript="Hello, world!",
    voice={"mode": "id", "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"},
    output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100},
)
with open("output.pcm", "wb") as f:
    for event in stream:
        if event.type == "chunk":
            if event.audio:
                f.write(event.audio)
        elif event.type == "done":
            break
        elif event.type == "error":
            raise Exception(f"Error: {event.error}")
