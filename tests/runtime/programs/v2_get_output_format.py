# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/tests/custom/test_client.py (from cartesia.tts.utils.tts import get_output_format)
# shape: 2.x get_output_format("raw_pcm_f32le_44100") helper; tts.bytes chunks
# expect-file: output.raw = raw:Named formats.
import os

from cartesia import Cartesia
from cartesia.tts.utils.tts import get_output_format

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
output_format = get_output_format("raw_pcm_f32le_44100")
with open("output.raw", "wb") as f:
    for chunk in client.tts.bytes(
        model_id="sonic-2",
        transcript="Named formats.",
        voice={"mode": "id", "id": "f9836c6e-a0bd-460e-9d3c-f7299fa60f94"},
        output_format=output_format,
    ):
        f.write(chunk)
