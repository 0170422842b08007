# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.tts.bytes: duration, language, output_format)
# shape: 2.x tts.bytes(..., duration=3) consumed chunk by chunk
# expect-file: out.mp3 = mp3:Three seconds at most.
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

with open("out.mp3", "wb") as f:
    for chunk in client.tts.bytes(
        model_id="sonic-2",
        transcript="Three seconds at most.",
        voice={"mode": "id", "id": "694f9389-aac1-45b6-b726-9d9369183238"},
        language="en",
        duration=3,
        output_format={"container": "mp3", "sample_rate": 44100, "bit_rate": 128000},
    ):
        f.write(chunk)
