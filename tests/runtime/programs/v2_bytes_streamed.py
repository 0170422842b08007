# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/tests/custom/test_client.py (test_bytes_sync) and README.md ("Usage": chunks written as they come)
# shape: 2.x bytes() consumed as a stream (a voice app forwards each chunk as it arrives)
# expect-file: stream.raw = raw:Stream me as you speak.
# expect-streaming: first chunk received
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

output = client.tts.bytes(
    transcript="Stream me as you speak.",
    voice={"mode": "id", "id": "f9836c6e-a0bd-460e-9d3c-f7299fa60f94"},
    output_format={"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000},
    model_id="sonic-2",
)
first = True
with open("stream.raw", "wb") as f:
    for chunk in output:
        if first:
            print("first chunk received")
            first = False
        f.write(chunk)
