# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.infill.bytes)
# shape: 2.x client.infill.bytes(left_audio=..., right_audio=..., output_format_container=...) iterator of chunks
# expect-file: infill.wav = wav:44100:middle segment
from cartesia import Cartesia
import os

client = Cartesia(
    api_key=os.environ["CARTESIA_API_KEY"],
)
with open("left.wav", "rb") as left, open("right.wav", "rb") as right, open("infill.wav", "wb") as out:
    for chunk in client.infill.bytes(
        left_audio=left,
        right_audio=right,
        model_id="sonic-2",
        language="en",
        transcript="middle segment",
        voice_id="694f9389-aac1-45b6-b726-9d9369183238",
        output_format_container="wav",
        output_format_sample_rate=44100,
        output_format_encoding="pcm_f32le",
    ):
        out.write(chunk)
