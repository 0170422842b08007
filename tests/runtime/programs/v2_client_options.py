# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Custom Client", "Timeouts": httpx_client=, request_options={"timeout_in_seconds": ...})
# shape: 2.x Cartesia(base_url=..., httpx_client=httpx.Client(...), timeout=...) and request_options= on a call
# expect-file: sonic.wav = wav:16000:Custom clients still speak.
import os

import httpx
from cartesia import Cartesia

client = Cartesia(
    api_key=os.environ["CARTESIA_API_KEY"],
    base_url=os.environ["CARTESIA_BASE_URL"],
    timeout=20.0,
    httpx_client=httpx.Client(timeout=20.0),
)

with open("sonic.wav", "wb") as f:
    for chunk in client.tts.bytes(
        model_id="sonic-3",
        transcript="Custom clients still speak.",
        voice={"mode": "id", "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"},
        output_format={"container": "wav", "sample_rate": 16000, "encoding": "pcm_s16le"},
        request_options={"timeout_in_seconds": 10},
    ):
        f.write(chunk)
