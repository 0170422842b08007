# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Server-Sent Events (SSE)")
# shape: 2.x SSE loop that reads .data on every event
# expect-stdout: Received chunk of size: 44
# expect-stdout: Received chunk of size: 44
# expect-stdout: Received chunk of size: 44
from cartesia import Cartesia
import os


def get_tts_chunks():
    client = Cartesia(
        api_key=os.getenv("CARTESIA_API_KEY"),
    )
    response = client.tts.sse(
        model_id="sonic-3",
        transcript="Hello world!",
        voice={
            "mode": "id",
            "id": "f9836c6e-a0bd-460e-9d3c-f7299fa60f94",
        },
        language="en",
        output_format={
            "container": "raw",
            "encoding": "pcm_f32le",
            "sample_rate": 44100,
        },
    )

    audio_chunks = []
    for chunk in response:
        audio_chunks.append(chunk)
    return audio_chunks


chunks = get_tts_chunks()
for chunk in chunks:
    print(f"Received chunk of size: {len(chunk.data)}")
